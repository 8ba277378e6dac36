import FixedPointArithmetic
import NetworkGraph

/// Overflow events of a dot-product layer's accumulator (FIXED_POINT.md §5,
/// §9): one per output element that clamped or wrapped, and for
/// `saturateEachStep` every clamped addition too.
public struct AccumulatorEvents: Hashable, Sendable {
  /// Output elements whose accumulator overflowed (split by side).
  public var elements = OverflowCounts()
  /// Additions that saturated (`saturateEachStep` only).
  public var steps = OverflowCounts()

  /// Creates empty counts.
  public init() {}

  mutating func merge(_ other: AccumulatorEvents) {
    elements.merge(other.elements)
    steps.merge(other.steps)
  }
}

/// Integer kernels of the bit-accurate executor: exact dot products in
/// Int32 or Int64 lanes, then the accumulator policy (§5).
enum IntegerKernels {
  /// The magnitude bits of a format's raws: B − 1 signed, B unsigned.
  static func magnitudeBits(_ format: QFormat) -> Int {
    format.isSigned ? format.bits - 1 : format.bits
  }

  /// Whether every partial sum of K products fits Int32 lanes:
  /// |Σ| ≤ K · 2^(mw + mx) < 2^31.
  static func fitsInt32(_ w: QFormat, _ x: QFormat, terms: Int) -> Bool {
    magnitudeBits(w) + magnitudeBits(x) + FixedPoint.ceilLog2(terms) <= 30
  }

  /// Brings exact dot products plus their initial values into the
  /// accumulator per `policy`; returns the events.
  static func finalize(
    _ out: UnsafeMutableBufferPointer<Int64>, _ acc: QFormat, _ policy: AccumulatorPolicy
  ) -> AccumulatorEvents {
    var events = AccumulatorEvents()
    for index in out.indices {
      let (value, event) = FixedPoint.finalizeAccumulator(out[index], in: acc, policy: policy)
      out[index] = value
      events.elements.record(event)
    }
    return events
  }

  /// One M × P block with `saturateEachStep`: bias first, then k ascending
  /// (for a convolution: input channel, kernel row, kernel column; for a
  /// matrix product: input index), clamping after every addition.
  static func gemmSaturatingEachStep(
    _ w: UnsafePointer<Int64>, _ col: UnsafePointer<Int64>,
    _ out: UnsafeMutableBufferPointer<Int64>, base: Int, m: Int, k: Int, p: Int,
    acc: QFormat, events: inout AccumulatorEvents
  ) {
    for row in 0..<m {
      for q in 0..<p {
        var running = out[base + row * p + q]
        var first = OverflowEvent.none
        for kk in 0..<k {
          let (value, event) = FixedPoint.accumulateSaturating(
            running, adding: w[row * k + kk] &* col[kk * p + q], in: acc)
          running = value
          if event.occurred {
            events.steps.record(event)
            if first == .none { first = event }
          }
        }
        events.elements.record(first)
        out[base + row * p + q] = running
      }
    }
  }

  /// The accumulators of a 2-D convolution, any group: `[N, M, OH, OW]`.
  ///
  /// - Parameters:
  ///   - x: The input raws `[N, C, H, W]`.
  ///   - weights: Raws `[M][C/group · kh · kw]` (ONNX order).
  ///   - weights32: The same in Int32 when ``fitsInt32(_:_:terms:)`` holds.
  ///   - bias: The initial accumulator value per output channel, or `nil`.
  static func conv(
    x: [Int64], g: ConvGeometry, groups: Int, outChannels: Int, weights: [Int64],
    weights32: [Int32]?, bias: [Int64]?, acc: QFormat, policy: AccumulatorPolicy
  ) -> (values: [Int64], events: AccumulatorEvents) {
    let groupIn = g.channels / groups
    let groupOut = outChannels / groups
    let k = groupIn * g.kernelHeight * g.kernelWidth
    let plane = g.outputPlane
    var out = [Int64](repeating: 0, count: g.batch * outChannels * plane)
    var events = AccumulatorEvents()
    let use32 = weights32 != nil && policy != .saturateEachStep
    let x32: [Int32] = use32 ? x.map { Int32(truncatingIfNeeded: $0) } : []
    var col64 = [Int64](repeating: 0, count: use32 ? 0 : k * plane)
    var col32 = [Int32](repeating: 0, count: use32 ? k * plane : 0)
    var block32 = [Int32](repeating: 0, count: use32 ? groupOut * plane : 0)
    out.withUnsafeMutableBufferPointer { output in
      let o = output.baseAddress.unsafelyUnwrapped
      for n in 0..<g.batch {
        for group in 0..<groups {
          let inBase = (n * g.channels + group * groupIn) * g.inputPlane
          let outBase = (n * outChannels + group * groupOut) * plane
          // Initial values: the bias (on the accumulator grid).
          for row in 0..<groupOut {
            let b = bias?[group * groupOut + row] ?? 0
            (o + outBase + row * plane).update(repeating: b, count: plane)
          }
          if use32, let w32 = weights32 {
            x32.withUnsafeBufferPointer { input in
              col32.withUnsafeMutableBufferPointer { column in
                block32.withUnsafeMutableBufferPointer { block in
                  let cp = column.baseAddress.unsafelyUnwrapped
                  let source = input.baseAddress.unsafelyUnwrapped + inBase
                  let matrix = g.isPointwise ? source : UnsafePointer(cp)
                  if !g.isPointwise { im2col(source, channels: groupIn, g, into: cp) }
                  let bp = block.baseAddress.unsafelyUnwrapped
                  bp.update(repeating: 0, count: groupOut * plane)
                  w32.withUnsafeBufferPointer { wp in
                    gemm(
                      wp.baseAddress.unsafelyUnwrapped + group * groupOut * k, matrix, bp,
                      m: groupOut, k: k, p: plane)
                  }
                  for index in 0..<(groupOut * plane) {
                    o[outBase + index] = o[outBase + index] &+ Int64(bp[index])
                  }
                }
              }
            }
          } else {
            x.withUnsafeBufferPointer { input in
              col64.withUnsafeMutableBufferPointer { column in
                let cp = column.baseAddress.unsafelyUnwrapped
                let source = input.baseAddress.unsafelyUnwrapped + inBase
                let matrix = g.isPointwise ? source : UnsafePointer(cp)
                if !g.isPointwise { im2col(source, channels: groupIn, g, into: cp) }
                weights.withUnsafeBufferPointer { wp in
                  let w = wp.baseAddress.unsafelyUnwrapped + group * groupOut * k
                  if policy == .saturateEachStep {
                    gemmSaturatingEachStep(
                      w, matrix, output, base: outBase, m: groupOut, k: k, p: plane, acc: acc,
                      events: &events)
                  } else {
                    gemm(w, matrix, o + outBase, m: groupOut, k: k, p: plane)
                  }
                }
              }
            }
          }
        }
      }
      if policy != .saturateEachStep { events.merge(finalize(output, acc, policy)) }
    }
    return (out, events)
  }

  /// The accumulators of a (batched, broadcast) matrix product A · B with
  /// initial values `initial` (the broadcast bias, or zeros).
  static func matMul(
    a: [Int64], b: [Int64], plan: MatMulPlan, initial: [Int64], use32: Bool, acc: QFormat,
    policy: AccumulatorPolicy
  ) -> (values: [Int64], events: AccumulatorEvents) {
    var out = initial
    var events = AccumulatorEvents()
    let block = plan.m * plan.n
    let use32 = use32 && policy != .saturateEachStep
    let a32: [Int32] = use32 ? a.map { Int32(truncatingIfNeeded: $0) } : []
    let b32: [Int32] = use32 ? b.map { Int32(truncatingIfNeeded: $0) } : []
    var scratch = [Int32](repeating: 0, count: use32 ? block : 0)
    out.withUnsafeMutableBufferPointer { output in
      let o = output.baseAddress.unsafelyUnwrapped
      for batch in 0..<plan.batchCount {
        let oBase = batch * block
        if use32 {
          a32.withUnsafeBufferPointer { pa in
            b32.withUnsafeBufferPointer { pb in
              scratch.withUnsafeMutableBufferPointer { s in
                let sp = s.baseAddress.unsafelyUnwrapped
                sp.update(repeating: 0, count: block)
                gemm(
                  pa.baseAddress.unsafelyUnwrapped + plan.aOffsets[batch],
                  pb.baseAddress.unsafelyUnwrapped + plan.bOffsets[batch], sp,
                  m: plan.m, k: plan.k, p: plan.n)
                for index in 0..<block { o[oBase + index] = o[oBase + index] &+ Int64(sp[index]) }
              }
            }
          }
        } else {
          a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
              let ap = pa.baseAddress.unsafelyUnwrapped + plan.aOffsets[batch]
              let bp = pb.baseAddress.unsafelyUnwrapped + plan.bOffsets[batch]
              if policy == .saturateEachStep {
                gemmSaturatingEachStep(
                  ap, bp, output, base: oBase, m: plan.m, k: plan.k, p: plan.n, acc: acc,
                  events: &events)
              } else {
                gemm(ap, bp, o + oBase, m: plan.m, k: plan.k, p: plan.n)
              }
            }
          }
        }
      }
      if policy != .saturateEachStep { events.merge(finalize(output, acc, policy)) }
    }
    return (out, events)
  }
}
