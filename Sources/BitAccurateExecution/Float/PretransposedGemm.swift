import NetworkGraph

/// A Gemm whose B is a constant stored transposed (`transB`, the layout of
/// a PyTorch `Linear`), prepared once per executor: the node as a Gemm of B
/// as it is multiplied, and that B.
///
/// Gemm transposes a `transB` operand before its product; for a classifier
/// of a few megabytes that transposition was redone for every chunk of a
/// run (about a sixth of MobileNetV2's float executor time; BENCHMARKS.md,
/// issue #19). The product then reads the same values in the same order,
/// so the outputs are the same bits.
struct PretransposedGemm: Sendable {
  /// The Gemm with `transB` false.
  var node: Node
  /// B as `[K, N]`.
  var b: FloatTensor

  /// Every such Gemm of `network`, by node position.
  ///
  /// A B that cannot be read as Float32 is left to the run, which reports
  /// it.
  static func find(in network: Network) -> [Int: PretransposedGemm] {
    var found: [Int: PretransposedGemm] = [:]
    for (position, node) in network.nodes.enumerated() {
      guard case .gemm(var attributes) = node.op, attributes.transB,
        node.inputs.count > 1,
        let constant = network.initializer(named: node.inputs[1]),
        constant.shape.dims.count == 2,
        let b = try? FloatTensor(
          constant: constant, node: node.reference, metadata: false)
      else { continue }
      attributes.transB = false
      var rewritten = node
      rewritten.op = .gemm(attributes)
      found[position] = PretransposedGemm(
        node: rewritten, b: FloatKernels.transposed(b))
    }
    return found
  }
}
