import Foundation

extension NumPyArray {
  /// The six bytes every `.npy` file starts with: `\x93NUMPY`.
  public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

  /// Decodes a `.npy` file's bytes.
  ///
  /// Reads format versions 1.0 (2-byte header length, latin-1 header), 2.0
  /// (4-byte length) and 3.0 (4-byte length, UTF-8 header), per NEP 1 and
  /// `numpy.lib.format`. Only C-order, little-endian (or single-byte) arrays
  /// of the ``ElementKind`` types are read. The data section must hold exactly
  /// the bytes the shape and dtype need.
  ///
  /// - Parameter bytes: The whole file.
  /// - Throws: A ``NumPyError`` for every malformed or unsupported input.
  /// - Complexity: O(n) in the file size.
  public init(npy bytes: [UInt8]) throws(NumPyError) {
    let (header, dataOffset) = try Self.readHeader(bytes)
    let kind = try Self.kind(of: header.descr)
    guard !header.fortranOrder else { throw .fortranOrder }
    let count = try Self.elementCount(header.shape)
    let (expected, overflow) = count.multipliedReportingOverflow(
      by: kind.byteSize)
    guard !overflow else { throw .shapeTooLarge(header.shape) }
    let available = bytes.count - dataOffset
    guard available == expected else {
      throw .dataLength(expected: expected, actual: available)
    }
    let values = bytes.withUnsafeBytes { raw in
      Self.decodeValues(
        UnsafeRawBufferPointer(rebasing: raw[dataOffset...]), kind: kind,
        count: count)
    }
    try self.init(shape: header.shape, values: values)
  }

  /// Decodes a `.npy` file held in `Data`.
  ///
  /// - Throws: A ``NumPyError`` for every malformed or unsupported input.
  public init(npy data: Data) throws(NumPyError) {
    try self.init(npy: [UInt8](data))
  }

  static func readHeader(_ bytes: [UInt8]) throws(NumPyError) -> (
    NumPyHeader, Int
  ) {
    let prefix = min(bytes.count, magic.count)
    guard Array(bytes[0..<prefix]) == Array(magic[0..<prefix]) else {
      throw .badMagic
    }
    guard bytes.count >= 8 else {
      throw .truncated(part: "preamble", needed: 8, available: bytes.count)
    }
    let major = bytes[6]
    let minor = bytes[7]
    guard minor == 0, (1...3).contains(major) else {
      throw .unsupportedVersion(major: major, minor: minor)
    }
    let lengthSize = major == 1 ? 2 : 4
    guard bytes.count >= 8 + lengthSize else {
      throw .truncated(
        part: "header length", needed: lengthSize, available: bytes.count - 8)
    }
    var length = 0
    for i in 0..<lengthSize { length |= Int(bytes[8 + i]) << (8 * i) }
    let start = 8 + lengthSize
    guard bytes.count - start >= length else {
      throw .truncated(
        part: "header", needed: length, available: bytes.count - start)
    }
    let raw = bytes[start..<start + length]
    let text: String
    if major == 3 {
      guard let utf8 = String(validating: raw, as: UTF8.self) else {
        throw .headerEncoding
      }
      text = utf8
    } else {
      var scalars = String.UnicodeScalarView()
      for byte in raw { scalars.append(Unicode.Scalar(byte)) }
      text = String(scalars)
    }
    return (try NumPyHeader.parse(text), start + length)
  }

  static func kind(of descr: String) throws(NumPyError) -> ElementKind {
    var code = Substring(descr)
    var bigEndian = false
    if let first = code.first, "<>|=".contains(first) {
      bigEndian = first == ">"
      code = code.dropFirst()
    }
    let kind: ElementKind
    switch code {
    case "f4": kind = .float32
    case "f8": kind = .float64
    case "i1": kind = .int8
    case "i2": kind = .int16
    case "i4": kind = .int32
    case "i8": kind = .int64
    case "u1": kind = .uint8
    case "b1", "?": kind = .bool
    default: throw .unsupportedDType(descr)
    }
    if bigEndian && kind.byteSize > 1 { throw .bigEndian(descr) }
    return kind
  }

  static func decodeValues(
    _ raw: UnsafeRawBufferPointer, kind: ElementKind, count: Int
  )
    -> Values
  {
    func load<T: FixedWidthInteger>(_: T.Type) -> [T] {
      (0..<count).map {
        T(
          littleEndian: raw.loadUnaligned(
            fromByteOffset: $0 * T.bitWidth / 8, as: T.self))
      }
    }
    switch kind {
    case .float32:
      return .float32(load(UInt32.self).map(Float.init(bitPattern:)))
    case .float64:
      return .float64(load(UInt64.self).map(Double.init(bitPattern:)))
    case .int8: return .int8(load(Int8.self))
    case .int16: return .int16(load(Int16.self))
    case .int32: return .int32(load(Int32.self))
    case .int64: return .int64(load(Int64.self))
    case .uint8: return .uint8(Array(raw))
    case .bool: return .bool(raw.map { $0 != 0 })
    }
  }
}
