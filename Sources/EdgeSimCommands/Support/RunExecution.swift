import BitAccurateExecution
import Foundation
import NetworkGraph

/// What `edgesim run` computed over the whole input.
struct RunOutcome {
  /// The first graph output over every sample, as Float32 (dequantized in
  /// fixed point).
  var output: FloatTensor
  /// The §9 statistics (bit-accurate runs only).
  var statistics: NetworkStatistics?
  /// Top-1 accuracy with labels.
  var top1: Double?
  /// Top-5 accuracy with labels.
  var top5: Double?
  /// The raw dump, when asked for (bit-accurate runs only).
  var dump: [DumpEntry]?
  /// Seconds spent in the executor proper (not in loading, statistics or
  /// the float reference).
  var executeSeconds: Double
}

/// Runs a network on a batch, in float or bit-accurately, in slices of at
/// most `batchSize` samples (to bound memory), and joins the results.
///
/// The executors are deterministic and samples independent, so the slice
/// size never changes outputs, dumps or statistics (weights are counted
/// once; activations, events, errors and accuracies over every sample).
enum RunExecution {
  /// Runs the float reference executor.
  static func float(
    network: Network, input: FloatTensor, labels: [Int]?, batchSize: Int?,
    concurrency: Int
  ) throws(ExecutionError) -> RunOutcome {
    let executor = try FloatExecutor(network: network, concurrency: concurrency)
    var outputs: [FloatTensor] = []
    var seconds = 0.0
    for range in slices(input, batchSize: batchSize) {
      let piece = slice(input, range)
      let start = ContinuousClock.now
      let result = try executor.outputs(input: piece)
      seconds += (ContinuousClock.now - start).seconds
      guard let first = result.first else {
        throw .invalidInput(message: "the model has no output")
      }
      outputs.append(first)
    }
    let output = try concatenate(outputs)
    var outcome = RunOutcome(output: output, executeSeconds: seconds)
    if let labels {
      outcome.top1 = Classification.accuracy(output, labels: labels, k: 1)
      outcome.top5 = Classification.accuracy(output, labels: labels, k: 5)
    }
    return outcome
  }

  /// Runs the bit-accurate executor with §9 statistics (against the float
  /// network on the same samples) and, if asked, the §11 raw dump.
  static func fixed(
    network: Network, precision: ResolvedPrecision, input: FloatTensor,
    labels: [Int]?,
    batchSize: Int?, dump: Bool, concurrency: Int
  ) throws(ExecutionError) -> RunOutcome {
    let executor = try FixedPointExecutor(
      network: network, precision: precision, concurrency: concurrency)
    let reference = try FloatExecutor(
      network: network, concurrency: concurrency)
    var outputs: [FloatTensor] = []
    var statistics: NetworkStatistics?
    var dumps: [[DumpEntry]] = []
    var seconds = 0.0
    for range in slices(input, batchSize: batchSize) {
      let piece = slice(input, range)
      let start = ContinuousClock.now
      let inference = try executor.run(
        input: piece, retaining: .outputs, firstSample: range.lowerBound)
      seconds += (ContinuousClock.now - start).seconds
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
      output: try concatenate(outputs), statistics: statistics,
      executeSeconds: seconds)
    outcome.top1 = statistics?.top1
    outcome.top5 = statistics?.top5
    if dump { outcome.dump = DumpEntry.concatenating(dumps) }
    return outcome
  }

  /// Consecutive sample ranges of at most `batchSize` (all at once by
  /// default).
  static func slices(_ input: FloatTensor, batchSize: Int?) -> [Range<Int>] {
    let count = input.shape.first ?? 0
    let size = max(1, batchSize ?? count)
    return stride(from: 0, to: count, by: size).map {
      $0..<min(count, $0 + size)
    }
  }

  /// The samples `range` of a batch.
  static func slice(_ tensor: FloatTensor, _ range: Range<Int>) -> FloatTensor {
    guard let count = tensor.shape.first, count > 0, range != 0..<count else {
      return tensor
    }
    let per = tensor.values.count / count
    var shape = tensor.shape
    shape[0] = range.count
    let values = Array(
      tensor.values[(range.lowerBound * per)..<(range.upperBound * per)])
    return (try? FloatTensor(shape: shape, values: values)) ?? tensor
  }

  /// Joins batches along the first axis.
  static func concatenate(_ pieces: [FloatTensor]) throws(ExecutionError)
    -> FloatTensor
  {
    guard var shape = pieces.first?.shape else {
      throw .invalidInput(message: "no samples")
    }
    guard pieces.count > 1, !shape.isEmpty else { return pieces[0] }
    shape[0] = pieces.reduce(0) { $0 + ($1.shape.first ?? 0) }
    return try FloatTensor(shape: shape, values: pieces.flatMap(\.values))
  }
}

extension Duration {
  /// The duration in seconds.
  var seconds: Double {
    let (whole, attoseconds) = components
    return Double(whole) + Double(attoseconds) * 1e-18
  }
}
