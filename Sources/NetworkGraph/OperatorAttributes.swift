/// Attributes of a convolution (ONNX Conv-11, unchanged in Conv-22).
///
/// The kernel's spatial shape comes from the weight tensor
/// `[Cout, Cin/group, k1, k2, …]`; `kernelShape`, when given, is checked
/// against it. Lists that are `nil` take the ONNX defaults (strides and
/// dilations 1, pads 0). For 2-D convolutions `pads` is
/// `[top, left, bottom, right]`: ONNX's `[x1_begin, x2_begin, x1_end, x2_end]`.
public struct ConvAttributes: Hashable, Sendable {
  /// The number of groups: 1 for a dense convolution, `C` for depthwise.
  public var group: Int
  /// The stride along each spatial axis, or `nil` for all ones.
  public var strides: [Int]?
  /// Begin pads for every spatial axis, then end pads, or `nil` for zeros.
  ///
  /// Ignored unless ``autoPad`` is ``AutoPad/notSet``.
  public var pads: [Int]?
  /// The dilation along each spatial axis, or `nil` for all ones.
  public var dilations: [Int]?
  /// The padding mode.
  public var autoPad: AutoPad
  /// The declared kernel shape, or `nil` to take it from the weight.
  public var kernelShape: [Int]?

  /// Creates convolution attributes; every argument has the ONNX default.
  public init(
    group: Int = 1, strides: [Int]? = nil, pads: [Int]? = nil,
    dilations: [Int]? = nil, autoPad: AutoPad = .notSet,
    kernelShape: [Int]? = nil
  ) {
    self.group = group
    self.strides = strides
    self.pads = pads
    self.dilations = dilations
    self.autoPad = autoPad
    self.kernelShape = kernelShape
  }
}

/// Attributes of MaxPool (ONNX MaxPool-12/22) and AveragePool
/// (AveragePool-19/22).
///
/// Output sizes follow the specs: `floor` (or `ceil` with ``ceilMode``) of
/// `(input + pads − dilation·(kernel − 1) − 1) / stride + 1`, where with
/// `ceil_mode` a window that would start in the end padding is dropped
/// (the rule PyTorch and MaxPool-22 state).
public struct PoolAttributes: Hashable, Sendable {
  /// The window's spatial shape (required by ONNX).
  public var kernelShape: [Int]
  /// The stride along each spatial axis, or `nil` for all ones.
  public var strides: [Int]?
  /// Begin pads for every spatial axis, then end pads, or `nil` for zeros.
  public var pads: [Int]?
  /// The dilation along each spatial axis, or `nil` for all ones.
  public var dilations: [Int]?
  /// The padding mode.
  public var autoPad: AutoPad
  /// Whether output sizes round up rather than down.
  public var ceilMode: Bool
  /// For AveragePool: whether padded cells count in the divisor.
  public var countIncludePad: Bool

  /// Creates pooling attributes; optional arguments take the ONNX defaults.
  public init(
    kernelShape: [Int], strides: [Int]? = nil, pads: [Int]? = nil,
    dilations: [Int]? = nil, autoPad: AutoPad = .notSet, ceilMode: Bool = false,
    countIncludePad: Bool = false
  ) {
    self.kernelShape = kernelShape
    self.strides = strides
    self.pads = pads
    self.dilations = dilations
    self.autoPad = autoPad
    self.ceilMode = ceilMode
    self.countIncludePad = countIncludePad
  }
}

/// Attributes of Gemm (ONNX Gemm-13): `Y = alpha·A'·B' + beta·C`, where
/// `A' = transpose(A)` if ``transA`` and `B' = transpose(B)` if ``transB``.
public struct GemmAttributes: Hashable, Sendable {
  /// Scale of the product `A'·B'`.
  public var alpha: Float
  /// Scale of the bias `C`.
  public var beta: Float
  /// Whether `A` is stored as `[K, M]`.
  public var transA: Bool
  /// Whether `B` is stored as `[N, K]` (the layout of a PyTorch `Linear`).
  public var transB: Bool

  /// Creates Gemm attributes; every argument has the ONNX default.
  public init(
    alpha: Float = 1, beta: Float = 1, transA: Bool = false,
    transB: Bool = false
  ) {
    self.alpha = alpha
    self.beta = beta
    self.transA = transA
    self.transB = transB
  }
}
