import ArgumentParser
import DesignSpace
import Diagnostics
import Foundation
import HardwareModel
import NetworkGraph
import SpecFormats

/// The models and devices a sweep names, loaded once, and the evaluation of
/// a point against them.
struct SweepInputs: Sendable {
  var networks: [String: Network]
  var devices: [String: Device]

  /// Evaluates a point with the simulator.
  func evaluate(_ point: DesignPoint) -> PointResult {
    guard let network = networks[point.model], let device = devices[point.device] else {
      return PointResult(point: point, status: .failed(error: "\(point.model) or \(point.device) was not loaded"))
    }
    return PointEvaluator.evaluate(point, network: network, device: device)
  }

  /// Loads every model and device of a plan, and checks that each layer a
  /// precision axis names is in every model of its study.
  ///
  /// Names without `/` or `.` are bundled; anything else is a path relative
  /// to the sweep file's folder (or absolute).
  static func load(
    _ plan: SweepPlan, specPath: String, printer: inout DiagnosticPrinter
  ) throws -> SweepInputs {
    let folder = URL(fileURLWithPath: specPath).deletingLastPathComponent()
    func resolve(_ name: String) -> String {
      name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path
    }
    func isBundledName(_ name: String) -> Bool { !name.contains("/") && !name.contains(".") }
    var inputs = SweepInputs(networks: [:], devices: [:])
    var problems: [Diagnostic] = []
    for study in plan.studies {
      for name in study.devices where inputs.devices[name] == nil {
        let found = isBundledName(name) ? Bundled.hardware(name) : FileIO.read(resolve(name)).map { (resolve(name), $0) }
        guard case .success(let (file, bytes)) = found else {
          if case .failure(let d) = found { problems.append(d) }
          continue
        }
        printer.sources[file] = String(decoding: bytes.prefix(4 << 20), as: UTF8.self)
        let result = HardwareLoader.read(bytes: bytes, fileName: file)
        problems += result.diagnostics
        if let device = result.value { inputs.devices[name] = device }
      }
      for name in study.models where inputs.networks[name] == nil {
        let found = isBundledName(name) ? Bundled.workload(name) : FileIO.read(resolve(name)).map { (resolve(name), $0) }
        guard case .success(let (file, bytes)) = found else {
          if case .failure(let d) = found { problems.append(d) }
          continue
        }
        let (loaded, diagnostics, text) = ModelLoader.load(fileName: file, bytes: bytes, batch: nil)
        if let text { printer.sources[file] = text }
        problems += diagnostics
        if let loaded { inputs.networks[name] = loaded.network }
      }
      for model in study.models {
        guard let network = inputs.networks[model] else { continue }
        let names = network.nodes.map(\.name)
        for axis in study.precisionAxes {
          guard case .named(let layers) = axis.layers else { continue }
          for layer in layers where !names.contains(layer) {
            problems.append(
              .error(
                "\(model) has no layer '\(layer)' (precision axis '\(axis.label)')",
                at: SourceLocation(file: specPath),
                hint: Suggestions.hint(for: layer, among: names)))
          }
        }
      }
    }
    printer.print(problems)
    if problems.contains(where: { $0.severity == .error }) { throw ExitCode(EdgeSimMain.failure) }
    return inputs
  }
}
