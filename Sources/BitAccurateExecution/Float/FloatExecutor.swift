import Dispatch
import NetworkGraph

/// The Float32 reference executor: runs every operator the IR supports but
/// the quantized family (QuantizeLinear, QLinearConv, …) on NCHW tensors
/// with batch N (ONNX semantics), agreeing with onnxruntime to about 1e-6
/// relative.
///
/// Integer tensors are held exactly in Float32 up to 2^24
/// (``ElementTypes``); nodes may have several outputs (Split, TopK, LSTM).
///
/// Convolutions use im2col and a row-major GEMM; the batch is split over
/// ``concurrency`` cores. Element-wise non-linearities are computed in Double and
/// rounded to Float32, as float islands are (FIXED_POINT.md §5).
///
/// ```swift
/// let executor = try FloatExecutor(network: model.network)
/// let run = try executor.run(input: FloatTensor(shape: [16, 1, 8, 8], values: x))
/// run.outputs[0].values   // logits, [16, 10]
/// ```
public struct FloatExecutor: Sendable {
  /// The network, nodes in topological order.
  public let network: Network
  /// The number of batch slices run concurrently (default: active cores).
  public var concurrency: Int

  /// Prepares a network for execution.
  ///
  /// - Throws: ``ExecutionError/network(_:)`` for a cycle, or
  ///   ``ExecutionError/missingData(tensor:)`` for a shape-only constant.
  public init(network: Network, concurrency: Int? = nil) throws(ExecutionError)
  {
    try ExecutionError.checkFloatExecutable(network)
    do {
      self.network = try network.sortedTopologically()
    } catch {
      throw .network(error)
    }
    if let missing = network.initializers.first(where: { !$0.hasData }) {
      throw .missingData(tensor: missing.name)
    }
    self.concurrency = concurrency ?? DefaultConcurrency.cores
    self.elementTypes = ElementTypes.propagate(through: self.network)
    self.fusedClamps = FloatClamp.fused(in: self.network)
    self.pretransposed = PretransposedGemm.find(in: self.network)
  }

  /// For each Gemm whose B is a constant stored transposed, that B
  /// transposed once (``PretransposedGemm``).
  let pretransposed: [Int: PretransposedGemm]

  /// For each node, the Relu or Clip an outputs-only run applies in it
  /// (``FloatClamp``).
  let fusedClamps: [FloatClamp?]

  /// The element type of every tensor (``ElementTypes``): integer tensors
  /// are held as exact integers in Float32, and Div, Mod and Cast need to
  /// know them.
  let elementTypes: [String: ElementType]

  /// Runs the network on one batch fed to its first input.
  ///
  /// - Parameter input: The batch, `[N, …]` matching the input except for N.
  /// - Returns: Every tensor the nodes produced and the graph outputs.
  /// - Throws: ``ExecutionError`` for shape mismatches or unsupported nodes.
  public func run(input: FloatTensor) throws(ExecutionError) -> FloatRun {
    guard
      let first = network.inputs.first(where: {
        network.initializer(named: $0.name) == nil
      })
    else { throw .invalidInput(message: "the network has no input") }
    return try run(inputs: [first.name: input])
  }

  /// Runs the network on named inputs.
  ///
  /// Convolutions split the batch over ``concurrency`` slices, each writing its
  /// own part of the output, with the same per-element arithmetic, so results
  /// never depend on the split.
  public func run(inputs: [String: FloatTensor]) throws(ExecutionError)
    -> FloatRun
  {
    try runWhole(inputs: inputs)
  }

  /// Runs the nodes in order.
  ///
  /// With `releasing` (each node's tensors read for the last time, as
  /// `Network.lastReads()` lists them), drops every intermediate after
  /// its last reader, so that only the graph outputs are left in
  /// ``FloatRun/tensors``. With `samples` (a chunk of a larger batch), every
  /// node's output must keep that many samples first, or the run stops with
  /// an error. Releasing, a convolution applies the Relu or Clip that alone
  /// reads its output (``fusedClamps``), which then passes it on: the same
  /// values, one pass fewer.
  func runWhole(
    inputs: [String: FloatTensor], releasing: [[String]]? = nil,
    samples: Int? = nil
  ) throws(ExecutionError)
    -> FloatRun
  {
    var values: [String: FloatTensor] = inputs
    var clamped: Set<String> = []
    for (position, node) in network.nodes.enumerated() {
      if let releasing, FloatClamp.isApplied(node, clamped: clamped),
        let input = node.inputs.first, let value = values[input],
        let name = node.outputs.first
      {
        values[name] = value
        for name in releasing[position] { values[name] = nil }
        continue
      }
      let clamp = releasing == nil ? nil : fusedClamps[position]
      var operands = try self.operands(of: node, values: values)
      var evaluated = node
      if let gemm = pretransposed[position], values[node.inputs[1]] == nil {
        evaluated = gemm.node
        operands[1] = gemm.b
      }
      let outputs = try FloatKernels.evaluateAll(
        evaluated, operands, network: network, types: elementTypes,
        concurrency: concurrency, clamp: clamp ?? .unbounded)
      if let samples, outputs.contains(where: { $0.shape.first != samples }) {
        throw .invalidInput(message: "\(node.name) mixes samples")
      }
      if clamp != nil, let name = node.outputs.first { clamped.insert(name) }
      for (name, output) in zip(node.outputs, outputs) where !name.isEmpty {
        values[name] = output
      }
      if let releasing {
        operands.removeAll()
        for name in releasing[position] { values[name] = nil }
      }
    }
    var outputs: [FloatTensor] = []
    for name in network.outputs {
      if let value = values[name] {
        outputs.append(value)
      } else if let constant = network.initializer(named: name) {
        // An output the importer folded to a constant (Shape → Cast).
        let value = try FloatTensor(
          constant: constant, node: NodeReference(name: name, opType: "output"),
          metadata: false)
        outputs.append(value)
        values[name] = value
      } else {
        throw .missingTensor(name: name, node: nil)
      }
    }
    for name in inputs.keys { values[name] = nil }
    return FloatRun(tensors: values, outputs: outputs)
  }
}

/// What a float run produced.
public struct FloatRun: Sendable {
  /// Every node output, by tensor name.
  public var tensors: [String: FloatTensor]
  /// The graph outputs, in the network's order.
  public var outputs: [FloatTensor]
}

/// The default number of worker threads when a caller names none.
///
/// The pure core does not ask the system (no environment access); the command
/// line passes the machine's core count. Results never depend on it: every
/// piece of work is deterministic and joined in order.
enum DefaultConcurrency {
  static let cores = 1
}

extension FloatExecutor {
  /// A node's operands: live values, or constants read as Float32.
  func operands(of node: Node, values: [String: FloatTensor])
    throws(ExecutionError) -> [FloatTensor?]
  {
    var operands: [FloatTensor?] = []
    let metadata = node.op.metadataInputs
    for (position, name) in node.inputs.enumerated() {
      if name.isEmpty {
        operands.append(nil)
      } else if let value = values[name] {
        operands.append(value)
      } else if let constant = network.initializer(named: name) {
        operands.append(
          try FloatTensor(
            constant: constant, node: node.reference,
            metadata: metadata.contains(position)))
      } else {
        throw .missingTensor(name: name, node: node.reference)
      }
    }
    return operands
  }
}
