extension ShapeContext {
  /// Dispatches the operators of ``ExtendedOperator`` to their rules.
  func extended(_ op: ExtendedOperator) throws(NetworkError)
    -> [InferredOutput]
  {
    switch op {
    case .layerNormalization(let axis, _): return try layerNormalization(axis)
    case .groupNormalization(let groups, _):
      return [try groupNormalization(groups)]
    case .instanceNormalization:
      try arity(inputs: 3...3)
      let x = try operand(0, "input").shape
      guard x.rank >= 3 else {
        throw mismatch("input \(x) must have rank ≥ 3 ([N, C, spatial…])")
      }
      return [try same(0)]
    case .reduce(_, let keepDims, let noop):
      return [try reduce(keepDims: keepDims, noopWithEmptyAxes: noop)]
    case .elementwise(let function): return [try elementwise(function)]
    case .cast(let type):
      try arity(inputs: 1...1)
      return [
        InferredOutput(elementType: type, shape: try operand(0, "input").shape)
      ]
    case .quantizeLinear(let axis, let outputType):
      try arity(inputs: 2...3)
      try checkQuantizationParameters(axis)
      let type = outputType ?? optionalOperand(2)?.elementType ?? .uint8
      return [
        InferredOutput(elementType: type, shape: try operand(0, "x").shape)
      ]
    case .dequantizeLinear(let axis):
      try arity(inputs: 2...3)
      try checkQuantizationParameters(axis)
      return [
        InferredOutput(elementType: .float32, shape: try operand(0, "x").shape)
      ]
    case .gather(let axis): return [try gather(axis)]
    case .expand: return [try expand()]
    case .tile: return [try tile()]
    case .slice: return [try slice()]
    case .resize(let mode, _): return [try resize(mode)]
    case .split(let axis): return try split(axis)
    case .pad: return [try pad()]
    case .depthSpace(let toSpace, let blockSize, _):
      return [try depthSpace(toSpace: toSpace, blockSize: blockSize)]
    case .constantOfShape(let type, _): return [try constantOfShape(type)]
    case .range: return [try range()]
    case .shape(let start, let end):
      try arity(inputs: 1...1)
      let x = try operand(0, "data").shape
      let rank = x.rank
      func clamp(_ value: Int) -> Int {
        min(max(value < 0 ? value + rank : value, 0), rank)
      }
      let count = max(0, clamp(end ?? rank) - clamp(start))
      return [
        InferredOutput(elementType: .int64, shape: try TensorShape([count]))
      ]
    case .cumSum:
      try arity(inputs: 2...2)
      let x = try operand(0, "x").shape
      let axis = try integerConstant(1, "axis")
      guard axis.count == 1 else {
        throw .invalidAttribute(
          node: reference, message: "the axis input must hold one value")
      }
      _ = try normalize(axis: axis[0], rank: x.rank)
      return [try same(0)]
    case .trilu:
      try arity(inputs: 1...2)
      let x = try operand(0, "input").shape
      guard x.rank >= 2 else {
        throw mismatch("input \(x) must have rank ≥ 2")
      }
      if node.input(1) != nil { _ = try integerConstant(1, "k") }
      return [try same(0)]
    case .topK(let axis, _): return try topK(axis)
    case .detectionPostProcess(let attributes):
      return [try detectionPostProcess(attributes)]
    case .argExtreme(_, let axis, let keepDims, _):
      try arity(inputs: 1...1)
      let x = try operand(0, "data").shape
      let axis = try normalize(axis: axis, rank: x.rank)
      var dims = x.dims
      if keepDims { dims[axis] = 1 } else { dims.remove(at: axis) }
      return [
        InferredOutput(
          elementType: .int64, shape: try TensorShape(dims, output: reference))
      ]
    case .convTranspose(let attributes):
      return [try convTranspose(attributes)]
    case .recurrent(let attributes): return try recurrent(attributes)
    case .qLinearConv(let attributes):
      try arity(inputs: 8...9)
      let dims = try convDims(
        x: try operand(0, "x").shape, w: try operand(3, "w").shape,
        bias: optionalOperand(8)?.shape, attributes)
      return [try output(dims, like: 7)]
    case .convInteger(let attributes):
      try arity(inputs: 2...4)
      let dims = try convDims(
        x: try operand(0, "x").shape, w: try operand(1, "w").shape, bias: nil,
        attributes)
      return [
        InferredOutput(
          elementType: .int32, shape: try TensorShape(dims, output: reference))
      ]
    case .qLinearMatMul:
      try arity(inputs: 8...8)
      let dims = try matMulDims(
        try operand(0, "a").shape, try operand(3, "b").shape)
      return [try output(dims, like: 7)]
    case .matMulInteger:
      try arity(inputs: 2...4)
      let dims = try matMulDims(
        try operand(0, "A").shape, try operand(1, "B").shape)
      return [
        InferredOutput(
          elementType: .int32, shape: try TensorShape(dims, output: reference))
      ]
    case .einsum(let equation):
      guard !node.inputs.isEmpty else {
        throw .arity(node: reference, message: "has no inputs")
      }
      var shapes: [TensorShape] = []
      for index in node.inputs.indices {
        shapes.append(try operand(index, "operand").shape)
      }
      let parsed = try EinsumEquation(equation, shapes: shapes, node: reference)
      return [try output(parsed.outputDims)]
    }
  }

  /// LayerNormalization-17: `Y` like `X`; the optional `Mean` and
  /// `InvStdDev` outputs keep the leading axes and have size 1 from `axis`.
  private func layerNormalization(_ axis: Int) throws(NetworkError)
    -> [InferredOutput]
  {
    try arity(inputs: 2...3)
    let x = try operand(0, "X").shape
    let axis = try normalize(axis: axis, rank: x.rank)
    let normalized = Array(x.dims[axis...])
    for (index, role) in [(1, "Scale"), (2, "B")] {
      guard let shape = optionalOperand(index)?.shape else { continue }
      guard let dims = Self.broadcastDims(normalized, shape.dims),
        dims == normalized
      else {
        throw mismatch(
          "\(role) \(shape) does not broadcast to the normalised axes "
            + "\(NetworkError.list(normalized)) of \(x)")
      }
    }
    let statistics = Array(x.dims[..<axis]) + normalized.map { _ in 1 }
    let y = try same(0)
    let stats = InferredOutput(
      elementType: .float32,
      shape: try TensorShape(statistics, output: reference))
    return [y, stats, stats]
  }

  /// GroupNormalization-18/21: `C` divisible by `groups`.
  private func groupNormalization(_ groups: Int) throws(NetworkError)
    -> InferredOutput
  {
    try arity(inputs: 3...3)
    let x = try operand(0, "X").shape
    guard x.rank >= 3 else {
      throw mismatch("input \(x) must have rank ≥ 3 ([N, C, spatial…])")
    }
    guard groups >= 1, x[1] % groups == 0 else {
      throw .invalidAttribute(
        node: reference,
        message: "num_groups \(groups) does not divide the \(x[1]) channels")
    }
    return try same(0)
  }

  /// Reduce*-13/18: the constant `axes` of input 1, or every axis.
  private func reduce(keepDims: Bool, noopWithEmptyAxes: Bool)
    throws(NetworkError) -> InferredOutput
  {
    try arity(inputs: 1...2)
    let x = try operand(0, "data").shape
    let listed = node.input(1) != nil ? try integerConstant(1, "axes") : []
    if listed.isEmpty, noopWithEmptyAxes { return try same(0) }
    var axes: Set<Int> = []
    for axis in listed {
      guard axes.insert(try normalize(axis: axis, rank: x.rank)).inserted else {
        throw .invalidAttribute(
          node: reference, message: "axis \(axis) is listed twice")
      }
    }
    if listed.isEmpty { axes = Set(0..<x.rank) }
    var dims: [Int] = []
    for (index, dim) in x.dims.enumerated() {
      if !axes.contains(index) {
        dims.append(dim)
      } else if keepDims {
        dims.append(1)
      }
    }
    return try output(dims)
  }

  /// Element-wise functions: all inputs broadcast together (PRelu's slope
  /// broadcasts to `X`); predicates give bool, Where the type of `X`.
  private func elementwise(_ function: ElementwiseFunction)
    throws(NetworkError) -> InferredOutput
  {
    try arity(inputs: function.arity)
    var dims = try operand(0, "input").shape.dims
    for index in node.inputs.indices.dropFirst() {
      let other = try operand(index, "input").shape
      guard let merged = Self.broadcastDims(dims, other.dims) else {
        throw mismatch(
          "input \(index) \(other) does not broadcast with "
            + "\(NetworkError.list(dims))")
      }
      dims = merged
    }
    if function == .pRelu, dims != (try operand(0, "X").shape.dims) {
      throw mismatch(
        "slope \(try operand(1, "slope").shape) does not broadcast to X "
          + "\(try operand(0, "X").shape)")
    }
    let type: ElementType =
      function.isPredicate
      ? .bool
      : (function == .whereSelect
        ? try operand(1, "X").elementType : try operand(0, "A").elementType)
    return InferredOutput(
      elementType: type, shape: try TensorShape(dims, output: reference))
  }

  /// A per-tensor scale, or a 1-D one as long as the quantized axis.
  private func checkQuantizationParameters(_ axis: Int) throws(NetworkError) {
    let x = try operand(0, "x").shape
    let scale = try operand(1, "scale").shape
    guard scale.rank > 0, scale.elementCount > 1 else { return }
    let normalized = try normalize(axis: axis, rank: x.rank)
    guard scale.rank == 1, scale[0] == x[normalized] else {
      throw mismatch(
        "scale \(scale) must be a scalar or [\(x[normalized])] for axis "
          + "\(normalized) of \(x) (blocked quantization is not supported)")
    }
  }

  /// `TFLite_Detection_PostProcess`: box encodings with `anchors × 4` and
  /// class scores with `anchors × classes` elements per sample (any layout,
  /// batch first) to `[N, maxDetections · maxClassesPerDetection, 6]`.
  private func detectionPostProcess(
    _ attributes: DetectionPostProcessAttributes
  ) throws(NetworkError) -> InferredOutput {
    try arity(inputs: 2...2)
    let boxes = try operand(0, "box encodings").shape
    let scores = try operand(1, "class scores").shape
    let batch = boxes.rank > 0 ? boxes[0] : 1
    let a = attributes.anchors
    guard batch > 0, boxes.elementCount == batch * a * 4 else {
      throw mismatch(
        "box encodings \(boxes) must hold \(a) anchors × 4 per sample")
    }
    guard scores.rank > 0, scores[0] == batch,
      scores.elementCount == batch * a * attributes.classes
    else {
      throw mismatch(
        "class scores \(scores) must hold \(a) anchors × \(attributes.classes) classes per sample"
      )
    }
    return try output([
      batch, attributes.maxDetections * attributes.maxClassesPerDetection, 6,
    ])
  }

  /// TopK-11: values and int64 indices with `k` along `axis`.
  private func topK(_ axis: Int) throws(NetworkError) -> [InferredOutput] {
    try arity(inputs: 2...2)
    let x = try operand(0, "X").shape
    let k = try integerConstant(1, "K")
    let axis = try normalize(axis: axis, rank: x.rank)
    guard k.count == 1, k[0] >= 0, k[0] <= x[axis] else {
      throw .invalidAttribute(
        node: reference,
        message:
          "K \(NetworkError.list(k)) must be one value in [0, \(x[axis])]")
    }
    var dims = x.dims
    dims[axis] = k[0]
    let values = try output(dims)
    return [
      values, InferredOutput(elementType: .int64, shape: values.shape),
    ]
  }

  /// LSTM-14 / GRU-14: `Y [seq, dirs, batch, H]`, `Y_h [dirs, batch, H]`,
  /// LSTM's `Y_c` like `Y_h` (batch first with `layout` 1).
  private func recurrent(_ attributes: RecurrentAttributes)
    throws(NetworkError) -> [InferredOutput]
  {
    try arity(inputs: 3...(attributes.kind == .lstm ? 8 : 6))
    let x = try operand(0, "X").shape
    let w = try operand(1, "W").shape
    let r = try operand(2, "R").shape
    guard x.rank == 3 else {
      throw mismatch("X \(x) must be 3-D [seq, batch, input]")
    }
    let (sequence, batch) = attributes.batchFirst ? (x[1], x[0]) : (x[0], x[1])
    let h = attributes.hiddenSize
    let d = attributes.directions
    let rows = try Checked.multiply(
      attributes.kind.gates, h, "the gate rows", node: reference)
    guard w.dims == [d, rows, x[2]] else {
      throw mismatch(
        "W \(w) must be [\(d), \(rows), \(x[2])] for hidden_size \(h)")
    }
    guard r.dims == [d, rows, h] else {
      throw mismatch("R \(r) must be [\(d), \(rows), \(h)]")
    }
    if let b = optionalOperand(3)?.shape, b.dims != [d, 2 * rows] {
      throw mismatch("B \(b) must be [\(d), \(2 * rows)]")
    }
    // `rows` equals R's dimension here, so `2 * rows` cannot overflow.
    let y =
      attributes.batchFirst
      ? [batch, sequence, d, h] : [sequence, d, batch, h]
    let state = attributes.batchFirst ? [batch, d, h] : [d, batch, h]
    let outputs = [try output(y), try output(state)]
    return attributes.kind == .lstm ? outputs + [outputs[1]] : outputs
  }

  /// ConvTranspose-11: `X [N, C, D…]`, `W [C, M/group, k…]` give
  /// `Y [N, M, out…]` with `out = stride·(in − 1) + output_padding +
  /// dilation·(k − 1) + 1 − pads`, or `output_shape`, or `in·stride` for
  /// `SAME_*`.
  private func convTranspose(_ attributes: ConvTransposeAttributes)
    throws(NetworkError) -> InferredOutput
  {
    try arity(inputs: 2...3)
    let x = try operand(0, "X").shape
    let w = try operand(1, "W").shape
    let conv = attributes.conv
    guard x.rank >= 3, w.rank == x.rank else {
      throw mismatch(
        "input X \(x) must have rank ≥ 3 and weight \(w) the same rank")
    }
    guard conv.group >= 1, w[0] == x[1], x[1] % conv.group == 0 else {
      throw mismatch(
        "weight \(w) must have the \(x[1]) input channels of \(x) first, "
          + "divisible by group \(conv.group)")
    }
    let filters = try Checked.multiply(
      w[1], conv.group, "the output channels", node: reference)
    if let bias = optionalOperand(2)?.shape, bias.dims != [filters] {
      throw mismatch("bias \(bias) must be [\(filters)] for weight \(w)")
    }
    let spatial = x.rank - 2
    let kernel = Array(w.dims.dropFirst(2))
    if let declared = conv.kernelShape, declared != kernel {
      throw mismatch(
        "kernel_shape \(NetworkError.list(declared)) does not match weight \(w)"
      )
    }
    func list(_ values: [Int]?, _ name: String, count: Int, fill: Int)
      throws(NetworkError) -> [Int]
    {
      guard let values else { return Array(repeating: fill, count: count) }
      guard values.count == count else {
        throw .invalidAttribute(
          node: reference,
          message:
            "\(name) \(NetworkError.list(values)) must have \(count) values")
      }
      return values
    }
    let strides = try list(conv.strides, "strides", count: spatial, fill: 1)
    let dilations = try list(
      conv.dilations, "dilations", count: spatial, fill: 1)
    let outputPadding = try list(
      attributes.outputPadding, "output_padding", count: spatial, fill: 0)
    let pads = try list(conv.pads, "pads", count: 2 * spatial, fill: 0)
    var sizes: [Int] = []
    if let shape = attributes.outputShape {
      let shape = Array(shape.suffix(spatial))
      guard shape.count == spatial else {
        throw .invalidAttribute(
          node: reference,
          message:
            "output_shape \(NetworkError.list(shape)) needs \(spatial) sizes")
      }
      sizes = shape
    } else {
      for axis in 0..<spatial {
        let input = x[axis + 2]
        switch conv.autoPad {
        case .sameUpper, .sameLower:
          sizes.append(
            try Checked.multiply(
              input, strides[axis], "the output size", node: reference))
        case .valid, .notSet:
          let padding =
            conv.autoPad == .valid ? 0 : pads[axis] + pads[axis + spatial]
          let what = "the output size"
          let stretched = try Checked.multiply(
            strides[axis], input - 1, what, node: reference)
          let span = try Checked.multiply(
            dilations[axis], kernel[axis] - 1, what, node: reference)
          var size = try Checked.add(
            stretched, outputPadding[axis], what, node: reference)
          size = try Checked.add(size, span + 1, what, node: reference)
          let (cropped, overflow) = size.subtractingReportingOverflow(padding)
          guard !overflow else {
            throw .overflow(what: what, node: reference)
          }
          sizes.append(cropped)
        }
      }
    }
    guard sizes.allSatisfy({ $0 >= 1 }) else {
      throw mismatch(
        "the output sizes \(NetworkError.list(sizes)) are not positive")
    }
    return try output([x[0], filters] + sizes)
  }
}
