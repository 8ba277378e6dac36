/// Encodes any `Encodable` value as a ``JSONValue``, so a `Codable` document
/// renders with ``JSONValue``'s fixed format (sorted keys, `%.9g` numbers).
///
/// Integers become ``JSONValue/int(_:)``, floating-point numbers
/// ``JSONValue/number(_:)``, `nil` written with `encodeNil` becomes `null`;
/// optionals written with `encodeIfPresent` (what synthesised `Codable`
/// does) leave their key out. ``WritesNull`` keeps such a key as `null`.
enum JSONValueEncoder {
  /// The value as JSON.
  static func encode(_ value: some Encodable) throws -> JSONValue {
    let slot = Slot()
    try slot.store(value, path: [])
    return slot.json
  }

  /// A value under construction.
  final class Slot {
    var value: JSONValue?
    var fields: [String: Slot]?
    var items: [Slot]?

    var json: JSONValue {
      if let fields { return .object(fields.mapValues(\.json)) }
      if let items { return .array(items.map(\.json)) }
      return value ?? .null
    }

    func store(_ value: some Encodable, path: [any CodingKey]) throws {
      if let json = value as? JSONValue {
        self.value = json
      } else {
        try value.encode(to: ValueEncoder(slot: self, codingPath: path))
      }
    }

    func field(_ key: String) -> Slot {
      if fields == nil { fields = [:] }
      let child = Slot()
      fields?[key] = child
      return child
    }

    func append() -> Slot {
      if items == nil { items = [] }
      let child = Slot()
      items?.append(child)
      return child
    }

    static func integer(_ value: some BinaryInteger) -> JSONValue {
      Int(exactly: value).map(JSONValue.int) ?? .number(Double(value))
    }
  }

  struct Index: CodingKey {
    var intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
  }

  struct ValueEncoder: Encoder {
    let slot: Slot
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type)
      -> KeyedEncodingContainer<Key>
    {
      if slot.fields == nil { slot.fields = [:] }
      return KeyedEncodingContainer(Keyed(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
      if slot.items == nil { slot.items = [] }
      return Unkeyed(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
      Single(slot: slot, codingPath: codingPath)
    }
  }

  struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    var codingPath: [any CodingKey]

    func put(_ value: JSONValue, _ key: Key) {
      slot.field(key.stringValue).value = value
    }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
      put(.bool(value), key)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
      put(.string(value), key)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
      put(.number(value), key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
      put(.number(Double(value)), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
      put(.int(value), key)
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
      put(Slot.integer(value), key)
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
      put(Slot.integer(value), key)
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
      put(Slot.integer(value), key)
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
      put(Slot.integer(value), key)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
      put(Slot.integer(value), key)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
      put(Slot.integer(value), key)
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
      put(Slot.integer(value), key)
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
      put(Slot.integer(value), key)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
      put(Slot.integer(value), key)
    }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
      try slot.field(key.stringValue).store(value, path: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
      ValueEncoder(
        slot: slot.field(key.stringValue), codingPath: codingPath + [key]
      )
      .container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key)
      -> any UnkeyedEncodingContainer
    {
      ValueEncoder(
        slot: slot.field(key.stringValue), codingPath: codingPath + [key]
      )
      .unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
      ValueEncoder(slot: slot.field("super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
      ValueEncoder(
        slot: slot.field(key.stringValue), codingPath: codingPath + [key])
    }
  }

  struct Unkeyed: UnkeyedEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]
    var count: Int { slot.items?.count ?? 0 }

    func put(_ value: JSONValue) { slot.append().value = value }
    var next: [any CodingKey] { codingPath + [Index(count)] }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.number(value)) }
    mutating func encode(_ value: Float) throws { put(.number(Double(value))) }
    mutating func encode(_ value: Int) throws { put(.int(value)) }
    mutating func encode(_ value: Int8) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: Int16) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: Int32) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: Int64) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: UInt) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: UInt8) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: UInt16) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: UInt32) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: UInt64) throws { put(Slot.integer(value)) }

    mutating func encode(_ value: some Encodable) throws {
      let path = next
      try slot.append().store(value, path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy keyType: NestedKey.Type
    )
      -> KeyedEncodingContainer<NestedKey>
    {
      let path = next
      return ValueEncoder(slot: slot.append(), codingPath: path).container(
        keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
      let path = next
      return ValueEncoder(slot: slot.append(), codingPath: path)
        .unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
      let path = next
      return ValueEncoder(slot: slot.append(), codingPath: path)
    }
  }

  struct Single: SingleValueEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]

    func put(_ value: JSONValue) { slot.value = value }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.number(value)) }
    mutating func encode(_ value: Float) throws { put(.number(Double(value))) }
    mutating func encode(_ value: Int) throws { put(.int(value)) }
    mutating func encode(_ value: Int8) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: Int16) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: Int32) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: Int64) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: UInt) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: UInt8) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: UInt16) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: UInt32) throws { put(Slot.integer(value)) }
    mutating func encode(_ value: UInt64) throws { put(Slot.integer(value)) }

    mutating func encode(_ value: some Encodable) throws {
      try slot.store(value, path: codingPath)
    }
  }
}
