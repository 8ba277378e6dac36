import FixedPointArithmetic
import NetworkGraph

extension FixedPointExecutor {
  /// Runs a batch and gathers the §9 statistics of every layer and role.
  ///
  /// The float network runs on the same input for the end-to-end error;
  /// each node's float kernel runs on the dequantized fixed-point inputs
  /// with float constants for the local error.
  ///
  /// - Parameters:
  ///   - input: The batch.
  ///   - labels: Class indices, one per sample, for top-1 / top-5.
  /// - Returns: The run (with wide tensors) and its statistics.
  /// - Throws: Any error of the fixed-point or the float run.
  public func runWithStatistics(input: FloatTensor, labels: [Int]? = nil)
    throws(ExecutionError)
    -> (run: FixedPointRun, statistics: NetworkStatistics)
  {
    let run = try self.run(input: input, keepWide: true)
    let float = try FloatExecutor(network: network, concurrency: concurrency)
      .run(input: input)
    return (
      run, try statistics(of: run, input: input, float: float, labels: labels)
    )
  }

  /// The §9 statistics of each of a few slices of a batch, the slices on
  /// the cores at once (each on one core: a slice of few samples keeps one
  /// core busy); each is what ``runWithStatistics(input:labels:)`` gives
  /// on that slice alone (with `constants` for the first only), in slice
  /// order, so merging them in order gives the sequential merge's figures.
  ///
  /// - Parameters:
  ///   - ranges: The slices' sample ranges in `data`.
  ///   - data: The batch.
  ///   - labels: Class indices for the whole batch.
  ///   - constants: Whether the first slice's statistics include the
  ///     weights and biases (later slices' never do).
  /// - Returns: The statistics of each slice.
  /// - Throws: The first slice's error, in slice order.
  public func statistics(
    slices ranges: [Range<Int>], of data: FloatTensor, labels: [Int]?,
    constants: Bool
  ) throws(ExecutionError) -> [NetworkStatistics] {
    var fixed = self
    if ranges.count > 1 { fixed.concurrency = 1 }
    let reference = try FloatExecutor(
      network: network, concurrency: fixed.concurrency)
    let executor = fixed
    let results = Parallel.map(ranges.count) {
      index -> Result<NetworkStatistics, ExecutionError> in
      do throws(ExecutionError) {
        let range = ranges[index]
        let piece = data.samples(range)
        let run = try executor.run(
          input: piece, keepWide: true, firstSample: range.lowerBound)
        let float = try reference.run(input: piece)
        return .success(
          try executor.statistics(
            of: run, input: piece, float: float,
            labels: labels.map { Array($0[range]) },
            constants: constants && index == 0))
      } catch {
        return .failure(error)
      }
    }
    var parts: [NetworkStatistics] = []
    for result in results {
      switch result {
      case .success(let part): parts.append(part)
      case .failure(let error): throw error
      }
    }
    return parts
  }

  /// The §9 statistics of a run against its float reference.
  ///
  /// - Parameters:
  ///   - run: The fixed-point run, with its wide tensors.
  ///   - input: Its input batch.
  ///   - float: The float network's run on the same batch.
  ///   - labels: Class indices, one per sample, for top-1 / top-5.
  ///   - constants: Whether to include the weight and bias statistics
  ///     (their bits moved, and their overflows in the total), which are the
  ///     same for every batch: a caller merging the statistics of slices of
  ///     one batch needs them from the first slice only (merging recounts
  ///     the total from the merged layers).
  /// - Returns: The statistics of every layer and role.
  /// - Throws: An error of a node's local float reference.
  public func statistics(
    of run: FixedPointRun, input: FloatTensor, float: FloatRun, labels: [Int]?,
    constants: Bool = true
  ) throws(ExecutionError) -> NetworkStatistics {
    var bitsMoved: [String: Int] = [:]
    var macs: [MACFormat: Int] = [:]
    let inputStatistics = Self.inputStatistics(
      run.inputs, events: run.inputEvents, input: input,
      bitsMoved: &bitsMoved)
    var layers: [LayerStatistics] = []
    func lookup(_ name: String) -> TensorValue? {
      run.inputs[name].map { .fixed($0) } ?? run.tensors[name]
    }
    for prepared in prepared {
      let node = prepared.node
      guard let outputName = node.outputs.first,
        let value = run.tensors[outputName]
      else { continue }
      layers.append(
        try layerStatistics(
          prepared, value: value, events: run.events[node.name] ?? NodeEvents(),
          wide: run.wide[node.name], reference: float.tensors[outputName],
          lookup: lookup, constants: constants, bitsMoved: &bitsMoved,
          macs: &macs))
    }
    return Self.networkStatistics(
      input: inputStatistics, inputEvents: run.inputEvents, layers: layers,
      scores: run.outputs.first?.floatTensor, floatScores: float.outputs.first,
      labels: labels, bitsMoved: bitsMoved, macs: macs)
  }

  /// The §9 statistics of the quantized network input (the first of
  /// `inputs`), the bits moved of every input added to `bitsMoved`.
  static func inputStatistics(
    _ inputs: [String: RawTensor], events: OverflowCounts,
    input floats: FloatTensor, bitsMoved: inout [String: Int]
  ) -> TensorStatistics {
    guard let raw = inputs.values.first else {
      return TensorStatistics(floatCount: floats.values.count)
    }
    let underflows = zip(raw.raws, floats.values).filter { $0 == 0 && $1 != 0 }
      .count
    var statistics = TensorStatistics(
      raws: raw.raws, format: raw.format, overflow: events,
      underflowToZero: underflows)
    statistics.endToEnd = ErrorStatistics(
      raws: raw.raws, format: raw.format, reference: floats.values)
    for (name, tensor) in inputs {
      bitsMoved[name] = tensor.format.bits * tensor.raws.count
    }
    return statistics
  }

  /// The §9 statistics of one node of a run: its output `value`, its
  /// events, its wide integers, the float network's value of its output
  /// (`reference`) and, through `lookup`, the live tensors it read (for its
  /// local reference); its bits moved and MACs added to `bitsMoved` and
  /// `macs`.
  ///
  /// - Throws: An error of the node's local float reference.
  func layerStatistics(
    _ prepared: PreparedNode, value: TensorValue, events: NodeEvents,
    wide: WideTensor?, reference: FloatTensor?,
    lookup: (String) -> TensorValue?, constants: Bool,
    bitsMoved: inout [String: Int], macs: inout [MACFormat: Int]
  ) throws(ExecutionError) -> LayerStatistics {
    let node = prepared.node
    let outputName = node.outputs.first ?? ""
    var output: TensorStatistics
    switch value {
    case .float(let tensor):
      output = TensorStatistics(floatCount: tensor.values.count)
      bitsMoved[outputName] = 32 * tensor.values.count
      if let reference {
        output.endToEnd = ErrorStatistics(
          floats: tensor.values, reference: reference.values)
      }
    case .fixed(let tensor):
      let local = try localReference(prepared, lookup: lookup)
      output = TensorStatistics(
        raws: tensor.raws, format: tensor.format, overflow: events.output,
        endToEnd: reference?.values, local: local?.values)
      bitsMoved[outputName] = tensor.format.bits * tensor.raws.count
    }
    var layer = LayerStatistics(
      name: node.name, opType: node.op.opType, kind: prepared.layer.kind,
      weight: nil,
      bias: nil, accumulator: nil, output: output,
      inputRequantization: events.inputs, macs: 0,
      macFormat: nil)
    layer.nonlinear = prepared.layer.nonlinear
    if constants,
      let (index, weights) = prepared.constants.min(by: { $0.key < $1.key })
    {
      var all: [Int64] = []
      var floats: [Float] = []
      for key in prepared.constants.keys.sorted() {
        all += prepared.constants[key]?.raws ?? []
        floats += prepared.constantFloats[key] ?? []
      }
      var statistics = TensorStatistics(
        raws: all, format: weights.format, overflow: prepared.weightEvents,
        underflowToZero: prepared.weightUnderflows)
      statistics.local = ErrorStatistics(
        quantized: all.map {
          FixedPoint.dequantize($0, from: weights.format)
        }, reference: floats,
        resolution: weights.format.resolution)
      layer.weight = statistics
      _ = index
      for key in prepared.constants.keys {
        let name = node.inputs[key]
        bitsMoved[name] =
          weights.format.bits * (prepared.constants[key]?.raws.count ?? 0)
      }
    }
    if constants, let bias = prepared.bias,
      let accumulator = prepared.layer.accumulator
    {
      let stored = prepared.biasStored
      let format = stored?.format ?? accumulator
      let raws = stored?.raws ?? bias
      var statistics = TensorStatistics(
        raws: raws, format: format, overflow: prepared.biasEvents,
        underflowToZero: prepared.biasUnderflows)
      statistics.local = ErrorStatistics(
        quantized: bias.map { FixedPoint.dequantize($0, from: accumulator) },
        reference: prepared.biasFloats, resolution: format.resolution)
      layer.bias = statistics
      if node.inputs.count > 2 {
        bitsMoved[node.inputs[2]] = format.bits * raws.count
      }
    }
    if let wide, let accumulator = wide.accumulator {
      var statistics = TensorStatistics(
        raws: wide.values, format: accumulator,
        overflow: events.accumulator.elements,
        underflowToZero: 0)
      if prepared.layer.accumulatorPolicy == .saturateEachStep {
        statistics.stepOverflow = events.accumulator.steps
      }
      layer.accumulator = statistics
      if let weight = prepared.layer.weight
        ?? prepared.constants.values.first?.format,
        let terms = prepared.layer.terms,
        let x = node.inputs.first.flatMap({ lookup($0)?.format })
      {
        layer.macs = wide.values.count * terms
        let key = MACFormat(
          weightBits: weight.bits, inputBits: x.bits,
          accumulatorBits: accumulator.bits)
        layer.macFormat = key
        macs[key, default: 0] += layer.macs
      }
    }
    return layer
  }

  /// The network's statistics from those of its input and layers (in
  /// execution order), and top-1 / top-5 from the first output's scores
  /// and the float network's.
  static func networkStatistics(
    input: TensorStatistics, inputEvents: OverflowCounts,
    layers: [LayerStatistics], scores: FloatTensor?, floatScores: FloatTensor?,
    labels: [Int]?, bitsMoved: [String: Int], macs: [MACFormat: Int]
  ) -> NetworkStatistics {
    var total = inputEvents.total
    for layer in layers { total += layer.totalOverflows }
    var top1: Double?
    var top5: Double?
    var floatTop1: Double?
    var agreement = 0.0
    var samples = 0
    if let scores, let floatScores {
      let ours = Classification.topK(scores, k: 1)
      let theirs = Classification.topK(floatScores, k: 1)
      samples = ours.count
      if samples > 0 {
        agreement =
          Double(zip(ours, theirs).filter { $0 == $1 }.count) / Double(samples)
      }
      if let labels {
        top1 = Classification.accuracy(scores, labels: labels, k: 1)
        top5 = Classification.accuracy(scores, labels: labels, k: 5)
        floatTop1 = Classification.accuracy(floatScores, labels: labels, k: 1)
      }
    }
    return NetworkStatistics(
      input: input, layers: layers, samples: samples, top1: top1,
      top5: top5,
      floatTop1: floatTop1, top1Agreement: agreement, totalOverflows: total,
      bitsMoved: bitsMoved, macs: macs)
  }

  /// The node's float kernel on its dequantized fixed-point inputs and the
  /// float constants (the "local" reference of §9), its inputs' values from
  /// `lookup`.
  func localReference(
    _ prepared: PreparedNode, lookup: (String) -> TensorValue?
  )
    throws(ExecutionError)
    -> FloatTensor?
  {
    let node = prepared.node
    guard prepared.layer.kind != .formatPreserving else { return nil }
    var operands: [FloatTensor?] = []
    for name in node.inputs {
      if name.isEmpty {
        operands.append(nil)
      } else if let constant = network.initializer(named: name) {
        guard let floats = constant.floatValues else {
          throw .missingData(tensor: name)
        }
        operands.append(
          FloatTensor(unchecked: constant.shape.dims, values: floats))
      } else if let value = lookup(name) {
        operands.append(value.floatTensor)
      } else {
        return nil
      }
    }
    return try FloatKernels.evaluate(
      node, operands, network: network, concurrency: concurrency)
  }
}
