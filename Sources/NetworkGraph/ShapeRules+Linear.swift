extension ShapeContext {
  /// Gemm-13: `A [M, K]` (or `[K, M]` with transA), `B [K, N]` (or `[N, K]`
  /// with transB) and `C` unidirectionally broadcastable to `[M, N]` give
  /// `Y [M, N]`.
  func gemm(_ attributes: GemmAttributes) throws(NetworkError) -> InferredOutput
  {
    try arity(inputs: 2...3)
    let a = try operand(0, "A").shape
    let b = try operand(1, "B").shape
    guard a.rank == 2, b.rank == 2 else {
      throw mismatch("A \(a) and B \(b) must both be 2-D")
    }
    let (m, k) = attributes.transA ? (a[1], a[0]) : (a[0], a[1])
    let (kb, n) = attributes.transB ? (b[1], b[0]) : (b[0], b[1])
    guard k == kb else {
      throw mismatch(
        "inner dimensions differ: A \(a)\(attributes.transA ? " (transposed)" : "") "
          + "has K = \(k), B \(b)\(attributes.transB ? " (transposed)" : "") has K = \(kb)"
      )
    }
    if let c = optionalOperand(2)?.shape {
      let target = [m, n]
      let aligned = Array(repeating: 1, count: max(0, 2 - c.rank)) + c.dims
      guard c.rank <= 2,
        zip(aligned, target).allSatisfy({ $0 == $1 || $0 == 1 })
      else {
        throw mismatch(
          "bias C \(c) does not broadcast to the output [\(m), \(n)]")
      }
    }
    return try output([m, n])
  }

  /// MatMul-13: NumPy `matmul`.
  ///
  /// A 1-D `A` is a row vector and a 1-D `B` a column vector (the added axis is
  /// removed afterwards); leading batch dimensions broadcast.
  func matMul() throws(NetworkError) -> InferredOutput {
    try arity(inputs: 2...2)
    return try output(
      try matMulDims(try operand(0, "A").shape, try operand(1, "B").shape))
  }

  /// MatMul-13's output dimensions for operands `a` and `b`.
  func matMulDims(_ a: TensorShape, _ b: TensorShape) throws(NetworkError)
    -> [Int]
  {
    guard a.rank >= 1, b.rank >= 1 else {
      throw mismatch("operands \(a) and \(b) must have rank ≥ 1")
    }
    let a2 = a.rank == 1 ? [1, a[0]] : a.dims
    let b2 = b.rank == 1 ? [b[0], 1] : b.dims
    let k = a2[a2.count - 1]
    guard k == b2[b2.count - 2] else {
      throw mismatch(
        "inner dimensions differ: A \(a) has K = \(k), B \(b) has K = \(b2[b2.count - 2])"
      )
    }
    let batch = try broadcast(
      Array(a2.dropLast(2)), Array(b2.dropLast(2)), a, b)
    var dims = batch
    if a.rank != 1 { dims.append(a2[a2.count - 2]) }
    if b.rank != 1 { dims.append(b2[b2.count - 1]) }
    return dims
  }

  /// Add-14 / Mul-14: NumPy multidirectional broadcasting.
  func broadcastBinary() throws(NetworkError) -> InferredOutput {
    try arity(inputs: 2...2)
    let a = try operand(0, "A").shape
    let b = try operand(1, "B").shape
    return try output(try broadcast(a.dims, b.dims, a, b))
  }

  /// NumPy broadcasting of two dimension lists, aligned at the right.
  func broadcast(_ x: [Int], _ y: [Int], _ a: TensorShape, _ b: TensorShape)
    throws(NetworkError) -> [Int]
  {
    guard let dims = Self.broadcastDims(x, y) else {
      throw mismatch("shapes \(a) and \(b) are not broadcastable")
    }
    return dims
  }

  /// The broadcast of two dimension lists, or `nil` when incompatible.
  static func broadcastDims(_ x: [Int], _ y: [Int]) -> [Int]? {
    let rank = max(x.count, y.count)
    let x = Array(repeating: 1, count: rank - x.count) + x
    let y = Array(repeating: 1, count: rank - y.count) + y
    var result: [Int] = []
    result.reserveCapacity(rank)
    for (p, q) in zip(x, y) {
      if p == q || q == 1 {
        result.append(p)
      } else if p == 1 {
        result.append(q)
      } else {
        return nil
      }
    }
    return result
  }
}
