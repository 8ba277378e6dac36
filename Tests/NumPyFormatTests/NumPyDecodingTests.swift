import NumPyFormat
import Testing

@Suite("Decoding .npy files written by numpy")
struct NumPyDecodingTests {
  @Test func float32Matrix() throws {
    let array = try NumPyArray(npy: NumPyFixtures.float32x2x3)
    #expect(array.shape == [2, 3])
    #expect(array.values == .float32([-1, -0.5, 0, 0.5, 1, 1.5]))
    #expect(array.kind.elementType == .float32)
  }

  @Test func int64Vector() throws {
    let array = try NumPyArray(npy: NumPyFixtures.int64x3)
    #expect(array.shape == [3])
    #expect(array.values == .int64([1, -2, 1 << 40]))
  }

  @Test func version2Header() throws {
    let array = try NumPyArray(npy: NumPyFixtures.float64v2)
    #expect(array.values == .float64([1.5, -0.25]))
    #expect(array.float32Values == [1.5, -0.25])
  }

  @Test func version3Header() throws {
    let array = try NumPyArray(npy: NumPyFixtures.int16v3)
    #expect(array.shape == [2, 1])
    #expect(array.values == .int16([-3, 7]))
  }

  @Test func smallIntegerAndBooleanTypes() throws {
    #expect(
      try NumPyArray(npy: NumPyFixtures.int8).values == .int8([-128, 127, 0]))
    #expect(
      try NumPyArray(npy: NumPyFixtures.uint8).values == .uint8([0, 255]))
    #expect(
      try NumPyArray(npy: NumPyFixtures.int32).values == .int32([-70000, 5]))
    #expect(
      try NumPyArray(npy: NumPyFixtures.bool).values
        == .bool([true, false, true]))
  }

  @Test func scalarAndEmptyArrays() throws {
    let scalar = try NumPyArray(npy: NumPyFixtures.scalar)
    #expect(scalar.shape == [])
    #expect(scalar.values == .float32([3]))
    let empty = try NumPyArray(npy: NumPyFixtures.empty)
    #expect(empty.shape == [0, 4])
    #expect(empty.values.count == 0)
  }

  @Test func convertsToTensor() throws {
    let tensor = try NumPyArray(npy: NumPyFixtures.float32x2x3).tensor(
      named: "x")
    #expect(tensor.shape.dims == [2, 3])
    #expect(tensor.floatValues == [-1, -0.5, 0, 0.5, 1, 1.5])
    let ints = try NumPyArray(npy: NumPyFixtures.int64x3).tensor(named: "s")
    #expect(ints.integerValues == [1, -2, 1 << 40])
    #expect(ints.elementType == .int64)
  }

  @Test func fromData() throws {
    let data = try NumPyArray(npy: NumPyFixtures.uint8).npyData()
    #expect(try NumPyArray(npy: data).values == .uint8([0, 255]))
  }
}
