import NetworkGraph

/// The live tensors of a float run between two nodes, for one batch.
///
/// What the float network's remaining nodes still read (as
/// ``FixedPointState`` for the bit-accurate executor). Calibration steps
/// the float reference beside the fixed-point network with it, holding one
/// layer's reference at a time instead of every tensor of the batch.
struct FloatState: Sendable {
  /// The position of the next node.
  var position = 0
  /// Live tensors by name.
  var values: [String: FloatTensor]
}

extension FloatExecutor {
  /// The state before the first node: the batch fed to the first input.
  ///
  /// - Throws: ``ExecutionError/invalidInput(message:)`` when the network
  ///   has no input.
  func start(input: FloatTensor) throws(ExecutionError) -> FloatState {
    guard
      let first = network.inputs.first(where: {
        network.initializer(named: $0.name) == nil
      })
    else { throw .invalidInput(message: "the network has no input") }
    return FloatState(values: [first.name: input])
  }

  /// Runs the nodes from the state's position up to, not including, `end`
  /// (the kernels and operands of ``run(input:)``, so the same values),
  /// releasing each tensor after its last reader except those `keeping`.
  ///
  /// - Throws: Any error of the nodes run.
  func advance(
    _ state: inout FloatState, to end: Int, lastReads: [[String]],
    keeping: Set<String> = []
  ) throws(ExecutionError) {
    while state.position < min(end, network.nodes.count) {
      let position = state.position
      let node = network.nodes[position]
      var operands = try self.operands(of: node, values: state.values)
      let outputs = try FloatKernels.evaluateAll(
        node, operands, network: network, types: elementTypes,
        concurrency: concurrency)
      operands.removeAll()
      for name in lastReads[position] where !keeping.contains(name) {
        state.values[name] = nil
      }
      for (name, output) in zip(node.outputs, outputs) where !name.isEmpty {
        state.values[name] = output
      }
      state.position += 1
    }
  }
}
