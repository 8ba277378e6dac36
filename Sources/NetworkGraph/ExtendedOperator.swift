/// The operators of modern edge models (issue #16): normalisations,
/// reductions, broadcasting arithmetic and comparisons, data movement,
/// transposed and quantized convolutions, recurrent layers and the rest.
///
/// Shape inference, counting and the simulator know them; the executors
/// refuse them with an error naming the node and operator. Operands that
/// ONNX passes as inputs stay inputs (Slice's `starts`, Resize's `sizes`,
/// Pad's `pads`, Split's `split`, the `axes` of ReduceMean-18): the
/// importer turns the attribute forms of older opsets into constant inputs,
/// so each operator has one form here. Shape rules need those inputs to be
/// constants (after import-time folding); a non-constant one is a located
/// error.
public enum ExtendedOperator: Hashable, Sendable {
  /// LayerNormalization-17: normalise over axes `axis…` (inputs `X`,
  /// `Scale`, optional `B`).
  case layerNormalization(axis: Int, epsilon: Float)
  /// GroupNormalization-18/21: `X [N, C, …]` normalised over `groups`
  /// channel groups (inputs `X`, `scale`, `bias`).
  case groupNormalization(groups: Int, epsilon: Float)
  /// InstanceNormalization-6: normalise each `[n, c]` plane (inputs
  /// `input`, `scale`, `B`).
  case instanceNormalization(epsilon: Float)
  /// ReduceMean and its kin: reduce the constant `axes` of input 1 (all
  /// axes when absent, unless `noopWithEmptyAxes`).
  case reduce(ReductionKind, keepDims: Bool, noopWithEmptyAxes: Bool)
  /// An element-wise function of one or more inputs with NumPy
  /// broadcasting: Sub, Div, Pow, comparisons, logic, Where, Min/Max/Sum/
  /// Mean, PRelu, Sin, Cos and the like.
  case elementwise(ElementwiseFunction)
  /// Cast-13/19/21 to `to`.
  case cast(to: ElementType)
  /// QuantizeLinear-10/13/19/21 (inputs `x`, `y_scale`, optional
  /// `y_zero_point`); the output has the zero point's type (uint8 when
  /// absent) or `outputType`.
  case quantizeLinear(axis: Int, outputType: ElementType?)
  /// DequantizeLinear-10/13/19/21 (inputs `x`, `x_scale`, optional
  /// `x_zero_point`) to float32.
  case dequantizeLinear(axis: Int)
  /// Gather-13 along `axis` by the indices of input 1.
  case gather(axis: Int)
  /// Expand-13 to the constant shape of input 1 (broadcasting).
  case expand
  /// Tile-13 by the constant repeats of input 1.
  case tile
  /// Slice-13 with constant `starts`, `ends`, optional `axes`, `steps`.
  case slice
  /// Resize-11/13/18/19 (inputs `X`, `roi`, `scales`, `sizes`; opset-9
  /// Upsample is mapped to it with `scales` in input 2).
  case resize(mode: ResizeMode, sampling: ResizeSampling = ResizeSampling())
  /// Split-13/18 along `axis`: sizes from the constant input 1, or equal
  /// parts (`numOutputs`, or the output count).
  case split(axis: Int)
  /// Pad-11/13/18/19/21 (inputs `data`, constant `pads`, optional
  /// `constant_value`, optional constant `axes`).
  case pad(mode: String)
  /// ConvTranspose-11: inputs `X`, `W [C, M/group, k…]`, optional `B`.
  case convTranspose(ConvTransposeAttributes)
  /// LSTM-14 or GRU-14 over a whole sequence.
  case recurrent(RecurrentAttributes)
  /// QLinearConv-10: Conv on quantized `x` (0) and `w` (3), requantized.
  case qLinearConv(ConvAttributes)
  /// QLinearMatMul-10/21: MatMul of quantized `a` (0) and `b` (3).
  case qLinearMatMul
  /// ConvInteger-10: Conv of integers `x`, `w` to int32.
  case convInteger(ConvAttributes)
  /// MatMulInteger-10: MatMul of integers `A`, `B` to int32.
  case matMulInteger
  /// Einsum-12 with its equation (explicit or implicit output).
  case einsum(equation: String)
  /// TopK-11: the `k` (constant input 1) largest or smallest along `axis`;
  /// outputs values and int64 indices.
  case topK(axis: Int, largest: Bool)
  /// ArgMax-13 (`max` true) or ArgMin-13 along `axis`; ties go to the
  /// first index, or the last with `selectLastIndex`.
  case argExtreme(
    max: Bool, axis: Int, keepDims: Bool, selectLastIndex: Bool = false)
  /// DepthToSpace-13 (`DCR`, or `CRD` when `columnRowDepth`) or
  /// SpaceToDepth-13 (`toSpace` false) with `blockSize`.
  case depthSpace(toSpace: Bool, blockSize: Int, columnRowDepth: Bool = false)
  /// ConstantOfShape-9/20: a tensor of the constant shape in input 0 filled
  /// with `value` (the `value` attribute's one element, 0 when absent) of
  /// `elementType`.
  case constantOfShape(elementType: ElementType, value: Float = 0)
  /// Range-11: `start`, `limit`, `delta` (constant scalars).
  case range
  /// Shape-15 of a tensor, `dims[start..<end]` (normally folded at import).
  case shape(start: Int, end: Int?)
  /// CumSum-14 along the constant axis of input 1 (`exclusive`, `reverse`
  /// attributes).
  case cumSum(exclusive: Bool = false, reverse: Bool = false)
  /// Trilu-14: keep the upper (or lower) triangle; `k` from input 1.
  case trilu(upper: Bool)
  /// TensorFlow Lite's `TFLite_Detection_PostProcess` (an SSD's box
  /// decoding, best class per anchor and non-maximum suppression): box
  /// encodings (input 0) and class scores (input 1) to the detections.
  /// Written by workload files only (ONNX has no such operator).
  case detectionPostProcess(DetectionPostProcessAttributes)

  /// The ONNX operator type.
  public var opType: String {
    switch self {
    case .layerNormalization: "LayerNormalization"
    case .groupNormalization: "GroupNormalization"
    case .instanceNormalization: "InstanceNormalization"
    case .reduce(let kind, _, _): kind.rawValue
    case .elementwise(let function): function.rawValue
    case .cast: "Cast"
    case .quantizeLinear: "QuantizeLinear"
    case .dequantizeLinear: "DequantizeLinear"
    case .gather: "Gather"
    case .expand: "Expand"
    case .tile: "Tile"
    case .slice: "Slice"
    case .resize: "Resize"
    case .split: "Split"
    case .pad: "Pad"
    case .convTranspose: "ConvTranspose"
    case .recurrent(let attributes): attributes.kind.rawValue
    case .qLinearConv: "QLinearConv"
    case .qLinearMatMul: "QLinearMatMul"
    case .convInteger: "ConvInteger"
    case .matMulInteger: "MatMulInteger"
    case .einsum: "Einsum"
    case .topK: "TopK"
    case .argExtreme(let max, _, _, _): max ? "ArgMax" : "ArgMin"
    case .depthSpace(let toSpace, _, _):
      toSpace ? "DepthToSpace" : "SpaceToDepth"
    case .constantOfShape: "ConstantOfShape"
    case .range: "Range"
    case .shape: "Shape"
    case .cumSum: "CumSum"
    case .trilu: "Trilu"
    case .detectionPostProcess: "TFLite_Detection_PostProcess"
    }
  }

  /// Every ONNX operator type these cases stand for.
  public static let opTypes: [String] =
    ReductionKind.allCases.map(\.rawValue)
    + ElementwiseFunction.allCases.map(\.rawValue)
    + RecurrentKind.allCases.map(\.rawValue) + [
      "LayerNormalization", "GroupNormalization", "InstanceNormalization",
      "Cast", "QuantizeLinear", "DequantizeLinear", "Gather", "Expand", "Tile",
      "Slice", "Resize", "Upsample", "Split", "Pad", "ConvTranspose",
      "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger",
      "Einsum", "TopK", "ArgMax", "ArgMin", "DepthToSpace", "SpaceToDepth",
      "ConstantOfShape", "Range", "Shape", "CumSum", "Trilu",
    ]

  /// Input positions holding metadata (shapes, axes, sizes, counts): they
  /// count as neither activations nor parameters.
  public var metadataInputs: Set<Int> {
    switch self {
    case .reduce, .expand, .tile, .split, .topK, .cumSum, .trilu: [1]
    case .slice: [1, 2, 3, 4]
    case .resize: [1, 2, 3]
    case .pad: [1, 2, 3]
    case .constantOfShape, .shape: [0]
    case .range: [0, 1, 2]
    case .recurrent: [4]
    default: []
    }
  }

  /// Input positions of constants that are quantization scales and zero
  /// points, initial states or a Gather's indices: stored (their bytes
  /// count) but not learned.
  public var unlearnedInputs: Set<Int> {
    switch self {
    case .gather: [1]
    case .quantizeLinear, .dequantizeLinear: [1, 2]
    case .qLinearConv, .qLinearMatMul: [1, 2, 4, 5, 6, 7]
    case .convInteger, .matMulInteger: [2, 3]
    case .recurrent: [5, 6]
    default: []
    }
  }
}

/// The reductions of the ONNX `Reduce*` family.
public enum ReductionKind: String, Hashable, Sendable, CaseIterable {
  case mean = "ReduceMean"
  case sum = "ReduceSum"
  case max = "ReduceMax"
  case min = "ReduceMin"
  case product = "ReduceProd"
  case l1 = "ReduceL1"
  case l2 = "ReduceL2"
  case sumSquare = "ReduceSumSquare"
  case logSumExp = "ReduceLogSumExp"

  /// The opset from which `axes` is an input rather than an attribute.
  public var axesInputOpset: Int { self == .sum ? 13 : 18 }
}

/// Element-wise functions with NumPy broadcasting of all inputs.
public enum ElementwiseFunction: String, Hashable, Sendable, CaseIterable {
  case sub = "Sub"
  case div = "Div"
  case pow = "Pow"
  /// Mod with `fmod` 0: the remainder takes the divisor's sign (integers
  /// only; ONNX requires `fmod` 1 on floating-point tensors).
  case mod = "Mod"
  /// Mod with `fmod` 1: C's `fmod`, the remainder takes the dividend's sign.
  case truncatedMod = "Mod(fmod=1)"
  case equal = "Equal"
  case less = "Less"
  case lessOrEqual = "LessOrEqual"
  case greater = "Greater"
  case greaterOrEqual = "GreaterOrEqual"
  case and = "And"
  case or = "Or"
  case xor = "Xor"
  case not = "Not"
  case sin = "Sin"
  case cos = "Cos"
  case floor = "Floor"
  case ceil = "Ceil"
  case round = "Round"
  case sign = "Sign"
  case isNaN = "IsNaN"
  case whereSelect = "Where"
  case min = "Min"
  case max = "Max"
  case sum = "Sum"
  case mean = "Mean"
  case pRelu = "PRelu"

  /// The inputs the function takes.
  public var arity: ClosedRange<Int> {
    switch self {
    case .not, .sin, .cos, .floor, .ceil, .round, .sign, .isNaN: 1...1
    case .whereSelect: 3...3
    case .min, .max, .sum, .mean: 1...Int.max
    default: 2...2
    }
  }

  /// Whether the output is boolean.
  public var isPredicate: Bool {
    switch self {
    case .equal, .less, .lessOrEqual, .greater, .greaterOrEqual, .and, .or,
      .xor, .not, .isNaN:
      true
    default: false
    }
  }
}

/// How Resize computes an output element.
public enum ResizeMode: String, Hashable, Sendable {
  case nearest
  case linear
  case cubic
}

/// How Resize maps output coordinates to input coordinates and samples
/// there (Resize-19's attributes besides `mode`).
public struct ResizeSampling: Hashable, Sendable {
  /// `coordinate_transformation_mode`: half_pixel (default),
  /// half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric.
  public var coordinateTransformation: String
  /// `nearest_mode`: round_prefer_floor (default), round_prefer_ceil,
  /// floor, ceil.
  public var nearestMode: String
  /// `cubic_coeff_a` (−0.75).
  public var cubicCoefficient: Float
  /// `exclude_outside` (0).
  public var excludeOutside: Bool

  /// Creates the sampling with ONNX's defaults.
  public init(
    coordinateTransformation: String = "half_pixel",
    nearestMode: String = "round_prefer_floor", cubicCoefficient: Float = -0.75,
    excludeOutside: Bool = false
  ) {
    self.coordinateTransformation = coordinateTransformation
    self.nearestMode = nearestMode
    self.cubicCoefficient = cubicCoefficient
    self.excludeOutside = excludeOutside
  }
}

/// LSTM or GRU.
public enum RecurrentKind: String, Hashable, Sendable, CaseIterable {
  case lstm = "LSTM"
  case gru = "GRU"

  /// Gates per hidden unit: 4 for LSTM (i, o, f, c), 3 for GRU (z, r, h).
  public var gates: Int { self == .lstm ? 4 : 3 }
}

/// Attributes of LSTM-14 and GRU-14.
public struct RecurrentAttributes: Hashable, Sendable {
  /// LSTM or GRU.
  public var kind: RecurrentKind
  /// `hidden_size`.
  public var hiddenSize: Int
  /// 1 (`forward`, `reverse`) or 2 (`bidirectional`).
  public var directions: Int
  /// `layout` 0 (`[seq, batch, …]`) or 1 (`[batch, seq, …]`).
  public var batchFirst: Bool
  /// `direction` `reverse` (one direction, last time step first).
  public var reverse: Bool
  /// GRU's `linear_before_reset` (PyTorch exports 1).
  public var linearBeforeReset: Bool

  /// Creates the attributes.
  public init(
    kind: RecurrentKind, hiddenSize: Int, directions: Int, batchFirst: Bool,
    reverse: Bool = false, linearBeforeReset: Bool = false
  ) {
    self.kind = kind
    self.hiddenSize = hiddenSize
    self.directions = directions
    self.batchFirst = batchFirst
    self.reverse = reverse
    self.linearBeforeReset = linearBeforeReset
  }
}

/// Attributes of ConvTranspose-11.
public struct ConvTransposeAttributes: Hashable, Sendable {
  /// Strides, pads, dilations, group, auto_pad and kernel shape, as Conv.
  public var conv: ConvAttributes
  /// `output_padding`, or `nil` for zeros.
  public var outputPadding: [Int]?
  /// `output_shape` (spatial sizes), or `nil`.
  public var outputShape: [Int]?

  /// Creates the attributes.
  public init(
    conv: ConvAttributes, outputPadding: [Int]? = nil,
    outputShape: [Int]? = nil
  ) {
    self.conv = conv
    self.outputPadding = outputPadding
    self.outputShape = outputShape
  }
}
