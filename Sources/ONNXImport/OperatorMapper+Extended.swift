import Diagnostics
import NetworkGraph

extension OperatorMapper {
  /// The IR form of the operators of ``NetworkGraph/ExtendedOperator``, or
  /// `nil` for another operator type.
  ///
  /// Versions (the spec each default and input form comes from):
  /// LayerNormalization-17 (`axis` −1, `epsilon` 1e-5), GroupNormalization-18/21
  /// (`num_groups` required), InstanceNormalization-6, Reduce*-1/11/13/18
  /// (`axes` an attribute before opset 18, before 13 for ReduceSum;
  /// `keepdims` 1, `noop_with_empty_axes` 0), Sub/Div/Pow/Equal/Less/… -7
  /// to -14 (multidirectional broadcasting), Cast-6/13/19, QuantizeLinear
  /// and DequantizeLinear-10/13/19/21 (`axis` 1, `output_dtype` from 21),
  /// Gather-11/13, Expand-8/13, Tile-6/13, Slice-1 (attributes) and -10/13
  /// (inputs), Resize-10 (`scales` input 1), -11/13 (`roi`, `scales`,
  /// `sizes`) and -18/19 (`axes`, `keep_aspect_ratio_policy`), Upsample-7
  /// (`scales` attribute) and -9 (input), Split-2/11 (attribute), -13
  /// (input) and -18 (`num_outputs`), Pad-2 (attributes), -11/13/18/19/21
  /// (inputs), ConvTranspose-11, LSTM-7/14 and GRU-7/14 (`layout` from 14),
  /// QLinearConv-10, QLinearMatMul-10/21, ConvInteger-10, MatMulInteger-10,
  /// Einsum-12, TopK-1 (`k` attribute) and -10/11, ArgMax/ArgMin-11/13,
  /// DepthToSpace-11/13 (`mode` DCR), SpaceToDepth-13, ConstantOfShape-9/20,
  /// Range-11, Shape-13/15, CumSum-11/14 and Trilu-14.
  func mapExtended() throws(Diagnostic) -> MappedNode? {
    let opType = node.opType
    if let kind = ReductionKind(rawValue: opType) { return try reduce(kind) }
    if var function = ElementwiseFunction(rawValue: opType) {
      if function == .mod {
        switch try attributes.int("fmod", default: 0) {
        case 0: break
        case 1: function = .truncatedMod
        case let value:
          throw error("attribute 'fmod' is \(value); it must be 0 or 1")
        }
      }
      return extended(.elementwise(function))
    }
    if let kind = RecurrentKind(rawValue: opType) {
      return try recurrent(kind)
    }
    switch opType {
    case "LayerNormalization":
      return extended(
        .layerNormalization(
          axis: try attributes.int("axis", default: -1),
          epsilon: try attributes.float("epsilon", default: 1e-5)))
    case "GroupNormalization":
      guard let groups = try attributes.optionalInt("num_groups") else {
        throw attributes.missing("num_groups")
      }
      return extended(
        .groupNormalization(
          groups: groups,
          epsilon: try attributes.float("epsilon", default: 1e-5)))
    case "InstanceNormalization":
      return extended(
        .instanceNormalization(
          epsilon: try attributes.float("epsilon", default: 1e-5)))
    case "Cast":
      guard let to = try attributes.optionalInt("to") else {
        throw attributes.missing("to")
      }
      return extended(.cast(to: try elementType(to, "to")))
    case "QuantizeLinear":
      let dtype = try attributes.int("output_dtype", default: 0)
      return extended(
        .quantizeLinear(
          axis: try attributes.int("axis", default: 1),
          outputType: dtype == 0 ? nil : try elementType(dtype, "output_dtype")
        ))
    case "DequantizeLinear":
      return extended(
        .dequantizeLinear(axis: try attributes.int("axis", default: 1)))
    case "Gather":
      return extended(.gather(axis: try attributes.int("axis", default: 0)))
    case "Expand": return extended(.expand)
    case "Tile": return extended(.tile)
    case "Slice": return try slice()
    case "Resize", "Upsample": return try resize()
    case "Split": return try split()
    case "Pad": return try pad()
    case "ConvTranspose":
      return extended(
        .convTranspose(
          ConvTransposeAttributes(
            conv: try convolution(),
            outputPadding: try attributes.ints("output_padding"),
            outputShape: try attributes.ints("output_shape"))))
    case "QLinearConv": return extended(.qLinearConv(try convolution()))
    case "ConvInteger": return extended(.convInteger(try convolution()))
    case "QLinearMatMul": return extended(.qLinearMatMul)
    case "MatMulInteger": return extended(.matMulInteger)
    case "Einsum":
      let equation = try attributes.string("equation", default: "")
      guard !equation.isEmpty else { throw attributes.missing("equation") }
      return extended(.einsum(equation: equation))
    case "TopK": return try topK()
    case "ArgMax", "ArgMin":
      return extended(
        .argExtreme(
          max: opType == "ArgMax", axis: try attributes.int("axis", default: 0),
          keepDims: try attributes.flag("keepdims", default: true),
          selectLastIndex: try attributes.flag(
            "select_last_index", default: false)))
    case "DepthToSpace", "SpaceToDepth":
      guard let block = try attributes.optionalInt("blocksize") else {
        throw attributes.missing("blocksize")
      }
      let mode = try attributes.string("mode", default: "DCR")
      guard mode == "DCR" || mode == "CRD" else {
        throw error(
          "attribute 'mode' is '\(mode)'; DepthToSpace allows DCR or CRD")
      }
      return extended(
        .depthSpace(
          toSpace: opType == "DepthToSpace", blockSize: block,
          columnRowDepth: opType == "DepthToSpace" && mode == "CRD"))
    case "ConstantOfShape":
      var type = ElementType.float32
      var fill: Float = 0
      if let value = try attributes.tensor("value") {
        type = try elementType(Int(value.dataType), "value")
        fill = try constantOfShapeFill(value, type)
      }
      return extended(.constantOfShape(elementType: type, value: fill))
    case "Range": return extended(.range)
    case "Shape":
      return extended(
        .shape(
          start: try attributes.int("start", default: 0),
          end: try attributes.optionalInt("end")))
    case "CumSum":
      return extended(
        .cumSum(
          exclusive: try attributes.flag("exclusive", default: false),
          reverse: try attributes.flag("reverse", default: false)))
    case "Trilu":
      return extended(
        .trilu(upper: try attributes.flag("upper", default: true)))
    default: return nil
    }
  }

  private func extended(_ op: ExtendedOperator, inputs: [String]? = nil)
    -> MappedNode
  {
    MappedNode(nodes: [
      Node(
        name: name, op: .extended(op), inputs: inputs ?? node.input,
        outputs: node.output)
    ])
  }

  /// The one element of ConstantOfShape's `value` (as Float; integers up
  /// to 2^24 exactly, which is what the float executor holds).
  private func constantOfShapeFill(
    _ value: Onnx_TensorProto, _ type: ElementType
  )
    throws(Diagnostic) -> Float
  {
    let count = value.dims.reduce(1) { $0 * Int($1) }
    guard count == 1 else {
      throw error("attribute 'value' must hold one element, not \(count)")
    }
    if !value.rawData.isEmpty {
      guard value.rawData.count == type.byteSize else {
        throw error("attribute 'value' has \(value.rawData.count) bytes")
      }
      let decoded = value.rawData.withUnsafeBytes {
        LittleEndian.decode($0, type: type, count: 1)
      }
      switch decoded {
      case .floats(let values): return values[0]
      case .integers(let values): return Float(values[0])
      }
    }
    if let first = value.floatData.first { return first }
    if let first = value.int64Data.first { return Float(first) }
    if let first = value.int32Data.first { return Float(first) }
    if let first = value.doubleData.first { return Float(first) }
    return 0
  }

  private func elementType(_ raw: Int, _ attribute: String) throws(Diagnostic)
    -> ElementType
  {
    guard let type = ElementType(rawValue: raw) else {
      throw error(
        "attribute '\(attribute)' names ONNX data type \(raw), which EdgeSim "
          + "does not read (supported: "
          + ElementType.allCases.map(\.description).joined(separator: ", ")
          + ")")
    }
    return type
  }

  private func convolution() throws(Diagnostic) -> ConvAttributes {
    let text = try attributes.string("auto_pad", default: "NOTSET")
    guard let pad = AutoPad(rawValue: text) else {
      throw error(
        "auto_pad '\(text)' is not one of "
          + AutoPad.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return ConvAttributes(
      group: try attributes.int("group", default: 1),
      strides: try attributes.ints("strides"),
      pads: try attributes.ints("pads"),
      dilations: try attributes.ints("dilations"), autoPad: pad,
      kernelShape: try attributes.ints("kernel_shape"))
  }

  /// An int64 initializer named after the node's output, for an attribute
  /// that later opsets pass as an input.
  private func integerInput(_ values: [Int], _ role: String) throws(Diagnostic)
    -> Tensor
  {
    let base = (node.output.first ?? name) + "/" + role
    do {
      return try Tensor(
        name: state.freshName(base), shape: TensorShape([values.count]),
        integers: values.map { Int64($0) })
    } catch {
      throw attributes.context.diagnostic(error)
    }
  }

  private func floatInput(_ values: [Float], _ role: String) throws(Diagnostic)
    -> Tensor
  {
    let base = (node.output.first ?? name) + "/" + role
    do {
      return try Tensor(
        name: state.freshName(base), shape: TensorShape([values.count]),
        values: values)
    } catch {
      throw attributes.context.diagnostic(error)
    }
  }

  /// The node with extra inputs, padded with empty names to `positions`.
  private func withInputs(
    _ op: ExtendedOperator, _ added: [Int: Tensor], keep: Int
  ) -> MappedNode {
    var inputs = Array(node.input.prefix(keep))
    for (position, tensor) in added.sorted(by: { $0.key < $1.key }) {
      while inputs.count < position { inputs.append("") }
      inputs.append(tensor.name)
    }
    var mapped = extended(op, inputs: inputs)
    mapped.initializers = Array(added.values)
    return mapped
  }

  private func reduce(_ kind: ReductionKind) throws(Diagnostic) -> MappedNode {
    let op = ExtendedOperator.reduce(
      kind, keepDims: try attributes.flag("keepdims", default: true),
      noopWithEmptyAxes: try attributes.flag(
        "noop_with_empty_axes", default: false))
    guard opset < kind.axesInputOpset, let axes = try attributes.ints("axes")
    else { return extended(op) }
    return withInputs(op, [1: try integerInput(axes, "axes")], keep: 1)
  }

  private func recurrent(_ kind: RecurrentKind) throws(Diagnostic)
    -> MappedNode
  {
    guard let hidden = try attributes.optionalInt("hidden_size"), hidden >= 1
    else {
      throw error("the attribute 'hidden_size' must be present and at least 1")
    }
    let direction = try attributes.string("direction", default: "forward")
    guard ["forward", "reverse", "bidirectional"].contains(direction) else {
      throw error(
        "attribute 'direction' is '\(direction)'; it must be forward, reverse "
          + "or bidirectional")
    }
    let defaults =
      kind == .lstm ? ["Sigmoid", "Tanh", "Tanh"] : ["Sigmoid", "Tanh"]
    for name in attributes.names
    where ["activations", "activation_alpha", "activation_beta", "clip"]
      .contains(name)
    {
      if name == "activations",
        let listed = try attributes.strings("activations"),
        listed.count % defaults.count == 0,
        listed
          == Array(
            repeatElement(defaults, count: listed.count / defaults.count)
              .joined())
      {
        continue
      }
      throw error(
        "attribute '\(name)' is not supported: EdgeSim runs \(kind.rawValue) "
          + "with the default activations (\(defaults.joined(separator: ", "))) "
          + "and no clip")
    }
    if kind == .lstm, try attributes.flag("input_forget", default: false) {
      throw error("attribute 'input_forget' 1 is not supported")
    }
    return extended(
      .recurrent(
        RecurrentAttributes(
          kind: kind, hiddenSize: hidden,
          directions: direction == "bidirectional" ? 2 : 1,
          batchFirst: opset >= 14
            ? try attributes.flag("layout", default: false) : false,
          reverse: direction == "reverse",
          linearBeforeReset: kind == .gru
            ? try attributes.flag("linear_before_reset", default: false)
            : false)))
  }

  /// Slice-1 keeps `starts`, `ends`, `axes` as attributes; Slice-10 and
  /// later take them as inputs.
  private func slice() throws(Diagnostic) -> MappedNode {
    guard opset < 10 else { return extended(.slice) }
    guard let starts = try attributes.ints("starts") else {
      throw attributes.missing("starts")
    }
    guard let ends = try attributes.ints("ends") else {
      throw attributes.missing("ends")
    }
    var added = [
      1: try integerInput(starts, "starts"), 2: try integerInput(ends, "ends"),
    ]
    if let axes = try attributes.ints("axes") {
      added[3] = try integerInput(axes, "axes")
    }
    return withInputs(.slice, added, keep: 1)
  }

  /// Resize and Upsample as one form: inputs `X`, `roi`, `scales`, `sizes`
  /// with one value per axis.
  private func resize() throws(Diagnostic) -> MappedNode {
    var modeText = try attributes.string("mode", default: "nearest")
    if modeText == "bilinear" || modeText == "trilinear" { modeText = "linear" }
    guard let mode = ResizeMode(rawValue: modeText) else {
      throw error(
        "attribute 'mode' is '\(modeText)'; it must be nearest, linear or cubic"
      )
    }
    // Resize-10 and Upsample sample as `asymmetric` with `floor` nearest.
    let legacy = node.opType == "Upsample" || opset < 11
    let transform = try attributes.string(
      "coordinate_transformation_mode",
      default: legacy ? "asymmetric" : "half_pixel")
    if transform == "tf_crop_and_resize" {
      throw error(
        "coordinate_transformation_mode 'tf_crop_and_resize' is not supported "
          + "(its output size depends on the roi)")
    }
    guard
      [
        "half_pixel", "half_pixel_symmetric", "pytorch_half_pixel",
        "align_corners", "asymmetric",
      ].contains(transform)
    else {
      throw error(
        "coordinate_transformation_mode '\(transform)' is not one of "
          + "half_pixel, half_pixel_symmetric, pytorch_half_pixel, "
          + "align_corners, asymmetric")
    }
    let nearest = try attributes.string(
      "nearest_mode", default: legacy ? "floor" : "round_prefer_floor")
    guard
      ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]
        .contains(nearest)
    else {
      throw error(
        "nearest_mode '\(nearest)' is not one of round_prefer_floor, "
          + "round_prefer_ceil, floor, ceil")
    }
    if try attributes.flag("antialias", default: false) {
      throw error("attribute 'antialias' 1 is not supported")
    }
    let sampling = ResizeSampling(
      coordinateTransformation: transform, nearestMode: nearest,
      cubicCoefficient: try attributes.float("cubic_coeff_a", default: -0.75),
      excludeOutside: try attributes.flag("exclude_outside", default: false))
    let input = node.input.first ?? ""
    var scales: String?
    var sizes: String?
    var added: [Tensor] = []
    if node.opType == "Upsample" || opset < 11 {
      if opset < 9, let values = try attributes.floats("scales") {
        let tensor = try floatInput(values, "scales")
        added.append(tensor)
        scales = tensor.name
      } else if node.input.count > 1 {
        scales = node.input[1]
      }
    } else {
      if node.input.count > 2, !node.input[2].isEmpty { scales = node.input[2] }
      if node.input.count > 3, !node.input[3].isEmpty { sizes = node.input[3] }
    }
    // Resize-18: values for the listed `axes` only, and the aspect policy.
    let axes = opset >= 18 ? try attributes.ints("axes") : nil
    let policy =
      opset >= 18
      ? try attributes.string("keep_aspect_ratio_policy", default: "stretch")
      : "stretch"
    guard ["stretch", "not_larger", "not_smaller"].contains(policy) else {
      throw error(
        "keep_aspect_ratio_policy '\(policy)' is not one of stretch, "
          + "not_larger, not_smaller")
    }
    if axes != nil || (policy != "stretch" && sizes != nil) {
      guard let dims = state.shape(input) else {
        throw error(
          "Resize with 'axes' or a keep_aspect_ratio_policy needs "
            + "the input's shape, which is unknown")
      }
      let rank = dims.count
      var listed: [Int] = []
      for axis in axes ?? Array(0..<rank) {
        guard axis >= -rank, axis < rank else {
          throw error("axis \(axis) is out of range for rank \(rank)")
        }
        listed.append(axis < 0 ? axis + rank : axis)
      }
      if let name = sizes {
        guard let values = state.constant(name)?.integers,
          values.count == listed.count
        else {
          throw error("'sizes' must be constant with \(listed.count) values")
        }
        var full = dims
        if policy == "stretch" {
          for (axis, value) in zip(listed, values) { full[axis] = Int(value) }
        } else {
          let ratios = zip(listed, values).map {
            Double($1) / Double(max(1, dims[$0]))
          }
          let scale =
            (policy == "not_larger" ? ratios.min() : ratios.max()) ?? 1
          for axis in listed {
            let size = (scale * Double(dims[axis])).rounded()
            guard size.isFinite, size >= 0, size < 1e15 else {
              throw error("the resized size \(size) is out of range")
            }
            full[axis] = Int(size)
          }
        }
        let tensor = try integerInput(full, "sizes")
        added.append(tensor)
        sizes = tensor.name
      } else if let name = scales {
        guard let constant = state.constant(name),
          constant.count == listed.count,
          case .floats(let values) = constant.values
        else {
          throw error(
            "'scales' must be constant float with \(listed.count) values")
        }
        var full = [Float](repeating: 1, count: rank)
        for (axis, value) in zip(listed, values) { full[axis] = value }
        let tensor = try floatInput(full, "scales")
        added.append(tensor)
        scales = tensor.name
      }
    }
    var inputs = [input, ""]
    inputs.append(scales ?? "")
    if let sizes { inputs.append(sizes) }
    var mapped = extended(
      .resize(mode: mode, sampling: sampling), inputs: inputs)
    mapped.initializers = added
    return mapped
  }

  /// Split-2/11 (`split` attribute), -13 (input) and -18 (`num_outputs`).
  private func split() throws(Diagnostic) -> MappedNode {
    let axis = try attributes.int("axis", default: 0)
    if opset >= 18, let parts = try attributes.optionalInt("num_outputs"),
      parts != node.output.count
    {
      throw error(
        "num_outputs \(parts) differs from the node's \(node.output.count) outputs"
      )
    }
    guard opset < 13, let sizes = try attributes.ints("split") else {
      return extended(.split(axis: axis))
    }
    return withInputs(
      .split(axis: axis), [1: try integerInput(sizes, "split")], keep: 1)
  }

  /// Pad-2 (`pads`, `mode`, `value` attributes) and Pad-11 and later
  /// (inputs).
  private func pad() throws(Diagnostic) -> MappedNode {
    let mode = try attributes.string("mode", default: "constant")
    guard ["constant", "reflect", "edge", "wrap"].contains(mode) else {
      throw error(
        "attribute 'mode' is '\(mode)'; it must be constant, "
          + "reflect, edge or wrap")
    }
    guard opset < 11 else { return extended(.pad(mode: mode)) }
    guard let pads = try attributes.ints("pads") else {
      throw attributes.missing("pads")
    }
    var added = [1: try integerInput(pads, "pads")]
    let value = try attributes.float("value", default: 0)
    if value != 0 { added[2] = try floatInput([value], "value") }
    return withInputs(.pad(mode: mode), added, keep: 1)
  }

  /// TopK-1 (`k` attribute) and TopK-10/11 (`K` input).
  private func topK() throws(Diagnostic) -> MappedNode {
    let op = ExtendedOperator.topK(
      axis: try attributes.int("axis", default: -1),
      largest: try attributes.flag("largest", default: true))
    guard opset < 10 else { return extended(op) }
    guard let k = try attributes.optionalInt("k") else {
      throw attributes.missing("k")
    }
    return withInputs(op, [1: try integerInput([k], "k")], keep: 1)
  }
}
