import Diagnostics
import Evaluation
import HardwareModel
import NetworkGraph
import Simulation
import SpecFormats

/// What `calibrate` fits to: the device, its free parameters, the rows of
/// the measurements file that name it, and the rows it skipped.
struct CalibrationInputs {
  /// The device as given.
  var device: Device
  /// The hardware file's name and text (the output rewrites the text).
  var hardwareFile: String
  /// The hardware file's text.
  var hardwareText: String
  /// The measurements, in file order.
  var measurements: [LatencyMeasurement]
  /// Each measurement's model cell, by label (for located errors).
  var locations: [String: SourceLocation]
  /// Rows of the device skipped because their model could not be loaded:
  /// line and model.
  var skipped: [(line: Int, model: String)]
  /// Rows of other devices or runtimes, not used.
  var otherRows: Int

  /// Reads the hardware and measurements files, keeps the rows of the
  /// device (and runtime), and loads each row's model once.
  static func load(
    _ options: CalibrateOptions, printer: inout DiagnosticPrinter
  ) throws -> CalibrationInputs {
    let (hardwareFile, hardwareBytes): (String, [UInt8])
    switch Bundled.hardware(options.hardware) {
    case .success(let found): (hardwareFile, hardwareBytes) = found
    case .failure(let d): throw SimulationInputs.stop([d], printer: &printer)
    }
    let device = try SimulationInputs.loadDevice(
      options.hardware, printer: &printer)
    let bytes = try printer.read(options.measurements)
    let read = MeasurementReader.read(
      bytes: bytes, fileName: options.measurements)
    guard let records = read.value else {
      throw SimulationInputs.stop(read.diagnostics, printer: &printer)
    }
    printer.print(read.diagnostics)
    let deviceName = options.deviceName ?? device.name
    let rows = records.filter { record in
      record.device == deviceName
        && (options.runtime.map { record.runtime?.contains($0) ?? false }
          ?? true)
    }
    guard !rows.isEmpty else {
      let names = Set(records.map(\.device)).sorted()
      throw SimulationInputs.stop(
        [
          .error(
            "no row names the device '\(deviceName)'"
              + (options.runtime.map { " with a runtime containing '\($0)'" }
                ?? ""),
            at: SourceLocation(file: options.measurements),
            hint:
              "the file's devices: \(names.joined(separator: ", ")); name another with --device-name"
          )
        ], printer: &printer)
    }
    var inputs = CalibrationInputs(
      device: device, hardwareFile: hardwareFile,
      hardwareText: String(decoding: hardwareBytes, as: UTF8.self),
      measurements: [], locations: [:], skipped: [],
      otherRows: records.count - rows.count)
    var networks: [String: LoadedNetwork] = [:]
    var unknown: [Diagnostic] = []
    for row in rows {
      let loaded =
        networks[row.model] ?? loadNetwork(row, printer: &printer)
      networks[row.model] = loaded
      switch loaded {
      case .failure(let diagnostic):
        if options.skipUnknown {
          inputs.skipped.append((row.line, row.model))
        } else {
          var located = diagnostic
          located.location = row.modelLocation
          unknown.append(located)
        }
      case .network(let network):
        let label = "\(options.measurements):\(row.line)"
        var simulation = SimulationOptions()
        simulation.precision = .uniform(row.precision)
        simulation.batch = row.batch
        simulation.inference = row.regime == .cold ? .cold : .steadyState
        inputs.measurements.append(
          LatencyMeasurement(
            label: label, model: row.model, network: network,
            options: simulation, latency: row.latencyMilliseconds / 1000))
        inputs.locations[label] = row.modelLocation
      }
    }
    if !unknown.isEmpty {
      throw SimulationInputs.stop(unknown, printer: &printer)
    }
    return inputs
  }

  /// A row's model, or why it cannot be loaded.
  enum LoadedNetwork {
    case network(Network)
    case failure(Diagnostic)
  }

  /// Loads a row's model: a bundled workload name or a file.
  static func loadNetwork(
    _ row: MeasurementRecord, printer: inout DiagnosticPrinter
  ) -> LoadedNetwork {
    let hint =
      "name a bundled workload (Workloads/) or a model file; --skip-unknown lists and skips such rows"
    let (file, bytes): (String, [UInt8])
    switch Bundled.workload(row.model) {
    case .success(let found): (file, bytes) = found
    case .failure(let d):
      return .failure(
        .error(
          "cannot load the model '\(row.model)': \(d.message)", at: nil,
          hint: hint))
    }
    let (loaded, diagnostics, text) = ModelLoader.load(
      fileName: file, bytes: bytes, batch: nil)
    if let text { printer.sources[file] = text }
    guard let loaded else {
      let reason =
        diagnostics.first { $0.severity == .error }?.message
        ?? "it does not load"
      return .failure(
        .error(
          "cannot load the model '\(row.model)' (\(file)): \(reason)", at: nil,
          hint: hint))
    }
    return .network(loaded.network)
  }
}
