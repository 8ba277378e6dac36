import Diagnostics
import NetworkGraph

/// What the import-time evaluator made of one node.
enum FoldOutcome {
  /// The node's outputs, computed.
  case folded([ConstantValue])
  /// Some input is not a constant with data (or is too large to evaluate
  /// here): the node stays in the graph.
  case notConstant
  /// The inputs are constants, but the node is invalid on them; the message
  /// says why.
  case invalid(String)
}

/// A small evaluator for the ONNX operators that compute shapes in exported
/// graphs: Shape (Shape-15 `start`/`end`), Gather, Concat, Unsqueeze,
/// Squeeze, Reshape, Transpose, Expand (not of a learned initializer), Cast,
/// Slice, integer Add, Sub, Mul and Div
/// (float ones, and Ceil, Floor and Round, on values computed from shapes),
/// ConstantOfShape, Range, comparisons, logic and Where (mask chains), run on
/// constant inputs at import so that chains such as
/// `Shape → Gather → Unsqueeze → Concat → Reshape` become one int64
/// initializer.
///
/// It works on tensors of at most ``maximumElements`` elements; data
/// movement works on any element type, arithmetic on integers only.
struct ConstantFolder {
  /// Operators the evaluator knows.
  static let operators: Set<String> = [
    "Shape", "Gather", "Concat", "Unsqueeze", "Squeeze", "Reshape", "Cast",
    "Slice", "Transpose", "Ceil", "Floor", "Round", "Expand",
    "Add", "Sub", "Mul", "Div", "ConstantOfShape", "Range", "Equal", "Less",
    "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Not",
    "Where",
  ]
  /// The largest input or output, in elements, that is evaluated.
  static let maximumElements = 1 << 16

  let opset: Int
  let attributes: NodeAttributes
  /// The node's inputs (empty strings for omitted optional ones).
  let inputs: [String]
  /// Constants and shapes known so far.
  let state: ImportState

  /// Evaluates `opType` if its inputs allow.
  func fold(_ opType: String) -> FoldOutcome {
    do {
      switch opType {
      case "Shape": return try foldShape()
      case "Gather": return try foldGather()
      case "Concat": return try foldConcat()
      case "Unsqueeze", "Squeeze":
        return try foldSqueeze(insert: opType == "Unsqueeze")
      case "Reshape": return try foldReshape()
      case "Transpose": return try foldTranspose()
      case "Expand": return try foldExpand()
      case "Cast": return try foldCast()
      case "Slice": return try foldSlice()
      case "Add", "Sub", "Mul", "Div": return try foldArithmetic(opType)
      case "Ceil", "Floor", "Round": return try foldRounding(opType)
      case "ConstantOfShape": return try foldConstantOfShape()
      case "Range": return try foldRange()
      case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And",
        "Or", "Xor", "Not", "Where":
        return try foldPredicate(opType)
      default: return .notConstant
      }
    } catch {
      switch error {
      case .notConstant: return .notConstant
      case .invalid(let message): return .invalid(message)
      }
    }
  }

  enum Failure: Error {
    case notConstant
    case invalid(String)
  }

  /// The constant at input `index`, small enough to evaluate.
  func operand(_ index: Int) throws(Failure) -> ConstantValue {
    guard index < inputs.count, !inputs[index].isEmpty,
      let value = state.constant(inputs[index]), Self.isSmall(value.dims)
    else { throw .notConstant }
    return value
  }

  /// Whether every dimension, and the product of the non-zero ones, is at
  /// most ``maximumElements``: then no index or stride computed here can
  /// overflow, even for tensors with a zero dimension.
  static func isSmall(_ dims: [Int]) -> Bool {
    var product = 1
    for dim in dims where dim != 0 {
      guard dim > 0, dim <= maximumElements else { return false }
      product *= dim
      guard product <= maximumElements else { return false }
    }
    return true
  }

  func optionalOperand(_ index: Int) throws(Failure) -> ConstantValue? {
    guard index < inputs.count, !inputs[index].isEmpty else { return nil }
    return try operand(index)
  }

  func integers(_ index: Int, _ role: String) throws(Failure) -> [Int] {
    let value = try operand(index)
    guard let integers = value.integers, value.dims.count <= 1 else {
      throw .invalid("the \(role) input must be a 1-D integer tensor")
    }
    return integers.map { Int(clamping: $0) }
  }

  func axis(_ value: Int, rank: Int, _ name: String = "axis") throws(Failure)
    -> Int
  {
    guard value >= -rank, value < rank else {
      throw .invalid("\(name) \(value) is out of range for rank \(rank)")
    }
    return value < 0 ? value + rank : value
  }

  private func intAttribute(_ name: String) throws(Failure) -> Int? {
    do { return try attributes.optionalInt(name) } catch {
      throw .invalid(error.message)
    }
  }

  func checkedCount(_ dims: [Int]) throws(Failure) -> Int {
    var count = 1
    for dim in dims {
      let (product, overflow) = count.multipliedReportingOverflow(by: dim)
      guard dim >= 0, !overflow, product <= Self.maximumElements else {
        throw .notConstant
      }
      count = product
    }
    return count
  }

  // MARK: Operators

  /// Shape-13/15: the input's dimensions, optionally `dims[start..<end]`.
  private func foldShape() throws(Failure) -> FoldOutcome {
    guard let name = inputs.first, !name.isEmpty, let dims = state.shape(name)
    else {
      throw .notConstant
    }
    let rank = dims.count
    func clamp(_ value: Int) -> Int {
      min(max(value < 0 ? value + rank : value, 0), rank)
    }
    let start = clamp(try intAttribute("start") ?? 0)
    let end = clamp(try intAttribute("end") ?? rank)
    let slice = start < end ? Array(dims[start..<end]) : []
    return .folded([ConstantValue(int64s: slice.map { Int64($0) })])
  }

  /// Gather-13 (`axis` default 0): `data` indexed along `axis` by `indices`.
  private func foldGather() throws(Failure) -> FoldOutcome {
    let data = try operand(0)
    let indices = try operand(1)
    guard let raw = indices.integers else {
      throw .invalid("indices must be integers")
    }
    let rank = data.dims.count
    guard rank >= 1 else { throw .invalid("data must have rank ≥ 1") }
    let axis = try axis(
      try intAttribute("axis") ?? 0,
      rank: rank)
    let size = data.dims[axis]
    var picked: [Int] = []
    for index in raw {
      guard index >= -Int64(size), index < Int64(size) else {
        throw .invalid(
          "index \(index) is out of range for axis \(axis) of size \(size)")
      }
      picked.append(index < 0 ? Int(index) + size : Int(index))
    }
    let dims =
      Array(data.dims[..<axis]) + indices.dims + Array(data.dims[(axis + 1)...])
    _ = try checkedCount(dims)
    var positions = data.dims.map { Array(0..<$0) }
    positions[axis] = picked
    let sources = ConstantValue.gatherIndices(
      positions: positions, sourceDims: data.dims)
    return .folded([data.selecting(sources, dims: dims)])
  }

  /// Concat-13 (`axis` required): inputs joined along `axis`.
  private func foldConcat() throws(Failure) -> FoldOutcome {
    var parts: [ConstantValue] = []
    for index in inputs.indices { parts.append(try operand(index)) }
    guard let first = parts.first else {
      throw .invalid("Concat needs at least one input")
    }
    guard let rawAxis = try intAttribute("axis")
    else { throw .invalid("the required attribute 'axis' is missing") }
    let rank = first.dims.count
    let axis = try axis(rawAxis, rank: rank)
    var dims = first.dims
    dims[axis] = 0
    for part in parts {
      guard part.dims.count == rank,
        part.dims.indices.allSatisfy({
          $0 == axis || part.dims[$0] == first.dims[$0]
        })
      else {
        throw .invalid(
          "input shapes \(parts.map(\.dims)) do not agree off axis \(axis)")
      }
      dims[axis] += part.dims[axis]
    }
    _ = try checkedCount(dims)
    let outer = first.dims[..<axis].reduce(1, *)
    switch first.values {
    case .floats:
      var result: [Float] = []
      for o in 0..<outer {
        for part in parts {
          guard case .floats(let values) = part.values else {
            throw .notConstant
          }
          let block = part.dims[axis...].reduce(1, *)
          result += values[(o * block)..<((o + 1) * block)]
        }
      }
      return .folded([
        ConstantValue(
          elementType: first.elementType, dims: dims, values: .floats(result))
      ])
    case .integers:
      var result: [Int64] = []
      for o in 0..<outer {
        for part in parts {
          guard case .integers(let values) = part.values else {
            throw .notConstant
          }
          let block = part.dims[axis...].reduce(1, *)
          result += values[(o * block)..<((o + 1) * block)]
        }
      }
      return .folded([
        ConstantValue(
          elementType: first.elementType, dims: dims, values: .integers(result))
      ])
    }
  }

  /// Unsqueeze-11/13 and Squeeze-11/13: axes from the attribute before
  /// opset 13 and from input 1 from opset 13.
  private func foldSqueeze(insert: Bool) throws(Failure) -> FoldOutcome {
    let data = try operand(0)
    let axes: [Int]?
    if opset >= 13 {
      axes =
        inputs.count > 1 && !inputs[1].isEmpty ? try integers(1, "axes") : nil
    } else {
      do { axes = try attributes.ints("axes") } catch {
        throw .invalid(error.message)
      }
    }
    if insert {
      guard let axes else { throw .invalid("Unsqueeze needs axes") }
      let rank = data.dims.count + axes.count
      var inserted: Set<Int> = []
      for value in axes {
        guard inserted.insert(try axis(value, rank: rank)).inserted else {
          throw .invalid("axis \(value) is listed twice")
        }
      }
      var source = data.dims.makeIterator()
      let dims = (0..<rank).map {
        inserted.contains($0) ? 1 : (source.next() ?? 1)
      }
      return .folded([data.reshaped(dims)])
    }
    guard let axes else {
      return .folded([data.reshaped(data.dims.filter { $0 != 1 })])
    }
    var removed: Set<Int> = []
    for value in axes {
      let axis = try axis(value, rank: data.dims.count)
      guard data.dims[axis] == 1 else {
        throw .invalid("cannot squeeze axis \(axis) of size \(data.dims[axis])")
      }
      removed.insert(axis)
    }
    let dims = data.dims.enumerated().filter { !removed.contains($0.offset) }
      .map(\.element)
    return .folded([data.reshaped(dims)])
  }

  /// Reshape-13/14: `0` copies a dimension (unless `allowzero`), one `-1`
  /// is inferred.
  private func foldReshape() throws(Failure) -> FoldOutcome {
    let data = try operand(0)
    let target = try integers(1, "shape")
    let allowZeroValue = opset >= 14 ? try intAttribute("allowzero") : nil
    let allowZero = allowZeroValue == 1
    var dims: [Int] = []
    var inferred: Int?
    for (index, value) in target.enumerated() {
      if value == -1, inferred == nil {
        inferred = index
        dims.append(1)
      } else if value == 0, !allowZero, index < data.dims.count {
        dims.append(data.dims[index])
      } else if value >= 0 {
        dims.append(value)
      } else {
        throw .invalid("invalid target shape \(target)")
      }
    }
    let known = try checkedCount(dims)
    if let inferred {
      guard known > 0, data.count % known == 0 else {
        throw .invalid("cannot reshape \(data.dims) to \(target)")
      }
      dims[inferred] = data.count / known
    }
    guard try checkedCount(dims) == data.count else {
      throw .invalid("cannot reshape \(data.dims) to \(target)")
    }
    return .folded([data.reshaped(dims)])
  }

  /// Transpose-13 (`perm` default: the axes reversed).
  ///
  /// PyTorch's legacy exporter turns `F.pad`'s padding list into ONNX `pads` by a
  /// `Reshape → Slice → Transpose → Reshape → Cast` chain on constants.
  private func foldTranspose() throws(Failure) -> FoldOutcome {
    let data = try operand(0)
    let rank = data.dims.count
    let perm: [Int]
    do {
      perm = try attributes.ints("perm") ?? Array((0..<rank).reversed())
    } catch { throw .invalid(error.message) }
    guard perm.count == rank, Set(perm) == Set(0..<rank) else {
      throw .invalid("perm \(perm) is not a permutation of \(rank) axes")
    }
    let dims = perm.map { data.dims[$0] }
    let strides = ConstantValue.strides(data.dims)
    var sources: [Int] = [0]
    for axis in perm {
      var next: [Int] = []
      next.reserveCapacity(sources.count * data.dims[axis])
      for base in sources {
        for position in 0..<data.dims[axis] {
          next.append(base + position * strides[axis])
        }
      }
      sources = next
    }
    return .folded([data.selecting(sources, dims: dims)])
  }

  /// Expand-13: `data` broadcast with `shape` (NumPy rules, both ways).
  ///
  /// PyTorch's legacy exporter writes an LSTM's or GRU's zero initial state
  /// as a Constant node expanded to `[directions·layers, batch, hidden]`.
  /// An Expand of an initializer stored in the file (a learned class
  /// token) stays a node, so that its parameters count.
  private func foldExpand() throws(Failure) -> FoldOutcome {
    guard let name = inputs.first, !state.fileInitializers.contains(name)
    else { throw .notConstant }
    let data = try operand(0)
    let shape = try integers(1, "shape")
    let rank = max(data.dims.count, shape.count)
    let source = Array(repeating: 1, count: rank - data.dims.count) + data.dims
    let target = Array(repeating: 1, count: rank - shape.count) + shape
    var dims: [Int] = []
    for (p, q) in zip(source, target) {
      guard q >= 0, p == q || p == 1 || q == 1 else {
        throw .invalid("shape \(shape) does not broadcast with \(data.dims)")
      }
      dims.append(p == 1 ? q : p)
    }
    _ = try checkedCount(dims)
    let positions = zip(source, dims).map {
      $0 == 1 ? Array(repeating: 0, count: $1) : Array(0..<$1)
    }
    let sources = ConstantValue.gatherIndices(
      positions: positions, sourceDims: source)
    return .folded([data.selecting(sources, dims: dims)])
  }

  /// Cast-13/19 (`to` required): converts between the element types EdgeSim
  /// reads; float to integer truncates toward zero.
  private func foldCast() throws(Failure) -> FoldOutcome {
    let data = try operand(0)
    guard let to = try intAttribute("to"),
      let type = ElementType(rawValue: to)
    else { throw .notConstant }
    let values: DecodedValues
    switch (data.values, type.isFloatingPoint) {
    case (.floats(let floats), true): values = .floats(floats)
    case (.integers(let ints), true): values = .floats(ints.map { Float($0) })
    case (.integers(let ints), false):
      values = .integers(type == .bool ? ints.map { $0 == 0 ? 0 : 1 } : ints)
    case (.floats(let floats), false):
      var ints: [Int64] = []
      for value in floats {
        if type == .bool {
          ints.append(value == 0 ? 0 : 1)
        } else {
          guard value.isFinite,
            let exact = Int64(exactly: value.rounded(.towardZero))
          else {
            throw .invalid("cannot cast \(value) to \(type)")
          }
          ints.append(exact)
        }
      }
      values = .integers(ints)
    }
    return .folded([
      ConstantValue(elementType: type, dims: data.dims, values: values)
    ])
  }
}
