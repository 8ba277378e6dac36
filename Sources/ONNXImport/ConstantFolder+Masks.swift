import NetworkGraph

extension ConstantFolder {
  /// ConstantOfShape-9/20: the shape in input 0 filled with the `value`
  /// attribute's single element (float32 0 when absent).
  func foldConstantOfShape() throws(Failure) -> FoldOutcome {
    let dims = try integers(0, "shape")
    guard dims.allSatisfy({ $0 >= 0 }) else {
      throw .invalid("the shape \(dims) has a negative dimension")
    }
    let count = try checkedCount(dims)
    var type = ElementType.float32
    var fill = DecodedValues.floats([0])
    do {
      if let tensor = try attributes.tensor("value") {
        guard let decoded = ElementType(rawValue: Int(tensor.dataType)) else {
          throw Failure.invalid(
            "the value's data type \(tensor.dataType) is not supported")
        }
        type = decoded
        let decoder = TensorDecoder(
          context: attributes.context, maximumExternalTensorBytes: 0)
        let value = try decoder.decode(
          tensor, name: "value", externalData: { _ in .notFound })
        guard let constant = ConstantValue(value.tensor), constant.count == 1
        else { throw Failure.invalid("'value' must hold one element") }
        fill = constant.values
      }
    } catch let failure as Failure {
      throw failure
    } catch {
      throw .invalid("\(error)")
    }
    switch fill {
    case .floats(let values):
      return .folded([
        ConstantValue(
          elementType: type, dims: dims,
          values: .floats(Array(repeating: values[0], count: count)))
      ])
    case .integers(let values):
      return .folded([
        ConstantValue(
          elementType: type, dims: dims,
          values: .integers(Array(repeating: values[0], count: count)))
      ])
    }
  }

  /// Range-11 on integer or float scalars.
  func foldRange() throws(Failure) -> FoldOutcome {
    let start = try operand(0)
    let limit = try operand(1)
    let delta = try operand(2)
    guard start.count == 1, limit.count == 1, delta.count == 1 else {
      throw .invalid("start, limit and delta must be scalars")
    }
    if let a = start.integers, let b = limit.integers, let d = delta.integers {
      guard d[0] != 0 else { throw .invalid("delta is 0") }
      let span = Double(b[0]) - Double(a[0])
      let steps = (span / Double(d[0])).rounded(.up)
      guard steps <= Double(Self.maximumElements) else { throw .notConstant }
      let count = steps > 0 ? Int(steps) : 0
      var values: [Int64] = []
      for index in 0..<count {
        let (offset, first) = Int64(index).multipliedReportingOverflow(by: d[0])
        let (value, second) = a[0].addingReportingOverflow(offset)
        guard !first, !second else { throw .invalid("the range overflows") }
        values.append(value)
      }
      return .folded([
        ConstantValue(
          elementType: start.elementType, dims: [count],
          values: .integers(values))
      ])
    }
    guard case .floats(let a) = start.values,
      case .floats(let b) = limit.values,
      case .floats(let d) = delta.values
    else { throw .notConstant }
    guard d[0] != 0 else { throw .invalid("delta is 0") }
    let steps = ((b[0] - a[0]) / d[0]).rounded(.up)
    guard steps.isFinite else { throw .invalid("the range is not finite") }
    guard steps <= Float(Self.maximumElements) else { throw .notConstant }
    let count = steps > 0 ? Int(steps) : 0
    let values = (0..<count).map { a[0] + Float($0) * d[0] }
    return .folded([
      ConstantValue(
        elementType: start.elementType, dims: [count], values: .floats(values))
    ])
  }

  /// Equal, Less, Greater, LessOrEqual, GreaterOrEqual, And, Or, Xor, Not
  /// and Where with NumPy broadcasting, as in attention-mask chains.
  func foldPredicate(_ opType: String) throws(Failure) -> FoldOutcome {
    var parts: [ConstantValue] = []
    for index in inputs.indices { parts.append(try operand(index)) }
    guard !parts.isEmpty else { throw .notConstant }
    var dims = parts[0].dims
    for part in parts.dropFirst() {
      let rank = max(dims.count, part.dims.count)
      let x = Array(repeating: 1, count: rank - dims.count) + dims
      let y = Array(repeating: 1, count: rank - part.dims.count) + part.dims
      var merged: [Int] = []
      for (p, q) in zip(x, y) {
        guard p == q || p == 1 || q == 1 else {
          throw .invalid("shapes \(parts.map(\.dims)) do not broadcast")
        }
        merged.append(p == 1 ? q : p)
      }
      dims = merged
    }
    _ = try checkedCount(dims)
    func expanded(_ value: ConstantValue) -> [Double] {
      let rank = dims.count
      let own = Array(repeating: 1, count: rank - value.dims.count) + value.dims
      let sources = ConstantValue.gatherIndices(
        positions: zip(own, dims).map {
          $0 == 1 ? Array(repeating: 0, count: $1) : Array(0..<$1)
        },
        sourceDims: own)
      switch value.values {
      case .floats(let values): return sources.map { Double(values[$0]) }
      case .integers(let values): return sources.map { Double(values[$0]) }
      }
    }
    let columns = parts.map(expanded)
    let count = columns[0].count
    if opType == "Where" {
      guard parts.count == 3 else { throw .invalid("Where takes 3 inputs") }
      let chosen = (0..<count).map {
        columns[0][$0] != 0 ? columns[1][$0] : columns[2][$0]
      }
      let type = parts[1].elementType
      let values: DecodedValues =
        type.isFloatingPoint
        ? .floats(chosen.map { Float($0) })
        : .integers(chosen.map { Int64($0) })
      return .folded([
        ConstantValue(elementType: type, dims: dims, values: values)
      ])
    }
    var result: [Int64] = []
    result.reserveCapacity(count)
    for i in 0..<count {
      let a = columns[0][i]
      let b = columns.count > 1 ? columns[1][i] : 0
      let truth: Bool
      switch opType {
      case "Equal": truth = a == b
      case "Less": truth = a < b
      case "Greater": truth = a > b
      case "LessOrEqual": truth = a <= b
      case "GreaterOrEqual": truth = a >= b
      case "And": truth = a != 0 && b != 0
      case "Or": truth = a != 0 || b != 0
      case "Xor": truth = (a != 0) != (b != 0)
      default: truth = a == 0
      }
      result.append(truth ? 1 : 0)
    }
    return .folded([
      ConstantValue(elementType: .bool, dims: dims, values: .integers(result))
    ])
  }
}
