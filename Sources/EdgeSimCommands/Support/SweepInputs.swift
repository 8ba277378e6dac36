import ArgumentParser
import BitAccurateExecution
import DesignSpace
import Diagnostics
import Evaluation
import Foundation
import HardwareModel
import NetworkGraph
import SpecFormats

/// The models and devices a sweep names, loaded once, and the evaluation of
/// a point against them.
struct SweepInputs: Sendable {
  var networks: [String: Network]
  var devices: [String: Device]
  /// Accuracy evaluators by study and model (``accuracyKey(study:model:)``).
  var accuracy: [String: AccuracyEvaluator] = [:]
  /// The compressed models of points with compression settings.
  var compression = SweepCompression(files: [:])

  static func accuracyKey(study: Int, model: String) -> String {
    "\(study)\u{1F}\(model)"
  }

  /// The accuracy evaluator of a point's study and model, if it has one.
  func accuracyEvaluator(for point: DesignPoint) -> AccuracyEvaluator? {
    accuracy[Self.accuracyKey(study: point.study, model: point.model)]
  }

  /// The topological position of the first layer a study's precision axis
  /// changes in the study's first model (0 for every layer, or unknown).
  func firstLayerPosition(study: Study, axis: Int) -> Int {
    guard study.precisionAxes.indices.contains(axis),
      case .named(let names) = study.precisionAxes[axis].layers,
      let model = study.models.first,
      let sorted = try? networks[model]?.sortedTopologically()
    else { return 0 }
    return sorted.nodes.firstIndex { names.contains($0.name) } ?? 0
  }

  /// Evaluates a point with the simulator, and its top-1 with the
  /// bit-accurate executor when its study measures accuracy.
  ///
  /// A point with compression settings runs its model compressed by them
  /// (``prepared(_:)``) and records the stored bits and ratio.
  func evaluate(_ point: DesignPoint) -> PointResult {
    switch prepared(point) {
    case .failure(let refusal):
      return PointResult(point: point, status: .failed(error: refusal.message))
    case .success(let prepared):
      var result = PointEvaluator.evaluate(
        prepared.point, network: prepared.network, device: prepared.device,
        accuracy: prepared.accuracy, coding: prepared.compressed?.coding)
      result.point = point
      if case .done(var metrics) = result.status,
        let totals = prepared.compressed?.totals
      {
        metrics.storedBits = totals.storedBits
        metrics.compressionRatio = totals.ratio
        result.status = .done(metrics)
      }
      return result
    }
  }

  /// What a point runs: its model (compressed by the point's settings when
  /// it has some), its device, its accuracy judge, and the point with its
  /// precision selectors reaching the halves of layers low rank split.
  struct PreparedPoint {
    var point: DesignPoint
    var network: Network
    var device: Device
    var accuracy: AccuracyEvaluator?
    var compressed: CompressedNetwork?
  }

  /// The model, device and judge of a point, or why it fails.
  func prepared(_ point: DesignPoint) -> Result<
    PreparedPoint, CompressionRefusal
  > {
    guard let network = networks[point.model],
      let device = devices[point.device]
    else {
      return .failure(
        CompressionRefusal(
          "\(point.model) or \(point.device) was not loaded"))
    }
    let judge = accuracyEvaluator(for: point)
    guard let plan = point.compressionPlan else {
      return .success(
        PreparedPoint(
          point: point, network: network, device: device, accuracy: judge))
    }
    switch compression.network(for: point, plan: plan, accuracy: judge) {
    case .failure(let refusal): return .failure(refusal)
    case .success(let compressed):
      return .success(
        PreparedPoint(
          point: point.selectingFactors(of: compressed.split),
          network: compressed.network, device: device,
          accuracy: compressed.accuracy, compressed: compressed))
    }
  }

  /// Loads every model and device of a plan, and checks that each layer a
  /// precision axis names is in every model of its study.
  ///
  /// Names without `/` or `.` are bundled; anything else is a path relative
  /// to the sweep file's folder (or absolute).
  ///
  /// A study with `accuracy` loads its samples and labels, checks them
  /// against each of its models (which must have their weights) and runs
  /// the float model once.
  ///
  /// - Parameters:
  ///   - plan: The sweep.
  ///   - specPath: The sweep file, against whose folder paths resolve.
  ///   - executorConcurrency: Batch slices each bit-accurate run splits over.
  ///   - reuse: The exact shortcuts each accuracy evaluator takes between
  ///     points (the most bytes of intermediate tensors it keeps for points
  ///     that share a network prefix, among them).
  ///   - printer: Shows the located errors.
  /// - Returns: The loaded models, devices and accuracy inputs.
  /// - Throws: ``CommandFailure`` after the printer has shown every located
  ///   error.
  static func load(
    _ plan: SweepPlan, specPath: String, executorConcurrency: Int = 1,
    reuse: AccuracyReuse = AccuracyReuse(), printer: inout DiagnosticPrinter
  ) throws -> SweepInputs {
    let folder = URL(fileURLWithPath: specPath).deletingLastPathComponent()
    func resolve(_ name: String) -> String {
      name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path
    }
    func isBundledName(_ name: String) -> Bool {
      !name.contains("/") && !name.contains(".")
    }
    var inputs = SweepInputs(networks: [:], devices: [:])
    var problems: [Diagnostic] = []
    var modelFiles: [String: String] = [:]
    for study in plan.studies {
      for name in study.devices where inputs.devices[name] == nil {
        let found =
          isBundledName(name)
          ? Bundled.hardware(name)
          : FileIO.read(resolve(name)).map { (resolve(name), $0) }
        guard case .success(let (file, bytes)) = found else {
          if case .failure(let d) = found { problems.append(d) }
          continue
        }
        printer.sources[file] = String(
          decoding: bytes.prefix(4 << 20), as: UTF8.self)
        let result = HardwareLoader.read(bytes: bytes, fileName: file)
        problems += result.diagnostics
        guard var device = result.value else { continue }
        if var partition = device.host {
          // The layers an accelerator leaves to its host run on the host's
          // model, as in `simulate` (`SimulationInputs.loadHost`).
          partition.hostDevice = HostDevice(
            try SimulationInputs.loadHost(
              partition.hostName, beside: file, printer: &printer))
          device.host = partition
        }
        inputs.devices[name] = device
      }
      for name in study.models where inputs.networks[name] == nil {
        let found =
          isBundledName(name)
          ? Bundled.workload(name)
          : FileIO.read(resolve(name)).map { (resolve(name), $0) }
        guard case .success(let (file, bytes)) = found else {
          if case .failure(let d) = found { problems.append(d) }
          continue
        }
        let (loaded, diagnostics, text) = ModelLoader.load(
          fileName: file, bytes: bytes, batch: nil)
        if let text { printer.sources[file] = text }
        problems += diagnostics
        if let loaded { inputs.networks[name] = loaded.network }
        if !isBundledName(name) { modelFiles[name] = file }
      }
      for model in study.models
      where isBundledName(model)
        && (!study.compressionAxes.isEmpty || study.huffman)
      {
        problems.append(
          .error(
            "'\(model)' is a bundled layer list without weights, so a study with 'compression' cannot compress it",
            at: SourceLocation(file: specPath),
            hint: "name an ONNX model with its weights"))
      }
      for model in study.models {
        guard let network = inputs.networks[model] else { continue }
        let names = network.nodes.map(\.name)
        let axes =
          study.precisionAxes.map {
            ($0.layers, "precision axis '\($0.label)'")
          }
          + study.compressionAxes.map {
            ($0.layers, "compression axis '\($0.name)'")
          }
        for (selector, axis) in axes {
          guard case .named(let layers) = selector else { continue }
          for layer in layers where !names.contains(layer) {
            problems.append(
              .error(
                "\(model) has no layer '\(layer)' (\(axis))",
                at: SourceLocation(file: specPath),
                hint: Suggestions.hint(for: layer, among: names)))
          }
        }
      }
    }
    inputs.compression = SweepCompression(files: modelFiles)
    if !problems.contains(where: { $0.severity == .error }) {
      // Studies that measure one model on the same samples share one
      // evaluator: one float run, one calibration per set of widths, one
      // prefix cache and budget (a per-layer sweep is a study per layer).
      var shared: [SharedAccuracy: AccuracyEvaluator] = [:]
      for (index, study) in plan.studies.enumerated() {
        guard let spec = study.accuracy else { continue }
        for model in study.models {
          let path = isBundledName(model) ? nil : resolve(model)
          let key = SharedAccuracy(model: path ?? model, spec: spec)
          if let evaluator = shared[key] {
            inputs.accuracy[accuracyKey(study: index, model: model)] = evaluator
            continue
          }
          do throws(CommandFailure) {
            let evaluator = try accuracyEvaluator(
              spec, model: path, named: model,
              resolve: resolve, concurrency: executorConcurrency,
              reuse: reuse, warnings: &problems)
            inputs.accuracy[accuracyKey(study: index, model: model)] = evaluator
            shared[key] = evaluator
          } catch {
            for (file, text) in error.sources { printer.sources[file] = text }
            problems += error.diagnostics
          }
        }
      }
    }
    printer.print(problems)
    if problems.contains(where: { $0.severity == .error }) {
      throw ExitCode(EdgeSimMain.failure)
    }
    return inputs
  }

  /// Reads a study's accuracy samples for one model and runs its float
  /// model on them.
  static func accuracyEvaluator(
    _ spec: AccuracySpec, model path: String?, named name: String,
    resolve: (String) -> String,
    concurrency: Int, reuse: AccuracyReuse = AccuracyReuse(),
    warnings: inout [Diagnostic]
  ) throws(CommandFailure) -> AccuracyEvaluator {
    guard let path else {
      throw CommandFailure(
        .error(
          "'\(name)' is a bundled layer list without weights, so its accuracy cannot be measured",
          at: nil,
          hint: "name an ONNX model with its weights in a study with 'accuracy'"
        ))
    }
    let (network, classes) = try ExecutionInputs.model(
      path, warnings: &warnings)
    let dataPath = resolve(spec.data)
    let all = try ExecutionInputs.samples(
      dataPath, for: network, option: "accuracy.evaluation.data",
      warnings: &warnings)
    let allLabels = try ExecutionInputs.labels(
      resolve(spec.labels), samples: all.shape.first ?? 0, classes: classes)
    let evaluation = try samples(all, spec.samples, file: dataPath)
    let labels = spec.samples.map { Array(allLabels[$0]) } ?? allLabels
    let calibrationPath = spec.calibrationData.map(resolve) ?? dataPath
    let calibrationAll =
      calibrationPath == dataPath
      ? all
      : try ExecutionInputs.samples(
        calibrationPath, for: network, option: "accuracy.calibration.data",
        warnings: &warnings)
    let calibration = try samples(
      calibrationAll, spec.calibrationSamples, file: calibrationPath)
    do {
      return try AccuracyEvaluator(
        network: network, evaluation: evaluation, labels: labels,
        calibration: calibration,
        method: spec.method, concurrency: concurrency,
        reuse: reuse)
    } catch {
      throw CommandFailure(
        .error(error.description, at: SourceLocation(file: path)))
    }
  }

  /// The samples of a range (all when `nil`), checked to exist.
  static func samples(
    _ tensor: FloatTensor, _ range: ClosedRange<Int>?, file: String
  ) throws(CommandFailure)
    -> FloatTensor
  {
    let count = tensor.shape.first ?? 0
    guard let range else { return tensor }
    guard range.upperBound < count else {
      throw CommandFailure(
        .error(
          "samples \(range.lowerBound)..\(range.upperBound) asked of a file with \(count) samples (0..\(count - 1))",
          at: SourceLocation(file: file), hint: "give a range within the file"))
    }
    return BatchSlices.slice(tensor, range.lowerBound..<(range.upperBound + 1))
  }
}

/// What makes two studies' accuracy evaluators the same: the model file
/// and the accuracy section (its paths relative to the one sweep file).
struct SharedAccuracy: Hashable {
  var model: String
  var spec: AccuracySpec
}
