import HardwareModel
import NetworkGraph
import PrecisionModel
import Simulation

extension DesignPoint {
  /// The operand widths the simulator costs for this point on a network.
  ///
  /// With no precision settings and no default bits, the device's native
  /// precision. Otherwise every layer gets ``defaultBits`` (8 when unset),
  /// then each axis in order sets the layers it selects: weights, inputs
  /// and outputs at the axis's bits, the accumulator at ``accumulatorBits(for:)``.
  /// Fractional lengths do not change widths (they matter to accuracy
  /// only).
  ///
  /// - Returns: The choice, or the names of selected layers the network
  ///   lacks (a sweep records the point as failed).
  public func precisionChoice(for network: Network) -> Result<
    PrecisionChoice, OverrideProblem
  > {
    if precision.isEmpty, defaultBits == nil { return .success(.native) }
    let names = Set(network.nodes.map(\.name))
    var missing: [String] = []
    for choice in precision {
      if case .named(let layers) = choice.layers {
        missing += layers.filter {
          !names.contains($0) && !missing.contains($0)
        }
      }
    }
    if !missing.isEmpty {
      return .failure(
        OverrideProblem(
          "\(model) has no layer named \(missing.map { "'\($0)'" }.joined(separator: ", "))"
        ))
    }
    let fallback = Self.widths(bits: defaultBits ?? 8)
    var layers: [String: LayerWidths] = [:]
    for node in network.nodes {
      for choice in precision where choice.layers.selects(node.name) {
        layers[node.name] = Self.widths(bits: choice.setting.bits)
      }
    }
    return .success(.perLayer(default: fallback, layers: layers))
  }

  /// Integer widths at `bits` for weights, inputs and outputs.
  static func widths(bits: Int) -> LayerWidths {
    LayerWidths(
      weightBits: bits, inputBits: bits, outputBits: bits,
      accumulatorBits: accumulatorBits(for: bits), isFloat: false)
  }

  /// The accumulator of `bits`-bit integer operands (``AccumulatorRule``):
  /// 16 bits up to 4-bit operands, 32 up to 16-bit, twice the operand
  /// width beyond.
  public static func accumulatorBits(for bits: Int) -> Int {
    AccumulatorRule.bits(weightBits: bits, inputBits: bits, isFloat: false)
  }
}
