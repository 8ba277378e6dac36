import NetworkGraph
import RealModule

/// The flat index into each operand of every element of an n-ary
/// broadcast (ONNX multidirectional broadcasting, NumPy rules).
struct BroadcastPlan {
  let shape: [Int]
  let count: Int
  /// `indices[operand][element]`.
  let indices: [[Int]]

  init?(_ shapes: [[Int]]) {
    guard let first = shapes.first else { return nil }
    var shape = first
    var indices: [[Int]] = [Array(0..<FloatTensor.count(first))]
    for next in shapes.dropFirst() {
      guard let plan = Broadcast(shape, next) else { return nil }
      indices = indices.map { old in plan.aIndex.map { old[$0] } }
      indices.append(Array(plan.bIndex))
      shape = plan.shape
    }
    self.shape = shape
    self.count = FloatTensor.count(shape)
    self.indices = indices
  }
}

extension ExtendedOperands {
  /// The element-wise functions of ``NetworkGraph/ElementwiseFunction``
  /// with broadcasting.
  ///
  /// Float arithmetic is Float32 as onnxruntime's
  /// (Sin, Cos and Pow in Double, rounded once); on integer tensors Div
  /// truncates toward zero and Mod takes the divisor's sign (`fmod` 0) or
  /// the dividend's (`fmod` 1, C's `fmod`, the only form allowed on floats).
  func elementwise(_ function: ElementwiseFunction) throws(ExecutionError)
    -> FloatTensor
  {
    var inputs: [FloatTensor] = []
    for index in node.inputs.indices { inputs.append(try operand(index)) }
    guard function.arity.contains(inputs.count) else {
      throw failure(
        "\(function.rawValue) takes \(function.arity.lowerBound) to "
          + "\(function.arity.upperBound) inputs, not \(inputs.count)")
    }
    if function == .pRelu {
      // Unidirectional: the slope broadcasts to X, whose shape stays.
      guard let plan = Broadcast(inputs[0].shape, inputs[1].shape),
        plan.shape == inputs[0].shape
      else {
        throw .shapeMismatch(
          tensor: node.name,
          message: "slope \(inputs[1].shape) does not broadcast to "
            + "\(inputs[0].shape)")
      }
      let x = inputs[0].values
      let slope = inputs[1].values
      var out = [Float](repeating: 0, count: plan.count)
      for i in 0..<plan.count {
        let v = x[i]
        out[i] = v < 0 ? slope[plan.bIndex[i]] * v : v
      }
      return FloatTensor(unchecked: plan.shape, values: out)
    }
    guard let plan = BroadcastPlan(inputs.map(\.shape)) else {
      throw .shapeMismatch(
        tensor: node.name,
        message: "inputs \(inputs.map(\.shape)) do not broadcast")
    }
    let integer = !type(0).isFloatingPoint && type(0) != .bool
    var out = [Float](repeating: 0, count: plan.count)
    let values = inputs.map(\.values)
    func at(_ operand: Int, _ i: Int) -> Float {
      values[operand][plan.indices[operand][i]]
    }
    func flag(_ value: Bool) -> Float { value ? 1 : 0 }
    for i in 0..<plan.count {
      let a = at(0, i)
      let b = inputs.count > 1 ? at(1, i) : 0
      switch function {
      case .sub: out[i] = a - b
      case .div:
        if integer {
          guard b != 0 else { throw failure("integer division by zero") }
          out[i] = (a / b).rounded(.towardZero)
        } else {
          out[i] = a / b
        }
      case .pow: out[i] = Float(FloatKernels.power(Double(a), Double(b)))
      case .mod:
        guard integer else {
          throw failure(
            "Mod on floating-point tensors needs the attribute fmod=1 "
              + "(ONNX Mod-13); set it, or cast the operands to integers")
        }
        guard b != 0 else { throw failure("integer modulo by zero") }
        var r = a.truncatingRemainder(dividingBy: b)
        if r != 0, (r < 0) != (b < 0) { r += b }
        out[i] = r
      case .truncatedMod:
        if integer, b == 0 { throw failure("integer modulo by zero") }
        out[i] = a.truncatingRemainder(dividingBy: b)
      case .equal: out[i] = flag(a == b)
      case .less: out[i] = flag(a < b)
      case .lessOrEqual: out[i] = flag(a <= b)
      case .greater: out[i] = flag(a > b)
      case .greaterOrEqual: out[i] = flag(a >= b)
      case .and: out[i] = flag(a != 0 && b != 0)
      case .or: out[i] = flag(a != 0 || b != 0)
      case .xor: out[i] = flag((a != 0) != (b != 0))
      case .not: out[i] = flag(a == 0)
      case .sin: out[i] = Float(Double.sin(Double(a)))
      case .cos: out[i] = Float(Double.cos(Double(a)))
      case .floor: out[i] = a.rounded(.down)
      case .ceil: out[i] = a.rounded(.up)
      case .round: out[i] = a.rounded(.toNearestOrEven)
      case .sign: out[i] = a > 0 ? 1 : (a < 0 ? -1 : 0)
      case .isNaN: out[i] = flag(a.isNaN)
      case .whereSelect: out[i] = a != 0 ? b : at(2, i)
      case .min, .max:
        var best = a
        for operand in 1..<inputs.count {
          let v = at(operand, i)
          if v.isNaN || best.isNaN {
            best = .nan
          } else if function == .min ? v < best : v > best {
            best = v
          }
        }
        out[i] = best
      case .sum, .mean:
        var total = a
        for operand in 1..<inputs.count { total += at(operand, i) }
        out[i] = function == .mean ? total / Float(inputs.count) : total
      case .pRelu: out[i] = a
      }
    }
    return FloatTensor(unchecked: plan.shape, values: out)
  }

  /// Cast-19 to `to`: to an integer type, truncation toward zero (wrapping
  /// into the type's range as a two's-complement conversion does); to bool,
  /// non-zero; to float16, rounding to nearest even; float32 and float64
  /// keep the Float32 values.
  func cast(to: ElementType) throws(ExecutionError) -> FloatTensor {
    let x = try operand(0)
    var out = x.values
    switch to {
    case .float32, .float64: break
    case .float16:
      for i in out.indices { out[i] = Float(Float16(out[i])) }
    case .bool:
      for i in out.indices { out[i] = out[i] != 0 ? 1 : 0 }
    case .int8, .uint8, .int16, .int32, .int64:
      for i in out.indices {
        let v = out[i]
        guard v.isFinite,
          Double(v).magnitude <= ElementTypes.exactIntegerLimit
        else {
          throw failure(
            "Cast of \(v) to \(to) at index \(i): integers are held in "
              + "Float32, exact only up to 2^24")
        }
        let whole = Int64(v.rounded(.towardZero))
        let wrapped: Int64 =
          switch to {
          case .int8: Int64(Int8(truncatingIfNeeded: whole))
          case .uint8: Int64(UInt8(truncatingIfNeeded: whole))
          case .int16: Int64(Int16(truncatingIfNeeded: whole))
          case .int32: Int64(Int32(truncatingIfNeeded: whole))
          default: whole
          }
        out[i] = Float(wrapped)
      }
    }
    return FloatTensor(unchecked: x.shape, values: out)
  }
}

extension FloatKernels {
  /// ONNX Pow, with C's `pow` semantics (as onnxruntime and NumPy).
  ///
  /// A negative base with a whole exponent is defined (`(-1.5)² = 2.25`,
  /// `(-2)³ = -8`); with a fractional one it is NaN. Swift Numerics'
  /// `Double.pow(_:_:)` is `exp(y·log x)`, NaN for every negative base.
  static func power(_ base: Double, _ exponent: Double) -> Double {
    guard base < 0, exponent.isFinite, exponent == exponent.rounded() else {
      return Double.pow(base, exponent)
    }
    let magnitude = Double.pow(-base, exponent)
    let odd = exponent.truncatingRemainder(dividingBy: 2) != 0
    return odd ? -magnitude : magnitude
  }
}
