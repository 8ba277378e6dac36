import FixedPointArithmetic
import PrecisionModel

/// The §9 statistics of one tensor role (weight, bias, accumulator, output,
/// or the network input).
public struct TensorStatistics: Hashable, Sendable {
  /// The format; `nil` for a float island's output.
  public var format: QFormat?
  /// The number of elements.
  public var elements: Int
  /// Overflow events (saturate or wrap), split + / −.
  public var overflow: OverflowCounts
  /// For a `saturateEachStep` accumulator, every saturated addition.
  public var stepOverflow: OverflowCounts?
  /// Nonzero reference values whose quantized raw is 0.
  public var underflowToZero: Int
  /// max |raw|.
  public var maxAbsRaw: Int64
  /// bitlength(max |raw|) + 1 (signed, §9) or bitlength (unsigned).
  ///
  /// Taken literally, a signed tensor holding R_min = −2^(B−1) uses B + 1 bits.
  public var usedBits: Int
  /// B − used bits (−1 exactly when a signed tensor holds R_min).
  public var headroomBits: Int
  /// log2|x| histogram against the format's window.
  public var histogram: Log2Histogram?
  /// Error against the same layer in float fed the same quantized input.
  public var local: ErrorStatistics?
  /// Error against the float network's value of this tensor.
  public var endToEnd: ErrorStatistics?

  /// Overflow events per element.
  public var overflowFraction: Double {
    elements > 0 ? Double(overflow.total) / Double(elements) : 0
  }

  /// Range statistics of raws in a format.
  init(
    raws: [Int64], format: QFormat, overflow: OverflowCounts,
    underflowToZero: Int
  ) {
    self.format = format
    self.elements = raws.count
    self.overflow = overflow
    self.underflowToZero = underflowToZero
    // One pass: the bit-length counts of the histogram and max |raw|.
    var top: UInt64 = 0
    var lengths = [Int](repeating: 0, count: 65)
    raws.withUnsafeBufferPointer { values in
      lengths.withUnsafeMutableBufferPointer { slots in
        for raw in values {
          let magnitude = raw.magnitude
          top = max(top, magnitude)
          slots[64 &- magnitude.leadingZeroBitCount] &+= 1
        }
      }
    }
    self.maxAbsRaw = Int64(clamping: top)
    let length = 64 - top.leadingZeroBitCount
    self.usedBits = format.isSigned ? length + 1 : length
    self.headroomBits = format.bits - usedBits
    self.histogram = Log2Histogram(lengths: lengths, format: format)
  }

  /// Range statistics of raws in a format with their errors against the
  /// float network's values (`endToEnd`) and against the local reference
  /// (`local`, whose nonzero values with a zero raw are the underflows to
  /// zero): the figures of ``init(raws:format:overflow:underflowToZero:)``
  /// and of ``ErrorStatistics/init(raws:format:reference:)`` for each
  /// reference, bit for bit, in one pass over the raws when both references
  /// have an element per raw (each sum still runs in element order; the
  /// references' sums are independent chains of additions, so a core keeps
  /// them in flight together).
  init(
    raws: [Int64], format: QFormat, overflow: OverflowCounts,
    endToEnd: [Float]?, local: [Float]?
  ) {
    guard let endToEnd, let local, endToEnd.count == raws.count,
      local.count == raws.count
    else {
      var underflows = 0
      if let local {
        for (raw, value) in zip(raws, local) where raw == 0 && value != 0 {
          underflows += 1
        }
      }
      self.init(
        raws: raws, format: format, overflow: overflow,
        underflowToZero: underflows)
      self.endToEnd = endToEnd.map {
        ErrorStatistics(raws: raws, format: format, reference: $0)
      }
      self.local = local.map {
        ErrorStatistics(raws: raws, format: format, reference: $0)
      }
      return
    }
    let scale = format.resolution
    var top: UInt64 = 0
    var lengths = [Int](repeating: 0, count: 65)
    var underflows = 0
    var signal = (0.0, 0.0)
    var noise = (0.0, 0.0)
    var l1 = (0.0, 0.0)
    var maxError = (0.0, 0.0)
    var sum = (0.0, 0.0)
    raws.withUnsafeBufferPointer { q in
      endToEnd.withUnsafeBufferPointer { a in
        local.withUnsafeBufferPointer { b in
          lengths.withUnsafeMutableBufferPointer { slots in
            for index in 0..<q.count {
              let raw = q[index]
              let magnitude = raw.magnitude
              top = max(top, magnitude)
              slots[64 &- magnitude.leadingZeroBitCount] &+= 1
              let x = Double(raw) * scale
              let r0 = Double(a[index])
              let e0 = x - r0
              signal.0 += r0 * r0
              noise.0 += e0 * e0
              l1.0 += abs(e0)
              maxError.0 = max(maxError.0, abs(e0))
              sum.0 += e0
              let local = b[index]
              let r1 = Double(local)
              let e1 = x - r1
              signal.1 += r1 * r1
              noise.1 += e1 * e1
              l1.1 += abs(e1)
              maxError.1 = max(maxError.1, abs(e1))
              sum.1 += e1
              if raw == 0 && local != 0 { underflows &+= 1 }
            }
          }
        }
      }
    }
    self.init(floatCount: raws.count)
    self.format = format
    self.overflow = overflow
    self.underflowToZero = underflows
    self.maxAbsRaw = Int64(clamping: top)
    let length = 64 - top.leadingZeroBitCount
    self.usedBits = format.isSigned ? length + 1 : length
    self.headroomBits = format.bits - usedBits
    self.histogram = Log2Histogram(lengths: lengths, format: format)
    self.endToEnd = ErrorStatistics(
      signal: signal.0, noise: noise.0, l1: l1.0, maxAbsError: maxError.0,
      sum: sum.0, count: raws.count, resolution: scale)
    self.local = ErrorStatistics(
      signal: signal.1, noise: noise.1, l1: l1.1, maxAbsError: maxError.1,
      sum: sum.1, count: raws.count, resolution: scale)
  }

  /// Statistics of a float tensor (a float island's output).
  init(floatCount: Int) {
    format = nil
    elements = floatCount
    overflow = OverflowCounts()
    underflowToZero = 0
    maxAbsRaw = 0
    usedBits = 0
    headroomBits = 0
  }
}

/// Bits, fractional length and accumulator width of a dot product, the key
/// of MAC counts (§9: per (B_w, B_x, A) triple).
public struct MACFormat: Hashable, Sendable, Comparable, CustomStringConvertible
{
  /// B_w.
  public var weightBits: Int
  /// B_x.
  public var inputBits: Int
  /// A.
  public var accumulatorBits: Int

  /// Creates a key.
  public init(weightBits: Int, inputBits: Int, accumulatorBits: Int) {
    self.weightBits = weightBits
    self.inputBits = inputBits
    self.accumulatorBits = accumulatorBits
  }

  /// Orders by B_w, B_x, A.
  public static func < (a: MACFormat, b: MACFormat) -> Bool {
    (a.weightBits, a.inputBits, a.accumulatorBits) < (
      b.weightBits, b.inputBits, b.accumulatorBits
    )
  }

  /// `8x8->32`.
  public var description: String {
    "\(weightBits)x\(inputBits)->\(accumulatorBits)"
  }
}

/// The §9 statistics of one node.
public struct LayerStatistics: Hashable, Sendable {
  /// The node name.
  public var name: String
  /// The ONNX operator type.
  public var opType: String
  /// How the node treats formats; float islands are flagged in reports.
  public var kind: NodeKind
  /// Whether a non-linear node ran an integer kernel (`nonlinear: integer`)
  /// rather than a float island.
  public var nonlinear: NonlinearArithmetic = .float
  /// Weight quantization (constant operands).
  public var weight: TensorStatistics?
  /// Bias quantization and alignment.
  public var bias: TensorStatistics?
  /// The accumulator (dot-product layers), or the exact pre-requantization
  /// value of Add / Mul.
  public var accumulator: TensorStatistics?
  /// The output tensor.
  public var output: TensorStatistics
  /// Concat-input and `alignToOutput` input requantization events.
  public var inputRequantization: OverflowCounts
  /// Multiply-accumulates over the batch.
  public var macs: Int
  /// The MAC's (B_w, B_x, A).
  public var macFormat: MACFormat?

  /// Every overflow event of the layer (weight, bias, accumulator
  /// elements, output, input requantization).
  public var totalOverflows: Int {
    (weight?.overflow.total ?? 0) + (bias?.overflow.total ?? 0)
      + (accumulator?.overflow.total ?? 0) + output.overflow.total
      + inputRequantization.total
  }
}

/// Network-level results of a bit-accurate run (§9).
public struct NetworkStatistics: Hashable, Sendable {
  /// The quantized network input.
  public var input: TensorStatistics
  /// Every node, in execution order.
  public var layers: [LayerStatistics]
  /// The number of samples (rows of the first output).
  public var samples: Int
  /// Top-1 accuracy (0…1) when labels were given.
  public var top1: Double?
  /// Top-5 accuracy when labels were given.
  public var top5: Double?
  /// Float network's top-1 accuracy when labels were given.
  public var floatTop1: Double?
  /// The fraction of samples whose top-1 class equals the float network's.
  public var top1Agreement: Double
  /// Every overflow event, input included.
  public var totalOverflows: Int
  /// Bits moved per tensor: B · count (32 per float element), for the input,
  /// every node output and every quantized constant.
  public var bitsMoved: [String: Int]
  /// MACs per (B_w, B_x, A).
  public var macs: [MACFormat: Int]
}
