import FixedPointArithmetic
import NetworkGraph

extension FixedPointExecutor {
  /// Runs an outputs-only batch in chunks of samples, each chunk through the
  /// whole network on one core, the cores sharing the chunks.
  ///
  /// Samples are independent and stochastic rounding is counted from the
  /// sample's index in the whole batch (§7), so the outputs and events equal
  /// those of one whole-batch run bit for bit. A chunk's tensors are small,
  /// stay in cache and are released as soon as their last reader has run;
  /// nothing but the graph outputs is kept.
  ///
  /// - Returns: `nil` when the batch cannot be split this way (a chunk's
  ///   samples or fewer, inputs of different batch sizes, a network that
  ///   mixes samples (``SampleIndependence``), or a node output whose first
  ///   dimension is not the chunk's samples); the caller then runs the batch
  ///   whole.
  ///   A chunk's error is not returned either: the caller's whole-batch
  ///   run reports it with indices in the whole batch.
  func runInChunks(inputs: [String: FloatTensor], firstSample: Int = 0)
    -> FixedPointRun?
  {
    guard let count = inputs.values.first?.shape.first,
      count > samplesPerChunk,
      SampleIndependence.holds(for: network),
      inputs.values.allSatisfy({ $0.shape.first == count })
    else { return nil }
    let ranges = Parallel.sampleChunks(
      count, cores: concurrency, perChunk: samplesPerChunk)
    var copy = self
    copy.concurrency = 1
    let single = copy
    let pieces = Parallel.map(ranges.count) { index -> FixedPointRun? in
      let range = ranges[index]
      let slices = inputs.mapValues { $0.samples(range) }
      guard
        let run = try? single.runWhole(
          inputs: slices, batchStart: firstSample &+ range.lowerBound,
          retention: .outputs, samples: range.count),
        run.outputs.allSatisfy({ $0.shape.first == range.count })
      else { return nil }
      return run
    }
    guard pieces.count == ranges.count else { return nil }
    var runs: [FixedPointRun] = []
    for piece in pieces {
      guard let piece else { return nil }
      runs.append(piece)
    }
    return Self.joining(runs)
  }

  /// One run from the runs of consecutive chunks: outputs joined along the
  /// batch, events added.
  static func joining(_ runs: [FixedPointRun]) -> FixedPointRun? {
    guard var joined = runs.first else { return nil }
    for run in runs.dropFirst() {
      joined.inputEvents.merge(run.inputEvents)
      for (name, events) in run.events {
        joined.events[name, default: NodeEvents()].merge(events)
      }
    }
    guard let outputs = TensorValue.joiningChunks(runs.map(\.outputs)) else {
      return nil
    }
    joined.outputs = outputs
    return joined
  }
}

extension FloatTensor {
  /// The samples `range` (along the first dimension).
  func samples(_ range: Range<Int>) -> FloatTensor {
    guard let count = shape.first, count > 0, range != 0..<count else {
      return self
    }
    let per = values.count / count
    var result = shape
    result[0] = range.count
    return FloatTensor(
      unchecked: result,
      values: Array(values[(range.lowerBound * per)..<(range.upperBound * per)])
    )
  }
}

extension TensorValue {
  /// The outputs of consecutive chunks of a batch joined position by
  /// position along the batch; `nil` when a chunk failed (`nil`), the
  /// chunks have different numbers of outputs, or an output does not join.
  static func joiningChunks(_ chunks: [[TensorValue]?]) -> [TensorValue]? {
    var complete: [[TensorValue]] = []
    for chunk in chunks {
      guard let chunk, chunk.count == complete.first?.count ?? chunk.count
      else { return nil }
      complete.append(chunk)
    }
    guard let first = complete.first else { return nil }
    var joined: [TensorValue] = []
    for position in first.indices {
      guard let output = concatenating(complete.map { $0[position] }) else {
        return nil
      }
      joined.append(output)
    }
    return joined
  }

  /// Tensors of one kind and format joined along the first dimension;
  /// `nil` when they differ in kind, format or trailing dimensions.
  static func concatenating(_ pieces: [TensorValue]) -> TensorValue? {
    guard let first = pieces.first,
      var shape = first.shape.first.map({ _ in first.shape })
    else { return nil }
    let trailing = shape.dropFirst()
    guard pieces.allSatisfy({ $0.shape.dropFirst() == trailing }) else {
      return nil
    }
    shape[0] = pieces.reduce(0) { $0 + ($1.shape.first ?? 0) }
    switch first {
    case .fixed(let head):
      var raws: [Int64] = []
      raws.reserveCapacity(FloatTensor.count(shape))
      for piece in pieces {
        guard case .fixed(let tensor) = piece, tensor.format == head.format
        else { return nil }
        raws += tensor.raws
      }
      return .fixed(
        RawTensor(unchecked: shape, raws: raws, format: head.format))
    case .float:
      var values: [Float] = []
      values.reserveCapacity(FloatTensor.count(shape))
      for piece in pieces {
        guard case .float(let tensor) = piece else { return nil }
        values += tensor.values
      }
      return .float(FloatTensor(unchecked: shape, values: values))
    }
  }
}
