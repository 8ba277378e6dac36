/// The singular value decomposition of a small dense matrix in float64, by
/// one-sided Jacobi rotations (Hestenes), which is accurate and needs no
/// library.
///
/// - Complexity: O(m · n² ) per sweep for an m × n matrix (n ≤ m), a few
///   dozen sweeps; meant for layer matrices up to a few thousand columns.
struct JacobiSVD {
  /// Left singular vectors, one array of `rows` per component.
  var u: [[Double]]
  /// Singular values, descending.
  var sigma: [Double]
  /// Right singular vectors, one array of `columns` per component.
  var v: [[Double]]

  /// Decomposes the row-major `rows × columns` matrix `a`.
  init(_ a: [Double], rows m: Int, columns n: Int) {
    guard n <= m else {
      var t = [Double](repeating: 0, count: m * n)
      for i in 0..<m { for j in 0..<n { t[j * m + i] = a[i * n + j] } }
      let s = JacobiSVD(t, rows: n, columns: m)
      u = s.v
      sigma = s.sigma
      v = s.u
      return
    }
    // Columns of A, and of V (starting at the identity).
    var cols = (0..<n).map { j in (0..<m).map { a[$0 * n + j] } }
    var vs = (0..<n).map { j in
      (0..<n).map { $0 == j ? 1.0 : 0.0 }
    }
    for _ in 0..<80 {
      var rotated = false
      for p in 0..<n {
        for q in (p + 1)..<max(p + 1, n) {
          var alpha = 0.0
          var beta = 0.0
          var gamma = 0.0
          for i in 0..<m {
            alpha += cols[p][i] * cols[p][i]
            beta += cols[q][i] * cols[q][i]
            gamma += cols[p][i] * cols[q][i]
          }
          guard gamma.magnitude > 1e-15 * (alpha * beta).squareRoot(),
            gamma != 0
          else { continue }
          rotated = true
          let zeta = (beta - alpha) / (2 * gamma)
          let t =
            (zeta >= 0 ? 1.0 : -1.0)
            / (zeta.magnitude + (1 + zeta * zeta).squareRoot())
          let c = 1 / (1 + t * t).squareRoot()
          let s = c * t
          for i in 0..<m {
            let x = cols[p][i]
            let y = cols[q][i]
            cols[p][i] = c * x - s * y
            cols[q][i] = s * x + c * y
          }
          for i in 0..<n {
            let x = vs[p][i]
            let y = vs[q][i]
            vs[p][i] = c * x - s * y
            vs[q][i] = s * x + c * y
          }
        }
      }
      if !rotated { break }
    }
    let norms = cols.map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    let order = (0..<n).sorted { (norms[$1], $0) < (norms[$0], $1) }
    sigma = order.map { norms[$0] }
    u = order.map { j in
      norms[j] > 0 ? cols[j].map { $0 / norms[j] } : cols[j]
    }
    v = order.map { vs[$0] }
  }
}
