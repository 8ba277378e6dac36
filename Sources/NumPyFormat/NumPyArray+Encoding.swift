import Foundation

extension NumPyArray {
  /// The array as the bytes of a `.npy` file that `numpy.load` reads.
  ///
  /// Writes format 1.0 (2.0 if the header exceeds 65,535 bytes, which only
  /// very high ranks can cause), a header such as
  /// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with
  /// spaces and ended by a newline so the data starts at a multiple of 64
  /// bytes (NEP 1, as `numpy.lib.format` does), then little-endian data in C
  /// order.
  ///
  /// - Complexity: O(n) in the number of elements.
  public func npyBytes() -> [UInt8] {
    let dictionary =
      "{'descr': '\(kind.descr)', 'fortran_order': False, 'shape': "
      + NumPyError.tuple(shape) + ", }"
    var header = Array(dictionary.utf8)
    var major: UInt8 = 1
    var lengthSize = 2
    func padded() -> Int {
      let unpadded = 8 + lengthSize + header.count + 1
      return (64 - unpadded % 64) % 64
    }
    if header.count + padded() + 1 > Int(UInt16.max) {
      major = 2
      lengthSize = 4
    }
    header += Array(repeating: UInt8(ascii: " "), count: padded())
    header.append(UInt8(ascii: "\n"))
    var bytes = Self.magic + [major, 0]
    for i in 0..<lengthSize {
      bytes.append(UInt8(truncatingIfNeeded: header.count >> (8 * i)))
    }
    bytes += header
    bytes.reserveCapacity(bytes.count + values.count * kind.byteSize)
    func append<T: FixedWidthInteger>(_ values: [T]) {
      for value in values {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
      }
    }
    switch values {
    case .float32(let v): append(v.map(\.bitPattern))
    case .float64(let v): append(v.map(\.bitPattern))
    case .int8(let v): append(v)
    case .int16(let v): append(v)
    case .int32(let v): append(v)
    case .int64(let v): append(v)
    case .uint8(let v): bytes += v
    case .bool(let v): bytes += v.map { $0 ? 1 : 0 }
    }
    return bytes
  }

  /// The array as `.npy` file contents in `Data`.
  public func npyData() -> Data { Data(npyBytes()) }
}
