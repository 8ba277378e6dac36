import NetworkGraph

/// Whether a network computes each sample of a batch on its own, so that a
/// batch may be run in chunks of samples and joined (the executors'
/// outputs-only runs, `edgesim run --batch-size`).
///
/// A node that reads or moves the batch axis fails it: Softmax or Concat
/// along axis 0, Flatten at axis 0, a Transpose that does not keep axis 0
/// first, Squeeze or Unsqueeze of axis 0, Gemm with a transposed `A`, and a
/// MatMul whose `B` is neither a constant nor a batched operand of the same
/// rank (at least 3) as `A`. What this cannot see statically (a
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
    var shapes: InferredShapes??
    func rank(_ tensor: String) -> Int? {
      if shapes == nil { shapes = .some(try? network.inferShapes()) }
      return (shapes ?? nil)?.shape(of: tensor)?.rank
    }
    return network.nodes.first {
      !keepsSamplesApart($0, in: network, rank: rank)
    }
  }

  /// Whether a MatMul of two activations is batched per sample.
  ///
  /// Both are of the same rank, at least 3, so that axis 0 of each is the
  /// sample axis of a batched product (attention's `Q·Kᵀ` and `P·V`). A 2-D operand
  /// would be one matrix shared across the samples.
  private static func batchedProduct(
    _ node: Node, rank: (String) -> Int?
  ) -> Bool {
    guard node.inputs.count > 1, let a = rank(node.inputs[0]),
      let b = rank(node.inputs[1])
    else { return false }
    return a == b && a >= 3
  }

  private static func keepsSamplesApart(
    _ node: Node, in network: Network, rank: (String) -> Int?
  ) -> Bool {
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
        && (network.initializer(named: node.inputs[1]) != nil
          || batchedProduct(node, rank: rank))
    case .extended(let op): return keepsSamplesApart(op, node, in: network)
    default: return true
    }
  }

  /// The modern operators (issue #16), conservatively: one that may read
  /// along axis 0, move it, or (LSTM and GRU in layout 0) keep the samples
  /// on axis 1 mixes.
  private static func keepsSamplesApart(
    _ op: ExtendedOperator, _ node: Node, in network: Network
  ) -> Bool {
    func constant(_ index: Int) -> [Int64]? {
      guard index < node.inputs.count, !node.inputs[index].isEmpty else {
        return nil
      }
      return network.initializer(named: node.inputs[index])?.integerValues
    }
    switch op {
    case .layerNormalization(let axis, _): return axis != 0
    case .reduce(_, _, let noop):
      guard let axes = constant(1), !axes.isEmpty else { return noop }
      return !axes.contains(0)
    case .gather(let axis):
      return axis != 0 || network.initializer(named: node.inputs[0]) != nil
    case .tile: return constant(1)?.first == 1
    case .slice:
      guard let starts = constant(1) else { return false }
      let axes = constant(3) ?? (0..<Int64(starts.count)).map { $0 }
      return !axes.contains(0)
    case .split(let axis): return axis != 0
    case .pad:
      guard let pads = constant(1), pads.count % 2 == 0 else { return false }
      if let axes = constant(3) {
        return zip(axes, 0...).allSatisfy { axis, index in
          axis != 0 || (pads[index] == 0 && pads[index + axes.count] == 0)
        }
      }
      return pads.first == 0 && pads[pads.count / 2] == 0
    case .recurrent(let attributes): return attributes.batchFirst
    case .einsum, .shape, .trilu, .detectionPostProcess: return false
    case .topK(let axis, _): return axis != 0
    case .argExtreme(_, let axis, _, _): return axis != 0
    case .cumSum:
      guard let axis = constant(1)?.first else { return false }
      return axis != 0
    default: return true
    }
  }
}
