import HardwareModel
import Mapping

/// One MAC layer's staging choice shared by every reservation that leaves
/// it the same candidates.
///
/// Activations kept on chip reserve bits at the resident level; when that
/// level stages tiles, the reservation shrinks one shared budget and so
/// drops the candidates whose tiles no longer fit. Nothing else in a MAC
/// layer's evaluation reads the reservation. The candidates are enumerated
/// in a fixed order and a candidate fits a smaller budget only if it fits
/// every larger one (a shared pool fits when the exact sum of its operands'
/// footprints is at most the capacity), so two reservations that admit the
/// same number of candidates admit the same candidates in the same order:
/// the search, and with it the whole evaluation, is the same. NASNet-large
/// on `pixel3-cpu` has 130 (layer, context, reservation) keys but 73
/// distinct candidate sets.
///
/// The memo keeps, per layer and context (the ``MACEvaluationKey`` with no
/// reservation), each candidate's bits at the reserved budget from the
/// largest candidate set enumerated so far, and the evaluations by
/// candidate count. A reservation at least as large as the one enumerated
/// counts its candidates from those sizes without enumerating them.
struct ReservationMemo {
  /// The reservation the sizes were enumerated under (the smallest seen).
  private(set) var enumeratedAt: Double
  /// The candidates' bits at the reserved budget.
  private var sizes: [Double]
  /// Evaluations by the number of candidates they chose among.
  private var evaluations: [Int: LayerEvaluation] = [:]

  /// A memo of the candidates enumerated under `reservedBits`.
  init(sizes: [Double], reservedBits: Double) {
    self.sizes = sizes
    enumeratedAt = reservedBits
  }

  /// The number of candidates that fit `capacity` bits, when the memo's
  /// sizes cover them (the reservation is at least the enumerated one).
  func count(fitting capacity: Double, reservedBits: Double) -> Int? {
    guard reservedBits >= enumeratedAt else { return nil }
    // A count, not a sorted search: a memo answers a few queries, and
    // sorting its thousands of sizes would cost more.
    return sizes.count(where: { $0 <= capacity })
  }

  /// Replaces the sizes by a larger enumeration's (a smaller reservation).
  mutating func widen(sizes: [Double], reservedBits: Double) {
    guard reservedBits < enumeratedAt else { return }
    self.sizes = sizes
    enumeratedAt = reservedBits
  }

  /// The evaluation chosen among `count` candidates, if known.
  func evaluation(candidates count: Int) -> LayerEvaluation? {
    evaluations[count]
  }

  /// Records the evaluation chosen among `count` candidates.
  mutating func record(_ evaluation: LayerEvaluation, candidates count: Int) {
    evaluations[count] = evaluation
  }
}

extension TileBudget {
  /// The operands a shared pool counts (those not resident); `nil` for a
  /// partitioned pool.
  ///
  /// A candidate's bits in the pool are the sum of their footprints, each
  /// a whole number of bits, so the sum is exact in any order.
  func sharedOperands(resident: Set<Operand>) -> [Operand]? {
    guard case .shared = pool else { return nil }
    return Operand.allCases.filter {
      operands.contains($0) && !resident.contains($0)
    }
  }

  /// The capacity of a shared pool, or `nil` for a partitioned one.
  var sharedCapacity: Double? {
    guard case .shared(let bits) = pool else { return nil }
    return bits
  }
}
