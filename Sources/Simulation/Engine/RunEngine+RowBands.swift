import HardwareModel
import Mapping

/// An activation kept on chip in bands of rows (``MemoryLevel/rowBands``).
struct RowBand: Equatable {
  /// How many bands the tensor is produced in.
  var count: Int
  /// The bits one band holds on chip (the tensor's bits over `count`).
  var bits: Double
  /// The producer's cycles with the halo it computes again, over its
  /// cycles without: `(rows + (count − 1) · halo) / rows`.
  var recompute: Double
}

extension RunEngine {
  /// The bands `layer`'s output is kept on chip in, when it does not fit
  /// the resident level whole and that level declares `row_bands`
  /// (`Documentation/Simulator.md`, "Row bands"); `nil` otherwise: the
  /// output is kept whole or spilled to the backing store as before.
  ///
  /// The producer and its consumers then run band by band (layer fusion
  /// through a line buffer: Alwani et al., "Fused-layer CNN accelerators",
  /// MICRO 2016), so only one band of the tensor occupies the level. A
  /// band takes at most half of what the level has free, leaving the other
  /// half to the consumers' own bands and tiles. Each boundary between two
  /// bands costs the producer the rows a consumer's window overlaps
  /// (`dilation · (kernel − 1) + 1 − stride`), computed again for the next
  /// band. Only a tensor read by convolutions or pooling-like windows over
  /// rows can be banded: one that a matrix product, a reshape or the graph's
  /// output reads whole is spilled as before.
  func outputBand(of layer: Layer, outputBits: Double) -> RowBand? {
    // Banded only when the tensor does not fit beside the live activations
    // even with no parameter cached: parameters are cached in the room
    // activations leave (``placeParameters()``), so an output that misses
    // only because of them is that estimate's shortfall, spilled as before.
    guard let level = plan.residentLevel, device.memory[level.index].rowBands,
      layer.fusedInto == nil, options.keepOutputsOnChip,
      !graphOutputs.contains(layer.output.name),
      reservedBits - permanentReserved + outputBits > level.bits
    else { return nil }
    let free = level.bits - reservedBits
    guard free > 0 else { return nil }
    var rows = layer.nest.map { $0.outputRows } ?? 0
    var halo = 0
    var consumers = 0
    for consumer in layers
    where consumer.fusedInto == nil
      && consumer.inputs.contains(where: { $0.name == layer.output.name })
    {
      consumers += 1
      switch consumer.work {
      case .mac(let nest):
        // A matrix product (or a window over the whole map) reads every
        // row at once: no band of the tensor serves it.
        guard nest.inputRows > 1, nest.outputRows > 1 else { return nil }
        if rows == 0 { rows = nest.inputRows }
        let span = nest.dilationRows * (nest.kernelRows - 1) + 1
        halo = max(halo, span - nest.strideRows)
      case .streaming:
        // Element-wise work and pooling run on the band as it comes.
        continue
      case .view:
        // A concatenation along channels joins bands as they come; a
        // reshape or transpose needs the whole tensor.
        guard consumer.opType == "Concat" else { return nil }
      }
    }
    guard consumers > 0, rows > 1 else { return nil }
    let count = Int((outputBits / (free / 2)).rounded(.up))
    guard count > 1, count <= rows else { return nil }
    return RowBand(
      count: count, bits: outputBits / Double(count),
      recompute: 1 + Double((count - 1) * max(0, halo)) / Double(rows))
  }
}
