import NetworkGraph
import Testing

@Suite("TensorShape and tensors")
struct TensorShapeTests {
  @Test func elementCount() throws {
    #expect(try TensorShape([1, 3, 224, 224]).elementCount == 150_528)
    #expect(try TensorShape([]).elementCount == 1)
    #expect(try TensorShape([4, 0, 7]).elementCount == 0)
    #expect(try TensorShape([1 << 20, 1 << 20]).elementCount == 1 << 40)
    #expect(try TensorShape([2, 3]).description == "[2, 3]")
  }

  @Test func negativeDimensionIsAnError() {
    #expect(throws: NetworkError.negativeDimension(dims: [1, -3], tensor: nil))
    {
      try TensorShape([1, -3])
    }
  }

  @Test func hugeShapesAreErrorsNotTraps() {
    #expect(
      throws: NetworkError.tooManyElements(
        dims: [1 << 20, (1 << 20) + 1], tensor: nil)
    ) {
      try TensorShape([1 << 20, (1 << 20) + 1])
    }
    // The product overflows Int64: still an error.
    let dims = [Int](repeating: 1 << 32, count: 3)
    #expect(throws: NetworkError.tooManyElements(dims: dims, tensor: nil)) {
      try TensorShape(dims)
    }
    #expect(
      throws: NetworkError.tooManyElements(dims: [0, Int.max], tensor: nil)
    ) {
      try TensorShape([0, Int.max])
    }
  }

  @Test func graphInputNamesItselfInErrors() {
    let input = GraphInput(name: "x", shape: [2, -1])
    #expect(throws: NetworkError.negativeDimension(dims: [2, -1], tensor: "x"))
    {
      try input.shape()
    }
    let symbolic = GraphInput(
      name: "x", dimensions: [.symbolic("N"), .fixed(3)])
    #expect(throws: NetworkError.unboundDimension(input: "x", symbol: "N")) {
      try symbolic.shape()
    }
  }

  @Test func tensorValueCountMustMatch() throws {
    let shape = try TensorShape([2, 2])
    #expect(throws: NetworkError.self) {
      try Tensor(name: "w", shape: shape, values: [1, 2, 3])
    }
    let tensor = try Tensor(name: "w", shape: shape, values: [1, 2, 3, 4])
    #expect(tensor.hasData)
    #expect(tensor.descriptor.byteCount == 16)
    let missing = Tensor(
      absentDataNamed: "w", elementType: .float16, shape: shape)
    #expect(!missing.hasData)
    #expect(missing.floatValues == nil)
    #expect(missing.descriptor.byteCount == 8)
  }

  @Test func elementTypeSizes() {
    #expect(
      ElementType.allCases.map(\.byteSize) == [4, 1, 1, 2, 4, 8, 1, 2, 8])
    #expect(ElementType(rawValue: 1) == .float32)
    #expect(ElementType.int8.description == "int8")
  }
}
