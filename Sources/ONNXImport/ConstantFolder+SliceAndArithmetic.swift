import NetworkGraph

extension ConstantFolder {
  /// Slice-13: inputs `data`, `starts`, `ends`, optional `axes` and `steps`;
  /// out-of-range bounds are clamped as the specification says.
  func foldSlice() throws(Failure) -> FoldOutcome {
    let data = try operand(0)
    let starts = try integers(1, "starts")
    let ends = try integers(2, "ends")
    let rank = data.dims.count
    let axes =
      try optionalOperand(3) != nil
      ? try integers(3, "axes") : Array(0..<starts.count)
    let steps =
      try optionalOperand(4) != nil
      ? try integers(4, "steps") : starts.map { _ in 1 }
    guard starts.count == ends.count, axes.count == starts.count,
      steps.count == starts.count
    else { throw .invalid("starts, ends, axes and steps differ in length") }
    var positions = data.dims.map { Array(0..<$0) }
    var seen: Set<Int> = []
    for i in starts.indices {
      let axis = try axis(axes[i], rank: rank)
      guard seen.insert(axis).inserted else {
        throw .invalid("axis \(axis) is listed twice")
      }
      let size = data.dims[axis]
      let step = steps[i]
      guard step != 0 else { throw .invalid("a step is 0") }
      func normalized(_ value: Int) -> Int {
        if value < 0 { return value < -size ? -1 : value + size }
        return value > size ? size + 1 : value
      }
      var list: [Int] = []
      if step > 0 {
        var position = min(max(normalized(starts[i]), 0), size)
        let end = min(max(normalized(ends[i]), 0), size)
        while position < end {
          list.append(position)
          let (next, overflow) = position.addingReportingOverflow(step)
          if overflow { break }
          position = next
        }
      } else {
        var position = min(max(normalized(starts[i]), 0), size - 1)
        let end = min(max(normalized(ends[i]), -1), size - 1)
        while position > end {
          list.append(position)
          let (next, overflow) = position.addingReportingOverflow(step)
          if overflow { break }
          position = next
        }
      }
      positions[axis] = list
    }
    let dims = positions.map(\.count)
    let sources = ConstantValue.gatherIndices(
      positions: positions, sourceDims: data.dims)
    return .folded([data.selecting(sources, dims: dims)])
  }

  /// Integer Add-14, Sub-14, Mul-14 and Div-14 with NumPy broadcasting;
  /// division truncates toward zero.
  ///
  /// Float operands are evaluated (in Float32, as onnxruntime does) only
  /// when one of them was computed from a graph input's shape: exporters
  /// size patches and paddings by
  /// `Cast(float) → Div → Ceil → Cast(int64)` chains (Hugging Face
  /// MobileViT); learned float weights stay nodes.
  ///
  /// Overflow or a zero integer divisor is invalid.
  func foldArithmetic(_ opType: String) throws(Failure) -> FoldOutcome {
    let a = try operand(0)
    let b = try operand(1)
    guard let x = a.integers, let y = b.integers else {
      guard case .floats(let x) = a.values, case .floats(let y) = b.values,
        inputs.prefix(2).contains(where: state.isShapeComputed)
      else { throw .notConstant }
      return try foldFloatArithmetic(opType, a, x, b, y)
    }
    let (dims, left, right) = try broadcast(a.dims, b.dims)
    var result: [Int64] = []
    for (i, j) in zip(left, right) {
      let (p, q) = (x[i], y[j])
      let (value, overflow): (Int64, Bool)
      switch opType {
      case "Add": (value, overflow) = p.addingReportingOverflow(q)
      case "Sub": (value, overflow) = p.subtractingReportingOverflow(q)
      case "Mul": (value, overflow) = p.multipliedReportingOverflow(by: q)
      default:
        guard q != 0 else { throw .invalid("division by zero") }
        (value, overflow) = p.dividedReportingOverflow(by: q)
      }
      guard !overflow else {
        throw .invalid("\(opType) overflows 64-bit integers")
      }
      result.append(value)
    }
    return .folded([
      ConstantValue(
        elementType: a.elementType, dims: dims, values: .integers(result))
    ])
  }

  /// Broadcast dimensions of `a` and `b`, with each output element's
  /// row-major source index in either.
  private func broadcast(_ a: [Int], _ b: [Int]) throws(Failure) -> (
    dims: [Int], left: [Int], right: [Int]
  ) {
    let rank = max(a.count, b.count)
    let da = Array(repeating: 1, count: rank - a.count) + a
    let db = Array(repeating: 1, count: rank - b.count) + b
    var dims: [Int] = []
    for (p, q) in zip(da, db) {
      guard p == q || p == 1 || q == 1 else {
        throw .invalid("shapes \(a) and \(b) do not broadcast")
      }
      dims.append(p == 1 ? q : p)
    }
    _ = try checkedCount(dims)
    func sources(_ d: [Int]) -> [Int] {
      ConstantValue.gatherIndices(
        positions: zip(d, dims).map {
          $0 == 1 ? Array(repeating: 0, count: $1) : Array(0..<$1)
        },
        sourceDims: d)
    }
    return (dims, sources(da), sources(db))
  }

  private func foldFloatArithmetic(
    _ opType: String, _ a: ConstantValue, _ x: [Float], _ b: ConstantValue,
    _ y: [Float]
  ) throws(Failure) -> FoldOutcome {
    let (dims, left, right) = try broadcast(a.dims, b.dims)
    let result = zip(left, right).map { i, j -> Float in
      switch opType {
      case "Add": x[i] + y[j]
      case "Sub": x[i] - y[j]
      case "Mul": x[i] * y[j]
      default: x[i] / y[j]
      }
    }
    return .folded([
      ConstantValue(
        elementType: a.elementType, dims: dims, values: .floats(result))
    ])
  }

  /// Ceil-13, Floor-13 and Round-11 of a float computed from a graph input's
  /// shape (the `math.ceil(h / patch)` of a patch grid); other inputs stay
  /// nodes.
  func foldRounding(_ opType: String) throws(Failure) -> FoldOutcome {
    let a = try operand(0)
    guard case .floats(let x) = a.values, state.isShapeComputed(inputs[0])
    else { throw .notConstant }
    let rule: FloatingPointRoundingRule =
      switch opType {
      case "Ceil": .up
      case "Floor": .down
      default: .toNearestOrEven
      }
    return .folded([
      ConstantValue(
        elementType: a.elementType, dims: a.dims,
        values: .floats(x.map { $0.rounded(rule) }))
    ])
  }
}
