import ArgumentParser

/// What `simulate` evaluates: the device, the model, the precision and
/// DRAM coding, the batch, and the samples accuracy is measured on.
struct SimulationInputOptions: ParsableArguments {
  /// The bundled device and model simulated when none is named.
  static let defaultHardware = "npu-32x32"
  static let defaultModel = "mobilenet_v2"

  @Option(
    help:
      "Device: a .yaml/.cfg file or a bundled name (default: \(Self.defaultHardware))."
  )
  var hardware: String?

  @Option(
    help:
      "Model: an .onnx, .yaml or .csv file, or a bundled name (default: \(Self.defaultModel))."
  )
  var model: String?

  /// The device to simulate: `--hardware`, else the default.
  var hardwareName: String { hardware ?? Self.defaultHardware }
  /// The model to simulate: `--model`, else the default.
  var modelName: String { model ?? Self.defaultModel }

  @Option(
    help:
      "int4, int8, int16, fp16, fp32, or a precision file (.yaml); default: the device's native precision."
  )
  var precision: String?

  @Option(
    help: ArgumentHelp(
      "A DRAM-coding file (.yaml): pruned and weight-shared weights, run-length coded activations.",
      discussion: "See Documentation/Compression.md.",
      valueName: "file"))
  var compression: String?

  @Option(
    help: ArgumentHelp(
      "Samples (.npy, [N, …]) to measure the accuracy of the same precision on (the model needs its weights).",
      valueName: "file"))
  var data: String?

  @OptionGroup var labels: LabelsOption

  @Option(help: "Batch size (default 1).")
  var batch: Int?

  @OptionGroup var dimensions: DimensionOptions

  @Flag(
    help: ArgumentHelp(
      "Time the first inference: every weight is fetched, even on a device that keeps parameters on chip across inferences.",
      discussion:
        "By default the steady state is timed, as published benchmarks measure it: a device whose file declares 'parameters: {resident: across_inferences}' (the Edge TPU) has the parameters that fit already on chip."
    ))
  var cold = false

  @Flag(
    help: ArgumentHelp(
      "What-if for a device that declares no parameter residency: in steady state its weights' first on-chip level keeps the parameters that fit across inferences.",
      discussion:
        "No effect on a device that declares residency (it is the default there)."
    ))
  var weightsPreloaded = false

  @Flag(
    name: .customLong("no-residency"),
    help: ArgumentHelp(
      "Keep no activation on chip between layers: every layer reads its inputs from and writes its output to the backing store.",
      discussion:
        "For comparisons with tools that do not model inter-layer residency (ZigZag, Timeloop, SCALE-Sim per layer). Activations whose home is on chip (a microcontroller's SRAM) stay there; parameters kept across inferences are governed by --cold."
    ))
  var noResidency = false

  /// Threads for the MAC layers' mapping searches.
  ///
  /// 1 searches in line, 2 adds a worker that searches ahead; unset, 2
  /// where the machine has a second core. The output is the same either
  /// way (tests compare them).
  @Option(name: .customLong("search-threads"), help: .hidden)
  var searchThreads: Int?

  /// The options given that say what to simulate, by their flags.
  var givenInputs: [String] {
    var given: [String] = []
    if hardware != nil { given.append("--hardware") }
    if model != nil { given.append("--model") }
    if precision != nil { given.append("--precision") }
    if compression != nil { given.append("--compression") }
    if data != nil { given.append("--data") }
    if labels.labels != nil { given.append("--labels") }
    if batch != nil { given.append("--batch") }
    if !dimensions.dim.isEmpty { given.append("--dim") }
    if cold { given.append("--cold") }
    if weightsPreloaded { given.append("--weights-preloaded") }
    if noResidency { given.append("--no-residency") }
    return given
  }

  func validate() throws {
    if let batch, batch < 1 || batch > 1 << 16 {
      throw ValidationError("--batch must be from 1 to \(1 << 16).")
    }
    if cold, weightsPreloaded {
      throw ValidationError(
        "--cold and --weights-preloaded contradict each other: a cold run fetches every weight."
      )
    }
    if let searchThreads, !(1...2).contains(searchThreads) {
      throw ValidationError("--search-threads must be 1 or 2.")
    }
    if labels.labels != nil, data == nil {
      throw ValidationError("--labels needs --data (the samples they label).")
    }
  }
}
