import FixedPointArithmetic

/// A ``FixedPointState`` held compactly while it waits for the next layer
/// of a calibration's data phase: each raw tensor's integers at the
/// narrowest of 8, 16, 32 or 64 bits that holds every one of them
/// (formats are at most 32 bits wide, so usually a quarter or an eighth of
/// the executor's `Int64` raws).
///
/// Qiu's data phase keeps every sample's live tensors from one layer's
/// decision to the next (a layer's objective is summed over the whole
/// batch before the next layer can run); packed, 100 MobileNetV2 images
/// take an eighth of the memory. Unpacking gives back the same integers,
/// so the run continues bit for bit.
struct PackedState: Sendable {
  /// Integers at one width.
  enum Integers: Sendable {
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case int64([Int64])
  }

  /// One live tensor.
  enum Value: Sendable {
    case fixed(shape: [Int], raws: Integers, format: QFormat)
    case float(FloatTensor)
  }

  let position: Int
  let batchStart: Int
  let clamped: Set<String>
  let values: [String: Value]

  /// Packs a state.
  init(_ state: FixedPointState) {
    position = state.position
    batchStart = state.batchStart
    clamped = state.clamped
    values = state.values.mapValues { value in
      switch value {
      case .float(let tensor): .float(tensor)
      case .fixed(let tensor):
        .fixed(
          shape: tensor.shape, raws: Self.pack(tensor.raws),
          format: tensor.format)
      }
    }
  }

  /// The state, with the executor's `Int64` raws.
  var unpacked: FixedPointState {
    FixedPointState(
      position: position, batchStart: batchStart,
      values: values.mapValues { value in
        switch value {
        case .float(let tensor): .float(tensor)
        case .fixed(let shape, let raws, let format):
          .fixed(
            RawTensor(unchecked: shape, raws: Self.unpack(raws), format: format)
          )
        }
      }, clamped: clamped)
  }

  /// The bytes the live tensors hold.
  var bytes: Int {
    values.values.reduce(0) { total, value in
      switch value {
      case .float(let tensor): total + 4 * tensor.values.count
      case .fixed(_, .int8(let raws), _): total + raws.count
      case .fixed(_, .int16(let raws), _): total + 2 * raws.count
      case .fixed(_, .int32(let raws), _): total + 4 * raws.count
      case .fixed(_, .int64(let raws), _): total + 8 * raws.count
      }
    }
  }

  /// The raws at the narrowest width holding them all.
  static func pack(_ raws: [Int64]) -> Integers {
    var low: Int64 = 0
    var high: Int64 = 0
    for raw in raws {
      low = min(low, raw)
      high = max(high, raw)
    }
    func narrowed<T: FixedWidthInteger>(_: T.Type) -> [T] {
      raws.withUnsafeBufferPointer { source in
        [T].filled(source.count) { target in
          for index in source.indices {
            target[index] = T(truncatingIfNeeded: source[index])
          }
        }
      }
    }
    if low >= Int64(Int8.min), high <= Int64(Int8.max) {
      return .int8(narrowed(Int8.self))
    }
    if low >= Int64(Int16.min), high <= Int64(Int16.max) {
      return .int16(narrowed(Int16.self))
    }
    if low >= Int64(Int32.min), high <= Int64(Int32.max) {
      return .int32(narrowed(Int32.self))
    }
    return .int64(raws)
  }

  /// The raws as `Int64`.
  static func unpack(_ integers: Integers) -> [Int64] {
    func widened<T: FixedWidthInteger>(_ raws: [T]) -> [Int64] {
      raws.withUnsafeBufferPointer { source in
        [Int64].filled(source.count) { target in
          for index in source.indices { target[index] = Int64(source[index]) }
        }
      }
    }
    switch integers {
    case .int8(let raws): return widened(raws)
    case .int16(let raws): return widened(raws)
    case .int32(let raws): return widened(raws)
    case .int64(let raws): return raws
    }
  }
}
