import NetworkGraph
import Testing

@Suite("Gemm, MatMul and broadcasting shape inference")
struct LinearShapeTests {
  @Test func gemmTransposes() throws {
    #expect(try infer(.gemm(GemmAttributes()), [[2, 3], [3, 4]]) == [2, 4])
    #expect(
      try infer(
        .gemm(GemmAttributes(transB: true)), [[1, 400], [120, 400], [120]]) == [
          1, 120,
        ])
    #expect(
      try infer(
        .gemm(GemmAttributes(transA: true)), [[3, 2], [3, 4], [1, 4]]) == [
          2, 4,
        ])
    #expect(
      try infer(.gemm(GemmAttributes()), [[2, 3], [3, 4], []]) == [2, 4])
  }

  @Test func gemmErrors() {
    #expect {
      try infer(.gemm(GemmAttributes()), [[2, 3], [4, 5]])
    } throws: {
      isMismatch($0, "inner dimensions", "K = 3", "K = 4")
    }
    #expect {
      try infer(.gemm(GemmAttributes()), [[2, 3], [3, 4], [3]])
    } throws: {
      isMismatch($0, "bias C [3]", "[2, 4]")
    }
    #expect {
      try infer(.gemm(GemmAttributes()), [[2, 3, 1], [3, 4]])
    } throws: {
      isMismatch($0, "2-D")
    }
  }

  @Test func matMul() throws {
    #expect(try infer(.matMul, [[2, 3], [3, 4]]) == [2, 4])
    #expect(try infer(.matMul, [[5, 1, 2, 3], [7, 3, 4]]) == [5, 7, 2, 4])
    #expect(try infer(.matMul, [[3], [3, 4]]) == [4])
    #expect(try infer(.matMul, [[2, 3], [3]]) == [2])
    #expect(try infer(.matMul, [[3], [3]]) == [])
  }

  @Test func matMulErrors() {
    #expect { try infer(.matMul, [[2, 3], [4, 5]]) } throws: {
      isMismatch($0, "inner dimensions")
    }
    #expect { try infer(.matMul, [[2, 2, 3], [3, 3, 4]]) } throws: {
      isMismatch($0, "not broadcastable")
    }
  }

  @Test func broadcasting() throws {
    #expect(try infer(.add, [[1, 3, 4, 4], [3, 1, 1]]) == [1, 3, 4, 4])
    #expect(try infer(.mul, [[4, 1], [1, 5]]) == [4, 5])
    #expect(try infer(.add, [[], [2, 3]]) == [2, 3])
    #expect(try infer(.add, [[2, 0], [1, 1]]) == [2, 0])
  }

  @Test func notBroadcastable() {
    #expect { try infer(.add, [[1, 3, 4, 4], [1, 4, 4, 4]]) } throws: {
      isMismatch($0, "[1, 3, 4, 4] and [1, 4, 4, 4] are not broadcastable")
    }
  }

  @Test func broadcastTooLarge() {
    #expect { try infer(.mul, [[1 << 30, 1], [1, 1 << 30]]) } throws: {
      isMismatch($0, "more than 2^40")
    }
  }

  @Test func unaryOperatorsKeepTheShape() throws {
    let ops: [Operator] = [
      .relu, .activation(.sigmoid), .activation(.hardSwish),
      .activation(.leakyRelu(alpha: 0.1)),
      .activation(.hardSigmoid(alpha: 0.2, beta: 0.5)),
      .clip(min: 0, max: 6), .identity, .softmax(axis: -1),
    ]
    for op in ops {
      #expect(try infer(op, [[2, 3, 5]]) == [2, 3, 5], "\(op.opType)")
    }
    // Clip-13 with constant min and max inputs.
    let low = try constant("lo", [], [0])
    let high = try constant("hi", [], [6])
    #expect(
      try infer(
        .clip(min: nil, max: nil), [[4], [], []], constants: [1: low, 2: high])
        == [4])
  }

  @Test func dropoutHasDataAndMask() throws {
    #expect(
      try inferOne(.dropout, [[2, 3]], outputs: 2) == [[2, 3], [2, 3]])
  }

  @Test func batchNormalization() throws {
    let c = [[1, 4, 5, 5], [4], [4], [4], [4]]
    #expect(try infer(.batchNormalization(epsilon: 1e-5), c) == [1, 4, 5, 5])
    #expect {
      try infer(
        .batchNormalization(epsilon: 1e-5), [[1, 4, 5, 5], [4], [3], [4], [4]])
    } throws: { isMismatch($0, "B [3]", "[4]") }
  }

  @Test func wrongArity() {
    #expect { try infer(.relu, [[1], [1], [1], [1]]) } throws: { error in
      guard case .arity? = error as? NetworkError else { return false }
      return true
    }
    #expect { try inferOne(.relu, [[1]], outputs: 2) } throws: { error in
      guard case .arity(_, let message)? = error as? NetworkError else {
        return false
      }
      return message.contains("2 outputs")
    }
  }
}
