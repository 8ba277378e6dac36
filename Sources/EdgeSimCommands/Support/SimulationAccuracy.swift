import BitAccurateExecution
import Diagnostics
import Foundation
import HardwareModel
import NetworkGraph
import Simulation
import TraceFormats

/// `simulate --data`: the accuracy of the precision being simulated,
/// measured with the executors on the same samples, so that accuracy,
/// latency and energy of one precision choice come from one run.
struct SimulationAccuracy {
  /// What the executors computed in.
  enum Arithmetic {
    /// The precision file's formats, bit-accurately.
    case plan(ResolvedPrecision)
    /// Integers of one width for every layer, fractional lengths chosen on
    /// the samples themselves (Qiu et al.'s dynamic precision).
    case calibrated(bits: Int)
    /// The float reference (fp16 and fp32 precisions).
    case float
  }

  /// How the figures were obtained, for the report.
  var description: String
  /// Samples measured.
  var samples: Int
  /// Top-1 and top-5 accuracy in [0, 1], with labels.
  var top1: Double?
  var top5: Double?
  /// The float model's top-1 on the same samples, with labels.
  var floatTop1: Double?
  /// The fraction of samples whose top-1 class matches the float model's.
  var top1Agreement: Double?
  /// The first output's SQNR against the float model, in dB.
  var outputSQNR: SignalToNoise?

  /// The arithmetic of a simulated precision: a precision file runs as
  /// written; an integer precision (given or native) is calibrated; a
  /// floating-point one runs in float.
  static func arithmetic(
    for choice: PrecisionChoice, resolved: ResolvedPrecision?, device: Device
  ) -> Arithmetic {
    if let resolved { return .plan(resolved) }
    let precision: Precision?
    switch choice {
    case .uniform(let p): precision = p
    case .native, .perLayer: precision = device.compute.nativePrecision
    }
    guard let precision, !precision.isFloatingPoint else { return .float }
    return .calibrated(bits: precision.bits)
  }

  /// Runs the executors.
  static func measure(
    network: Network, samples: FloatTensor, labels: [Int]?,
    arithmetic: Arithmetic, model: String
  ) throws(CommandFailure) -> SimulationAccuracy {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let count = samples.shape.first ?? 0
    do {
      switch arithmetic {
      case .float:
        let outcome = try RunExecution.float(
          network: network, input: samples, labels: labels, batchSize: nil,
          concurrency: cores)
        return SimulationAccuracy(
          description: "float32 reference executor", samples: count,
          top1: outcome.top1, top5: outcome.top5, floatTop1: outcome.top1,
          top1Agreement: 1, outputSQNR: nil)
      case .plan(let resolved):
        let outcome = try RunExecution.fixed(
          network: network, precision: resolved, input: samples,
          labels: labels, batchSize: nil, dump: false, concurrency: cores)
        return from(
          outcome.statistics, samples: count,
          description: "bit-accurate, the precision file's formats")
      case .calibrated(let bits):
        let outcome = try Quantization.run(
          network: network, data: samples, labels: labels,
          configuration: CalibrationConfiguration(
            method: .qiu, weightBits: bits, activationBits: bits),
          calibrationSamples: nil, concurrency: cores, model: model)
        return from(
          outcome.statistics, samples: count,
          description:
            "bit-accurate int\(bits), fractional lengths chosen on --data (qiu)"
        )
      }
    } catch let error as CommandFailure {
      throw error
    } catch {
      throw CommandFailure(
        .error("\(error)", at: SourceLocation(file: model)))
    }
  }

  static func from(
    _ statistics: NetworkStatistics?, samples: Int, description: String
  ) -> SimulationAccuracy {
    SimulationAccuracy(
      description: description, samples: samples, top1: statistics?.top1,
      top5: statistics?.top5, floatTop1: statistics?.floatTop1,
      top1Agreement: statistics?.top1Agreement,
      outputSQNR: statistics?.layers.last?.output.endToEnd?.sqnr)
  }

  /// The `accuracy` object of `--json` and `summary.json`.
  var json: JSONValue {
    func number(_ x: Double?) -> JSONValue {
      guard let x, x.isFinite else { return .null }
      return .number(x)
    }
    return .object([
      "arithmetic": .string(description), "samples": .int(samples),
      "top1": number(top1), "top5": number(top5),
      "float_top1": number(floatTop1),
      "top1_agreement": number(top1Agreement),
      "output_sqnr_db": outputSQNR.map { number($0.value) } ?? .null,
    ])
  }

  /// One line for the text report.
  var line: String {
    func percent(_ x: Double) -> String {
      String(format: "%.2f%%", x * 100)
    }
    var parts = ["\(samples) samples, \(description)"]
    if let top1 { parts.append("top-1 \(percent(top1))") }
    if let top5 { parts.append("top-5 \(percent(top5))") }
    if let floatTop1 { parts.append("float top-1 \(percent(floatTop1))") }
    if let top1Agreement {
      parts.append("top-1 agrees with float on \(percent(top1Agreement))")
    }
    if let outputSQNR { parts.append("output SQNR \(outputSQNR)") }
    return "accuracy: " + parts.joined(separator: ", ")
  }
}
