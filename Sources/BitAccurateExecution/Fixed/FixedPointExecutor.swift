import FixedPointArithmetic
import NetworkGraph
import PrecisionModel

/// The bit-accurate executor: runs a network under a precision plan on
/// integer tensors, exactly as FIXED_POINT.md §5 and §11 define.
///
/// - The input is quantized with the plan's `input` format, `halfEven`,
///   `saturate` (§11); NaN is an error (§4).
/// - Conv (any group), Gemm and MatMul sum exact products in Int64 (Int32
///   lanes when the §5 bound proves every partial sum fits), starting from
///   the bias on the accumulator grid; then `saturateFinal`, `wrap` or
///   `saturateEachStep` (canonical order); then one requantization to the
///   layer's activation format.
/// - Add aligns up and rounds once (or `alignToOutput`), Mul rounds the
///   exact product once, AveragePool divides exactly (or by a reciprocal),
///   Concat requantizes each input; Relu, Clip, MaxPool act on raws;
///   Flatten, Reshape and other data movements keep the format; Softmax,
///   Sigmoid and the rest are float islands.
///
/// Nothing on the fixed path uses floating point. Convolutions and matrix
/// products split the batch over ``concurrency`` cores, each slice writing
/// its own part of the output; samples are independent and stochastic
/// rounding is counter-based (§7), so results never depend on the split.
///
/// ```swift
/// let executor = try FixedPointExecutor(network: net, plan: plan)
/// let run = try executor.run(input: batch)
/// run.tensors["logits"]   // .fixed(RawTensor)
/// ```
public struct FixedPointExecutor: Sendable {
  /// The network, nodes in topological order.
  public let network: Network
  /// The plan as applied to the network.
  public internal(set) var precision: ResolvedPrecision
  /// The number of batch slices run concurrently.
  public var concurrency: Int
  var prepared: [PreparedNode]
  /// For each node, the tensors it reads for the last time (graph outputs
  /// never): what a ``FixedPointRetention/outputs`` run releases after it.
  let lastReads: [[String]]
  /// For each node, the ReLU or Clip that alone reads its output and that an
  /// outputs-only run applies in the node's own requantization (a
  /// convolution, Gemm, MatMul or an Add aligned up, followed by Relu or by
  /// a Clip with constant bounds), or `nil`: the Relu or Clip node then
  /// passes the clamped raws on.
  var fusedClamps: [OutputClamp?]
  /// The samples an outputs-only run takes through the network at a time
  /// (``Parallel/samplesPerChunk(sampleElements:bytes:)``, for Int64 raws).
  let samplesPerChunk: Int

  /// Resolves a plan against a network and quantizes its constants.
  ///
  /// - Throws: ``ExecutionError/invalidPrecision(_:)`` listing every plan
  ///   problem; ``ExecutionError/notANumber(tensor:index:)`` for a NaN
  ///   weight; ``ExecutionError/missingData(tensor:)`` for shape-only
  ///   constants; ``ExecutionError/unsupported(node:message:)``.
  public init(network: Network, plan: PrecisionPlan, concurrency: Int? = nil)
    throws(ExecutionError)
  {
    let precision: ResolvedPrecision
    do {
      precision = try plan.resolve(for: network)
    } catch {
      throw ExecutionError(error)
    }
    try self.init(
      network: network, precision: precision, concurrency: concurrency)
  }

  /// Prepares a network with an already resolved precision.
  public init(
    network: Network, precision: ResolvedPrecision, concurrency: Int? = nil
  )
    throws(ExecutionError)
  {
    try ExecutionError.checkExecutable(network)
    do {
      self.network = try network.sortedTopologically()
    } catch {
      throw .network(error)
    }
    self.precision = precision
    self.concurrency = concurrency ?? DefaultConcurrency.cores
    let sorted = self.network
    let consumers = sorted.consumers()
    var prepared: [PreparedNode] = []
    for node in sorted.nodes {
      guard let layer = precision.layers[node.name] else {
        throw .unsupported(
          node: node.reference, message: "has no resolved precision")
      }
      prepared.append(
        try PreparedNode(
          node: node, layer: layer, network: sorted,
          formats: precision.tensorFormats,
          rectify: Self.rectifiesAccumulator(
            node, layer: layer, network: sorted, consumers: consumers),
          seed: precision.seed))
    }
    self.prepared = prepared
    self.lastReads = sorted.lastReads()
    // A network whose import folded its batch into constants runs exactly
    // that many samples at a time.
    self.samplesPerChunk =
      sorted.foldedBatch
      ?? Parallel.samplesPerChunk(
        sampleElements: Parallel.largestSampleElements(sorted),
        bytes: MemoryLayout<Int64>.size)
    self.fusedClamps = Self.fusedClamps(prepared, network: sorted)
  }

  /// Whether a node applies ReLU to its accumulator before a stochastic
  /// rounding (§5 ReLU): every reader of its output is a Relu.
  static func rectifiesAccumulator(
    _ node: Node, layer: ResolvedLayer, network sorted: Network,
    consumers: [String: [Int]]
  ) -> Bool {
    let output = node.outputs.first ?? ""
    let readers = consumers[output] ?? []
    return layer.kind == .computing && layer.rounding == .stochastic
      && !readers.isEmpty
      && readers.allSatisfy {
        if case .relu = sorted.nodes[$0].op { return true }
        return false
      } && !sorted.outputs.contains(output)
  }

  /// For each prepared node, the ReLU or Clip that alone reads its output
  /// and that an outputs-only run applies in the node's own
  /// requantization, or `nil`.
  ///
  /// A Clip fuses when its bounds are known before the run (attributes,
  /// absent inputs or initializers) and quantize into the producer's output
  /// format; the fused clamp then gives the separate node's raws exactly
  /// (``OutputClamp``), and neither counts events of its own.
  static func fusedClamps(
    _ prepared: [PreparedNode], network sorted: Network
  )
    -> [OutputClamp?]
  {
    let consumers = sorted.consumers()
    return prepared.map { node in
      let fusable: Bool
      switch node.node.op {
      case .conv, .gemm, .matMul: fusable = true
      case .add: fusable = node.layer.residual == .alignUp
      default: fusable = false
      }
      guard fusable, node.layer.kind == .computing,
        let format = node.layer.output,
        let output = node.node.outputs.first, !output.isEmpty,
        !sorted.outputs.contains(output),
        let readers = consumers[output], readers.count == 1,
        readers[0] < prepared.count,
        prepared[readers[0]].layer.kind == .formatPreserving,
        let reader = Optional(sorted.nodes[readers[0]]),
        reader.inputs.first == output,
        reader.inputs.filter({ $0 == output }).count == 1
      else { return nil }
      let clamp: OutputClamp
      switch reader.op {
      case .relu:
        clamp = .relu
      case .clip:
        guard
          let bounds = constantClipBounds(
            prepared[readers[0]], format, network: sorted)
        else { return nil }
        clamp = OutputClamp(lower: bounds.lower, upper: bounds.upper)
      default:
        return nil
      }
      guard clamp.lower <= format.rawMax, clamp.upper >= format.rawMin else {
        return nil
      }
      return clamp
    }
  }

  /// The Relu and Clip nodes an outputs-only run applies in their
  /// producer's requantization (``fusedClamps``), in order.
  public var fusedActivations: [String] {
    let consumers = network.consumers()
    return prepared.indices.compactMap { position in
      guard fusedClamps[position] != nil,
        let output = prepared[position].node.outputs.first,
        let reader = consumers[output]?.first
      else { return nil }
      return network.nodes[reader].name
    }
  }

  /// Whether a node passes on the raws of a producer that applied it
  /// (``fusedClamps``): a Relu or Clip reading a clamped tensor.
  static func passesFusedClamp(_ node: Node, clamped: Set<String>) -> Bool {
    switch node.op {
    case .relu, .clip:
      guard let input = node.inputs.first else { return false }
      return clamped.contains(input)
    default:
      return false
    }
  }

  /// A Clip's raw bounds in `format` when they are known before the run:
  /// its bound inputs absent, constants or initializers (as
  /// ``preserving(_:_:_:)`` reads them); `nil` otherwise, or when they do
  /// not quantize (the node then runs, and reports, on its own).
  static func constantClipBounds(
    _ clip: PreparedNode, _ format: QFormat, network: Network
  ) -> (lower: Int64, upper: Int64)? {
    guard case .clip(let lo, let hi) = clip.node.op else { return nil }
    var operands: [TensorValue?] = [nil]
    for (index, name) in clip.node.inputs.enumerated().dropFirst() {
      if name.isEmpty {
        operands.append(nil)
      } else if let constant = clip.constants[index] {
        operands.append(.fixed(constant))
      } else if let constant = network.initializer(named: name),
        let floats = constant.floatValues
      {
        operands.append(
          .float(FloatTensor(unchecked: constant.shape.dims, values: floats)))
      } else {
        return nil
      }
    }
    return try? clipBounds(lo, hi, operands, format)
  }

  /// A Clip's raw bounds in `format` (§12.4): each bound from its input
  /// (the first value), else its attribute, else unbounded.
  static func clipBounds(
    _ lo: Float?, _ hi: Float?, _ operands: [TensorValue?], _ format: QFormat
  ) throws(FixedPointError) -> (lower: Int64, upper: Int64) {
    func bound(_ index: Int, _ attribute: Float?, _ fallback: Double)
      -> Double
    {
      if index < operands.count,
        let value = operands[index]?.floatTensor.values.first
      {
        return Double(value)
      }
      return attribute.map { Double($0) } ?? fallback
    }
    return try FixedPoint.clipBounds(
      lower: bound(1, lo, -.infinity), upper: bound(2, hi, .infinity),
      in: format)
  }

  /// Runs one batch fed to the network's first input.
  ///
  /// - Parameters:
  ///   - input: Float32 values `[N, …]`.
  ///   - keepWide: Whether to keep every node's pre-requantization integers
  ///     (accumulators), for statistics and calibration.
  ///   - firstSample: The index of `input`'s first sample in a larger batch
  ///     it is a part of: stochastic rounding (§7) then draws the samples the
  ///     whole batch's run would.
  /// - Returns: Every tensor, the events and, if asked, the wide tensors.
  /// - Throws: ``ExecutionError/invalidInput(message:)`` when the network has
  ///   no input, or any error of the run itself.
  public func run(
    input: FloatTensor, keepWide: Bool = false, firstSample: Int = 0
  )
    throws(ExecutionError)
    -> FixedPointRun
  {
    guard
      let first = network.inputs.first(where: {
        network.initializer(named: $0.name) == nil
      })
    else { throw .invalidInput(message: "the network has no input") }
    return try runWhole(
      inputs: [first.name: input], batchStart: max(0, firstSample),
      retention: FixedPointRetention(keepWide: keepWide))
  }

  /// Runs one batch fed to the network's first input, keeping only what
  /// `retention` asks for (the values computed are the same for every
  /// retention).
  ///
  /// - Parameters:
  ///   - input: Float32 values `[N, …]`.
  ///   - retention: What the returned run holds.
  ///   - firstSample: The index of `input`'s first sample in a larger batch
  ///     (§7 samples, as in ``run(input:keepWide:firstSample:)``).
  /// - Returns: The run, holding what `retention` asks for. An outputs-only
  ///   run goes through the network in chunks of samples, each on one core.
  /// - Throws: ``ExecutionError/invalidInput(message:)`` when the network has
  ///   no input, or any error of the run itself.
  public func run(
    input: FloatTensor, retaining retention: FixedPointRetention,
    firstSample: Int = 0
  )
    throws(ExecutionError)
    -> FixedPointRun
  {
    guard
      let first = network.inputs.first(where: {
        network.initializer(named: $0.name) == nil
      })
    else { throw .invalidInput(message: "the network has no input") }
    let inputs = [first.name: input]
    let start = max(0, firstSample)
    if retention == .outputs,
      let run = runInChunks(inputs: inputs, firstSample: start)
    {
      return run
    }
    return try runWhole(inputs: inputs, batchStart: start, retention: retention)
  }

  /// Runs named inputs.
  ///
  /// The heavy kernels split the batch over ``concurrency`` slices, each
  /// writing its own part of the node's output; results never depend on the
  /// split.
  public func run(inputs: [String: FloatTensor], keepWide: Bool = false)
    throws(ExecutionError)
    -> FixedPointRun
  {
    try runWhole(
      inputs: inputs, batchStart: 0,
      retention: FixedPointRetention(keepWide: keepWide))
  }

  /// Runs the nodes in order; with `through`, stops after that node (a
  /// prefix of the network, for calibration: the graph outputs are then
  /// left out).
  func runWhole(
    inputs: [String: FloatTensor], batchStart: Int, keepWide: Bool,
    through: String? = nil
  ) throws(ExecutionError) -> FixedPointRun {
    try runWhole(
      inputs: inputs, batchStart: batchStart,
      retention: FixedPointRetention(keepWide: keepWide), through: through)
  }

  /// Runs the nodes in order, keeping what `retention` asks for.
  ///
  /// With `through`, stops after that node. With `samples` (a chunk of a
  /// larger batch), every node's output must keep that many samples first,
  /// or the run stops with an error (the caller then runs the batch whole).
  func runWhole(
    inputs: [String: FloatTensor], batchStart: Int,
    retention: FixedPointRetention, through: String? = nil,
    samples: Int? = nil
  ) throws(ExecutionError) -> FixedPointRun {
    let keepTensors = retention != .outputs
    let keepWide = retention == .everything
    var run = FixedPointRun(
      inputs: [:], inputEvents: OverflowCounts(), tensors: [:], outputs: [],
      events: [:],
      wide: [:])
    var values: [String: TensorValue] = [:]
    for (name, tensor) in inputs {
      let quantized = try PreparedNode.quantize(
        tensor.values, name: name, format: precision.input, rounding: .halfEven,
        overflow: .saturate)
      let raw = RawTensor(
        unchecked: tensor.shape, raws: quantized.raws, format: precision.input)
      if keepTensors { run.inputs[name] = raw }
      run.inputEvents.merge(quantized.events)
      values[name] = .fixed(raw)
    }
    let fusing = retention == .outputs
    var clamped: Set<String> = []
    for (position, node) in prepared.enumerated() {
      if fusing, Self.passesFusedClamp(node.node, clamped: clamped),
        let input = node.node.inputs.first,
        let value = values[input], let name = node.node.outputs.first
      {
        // The producer applied this ReLU or Clip in its requantization.
        values[name] = value
        run.events[node.node.name] = NodeEvents()
        for name in lastReads[position] { values[name] = nil }
        continue
      }
      var operands = try self.operands(of: node, values: values)
      let clamp = fusing ? fusedClamps[position] : nil
      let result = try evaluate(
        node, operands, batchStart: batchStart, keepWide: keepWide,
        outputClamp: clamp ?? .unbounded, narrowStorage: fusing)
      if let samples, result.value.shape.first != samples {
        throw .invalidInput(message: "\(node.node.name) mixes samples")
      }
      if clamp != nil, let name = node.node.outputs.first {
        clamped.insert(name)
      }
      for (name, value) in result.named(node.node.outputs) {
        values[name] = value
        if keepTensors { run.tensors[name] = value }
      }
      run.events[node.node.name] = result.events
      if keepWide, let wide = result.wide { run.wide[node.node.name] = wide }
      if !keepTensors {
        operands.removeAll()
        for name in lastReads[position] { values[name] = nil }
      }
      if node.node.name == through { return run }
    }
    for name in network.outputs {
      guard let value = values[name] else {
        throw .missingTensor(name: name, node: nil)
      }
      run.outputs.append(value.widened)
    }
    return run
  }
}

/// One node's outputs, its events and its pre-requantization integers.
struct NodeResult {
  /// The first output.
  var value: TensorValue
  var events = NodeEvents()
  var wide: WideTensor?
  /// The outputs after the first, in the node's output order (`nil` for an
  /// output the node does not compute).
  var others: [TensorValue?] = []

  /// Each computed output with its tensor name; outputs without a name
  /// (optional ONNX outputs left out) are skipped.
  func named(_ names: [String]) -> [(String, TensorValue)] {
    var result: [(String, TensorValue)] = []
    for (index, name) in names.enumerated() where !name.isEmpty {
      if index == 0 {
        result.append((name, value))
      } else if index - 1 < others.count, let other = others[index - 1] {
        result.append((name, other))
      }
    }
    return result
  }
}
