/// A deterministic part of a sweep: the `index`-th (1-based) of `count`
/// parts, as in `--shard 3/8`.
///
/// The selected points, in order, are dealt round-robin: the point at
/// position p belongs to part `p % count + 1`. The parts are disjoint, their
/// union is the sweep, their sizes differ by at most one, and every part
/// gets a share of every study. The same plan always gives the same parts,
/// so independent machines (a Slurm job array, a Kubernetes indexed job)
/// each run one part with no coordination.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
  /// Which part, from 1 to ``count``.
  public let index: Int
  /// How many parts.
  public let count: Int

  /// The whole sweep (`1/1`).
  public static let whole = Shard(uncheckedIndex: 1, count: 1)

  private init(uncheckedIndex index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Creates a part, or `nil` unless `1 ≤ index ≤ count`.
  public init?(index: Int, count: Int) {
    guard count >= 1, (1...count).contains(index) else { return nil }
    self.init(uncheckedIndex: index, count: count)
  }

  /// Parses `K/N`, or returns `nil`.
  public init?(parsing text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
      return nil
    }
    self.init(index: k, count: n)
  }

  /// Whether the point at `position` (0-based, among the selected points)
  /// belongs to this part.
  public func contains(position: Int) -> Bool { position % count == index - 1 }

  /// `K/N`.
  public var description: String { "\(index)/\(count)" }
}
