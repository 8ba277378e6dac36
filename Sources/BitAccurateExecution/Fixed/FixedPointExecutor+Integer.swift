import FixedPointArithmetic
import NetworkGraph

extension FixedPointExecutor {
  /// A non-linear node under `nonlinear: integer`: the I-BERT kernels of
  /// ``FixedPointArithmetic/IntegerApproximation`` on the input's raws, the
  /// output in the layer's format (`halfEven`, `saturate`, events counted),
  /// as `Documentation/Quantization.md` specifies.
  ///
  /// - Returns: `nil` when the operator has no integer kernel; the caller
  ///   then computes the float island.
  func integerFunction(
    _ prepared: PreparedNode, _ x: RawTensor, _ output: QFormat
  ) throws(ExecutionError) -> NodeResult? {
    let fl = x.format.fractionalLength
    let kernel: (Int64, Int, QFormat) -> (value: Int64, event: OverflowEvent)
    switch prepared.node.op {
    case .softmax(let axis):
      return try softmax(prepared, x, axis: axis, output)
    case .activation(.sigmoid): kernel = IntegerApproximation.sigmoid
    case .activation(.tanh): kernel = IntegerApproximation.tanh
    case .activation(.gelu): kernel = IntegerApproximation.gelu
    case .activation(.erf): kernel = IntegerApproximation.erf
    case .activation(.exp): kernel = IntegerApproximation.exp
    default: return nil
    }
    var events = NodeEvents()
    var raws = [Int64](repeating: 0, count: x.raws.count)
    for index in raws.indices {
      let (value, event) = kernel(x.raws[index], fl, output)
      raws[index] = value
      events.output.record(event)
    }
    return NodeResult(
      value: .fixed(RawTensor(unchecked: x.shape, raws: raws, format: output)),
      events: events)
  }

  /// Softmax row by row along `axis` (Quantization.md I8).
  func softmax(
    _ prepared: PreparedNode, _ x: RawTensor, axis: Int, _ output: QFormat
  ) throws(ExecutionError) -> NodeResult {
    let rank = x.shape.count
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0, a < rank else {
      throw .unsupported(
        node: prepared.node.reference,
        message: "softmax axis \(axis) is outside rank \(rank)")
    }
    let length = x.shape[a]
    let inner = FloatTensor.count(Array(x.shape[(a + 1)...]))
    let outer = FloatTensor.count(Array(x.shape[..<a]))
    var raws = [Int64](repeating: 0, count: x.raws.count)
    var events = NodeEvents()
    for o in 0..<outer {
      for i in 0..<inner {
        let base = o * length * inner + i
        let row = (0..<length).map { x.raws[base + $0 * inner] }
        let result = IntegerApproximation.softmax(
          row, fractionalLength: x.format.fractionalLength, to: output)
        for (l, value) in result.values.enumerated() {
          raws[base + l * inner] = value
        }
        events.output.merge(result.events)
      }
    }
    return NodeResult(
      value: .fixed(RawTensor(unchecked: x.shape, raws: raws, format: output)),
      events: events)
  }
}
