import BitAccurateExecution
import HardwareModel
import NetworkGraph
import PrecisionModel
import Simulation

/// The accuracy of the precision being simulated, measured with the
/// executors on the same samples (`simulate --data`), so that accuracy,
/// latency and energy of one precision choice come from one evaluation.
public struct MeasuredAccuracy: Sendable {
  /// What the executors computed in.
  public enum Arithmetic: Sendable {
    /// The precision file's formats, bit-accurately.
    case plan(ResolvedPrecision)
    /// Integers of one width for every layer, fractional lengths chosen on
    /// the samples themselves (Qiu et al.'s dynamic precision).
    case calibrated(bits: Int)
    /// The float reference (fp16 and fp32 precisions).
    case float
  }

  /// How the figures were obtained, for the report.
  public var description: String
  /// Samples measured.
  public var samples: Int
  /// Top-1 accuracy in [0, 1], with labels.
  public var top1: Double?
  /// Top-5 accuracy in [0, 1], with labels.
  public var top5: Double?
  /// The float model's top-1 on the same samples, with labels.
  public var floatTop1: Double?
  /// The fraction of samples whose top-1 class matches the float model's.
  public var top1Agreement: Double?
  /// The first output's SQNR against the float model, in dB.
  public var outputSQNR: SignalToNoise?

  /// A top-1 figure measured elsewhere (a sweep's shared judge), with the
  /// float model's on the same samples.
  public init(
    top1: Double, floatTop1: Double?, samples: Int, description: String
  ) {
    self.init(
      description: description, samples: samples, top1: top1, top5: nil,
      floatTop1: floatTop1, top1Agreement: nil, outputSQNR: nil)
  }

  init(
    description: String, samples: Int, top1: Double?, top5: Double?,
    floatTop1: Double?, top1Agreement: Double?, outputSQNR: SignalToNoise?
  ) {
    self.description = description
    self.samples = samples
    self.top1 = top1
    self.top5 = top5
    self.floatTop1 = floatTop1
    self.top1Agreement = top1Agreement
    self.outputSQNR = outputSQNR
  }

  /// The arithmetic of a simulated precision: a precision file runs as
  /// written; an integer precision (given or native) is calibrated; a
  /// floating-point one runs in float.
  public static func arithmetic(
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

  /// Runs the executors over every sample at once.
  ///
  /// - Throws: An execution or calibration error.
  public static func measure(
    _ data: EvaluationData, arithmetic: Arithmetic, concurrency: Int
  ) throws(ExecutionError) -> MeasuredAccuracy {
    let count = data.samples.shape.first ?? 0
    switch arithmetic {
    case .float:
      let outcome = try SlicedRun.float(
        network: data.network, input: data.samples, labels: data.labels,
        batchSize: nil, concurrency: concurrency, clock: NoClock())
      return MeasuredAccuracy(
        description: "float32 reference executor", samples: count,
        top1: outcome.top1, top5: outcome.top5, floatTop1: outcome.top1,
        top1Agreement: 1, outputSQNR: nil)
    case .plan(let resolved):
      let outcome = try SlicedRun.fixed(
        network: data.network, precision: resolved, input: data.samples,
        labels: data.labels, batchSize: nil, dump: false,
        concurrency: concurrency, clock: NoClock())
      return from(
        outcome.statistics, samples: count,
        description: "bit-accurate, the precision file's formats")
    case .calibrated(let bits):
      let outcome = try CalibrationRun.run(
        network: data.network, data: data.samples, labels: data.labels,
        configuration: CalibrationConfiguration(
          method: .qiu, weightBits: bits, activationBits: bits),
        calibrationSamples: nil, concurrency: concurrency)
      return from(
        outcome.statistics, samples: count,
        description:
          "bit-accurate int\(bits), fractional lengths chosen on --data (qiu)")
    }
  }

  static func from(
    _ statistics: NetworkStatistics?, samples: Int, description: String
  ) -> MeasuredAccuracy {
    MeasuredAccuracy(
      description: description, samples: samples, top1: statistics?.top1,
      top5: statistics?.top5, floatTop1: statistics?.floatTop1,
      top1Agreement: statistics?.top1Agreement,
      outputSQNR: statistics?.layers.last?.output.endToEnd?.sqnr)
  }
}

/// A clock that never advances: for runs whose time nobody reads.
struct NoClock: Clock {
  struct Instant: InstantProtocol {
    func advanced(by duration: Duration) -> Instant { self }
    func duration(to other: Instant) -> Duration { .zero }
    static func < (lhs: Instant, rhs: Instant) -> Bool { false }
  }
  var now: Instant { Instant() }
  var minimumResolution: Duration { .zero }
  func sleep(until deadline: Instant, tolerance: Duration?) async throws {}
}
