import NetworkGraph
import Testing

@Suite("Concat, Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Softmax")
struct LayoutShapeTests {
  @Test func concat() throws {
    #expect(
      try infer(.concat(axis: 1), [[1, 64, 8, 8], [1, 128, 8, 8]]) == [
        1, 192, 8, 8,
      ])
    #expect(
      try infer(.concat(axis: -3), [[1, 64, 8, 8], [1, 64, 8, 8]]) == [
        1, 128, 8, 8,
      ])
    #expect(try infer(.concat(axis: 0), [[2]]) == [2])
  }

  @Test func concatMismatch() {
    #expect {
      try infer(.concat(axis: 1), [[1, 64, 8, 8], [1, 64, 4, 8]])
    } throws: {
      isMismatch($0, "input 1 [1, 64, 4, 8]", "axis 2", "concatenation axis 1")
    }
    #expect {
      try infer(.concat(axis: 1), [[1, 64, 8, 8], [1, 64, 8]])
    } throws: {
      isMismatch($0, "rank")
    }
    #expect { try infer(.concat(axis: 4), [[1, 64, 8, 8]]) } throws: {
      isInvalidAttribute($0, "axis 4 is out of range [-4, 3]")
    }
  }

  @Test func flatten() throws {
    #expect(try infer(.flatten(axis: 1), [[2, 512, 7, 7]]) == [2, 25088])
    #expect(try infer(.flatten(axis: 0), [[2, 3]]) == [1, 6])
    #expect(try infer(.flatten(axis: 2), [[2, 3]]) == [6, 1])
    #expect(try infer(.flatten(axis: -1), [[2, 3, 4]]) == [6, 4])
    #expect { try infer(.flatten(axis: 3), [[2, 3]]) } throws: {
      isInvalidAttribute($0, "axis 3")
    }
  }

  @Test func reshapeZeroAndMinusOne() throws {
    let target = try integers("t", [0, -1])
    #expect(
      try infer(
        .reshape(allowZero: false), [[2, 3, 4], nil], constants: [1: target])
        == [2, 12])
    let full = try integers("t", [-1, 2, 0])
    #expect(
      try infer(
        .reshape(allowZero: false), [[3, 4, 5], nil], constants: [1: full]) == [
          6, 2, 5,
        ])
    let zeros = try integers("t", [0, 3])
    #expect(
      try infer(
        .reshape(allowZero: true), [[0, 3], nil], constants: [1: zeros]) == [
          0, 3,
        ])
    let floats = try constant("t", [2], [6, -1])
    #expect(
      try infer(
        .reshape(allowZero: false), [[3, 4], nil], constants: [1: floats]) == [
          6, 2,
        ])
  }

  @Test func reshapeErrors() throws {
    let wrong = try integers("t", [5, 5])
    #expect {
      try infer(
        .reshape(allowZero: false), [[2, 3, 4], nil], constants: [1: wrong])
    } throws: { isMismatch($0, "24 elements", "[5, 5]", "25") }
    let twoInferred = try integers("t", [-1, -1])
    #expect {
      try infer(
        .reshape(allowZero: false), [[4], nil], constants: [1: twoInferred])
    } throws: { isMismatch($0, "more than one -1") }
    let indivisible = try integers("t", [-1, 5])
    #expect {
      try infer(
        .reshape(allowZero: false), [[2, 3], nil], constants: [1: indivisible])
    } throws: { isMismatch($0, "cannot infer -1") }
    let both = try integers("t", [0, -1])
    #expect {
      try infer(
        .reshape(allowZero: true), [[2, 3], nil], constants: [1: both])
    } throws: { isInvalidAttribute($0, "allowzero") }
    #expect { try infer(.reshape(allowZero: false), [[2, 3], [2]]) } throws: {
      error in
      guard
        case .nonConstantOperand(_, "in1", "target shape")? = error
          as? NetworkError
      else {
        return false
      }
      return true
    }
    let huge = try integers("t", [1 << 40, 1 << 40, 0])
    #expect {
      try infer(.reshape(allowZero: true), [[0], nil], constants: [1: huge])
    } throws: { isMismatch($0, "more than 2^40") }
  }

  @Test func transpose() throws {
    #expect(
      try infer(.transpose(perm: [0, 2, 3, 1]), [[1, 3, 4, 5]]) == [1, 4, 5, 3])
    #expect(try infer(.transpose(perm: nil), [[1, 3, 4]]) == [4, 3, 1])
    #expect { try infer(.transpose(perm: [0, 0, 1]), [[1, 3, 4]]) } throws: {
      isInvalidAttribute($0, "not a permutation")
    }
  }

  @Test func squeezeAndUnsqueeze() throws {
    #expect(try infer(.squeeze(axes: [-1, 2]), [[2, 1, 1, 1]]) == [2, 1])
    #expect(try infer(.squeeze(axes: nil), [[1, 3, 1, 2]]) == [3, 2])
    #expect(
      try infer(
        .squeeze(axes: nil), [[1, 3, 1, 1], nil],
        constants: [1: integers("a", [2, 3])]) == [1, 3])
    #expect(try infer(.unsqueeze(axes: [0, -1]), [[3, 4]]) == [1, 3, 4, 1])
    #expect(
      try infer(
        .unsqueeze(axes: nil), [[3], nil], constants: [1: integers("a", [1])])
        == [3, 1])
    #expect { try infer(.squeeze(axes: [0]), [[2, 1]]) } throws: {
      isMismatch($0, "cannot squeeze axis 0", "size is 2")
    }
    #expect { try infer(.unsqueeze(axes: [0, 0]), [[2]]) } throws: {
      isInvalidAttribute($0, "twice")
    }
    #expect { try infer(.unsqueeze(axes: [3]), [[2]]) } throws: {
      isInvalidAttribute($0, "axis 3")
    }
  }

  @Test func softmaxAxis() throws {
    #expect(try infer(.softmax(axis: -1), [[1, 1000]]) == [1, 1000])
    #expect { try infer(.softmax(axis: 2), [[1, 1000]]) } throws: {
      isInvalidAttribute($0, "axis 2")
    }
  }
}
