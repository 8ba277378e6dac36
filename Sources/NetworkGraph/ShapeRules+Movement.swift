extension ShapeContext {
  /// The values of a constant input as floats (integers converted), or
  /// `nil` when the input is absent or empty.
  func floatConstant(_ index: Int, _ role: String) throws(NetworkError)
    -> [Float]?
  {
    guard let name = node.input(index) else { return nil }
    guard let tensor = constant(index) else {
      throw .nonConstantOperand(node: reference, tensor: name, role: role)
    }
    if let floats = tensor.floatValues { return floats }
    return tensor.integerValues?.map { Float($0) }
  }

  /// Gather-13: `data[…, indices, …]` along `axis`.
  func gather(_ axis: Int) throws(NetworkError) -> InferredOutput {
    try arity(inputs: 2...2)
    let data = try operand(0, "data")
    let indices = try operand(1, "indices")
    guard !indices.elementType.isFloatingPoint else {
      throw mismatch("indices must be integers, not \(indices.elementType)")
    }
    let x = data.shape
    guard x.rank >= 1 else { throw mismatch("data \(x) must have rank ≥ 1") }
    let axis = try normalize(axis: axis, rank: x.rank)
    if let values = constant(1)?.integerValues {
      for value in values where value < -Int64(x[axis]) || value >= x[axis] {
        throw mismatch(
          "index \(value) is out of range for axis \(axis) of \(x)")
      }
    }
    let dims =
      Array(x.dims[..<axis]) + indices.shape.dims + Array(x.dims[(axis + 1)...])
    return InferredOutput(
      elementType: data.elementType,
      shape: try TensorShape(dims, output: reference))
  }

  /// Expand-13: the input broadcast with the constant shape of input 1.
  func expand() throws(NetworkError) -> InferredOutput {
    try arity(inputs: 2...2)
    let x = try operand(0, "input").shape
    let target = try integerConstant(1, "shape")
    guard let dims = Self.broadcastDims(x.dims, target) else {
      throw mismatch(
        "input \(x) does not broadcast with shape \(NetworkError.list(target))")
    }
    return try output(dims)
  }

  /// Tile-13: each axis times the constant `repeats`.
  func tile() throws(NetworkError) -> InferredOutput {
    try arity(inputs: 2...2)
    let x = try operand(0, "input").shape
    let repeats = try integerConstant(1, "repeats")
    guard repeats.count == x.rank, repeats.allSatisfy({ $0 >= 0 }) else {
      throw .invalidAttribute(
        node: reference,
        message: "repeats \(NetworkError.list(repeats)) must hold \(x.rank) "
          + "non-negative values for \(x)")
    }
    var dims: [Int] = []
    for (dim, times) in zip(x.dims, repeats) {
      dims.append(
        try Checked.multiply(dim, times, "the tiled size", node: reference))
    }
    return try output(dims)
  }

  /// Slice-13: constant `starts`, `ends`, optional `axes` and `steps`,
  /// clamped as the specification says.
  func slice() throws(NetworkError) -> InferredOutput {
    try arity(inputs: 3...5)
    let x = try operand(0, "data").shape
    let starts = try integerConstant(1, "starts")
    let ends = try integerConstant(2, "ends")
    let axes =
      node.input(3) != nil
      ? try integerConstant(3, "axes") : Array(0..<starts.count)
    let steps =
      node.input(4) != nil
      ? try integerConstant(4, "steps") : starts.map { _ in 1 }
    guard ends.count == starts.count, axes.count == starts.count,
      steps.count == starts.count
    else {
      throw .invalidAttribute(
        node: reference,
        message: "starts, ends, axes and steps must have the same length")
    }
    var dims = x.dims
    var seen: Set<Int> = []
    for index in starts.indices {
      let axis = try normalize(axis: axes[index], rank: x.rank)
      guard seen.insert(axis).inserted else {
        throw .invalidAttribute(
          node: reference, message: "axis \(axis) is listed twice")
      }
      let step = steps[index]
      guard step != 0 else {
        throw .invalidAttribute(node: reference, message: "a step is 0")
      }
      dims[axis] = Self.sliceCount(
        size: x[axis], start: starts[index], end: ends[index], step: step)
    }
    return try output(dims)
  }

  /// The number of elements Slice keeps on an axis of `size`.
  static func sliceCount(size: Int, start: Int, end: Int, step: Int) -> Int {
    func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int {
      let shifted = value < 0 ? (value < -size ? low : value + size) : value
      return min(max(shifted, low), high)
    }
    // Written so that no step, however large, overflows.
    if step > 0 {
      let first = clamp(start, 0, size)
      let last = clamp(end, 0, size)
      return last > first ? (last - first - 1) / step + 1 : 0
    }
    let first = max(clamp(start, -1, size - 1), min(0, size - 1))
    let last = clamp(end, -1, size - 1)
    let stride = step == .min ? Int.max : -step
    return first > last ? (first - last - 1) / stride + 1 : 0
  }

  /// Resize-11/13/18/19: `sizes` (input 3) or `floor(d · scale)` from
  /// `scales` (input 2); one value per axis (the importer expands `axes`).
  func resize(_ mode: ResizeMode) throws(NetworkError) -> InferredOutput {
    try arity(inputs: 1...4)
    let x = try operand(0, "X").shape
    if node.input(3) != nil {
      let sizes = try integerConstant(3, "sizes")
      guard sizes.count == x.rank, sizes.allSatisfy({ $0 >= 1 }) else {
        throw .invalidAttribute(
          node: reference,
          message: "sizes \(NetworkError.list(sizes)) must hold \(x.rank) "
            + "positive values for \(x)")
      }
      return try output(sizes)
    }
    guard let scales = try floatConstant(2, "scales"), !scales.isEmpty else {
      throw .invalidAttribute(
        node: reference, message: "needs constant 'scales' or 'sizes'")
    }
    guard scales.count == x.rank, scales.allSatisfy({ $0 > 0 && $0.isFinite })
    else {
      throw .invalidAttribute(
        node: reference,
        message: "scales \(scales) must hold \(x.rank) positive values for \(x)"
      )
    }
    var dims: [Int] = []
    for (dim, scale) in zip(x.dims, scales) {
      let size = (Double(dim) * Double(scale)).rounded(.down)
      guard size >= 1, size < 1e15 else {
        throw mismatch("scale \(scale) makes axis size \(dim) become \(size)")
      }
      dims.append(Int(size))
    }
    return try output(dims)
  }

  /// Split-13/18: sizes from the constant input 1, else equal parts (the
  /// last smaller when the axis does not divide, as Split-18 says).
  func split(_ axis: Int) throws(NetworkError) -> [InferredOutput] {
    try arity(inputs: 1...2)
    let x = try operand(0, "input").shape
    let axis = try normalize(axis: axis, rank: x.rank)
    let parts = node.outputs.count
    var sizes: [Int]
    if node.input(1) != nil {
      sizes = try integerConstant(1, "split")
      guard sizes.count == parts, sizes.allSatisfy({ $0 >= 0 }),
        sizes.reduce(0, +) == x[axis]
      else {
        throw mismatch(
          "split \(NetworkError.list(sizes)) must give \(parts) non-negative "
            + "sizes summing to \(x[axis]), axis \(axis) of \(x)")
      }
    } else {
      guard parts >= 1 else {
        throw .arity(node: reference, message: "has no outputs")
      }
      let chunk = (x[axis] + parts - 1) / parts
      sizes = (0..<parts).map { max(0, min(chunk, x[axis] - $0 * chunk)) }
    }
    var results: [InferredOutput] = []
    for size in sizes {
      var dims = x.dims
      dims[axis] = size
      results.append(try output(dims))
    }
    return results
  }

  /// Pad-11…21: constant `pads` `[begins…, ends…]` for every axis, or for
  /// the constant `axes` of input 3; negative pads crop.
  func pad() throws(NetworkError) -> InferredOutput {
    try arity(inputs: 2...4)
    let x = try operand(0, "data").shape
    let pads = try integerConstant(1, "pads")
    let axes: [Int]
    if node.input(3) != nil {
      var normalized: [Int] = []
      for axis in try integerConstant(3, "axes") {
        normalized.append(try normalize(axis: axis, rank: x.rank))
      }
      axes = normalized
    } else {
      axes = Array(0..<x.rank)
    }
    guard pads.count == 2 * axes.count else {
      throw .invalidAttribute(
        node: reference,
        message: "pads \(NetworkError.list(pads)) must hold \(2 * axes.count) "
          + "values for \(x)")
    }
    var dims = x.dims
    for (index, axis) in axes.enumerated() {
      let (begin, first) = dims[axis].addingReportingOverflow(pads[index])
      let (end, second) = begin.addingReportingOverflow(
        pads[index + axes.count])
      guard !first, !second else {
        throw .overflow(what: "the padded size", node: reference)
      }
      dims[axis] = end
      guard dims[axis] >= 0 else {
        throw mismatch(
          "pads \(NetworkError.list(pads)) crop axis \(axis) of \(x) below 0")
      }
    }
    return try output(dims)
  }

  /// DepthToSpace-13 / SpaceToDepth-13 on `[N, C, H, W]`.
  func depthSpace(toSpace: Bool, blockSize: Int) throws(NetworkError)
    -> InferredOutput
  {
    try arity(inputs: 1...1)
    let x = try operand(0, "input").shape
    guard x.rank == 4, blockSize >= 1 else {
      throw mismatch(
        "input \(x) must be 4-D and blocksize \(blockSize) at least 1")
    }
    let area = try Checked.multiply(
      blockSize, blockSize, "the block area", node: reference)
    if toSpace {
      guard x[1] % area == 0 else {
        throw mismatch("channels of \(x) are not divisible by \(area)")
      }
      return try output([
        x[0], x[1] / area,
        try Checked.multiply(x[2], blockSize, "the height", node: reference),
        try Checked.multiply(x[3], blockSize, "the width", node: reference),
      ])
    }
    guard x[2] % blockSize == 0, x[3] % blockSize == 0 else {
      throw mismatch(
        "height and width of \(x) are not divisible by \(blockSize)")
    }
    return try output([
      x[0], x[1] * area, x[2] / blockSize, x[3] / blockSize,
    ])
  }

  /// ConstantOfShape-9/20: the constant shape of input 0.
  func constantOfShape(_ type: ElementType) throws(NetworkError)
    -> InferredOutput
  {
    try arity(inputs: 1...1)
    let dims = try integerConstant(0, "shape")
    return InferredOutput(
      elementType: type, shape: try TensorShape(dims, output: reference))
  }

  /// Range-11: `max(ceil((limit − start) / delta), 0)` elements.
  func range() throws(NetworkError) -> InferredOutput {
    try arity(inputs: 3...3)
    var values: [Double] = []
    for (index, role) in [(0, "start"), (1, "limit"), (2, "delta")] {
      guard let list = try floatConstant(index, role), list.count == 1 else {
        throw .invalidAttribute(
          node: reference, message: "\(role) must be a constant scalar")
      }
      values.append(Double(list[0]))
    }
    if let integers = constant(0)?.integerValues,
      let limit = constant(1)?
        .integerValues, let delta = constant(2)?.integerValues
    {
      values = [Double(integers[0]), Double(limit[0]), Double(delta[0])]
    }
    guard values[2] != 0 else {
      throw .invalidAttribute(node: reference, message: "delta is 0")
    }
    let count = max(0, ((values[1] - values[0]) / values[2]).rounded(.up))
    guard count < 1e15 else {
      throw mismatch("the range has \(count) elements")
    }
    return try output([Int(count)])
  }
}
