import NetworkGraph

/// What a data-movement node (Flatten, Reshape, Identity, Dropout,
/// Squeeze, Unsqueeze, Transpose) does to its input: a new shape over the
/// same row-major data, or a gather.
enum LayoutPlan {
  case reshape([Int])
  case gather(shape: [Int], indices: [Int])

  /// Applies the plan to row-major values.
  func apply<T>(_ values: [T]) -> (shape: [Int], values: [T]) {
    switch self {
    case .reshape(let shape): return (shape, values)
    case .gather(let shape, let indices):
      return (shape, indices.map { values[$0] })
    }
  }

  /// Resolves a layout node's effect on an input shape.
  static func make(_ node: Node, input shape: [Int], network: Network)
    throws(ExecutionError)
    -> LayoutPlan
  {
    let reference = node.reference
    let count = FloatTensor.count(shape)
    func constant(_ index: Int) throws(ExecutionError) -> [Int]? {
      guard index < node.inputs.count, !node.inputs[index].isEmpty else {
        return nil
      }
      let name = node.inputs[index]
      guard let tensor = network.initializer(named: name) else {
        throw .unsupported(
          node: reference, message: "input '\(name)' must be a constant")
      }
      if let integers = tensor.integerValues {
        return integers.map { Int(clamping: $0) }
      }
      guard let floats = tensor.floatValues else {
        throw .missingData(tensor: name)
      }
      return floats.map { Int(exactly: $0) ?? 0 }
    }
    func normalized(_ axis: Int, rank: Int) throws(ExecutionError) -> Int {
      let value = axis < 0 ? axis + rank : axis
      guard value >= 0, value < max(rank, 1) || (rank == 0 && value == 0) else {
        throw .unsupported(
          node: reference, message: "axis \(axis) is out of range for \(shape)")
      }
      return value
    }
    switch node.op {
    case .identity, .dropout:
      return .reshape(shape)
    case .flatten(let axis):
      let a = axis < 0 ? axis + shape.count : axis
      guard a >= 0, a <= shape.count else {
        throw .unsupported(
          node: reference, message: "axis \(axis) is out of range for \(shape)")
      }
      return .reshape([
        FloatTensor.count(Array(shape[..<a])),
        FloatTensor.count(Array(shape[a...])),
      ])
    case .reshape(let allowZero):
      guard let target = try constant(1) else {
        throw .unsupported(
          node: reference, message: "needs a constant target shape")
      }
      var dims: [Int] = []
      var inferred: Int?
      for (index, value) in target.enumerated() {
        if value == -1 {
          inferred = index
          dims.append(1)
        } else if value == 0 && !allowZero && index < shape.count {
          dims.append(shape[index])
        } else {
          dims.append(value)
        }
      }
      if let inferred {
        let known = FloatTensor.count(dims)
        guard known > 0, count % known == 0 else {
          throw .shapeMismatch(
            tensor: node.outputs.first ?? "",
            message: "cannot reshape \(shape) to \(target)")
        }
        dims[inferred] = count / known
      }
      guard FloatTensor.count(dims) == count, dims.allSatisfy({ $0 >= 0 })
      else {
        throw .shapeMismatch(
          tensor: node.outputs.first ?? "",
          message: "cannot reshape \(shape) to \(target)")
      }
      return .reshape(dims)
    case .squeeze(let attribute):
      let axes = try constant(1) ?? attribute
      guard let axes else { return .reshape(shape.filter { $0 != 1 }) }
      var removed: Set<Int> = []
      for axis in axes {
        removed.insert(try normalized(axis, rank: shape.count))
      }
      return .reshape(
        shape.enumerated().filter { !removed.contains($0.offset) }.map(
          \.element))
    case .unsqueeze(let attribute):
      guard let axes = try constant(1) ?? attribute else {
        throw .unsupported(node: reference, message: "needs axes")
      }
      let rank = shape.count + axes.count
      var inserted: Set<Int> = []
      for axis in axes { inserted.insert(try normalized(axis, rank: rank)) }
      var source = shape.makeIterator()
      return .reshape(
        (0..<rank).map { inserted.contains($0) ? 1 : (source.next() ?? 1) })
    case .transpose(let perm):
      let rank = shape.count
      let perm = perm ?? Array((0..<rank).reversed())
      guard perm.count == rank, Set(perm) == Set(0..<rank) else {
        throw .unsupported(
          node: reference, message: "perm \(perm) does not fit \(shape)")
      }
      let outShape = perm.map { shape[$0] }
      var inStrides = Array(repeating: 1, count: rank)
      var running = 1
      for axis in stride(from: rank - 1, through: 0, by: -1) {
        inStrides[axis] = running
        running *= shape[axis]
      }
      var indices: [Int] = []
      indices.reserveCapacity(count)
      var index = Array(repeating: 0, count: rank)
      for _ in 0..<count {
        var source = 0
        for axis in 0..<rank { source += index[axis] * inStrides[perm[axis]] }
        indices.append(source)
        var axis = rank - 1
        while axis >= 0 {
          index[axis] += 1
          if index[axis] < outShape[axis] { break }
          index[axis] = 0
          axis -= 1
        }
      }
      return .gather(shape: outShape, indices: indices)
    default:
      throw .unsupported(
        node: reference, message: "is not a data-movement operator")
    }
  }
}
