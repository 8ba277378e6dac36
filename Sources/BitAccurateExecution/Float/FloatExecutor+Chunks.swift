import NetworkGraph

extension FloatExecutor {
  /// The graph outputs of one batch fed to the network's first input: the
  /// ``FloatRun/outputs`` of ``run(input:)``, bit for bit, without keeping
  /// the other tensors.
  ///
  /// A batch of more than a chunk's samples goes through the network in
  /// chunks (at most 32 samples, fewer for large samples, as many as a
  /// multiple of the cores), each chunk on one core with its intermediates
  /// freed after their last reader. Samples are independent and every kernel computes each element
  /// the same way whatever the split, so the outputs do not change.
  ///
  /// - Throws: ``ExecutionError`` as ``run(input:)`` does (a failing chunk
  ///   is run again as one batch, so that errors name whole-batch indices).
  public func outputs(input: FloatTensor) throws(ExecutionError)
    -> [FloatTensor]
  {
    guard
      let first = network.inputs.first(where: {
        network.initializer(named: $0.name) == nil
      })
    else { throw .invalidInput(message: "the network has no input") }
    let releasing = network.lastReads()
    let name = first.name
    // A network whose import folded its batch into constants runs exactly
    // that many samples at a time.
    let perChunk =
      network.foldedBatch
      ?? Parallel.samplesPerChunk(
        sampleElements: Parallel.largestSampleElements(network),
        bytes: MemoryLayout<Float>.size)
    guard let count = input.shape.first, count > perChunk,
      SampleIndependence.holds(for: network)
    else {
      return try runWhole(inputs: [name: input], releasing: releasing).outputs
    }
    let ranges = Parallel.sampleChunks(
      count, cores: concurrency, perChunk: perChunk)
    var copy = self
    copy.concurrency = 1
    let single = copy
    let pieces = Parallel.map(ranges.count) { index -> [FloatTensor]? in
      let range = ranges[index]
      guard
        let outputs = try? single.runWhole(
          inputs: [name: input.samples(range)], releasing: releasing,
          samples: range.count
        ).outputs,
        outputs.allSatisfy({ $0.shape.first == range.count })
      else { return nil }
      return outputs
    }
    let joined = TensorValue.joiningChunks(
      pieces.map { $0?.map { TensorValue.float($0) } })
    guard let joined, !joined.isEmpty else {
      return try runWhole(inputs: [name: input]).outputs
    }
    return joined.map(\.floatTensor)
  }
}
