import HardwareModel
import Simulation
import Testing

/// Hand-computed fold arithmetic (scalesim-model.md, "Cycle model").
@Suite("SystolicParity fold arithmetic")
struct SystolicParityFoldTests {
  static let memory = SystolicMemory(
    ifmapWords: 65536, filterWords: 65536, ofmapWords: 65536)

  @Test("os 4×4: E=10, K=3, M=5 → F = 3·2, P = 3 + 4 + 4 − 2")
  func outputStationary() throws {
    let gemm = SystolicGEMM(e: 10, k: 3, m: 5)
    let r = try SystolicArrayModel.report(
      gemm, array: SystolicArray(rows: 4, columns: 4, dataflow: .os),
      memory: Self.memory)
    #expect(r.folds == 6)
    #expect(r.cyclesPerFold == 9)
    #expect(r.computeCycles == 53)
    #expect(r.sramReads[.inputs] == 10 * 3 * 2)
    #expect(r.sramReads[.weights] == 3 * 5 * 3)
    #expect(r.sramWrites[.outputs] == 50 + 6 * 8)
    #expect(r.dramWrites[.outputs] == 50)
    // used rows 4,4,2 × used cols 4,1 → 50 PEs over 6 folds of 16.
    #expect(abs(r.mappingEfficiency - 50.0 / 96.0) < 1e-12)
    #expect(abs(r.computeUtilization - 50.0 * 3 / (96.0 * 9)) < 1e-12)
    #expect(abs(r.overallUtilization - 150.0 / (53.0 * 16)) < 1e-12)
  }

  @Test(
    "ws 4×2: K=9, M=3, E=7 → F = 3·2, P = 7 + 8 + 2 − 2, util Q = P + C − 1")
  func weightStationary() throws {
    let r = try SystolicArrayModel.report(
      SystolicGEMM(e: 7, k: 9, m: 3),
      array: SystolicArray(rows: 4, columns: 2, dataflow: .ws),
      memory: Self.memory)
    #expect(r.folds == 6)
    #expect(r.cyclesPerFold == 15)
    #expect(r.computeCycles == 89)
    #expect(r.folding.utilizationCyclesPerFold == 16)
    #expect(r.sramReads[.inputs] == 7 * 9 * 2)
    #expect(r.sramReads[.weights] == 27)
    #expect(r.sramWrites[.outputs] == 21 * 3)
    #expect(abs(r.computeUtilization - 27.0 * 7 / (6.0 * 8 * 16)) < 1e-12)
  }

  @Test("is 2×4: K=5, E=6, M=4 → F = 3·2, P = 4 + 4 + 4 − 2")
  func inputStationary() throws {
    let r = try SystolicArrayModel.report(
      SystolicGEMM(e: 6, k: 5, m: 4),
      array: SystolicArray(rows: 2, columns: 4, dataflow: .is),
      memory: Self.memory)
    #expect(r.folds == 6)
    #expect(r.cyclesPerFold == 10)
    #expect(r.computeCycles == 59)
    #expect(r.sramReads[.inputs] == 30)
    #expect(r.sramReads[.weights] == 20 * 2)
    #expect(r.sramWrites[.outputs] == 24 * 3)
  }

  @Test("lowering: SCALE-Sim's ceil output size and K = R·S·C")
  func lowering() throws {
    let shape = SystolicConvShape(
      ifmapHeight: 28, ifmapWidth: 28, filterHeight: 1, filterWidth: 1,
      channels: 32,
      filters: 64, stride: 2)
    let gemms = try SystolicArrayModel.lower(shape)
    #expect(gemms.count == 1)
    #expect(gemms[0].e == 15 * 15)  // ceil((28 − 1 + 2)/2) = 15, not 14
    #expect(gemms[0].k == 32)
    #expect(gemms[0].m == 64)
  }

  @Test(
    "depthwise = C per-channel GEMMs (K = R·S) and cycles add up",
    arguments: [Dataflow.os, .ws, .is])
  func depthwise(dataflow: Dataflow) throws {
    let shape = SystolicConvShape(
      ifmapHeight: 18, ifmapWidth: 18, filterHeight: 3, filterWidth: 3,
      channels: 16,
      filters: 1, stride: 1)
    let gemms = try SystolicArrayModel.lower(shape, depthwise: true)
    #expect(gemms.count == 16)
    #expect(gemms.allSatisfy { $0.e == 256 && $0.k == 9 && $0.m == 1 })
    let array = SystolicArray(rows: 32, columns: 32, dataflow: dataflow)
    let one = try SystolicArrayModel.report(
      gemms[0], array: array, memory: Self.memory)
    var total = 0
    for gemm in gemms {
      total += try SystolicArrayModel.report(
        gemm, array: array, memory: Self.memory
      )
      .computeCycles
    }
    #expect(total == 16 * one.computeCycles)
  }

  @Test("finite bandwidth: never faster than CALC; more bandwidth never slower")
  func prefetchMonotone() throws {
    let gemm = try #require(
      try SystolicArrayModel.lower(
        SystolicConvShape(
          ifmapHeight: 28, ifmapWidth: 28, filterHeight: 1, filterWidth: 1,
          channels: 64,
          filters: 128, stride: 1)
      ).first)
    for dataflow in [Dataflow.os, .ws, .is] {
      let array = SystolicArray(rows: 32, columns: 32, dataflow: dataflow)
      var previous = Int.max
      let calc = try SystolicArrayModel.report(
        gemm, array: array, memory: Self.memory)
      for bw in [0.5, 1, 2, 4, 10, 100] {
        var memory = Self.memory
        memory.bandwidth = .wordsPerCycle(read: bw, write: bw)
        let r = try SystolicArrayModel.report(
          gemm, array: array, memory: memory)
        #expect(r.computeCycles >= calc.computeCycles, "\(dataflow) bw \(bw)")
        #expect(r.computeCycles <= previous, "\(dataflow) bw \(bw)")
        previous = r.computeCycles
        for words in [8192, 65536, 1 << 20] {
          var larger = memory
          larger.ifmapWords = words * 2
          larger.filterWords = words * 2
          var smaller = memory
          smaller.ifmapWords = words
          smaller.filterWords = words
          let big = try SystolicArrayModel.report(
            gemm, array: array, memory: larger)
          let small = try SystolicArrayModel.report(
            gemm, array: array, memory: smaller)
          #expect(
            big.computeCycles <= small.computeCycles, "\(dataflow) \(words)")
        }
      }
    }
  }

  @Test("overflowing layer dimensions throw instead of trapping")
  func overflow() {
    #expect(throws: SystolicModelError.self) {
      try SystolicArrayModel.report(
        SystolicGEMM(e: Int.max / 2, k: 4, m: 4),
        array: SystolicArray(rows: 32, columns: 32, dataflow: .os),
        memory: Self.memory)
    }
  }
}
