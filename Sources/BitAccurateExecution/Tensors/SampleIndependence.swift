import NetworkGraph

/// Whether a network computes each sample of a batch on its own, so that a
/// batch may be run in chunks of samples and joined (the executors'
/// outputs-only runs, `edgesim run --batch-size`).
///
/// A node that reads or moves the batch axis fails it: Softmax or Concat
/// along axis 0, Flatten at axis 0, a Transpose that does not keep axis 0
/// first, Squeeze or Unsqueeze of axis 0, Gemm with a transposed `A`, and a
/// MatMul whose `B` is not a constant. What this cannot see statically (a
/// Reshape folding the batch into another axis) the chunked runs catch as
/// they go: every node's output must keep the chunk's samples as its first
/// dimension, or the batch is run whole.
public enum SampleIndependence {
  /// `true` when no node of `network` mixes or moves samples.
  public static func holds(for network: Network) -> Bool {
    firstMixingNode(in: network) == nil
  }

  /// The first node of `network` that mixes or moves samples, if any.
  public static func firstMixingNode(in network: Network) -> Node? {
    network.nodes.first { !keepsSamplesApart($0, in: network) }
  }

  private static func keepsSamplesApart(_ node: Node, in network: Network)
    -> Bool
  {
    switch node.op {
    case .softmax(let axis): return axis != 0
    case .concat(let axis): return axis != 0
    case .flatten(let axis): return axis != 0
    case .transpose(let perm): return perm?.first == 0
    case .squeeze(let axes), .unsqueeze(let axes):
      // The attribute, or else the constant `axes` input (opset ≥ 13);
      // neither means every axis of size 1, which a chunk's batch is not.
      let given =
        axes
        ?? (node.inputs.count > 1
          ? network.initializer(named: node.inputs[1])?.integerValues.map {
            $0.map { Int(clamping: $0) }
          } : nil)
      return !(given ?? []).contains(0)
    case .gemm(let attributes): return !attributes.transA
    case .matMul:
      return node.inputs.count > 1
        && network.initializer(named: node.inputs[1]) != nil
    default: return true
    }
  }
}
