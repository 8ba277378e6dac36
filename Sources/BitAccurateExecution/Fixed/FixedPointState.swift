import FixedPointArithmetic
import NetworkGraph
import PrecisionModel

/// The live tensors of a bit-accurate run between two nodes, for one batch:
/// the quantized inputs and every node output a later node still reads.
///
/// The values a run computes before node p depend only on the input and on
/// the resolved precision of the nodes before p (nodes run in topological
/// order), so a state reached under one plan continues under any plan that
/// resolves those nodes alike (``FixedPointExecutor/firstDifference(from:)``).
/// Calibration and sweeps resume from it instead of re-running the prefix
/// of the network; the values are bit for bit those of a whole run.
///
/// ```swift
/// var state = try executor.start(input: batch)
/// _ = try executor.advance(&state, to: 10)
/// let outputs = try other.finish(state)   // other agrees on nodes 0..<10
/// ```
public struct FixedPointState: Sendable {
  /// The position (in the executor's topological order) of the next node.
  public internal(set) var position: Int
  /// The index of the batch's first sample in a larger batch (§7).
  let batchStart: Int
  /// Live tensors by name.
  var values: [String: TensorValue]
  /// Tensors whose producer applied the ReLU or Clip that alone reads them
  /// (a fusing run, as an outputs-only run does).
  var clamped: Set<String> = []

  /// The bytes the live tensors hold (8 per raw held as Int64, 2 as Int16,
  /// 4 per float).
  public var bytes: Int {
    values.values.reduce(0) { total, value in
      switch value {
      case .fixed(let tensor): total + tensor.storage.bytes
      case .float(let tensor): total + 4 * tensor.values.count
      }
    }
  }
}

extension FixedPointExecutor {
  /// An executor for another precision of the same network, reusing the
  /// prepared nodes (quantized constants) of this one where a node's
  /// resolved layer, its first input's format and the seed are unchanged.
  ///
  /// - Throws: As ``init(network:precision:concurrency:)``.
  public func revised(precision other: ResolvedPrecision)
    throws(ExecutionError) -> FixedPointExecutor
  {
    var copy = self
    copy.precision = other
    var nodes = prepared
    let consumers = network.consumers()
    for (position, node) in prepared.enumerated() {
      let name = node.node.name
      guard let layer = other.layers[name] else {
        throw .unsupported(
          node: node.node.reference, message: "has no resolved precision")
      }
      let input = node.node.inputs.first ?? ""
      if layer == node.layer, other.seed == precision.seed,
        other.tensorFormats[input] == precision.tensorFormats[input]
      {
        continue
      }
      nodes[position] = try PreparedNode(
        node: node.node, layer: layer, network: network,
        formats: other.tensorFormats,
        rectify: Self.rectifiesAccumulator(
          node.node, layer: layer, network: network, consumers: consumers),
        seed: other.seed)
    }
    copy.prepared = nodes
    copy.fusedClamps = Self.fusedClamps(nodes, network: network)
    return copy
  }

  /// An executor for another plan of the same network, as
  /// ``revised(precision:)``.
  ///
  /// - Throws: ``ExecutionError/invalidPrecision(_:)`` listing every plan
  ///   problem, or as ``init(network:precision:concurrency:)``.
  public func revised(plan: PrecisionPlan) throws(ExecutionError)
    -> FixedPointExecutor
  {
    let resolved: ResolvedPrecision
    do {
      resolved = try plan.resolve(for: network)
    } catch {
      throw ExecutionError(error)
    }
    return try revised(precision: resolved)
  }

  /// The position of the first node whose results this executor and
  /// `other` may compute differently (the node count when none): 0 when
  /// the input formats or the seeds differ, else the first node whose
  /// resolved layer or output format differs.
  public func firstDifference(from other: FixedPointExecutor) -> Int {
    guard prepared.map(\.node.name) == other.prepared.map(\.node.name) else {
      return 0
    }
    return firstDifference(from: other.precision)
  }

  /// The position of the first node whose results this executor and one
  /// with precision `other` (for the same network) may compute
  /// differently, as ``firstDifference(from:)-(FixedPointExecutor)``.
  public func firstDifference(from other: ResolvedPrecision) -> Int {
    guard precision.input == other.input, precision.seed == other.seed else {
      return 0
    }
    for (position, node) in prepared.enumerated() {
      let name = node.node.name
      if precision.layers[name] != other.layers[name]
        || node.node.outputs.contains(where: {
          precision.tensorFormats[$0] != other.tensorFormats[$0]
        })
      {
        return position
      }
    }
    return prepared.count
  }

  /// The position of a node in the executor's order.
  public func position(of nodeName: String) -> Int? {
    prepared.firstIndex { $0.node.name == nodeName }
  }

  /// The state before the first node: the batch fed to the network's first
  /// input, quantized with the input format (§11).
  ///
  /// - Parameters:
  ///   - input: Float32 values `[N, …]`.
  ///   - firstSample: The index of `input`'s first sample in a larger batch
  ///     (§7).
  /// - Returns: The state at position 0.
  /// - Throws: ``ExecutionError/invalidInput(message:)`` when the network has
  ///   no input; a NaN input.
  public func start(input: FloatTensor, firstSample: Int = 0)
    throws(ExecutionError) -> FixedPointState
  {
    try started(input: input, firstSample: firstSample).state
  }

  /// The state before the first node and the events quantizing the input,
  /// as ``start(input:firstSample:)``.
  func started(input: FloatTensor, firstSample: Int = 0)
    throws(ExecutionError) -> (state: FixedPointState, events: OverflowCounts)
  {
    guard
      let first = network.inputs.first(where: {
        network.initializer(named: $0.name) == nil
      })
    else { throw .invalidInput(message: "the network has no input") }
    let quantized = try PreparedNode.quantize(
      input.values, name: first.name, format: precision.input,
      rounding: .halfEven, overflow: .saturate)
    let raw = RawTensor(
      unchecked: input.shape, raws: quantized.raws, format: precision.input)
    return (
      FixedPointState(
        position: 0, batchStart: max(0, firstSample),
        values: [first.name: .fixed(raw)]),
      quantized.events
    )
  }

  /// Runs the nodes from the state's position up to, not including, `end`,
  /// releasing each tensor after its last reader.
  ///
  /// - Parameters:
  ///   - state: A state this executor agrees with on the nodes before its
  ///     position.
  ///   - end: The position to stop before (at most the node count).
  ///   - wideOf: A position whose pre-requantization integers to return.
  ///   - fusing: Whether a ReLU that alone reads a node's output is applied
  ///     in that node's requantization, as in an outputs-only run (the
  ///     values are the same either way).
  /// - Returns: The wide tensor of node `wideOf`, when it ran and has one.
  /// - Throws: Any error of the nodes run.
  @discardableResult
  public func advance(
    _ state: inout FixedPointState, to end: Int, wideOf: Int? = nil,
    fusing: Bool = false
  ) throws(ExecutionError) -> WideTensor? {
    var wide: WideTensor?
    while state.position < min(end, prepared.count) {
      let position = state.position
      let node = prepared[position]
      state.position += 1
      if fusing, Self.passesFusedClamp(node.node, clamped: state.clamped),
        let input = node.node.inputs.first,
        let value = state.values[input], let name = node.node.outputs.first
      {
        // The producer applied this ReLU or Clip in its requantization.
        for name in lastReads[position] { state.values[name] = nil }
        state.values[name] = value
        continue
      }
      let operands = try operands(of: node, values: state.values)
      let clamp = fusing && position != wideOf ? fusedClamps[position] : nil
      let result = try evaluate(
        node, operands, batchStart: state.batchStart,
        keepWide: position == wideOf, outputClamp: clamp ?? .unbounded)
      if position == wideOf { wide = result.wide }
      for name in lastReads[position] { state.values[name] = nil }
      for (name, value) in result.named(node.node.outputs) {
        state.values[name] = value
      }
      if clamp != nil, let name = node.node.outputs.first, !name.isEmpty {
        state.clamped.insert(name)
      }
    }
    return wide
  }

  /// Runs the nodes from the state's position up to, not including, `end`,
  /// as a run keeping every tensor computes them (every node's wide
  /// integers kept, no fused clamps), handing `observe` each node's
  /// position, its result and the live tensors it read, before any is
  /// released.
  ///
  /// - Throws: Any error of the nodes run or of `observe`.
  func advance(
    _ state: inout FixedPointState, to end: Int,
    observe: (Int, NodeResult, [String: TensorValue]) throws(ExecutionError)
      -> Void
  ) throws(ExecutionError) {
    while state.position < min(end, prepared.count) {
      let position = state.position
      let node = prepared[position]
      state.position += 1
      let operands = try operands(of: node, values: state.values)
      let result = try evaluate(
        node, operands, batchStart: state.batchStart, keepWide: true)
      try observe(position, result, state.values)
      for name in lastReads[position] { state.values[name] = nil }
      for (name, value) in result.named(node.node.outputs) {
        state.values[name] = value
      }
    }
  }

  /// Runs the rest of the network from a state and returns the graph
  /// outputs, in order.
  ///
  /// - Throws: Any error of the nodes run;
  ///   ``ExecutionError/missingTensor(name:node:)`` for an output no node
  ///   made.
  public func finish(_ state: FixedPointState) throws(ExecutionError)
    -> [TensorValue]
  {
    var state = state
    try advance(&state, to: prepared.count, fusing: true)
    var outputs: [TensorValue] = []
    for name in network.outputs {
      guard let value = state.values[name] else {
        throw .missingTensor(name: name, node: nil)
      }
      outputs.append(value)
    }
    return outputs
  }

  /// A node's operands: live values, its quantized constants, or float
  /// constants it reads unquantized.
  func operands(of node: PreparedNode, values: [String: TensorValue])
    throws(ExecutionError) -> [TensorValue?]
  {
    var operands: [TensorValue?] = []
    for (index, name) in node.node.inputs.enumerated() {
      if name.isEmpty {
        operands.append(nil)
      } else if let constant = node.constants[index] {
        operands.append(.fixed(constant))
      } else if let value = values[name] {
        operands.append(value)
      } else if let constant = network.initializer(named: name) {
        guard let floats = constant.floatValues else {
          throw .missingData(tensor: name)
        }
        operands.append(
          .float(FloatTensor(unchecked: constant.shape.dims, values: floats)))
      } else {
        throw .missingTensor(name: name, node: node.node.reference)
      }
    }
    return operands
  }
}
