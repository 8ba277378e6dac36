/// One layer whose weights are compressed (COMPRESSION.md §1): the weight
/// tensor of a Conv, ConvTranspose, Gemm or MatMul whose second input is an
/// initializer, flat in the initializer's row-major (`dims`) order.
public struct WeightLayer: Hashable, Sendable {
  /// The operator kinds that have compressed weights.
  public enum Kind: String, Hashable, Sendable, CaseIterable {
    /// `Conv`: weights (M, C/g, R, S, …).
    case conv = "Conv"
    /// `ConvTranspose`: weights (C, M/g, R, S, …).
    case convTranspose = "ConvTranspose"
    /// `Gemm`: weights (K, M), or (M, K) with `transB`.
    case gemm = "Gemm"
    /// `MatMul`: weights (…, K, M).
    case matMul = "MatMul"

    /// The default relative-index width: 4 for convolutions, 5 for
    /// Gemm/MatMul (Deep Compression §2; COMPRESSION.md §4).
    public var defaultIndexBits: Int {
      switch self {
      case .conv, .convTranspose: 4
      case .gemm, .matMul: 5
      }
    }
  }

  /// The node's name (the ONNX node name).
  public var name: String
  /// The operator.
  public var kind: Kind
  /// The weight tensor's dimensions.
  public var shape: [Int]
  /// The weights, flat, row-major.
  public var weights: [Float]
  /// `group` of a convolution (1 otherwise).
  public var group: Int
  /// Whether a Gemm's weight is stored transposed (`transB = 1`).
  public var transposed: Bool
  /// Bias elements stored with the layer (kept raw at 32 bits).
  public var biasElements: Int
  /// MACs per weight: how many times each weight is used in one inference
  /// (output positions of a Conv or rows of a Gemm; input positions of a
  /// ConvTranspose), so that the layer's dense MACs are
  /// `positions · weights.count`.
  public var positions: Int

  /// Creates a layer.
  public init(
    name: String, kind: Kind, shape: [Int], weights: [Float], group: Int = 1,
    transposed: Bool = false, biasElements: Int = 0, positions: Int = 1
  ) {
    self.name = name
    self.kind = kind
    self.shape = shape
    self.weights = weights
    self.group = group
    self.transposed = transposed
    self.biasElements = biasElements
    self.positions = positions
  }

  /// The (rows, columns) of the matrix truncated SVD factors (§5), or `nil`
  /// when the layer cannot be factored: `K × M` of a Gemm (after `transB`)
  /// or 2-D MatMul, `M × (C·R·S)` of an ungrouped Conv.
  public var matrixSize: (rows: Int, columns: Int)? {
    switch kind {
    case .gemm, .matMul:
      guard shape.count == 2 else { return nil }
      return transposed ? (shape[1], shape[0]) : (shape[0], shape[1])
    case .conv:
      guard group == 1, shape.count >= 2 else { return nil }
      return (shape[0], shape.dropFirst().reduce(1, *))
    case .convTranspose:
      return nil
    }
  }
}
