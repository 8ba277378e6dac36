import NumPyFormat
import TestSupport
import Testing

/// Builds `.npy` bytes with an arbitrary header text.
private func npy(
  _ header: String, version: UInt8 = 1, data: [UInt8] = [],
  lengthOverride: Int? = nil
) -> [UInt8] {
  let text = Array(header.utf8)
  let length = lengthOverride ?? text.count
  var bytes = NumPyArray.magic + [version, 0]
  let size = version == 1 ? 2 : 4
  for i in 0..<size {
    bytes.append(UInt8(truncatingIfNeeded: length >> (8 * i)))
  }
  return bytes + text + data
}

private func header(
  descr: String = "'<f4'", fortran: String = "False", shape: String
) -> String {
  "{'descr': \(descr), 'fortran_order': \(fortran), 'shape': \(shape), }\n"
}

@Suite("Malformed .npy input gives typed errors")
struct NumPyMalformedTests {
  @Test func badMagic() {
    #expect(throws: NumPyError.badMagic) {
      try NumPyArray(npy: Array("PK\u{3}\u{4}xxxxxxx".utf8))
    }
    #expect(throws: NumPyError.badMagic) {
      try NumPyArray(npy: [0x93, 0x4E, 0x55, 0x00])
    }
  }

  @Test func emptyAndTruncatedPreamble() {
    #expect(
      throws: NumPyError.truncated(part: "preamble", needed: 8, available: 0)
    ) {
      try NumPyArray(npy: [])
    }
    #expect(
      throws: NumPyError.truncated(part: "preamble", needed: 8, available: 6)
    ) {
      try NumPyArray(npy: NumPyArray.magic)
    }
    #expect(
      throws: NumPyError.truncated(
        part: "header length", needed: 2, available: 1)
    ) {
      try NumPyArray(npy: NumPyArray.magic + [1, 0, 5])
    }
  }

  @Test func unsupportedVersion() {
    #expect(throws: NumPyError.unsupportedVersion(major: 4, minor: 0)) {
      try NumPyArray(npy: NumPyArray.magic + [4, 0, 0, 0])
    }
    #expect(throws: NumPyError.unsupportedVersion(major: 1, minor: 1)) {
      try NumPyArray(npy: NumPyArray.magic + [1, 1, 0, 0])
    }
  }

  @Test func headerLengthPastTheEnd() {
    let bytes = npy(header(shape: "(1,)"), lengthOverride: 60_000)
    #expect(
      throws: NumPyError.truncated(
        part: "header", needed: 60_000, available: 58)
    ) {
      try NumPyArray(npy: bytes)
    }
    let huge = npy(
      header(shape: "(1,)"), version: 2, lengthOverride: Int(UInt32.max))
    #expect(throws: (any Error).self) { try NumPyArray(npy: huge) }
  }

  @Test(arguments: [
    "", "{", "{'descr': '<f4'", "['descr']", "{'descr' '<f4'}", "{descr: 1}",
    "{'descr': '<f4', 'fortran_order': Flase, 'shape': (1,)}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} trailing",
    "{'descr': '<f4', 'fortran_order': False, 'shape': ('a',)}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,)}",
    "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}",
    "{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}",
    String(repeating: "(", count: 100),
  ])
  func unparsableHeader(text: String) {
    #expect {
      try NumPyArray(npy: npy(text))
    } throws: { error in
      guard case .malformedHeader? = error as? NumPyError else { return false }
      return true
    }
  }

  @Test func missingKeys() {
    #expect(throws: NumPyError.missingKey("shape")) {
      try NumPyArray(npy: npy("{'descr': '<f4', 'fortran_order': False}"))
    }
    #expect(throws: NumPyError.missingKey("descr")) {
      try NumPyArray(npy: npy("{'fortran_order': False, 'shape': ()}"))
    }
  }

  @Test func fortranOrder() {
    #expect(throws: NumPyError.fortranOrder) {
      try NumPyArray(npy: NumPyFixtures.fortran)
    }
  }

  @Test func bigEndian() {
    #expect(throws: NumPyError.bigEndian(">f4")) {
      try NumPyArray(npy: NumPyFixtures.bigendian)
    }
  }

  @Test(arguments: [
    "'<c8'", "'<U5'", "'O'", "'<f2'", "'<u4'", "[('a', '<f4')]",
  ])
  func unknownDType(descr: String) {
    #expect {
      try NumPyArray(
        npy: npy(header(descr: descr, shape: "(1,)"), data: [0, 0, 0, 0]))
    } throws: { error in
      guard case .unsupportedDType? = error as? NumPyError else { return false }
      return true
    }
  }

  @Test func shapeOverflowsOrIsTooLarge() {
    let overflow = "(4294967296, 4294967296, 4294967296)"
    #expect(
      throws: NumPyError.shapeTooLarge([
        4_294_967_296, 4_294_967_296, 4_294_967_296,
      ])
    ) {
      try NumPyArray(npy: npy(header(shape: overflow)))
    }
    #expect(throws: NumPyError.shapeTooLarge([1 << 41])) {
      try NumPyArray(npy: npy(header(shape: "(\(1 << 41),)")))
    }
    #expect(throws: NumPyError.negativeDimension([2, -3])) {
      try NumPyArray(npy: npy(header(shape: "(2, -3)")))
    }
  }

  @Test func shapeExceedsTheData() {
    #expect(throws: NumPyError.dataLength(expected: 4_000_000, actual: 8)) {
      try NumPyArray(
        npy: npy(
          header(shape: "(1000, 1000)"), data: Array(repeating: 0, count: 8)))
    }
    #expect(throws: NumPyError.dataLength(expected: 4, actual: 5)) {
      try NumPyArray(npy: npy(header(shape: "(1,)"), data: [0, 0, 128, 63, 0]))
    }
  }

  @Test func lenientButValidHeaders() throws {
    let text =
      "{\"shape\": (2L,), \"fortran_order\": False, \"descr\": \"<f4\"}   \n"
    let array = try NumPyArray(
      npy: npy(text, data: [0, 0, 128, 63, 0, 0, 0, 64]))
    #expect(array.values == .float32([1, 2]))
  }

  @Test func invalidUTF8InVersion3Header() {
    var bytes = npy(header(shape: "(1,)"), version: 3, data: [0, 0, 0, 0])
    bytes[14] = 0xFF
    #expect(throws: NumPyError.headerEncoding) { try NumPyArray(npy: bytes) }
  }

  @Test func errorMessagesAreClear() {
    #expect(NumPyError.fortranOrder.description.contains("Fortran order"))
    #expect(NumPyError.unsupportedDType("<c8").description.contains("<f4"))
    #expect(
      NumPyError.dataLength(expected: 16, actual: 8).description
        == "the .npy data section has 8 bytes; the shape and dtype need 16")
  }

  @Test func seededRandomCorruptionNeverTraps() {
    var generator = SplitMix64(seed: 0x5EED)
    let base = NumPyFixtures.float32x2x3
    for _ in 0..<2000 {
      var bytes = base
      for _ in 0..<(1 + Int(generator.next() % 4)) {
        let index = Int(generator.next() % UInt64(bytes.count))
        bytes[index] = UInt8(truncatingIfNeeded: generator.next())
      }
      if generator.next() % 3 == 0 {
        bytes.removeLast(Int(generator.next() % UInt64(bytes.count)))
      }
      _ = try? NumPyArray(npy: bytes)
    }
  }
}
