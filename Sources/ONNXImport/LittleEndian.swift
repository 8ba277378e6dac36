import NetworkGraph

/// Values decoded from a tensor's bytes: floating-point types widen (or
/// narrow, for float64) to `Float`, integer and boolean types to `Int64`.
enum DecodedValues {
  case floats([Float])
  case integers([Int64])
}

/// Reading ONNX `raw_data` and external data: little-endian, row-major.
enum LittleEndian {
  /// Decodes `count` elements of `type` from `raw`, which the caller has
  /// checked holds exactly `count × type.byteSize` bytes.
  static func decode(
    _ raw: UnsafeRawBufferPointer, type: ElementType, count: Int
  )
    -> DecodedValues
  {
    func load<T: FixedWidthInteger>(_: T.Type, _ index: Int) -> T {
      T(
        littleEndian: raw.loadUnaligned(
          fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
    }
    switch type {
    case .float32:
      return .floats(
        (0..<count).map { Float(bitPattern: load(UInt32.self, $0)) })
    case .float64:
      return .floats(
        (0..<count).map { Float(Double(bitPattern: load(UInt64.self, $0))) })
    case .float16:
      return .floats(
        (0..<count).map { Half.float(bits: load(UInt16.self, $0)) })
    case .int8: return .integers((0..<count).map { Int64(load(Int8.self, $0)) })
    case .uint8:
      return .integers((0..<count).map { Int64(load(UInt8.self, $0)) })
    case .bool:
      return .integers((0..<count).map { load(UInt8.self, $0) == 0 ? 0 : 1 })
    case .int16:
      return .integers((0..<count).map { Int64(load(Int16.self, $0)) })
    case .int32:
      return .integers((0..<count).map { Int64(load(Int32.self, $0)) })
    case .int64: return .integers((0..<count).map { load(Int64.self, $0) })
    }
  }
}

/// IEEE 754 binary16, converted exactly to binary32.
enum Half {
  /// The `Float` with the same value as the half-precision bit pattern `bits`
  /// (every binary16 value, subnormals, infinities and NaN payloads included,
  /// is exactly representable in binary32).
  static func float(bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32((bits >> 10) & 0x1F)
    let mantissa = UInt32(bits & 0x03FF)
    if exponent == 0x1F {
      return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    }
    if exponent == 0 {
      let magnitude = Float(mantissa) * 0x1p-24  // exact: mantissa < 2^10
      return sign == 0 ? magnitude : -magnitude
    }
    return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
  }
}
