import NumPyFormat
import Testing

@Suite("Writing .npy files numpy reads")
struct NumPyEncodingTests {
  @Test func float32MatchesNumPyByteForByte() throws {
    let array = try NumPyArray(
      float32: [-1, -0.5, 0, 0.5, 1, 1.5], shape: [2, 3])
    #expect(array.npyBytes() == NumPyFixtures.float32x2x3)
  }

  @Test func int64MatchesNumPyByteForByte() throws {
    let array = try NumPyArray(int64: [1, -2, 1 << 40], shape: [3])
    #expect(array.npyBytes() == NumPyFixtures.int64x3)
  }

  @Test(arguments: [
    NumPyFixtures.int8, NumPyFixtures.uint8, NumPyFixtures.int32,
    NumPyFixtures.bool,
    NumPyFixtures.scalar, NumPyFixtures.empty,
  ])
  func version1FilesRoundTripExactly(bytes: [UInt8]) throws {
    #expect(try NumPyArray(npy: bytes).npyBytes() == bytes)
  }

  @Test func headerIsPaddedTo64Bytes() throws {
    for rank in 0..<12 {
      let shape = Array(repeating: 1, count: rank)
      let bytes = try NumPyArray(float32: [2], shape: shape).npyBytes()
      let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      #expect((10 + headerLength) % 64 == 0, "rank \(rank)")
      #expect(bytes[10 + headerLength - 1] == UInt8(ascii: "\n"))
      #expect(try NumPyArray(npy: bytes).shape == shape)
    }
  }

  @Test func everyKindRoundTrips() throws {
    let arrays: [NumPyArray] = [
      try NumPyArray(shape: [2], values: .float64([1e300, -0])),
      try NumPyArray(shape: [1, 2], values: .int16([-32768, 32767])),
      try NumPyArray(shape: [3], values: .int32([.min, 0, .max])),
      try NumPyArray(shape: [2, 1, 1], values: .int64([.min, .max])),
      try NumPyArray(shape: [1], values: .int8([-1])),
      try NumPyArray(
        shape: [4], values: .float32([.infinity, -.infinity, 1e-45, 3])),
    ]
    for array in arrays {
      #expect(try NumPyArray(npy: array.npyBytes()) == array)
    }
  }

  @Test func valuesMustFillTheShape() {
    #expect(throws: NumPyError.valueCount(expected: 6, actual: 5)) {
      try NumPyArray(float32: [1, 2, 3, 4, 5], shape: [2, 3])
    }
    #expect(throws: NumPyError.negativeDimension([-1])) {
      try NumPyArray(float32: [], shape: [-1])
    }
  }
}
