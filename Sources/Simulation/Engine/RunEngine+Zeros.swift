import HardwareModel
import Mapping
import NetworkGraph

extension RunEngine {
  /// The shares of a MAC layer's cycles and MAC energy left by the zeros
  /// the device skips or gates (``ZeroHandling``).
  ///
  /// Weight zeros come from the
  /// DRAM-coding file's density of the layer, activation zeros from its
  /// (or the run's measured) density of the layer's first activation input.
  /// Dense (1, 1) for a device that does nothing with zeros, a layer
  /// without MACs, or a run without densities. A device with N:M
  /// structured sparsity keeps N/M of a layer whose weights conform
  /// (measured from the network's weights, ``structuredShare(of:_:)``).
  func zeroShares(of layer: Layer) -> (cycles: Double, energy: Double) {
    let zeros = device.compute.zeros
    guard zeros != .none, (layer.macs ?? 0) > 0 else { return (1, 1) }
    var shares = (cycles: 1.0, energy: 1.0)
    if let compression = options.compression {
      var weightDensity = 1.0
      if layer.weightElements > 0, let weights = compression.weights {
        weightDensity = weights.parameters(for: layer.name).density
      }
      var activationDensity = 1.0
      if let activations = compression.activations,
        let input = layer.inputs.first(where: { $0.elements > 0 })
      {
        activationDensity = density(of: input.name, in: activations)
      }
      shares = zeros.remaining(
        weightDensity: weightDensity, activationDensity: activationDensity)
    }
    if let pattern = zeros.structuredWeights {
      let share = structuredShare(of: layer, pattern)
      shares.cycles *= share
      shares.energy *= share
    }
    return shares
  }

  /// N/M when the layer's weights conform to the pattern, else 1.
  ///
  /// Groups run along the input-channel axis: `C/g` of a Conv's weights
  /// `(M, C/g, R, S)`, K of a Gemm's `B` (axis 0, or 1 with `transB`),
  /// axis 0 of a MatMul's 2-D constant `B`. Weights not in the model (a layer
  /// list, or a MatMul of two activations) run dense.
  func structuredShare(of layer: Layer, _ pattern: StructuredSparsity)
    -> Double
  {
    guard let node = network.nodes.first(where: { $0.name == layer.name }),
      node.inputs.count >= 2,
      let weights = network.initializer(named: node.inputs[1]),
      let values = weights.floatValues
    else { return 1 }
    let shape = weights.shape.dims
    let axis: Int
    switch node.op {
    case .conv:
      guard shape.count >= 3 else { return 1 }
      axis = 1
    case .gemm(let attributes):
      guard shape.count == 2 else { return 1 }
      axis = attributes.transB ? 1 : 0
    case .matMul:
      guard shape.count == 2 else { return 1 }
      axis = 0
    default:
      return 1
    }
    return pattern.conforms(values, shape: shape, axis: axis)
      ? pattern.share : 1
  }
}
