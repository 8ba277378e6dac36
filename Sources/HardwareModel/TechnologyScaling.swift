import RealModule

/// Scales dynamic energy (MACs, on-chip memories) between process nodes.
///
/// No peer-reviewed table for 28/16/7 nm exists in our sources
/// (`shared/data/hardware-facts.md` §1.5), so this is an **estimate**: a
/// relative energy of 1.0 at 45 nm (Horowitz, ISSCC 2014), 0.5 at 28 nm, 0.33
/// at 16 nm and 0.22 at 7 nm, interpolated linearly in log(energy) over
/// log(node) and extrapolated with the nearest segment's slope (65 nm ≈ 1.71).
/// DRAM energy per bit is a property of the memory generation and is never
/// scaled by the logic node.
public enum TechnologyScaling {
  /// The anchor points (node in nm, energy relative to 45 nm).
  public static let anchors: [(nanometres: Double, relativeEnergy: Double)] = [
    (7, 0.22), (16, 0.33), (28, 0.5), (45, 1.0),
  ]

  /// Energy at `node` relative to 45 nm.
  ///
  /// - Parameter node: Feature size in nanometres (> 0).
  /// - Returns: The energy of one operation at `node` divided by the same at 45
  ///   nm.
  public static func relativeEnergy(atNanometres node: Double) -> Double {
    let points = anchors.map {
      (log2(x: $0.nanometres), log2(x: $0.relativeEnergy))
    }
    let x = log2(x: max(node, 0.1))
    var segment = (points[0], points[1])
    for i in 1..<points.count where x > points[i - 1].0 {
      segment = (points[i - 1], points[i])
    }
    let ((x0, y0), (x1, y1)) = segment
    let y = y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return exp2(y)
  }

  /// The factor that turns an energy at `from` into one at `to`.
  public static func factor(
    fromNanometres from: Double, toNanometres to: Double
  ) -> Double {
    relativeEnergy(atNanometres: to) / relativeEnergy(atNanometres: from)
  }

  private static func log2(x: Double) -> Double { Double.log2(x) }

  private static func exp2(_ y: Double) -> Double { Double.exp2(y) }
}
