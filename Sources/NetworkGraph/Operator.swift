/// What a node computes, with its attributes typed (ONNX operator set).
///
/// Operands that ONNX passes as inputs stay inputs: Conv's weight and bias,
/// Gemm's `B` and `C`, Reshape's target shape, Clip's `min`/`max` (opset ≥ 11)
/// and Squeeze/Unsqueeze's `axes` (opset ≥ 13). Where an operator also has an
/// attribute form (Clip-6, Squeeze-11), the attribute is kept here and the
/// input, when present and constant, takes precedence.
public enum Operator: Hashable, Sendable {
  /// N-D convolution (Conv-11): inputs `X`, `W`, optional `B`.
  case conv(ConvAttributes)
  /// General matrix multiply (Gemm-13): inputs `A`, `B`, optional `C`.
  case gemm(GemmAttributes)
  /// NumPy-style matrix product with batch broadcasting (MatMul-13).
  case matMul
  /// `max(0, x)` (Relu-14).
  case relu
  /// `min(max(x, min), max)` (Clip-6 attributes; Clip-13 optional inputs 1
  /// and 2 override them). `nil` means unbounded.
  case clip(min: Float?, max: Float?)
  /// An element-wise function computed in floating point: Sigmoid, Tanh,
  /// GELU, Exp and the rest of ``Activation``.
  case activation(Activation)
  /// Max pooling (MaxPool-12/22); dilations apply.
  case maxPool(PoolAttributes)
  /// Average pooling (AveragePool-19/22).
  case averagePool(PoolAttributes)
  /// Mean over all spatial axes, keeping them as size 1 (GlobalAveragePool-1).
  case globalAveragePool
  /// Max over all spatial axes, keeping them as size 1 (GlobalMaxPool-1).
  case globalMaxPool
  /// Element-wise sum with NumPy broadcasting (Add-14).
  case add
  /// Element-wise product with NumPy broadcasting (Mul-14).
  case mul
  /// Join along `axis`; negative counts from the end (Concat-13).
  case concat(axis: Int)
  /// Reshape to 2-D `[prod(d0..<axis), prod(axis...)]` (Flatten-13).
  case flatten(axis: Int)
  /// Reshape to the constant target in input 1: `0` copies the input
  /// dimension (unless `allowZero`), `-1` is inferred (Reshape-14/21).
  case reshape(allowZero: Bool)
  /// Permute axes; `nil` reverses them (Transpose-13).
  case transpose(perm: [Int]?)
  /// Remove size-1 axes: the listed ones, or all when `nil` and there is no
  /// constant `axes` input (Squeeze-11/13).
  case squeeze(axes: [Int]?)
  /// Insert size-1 axes at the listed output positions; `nil` takes them
  /// from the constant `axes` input (Unsqueeze-11/13).
  case unsqueeze(axes: [Int]?)
  /// Normalized exponential along `axis` (Softmax-13, default −1).
  case softmax(axis: Int)
  /// Inference-mode batch normalization (BatchNormalization-15): inputs `X`,
  /// `scale`, `B`, `input_mean`, `input_var`.
  case batchNormalization(epsilon: Float)
  /// Dropout (Dropout-13): identity at inference; removed by a pass.
  case dropout
  /// Identity (Identity-16): removed by a pass.
  case identity
  /// An operator of modern edge models that the executors do not run yet:
  /// normalisations, reductions, data movement, recurrent and quantized
  /// layers (see ``ExtendedOperator``).
  case extended(ExtendedOperator)

  /// The ONNX operator type, such as `Conv` or `BatchNormalization`.
  public var opType: String {
    switch self {
    case .conv: "Conv"
    case .gemm: "Gemm"
    case .matMul: "MatMul"
    case .relu: "Relu"
    case .clip: "Clip"
    case .activation(let function): function.opType
    case .maxPool: "MaxPool"
    case .averagePool: "AveragePool"
    case .globalAveragePool: "GlobalAveragePool"
    case .globalMaxPool: "GlobalMaxPool"
    case .add: "Add"
    case .mul: "Mul"
    case .concat: "Concat"
    case .flatten: "Flatten"
    case .reshape: "Reshape"
    case .transpose: "Transpose"
    case .squeeze: "Squeeze"
    case .unsqueeze: "Unsqueeze"
    case .softmax: "Softmax"
    case .batchNormalization: "BatchNormalization"
    case .dropout: "Dropout"
    case .identity: "Identity"
    case .extended(let op): op.opType
    }
  }

  /// Every ONNX operator type the IR supports, for "supported list" messages.
  public static let supportedOpTypes: [String] =
    (Activation.opTypes + [
      "Add", "AveragePool", "BatchNormalization", "Clip", "Concat", "Conv",
      "Dropout", "Flatten", "Gemm", "GlobalAveragePool", "GlobalMaxPool",
      "Identity", "MatMul", "MaxPool", "Mul", "Relu", "Reshape", "Softmax",
      "Squeeze", "Transpose", "Unsqueeze",
    ] + ExtendedOperator.opTypes).sorted()

  /// Input positions that hold metadata (a shape, axes, clip bounds) rather
  /// than data; they count as neither activations nor parameters.
  public var metadataInputs: Set<Int> {
    switch self {
    case .reshape, .squeeze, .unsqueeze: [1]
    case .clip: [1, 2]
    case .extended(let op): op.metadataInputs
    default: []
    }
  }
}
