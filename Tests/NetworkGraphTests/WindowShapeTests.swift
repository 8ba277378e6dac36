import NetworkGraph
import Testing

private let node = NodeReference(name: "n", opType: "Conv")

private func geometry(
  _ input: Int, kernel: Int, stride: Int = 1, dilation: Int = 1,
  pads: [Int] = [0, 0],
  autoPad: AutoPad = .notSet, ceil: Bool = false
) throws -> WindowGeometry {
  try WindowGeometry.resolve(
    inputSize: [input], kernel: [kernel], strides: [stride],
    dilations: [dilation],
    pads: pads, autoPad: autoPad, ceilMode: ceil, node: node)
}

@Suite(
  "Window geometry: auto_pad, ceil_mode, dilation (ONNX Conv-11, MaxPool-22)")
struct WindowGeometryTests {
  @Test func explicitPadsFloor() throws {
    // ResNet stem: floor((224 + 6 - 7) / 2) + 1 = 112.
    #expect(
      try geometry(224, kernel: 7, stride: 2, pads: [3, 3]).outputSize == [112])
    #expect(try geometry(5, kernel: 5).outputSize == [1])
  }

  @Test func sameUpperAndLowerWithStride2() throws {
    // in 8, k 3, s 2: out = ceil(8/2) = 4, total pad = 3·2 + 3 − 8 = 1.
    let upper = try geometry(8, kernel: 3, stride: 2, autoPad: .sameUpper)
    #expect(upper.outputSize == [4])
    #expect(upper.padsBegin == [0])
    #expect(upper.padsEnd == [1])
    let lower = try geometry(8, kernel: 3, stride: 2, autoPad: .sameLower)
    #expect(lower.outputSize == [4])
    #expect(lower.padsBegin == [1])
    #expect(lower.padsEnd == [0])
    // in 7: out 4, total pad 2, split evenly.
    let even = try geometry(7, kernel: 3, stride: 2, autoPad: .sameUpper)
    #expect(even.outputSize == [4])
    #expect(even.padsBegin == [1])
    #expect(even.padsEnd == [1])
    // SAME ignores explicit pads.
    #expect(
      try geometry(8, kernel: 3, stride: 2, pads: [5, 5], autoPad: .sameUpper)
        .padsEnd == [1])
  }

  @Test func validPadding() throws {
    let valid = try geometry(
      7, kernel: 3, stride: 2, pads: [9, 9], autoPad: .valid)
    #expect(valid.outputSize == [3])
    #expect(valid.padsBegin == [0])
  }

  @Test func ceilMode() throws {
    #expect(try geometry(6, kernel: 3, stride: 2).outputSize == [2])
    #expect(try geometry(6, kernel: 3, stride: 2, ceil: true).outputSize == [3])
    // 112, k 3, s 2, p 1: floor gives 56, ceil gives 57.
    #expect(
      try geometry(112, kernel: 3, stride: 2, pads: [1, 1], ceil: true)
        .outputSize == [57])
    // A window that would start in the end padding is dropped: 3 → 2.
    #expect(
      try geometry(4, kernel: 1, stride: 2, pads: [0, 1], ceil: true).outputSize
        == [2])
  }

  @Test func dilation() throws {
    // Effective kernel 2·(3 − 1) + 1 = 5: 10 − 5 + 1 = 6.
    #expect(try geometry(10, kernel: 3, dilation: 2).outputSize == [6])
    #expect(
      try geometry(10, kernel: 3, stride: 2, dilation: 2, pads: [2, 2])
        .outputSize == [5])
  }

  @Test func kernelLargerThanPaddedInput() {
    #expect {
      try geometry(2, kernel: 5, pads: [1, 1])
    } throws: { isMismatch($0, "larger than the padded input", "kernel 5") }
    #expect {
      try geometry(4, kernel: 3, dilation: 2)
    } throws: { isMismatch($0, "dilated extent 5") }
  }

  @Test func badAttributes() {
    #expect { try geometry(8, kernel: 3, stride: 0) } throws: {
      isInvalidAttribute($0, "strides", "at least 1")
    }
    #expect { try geometry(8, kernel: 3, pads: [1]) } throws: {
      isInvalidAttribute($0, "pads", "expected 2")
    }
    #expect { try geometry(8, kernel: 3, pads: [-1, 0]) } throws: {
      isInvalidAttribute($0, "pads")
    }
    #expect { try geometry(8, kernel: 3, dilation: Int.max) } throws: { error in
      guard case .overflow? = error as? NetworkError else { return false }
      return true
    }
  }
}

@Suite("Conv and pooling shape inference")
struct ConvShapeTests {
  @Test func denseConv() throws {
    let w = try constant("w", [16, 3, 3, 3])
    let y = try infer(
      .conv(ConvAttributes(pads: [1, 1, 1, 1])),
      [[1, 3, 32, 32], [16, 3, 3, 3]],
      constants: [1: w])
    #expect(y == [1, 16, 32, 32])
  }

  @Test func stridedAsymmetricPadsAndSameUpper() throws {
    let w = try constant("w", [8, 3, 3, 3])
    let pads = ConvAttributes(strides: [2, 2], pads: [0, 1, 1, 0])
    #expect(
      try infer(.conv(pads), [[1, 3, 9, 8], nil], constants: [1: w]) == [
        1, 8, 4, 4,
      ])
    let same = ConvAttributes(strides: [2, 2], autoPad: .sameLower)
    #expect(
      try infer(.conv(same), [[1, 3, 9, 8], nil], constants: [1: w]) == [
        1, 8, 5, 4,
      ])
  }

  @Test func depthwiseAndGrouped() throws {
    let depthwise = try absent("w", [32, 1, 3, 3])
    let y = try infer(
      .conv(ConvAttributes(group: 32, strides: [2, 2], pads: [1, 1, 1, 1])),
      [[1, 32, 112, 112], nil], constants: [1: depthwise])
    #expect(y == [1, 32, 56, 56])
    let grouped = try absent("w", [4, 4, 3, 3])
    #expect(
      try infer(
        .conv(ConvAttributes(group: 2)), [[1, 8, 10, 10], nil],
        constants: [1: grouped])
        == [1, 4, 8, 8])
  }

  @Test func dilatedConvWithBias() throws {
    let y = try infer(
      .conv(ConvAttributes(dilations: [2, 2])),
      [[2, 1, 10, 10], [3, 1, 3, 3], [3]])
    #expect(y == [2, 3, 6, 6])
  }

  @Test func conv1D() throws {
    #expect(
      try infer(.conv(ConvAttributes()), [[1, 2, 10], [4, 2, 3]]) == [1, 4, 8])
  }

  @Test func channelsNotDivisibleByGroup() {
    #expect {
      try infer(
        .conv(ConvAttributes(group: 4)), [[1, 6, 8, 8], [4, 1, 3, 3]])
    } throws: { isMismatch($0, "input channels 6", "not divisible by group 4") }
    #expect {
      try infer(
        .conv(ConvAttributes(group: 2)), [[1, 6, 8, 8], [3, 3, 3, 3]])
    } throws: { isMismatch($0, "output channels 3", "group 2") }
  }

  @Test func weightChannelsTimesGroupMustMatchInput() {
    #expect {
      try infer(
        .conv(ConvAttributes(group: 2)), [[1, 8, 8, 8], [4, 3, 3, 3]])
    } throws: {
      isMismatch($0, "weight [4, 3, 3, 3]", "3 × group 2", "[1, 8, 8, 8] has 8")
    }
  }

  @Test func kernelLargerThanInput() {
    #expect {
      try infer(.conv(ConvAttributes()), [[1, 1, 2, 2], [1, 1, 5, 5]])
    } throws: { error in
      isMismatch(error, "kernel 5")
        && (error as? NetworkError)?.message.hasPrefix(
          "node 'n' (Conv)") == true
    }
  }

  @Test func otherConvErrors() {
    #expect {
      try infer(.conv(ConvAttributes()), [[1, 3, 8, 8], [4, 3, 3]])
    } throws: {
      isMismatch($0, "rank")
    }
    #expect {
      try infer(.conv(ConvAttributes()), [[1, 3, 8, 8], [4, 3, 3, 3], [5]])
    } throws: {
      isMismatch($0, "bias [5]")
    }
    #expect {
      try infer(
        .conv(ConvAttributes(kernelShape: [5, 5])),
        [[1, 3, 8, 8], [4, 3, 3, 3]])
    } throws: { isMismatch($0, "kernel_shape") }
    #expect {
      try infer(
        .conv(ConvAttributes(group: 0)), [[1, 3, 8, 8], [4, 3, 3, 3]])
    } throws: {
      isInvalidAttribute($0, "group")
    }
  }

  @Test func pooling() throws {
    let pool = PoolAttributes(
      kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1])
    #expect(try infer(.maxPool(pool), [[1, 64, 112, 112]]) == [1, 64, 56, 56])
    var ceil = pool
    ceil.ceilMode = true
    #expect(try infer(.maxPool(ceil), [[1, 64, 112, 112]]) == [1, 64, 57, 57])
    // SqueezeNet 1.1: 3×3/2 ceil-mode max pool on 111 → 55.
    let squeeze = PoolAttributes(
      kernelShape: [3, 3], strides: [2, 2], ceilMode: true)
    #expect(
      try infer(.maxPool(squeeze), [[1, 64, 111, 111]]) == [1, 64, 55, 55])
    let average = PoolAttributes(
      kernelShape: [2, 2], strides: [2, 2], countIncludePad: true)
    #expect(
      try infer(.averagePool(average), [[1, 6, 28, 28]]) == [1, 6, 14, 14])
    let dilated = PoolAttributes(kernelShape: [2, 2], dilations: [2, 2])
    #expect(try infer(.maxPool(dilated), [[1, 1, 5, 5]]) == [1, 1, 3, 3])
    let same = PoolAttributes(
      kernelShape: [3, 3], strides: [2, 2], autoPad: .sameUpper)
    #expect(try infer(.averagePool(same), [[1, 1, 7, 8]]) == [1, 1, 4, 4])
  }

  @Test func poolingErrors() {
    #expect {
      try infer(.maxPool(PoolAttributes(kernelShape: [3])), [[1, 1, 5, 5]])
    } throws: {
      isInvalidAttribute($0, "kernel_shape")
    }
    #expect {
      try infer(.maxPool(PoolAttributes(kernelShape: [7, 7])), [[1, 1, 5, 5]])
    } throws: {
      isMismatch($0, "kernel 7")
    }
    #expect { try infer(.globalAveragePool, [[4, 5]]) } throws: {
      isMismatch($0, "rank")
    }
  }

  @Test func globalPools() throws {
    #expect(try infer(.globalAveragePool, [[2, 512, 7, 7]]) == [2, 512, 1, 1])
    #expect(try infer(.globalMaxPool, [[2, 16, 3, 4, 5]]) == [2, 16, 1, 1, 1])
  }
}
