import Foundation

extension JSONValue: Decodable {
  /// Reads any JSON value; integers that fit an `Int` stay integers.
  public init(from decoder: any Decoder) throws {
    let single = try decoder.singleValueContainer()
    if single.decodeNil() {
      self = .null
    } else if let b = try? single.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? single.decode(Int.self) {
      self = .int(i)
    } else if let d = try? single.decode(Double.self) {
      self = .number(d)
    } else if let s = try? single.decode(String.self) {
      self = .string(s)
    } else if let a = try? single.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try single.decode([String: JSONValue].self))
    }
  }

  /// Parses JSON text; `nil` when it is not JSON.
  public static func parse(_ bytes: [UInt8]) -> JSONValue? {
    try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
  }
}

/// Decodes a `Decodable` value from a ``JSONValue``, leniently.
///
/// A missing
/// key (or `null` where a value is expected) reads as zero, an empty
/// string, `false`, an empty list or an object of such defaults, so files
/// written before a field existed still read. Optionals read `nil` for a
/// missing key or `null`. Integers and floating-point numbers convert into
/// each other when exact.
enum JSONValueDecoder {
  /// Decodes `type` from `value`.
  static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws
    -> T
  {
    try T(from: ValueDecoder(value: value, codingPath: []))
  }

  struct ValueDecoder: Decoder {
    /// `nil` when the key is missing.
    let value: JSONValue?
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ expected: String) -> DecodingError {
      .typeMismatch(
        JSONValue.self,
        DecodingError.Context(
          codingPath: codingPath, debugDescription: "expected \(expected)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws
      -> KeyedDecodingContainer<Key>
    {
      switch value {
      case .object(let fields):
        return KeyedDecodingContainer(
          Keyed(fields: fields, codingPath: codingPath))
      case nil, .null:
        return KeyedDecodingContainer(
          Keyed(fields: [:], codingPath: codingPath))
      default: throw mismatch("an object")
      }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
      switch value {
      case .array(let items):
        return Unkeyed(items: items, codingPath: codingPath)
      case nil, .null: return Unkeyed(items: [], codingPath: codingPath)
      default: throw mismatch("a list")
      }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
      Single(decoder: self)
    }

    func number() throws -> Double {
      switch value {
      case .number(let d): return d
      case .int(let i): return Double(i)
      case nil, .null: return 0
      default: throw mismatch("a number")
      }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
      switch value {
      case .int(let i):
        if let v = T(exactly: i) { return v }
      case .number(let d):
        if let v = T(exactly: d) { return v }
      case nil, .null: return 0
      default: break
      }
      throw mismatch("an integer")
    }

    func string() throws -> String {
      switch value {
      case .string(let s): return s
      case nil, .null: return ""
      default: throw mismatch("a string")
      }
    }

    func bool() throws -> Bool {
      switch value {
      case .bool(let b): return b
      case nil, .null: return false
      default: throw mismatch("true or false")
      }
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
      if type == JSONValue.self, let value = (value ?? .null) as? T {
        return value
      }
      return try T(from: self)
    }
  }

  struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let fields: [String: JSONValue]
    var codingPath: [any CodingKey]
    var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }

    func child(_ key: Key) -> ValueDecoder {
      ValueDecoder(
        value: fields[key.stringValue], codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool {
      switch fields[key.stringValue] {
      case nil, .null: true
      default: false
      }
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
      try child(key).bool()
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
      try child(key).string()
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
      try child(key).number()
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
      Float(try child(key).number())
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
      try child(key).integer(type)
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
      try child(key).integer(type)
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
      try child(key).integer(type)
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
      try child(key).integer(type)
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
      try child(key).integer(type)
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
      try child(key).integer(type)
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
      try child(key).integer(type)
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
      try child(key).integer(type)
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
      try child(key).integer(type)
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
      try child(key).integer(type)
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
      try child(key).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(
      keyedBy type: NestedKey.Type, forKey key: Key
    )
      throws -> KeyedDecodingContainer<NestedKey>
    {
      try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws
      -> any UnkeyedDecodingContainer
    {
      try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
      ValueDecoder(value: fields["super"], codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { child(key) }
  }

  struct Unkeyed: UnkeyedDecodingContainer {
    let items: [JSONValue]
    var codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(items: [JSONValue], codingPath: [any CodingKey]) {
      self.items = items
      self.codingPath = codingPath
    }

    mutating func next() throws -> ValueDecoder {
      let path = codingPath + [JSONValueEncoder.Index(currentIndex)]
      guard !isAtEnd else {
        throw DecodingError.valueNotFound(
          JSONValue.self,
          DecodingError.Context(
            codingPath: path, debugDescription: "the list has ended"))
      }
      defer { currentIndex += 1 }
      return ValueDecoder(value: items[currentIndex], codingPath: path)
    }

    mutating func decodeNil() throws -> Bool {
      guard !isAtEnd, items[currentIndex] == .null else { return false }
      currentIndex += 1
      return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().bool() }
    mutating func decode(_ type: String.Type) throws -> String {
      try next().string()
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
      try next().number()
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
      Float(try next().number())
    }
    mutating func decode(_ type: Int.Type) throws -> Int {
      try next().integer(type)
    }
    mutating func decode(_ type: Int8.Type) throws -> Int8 {
      try next().integer(type)
    }
    mutating func decode(_ type: Int16.Type) throws -> Int16 {
      try next().integer(type)
    }
    mutating func decode(_ type: Int32.Type) throws -> Int32 {
      try next().integer(type)
    }
    mutating func decode(_ type: Int64.Type) throws -> Int64 {
      try next().integer(type)
    }
    mutating func decode(_ type: UInt.Type) throws -> UInt {
      try next().integer(type)
    }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
      try next().integer(type)
    }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
      try next().integer(type)
    }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
      try next().integer(type)
    }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
      try next().integer(type)
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
      try next().decode(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy type: NestedKey.Type
    ) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws
      -> any UnkeyedDecodingContainer
    {
      try next().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next() }
  }

  struct Single: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
      switch decoder.value {
      case nil, .null: true
      default: false
      }
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool() }
    func decode(_ type: String.Type) throws -> String { try decoder.string() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.number() }
    func decode(_ type: Float.Type) throws -> Float {
      Float(try decoder.number())
    }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 {
      try decoder.integer(type)
    }
    func decode(_ type: Int32.Type) throws -> Int32 {
      try decoder.integer(type)
    }
    func decode(_ type: Int64.Type) throws -> Int64 {
      try decoder.integer(type)
    }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 {
      try decoder.integer(type)
    }
    func decode(_ type: UInt16.Type) throws -> UInt16 {
      try decoder.integer(type)
    }
    func decode(_ type: UInt32.Type) throws -> UInt32 {
      try decoder.integer(type)
    }
    func decode(_ type: UInt64.Type) throws -> UInt64 {
      try decoder.integer(type)
    }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
      try decoder.decode(type)
    }
  }
}
