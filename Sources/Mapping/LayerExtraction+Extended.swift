import HardwareModel
import NetworkGraph

/// A matrix product `A·B` (MatMul, QLinearMatMul, MatMulInteger) as a loop
/// nest.
///
/// When `B` is a constant (an initializer, or computed from constants such
/// as a DequantizeLinear of int8 weights) it is the layer's weights: one
/// `[K, N]` matrix reused by every row of `A`. When both operands are
/// activations (attention's `Q·Kᵀ` and `P·V`), each batch matrix is its
/// own group with its own `B`: nothing is reused across them and `B` moves
/// as an activation (no weight coding, preload or residency).
struct MatrixProduct {
  var rows: Int
  var k: Int
  var columns: Int
  /// Batch matrices (the product of the output's leading axes) when `B` is
  /// an activation; 1 otherwise.
  var groups: Int
  /// `K·N` (times `B`'s own batch) when `B` is constant, else 0.
  var weightElements: Int

  init?(
    node: Node, a: Int, b: Int, shapes: InferredShapes, network: Network,
    derived: Set<String>
  ) throws(NetworkError) {
    guard a < node.inputs.count, b < node.inputs.count,
      let x = shapes.shape(of: node.inputs[a]),
      let w = shapes.shape(of: node.inputs[b]),
      let y = node.outputs.first.flatMap({ shapes.shape(of: $0) }),
      x.rank >= 1, w.rank >= 1
    else { return nil }
    let name = node.inputs[b]
    let constant =
      network.initializer(named: name) != nil || derived.contains(name)
    k = x[x.rank - 1]
    columns = w.rank == 1 ? 1 : w[w.rank - 1]
    if constant {
      rows = max(1, y.elementCount / max(1, columns))
      groups = 1
      weightElements = w.elementCount
    } else {
      rows = x.rank == 1 ? 1 : x[x.rank - 2]
      groups = max(1, y.elementCount / max(1, rows * columns))
      weightElements = 0
    }
  }

  func nest(batch: Int, node: NodeReference?) throws(NetworkError) -> LoopNest {
    if weightElements > 0 {
      let (scaled, overflow) = rows.multipliedReportingOverflow(by: batch)
      guard !overflow else {
        throw .overflow(what: "the rows at batch \(batch)", node: node)
      }
      return LoopNest(batch: scaled, outputChannels: columns, inputChannels: k)
    }
    let (scaled, overflow) = groups.multipliedReportingOverflow(by: batch)
    guard !overflow else {
      throw .overflow(what: "the batch matrices at batch \(batch)", node: node)
    }
    return LoopNest(
      groups: scaled, batch: rows, outputChannels: columns, inputChannels: k)
  }
}

/// How the simulator sees the operators of ``NetworkGraph/ExtendedOperator``.
///
/// - ConvTranspose, QLinearConv, ConvInteger: MAC layers. A transposed
///   convolution is the scatter form of a convolution over its input grid
///   (each input pixel times the `k×k` kernel into `M/group` channels), so
///   its nest has the input's spatial size, stride 1, and the MACs of
///   `Documentation/Counting.md`.
/// - QLinearMatMul, MatMulInteger: as MatMul (see ``MatrixProduct``).
/// - LSTM and GRU: the gate GEMMs `[rows, I + H] × [I + H, G·H]`, one
///   group per direction, whose rows are the time steps times the batch;
///   `W` and `R` are the weights, read once when they fit on chip, and the
///   state `h`, `c` stays on chip (it is not a tensor the layer moves).
/// - Normalisations, reductions, softmax-like and element-wise operators,
///   Cast, QuantizeLinear, DequantizeLinear, TopK, ArgMax, CumSum, Range
///   and a linear or cubic Resize: streaming layers with their operation
///   counts. LayerNormalization, GroupNormalization and
///   InstanceNormalization make 3 passes over each normalised group (mean,
///   variance, normalise), ReduceMean/L2/LogSumExp 1; the passes re-read
///   the input on chip, and from the backing store only when one group does
///   not fit in the staging level.
/// - Gather, Slice, Split, Pad, Expand, Tile, DepthToSpace, SpaceToDepth,
///   Trilu, ConstantOfShape and a nearest Resize: data movement, a streaming
///   layer with no arithmetic that reads its inputs and writes its output.
///   A Gather from a constant table (an embedding) reads only the gathered
///   rows, as weights.
/// - Shape: a view.
struct ExtendedLayer {
  let op: ExtendedOperator
  let node: Node
  let shapes: InferredShapes
  let network: Network
  let derived: Set<String>
  let batch: Int
  let reference: NodeReference?

  private func shape(_ index: Int) -> TensorShape? {
    node.input(index).flatMap { shapes.shape(of: $0) }
  }

  private func times(_ value: Int, _ what: String) throws(NetworkError) -> Int {
    let (scaled, overflow) = value.multipliedReportingOverflow(by: batch)
    guard !overflow else {
      throw .overflow(what: "\(what) at batch \(batch)", node: reference)
    }
    return scaled
  }

  func configure(_ layer: inout Layer, activationInputs: [TensorUse])
    throws(NetworkError)
  {
    let ops = layer.otherOperations
    switch op {
    case .convTranspose(let attributes):
      guard let x = shape(0), let w = shape(1), x.rank >= 3, w.rank == x.rank
      else { return }
      let group = max(1, attributes.conv.group)
      let rows = x.rank >= 4 ? x[x.rank - 2] : 1
      let kernelRows = x.rank >= 4 ? w[w.rank - 2] : 1
      layer.work = .mac(
        LoopNest(
          groups: group, batch: try times(x[0], "the batch rows"),
          outputChannels: w[1], inputChannels: x[1] / group,
          outputRows: rows, outputColumns: x[x.rank - 1],
          kernelRows: kernelRows, kernelColumns: w[w.rank - 1],
          inputRows: rows + kernelRows - 1,
          inputColumns: x[x.rank - 1] + w[w.rank - 1] - 1))
      layer.operatorClass = .conv
      layer.weightElements = w.elementCount
      layer.inputs = Array(activationInputs.prefix(1))
    case .qLinearConv(let attributes), .convInteger(let attributes):
      let weightIndex: Int
      if case .qLinearConv = op { weightIndex = 3 } else { weightIndex = 1 }
      guard let x = shape(0), let w = shape(weightIndex),
        let y = node.outputs.first.flatMap({ shapes.shape(of: $0) }),
        x.rank >= 3, w.rank == x.rank, y.rank == x.rank
      else { return }
      let spatial = x.rank - 2
      let group = max(1, attributes.group)
      let strides = attributes.strides ?? Array(repeating: 1, count: spatial)
      let dilations =
        attributes.dilations ?? Array(repeating: 1, count: spatial)
      func last(_ list: [Int], _ back: Int) -> Int {
        list.count >= back ? list[list.count - back] : 1
      }
      layer.work = .mac(
        LoopNest(
          groups: group, batch: try times(y[0], "the batch rows"),
          outputChannels: y[1] / group, inputChannels: w[1],
          outputRows: spatial >= 2 ? y[y.rank - 2] : 1,
          outputColumns: y[y.rank - 1],
          kernelRows: spatial >= 2 ? w[w.rank - 2] : 1,
          kernelColumns: w[w.rank - 1],
          strideRows: spatial >= 2 ? last(strides, 2) : 1,
          strideColumns: last(strides, 1),
          dilationRows: spatial >= 2 ? last(dilations, 2) : 1,
          dilationColumns: last(dilations, 1),
          inputRows: spatial >= 2 ? x[x.rank - 2] : 1,
          inputColumns: x[x.rank - 1]))
      let depthwise = group > 1 && w[1] == 1 && y[1] == group
      layer.operatorClass = depthwise ? .depthwise : .conv
      layer.weightElements = w.elementCount
      layer.inputs = Array(activationInputs.prefix(1))
    case .qLinearMatMul, .matMulInteger:
      let b: Int
      if case .qLinearMatMul = op { b = 3 } else { b = 1 }
      guard
        let product = try MatrixProduct(
          node: node, a: 0, b: b, shapes: shapes, network: network,
          derived: derived)
      else { return }
      layer.work = .mac(try product.nest(batch: batch, node: reference))
      layer.operatorClass = .gemm
      layer.weightElements = product.weightElements
      layer.weightOperandIsActivation = product.weightElements == 0
      if product.weightElements > 0 {
        layer.inputs = Array(activationInputs.prefix(1))
      }
    case .recurrent(let attributes):
      guard let x = shape(0), x.rank == 3 else { return }
      let (sequence, rows) =
        attributes.batchFirst ? (x[1], x[0]) : (x[0], x[1])
      let h = attributes.hiddenSize
      layer.work = .mac(
        LoopNest(
          groups: attributes.directions,
          batch: try times(sequence * rows, "the recurrent rows"),
          outputChannels: attributes.kind.gates * h,
          inputChannels: x[2] + h))
      layer.operatorClass = .gemm
      layer.weightElements =
        (shape(1)?.elementCount ?? 0)
        + (shape(2)?.elementCount ?? 0)
      layer.inputs = Array(activationInputs.prefix(1))
    case .layerNormalization, .groupNormalization, .instanceNormalization:
      layer.work = .streaming(operations: ops)
      layer.operatorClass = .softmax
      layer.passes = 3
      layer.passGroupElements = normalisedGroup()
      layer.inputs = Array(activationInputs.prefix(1))
    case .reduce, .topK, .argExtreme, .cumSum, .detectionPostProcess:
      layer.work = .streaming(operations: ops)
      layer.operatorClass = .pool
    case .elementwise, .cast, .quantizeLinear, .dequantizeLinear, .range:
      layer.work = .streaming(operations: ops)
      layer.operatorClass = .elementwise
    case .resize(let mode, _):
      layer.work = .streaming(operations: ops)
      layer.operatorClass = mode == .nearest ? .pool : .elementwise
    case .gather:
      layer.work = .streaming(operations: 0)
      layer.operatorClass = .elementwise
      if let table = node.input(0),
        network.initializer(named: table) != nil || derived.contains(table)
      {
        layer.weightElements =
          node.outputs.first.flatMap({ shapes.shape(of: $0) })?.elementCount
          ?? 0
      }
    case .slice, .split, .pad, .expand, .tile, .depthSpace, .trilu,
      .constantOfShape:
      layer.work = .streaming(operations: 0)
      layer.operatorClass = .elementwise
      if case .split = op {
        // One layer writes every part: the output is the whole input.
        let total = node.outputs.compactMap { shapes.shape(of: $0) }
          .reduce(0) { $0 + $1.elementCount }
        layer.output.elements = try times(total, "the split parts")
      }
    case .shape, .einsum:
      if case .einsum(let equation) = op {
        try einsum(equation, &layer, activationInputs: activationInputs)
      }
    }
  }

  /// Elements of one normalised group: the trailing axes from `axis` for
  /// LayerNormalization, `C/groups · spatial` for GroupNormalization, one
  /// plane for InstanceNormalization.
  private func normalisedGroup() -> Int {
    guard let x = shape(0), x.rank >= 1 else { return 0 }
    switch op {
    case .layerNormalization(let axis, _):
      let start = axis < 0 ? axis + x.rank : axis
      return x.dims[max(0, min(start, x.rank))...].reduce(1, *)
    case .groupNormalization(let groups, _):
      return x.rank >= 2 ? x.elementCount / max(1, x[0] * max(1, groups)) : 0
    default:
      return x.rank >= 2 ? x.elementCount / max(1, x[0] * x[1]) : 0
    }
  }

  /// A two-operand Einsum as a batched matrix product: batch labels (in
  /// both operands and the output), contracted labels (in both, not the
  /// output) and free labels of each side; else streaming work.
  private func einsum(
    _ equation: String, _ layer: inout Layer, activationInputs: [TensorUse]
  ) throws(NetworkError) {
    var operandShapes: [TensorShape] = []
    for index in node.inputs.indices {
      guard let shape = shape(index) else { return }
      operandShapes.append(shape)
    }
    let parsed = try EinsumEquation(
      equation, shapes: operandShapes, node: node.reference)
    guard parsed.operands.count == 2 else {
      layer.work = .streaming(operations: layer.otherOperations)
      layer.operatorClass = .elementwise
      return
    }
    let a = Set(parsed.operands[0])
    let b = Set(parsed.operands[1])
    let out = Set(parsed.output)
    func size(_ labels: Set<String>) -> Int {
      labels.reduce(1) { $0 * (parsed.sizes[$1] ?? 1) }
    }
    let shared = a.intersection(b)
    let batchLabels = shared.intersection(out)
    let contracted = shared.subtracting(out)
    let rows = size(a.subtracting(shared))
    let columns = size(b.subtracting(shared))
    let name = node.inputs[1]
    let constant =
      network.initializer(named: name) != nil || derived.contains(name)
    layer.work = .mac(
      LoopNest(
        groups: try times(size(batchLabels), "the Einsum batch"),
        batch: rows, outputChannels: columns, inputChannels: size(contracted)))
    layer.operatorClass = .gemm
    layer.weightElements = constant ? operandShapes[1].elementCount : 0
    layer.weightOperandIsActivation = !constant
    if constant { layer.inputs = Array(activationInputs.prefix(1)) }
  }
}
