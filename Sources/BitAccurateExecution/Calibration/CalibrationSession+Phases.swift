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
  mutating func dataPhase() throws(ExecutionError) {
    for node in calibrated {
      let bits = activationBits(node)
      guard let outputName = node.outputs.first,
        let reference = float.tensors[outputName]
      else {
        continue
      }
      let options = candidates(activationMaximum(node), bits: bits)
      let current = plan()
      let run = try run(current, keepWide: true, through: node.name)
      var scored: [(fractionalLength: Int, error: Double)] = []
      if let wide = run.wide[node.name] {
        let layer: ResolvedLayer?
        do {
          layer = try current.resolve(for: network).layers[node.name]
        } catch {
          throw ExecutionError(error)
        }
        let stream = StochasticStream(
          seed: current.seed, tensorName: outputName)
        for fl in options {
          guard let format = try? QFormat(bits: bits, fractionalLength: fl)
          else { continue }
          let (raws, _) = IntegerKernels.requantize(
            wide.values, fromFractionalLength: wide.fractionalLength,
            to: format,
            rounding: layer?.rounding ?? .requantizationDefault,
            overflow: layer?.outputOverflow ?? .saturate, stream: stream,
            indexBase: 0,
            rectify: false)
          scored.append(
            (
              fl,
              error(
                raws.map { FixedPoint.dequantize($0, from: format) },
                reference.values)
            ))
        }
      } else {
        // A Concat's producers output its format (§5 Concat, DPU-style), so
        // the candidates are tried on them too and the requantization
        // into the concat is free.
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
          scored.append((fl, error(tensor.dequantized(), reference.values)))
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
          let reference = float.tensors[name],
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

  /// The final plan, run once for the report.
  func result(labels: [Int]?) throws(ExecutionError) -> CalibrationResult {
    let plan = self.plan()
    let executor = try FixedPointExecutor(
      network: network, plan: plan, concurrency: concurrency)
    let run = try executor.run(input: data, keepWide: true)
    let statistics = try executor.statistics(
      of: run, input: data, float: float, labels: labels)
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
    return CalibrationResult(
      plan: plan, layers: layers, input: executor.precision.input,
      top1Agreement: statistics.top1Agreement, floatTop1: statistics.floatTop1,
      top1: statistics.top1)
  }
}
