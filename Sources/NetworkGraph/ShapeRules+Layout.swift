extension ShapeContext {
  /// Softmax-13: the output has the input's shape; `axis` must be in range.
  func softmax(_ axis: Int) throws(NetworkError) -> InferredOutput {
    try arity(inputs: 1...1)
    let x = try operand(0, "input").shape
    _ = try normalize(axis: axis, rank: x.rank)
    return try same(0)
  }

  /// Concat-13: all inputs have one rank and agree on every axis but `axis`,
  /// whose sizes add up.
  func concat(_ axis: Int) throws(NetworkError) -> InferredOutput {
    guard !node.inputs.isEmpty else {
      throw .arity(node: reference, message: "Concat needs at least one input")
    }
    let first = try operand(0, "first").shape
    let axis = try normalize(axis: axis, rank: first.rank)
    var dims = first.dims
    for index in 1..<max(1, node.inputs.count) {
      let shape = try operand(index, "input \(index)").shape
      guard shape.rank == first.rank else {
        throw mismatch(
          "input \(index) \(shape) has rank \(shape.rank), input 0 \(first) has \(first.rank)"
        )
      }
      for d in 0..<shape.rank where d != axis && shape[d] != first[d] {
        throw mismatch(
          "input \(index) \(shape) differs from input 0 \(first) on axis \(d), "
            + "which is not the concatenation axis \(axis)")
      }
      dims[axis] = try Checked.add(
        dims[axis], shape[axis], "the concatenated size", node: reference)
    }
    return try output(dims)
  }

  /// Flatten-13: `[d0, …, dn]` becomes
  /// `[d0·…·d(axis−1), d(axis)·…·dn]`; `axis` is in `[-rank, rank]`.
  func flatten(_ axis: Int) throws(NetworkError) -> InferredOutput {
    try arity(inputs: 1...1)
    let x = try operand(0, "input").shape
    let axis = try normalize(axis: axis, rank: x.rank, inclusive: true)
    let outer = x.dims[..<axis].reduce(1, *)
    let inner = x.dims[axis...].reduce(1, *)
    return try output([outer, inner])
  }

  /// Reshape-14/21: the target is the constant in input 1.
  ///
  /// A `0` copies the input's dimension at that index (a literal zero with
  /// `allowzero`), one `-1` is inferred so element counts match.
  func reshape(allowZero: Bool) throws(NetworkError) -> InferredOutput {
    try arity(inputs: 2...2)
    let x = try operand(0, "data").shape
    let target = try integerConstant(1, "target shape")
    var dims: [Int] = []
    var inferred: Int?
    for (index, value) in target.enumerated() {
      switch value {
      case -1:
        guard inferred == nil else {
          throw mismatch(
            "target \(NetworkError.list(target)) has more than one -1")
        }
        inferred = index
        dims.append(1)
      case 0 where !allowZero:
        guard index < x.rank else {
          throw mismatch(
            "target \(NetworkError.list(target)) copies dimension \(index) (0), "
              + "but input \(x) has rank \(x.rank)")
        }
        dims.append(x[index])
      case ..<(-1):
        throw mismatch(
          "target \(NetworkError.list(target)) has invalid value \(value)")
      default:
        dims.append(value)
      }
    }
    if allowZero, inferred != nil, target.contains(0) {
      throw .invalidAttribute(
        node: reference,
        message: "with allowzero = 1 the target \(NetworkError.list(target)) "
          + "may not hold both 0 and -1")
    }
    if let inferred {
      var known = 1
      for (index, dim) in dims.enumerated() where index != inferred {
        known = try Checked.multiply(
          known, dim, "the target's element count", node: reference)
      }
      guard known > 0, x.elementCount % known == 0 else {
        throw mismatch(
          "cannot infer -1 in target \(NetworkError.list(target)): input \(x) has "
            + "\(x.elementCount) elements, not a multiple of \(known)")
      }
      dims[inferred] = x.elementCount / known
    }
    let shape = try TensorShape(dims, output: reference)
    guard shape.elementCount == x.elementCount else {
      throw mismatch(
        "input \(x) has \(x.elementCount) elements but the target "
          + "\(NetworkError.list(target)) resolves to \(shape) with \(shape.elementCount)"
      )
    }
    return try output(dims)
  }

  /// Transpose-13: output axis `i` is input axis `perm[i]`; the default
  /// reverses the axes.
  func transpose(_ perm: [Int]?) throws(NetworkError) -> InferredOutput {
    try arity(inputs: 1...1)
    let x = try operand(0, "data").shape
    let perm = perm ?? Array((0..<x.rank).reversed())
    guard perm.count == x.rank, Set(perm) == Set(0..<x.rank) else {
      throw .invalidAttribute(
        node: reference,
        message: "perm \(NetworkError.list(perm)) is not a permutation of the "
          + "\(x.rank) axes of \(x)")
    }
    return try output(perm.map { x[$0] })
  }

  /// Squeeze-11/13: removes the listed size-1 axes (from the attribute, or
  /// the constant `axes` input, which wins), or every size-1 axis.
  func squeeze(_ attribute: [Int]?) throws(NetworkError) -> InferredOutput {
    try arity(inputs: 1...2)
    let x = try operand(0, "data").shape
    let axes = node.input(1) != nil ? try integerConstant(1, "axes") : attribute
    guard let axes else { return try output(x.dims.filter { $0 != 1 }) }
    var removed: Set<Int> = []
    for axis in axes {
      let axis = try normalize(axis: axis, rank: x.rank)
      guard removed.insert(axis).inserted else {
        throw .invalidAttribute(
          node: reference, message: "axis \(axis) is listed twice")
      }
      guard x[axis] == 1 else {
        throw mismatch(
          "cannot squeeze axis \(axis) of \(x): its size is \(x[axis]), not 1")
      }
    }
    return try output(
      x.dims.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    )
  }

  /// Unsqueeze-11/13: inserts size-1 axes at the listed positions of the
  /// output (negative positions count from the output's end).
  func unsqueeze(_ attribute: [Int]?) throws(NetworkError) -> InferredOutput {
    try arity(inputs: 1...2)
    let x = try operand(0, "data").shape
    let axes = node.input(1) != nil ? try integerConstant(1, "axes") : attribute
    guard let axes else {
      throw .invalidAttribute(
        node: reference, message: "needs 'axes' (attribute or input)")
    }
    let rank = x.rank + axes.count
    var inserted: Set<Int> = []
    for axis in axes {
      let axis = try normalize(axis: axis, rank: rank)
      guard inserted.insert(axis).inserted else {
        throw .invalidAttribute(
          node: reference, message: "axis \(axis) is listed twice")
      }
    }
    var source = x.dims.makeIterator()
    var dims: [Int] = []
    for index in 0..<rank {
      dims.append(inserted.contains(index) ? 1 : (source.next() ?? 1))
    }
    return try output(dims)
  }
}
