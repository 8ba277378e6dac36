/// One convolution as SCALE-Sim's topology file writes it: padded input
/// sizes, filter sizes, channels, filters and one stride.
///
/// SCALE-Sim 3.0.0 has no padding column, so ``ifmapHeight`` and
/// ``ifmapWidth`` already include padding, and the output size is
/// `ceil((H − R + s) / s)` (see `scalesim-model.md`, "Topology file").
public struct SystolicConvShape: Hashable, Sendable {
  /// Padded input height H.
  public var ifmapHeight: Int
  /// Padded input width W.
  public var ifmapWidth: Int
  /// Filter height R.
  public var filterHeight: Int
  /// Filter width S.
  public var filterWidth: Int
  /// Input channels C (1 for each channel of a depthwise layer).
  public var channels: Int
  /// Filters M.
  public var filters: Int
  /// The stride along both axes.
  public var stride: Int

  /// Creates a shape; every value must be positive (checked by
  /// ``SystolicArrayModel/lower(_:depthwise:)``).
  public init(
    ifmapHeight: Int, ifmapWidth: Int, filterHeight: Int, filterWidth: Int,
    channels: Int, filters: Int, stride: Int
  ) {
    self.ifmapHeight = ifmapHeight
    self.ifmapWidth = ifmapWidth
    self.filterHeight = filterHeight
    self.filterWidth = filterWidth
    self.channels = channels
    self.filters = filters
    self.stride = stride
  }

  /// Output rows, SCALE-Sim's `ceil((H − R + s) / s)`.
  public var ofmapHeight: Int {
    Self.outputSize(ifmapHeight, filterHeight, stride)
  }

  /// Output columns, SCALE-Sim's `ceil((W − S + s) / s)`.
  public var ofmapWidth: Int {
    Self.outputSize(ifmapWidth, filterWidth, stride)
  }

  static func outputSize(_ input: Int, _ kernel: Int, _ stride: Int) -> Int {
    let span = input - kernel + stride
    guard span > 0, stride > 0 else { return 0 }
    return (span + stride - 1) / stride
  }
}

/// One layer lowered to SCALE-Sim's GEMM view: an `E × K` input operand
/// (im2col), a `K × M` filter operand and an `E × M` output.
///
/// `E = E_h·E_w` output pixels per filter, `K = R·S·C` window size and `M`
/// filters, so MACs = `E·K·M` (`scalesim-model.md`, "Cycle model").
/// ``window`` keeps the convolution geometry when the GEMM came from a
/// convolution: the DRAM model needs it to know which im2col entries are
/// the same input word.
public struct SystolicGEMM: Hashable, Sendable {
  /// Output pixels per filter (rows of the input operand).
  public var e: Int
  /// Window size (columns of the input operand, rows of the filter).
  public var k: Int
  /// Filters (columns of the filter and output operands).
  public var m: Int
  /// The convolution this GEMM came from, or `nil` for a plain GEMM, whose
  /// `E·K` input entries are all distinct words.
  public var window: SystolicConvShape?

  /// Creates a GEMM; use ``SystolicArrayModel/lower(_:depthwise:)`` for
  /// convolutions.
  public init(e: Int, k: Int, m: Int, window: SystolicConvShape? = nil) {
    self.e = e
    self.k = k
    self.m = m
    self.window = window
  }
}

/// Why the systolic model could not evaluate a layer.
public enum SystolicModelError: Error, Hashable, Sendable {
  /// A dimension is zero or negative, or the window does not fit the input.
  case invalidShape(String)
  /// A product of layer dimensions does not fit in `Int`.
  case overflow(String)
  /// The node is not a convolution, Gemm or MatMul, or its shapes are
  /// missing.
  case unsupported(String)
}

/// Overflow-checked products of layer dimensions.
enum SystolicMath {
  static func multiply(_ a: Int, _ b: Int, _ what: String)
    throws(SystolicModelError) -> Int
  {
    let (value, overflow) = a.multipliedReportingOverflow(by: b)
    if overflow { throw .overflow(what) }
    return value
  }

  static func add(_ a: Int, _ b: Int, _ what: String) throws(SystolicModelError)
    -> Int
  {
    let (value, overflow) = a.addingReportingOverflow(b)
    if overflow { throw .overflow(what) }
    return value
  }

  static func product(_ values: [Int], _ what: String)
    throws(SystolicModelError) -> Int
  {
    var result = 1
    for value in values { result = try multiply(result, value, what) }
    return result
  }

  static func ceilDiv(_ a: Int, _ b: Int) -> Int {
    a / b + (a % b == 0 ? 0 : 1)
  }
}
