import FixedPointArithmetic
import Testing

@testable import BitAccurateExecution

/// An output's range statistics and its two errors (end to end, local)
/// taken in one pass over the raws are the separate passes' figures bit for
/// bit: every sum, the mean bias, the histogram and the underflows, NaN and
/// infinite references included (issue #19).
@Suite struct FusedStatisticsTests {
  @Test func onePassIsTheSeparatePasses() throws {
    let format = try QFormat(bits: 12, fractionalLength: 5)
    var raws: [Int64] = (0..<5000).map { Int64(($0 * 7919) % 4096) - 2048 }
    raws += [format.rawMin, format.rawMax, 0, 0, 0]
    var endToEnd: [Float] = raws.indices.map {
      Float(($0 * 104_729) % 8191) * 0.0173 - 70.9
    }
    var local: [Float] = raws.indices.map {
      Float(($0 * 7_727) % 4093) * 0.0311 - 63.1
    }
    endToEnd[17] = .nan
    endToEnd[18] = .infinity
    local[19] = -.infinity
    local[20] = .nan
    local[raws.count - 1] = 0
    let overflow = OverflowCounts()
    let fused = TensorStatistics(
      raws: raws, format: format, overflow: overflow, endToEnd: endToEnd,
      local: local)
    var underflows = 0
    for (raw, value) in zip(raws, local) where raw == 0 && value != 0 {
      underflows += 1
    }
    var separate = TensorStatistics(
      raws: raws, format: format, overflow: overflow,
      underflowToZero: underflows)
    separate.endToEnd = ErrorStatistics(
      raws: raws, format: format, reference: endToEnd)
    separate.local = ErrorStatistics(
      raws: raws, format: format, reference: local)
    #expect(underflows > 0)
    #expect(fused.histogram == separate.histogram)
    #expect(fused.maxAbsRaw == separate.maxAbsRaw)
    #expect(fused.underflowToZero == separate.underflowToZero)
    for (a, b) in [
      (fused.endToEnd, separate.endToEnd), (fused.local, separate.local),
    ] {
      let a = try #require(a)
      let b = try #require(b)
      for (x, y) in [
        (a.signal, b.signal), (a.noise, b.noise), (a.l1, b.l1),
        (a.maxAbsError, b.maxAbsError), (a.meanErrorLSB, b.meanErrorLSB),
      ] {
        #expect(x.bitPattern == y.bitPattern)
      }
      #expect(a.count == b.count)
    }
    // A reference of another length falls back to the separate passes.
    let short = TensorStatistics(
      raws: raws, format: format, overflow: overflow,
      endToEnd: Array(endToEnd.prefix(100)), local: local)
    #expect(short.endToEnd?.count == 100)
    #expect(short.local?.l1.bitPattern == separate.local?.l1.bitPattern)
  }
}
