import HardwareModel
import Mapping
import Testing

/// The convolution loop nest: sizes, products, windows and views.
@Suite struct LoopNestTests {
  /// AlexNet's conv2: 192 filters of 64×5×5 over 27×27 outputs.
  static let conv2 = LoopNest(
    outputChannels: 192, inputChannels: 64, outputRows: 27, outputColumns: 27,
    kernelRows: 5, kernelColumns: 5, inputRows: 27, inputColumns: 27)

  @Test func macsAreTheProductOfEveryLoop() {
    #expect(Self.conv2.macs == 192 * 64 * 27 * 27 * 5 * 5)
    var grouped = Self.conv2
    grouped.groups = 2
    grouped.batch = 3
    #expect(grouped.macs == 6 * 192 * 64 * 27 * 27 * 5 * 5)
    for d in LoopDimension.allCases {
      #expect(Self.conv2[d] >= 1)
    }
    #expect(Self.conv2[.m] == 192 && Self.conv2[.c] == 64)
    #expect(Self.conv2[.r] == 5 && Self.conv2[.q] == 27)
  }

  @Test func macsOverflowIsNil() {
    let huge = LoopNest(
      batch: 1 << 40, outputChannels: 1 << 20, inputChannels: 1 << 4)
    #expect(huge.macs == nil)
    #expect(CheckedProduct.of([1 << 32, 1 << 31]) == nil)
    #expect(CheckedProduct.of([3, 5, 7]) == 105)
  }

  @Test func sizesBelowOneAreRaisedToOne() {
    let nest = LoopNest(
      groups: 0, batch: -3, outputChannels: 0, inputChannels: 0)
    for d in LoopDimension.allCases { #expect(nest[d] == 1, "\(d)") }
    #expect(nest.macs == 1)
  }

  /// Input windows: `(t − 1)·stride + (R − 1)·dilation + 1`, at most the
  /// input.
  @Test func windowsFollowStrideAndDilation() {
    let nest = LoopNest(
      outputChannels: 1, inputChannels: 1, outputRows: 10, outputColumns: 10,
      kernelRows: 3, kernelColumns: 3, strideRows: 2, strideColumns: 1,
      dilationRows: 2, dilationColumns: 1)
    // The default input is exactly what the outputs read.
    #expect(nest.inputRows == 9 * 2 + 2 * 2 + 1)
    #expect(nest.inputColumns == 9 + 2 + 1)
    #expect(nest.inputRows(forOutputRows: 4) == 3 * 2 + 2 * 2 + 1)
    #expect(nest.inputColumns(forOutputColumns: 1) == 3)
    #expect(nest.inputRows(forOutputRows: 100) == nest.inputRows)
  }

  /// SCALE-Sim's GEMM view: E = N·P·Q, K = C·R·S, M filters.
  @Test func gemmView() {
    let view = Self.conv2.gemm
    #expect(view.e == 27 * 27)
    #expect(view.k == 64 * 5 * 5)
    #expect(view.m == 192)
  }

  @Test func operandElements() {
    #expect(Self.conv2.elements(.weights) == 192 * 64 * 25)
    #expect(Self.conv2.elements(.inputs) == 64 * 27 * 27)
    #expect(Self.conv2.elements(.outputs) == 192 * 27 * 27)
  }

  @Test func relevanceOfLoopsToOperands() {
    #expect(LoopDimension.m.isRelevant(to: .weights))
    #expect(!LoopDimension.m.isRelevant(to: .inputs))
    #expect(!LoopDimension.c.isRelevant(to: .outputs))
    #expect(!LoopDimension.p.isRelevant(to: .weights))
    #expect(LoopDimension.p.isRelevant(to: .inputs))
  }
}
