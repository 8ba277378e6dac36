import NetworkGraph

extension ExecutionError {
  /// Refuses a network with an operator the executors do not run yet (the
  /// operators of ``NetworkGraph/ExtendedOperator``, which `inspect` and
  /// `simulate` know), naming the first such node and its operator.
  static func checkExecutable(_ network: Network) throws(ExecutionError) {
    for node in network.nodes {
      if case .extended(let op) = node.op {
        throw .unsupported(
          node: node.reference,
          message: "`edgesim run` cannot execute \(op.opType) yet")
      }
    }
  }
}
