import NetworkGraph

/// A ReLU or Clip that an outputs-only float run applies as the convolution
/// feeding it stores its sums (CKernels' `edgesim_sgemm_bias_clamp` and
/// `edgesim_depthwise_f32`), instead of a second pass over a fresh tensor.
///
/// The store computes `min(max(s, lower), upper)`, what the separate node
/// computes (``FloatKernels/evaluate(_:_:network:concurrency:clamp:)``), so
/// the outputs are the same bits; ReLU is `lower` 0, `upper` +infinity, and
/// ``unbounded`` (±infinity) changes no value, NaN included.
struct FloatClamp: Sendable, Equatable {
  var lower: Float
  var upper: Float

  /// No clamp.
  static let unbounded = FloatClamp(lower: -.infinity, upper: .infinity)

  /// For each node of `network` (in its order), the clamp of the Relu or
  /// Clip that alone reads its output, when the node is a convolution whose
  /// output is no graph output and the Clip's bounds are known before the
  /// run (attributes, absent inputs or initializers); `nil` otherwise.
  static func fused(in network: Network) -> [FloatClamp?] {
    let consumers = network.consumers()
    return network.nodes.map { node in
      guard case .conv = node.op, let output = node.outputs.first,
        !output.isEmpty, !network.outputs.contains(output),
        let readers = consumers[output], readers.count == 1
      else { return nil }
      let reader = network.nodes[readers[0]]
      guard reader.inputs.first == output,
        reader.inputs.filter({ $0 == output }).count == 1
      else { return nil }
      switch reader.op {
      case .relu:
        return FloatClamp(lower: 0, upper: .infinity)
      case .clip(let lo, let hi):
        guard let bounds = constantBounds(reader, network: network) else {
          return nil
        }
        return FloatClamp(
          lower: bounds.lower ?? lo ?? -.infinity,
          upper: bounds.upper ?? hi ?? .infinity)
      default:
        return nil
      }
    }
  }

  /// A Clip's bound inputs (1 and 2) as the node reads them: each `nil`
  /// when absent or empty; the whole `nil` when one is computed during the
  /// run or cannot be read (the node then runs on its own).
  private static func constantBounds(_ clip: Node, network: Network)
    -> (lower: Float?, upper: Float?)?
  {
    var bounds: [Float?] = []
    for index in 1...2 {
      guard index < clip.inputs.count, !clip.inputs[index].isEmpty else {
        bounds.append(nil)
        continue
      }
      guard let constant = network.initializer(named: clip.inputs[index]),
        let tensor = try? FloatTensor(
          constant: constant, node: clip.reference, metadata: false)
      else { return nil }
      bounds.append(tensor.values.first)
    }
    return (bounds[0], bounds[1])
  }

  /// Whether `node` is a Relu or Clip whose producer applied it: its input
  /// is in `clamped`.
  static func isApplied(_ node: Node, clamped: Set<String>) -> Bool {
    switch node.op {
    case .relu, .clip:
      guard let input = node.inputs.first else { return false }
      return clamped.contains(input)
    default:
      return false
    }
  }
}
