import BitAccurateExecution
import NetworkGraph
import PrecisionModel

/// What a sliced run computed over the whole input.
public struct RunOutcome: Sendable {
  /// The first graph output over every sample, as Float32 (dequantized in
  /// fixed point).
  public var output: FloatTensor
  /// The §9 statistics (bit-accurate runs only).
  public var statistics: NetworkStatistics?
  /// Top-1 accuracy with labels.
  public var top1: Double?
  /// Top-5 accuracy with labels.
  public var top5: Double?
  /// The raw dump, when asked for (bit-accurate runs only).
  public var dump: [DumpEntry]?
  /// Seconds spent in the executor proper (not in loading, statistics or
  /// the float reference).
  public var executeSeconds: Double
  /// The first graph output as stored, when it is an integer tensor (affine
  /// runs of models ending in QuantizeLinear or a QLinear operator).
  public var integerOutput: IntegerTensor? = nil

  /// Sets top-1 and top-5 of ``output`` against `labels`, when given.
  mutating func measureAccuracy(_ labels: [Int]?) {
    guard let labels else { return }
    top1 = Classification.accuracy(output, labels: labels, k: 1)
    top5 = Classification.accuracy(output, labels: labels, k: 5)
  }
}

/// Runs a network on a batch, in float or bit-accurately, in slices of at
/// most `batchSize` samples (to bound memory), and joins the results.
///
/// The executors are deterministic and samples independent, so the slice
/// size never changes outputs, dumps or statistics (weights are counted
/// once; activations, events, errors and accuracies over every sample).
///
/// Only the executor calls are timed, on the `clock` the caller passes (the
/// library reads no clock of its own).
public enum SlicedRun {
  /// Runs the float reference executor.
  public static func float<C: Clock<Duration>>(
    network: Network, input: FloatTensor, labels: [Int]?, batchSize: Int?,
    concurrency: Int, clock: C
  ) throws(ExecutionError) -> RunOutcome {
    let executor = try FloatExecutor(network: network, concurrency: concurrency)
    var outputs: [FloatTensor] = []
    var seconds = 0.0
    for range in BatchSlices.ranges(input, batchSize: batchSize) {
      let piece = BatchSlices.slice(input, range)
      let start = clock.now
      let result = try executor.outputs(input: piece)
      seconds += start.duration(to: clock.now).seconds
      guard let first = result.first else {
        throw .invalidInput(message: "the model has no output")
      }
      outputs.append(first)
    }
    let output = try BatchSlices.concatenate(outputs)
    var outcome = RunOutcome(output: output, executeSeconds: seconds)
    outcome.measureAccuracy(labels)
    return outcome
  }

  /// Runs a pre-quantized model in the affine format.
  ///
  /// The executor is ``BitAccurateExecution/AffineExecutor``. Accuracy is measured on the
  /// first output as stored (integers rank as their real values do, since
  /// scales are positive).
  public static func affine<C: Clock<Duration>>(
    network: Network, input: FloatTensor, labels: [Int]?, batchSize: Int?,
    clock: C
  ) throws(ExecutionError) -> RunOutcome {
    let executor = try AffineExecutor(network: network)
    var floats: [FloatTensor] = []
    var integers: [IntegerTensor] = []
    var seconds = 0.0
    for range in BatchSlices.ranges(input, batchSize: batchSize) {
      let piece = BatchSlices.slice(input, range)
      let start = clock.now
      let result = try executor.run(input: piece)
      seconds += start.duration(to: clock.now).seconds
      switch result.first {
      case .float(let tensor): floats.append(tensor)
      case .integer(let tensor): integers.append(tensor)
      case nil: throw .invalidInput(message: "the model has no output")
      }
    }
    var outcome: RunOutcome
    if integers.isEmpty {
      outcome = RunOutcome(
        output: try BatchSlices.concatenate(floats), executeSeconds: seconds)
    } else {
      let joined = try IntegerTensor.concatenating(integers)
      outcome = RunOutcome(
        output: AffineValue.integer(joined).floatTensor,
        executeSeconds: seconds, integerOutput: joined)
    }
    outcome.measureAccuracy(labels)
    return outcome
  }

  /// Runs the float executor on several named inputs (`run --input
  /// NAME=FILE.npy`), in slices of `batchSize` samples taken alike from
  /// every input (which must then share their sample count N).
  public static func float<C: Clock<Duration>>(
    network: Network, inputs: [String: FloatTensor], labels: [Int]?,
    batchSize: Int?, concurrency: Int, clock: C
  ) throws(ExecutionError) -> RunOutcome {
    let executor = try FloatExecutor(network: network, concurrency: concurrency)
    let counts = Set(inputs.values.map { $0.shape.first ?? 0 })
    guard let first = inputs.values.first else {
      throw .invalidInput(message: "the model has no input")
    }
    var ranges = [0..<(first.shape.first ?? 0)]
    if let batchSize, batchSize < ranges[0].count {
      guard counts.count == 1 else {
        throw .invalidInput(
          message: "--batch-size needs every input to hold the same number "
            + "of samples; they hold \(counts.sorted())")
      }
      ranges = BatchSlices.ranges(first, batchSize: batchSize)
    }
    var outputs: [FloatTensor] = []
    var seconds = 0.0
    for range in ranges {
      let pieces =
        ranges.count == 1
        ? inputs : inputs.mapValues { BatchSlices.slice($0, range) }
      let start = clock.now
      let result = try executor.run(inputs: pieces)
      seconds += start.duration(to: clock.now).seconds
      guard let output = result.outputs.first else {
        throw .invalidInput(message: "the model has no output")
      }
      outputs.append(output)
    }
    let output = try BatchSlices.concatenate(outputs)
    var outcome = RunOutcome(output: output, executeSeconds: seconds)
    outcome.measureAccuracy(labels)
    return outcome
  }

  /// Runs the bit-accurate executor with §9 statistics (against the float
  /// network on the same samples) and, if asked, the §11 raw dump.
  public static func fixed<C: Clock<Duration>>(
    network: Network, precision: ResolvedPrecision, input: FloatTensor,
    labels: [Int]?,
    batchSize: Int?, dump: Bool, concurrency: Int, clock: C
  ) throws(ExecutionError) -> RunOutcome {
    let executor = try FixedPointExecutor(
      network: network, precision: precision, concurrency: concurrency)
    let reference = try FloatExecutor(
      network: network, concurrency: concurrency)
    var outputs: [FloatTensor] = []
    var statistics: NetworkStatistics?
    var dumps: [[DumpEntry]] = []
    var seconds = 0.0
    for range in BatchSlices.ranges(input, batchSize: batchSize) {
      let piece = BatchSlices.slice(input, range)
      let start = clock.now
      let inference = try executor.run(
        input: piece, retaining: .outputs, firstSample: range.lowerBound)
      seconds += start.duration(to: clock.now).seconds
      guard let first = inference.outputs.first else {
        throw .invalidInput(message: "the model has no output")
      }
      outputs.append(first.floatTensor)
      let run = try executor.run(
        input: piece, keepWide: true, firstSample: range.lowerBound)
      let float = try reference.run(input: piece)
      let pieceLabels = labels.map { Array($0[range]) }
      let pieceStatistics = try executor.statistics(
        of: run, input: piece, float: float, labels: pieceLabels)
      statistics =
        statistics.map { $0.merging(pieceStatistics, network: network) }
        ?? pieceStatistics
      if dump { dumps.append(run.dumpEntries(executor: executor)) }
    }
    var outcome = RunOutcome(
      output: try BatchSlices.concatenate(outputs), statistics: statistics,
      executeSeconds: seconds)
    outcome.top1 = statistics?.top1
    outcome.top5 = statistics?.top5
    if dump { outcome.dump = DumpEntry.concatenating(dumps) }
    return outcome
  }
}

extension Duration {
  /// The duration in seconds.
  var seconds: Double {
    let (whole, attoseconds) = components
    return Double(whole) + Double(attoseconds) * 1e-18
  }
}
