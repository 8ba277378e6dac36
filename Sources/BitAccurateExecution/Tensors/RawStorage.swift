/// How a ``RawTensor`` holds its raws: as `Int64` (any format), or as
/// `Int16` for a format of at most 16 bits (issue #19: a tensor kept at its
/// own width from its producer's requantization to its consumer's kernel,
/// with no `Int64` round trip).
///
/// Both hold the same integers; ``wide`` gives them as `Int64` either way,
/// and two storages are equal when their integers are.
enum RawStorage: Sendable {
  /// Raws as `Int64`.
  case int64([Int64])
  /// Raws as `Int16` (each fits: the format has at most 16 bits).
  case int16([Int16])

  /// The number of raws.
  var count: Int {
    switch self {
    case .int64(let raws): raws.count
    case .int16(let raws): raws.count
    }
  }

  /// The bytes the raws occupy.
  var bytes: Int {
    switch self {
    case .int64(let raws): 8 &* raws.count
    case .int16(let raws): 2 &* raws.count
    }
  }

  /// The raws as `Int64`: the array itself, or (`Int16`) sign-extended.
  ///
  /// - Complexity: O(1) for `Int64`, O(n) for `Int16`.
  var wide: [Int64] {
    switch self {
    case .int64(let raws): raws
    case .int16(let raws): raws.map { Int64($0) }
    }
  }

  /// Whether a format's raws all fit `Int16`.
  static func fitsInt16(_ low: Int64, _ high: Int64) -> Bool {
    low >= Int64(Int16.min) && high <= Int64(Int16.max)
  }
}

extension RawStorage: Equatable {
  static func == (lhs: RawStorage, rhs: RawStorage) -> Bool {
    switch (lhs, rhs) {
    case (.int64(let a), .int64(let b)): a == b
    case (.int16(let a), .int16(let b)): a == b
    default:
      lhs.count == rhs.count && lhs.wide == rhs.wide
    }
  }
}
