/// Truncated SVD of a layer into two (COMPRESSION.md §5; Denton et al.,
/// NIPS 2014).
public enum LowRankFactorization {
  /// Why a layer is not factored.
  public enum Refusal: Error, Hashable, Sendable {
    /// Grouped or depthwise Conv, ConvTranspose, or a MatMul weight that is
    /// not 2-D.
    case unsupportedLayer
    /// The rank is above `min(rows, columns)`, given.
    case rankTooLarge(Int, maximum: Int)
    /// The rank would not reduce the MACs strictly.
    case noSaving(rank: Int)
  }

  /// The two factors, as float32 weights in their layouts: (K, r) and
  /// (r, M) for Gemm/MatMul, (r, C, R, S) and (M, r, 1, 1) for Conv.
  public struct Factors: Hashable, Sendable {
    /// The rank.
    public var rank: Int
    /// The factor applied first (`NODE_a`), and its shape.
    public var first: [Float]
    /// The first factor's shape.
    public var firstShape: [Int]
    /// The factor applied second (`NODE_b`).
    public var second: [Float]
    /// The second factor's shape.
    public var secondShape: [Int]
  }

  /// The rank a request resolves to for `layer`, or why it cannot be used.
  public static func rank(
    _ request: LowRank, for layer: WeightLayer, singularValues: [Double]
  ) -> Result<Int, Refusal> {
    guard let (rows, columns) = layer.matrixSize else {
      return .failure(.unsupportedLayer)
    }
    let limit = min(rows, columns)
    let r: Int
    switch request {
    case .rank(let wanted):
      guard wanted <= limit else {
        return .failure(.rankTooLarge(wanted, maximum: limit))
      }
      r = wanted
    case .energy(let f):
      let total = singularValues.reduce(0) { $0 + $1 * $1 }
      var sum = 0.0
      var found = singularValues.count
      for (i, s) in singularValues.enumerated() {
        sum += s * s
        if sum >= f * total {
          found = i + 1
          break
        }
      }
      r = max(1, found)
    }
    guard r * (rows + columns) < rows * columns else {
      return .failure(.noSaving(rank: r))
    }
    return .success(r)
  }

  /// Factors `layer` at `request`.
  public static func factor(_ layer: WeightLayer, _ request: LowRank)
    -> Result<Factors, Refusal>
  {
    guard let (rows, columns) = layer.matrixSize else {
      return .failure(.unsupportedLayer)
    }
    if case .rank(let wanted) = request, wanted > min(rows, columns) {
      return .failure(.rankTooLarge(wanted, maximum: min(rows, columns)))
    }
    // The matrix: K × M for Gemm/MatMul (transB undone), M × CRS for Conv.
    var matrix = layer.weights.map(Double.init)
    if layer.kind == .gemm, layer.transposed {
      for i in 0..<rows {
        for j in 0..<columns {
          matrix[i * columns + j] = Double(layer.weights[j * rows + i])
        }
      }
    }
    let svd = JacobiSVD(matrix, rows: rows, columns: columns)
    let r: Int
    switch rank(request, for: layer, singularValues: svd.sigma) {
    case .success(let value): r = value
    case .failure(let refusal): return .failure(refusal)
    }
    // The input side: u_i for K × M (x·W), v_i for a Conv's M × CRS.
    let isConv = layer.kind == .conv
    var inputSide = Array((isConv ? svd.v : svd.u).prefix(r))
    var outputSide = Array((isConv ? svd.u : svd.v).prefix(r))
    for i in 0..<r {
      let root = svd.sigma[i].squareRoot()
      var largest = 0
      for (j, x) in inputSide[i].enumerated()
      where x.magnitude > inputSide[i][largest].magnitude {
        largest = j
      }
      let sign: Double = inputSide[i][largest] < 0 ? -1 : 1
      inputSide[i] = inputSide[i].map { $0 * root * sign }
      outputSide[i] = outputSide[i].map { $0 * root * sign }
    }
    if isConv {
      // First: (r, C, R, S) = rows of √σ vᵀ; second: (M, r, 1, 1).
      let first = inputSide.flatMap { $0.map(Float.init) }
      var second = [Float](repeating: 0, count: rows * r)
      for m in 0..<rows {
        for i in 0..<r { second[m * r + i] = Float(outputSide[i][m]) }
      }
      let spatial = Array(repeating: 1, count: layer.shape.count - 2)
      return .success(
        Factors(
          rank: r, first: first, firstShape: [r] + layer.shape.dropFirst(),
          second: second, secondShape: [rows, r] + spatial))
    }
    // First: (K, r) = U_r √σ; second: (r, M) = √σ V_rᵀ.
    var first = [Float](repeating: 0, count: rows * r)
    for k in 0..<rows {
      for i in 0..<r { first[k * r + i] = Float(inputSide[i][k]) }
    }
    let second = outputSide.flatMap { $0.map(Float.init) }
    return .success(
      Factors(
        rank: r, first: first, firstShape: [rows, r], second: second,
        secondShape: [r, columns]))
  }
}
