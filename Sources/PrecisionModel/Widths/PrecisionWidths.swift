import NetworkGraph

/// Turns resolved fixed-point formats into the operand widths the simulator
/// costs: weight bits, input bits (the format of the node's first input
/// tensor), output bits and accumulator bits per node.
public enum PrecisionWidths {
  /// The widths of every node of `network` under `resolved`, as a
  /// ``PrecisionChoice/perLayer(default:layers:)`` whose default is the
  /// network input's width.
  public static func choice(_ resolved: ResolvedPrecision, network: Network)
    -> PrecisionChoice
  {
    let inputBits = resolved.input.bits
    var layers: [String: LayerWidths] = [:]
    for node in network.nodes {
      let layer = resolved.layers[node.name]
      let input =
        node.inputs.first.flatMap { resolved.tensorFormats[$0]?.bits }
        ?? inputBits
      let output =
        node.outputs.first.flatMap { resolved.tensorFormats[$0]?.bits } ?? input
      let weight = layer?.weight?.bits ?? input
      let accumulator =
        layer?.accumulator?.bits
        ?? AccumulatorRule.bits(
          weightBits: weight, inputBits: input, isFloat: false)
      layers[node.name] = LayerWidths(
        weightBits: weight, inputBits: input, outputBits: output,
        accumulatorBits: accumulator,
        isFloat: false)
    }
    let fallback = LayerWidths(
      weightBits: inputBits, inputBits: inputBits, outputBits: inputBits,
      accumulatorBits: AccumulatorRule.bits(
        weightBits: inputBits, inputBits: inputBits, isFloat: false),
      isFloat: false)
    return .perLayer(default: fallback, layers: layers)
  }
}
