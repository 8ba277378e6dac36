import NetworkGraph

/// How a node treats fixed-point formats (FIXED_POINT.md §11).
public enum NodeKind: String, Hashable, Sendable {
  /// Conv (any group), Gemm, MatMul, Add, Mul, AveragePool,
  /// GlobalAveragePool, Concat: output requantized to the layer's
  /// `activation` format (§5).
  case computing
  /// Relu, Clip, MaxPool, GlobalMaxPool, Flatten, Reshape, Identity,
  /// Dropout, and the pure data movements Transpose, Squeeze, Unsqueeze,
  /// Split (every part) and TopK (its values; its indices are integers in
  /// ``FixedPointArithmetic/QFormat/indices``): output keeps the input's
  /// format.
  case formatPreserving
  /// Softmax, Sigmoid and everything else: dequantize exactly, compute in
  /// Double, output Float32 (or requantize with `halfEven`/`saturate` when a
  /// fixed-point format applies).
  case floatIsland

  /// The kind of an operator.
  ///
  /// Transpose, Squeeze, Unsqueeze, Split and TopK are not named in §11;
  /// they move raws without arithmetic, so this executor keeps their
  /// input's format (the reading chosen, documented in
  /// `Documentation/Quantization.md`).
  public init(_ op: Operator) {
    switch op {
    case .conv, .gemm, .matMul, .add, .mul, .averagePool, .globalAveragePool,
      .concat:
      self = .computing
    case .relu, .clip, .maxPool, .globalMaxPool, .flatten, .reshape, .identity,
      .dropout,
      .transpose, .squeeze, .unsqueeze:
      self = .formatPreserving
    case .extended(.split), .extended(.topK):
      self = .formatPreserving
    case .activation, .softmax, .batchNormalization, .extended:
      self = .floatIsland
    }
  }

  /// Whether `nonlinear: integer` runs the operator with an integer kernel
  /// (`Documentation/Quantization.md` § Integer-only non-linear functions):
  /// Softmax, Sigmoid, Tanh, Gelu, Erf, Exp, LayerNormalization, LSTM and
  /// GRU.
  public static func hasIntegerKernel(_ op: Operator) -> Bool {
    switch op {
    case .softmax, .extended(.layerNormalization), .extended(.recurrent):
      true
    case .activation(let activation):
      switch activation {
      case .sigmoid, .tanh, .gelu, .erf, .exp: true
      default: false
      }
    default: false
    }
  }

  /// `hasIntegerKernel` of the operator, for one node: an LSTM or GRU
  /// with `sequence_lens` or peepholes `P` stays a float island
  /// (Quantization.md I11 covers neither).
  public static func hasIntegerKernel(_ node: Node) -> Bool {
    if case .extended(.recurrent) = node.op {
      return [4, 7].allSatisfy {
        $0 >= node.inputs.count || node.inputs[$0].isEmpty
      }
    }
    return hasIntegerKernel(node.op)
  }

  /// Input positions that carry data (not a shape, axes or clip bound).
  public static func dataInputs(of node: Node) -> [Int] {
    let metadata: Set<Int>
    switch node.op {
    case .reshape, .squeeze, .unsqueeze: metadata = [1]
    case .clip: metadata = [1, 2]
    case .dropout: metadata = [1, 2]
    case .extended(let op): metadata = op.metadataInputs
    default: metadata = []
    }
    return node.inputs.indices.filter {
      !metadata.contains($0) && !node.inputs[$0].isEmpty
    }
  }
}
