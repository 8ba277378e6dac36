import Diagnostics
import NetworkGraph

/// The IR nodes (and any constants they need) that one ONNX node becomes.
struct MappedNode {
  var nodes: [Node]
  var initializers: [Tensor] = []
}

/// Maps one ONNX node to ``NetworkGraph/Operator``, reading its attributes
/// with the defaults of the operator version that `opset` selects.
///
/// Versions, by operator (the spec each default comes from):
/// Conv-11, Gemm-11/13, MatMul-13, Relu-14, Clip-11/12/13 (bounds as inputs),
/// LeakyRelu-16 (`alpha` 0.01), Sigmoid-13, HardSigmoid-6 (`alpha` 0.2,
/// `beta` 0.5), HardSwish-14, MaxPool-12, AveragePool-11/19
/// (`count_include_pad` 0, `ceil_mode` 0, `dilations` from 19),
/// GlobalAveragePool-1, GlobalMaxPool-1, Add-14, Mul-14, Concat-13 (`axis`
/// required), Flatten-13 (`axis` 1), Reshape-13/14 (`allowzero` from 14),
/// Transpose-13, Squeeze/Unsqueeze-11 (`axes` attribute) and -13 (`axes`
/// input), Softmax-11 (`axis` 1, 2-D coercion) and -13 (`axis` −1),
/// BatchNormalization-9/14/15 (`epsilon` 1e-5, inference mode only),
/// Dropout-12/13 and Identity-16.
struct OperatorMapper {
  let opset: Int
  let node: Onnx_NodeProto
  let name: String
  let attributes: NodeAttributes
  let state: ImportState

  private var entity: String { attributes.entity }

  func error(_ message: String) -> Diagnostic {
    attributes.context.error("\(entity): \(message)", entity: entity)
  }

  private func single(_ op: Operator) -> MappedNode {
    MappedNode(nodes: [
      Node(name: name, op: op, inputs: node.input, outputs: node.output)
    ])
  }

  /// The IR form of the node, or `nil` when its operator is not supported.
  func map() throws(Diagnostic) -> MappedNode? {
    switch node.opType {
    case "Conv": return single(.conv(try convAttributes()))
    case "Gemm":
      return single(
        .gemm(
          GemmAttributes(
            alpha: try attributes.float("alpha", default: 1),
            beta: try attributes.float("beta", default: 1),
            transA: try attributes.flag("transA", default: false),
            transB: try attributes.flag("transB", default: false))))
    case "MatMul": return single(.matMul)
    case "Relu": return single(.relu)
    case "Clip":
      // Clip-6 (opsets before 11) has `min` and `max` attributes.
      guard opset < 11 else {
        return single(.clip(min: bound(1), max: bound(2)))
      }
      return single(
        .clip(
          min: try attributes.optionalFloat("min"),
          max: try attributes.optionalFloat("max")))
    case let opType where Activation.opTypes.contains(opType):
      return single(.activation(try activation()))
    case "MaxPool": return single(.maxPool(try poolAttributes(average: false)))
    case "AveragePool":
      return single(.averagePool(try poolAttributes(average: true)))
    case "GlobalAveragePool": return single(.globalAveragePool)
    case "GlobalMaxPool": return single(.globalMaxPool)
    case "Add": return single(.add)
    case "Mul": return single(.mul)
    case "Concat":
      guard let axis = try attributes.optionalInt("axis") else {
        throw attributes.missing("axis")
      }
      return single(.concat(axis: axis))
    case "Flatten":
      return single(.flatten(axis: try attributes.int("axis", default: 1)))
    case "Reshape":
      let allowZero =
        opset >= 14 ? try attributes.flag("allowzero", default: false) : false
      return single(.reshape(allowZero: allowZero))
    case "Transpose":
      return single(.transpose(perm: try attributes.ints("perm")))
    case "Squeeze":
      return single(
        .squeeze(axes: opset < 13 ? try attributes.ints("axes") : nil))
    case "Unsqueeze":
      if opset < 13 {
        guard let axes = try attributes.ints("axes") else {
          throw attributes.missing("axes")
        }
        return single(.unsqueeze(axes: axes))
      }
      return single(.unsqueeze(axes: nil))
    case "Softmax": return try softmax()
    case "BatchNormalization":
      if opset >= 14, try attributes.flag("training_mode", default: false) {
        throw error(
          "training_mode = 1 is not supported; export the model in eval mode")
      }
      return single(
        .batchNormalization(
          epsilon: try attributes.float("epsilon", default: 1e-5)))
    case "Dropout": return single(.dropout)
    case "Identity": return single(.identity)
    default: return try mapExtended()
    }
  }

  /// A Clip bound from a constant scalar input (Clip-11 and later), or `nil`.
  private func bound(_ index: Int) -> Float? {
    guard index < node.input.count, !node.input[index].isEmpty,
      let value = state.constant(node.input[index]), value.count == 1
    else { return nil }
    switch value.values {
    case .floats(let values): return values.first
    case .integers(let values): return values.first.map { Float($0) }
    }
  }

  private func autoPad() throws(Diagnostic) -> AutoPad {
    let text = try attributes.string("auto_pad", default: "NOTSET")
    guard let pad = AutoPad(rawValue: text) else {
      throw error(
        "auto_pad '\(text)' is not one of "
          + AutoPad.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return pad
  }

  private func convAttributes() throws(Diagnostic) -> ConvAttributes {
    ConvAttributes(
      group: try attributes.int("group", default: 1),
      strides: try attributes.ints("strides"),
      pads: try attributes.ints("pads"),
      dilations: try attributes.ints("dilations"), autoPad: try autoPad(),
      kernelShape: try attributes.ints("kernel_shape"))
  }

  private func poolAttributes(average: Bool) throws(Diagnostic)
    -> PoolAttributes
  {
    guard let kernel = try attributes.ints("kernel_shape") else {
      throw attributes.missing("kernel_shape")
    }
    if !average, try attributes.int("storage_order", default: 0) != 0,
      node.output.count > 1, !node.output[1].isEmpty
    {
      throw error("the Indices output is not supported")
    }
    return PoolAttributes(
      kernelShape: kernel, strides: try attributes.ints("strides"),
      pads: try attributes.ints("pads"),
      dilations: try attributes.ints("dilations"),
      autoPad: try autoPad(),
      ceilMode: try attributes.flag("ceil_mode", default: false),
      countIncludePad: average
        ? try attributes.flag("count_include_pad", default: false) : false)
  }

  /// Softmax-13 normalizes along `axis` (default −1).
  ///
  /// Softmax-11 (default axis 1) coerces the input to 2-D `[d0·…·d(axis−1),
  /// d(axis)·…]` and normalizes each row; unless `axis` is the last axis, that
  /// becomes Flatten(axis) → Softmax(−1) → Reshape(back to the input's shape).
  private func softmax() throws(Diagnostic) -> MappedNode {
    guard opset < 13 else {
      return single(.softmax(axis: try attributes.int("axis", default: -1)))
    }
    let axis = try attributes.int("axis", default: 1)
    guard let input = node.input.first, let output = node.output.first,
      let dims = state.shape(input)
    else {
      throw error(
        "Softmax-11 (axis \(axis)) needs the input's shape, which is unknown; "
          + "re-export the model with opset 13 or later")
    }
    let rank = dims.count
    guard axis >= -rank, axis < rank else {
      throw error("axis \(axis) is out of range for input of rank \(rank)")
    }
    let normalized = axis < 0 ? axis + rank : axis
    if normalized == rank - 1 { return single(.softmax(axis: -1)) }
    let flat = state.freshName("\(output)/softmax_2d_input")
    let rows = state.freshName("\(output)/softmax_2d")
    let shapeName = state.freshName("\(output)/softmax_shape")
    let shape: Tensor
    do {
      shape = try Tensor(
        name: shapeName, shape: TensorShape([rank]),
        integers: dims.map { Int64($0) })
    } catch {
      throw attributes.context.diagnostic(error)
    }
    return MappedNode(
      nodes: [
        Node(
          name: state.freshName("\(name)/Flatten"),
          op: .flatten(axis: normalized),
          inputs: [input], outputs: [flat]),
        Node(
          name: name, op: .softmax(axis: -1), inputs: [flat], outputs: [rows]),
        Node(
          name: state.freshName("\(name)/Reshape"),
          op: .reshape(allowZero: false),
          inputs: [rows, shapeName], outputs: [output]),
      ],
      initializers: [shape])
  }
}
