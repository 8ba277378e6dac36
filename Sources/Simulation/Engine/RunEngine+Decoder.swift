import HardwareModel
import Mapping
import PrecisionModel

extension RunEngine {
  /// The cycles and energy of decoding the coded weights a layer reads from
  /// the backing store, on a device that declares a decoder
  /// (``WeightDecoder``); zero without one, without a weight coding, or
  /// when the layer's weights are already on chip.
  ///
  /// The coded bits are the weight bits the evaluation reads from the
  /// backing store (refetches are decoded again). The stored entries are the
  /// weights those bits hold (coded bits over the coded width per weight)
  /// times the layer's weight density: only nonzero weights are stored
  /// entries (fillers, which COMPRESSION.md counts in the stored bits, are
  /// not counted here).
  func decoding(
    of layer: Layer, evaluation e: LayerEvaluation, widths: LayerWidths,
    dram: DRAMScale
  ) -> (cycles: Double, joules: Double) {
    guard let decoder = device.compute.decoder,
      let coding = options.compression?.weights,
      let coded = e.dramReadBits[.weights], coded > 0,
      dram.weights > 0, widths.weightBits > 0
    else { return (0, 0) }
    let weights = coded / (dram.weights * Double(widths.weightBits))
    let density = coding.parameters(for: layer.name).density
    let entries = weights * min(1, max(0, density))
    return (
      decoder.cycles(codedBits: coded, entries: entries),
      entries * decoder.energyPerWeight
    )
  }
}
