import HardwareModel
import Mapping

extension RunEngine {
  /// What the run's ``DRAMCompression`` leaves of a layer's backing-store
  /// traffic (``DRAMScale``).
  func dramScale(of layer: Layer, bits: OperandBits) throws -> DRAMScale {
    guard let compression = options.compression else { return .raw }
    var scale = DRAMScale.raw
    if let weights = compression.weights, layer.weightElements > 0 {
      let raw = Double(layer.weightElements) * Double(bits.weights)
      let coded = weights.codedBits(
        elements: layer.weightElements, weightBits: bits.weights,
        layer: layer.name)
      scale.weights = min(1, coded / raw)
    }
    if let activations = compression.activations {
      for width in [bits.inputs, bits.outputs] {
        if let problem = activations.problem(activationBits: width) {
          throw SimulationFailure(reason: problem, layer: layer.name)
        }
      }
      var raw = 0.0
      var coded = 0.0
      for input in layer.inputs where input.elements > 0 {
        let r = Double(input.elements) * Double(bits.inputs)
        raw += r
        coded += min(
          r,
          activations.codedBits(
            elements: input.elements, activationBits: bits.inputs,
            density: density(of: input.name, in: activations)))
      }
      if raw > 0 { scale.inputs = coded / raw }
      if layer.output.elements > 0 {
        let r = Double(layer.output.elements) * Double(bits.outputs)
        let c = activations.codedBits(
          elements: layer.output.elements, activationBits: bits.outputs,
          density: density(of: layer.output.name, in: activations))
        scale.outputs = min(r, c) / r
      }
    }
    return scale
  }

  /// The nonzero density of an activation tensor: listed under one of the
  /// layers that write it (last first), under the tensors those layers
  /// produce (a fused ReLU's output, whose values are the ones stored), or
  /// its own name; otherwise the default, or 1 for the network's own inputs.
  func density(of tensor: String, in coding: RunLengthCoding) -> Double {
    let writers = tensorWriters[tensor] ?? []
    let sources = tensorSources[tensor] ?? []
    return coding.density(
      forAny: writers + sources + [tensor],
      fallback: writers.isEmpty ? 1 : coding.defaultDensity)
  }
}
