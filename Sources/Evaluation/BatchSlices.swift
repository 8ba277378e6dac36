import BitAccurateExecution

/// Consecutive slices of a batch of samples, and joining results back.
///
/// The executors are deterministic and samples independent, so the slice
/// size never changes outputs, dumps or statistics.
public enum BatchSlices {
  /// Consecutive sample ranges of at most `batchSize` (all at once by
  /// default).
  public static func ranges(_ input: FloatTensor, batchSize: Int?)
    -> [Range<Int>]
  {
    let count = input.shape.first ?? 0
    let size = max(1, batchSize ?? count)
    return stride(from: 0, to: count, by: size).map {
      $0..<min(count, $0 + size)
    }
  }

  /// The samples `range` of a batch.
  public static func slice(_ tensor: FloatTensor, _ range: Range<Int>)
    -> FloatTensor
  {
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
  public static func concatenate(_ pieces: [FloatTensor])
    throws(ExecutionError) -> FloatTensor
  {
    guard var shape = pieces.first?.shape else {
      throw .invalidInput(message: "no samples")
    }
    guard pieces.count > 1, !shape.isEmpty else { return pieces[0] }
    shape[0] = pieces.reduce(0) { $0 + ($1.shape.first ?? 0) }
    return try FloatTensor(shape: shape, values: pieces.flatMap(\.values))
  }
}
