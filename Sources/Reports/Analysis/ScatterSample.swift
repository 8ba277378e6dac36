/// Thins a large scatter plot so the page stays small: one point per
/// pixel cell, plus every point that must be seen.
///
/// Points are placed on a grid of `cell`-pixel squares; in each square the
/// point with the highest accuracy (then the lowest identifier) stands for
/// the others and carries their count. Points in `keep` (the Pareto front,
/// chosen points) are always drawn on their own.
enum ScatterSample {
  /// A point to draw and how many points its cell holds (1 for kept points).
  struct Drawn {
    var index: Int
    var count: Int
  }

  /// The points to draw, in a deterministic order (cell representatives by
  /// cell, then the kept points in the order given).
  static func select(
    _ points: [SweepReportPoint], indices: [Int],
    x: (SweepReportPoint) -> Double,
    y: (SweepReportPoint) -> Double, cell: Double, keep: [Int]
  ) -> [Drawn] {
    let kept = Set(keep)
    var best: [Int64: Drawn] = [:]
    for i in indices where !kept.contains(i) {
      let px = x(points[i])
      let py = y(points[i])
      guard px.isFinite, py.isFinite else { continue }
      // Cells of points beyond ±2^52 cells share the edge cell rather than
      // trap in the conversion.
      func cellIndex(_ v: Double) -> Int64 {
        Int64(min(max((v / cell).rounded(.down), -0x1p52), 0x1p52))
      }
      let key = cellIndex(px) &* 1_000_003 &+ cellIndex(py)
      if var current = best[key] {
        current.count += 1
        if better(points[i], than: points[current.index]) { current.index = i }
        best[key] = current
      } else {
        best[key] = Drawn(index: i, count: 1)
      }
    }
    let representatives = best.values.sorted {
      points[$0.index].id < points[$1.index].id
    }
    return representatives + keep.map { Drawn(index: $0, count: 1) }
  }

  static func better(_ p: SweepReportPoint, than q: SweepReportPoint) -> Bool {
    let a = ParetoFront.accuracy(p)
    let b = ParetoFront.accuracy(q)
    return a != b ? a > b : p.id < q.id
  }
}
