import NetworkGraph

extension ExecutionError {
  /// Refuses a network with an operator the float executor does not run
  /// yet (the quantized operators of ``NetworkGraph/ExtendedOperator``,
  /// which `inspect` and `simulate` know), naming the first such node and
  /// its operator.
  static func checkFloatExecutable(_ network: Network) throws(ExecutionError) {
    for node in network.nodes {
      if case .extended(let op) = node.op, op.isQuantized {
        throw .unsupported(
          node: node.reference,
          message: "`edgesim run` cannot execute \(op.opType) yet")
      }
    }
  }

  /// Refuses a network with an operator the fixed-point executor does not
  /// run yet (the quantized family, as the float executor), naming the
  /// first such node and its operator.
  static func checkExecutable(_ network: Network) throws(ExecutionError) {
    try checkFloatExecutable(network)
  }
}

extension ExtendedOperator {
  /// Whether the operator is one of the quantized family (QuantizeLinear,
  /// DequantizeLinear, QLinearConv, QLinearMatMul, ConvInteger,
  /// MatMulInteger).
  var isQuantized: Bool {
    switch self {
    case .quantizeLinear, .dequantizeLinear, .qLinearConv, .qLinearMatMul,
      .convInteger, .matMulInteger:
      true
    default: false
    }
  }
}
