import HardwareModel

/// Operand widths of one layer, in bits, and whether it computes in floating
/// point.
///
/// A precision file gives these per layer; a shorthand (`int8`) gives one
/// ``init(precision:)`` for every layer.
public struct LayerWidths: Hashable, Sendable {
  /// Bits per weight.
  public var weightBits: Int
  /// Bits per input activation.
  public var inputBits: Int
  /// Bits per output activation.
  public var outputBits: Int
  /// Bits of the accumulator (partial sums).
  public var accumulatorBits: Int
  /// Whether the arithmetic is floating point.
  public var isFloat: Bool

  /// Creates widths (each at least 1 bit).
  public init(
    weightBits: Int, inputBits: Int, outputBits: Int, accumulatorBits: Int,
    isFloat: Bool
  ) {
    self.weightBits = max(1, weightBits)
    self.inputBits = max(1, inputBits)
    self.outputBits = max(1, outputBits)
    self.accumulatorBits = max(1, accumulatorBits)
    self.isFloat = isFloat
  }

  /// The widths of a precision: operands at its width, the accumulator at
  /// ``defaultAccumulatorBits(for:)``.
  public init(precision: Precision) {
    self.init(
      weightBits: precision.bits, inputBits: precision.bits,
      outputBits: precision.bits,
      accumulatorBits: Self.defaultAccumulatorBits(for: precision),
      isFloat: precision.isFloatingPoint)
  }

  /// The usual accumulator of a precision (``AccumulatorRule``): 16 bits
  /// for int4, 32 for int8 and int16, the operand width for floating point.
  public static func defaultAccumulatorBits(for precision: Precision) -> Int {
    AccumulatorRule.bits(for: precision)
  }

  /// The wider of the two multiplier operands.
  public var operandBits: Int { max(weightBits, inputBits) }

  /// `w8a8o8acc32` or `fp16`.
  public var label: String {
    if isFloat, weightBits == inputBits, inputBits == outputBits {
      return "fp\(weightBits)"
    }
    if weightBits == inputBits, inputBits == outputBits,
      let p = Precision.allCases.first(where: {
        $0.bits == weightBits && !$0.isFloatingPoint
      }),
      accumulatorBits == Self.defaultAccumulatorBits(for: p)
    {
      return p.rawValue
    }
    return
      "w\(weightBits)a\(inputBits)o\(outputBits)acc\(accumulatorBits)\(isFloat ? "f" : "")"
  }
}

/// The precision a run computes in.
public enum PrecisionChoice: Hashable, Sendable {
  /// The device's native precision (``Compute/nativePrecision``).
  case native
  /// One precision for every layer.
  case uniform(Precision)
  /// Widths per layer name (from a precision file), with a default.
  case perLayer(default: LayerWidths, layers: [String: LayerWidths])
}

/// How a run is set up.
public struct SimulationOptions: Hashable, Sendable {
  /// The precision.
  public var precision: PrecisionChoice
  /// Inferences processed together (multiplies the batch loop, ≥ 1).
  public var batch: Int
  /// Whether a layer's output may stay in on-chip memory for the next layer
  /// when it fits (otherwise every activation goes to DRAM and back).
  public var keepOutputsOnChip: Bool
  /// Steady-state weights: when the whole network's weights fit in the
  /// on-chip level that stages them, beside the largest layer's whole input
  /// and output, they are loaded before the timed run and never fetched
  /// again (the Edge TPU's parameter caching).
  public var weightsPreloaded: Bool
  /// The most tile groups a layer's timeline keeps (tiles are merged into
  /// consecutive groups beyond that); bounds run time and trace size.
  public var maximumTileGroups: Int
  /// How weights and activations are coded to and from the backing store
  /// (`nil`: raw).
  public var compression: DRAMCompression?

  /// Creates options.
  public init(
    precision: PrecisionChoice = .native, batch: Int = 1,
    keepOutputsOnChip: Bool = true,
    weightsPreloaded: Bool = false, maximumTileGroups: Int = 32,
    compression: DRAMCompression? = nil
  ) {
    self.compression = compression
    self.precision = precision
    self.batch = min(max(1, batch), 1 << 16)
    self.keepOutputsOnChip = keepOutputsOnChip
    self.weightsPreloaded = weightsPreloaded
    self.maximumTileGroups = min(max(1, maximumTileGroups), 4096)
  }
}
