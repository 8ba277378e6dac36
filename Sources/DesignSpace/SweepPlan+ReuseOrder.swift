/// The selected points of a sweep in the order that lets accuracy runs
/// share the most work, each point still carrying its plan number.
///
/// Within a study, points are enumerated with compression axes (which
/// change the weights) as slowly as models, the precision axes that
/// change earlier layers more slowly than later ones, and devices and
/// hardware axes (which do not change a point's arithmetic) fastest: consecutive
/// points then differ first in the latest layer possible, and resume from
/// the live tensors an earlier point left before it (``PrefixCache``).
/// Studies stay in order; a grid is enumerated lazily, a random sample is
/// sorted.
///
/// ```swift
/// let order = plan.reuseOrder(try plan.selectedIndices(in: .whole)) { study, axis in 0 }
/// for index in order { plan.point(at: index) }
/// ```
public struct ReuseOrderedIndices: Sequence, Sendable {
  let plan: SweepPlan
  let selection: SelectedIndices
  /// Per study, the canonical digit positions from the most significant
  /// to the least in this order.
  let significance: [[Int]]

  /// Iterates the plan numbers.
  public func makeIterator() -> Iterator {
    var iterator = Iterator(owner: self)
    if case .list(let list) = selection.storage {
      let members = Array(
        SelectedIndices(storage: .list(list), shard: selection.shard))
      iterator.sorted = members.sorted {
        (plan.studyAndDigits($0, order: significance) + [$0])
          .lexicographicallyPrecedes(
            plan.studyAndDigits($1, order: significance) + [$1])
      }
    }
    return iterator
  }

  /// Walks the studies' permuted grids (or a sorted sample).
  public struct Iterator: IteratorProtocol {
    let owner: ReuseOrderedIndices
    var sorted: [Int]?
    var position = 0
    var study = 0
    var offset = 0
    var counter = 0

    init(owner: ReuseOrderedIndices) { self.owner = owner }

    /// The next plan number.
    public mutating func next() -> Int? {
      if let sorted {
        guard position < sorted.count else { return nil }
        position += 1
        return sorted[position - 1]
      }
      guard case .range(let range) = owner.selection.storage else { return nil }
      let shard = owner.selection.shard
      let studies = owner.plan.studies
      while study < studies.count {
        let count = studies[study].count ?? 0
        while counter < count {
          let local = owner.plan.localIndex(
            counter, study: studies[study], order: owner.significance[study])
          counter += 1
          let index = offset + local
          guard range.contains(index),
            (index - range.lowerBound) % shard.count == shard.index - 1
          else { continue }
          return index
        }
        offset += count
        counter = 0
        study += 1
      }
      return nil
    }
  }
}

extension SweepPlan {
  /// The selected numbers in reuse order (``ReuseOrderedIndices``).
  ///
  /// - Parameters:
  ///   - indices: The selection (``selectedIndices(in:)``).
  ///   - layerPosition: For a study and one of its precision axes, the
  ///     position in topological order of the first layer the axis changes
  ///     (0 when unknown, or for an axis over every layer).
  /// - Returns: The same numbers, in reuse order.
  public func reuseOrder(
    _ indices: SelectedIndices, layerPosition: (Int, Int) -> Int
  ) -> ReuseOrderedIndices {
    let significance = studies.enumerated().map { number, study in
      let precision = study.precisionAxes.indices.sorted {
        (layerPosition(number, $0), $0) < (layerPosition(number, $1), $1)
      }
      // Canonical positions: models 0, devices 1, batches 2, precision
      // axes from 3, compression axes and hardware axes after them. A
      // compression setting changes the weights (another network, with its
      // own evaluator), so it varies as slowly as the model.
      let compression = study.compressionAxes.indices.map {
        3 + study.precisionAxes.count + $0
      }
      let hardware = study.hardwareAxes.indices.map {
        3 + study.precisionAxes.count + study.compressionAxes.count + $0
      }
      return [0] + compression + [2] + precision.map { 3 + $0 } + [1]
        + hardware
    }
    return ReuseOrderedIndices(
      plan: self, selection: indices, significance: significance)
  }

  /// The radices of a study's digits in canonical order.
  func radices(of study: Study) -> [Int] {
    [study.models.count, study.devices.count, study.batches.count]
      + study.precisionAxes.map(\.settings.count)
      + study.compressionAxes.map(\.levels.count)
      + study.hardwareAxes.map(\.values.count)
  }

  /// The study-local number of the `counter`-th point of a study
  /// enumerated with digits in `order` (most significant first).
  func localIndex(_ counter: Int, study: Study, order: [Int]) -> Int {
    let radices = radices(of: study)
    var digits = Array(repeating: 0, count: radices.count)
    var rest = counter
    for position in order.reversed() where radices[position] > 0 {
      digits[position] = rest % radices[position]
      rest /= radices[position]
    }
    var local = 0
    for position in radices.indices where radices[position] > 0 {
      local = local * radices[position] + digits[position]
    }
    return local
  }

  /// A plan number's study and its digits in `order` (for sorting a
  /// sample).
  func studyAndDigits(_ index: Int, order: [[Int]]) -> [Int] {
    var local = max(0, index)
    var number = 0
    while number < studies.count - 1, let count = studies[number].count,
      local >= count
    {
      local -= count
      number += 1
    }
    guard studies.indices.contains(number) else { return [Int.max] }
    let radices = radices(of: studies[number])
    var digits = Array(repeating: 0, count: radices.count)
    for position in radices.indices.reversed() where radices[position] > 0 {
      digits[position] = local % radices[position]
      local /= radices[position]
    }
    return [number] + order[number].map { digits[$0] }
  }
}
