import FixedPointArithmetic
import NetworkGraph
import PrecisionModel

extension CalibrationSession {
  /// The plan for the formats chosen so far: the input, and every
  /// calibrated layer's weight and activation formats listed explicitly.
  func plan(sharedFractionalLength shared: Int? = nil) -> PrecisionPlan {
    var defaults = configuration.arithmetic
    let firstWeight = calibrated.first { weights[$0.name] != nil }
    defaults.weight = FormatSpec(
      bits: configuration.weightBits,
      fractionalLength: shared ?? firstWeight.flatMap {
        weightFractionalLengths[$0.name]
      }
        ?? configuration.weightBits - 1)
    defaults.activation = FormatSpec(
      bits: configuration.activationBits,
      fractionalLength: shared ?? calibrated.first.flatMap {
        activationFractionalLengths[$0.name]
      }
        ?? configuration.activationBits - 1)
    var plan = PrecisionPlan(
      input: FormatSpec(
        bits: inputBits, fractionalLength: shared ?? inputFractionalLength),
      defaults: defaults)
    for node in calibrated {
      var entry = LayerPrecision()
      if weights[node.name] != nil {
        entry.weight = FormatSpec(
          bits: weightBits(node),
          fractionalLength: shared ?? weightFractionalLengths[node.name])
      }
      entry.activation = FormatSpec(
        bits: activationBits(node),
        fractionalLength: shared ?? activationFractionalLengths[node.name])
      if shared == nil, let later = outputFractionalLengths[node.name] {
        entry.outputs = node.outputs.compactMap { name in
          later[name].map {
            OutputFormat(
              name: name,
              format: FormatSpec(
                bits: activationBits(node), fractionalLength: $0))
          }
        }
      }
      plan.setEntry(entry, for: node.name)
    }
    return plan
  }

  /// Runs the calibration data under a plan; with `through`, only the
  /// nodes up to and including that one (what a layer's data phase needs).
  func run(_ plan: PrecisionPlan, keepWide: Bool, through: String? = nil)
    throws(ExecutionError)
    -> FixedPointRun
  {
    let executor = try FixedPointExecutor(
      network: network, plan: plan, concurrency: concurrency)
    guard let through else {
      return try executor.run(input: data, keepWide: keepWide)
    }
    guard
      let first = network.inputs.first(where: {
        network.initializer(named: $0.name) == nil
      })
    else { throw .invalidInput(message: "the network has no input") }
    return try executor.runWhole(
      inputs: [first.name: data], batchStart: 0, keepWide: keepWide,
      through: through)
  }

  /// Qiu's weight phase (§8): per layer, argmin over the candidates of the
  /// weight quantization error; ties to the smaller fl.
  ///
  /// Also picks the input's fl by the same objective on the calibration data.
  mutating func weightPhase() throws(ExecutionError) {
    let inputs = candidates(Self.maxMagnitude(data.values), bits: inputBits)
    inputFractionalLength =
      FixedPoint.bestFractionalLength(
        inputs.map {
          (
            $0,
            quantizationError(
              data.values, bits: inputBits, fractionalLength: $0)
          )
        })
      ?? inputFractionalLength
    for node in calibrated {
      guard let values = weights[node.name] else { continue }
      let bits = weightBits(node)
      let scored = candidates(Self.maxMagnitude(values), bits: bits).map {
        (
          fractionalLength: $0,
          error: quantizationError(values, bits: bits, fractionalLength: $0)
        )
      }
      if let best = FixedPoint.bestFractionalLength(scored) {
        weightFractionalLengths[node.name] = best
        weightErrors[node.name] =
          scored.first { $0.fractionalLength == best }?.error
      }
    }
  }

  /// Qiu's data phase (§8): in forward order, with earlier layers already
  /// in fixed point, the fl minimising Σ |y_float − deq(requant(acc, fl))|
  /// over the calibration set; ties to the smaller fl.
  ///
  /// The network runs once, node by node: a layer's accumulators come from
  /// the live tensors of the nodes before it (``FixedPointState``), which
  /// already carry the formats chosen for earlier layers; the state is
  /// rebuilt from the input only when a choice changes an earlier node (a
  /// Concat's producers).
  mutating func dataPhase() throws(ExecutionError) {
    // The batch goes through in chunks of samples (those of an outputs-only
    // run), each chunk on one core; a layer's objective is summed chunk
    // after chunk in sample order, so every sum is the whole batch's.
    let count = data.shape.first ?? 0
    var executor = try FixedPointExecutor(
      network: network, plan: plan(), concurrency: concurrency)
    let ranges =
      SampleIndependence.holds(for: network)
      ? Parallel.sampleChunks(
        count, cores: executor.concurrency,
        perChunk: executor.samplesPerChunk)
      : [0..<count]
    if ranges.count > 1 { executor.concurrency = 1 }
    let floatExecutor = try FloatExecutor(
      network: network, concurrency: executor.concurrency)
    let floatReads = floatExecutor.network.lastReads()
    let pieces = ranges.map { ranges.count > 1 ? data.samples($0) : data }
    var floatStates: [FloatState] = []
    for piece in pieces {
      floatStates.append(try floatExecutor.start(input: piece))
    }
    func starts(_ executor: FixedPointExecutor) throws(ExecutionError)
      -> [FixedPointState]
    {
      var states: [FixedPointState] = []
      for (index, piece) in pieces.enumerated() {
        states.append(
          try executor.start(
            input: piece, firstSample: ranges[index].lowerBound))
      }
      return states
    }
    var states = try starts(executor)
    for node in calibrated {
      let bits = activationBits(node)
      // The float reference of this layer, from the float network stepped
      // up to it; its maximum gives the candidates' centre (§8).
      var references: [FloatTensor]?
      if let outputName = node.outputs.first, !outputName.isEmpty,
        let position = floatExecutor.network.nodes.firstIndex(where: {
          $0.name == node.name
        })
      {
        floatStates = try Self.eachInPlace(floatStates) {
          state throws(ExecutionError) in
          try floatExecutor.advance(
            &state, to: position + 1, lastReads: floatReads)
        }
        var later: [String: [Float]] = [:]
        for name in node.outputs.dropFirst() where !name.isEmpty {
          let parts = floatStates.compactMap { $0.values[name] }
          if parts.count == floatStates.count {
            later[name] = parts.flatMap(\.values)
          }
        }
        calibrateLaterOutputs(node, references: later)
        let found = floatStates.compactMap { $0.values[outputName] }
        if found.count == floatStates.count {
          references = found
          activationMaxima[outputName] = found.reduce(0.0) {
            max($0, Self.maxMagnitude($1.values))
          }
        }
      }
      activationFractionalLengths[node.name] = centre(
        activationMaximum(node), bits: bits)
      guard let outputName = node.outputs.first, let references else {
        continue
      }
      let options = candidates(activationMaximum(node), bits: bits)
      let current = plan()
      let revised = try executor.revised(plan: current)
      if revised.firstDifference(from: executor)
        < (states.first?.position ?? 0)
      {
        states = try starts(revised)
      }
      executor = revised
      guard let position = executor.position(of: node.name) else { continue }
      let stepper = executor
      states = try Self.eachInPlace(states) { state throws(ExecutionError) in
        _ = try stepper.advance(&state, to: position)
      }
      var scored: [(fractionalLength: Int, error: Double)] = []
      let layer = executor.precision.layers[node.name]
      let stream = StochasticStream(seed: current.seed, tensorName: outputName)
      var sums: [(fractionalLength: Int, error: Double)]? = nil
      var first = 0
      // Chunks a few at a time (their accumulators in parallel), scored in
      // order.
      var start = 0
      while start < states.count {
        let group = start..<min(states.count, start + max(1, concurrency ?? 1))
        let wides = try Self.each(Array(states[group])) {
          state throws(ExecutionError) -> WideTensor? in
          var probe = state
          return try stepper.advance(
            &probe, to: position + 1, wideOf: position)
        }
        guard wides.allSatisfy({ $0 != nil }) else {
          sums = nil
          break
        }
        for (offset, wide) in wides.enumerated() {
          guard let wide else { continue }
          let reference = references[group.lowerBound + offset].values
          sums = scores(
            wide, reference: reference, options: options, bits: bits,
            layer: layer, stream: stream, first: first,
            from: sums?.map(\.error))
          first += min(wide.values.count, reference.count)
        }
        start = group.upperBound
      }
      if let sums {
        scored = sums
      } else {
        // A Concat's producers output its format (§5 Concat, DPU-style), so
        // the candidates are tried on them too and the requantization
        // into the concat is free.
        let reference =
          references.count == 1
          ? references[0].values : references.flatMap(\.values)
        let producers = concatProducers(node, bits: bits)
        for fl in options {
          var trial = self
          trial.activationFractionalLengths[node.name] = fl
          for producer in producers {
            trial.activationFractionalLengths[producer] = fl
          }
          let output = try trial.run(
            trial.plan(), keepWide: false, through: node.name
          )
          .tensors[outputName]
          guard case .fixed(let tensor)? = output else { continue }
          scored.append((fl, error(tensor.dequantized(), reference)))
        }
      }
      if let best = FixedPoint.bestFractionalLength(scored) {
        activationFractionalLengths[node.name] = best
        activationErrors[node.name] =
          scored.first { $0.fractionalLength == best }?.error
        for producer in concatProducers(node, bits: bits) {
          activationFractionalLengths[producer] = best
        }
      }
    }
  }

  /// `body` applied to each element, the elements on the cores at once;
  /// the first error (in element order) is thrown.
  static func each<T: Sendable, R: Sendable>(
    _ items: [T],
    _ body: @Sendable (inout T) throws(ExecutionError) -> R
  ) throws(ExecutionError) -> [R] where T: Sendable {
    let results = Parallel.map(items.count) {
      index -> Result<(T, R), ExecutionError> in
      var item = items[index]
      do throws(ExecutionError) {
        let value = try body(&item)
        return .success((item, value))
      } catch {
        return .failure(error)
      }
    }
    var values: [R] = []
    for result in results {
      switch result {
      case .success(let (_, value)): values.append(value)
      case .failure(let error): throw error
      }
    }
    return values
  }

  /// `body` applied to each element in place, the elements on the cores at
  /// once; the first error (in element order) is thrown.
  static func eachInPlace<T: Sendable>(
    _ items: [T], _ body: @Sendable (inout T) throws(ExecutionError) -> Void
  ) throws(ExecutionError) -> [T] {
    let results = Parallel.map(items.count) {
      index -> Result<T, ExecutionError> in
      var item = items[index]
      do throws(ExecutionError) {
        try body(&item)
        return .success(item)
      } catch {
        return .failure(error)
      }
    }
    var updated: [T] = []
    for result in results {
      switch result {
      case .success(let item): updated.append(item)
      case .failure(let error): throw error
      }
    }
    return updated
  }

  /// The data-phase objective of each candidate fl: the accumulators
  /// requantized to (B, fl) as the layer would (its rounding and overflow,
  /// §7 samples by flat index), dequantized, against the float reference.
  ///
  /// Streamed in blocks: no whole-tensor copy is made, and each
  /// candidate's sum runs over the elements in order on one core (the
  /// candidates share the cores), so every sum is the one a single pass
  /// over whole arrays gives.
  ///
  /// `first` is the flat index of the block's first element in the whole
  /// batch (§7 samples); `sums` continues the sums of earlier blocks.
  func scores(
    _ wide: WideTensor, reference: [Float], options: ClosedRange<Int>,
    bits: Int, layer: ResolvedLayer?, stream: StochasticStream,
    first offset: Int = 0, from sums: [Double]? = nil
  ) -> [(fractionalLength: Int, error: Double)] {
    let formats = options.compactMap { fl in
      (try? QFormat(bits: bits, fractionalLength: fl)).map { (fl, $0) }
    }
    let count = min(wide.values.count, reference.count)
    let objective = configuration.objective
    let errors = Parallel.map(formats.count) { index -> Double in
      let format = formats[index].1
      let requantization = Requantization(
        from: wide.fractionalLength, to: format,
        rounding: layer?.rounding ?? .requantizationDefault,
        overflow: layer?.outputOverflow ?? .saturate, stream: stream,
        indexBase: 0, rectify: false)
      let block = 4096
      var raws = [Int64](repeating: 0, count: block)
      var sum = sums.map { $0.indices.contains(index) ? $0[index] : 0 } ?? 0
      wide.values.withUnsafeBufferPointer { source in
        reference.withUnsafeBufferPointer { floats in
          raws.withUnsafeMutableBufferPointer { target in
            guard let s = source.baseAddress, let t = target.baseAddress
            else { return }
            var first = 0
            while first < count {
              let n = min(block, count - first)
              _ = requantization.apply(
                s + first, into: t, count: n, first: offset + first)
              for i in 0..<n {
                let e =
                  FixedPoint.dequantize(t[i], from: format)
                  - Double(floats[first + i])
                switch objective {
                case .l1: sum += abs(e)
                case .l2: sum += e * e
                }
              }
              first += n
            }
          }
        }
      }
      return sum
    }
    return zip(formats, errors).map { ($0.0, $1) }
  }

  /// For a Concat, the calibrated nodes whose output reaches one of its
  /// inputs through format-preserving nodes only (Relu, MaxPool, …), that
  /// have the same activation width and whose output feeds nothing else;
  /// empty for other nodes.
  func concatProducers(_ node: Node, bits: Int) -> [String] {
    guard case .concat = node.op else { return [] }
    let producerOf = Dictionary(
      network.nodes.enumerated().compactMap { index, node in
        node.outputs.first.map { ($0, index) }
      }, uniquingKeysWith: { first, _ in first })
    let consumers = network.consumers()
    let names = Set(calibrated.map(\.name))
    var result: [String] = []
    for input in node.inputs {
      var tensor = input
      while let index = producerOf[tensor] {
        let producer = network.nodes[index]
        guard (consumers[tensor] ?? []).count == 1 else { break }
        if NodeKind(producer.op) == .formatPreserving,
          let source = producer.inputs.first
        {
          tensor = source
          continue
        }
        if names.contains(producer.name), NodeKind(producer.op) == .computing,
          activationBits(producer) == bits, !result.contains(producer.name)
        {
          result.append(producer.name)
        }
        break
      }
    }
    return result
  }

  /// Ristretto's rule (§8 `ilRule`): weights IL = ceil(log2 M) + 1,
  /// activations and the input IL = ceil(log2 M); fl = B − IL.
  mutating func integerLengthRule() {
    func rule(_ magnitude: Double, _ bits: Int, _ role: CalibrationRole) -> Int
    {
      let fl =
        (try? FixedPoint.ilRuleFractionalLength(
          maxMagnitude: magnitude, bits: bits, role: role))
        ?? bits - 1
      return min(
        max(fl, QFormat.fractionalLengths.lowerBound),
        QFormat.fractionalLengths.upperBound)
    }
    inputFractionalLength = rule(
      Self.maxMagnitude(data.values), inputBits, .activations)
    for node in calibrated {
      if let values = weights[node.name] {
        weightFractionalLengths[node.name] = rule(
          Self.maxMagnitude(values), weightBits(node), .weights)
      }
      activationFractionalLengths[node.name] = rule(
        activationMaximum(node), activationBits(node), .activations)
      if NodeKind(node.op) == .floatIsland {
        for name in node.outputs.dropFirst() where !name.isEmpty {
          if let magnitude = activationMaxima[name] {
            outputFractionalLengths[node.name, default: [:]][name] = rule(
              magnitude, activationBits(node), .activations)
          }
        }
      }
    }
  }

  /// Static precision: one fl for the input, every weight and every
  /// activation, the candidate minimising the objective summed over all of
  /// them (input, weights, each layer's output against the float network);
  /// ties to the smaller fl.
  mutating func staticPrecision() throws(ExecutionError) {
    var low = Int.max
    var high = Int.min
    func widen(_ range: ClosedRange<Int>) {
      low = min(low, range.lowerBound)
      high = max(high, range.upperBound)
    }
    widen(candidates(Self.maxMagnitude(data.values), bits: inputBits))
    for node in calibrated {
      if let values = weights[node.name] {
        widen(candidates(Self.maxMagnitude(values), bits: weightBits(node)))
      }
      widen(candidates(activationMaximum(node), bits: activationBits(node)))
    }
    guard low <= high else { return }
    var scored: [(fractionalLength: Int, error: Double)] = []
    for fl in low...high {
      let plan = plan(sharedFractionalLength: fl)
      var total = quantizationError(
        data.values, bits: inputBits, fractionalLength: fl)
      for node in calibrated {
        if let values = weights[node.name] {
          total += quantizationError(
            values, bits: weightBits(node), fractionalLength: fl)
        }
      }
      let run = try run(plan, keepWide: false)
      for node in calibrated {
        guard let name = node.outputs.first,
          let reference = float?.tensors[name],
          case .fixed(let tensor)? = run.tensors[name]
        else { continue }
        total += error(tensor.dequantized(), reference.values)
      }
      scored.append((fl, total))
    }
    guard let best = FixedPoint.bestFractionalLength(scored) else { return }
    inputFractionalLength = best
    for node in calibrated {
      if weights[node.name] != nil { weightFractionalLengths[node.name] = best }
      activationFractionalLengths[node.name] = best
      activationErrors[node.name] =
        scored.first { $0.fractionalLength == best }?.error
    }
  }

  /// The final plan, run once for the report; with the §9 statistics of
  /// that run on the calibration data.
  func result(
    labels: [Int]?,
    measure: (
      @Sendable (FixedPointExecutor) throws(ExecutionError) -> NetworkStatistics
    )? = nil
  ) throws(ExecutionError) -> (
    result: CalibrationResult, statistics: NetworkStatistics
  ) {
    let plan = self.plan()
    let executor = try FixedPointExecutor(
      network: network, plan: plan, concurrency: concurrency)
    let statistics: NetworkStatistics
    if let measure {
      statistics = try measure(executor)
    } else {
      let run = try executor.run(input: data, keepWide: true)
      var float: FloatRun
      if let kept = self.float {
        float = kept
      } else {
        float = try FloatExecutor(network: network, concurrency: concurrency)
          .run(input: data)
      }
      statistics = try executor.statistics(
        of: run, input: data, float: float, labels: labels)
    }
    let byName = Dictionary(
      statistics.layers.map { ($0.name, $0) },
      uniquingKeysWith: { first, _ in first })
    var layers: [LayerCalibration] = []
    for node in calibrated {
      let layer = executor.precision.layers[node.name]
      let stats = byName[node.name]
      layers.append(
        LayerCalibration(
          name: node.name, opType: node.op.opType, weight: layer?.weight,
          activation: layer?.output, weightError: weightErrors[node.name],
          activationError: activationErrors[node.name],
          sqnr: stats?.output.endToEnd?.sqnr,
          overflows: stats?.totalOverflows ?? 0))
    }
    let result = CalibrationResult(
      plan: plan, layers: layers, input: executor.precision.input,
      top1Agreement: statistics.top1Agreement, floatTop1: statistics.floatTop1,
      top1: statistics.top1)
    return (result, statistics)
  }
}
