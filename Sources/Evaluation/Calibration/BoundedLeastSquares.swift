/// Least squares with box bounds, for a handful of parameters whose
/// residuals are costly (each one a simulation).
///
/// Minimises `Σ rᵢ(x)²` over `lower ≤ x ≤ upper` in two phases. First,
/// sweeps of golden-section searches, one parameter at a time over its
/// whole range (J. Kiefer, Proc. AMS 4(3), 1953): a simulated latency is
/// often flat in a parameter over part of its range (a layer bound by
/// memory does not speed up with a faster kernel), where a derivative sees
/// nothing; a value is taken only if it lowers the cost, so a parameter no
/// residual depends on keeps its value. Then Levenberg–Marquardt polishes
/// all parameters together. The Jacobian is taken by
/// forward differences (backward at the upper bound); a parameter at a
/// bound whose gradient points out of the box is held for that step
/// (projected Levenberg–Marquardt: K. Levenberg, Q. Appl. Math. 2(2), 1944;
/// D. Marquardt, SIAM J. Appl. Math. 11(2), 1963). A parameter no residual
/// depends on has a zero column and does not move. Deterministic: no
/// randomness, a fixed iteration order.
struct BoundedLeastSquares {
  /// The lower ends of the box.
  var lower: [Double]
  /// The upper ends of the box.
  var upper: [Double]
  /// The finite-difference step.
  var step = 1e-4
  /// The most accepted Levenberg–Marquardt steps.
  var maximumIterations = 40
  /// The most sweeps of one-parameter searches.
  var sweeps = 3
  /// The width of the interval a golden-section search stops at.
  var tolerance = 1e-3

  /// The best value of parameter `j` over its range, the others held: a
  /// golden-section search, then the better of the result and both ends.
  func goldenSection(
    _ j: Int, at x: [Double],
    residuals: ([Double]) throws(CalibrationFailure) -> [Double]
  ) throws(CalibrationFailure) -> (
    value: Double, cost: Double, residuals: [Double]
  ) {
    var best: (value: Double, cost: Double, residuals: [Double])?
    func evaluate(_ value: Double) throws(CalibrationFailure) -> Double {
      var point = x
      point[j] = value
      let r = try residuals(point)
      let c = Self.cost(r)
      if best == nil || c < best?.cost ?? .infinity { best = (value, c, r) }
      return c
    }
    let ratio = (5.0.squareRoot() - 1) / 2
    var a = lower[j]
    var b = upper[j]
    var c = b - ratio * (b - a)
    var d = a + ratio * (b - a)
    var fc = try evaluate(c)
    var fd = try evaluate(d)
    while b - a > tolerance {
      if fc <= fd {
        b = d
        d = c
        fd = fc
        c = b - ratio * (b - a)
        fc = try evaluate(c)
      } else {
        a = c
        c = d
        fc = fd
        d = a + ratio * (b - a)
        fd = try evaluate(d)
      }
    }
    _ = try evaluate(lower[j])
    _ = try evaluate(upper[j])
    return best ?? (x[j], .infinity, [])
  }

  /// Minimises the sum of squared residuals from `start`.
  ///
  /// - Parameters:
  ///   - start: The first point (clamped into the box).
  ///   - residuals: The residual vector at a point.
  /// - Returns: The best point found and its cost.
  /// - Throws: What `residuals` throws.
  func minimise(
    from start: [Double],
    residuals: ([Double]) throws(CalibrationFailure) -> [Double]
  ) throws(CalibrationFailure) -> (point: [Double], cost: Double) {
    let count = start.count
    var x = clamp(start)
    var r = try residuals(x)
    var cost = Self.cost(r)
    for _ in 0..<sweeps {
      var improved = false
      for j in 0..<count {
        let (value, found, foundResiduals) = try goldenSection(
          j, at: x, residuals: residuals)
        if found < cost * (1 - 1e-9) {
          x[j] = value
          cost = found
          r = foundResiduals
          improved = true
        }
      }
      if !improved { break }
    }
    var damping = 1e-3
    var iterations = 0
    while iterations < maximumIterations, cost > 0 {
      iterations += 1
      // Jacobian by forward differences (backward at the upper bound).
      var jacobian = [[Double]](repeating: [], count: count)
      for j in 0..<count {
        var probe = x
        let h = x[j] + step <= upper[j] ? step : -step
        probe[j] += h
        let shifted = try residuals(probe)
        jacobian[j] = zip(shifted, r).map { ($0 - $1) / h }
      }
      let gradient = (0..<count).map { j in
        zip(jacobian[j], r).reduce(0) { $0 + $1.0 * $1.1 }
      }
      // Hold parameters at a bound that the gradient pushes outward.
      let free = (0..<count).filter { j in
        !((x[j] <= lower[j] && gradient[j] > 0)
          || (x[j] >= upper[j] && gradient[j] < 0))
      }
      guard !free.isEmpty else { break }
      var accepted = false
      while damping < 1e10 {
        let delta = solve(
          jacobian: jacobian, gradient: gradient, free: free,
          damping: damping)
        var candidate = x
        for (k, j) in free.enumerated() { candidate[j] += delta[k] }
        candidate = clamp(candidate)
        if candidate == x { break }
        let candidateResiduals = try residuals(candidate)
        let candidateCost = Self.cost(candidateResiduals)
        if candidateCost < cost {
          let decrease = cost - candidateCost
          x = candidate
          r = candidateResiduals
          cost = candidateCost
          damping = max(damping / 3, 1e-9)
          accepted = decrease > 1e-12 * max(cost, 1e-12)
          break
        }
        damping *= 4
      }
      if !accepted { break }
    }
    return (x, cost)
  }

  /// Half the sum of squares is not needed: the plain sum.
  static func cost(_ residuals: [Double]) -> Double {
    residuals.reduce(0) { $0 + $1 * $1 }
  }

  func clamp(_ point: [Double]) -> [Double] {
    point.indices.map { min(max(point[$0], lower[$0]), upper[$0]) }
  }

  /// Solves `(JᵀJ + λ·diag(JᵀJ) + εI) δ = −Jᵀr` over the free parameters
  /// by Gaussian elimination with partial pivoting.
  func solve(
    jacobian: [[Double]], gradient: [Double], free: [Int], damping: Double
  ) -> [Double] {
    let n = free.count
    var a = [[Double]](
      repeating: [Double](repeating: 0, count: n + 1), count: n)
    for (p, i) in free.enumerated() {
      for (q, j) in free.enumerated() {
        a[p][q] = zip(jacobian[i], jacobian[j]).reduce(0) { $0 + $1.0 * $1.1 }
      }
      a[p][p] += damping * a[p][p] + 1e-12
      a[p][n] = -gradient[i]
    }
    for column in 0..<n {
      var pivot = column
      for row in column..<n where abs(a[row][column]) > abs(a[pivot][column]) {
        pivot = row
      }
      a.swapAt(column, pivot)
      let diagonal = a[column][column]
      guard diagonal != 0 else { continue }
      for row in 0..<n where row != column {
        let factor = a[row][column] / diagonal
        if factor == 0 { continue }
        for k in column...n { a[row][k] -= factor * a[column][k] }
      }
    }
    return (0..<n).map { a[$0][$0] == 0 ? 0 : a[$0][n] / a[$0][$0] }
  }
}
