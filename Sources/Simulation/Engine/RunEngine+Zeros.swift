import HardwareModel
import Mapping

extension RunEngine {
  /// The shares of a MAC layer's cycles and MAC energy left by the zeros
  /// the device skips or gates (``ZeroHandling``).
  ///
  /// Weight zeros come from the
  /// DRAM-coding file's density of the layer, activation zeros from its
  /// (or the run's measured) density of the layer's first activation input.
  /// Dense (1, 1) for a device that does nothing with zeros, a layer
  /// without MACs, or a run without densities.
  func zeroShares(of layer: Layer) -> (cycles: Double, energy: Double) {
    let zeros = device.compute.zeros
    guard zeros != .none, (layer.macs ?? 0) > 0,
      let compression = options.compression
    else { return (1, 1) }
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
    return zeros.remaining(
      weightDensity: weightDensity, activationDensity: activationDensity)
  }
}
