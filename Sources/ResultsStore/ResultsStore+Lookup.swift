import Diagnostics

/// What a point reference (a whole id, or a prefix of one) names in a
/// results file.
public enum PointLookup: Sendable, Equatable {
  /// The one point whose id is, or starts with, the reference.
  case found(PointRow)
  /// No id starts with the reference; `nearest` are the ids whose prefix of
  /// the reference's length is at most two edits from it, nearest first (at
  /// most three); `isEmpty` says the file has no points at all.
  case none(nearest: [String], isEmpty: Bool)
  /// Several ids start with the reference (the first five, and how many).
  case ambiguous([PointRow], count: Int)
}

extension ResultsStore {
  /// The point a reference names: a whole 16-digit id is looked up
  /// directly; a shorter prefix must start exactly one id.
  public func lookUp(_ reference: String) throws(ResultsStoreError)
    -> PointLookup
  {
    if reference.count == 16, let row = try point(reference) {
      return .found(row)
    }
    var matches: [PointRow] = []
    var matchCount = 0
    var ids: [String] = []
    try forEachPoint { row in
      ids.append(row.pointID)
      if row.pointID.hasPrefix(reference) {
        matchCount += 1
        if matches.count < 5 { matches.append(row) }
      }
    }
    if matchCount == 1 { return .found(matches[0]) }
    if matchCount > 1 { return .ambiguous(matches, count: matchCount) }
    var near: [(id: String, distance: Int)] = []
    for id in ids {
      let distance = Suggestions.distance(
        reference, String(id.prefix(reference.count)))
      if distance <= 2 { near.append((id, distance)) }
    }
    near.sort { ($0.distance, $0.id) < ($1.distance, $1.id) }
    return .none(nearest: near.prefix(3).map(\.id), isEmpty: ids.isEmpty)
  }

}
