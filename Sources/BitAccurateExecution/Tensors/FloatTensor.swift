import FixedPointArithmetic

/// A dense Float32 tensor in row-major (C) order: NCHW for activations.
///
/// The float reference executor computes with these, and float islands
/// (FIXED_POINT.md §5 "Non-fixed-point ops", §11) output them.
public struct FloatTensor: Hashable, Sendable {
  /// The dimensions, outermost first.
  public var shape: [Int]
  /// The values, row-major; `shape` multiplies out to their count.
  public var values: [Float]

  /// Creates a tensor; the caller guarantees `values.count` matches `shape`.
  ///
  /// - Throws: ``ExecutionError/shapeMismatch(tensor:message:)`` when it
  ///   does not.
  public init(shape: [Int], values: [Float]) throws(ExecutionError) {
    guard shape.allSatisfy({ $0 >= 0 }), Self.count(shape) == values.count
    else {
      throw .shapeMismatch(
        tensor: "", message: "\(values.count) values for shape \(shape)")
    }
    self.shape = shape
    self.values = values
  }

  init(unchecked shape: [Int], values: [Float]) {
    self.shape = shape
    self.values = values
  }

  /// The element count of a shape (1 for a scalar), saturating rather than
  /// trapping on absurd shapes.
  static func count(_ shape: [Int]) -> Int {
    var result = 1
    for dim in shape {
      let (product, overflow) = result.multipliedReportingOverflow(by: dim)
      if overflow { return Int.max }
      result = product
    }
    return result
  }
}

/// A dense tensor of raw fixed-point integers in one format
/// (FIXED_POINT.md §1: raw r stands for r · 2^(−fl)).
///
/// ``raws`` gives the raws as `Int64` whatever B is, which is also the type
/// of the raw dump (§11). Inside an outputs-only run a tensor of at most 16
/// bits may be held at its own width (``RawStorage``) from its producer's
/// requantization to its consumer's kernel; ``raws`` is then computed on
/// demand, so equality, hashing and every reader see the same integers
/// whichever way a tensor is held.
public struct RawTensor: Hashable, Sendable {
  /// The dimensions, outermost first (NCHW for activations).
  public var shape: [Int]
  /// How the raws are held.
  var storage: RawStorage
  /// The tensor's one format (§1: set by its producer).
  public var format: QFormat

  /// The raw integers, row-major, each within `format`'s range.
  ///
  /// - Complexity: O(1) for a tensor held as `Int64` (every tensor a caller
  ///   outside the executor's outputs-only run sees), O(n) otherwise.
  public var raws: [Int64] {
    get { storage.wide }
    set { storage = .int64(newValue) }
    _modify {
      // In place, without a copy: the array leaves the storage while it is
      // being changed.
      var wide = storage.wide
      storage = .int64([])
      defer { storage = .int64(wide) }
      yield &wide
    }
  }

  /// Creates a raw tensor.
  ///
  /// - Throws: ``ExecutionError/shapeMismatch(tensor:message:)`` when the
  ///   count does not match the shape, or
  ///   ``ExecutionError/rawOutOfRange(tensor:index:raw:)`` for a raw outside
  ///   the format's range.
  public init(shape: [Int], raws: [Int64], format: QFormat)
    throws(ExecutionError)
  {
    guard shape.allSatisfy({ $0 >= 0 }), FloatTensor.count(shape) == raws.count
    else {
      throw .shapeMismatch(
        tensor: "", message: "\(raws.count) raws for shape \(shape)")
    }
    if let index = raws.firstIndex(where: { !format.contains($0) }) {
      throw .rawOutOfRange(tensor: "", index: index, raw: raws[index])
    }
    self.shape = shape
    self.storage = .int64(raws)
    self.format = format
  }

  init(unchecked shape: [Int], raws: [Int64], format: QFormat) {
    self.shape = shape
    self.storage = .int64(raws)
    self.format = format
  }

  init(unchecked shape: [Int], storage: RawStorage, format: QFormat) {
    self.shape = shape
    self.storage = storage
    self.format = format
  }

  /// The number of raws.
  var count: Int { storage.count }

  /// The same tensor held as `Int64`.
  var widened: RawTensor {
    guard case .int16 = storage else { return self }
    return RawTensor(unchecked: shape, raws: storage.wide, format: format)
  }

  public static func == (lhs: RawTensor, rhs: RawTensor) -> Bool {
    lhs.shape == rhs.shape && lhs.format == rhs.format
      && lhs.storage == rhs.storage
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(shape)
    hasher.combine(format)
    hasher.combine(raws)
  }

  /// The exact values, r · 2^(−fl), as Double (exact for B ≤ 53, §4).
  public func dequantized() -> [Double] {
    let scale = format.resolution
    return raws.map { Double($0) * scale }
  }

  /// The values as Float32 (rounded to nearest from the exact Double).
  public func dequantizedFloat() -> FloatTensor {
    let scale = format.resolution
    return FloatTensor(
      unchecked: shape, values: raws.map { Float(Double($0) * scale) })
  }
}

/// A tensor as the bit-accurate executor holds it: raw integers in a format,
/// or Float32 for the output of a float island (§11).
public enum TensorValue: Hashable, Sendable {
  /// Raw integers in one format.
  case fixed(RawTensor)
  /// Float32 values (a float island's output).
  case float(FloatTensor)

  /// The dimensions.
  public var shape: [Int] {
    switch self {
    case .fixed(let tensor): tensor.shape
    case .float(let tensor): tensor.shape
    }
  }

  /// The same value with raws held as `Int64` (``RawTensor/raws`` then
  /// costs nothing).
  var widened: TensorValue {
    if case .fixed(let tensor) = self, case .int16 = tensor.storage {
      return .fixed(tensor.widened)
    }
    return self
  }

  /// The values as Float32 (dequantized for raws).
  public var floatTensor: FloatTensor {
    switch self {
    case .fixed(let tensor): tensor.dequantizedFloat()
    case .float(let tensor): tensor
    }
  }

  /// The format, or `nil` for a float tensor.
  public var format: QFormat? {
    if case .fixed(let tensor) = self { return tensor.format }
    return nil
  }
}
