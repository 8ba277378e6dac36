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
    let inputs = Array(
      candidates(Self.maxMagnitude(data.values), bits: inputBits))
    inputFractionalLength =
      FixedPoint.bestFractionalLength(
        zip(
          inputs,
          quantizationErrors(
            data.values, bits: inputBits, fractionalLengths: inputs)
        ).map { (fractionalLength: $0, error: $1) })
      ?? inputFractionalLength
    for node in calibrated {
      guard let values = weights[node.name] else { continue }
      let bits = weightBits(node)
      let options = Array(candidates(Self.maxMagnitude(values), bits: bits))
      let scored = zip(
        options,
        quantizationErrors(values, bits: bits, fractionalLengths: options)
      ).map { (fractionalLength: $0, error: $1) }
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
  ///
  /// The batch goes through in chunks of samples (those of an outputs-only
  /// run). Between two layers each chunk's fixed-point tensors wait packed
  /// (``PackedState``, integers at their own width) and its float tensors
  /// as they are; a layer unpacks a few chunks at a time (one per core),
  /// runs them to the layer and scores them, so only those chunks' wide
  /// tensors exist at once. Every sum runs chunk after chunk in sample
  /// order, so each objective is the whole batch's bit for bit.
  ///
  /// With ``measurementSlices``, the chunks are those slices, and the nodes
  /// before each layer (whose formats are final by then) are measured as
  /// they run, the float network stepped beside them
  /// (``measuredAdvance(_:to:executor:floatExecutor:floatReads:)``); the
  /// nodes after the last layer run at the end. The measurements are
  /// dropped when a choice revises a node already passed.
  mutating func dataPhase() throws(ExecutionError) {
    var executor = try FixedPointExecutor(
      network: network, plan: plan(), concurrency: concurrency)
    let chunking = dataPhaseChunks(
      cores: executor.concurrency, perChunk: executor.samplesPerChunk)
    let ranges = chunking.ranges
    var measuring = chunking.measuring
    if ranges.count > 1 { executor.concurrency = 1 }
    let cores = max(1, concurrency ?? 1)
    let floatExecutor = try FloatExecutor(
      network: network, concurrency: executor.concurrency)
    let floatReads = floatExecutor.network.lastReads()
    let pieces = ranges.map { ranges.count > 1 ? data.samples($0) : data }
    // Every chunk's start (its input quantized, measured), the chunks on
    // the cores at once, kept in chunk order.
    var floatStates = try Self.each(pieces.count) {
      index throws(ExecutionError) in
      try floatExecutor.start(input: pieces[index])
    }
    // Measuring the plan as the layers are decided (each slice a chunk):
    // the float network and the fixed-point nodes before each layer step
    // together, chunk by chunk.
    var measurements: [SliceMeasurement?] = Array(
      repeating: nil, count: pieces.count)
    if measuring {
      let starter = executor
      measurements = try Self.each(pieces.count) {
        index throws(ExecutionError) -> SliceMeasurement? in
        let (state, events) = try starter.started(
          input: pieces[index], firstSample: ranges[index].lowerBound)
        return SliceMeasurement(
          state, events: events, input: pieces[index], constants: index == 0)
      }
    }
    // Steps every chunk: the fixed-point network (when measuring) up to
    // `fixedEnd` under `stepper`, measuring each node, then the float
    // network up to `floatEnd`.
    func step(
      to fixedEnd: Int, floatEnd: Int, stepper: FixedPointExecutor,
      states: inout [PackedState], floatStates: inout [FloatState]
    ) throws(ExecutionError) {
      var chunks = (0..<states.count).map {
        Chunk(
          float: floatStates[$0], fixed: states[$0],
          measurement: measuring ? measurements[$0] : nil)
      }
      states = []
      floatStates = []
      measurements = Array(repeating: nil, count: chunks.count)
      _ = try Self.inPlace(&chunks, 0..<chunks.count) {
        chunk throws(ExecutionError) in
        try Self.measuredAdvance(
          &chunk, to: fixedEnd, executor: stepper,
          floatExecutor: floatExecutor, floatReads: floatReads)
        try floatExecutor.advance(
          &chunk.float, to: floatEnd, lastReads: floatReads)
      }
      states = chunks.map(\.fixed)
      floatStates = chunks.map(\.float)
      measurements = chunks.map(\.measurement)
    }
    func starts(_ executor: FixedPointExecutor) throws(ExecutionError)
      -> [PackedState]
    {
      try Self.each(pieces.count) { index throws(ExecutionError) in
        PackedState(
          try executor.start(
            input: pieces[index], firstSample: ranges[index].lowerBound))
      }
    }
    var states = try starts(executor)
    // Whether every chunk's nodes before `end` can be measured under the
    // plan as it stands (formats chosen so far): not when the plan changes
    // a node the chunks have passed (a Concat's producers), whose
    // statistics were taken under the old formats.
    func revisedForMeasuring() throws(ExecutionError) {
      guard measuring else { return }
      let revised = try executor.revised(plan: plan())
      if revised.firstDifference(from: executor)
        < states.map(\.position).min() ?? 0
      {
        measuring = false
        measurements = Array(repeating: nil, count: measurements.count)
      } else {
        executor = revised
      }
    }
    for node in calibrated {
      let bits = activationBits(node)
      try revisedForMeasuring()
      let fixedEnd =
        measuring ? executor.position(of: node.name) ?? 0 : 0
      // The float reference of this layer, from the float network stepped
      // up to it; its maximum gives the candidates' centre (§8).
      var references: [FloatTensor]?
      if let outputName = node.outputs.first, !outputName.isEmpty,
        let position = floatExecutor.network.nodes.firstIndex(where: {
          $0.name == node.name
        })
      {
        try step(
          to: fixedEnd, floatEnd: position + 1, stepper: executor,
          states: &states, floatStates: &floatStates)
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
      } else if measuring {
        try step(
          to: fixedEnd, floatEnd: 0, stepper: executor, states: &states,
          floatStates: &floatStates)
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
      let layer = executor.precision.layers[node.name]
      let stream = StochasticStream(seed: current.seed, tensorName: outputName)
      let producers = concatProducers(node, bits: bits)
      // A layer without accumulators (a float island such as
      // GlobalAveragePool) runs once per candidate from each chunk's state
      // before it: one node, not the prefix of the network.
      var mode: ScoringMode?
      var sums: [(fractionalLength: Int, error: Double)]? = nil
      var trials: [(fractionalLength: Int, executor: FixedPointExecutor)] = []
      var trialSums: [Double?] = []
      let objective = configuration.objective
      var first = 0
      // Chunks a few at a time (one per core), scored in order.
      var start = 0
      while start < states.count {
        let group = start..<min(states.count, start + cores)
        let wides = try Self.inPlace(&states, group) {
          packed throws(ExecutionError) -> WideTensor? in
          var state = packed.unpacked
          if state.position < position {
            try stepper.advance(&state, to: position)
            packed = PackedState(state)
          }
          return try stepper.advance(
            &state, to: position + 1, wideOf: position)
        }
        let complete = wides.allSatisfy { $0 != nil }
        if mode == nil {
          mode = complete ? .wide : producers.isEmpty ? .island : .whole
          if mode == .island {
            for fl in options {
              var trial = self
              trial.activationFractionalLengths[node.name] = fl
              trials.append((fl, try executor.revised(plan: trial.plan())))
            }
            trialSums = Array(repeating: 0, count: trials.count)
          }
        }
        if mode == .wide, !complete { mode = .whole }
        switch mode {
        case .wide:
          for (offset, wide) in wides.enumerated() {
            guard let wide else { continue }
            let reference = references[group.lowerBound + offset].values
            sums = scores(
              wide, reference: reference, options: options, bits: bits,
              layer: layer, stream: stream, first: first,
              from: sums?.map(\.error))
            first += min(wide.values.count, reference.count)
          }
        case .island:
          for index in group {
            let reference = references[index].values
            let packed = states[index]
            let tried = trials
            let running = trialSums
            trialSums = try Self.each(tried.count) {
              trial throws(ExecutionError) -> Double? in
              guard let sum = running[trial] else { return nil }
              var state = packed.unpacked
              try tried[trial].executor.advance(&state, to: position + 1)
              guard case .fixed(let tensor)? = state.values[outputName] else {
                return nil
              }
              return Self.error(
                tensor.dequantized(), reference, objective: objective,
                from: sum)
            }
          }
        case .whole, nil:
          break
        }
        if mode == .whole { break }
        start = group.upperBound
      }
      var scored: [(fractionalLength: Int, error: Double)] = []
      switch mode {
      case .wide:
        scored = sums ?? []
      case .island:
        for (trial, sum) in zip(trials, trialSums) {
          if let sum { scored.append((trial.fractionalLength, sum)) }
        }
      case .whole, nil:
        // A Concat's producers output its format (§5 Concat, DPU-style), so
        // the candidates are tried on them too and the requantization
        // into the concat is free.
        let reference =
          references.count == 1
          ? references[0].values : references.flatMap(\.values)
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
        for producer in producers {
          activationFractionalLengths[producer] = best
        }
      }
    }
    // The nodes after the last layer, under the final plan.
    try revisedForMeasuring()
    if measuring {
      try step(
        to: executor.prepared.count, floatEnd: 0, stepper: executor,
        states: &states, floatStates: &floatStates)
      self.measurements = measurements.compactMap { $0 }
    }
  }

  /// How a layer's candidates are scored in the data phase.
  enum ScoringMode {
    /// From the layer's accumulators, requantized per candidate.
    case wide
    /// The layer (without accumulators) run once per candidate from each
    /// chunk's state before it.
    case island
    /// Whole-batch runs through the layer per candidate (a Concat whose
    /// producers take its format).
    case whole
  }

  /// `body(index)` for each index, the indices on the cores at once; the
  /// first error (in index order) is thrown.
  static func each<R: Sendable>(
    _ count: Int, _ body: @Sendable (Int) throws(ExecutionError) -> R
  ) throws(ExecutionError) -> [R] {
    let results = Parallel.map(count) { index -> Result<R, ExecutionError> in
      do throws(ExecutionError) {
        return .success(try body(index))
      } catch {
        return .failure(error)
      }
    }
    var values: [R] = []
    for result in results {
      switch result {
      case .success(let value): values.append(value)
      case .failure(let error): throw error
      }
    }
    return values
  }

  /// `body` applied in place to the elements `range` of `items`, on the
  /// cores at once (each element by one piece of work, so a tensor an
  /// element drops is freed at once, not kept by a copy); the first error
  /// (in element order) is thrown.
  static func inPlace<T: Sendable, R: Sendable>(
    _ items: inout [T], _ range: Range<Int>,
    _ body: @Sendable (inout T) throws(ExecutionError) -> R
  ) throws(ExecutionError) -> [R] {
    let results = items.withUnsafeMutableBufferPointer {
      buffer -> [Result<R, ExecutionError>] in
      guard let base = buffer.baseAddress, !range.isEmpty else { return [] }
      let shared = SharedBuffer(base + range.lowerBound)
      return Parallel.map(range.count) { offset -> Result<R, ExecutionError> in
        do throws(ExecutionError) {
          return .success(try body(&shared.base[offset]))
        } catch {
          return .failure(error)
        }
      }
    }
    var values: [R] = []
    for result in results {
      switch result {
      case .success(let value): values.append(value)
      case .failure(let error): throw error
      }
    }
    return values
  }

  /// The data-phase objective of each candidate fl: the accumulators
  /// requantized to (B, fl) as the layer would (its rounding and overflow,
  /// §7 samples by flat index), dequantized, against the float reference.
  ///
  /// Streamed in blocks: no whole-tensor copy is made. Each candidate's sum
  /// runs over the elements in order, so every sum is the one a single pass
  /// over whole arrays gives; the candidates' sums advance together
  /// element by element (independent chains of additions, so one core
  /// keeps several in flight), the candidates split between the cores.
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
    let requantizations = formats.map { _, format in
      Requantization(
        from: wide.fractionalLength, to: format,
        rounding: layer?.rounding ?? .requantizationDefault,
        overflow: layer?.outputOverflow ?? .saturate, stream: stream,
        indexBase: 0, rectify: false)
    }
    // The common requantization (a right shift rounding halfUp or floor,
    // saturating, no ReLU: ``Requantization/fusedShift``) is formed inside
    // the sums instead of in a pass of its own; same raws, same sums.
    let fused: [FusedRound]? =
      requantizations.allSatisfy({ $0.fusedShift != nil })
      ? requantizations.map { FusedRound($0) } : nil
    let starts = formats.indices.map { index in
      sums.map { $0.indices.contains(index) ? $0[index] : 0 } ?? 0
    }
    let parts = Parallel.slices(
      formats.count, concurrency: max(1, concurrency ?? 1)
    ) { candidates -> [Double] in
      let block = 4096
      let width = candidates.count
      var raws = [Int64](repeating: 0, count: block * width)
      var running = Array(starts[candidates])
      // One 2^(−fl) per candidate: FixedPoint.dequantize's factor.
      let scales = candidates.map {
        FixedPoint.dequantize(1, from: formats[$0].1)
      }
      let rounds = fused.map { all in candidates.map { all[$0] } }
      wide.values.withUnsafeBufferPointer { source in
        reference.withUnsafeBufferPointer { floats in
          raws.withUnsafeMutableBufferPointer { target in
            running.withUnsafeMutableBufferPointer { sum in
              guard let s = source.baseAddress, let t = target.baseAddress,
                let r = floats.baseAddress
              else { return }
              var first = 0
              while first < count {
                let n = min(block, count - first)
                if let rounds {
                  // Each candidate's raw formed where it is summed, an
                  // element's candidates in one vector (CKernels).
                  Self.candidateSums(
                    s + first, count: n, reference: r + first,
                    rounds: rounds, scales: scales, objective: objective,
                    into: sum)
                  first += n
                  continue
                }
                for (slot, candidate) in candidates.enumerated() {
                  _ = requantizations[candidate].apply(
                    s + first, into: t + slot * block, count: n,
                    first: offset + first)
                }
                // Four candidates at a time, each sum in its own register
                // (a missing fourth repeats the last and is not kept).
                var group = 0
                while group < width {
                  let k = min(4, width - group)
                  let t0 = t + group * block
                  let t1 = t + (group + min(1, k - 1)) * block
                  let t2 = t + (group + min(2, k - 1)) * block
                  let t3 = t + (group + min(3, k - 1)) * block
                  let c0 = scales[group]
                  let c1 = scales[group + min(1, k - 1)]
                  let c2 = scales[group + min(2, k - 1)]
                  let c3 = scales[group + min(3, k - 1)]
                  var a0 = sum[group]
                  var a1 = k > 1 ? sum[group + 1] : 0
                  var a2 = k > 2 ? sum[group + 2] : 0
                  var a3 = k > 3 ? sum[group + 3] : 0
                  let f = r + first
                  switch objective {
                  case .l1:
                    for i in 0..<n {
                      let y = Double(f[i])
                      a0 += abs(Double(t0[i]) * c0 - y)
                      a1 += abs(Double(t1[i]) * c1 - y)
                      a2 += abs(Double(t2[i]) * c2 - y)
                      a3 += abs(Double(t3[i]) * c3 - y)
                    }
                  case .l2:
                    for i in 0..<n {
                      let y = Double(f[i])
                      let e0 = Double(t0[i]) * c0 - y
                      let e1 = Double(t1[i]) * c1 - y
                      let e2 = Double(t2[i]) * c2 - y
                      let e3 = Double(t3[i]) * c3 - y
                      a0 += e0 * e0
                      a1 += e1 * e1
                      a2 += e2 * e2
                      a3 += e3 * e3
                    }
                  }
                  sum[group] = a0
                  if k > 1 { sum[group + 1] = a1 }
                  if k > 2 { sum[group + 2] = a2 }
                  if k > 3 { sum[group + 3] = a3 }
                  group += k
                }
                first += n
              }
            }
          }
        }
      }
      return running
    }
    return zip(formats, parts.flatMap { $0 }).map { ($0.0, $1) }
  }

  /// A candidate's requantization in the fused case: z = (n >> s) +
  /// ((n >> (s − 1)) & m), m = 1 for `halfUp` and 0 for `floor`, saturated
  /// to the format's raws (``Requantization``'s branch-light loop, the same
  /// integers).
  struct FusedRound: Sendable {
    var shift: Int64
    var mask: Int64
    var low: Int64
    var high: Int64

    init(_ requantization: Requantization) {
      let fused = requantization.fusedShift ?? (bits: 1, halfUp: false)
      shift = Int64(fused.bits)
      mask = fused.halfUp ? 1 : 0
      low = requantization.format.rawMin
      high = requantization.format.rawMax
    }

    @inline(__always)
    func callAsFunction(_ n: Int64) -> Double {
      let z = (n &>> shift) &+ ((n &>> (shift &- 1)) & mask)
      return Double(z > high ? high : (z < low ? low : z))
    }
  }

  /// Adds each candidate's objective over `count` accumulators to its sum.
  ///
  /// `sums[k]` is for `rounds[k]`, element after element: the sums the
  /// unfused path gives, bit for bit. The reference of the CKernels path
  /// the data phase runs (``candidateSums(_:count:reference:rounds:scales:objective:into:path:)``,
  /// compared with it in `CandidateSumsTests`); each candidate's sum is one
  /// chain of additions in element order, as there.
  static func fusedSums(
    _ source: UnsafePointer<Int64>, count: Int, reference: UnsafePointer<Float>,
    rounds: [FusedRound], scales: [Double], objective: CalibrationObjective,
    into sum: UnsafeMutableBufferPointer<Double>
  ) {
    for (k, (round, scale)) in zip(rounds, scales).enumerated() {
      var a = sum[k]
      for i in 0..<count {
        let e = round(source[i]) * scale - Double(reference[i])
        a += objective == .l2 ? e * e : abs(e)
      }
      sum[k] = a
    }
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
    if let measured = measuredStatistics(executor, labels: labels) {
      statistics = measured
    } else if let measure {
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
