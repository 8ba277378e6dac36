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
    _ out: UnsafeMutableBufferPointer<Int64>, _ acc: QFormat,
    _ policy: AccumulatorPolicy
  ) -> AccumulatorEvents {
    var events = AccumulatorEvents()
    for index in out.indices {
      let (value, event) = FixedPoint.finalizeAccumulator(
        out[index], in: acc, policy: policy)
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

  /// Brings one block of exact sums into the accumulator (bias first, then
  /// `policy`) and requantizes it: `accumulators` receives the §5 accumulator
  /// values and `output` the raws.
  ///
  /// `sum(row, q)` is the exact dot product of output row `row` at position
  /// `q`; `bias(row)` the row's initial value. Without `store`,
  /// `accumulators` is scratch the common case need not write: a saturating
  /// accumulator with a `floor` or `halfUp` saturating requantization then
  /// runs in one pass, each accumulator requantized as it is formed.
  @inline(__always)
  static func finishBlock(
    rows: Int, columns: Int, accumulators: UnsafeMutablePointer<Int64>,
    store: Bool = true,
    output: UnsafeMutablePointer<Int64>, first: Int, acc: QFormat,
    policy: AccumulatorPolicy,
    requantization: Requantization, events: inout AccumulatorEvents,
    outputEvents: inout OverflowCounts, bias: (Int) -> Int64,
    sum: (Int, Int) -> Int64
  ) {
    if policy != .wrap, let shift = requantization.fusedShift {
      let s = shift.bits
      let counts: (OverflowCounts, OverflowCounts)
      if shift.halfUp {
        counts = fusedBlock(
          rows: rows, columns: columns, accumulators: accumulators,
          store: store, output: output, acc: acc,
          format: requantization.format,
          clamp: requantization.outputClamp, bias: bias, sum: sum
        ) { n in (n &>> s) &+ ((n &>> (s &- 1)) & 1) }
      } else {
        counts = fusedBlock(
          rows: rows, columns: columns, accumulators: accumulators,
          store: store, output: output, acc: acc,
          format: requantization.format,
          clamp: requantization.outputClamp, bias: bias, sum: sum
        ) { n in n &>> s }
      }
      events.elements.merge(counts.0)
      outputEvents.merge(counts.1)
      return
    }
    let low = acc.rawMin
    let high = acc.rawMax
    var positive = 0
    var negative = 0
    for row in 0..<rows {
      let b = bias(row)
      let target = accumulators + row &* columns
      if policy == .wrap {
        for q in 0..<columns {
          let (value, event) = FixedPoint.finalizeAccumulator(
            b &+ sum(row, q), in: acc, policy: .wrap)
          target[q] = value
          events.elements.record(event)
        }
      } else {
        for q in 0..<columns {
          let z = b &+ sum(row, q)
          positive &+= z > high ? 1 : 0
          negative &+= z < low ? 1 : 0
          target[q] = z > high ? high : (z < low ? low : z)
        }
      }
    }
    events.elements.merge(
      OverflowCounts(positive: positive, negative: negative))
    outputEvents.merge(
      requantization.apply(
        accumulators, into: output, count: rows * columns, first: first))
  }

  /// One block of the common case of `finishBlock` in one pass.
  ///
  /// Bias plus sum, clamped to the accumulator (counted), then `round`ed and
  /// clamped to the output format (counted), then to `clamp` (a fused ReLU
  /// or Clip). Returns the accumulator and the output events.
  @inline(__always)
  static func fusedBlock(
    rows: Int, columns: Int, accumulators: UnsafeMutablePointer<Int64>,
    store: Bool, output: UnsafeMutablePointer<Int64>, acc: QFormat,
    format: QFormat, clamp: OutputClamp, bias: (Int) -> Int64,
    sum: (Int, Int) -> Int64,
    round: (Int64) -> Int64
  ) -> (OverflowCounts, OverflowCounts) {
    let low = acc.rawMin
    let high = acc.rawMax
    let outLow = format.rawMin
    let outHigh = format.rawMax
    let (bottom, top) = clamp.bounds(in: format)
    var positive = 0
    var negative = 0
    var outPositive = 0
    var outNegative = 0
    for row in 0..<rows {
      let b = bias(row)
      let offset = row &* columns
      for q in 0..<columns {
        let z = b &+ sum(row, q)
        positive &+= z > high ? 1 : 0
        negative &+= z < low ? 1 : 0
        let a = z > high ? high : (z < low ? low : z)
        if store { accumulators[offset &+ q] = a }
        let r = round(a)
        outPositive &+= r > outHigh ? 1 : 0
        outNegative &+= r < outLow ? 1 : 0
        let raised = r > outHigh ? outHigh : (r < bottom ? bottom : r)
        output[offset &+ q] = raised > top ? top : raised
      }
    }
    return (
      OverflowCounts(positive: positive, negative: negative),
      OverflowCounts(positive: outPositive, negative: outNegative)
    )
  }

  /// A 2-D convolution, any group, over the whole batch: the accumulators
  /// `[N, M, OH, OW]` (§5: exact sums from the bias, then the policy) and
  /// their requantization, split over `concurrency` batch slices.
  ///
  /// `x` holds the input raws `[N, C, H, W]` (as `Int64` or `Int16`),
  /// `weights` the raws `[M][C/group · kh · kw]` (ONNX order) and `dot` the
  /// same for the Int16 kernels, when
  /// ``DotWeights/applies(weight:input:terms:)``; `bias` is the initial
  /// accumulator value per output channel, or `nil`. The result holds the
  /// accumulators (empty unless `keepAccumulators`: each block's then live
  /// only in a scratch buffer), the requantized raws and the counted events.
  /// With `narrowOutput`, the raws are held as `Int16` when the Int16
  /// kernels and their one-pass epilogue apply and the output format fits
  /// Int16 (else as `Int64`); the integers are the same either way.
  static func conv(
    x: RawStorage, g: ConvGeometry, groups: Int, outChannels: Int,
    weights: [Int64],
    dot: DotWeights?, bias: [Int64]?, acc: QFormat, policy: AccumulatorPolicy,
    requantization: Requantization, concurrency: Int,
    keepAccumulators: Bool = true, sumBound: Int64 = .max,
    narrowOutput: Bool = false
  ) -> (
    accumulators: [Int64], raws: RawStorage, events: AccumulatorEvents,
    output: OverflowCounts
  ) {
    let dot = policy == .saturateEachStep ? nil : dot
    let format = requantization.format
    let narrow =
      narrowOutput && dot != nil && policy != .wrap
      && requantization.fusedShift != nil
      && RawStorage.fitsInt16(format.rawMin, format.rawMax)
    // The input at the width it is stored in when the dot-product kernels
    // read it, the output at Int16 when the format allows.
    func run<Source: RawLane>(_ input: [Source]) -> (
      accumulators: [Int64], raws: RawStorage, events: AccumulatorEvents,
      output: OverflowCounts
    ) {
      func to<Target: RawLane>(_ target: Target.Type) -> (
        accumulators: [Int64], raws: RawStorage, events: AccumulatorEvents,
        output: OverflowCounts
      ) {
        convolve(
          x: input, target, g: g, groups: groups,
          outChannels: outChannels, weights: weights, dot: dot, bias: bias,
          acc: acc, policy: policy, requantization: requantization,
          concurrency: concurrency, keepAccumulators: keepAccumulators,
          sumBound: sumBound)
      }
      return narrow ? to(Int16.self) : to(Int64.self)
    }
    switch (x, dot) {
    case (.int16(let input), .some): return run(input)
    default: return run(x.wide)
    }
  }

  /// ``conv(x:g:groups:outChannels:weights:dot:bias:acc:policy:requantization:concurrency:keepAccumulators:sumBound:narrowOutput:)``
  /// from raws held as `Source` to raws held as `Target` (`Int16` only on
  /// the Int16 kernels with their one-pass epilogue; `Int64` raws of the
  /// wide path).
  private static func convolve<Source: RawLane, Target: RawLane>(
    x: [Source], _: Target.Type, g: ConvGeometry, groups: Int,
    outChannels: Int, weights: [Int64], dot: DotWeights?, bias: [Int64]?,
    acc: QFormat, policy: AccumulatorPolicy, requantization: Requantization,
    concurrency: Int, keepAccumulators: Bool, sumBound: Int64
  ) -> (
    accumulators: [Int64], raws: RawStorage, events: AccumulatorEvents,
    output: OverflowCounts
  ) {
    let k = (g.channels / groups) * g.kernelHeight * g.kernelWidth
    let total = g.batch * outChannels * g.outputPlane
    var events = AccumulatorEvents()
    var outputEvents = OverflowCounts()
    var raws: [Target] = []
    let accumulators = [Int64].filledIf(keepAccumulators, total) { wide in
      let kept = wide.map { SharedBuffer($0) }
      raws = [Target].filled(total) { r in
        x.withUnsafeBufferPointer { input in
          guard let base = input.baseAddress else { return }
          let source = SharedBuffer(UnsafeMutablePointer(mutating: base))
          let target = SharedBuffer(r)
          let pieces = Parallel.slices(
            g.batch, concurrency: concurrency, minimumPerSlice: 4
          ) {
            images -> (AccumulatorEvents, OverflowCounts) in
            var events = AccumulatorEvents()
            var outputEvents = OverflowCounts()
            if let dot {
              convolveDot(
                source.base, g, groups: groups, outChannels: outChannels,
                weights: dot, bias: bias,
                acc: acc, policy: policy, requantization: requantization,
                sumBound: sumBound, images: images,
                accumulators: kept?.base, output: target.base,
                events: &events,
                outputEvents: &outputEvents)
            } else if let wideSource =
              source.base as? UnsafeMutablePointer<Int64>,
              let wideTarget = target.base as? UnsafeMutablePointer<Int64>
            {
              // ``conv`` takes this path only from and to Int64 raws.
              convolveWide(
                wideSource, g, groups: groups, outChannels: outChannels,
                weights: weights, k: k,
                bias: bias, acc: acc, policy: policy,
                requantization: requantization,
                images: images, accumulators: kept?.base,
                output: wideTarget,
                events: &events, outputEvents: &outputEvents)
            }
            return (events, outputEvents)
          }
          for (e, o) in pieces {
            events.merge(e)
            outputEvents.merge(o)
          }
        }
      }
    }
    return (accumulators, Target.storage(raws), events, outputEvents)
  }

  /// The Int16 path of ``conv(x:g:groups:outChannels:weights:dot:bias:acc:policy:requantization:concurrency:keepAccumulators:sumBound:narrowOutput:)``
  /// for the samples `images`, reading raws held as `Source` and writing
  /// raws held as `Target`.
  static func convolveDot<Source: RawLane, Target: RawLane>(
    _ x: UnsafeMutablePointer<Source>, _ g: ConvGeometry, groups: Int,
    outChannels: Int,
    weights: DotWeights, bias: [Int64]?, acc: QFormat,
    policy: AccumulatorPolicy,
    requantization: Requantization, sumBound: Int64 = .max,
    images: Range<Int>,
    accumulators: UnsafeMutablePointer<Int64>?,
    output: UnsafeMutablePointer<Target>, events: inout AccumulatorEvents,
    outputEvents: inout OverflowCounts
  ) {
    let groupIn = g.channels / groups
    let groupOut = outChannels / groups
    let plane = g.outputPlane
    let stride = weights.stride
    let pad = PaddedPlane(g, channels: groupIn)
    // One channel per group: sums straight from the padded plane for the
    // whole image, then one epilogue over all its channels.
    let pairs = readsOneChannelPerGroup(g, groups: groups) ? weights.pairs : nil
    let direct = pairs != nil
    // Scratch accumulators for the general epilogue only (the fused one
    // needs none).
    let fusedEpilogue = policy != .wrap && requantization.fusedShift != nil
    var scratch = [Int64](
      repeating: 0,
      count: accumulators == nil && !fusedEpilogue
        ? (direct ? outChannels : groupOut) * plane : 0
    )
    var padded = [Int16](
      repeating: 0,
      count: direct
        ? singleChannelScratchCount(
          g, groups: groups, outChannels: outChannels, pad: pad)
        : pad.allocation)
    // A 1×1 window over whole groups of eight channels: the channels-last
    // padded image is already the receptive rows.
    let padIsRows = g.isPointwise && groupIn == stride
    var rows = [Int16](
      repeating: 0, count: direct || padIsRows ? 8 : plane * stride + 8)
    // Every sum is written before it is read.
    var sums = [Int32].uninitialized(
      direct ? outChannels * plane + 8 : groupOut * plane)
    let fused = requantization.fusedShift
    let biasValues = bias ?? []
    biasValues.withUnsafeBufferPointer { biasBuffer in
      padded.withUnsafeMutableBufferPointer { pb in
        rows.withUnsafeMutableBufferPointer { rb in
          sums.withUnsafeMutableBufferPointer { sb in
            scratch.withUnsafeMutableBufferPointer { scratchBuffer in
              let biasBase = bias == nil ? nil : biasBuffer.baseAddress
              let pp = pb.baseAddress.unsafelyUnwrapped
              let rp = rb.baseAddress.unsafelyUnwrapped
              let sp = sb.baseAddress.unsafelyUnwrapped
              // Each block: sums of `blockGroups` groups, then their
              // epilogue.
              let blockGroups = direct ? groups : 1
              let blockRows = blockGroups &* groupOut
              for n in images {
                for group in Swift.stride(
                  from: 0, to: groups, by: blockGroups)
                {
                  let inBase =
                    (n &* g.channels &+ group &* groupIn) &* g.inputPlane
                  if let pairs {
                    singleChannelSums(
                      x + inBase, g, groups: groups,
                      outChannels: outChannels, weights: weights,
                      pairs: pairs, pad: pad, plane: pp, into: sp)
                  } else {
                    padImage(
                      x + inBase, channels: groupIn, g, pad, into: pp)
                    if !padIsRows {
                      receptiveRows(pp, g, pad, stride: stride, into: rp)
                    }
                    Self.dot(
                      weights, first: group &* groupOut, rows: groupOut,
                      padIsRows ? pp : rp, columns: plane, into: sp,
                      rowStride: plane)
                  }
                  let outBase =
                    (n &* outChannels &+ group &* groupOut) &* plane
                  if policy != .wrap, let shift = fused {
                    let counts = finishSums(
                      sp, rows: blockRows, columns: plane,
                      bias: biasBase.map { $0 + group &* groupOut }, acc: acc,
                      requantization: requantization, shift: shift,
                      sumBound: sumBound,
                      accumulators: accumulators.map { $0 + outBase },
                      output: output + outBase)
                    events.elements.merge(counts.0)
                    outputEvents.merge(counts.1)
                    continue
                  }
                  let count = blockRows &* plane
                  // The general epilogue writes Int64 raws: in place, or
                  // (raws held narrower, which ``conv`` only asks for with
                  // the one-pass epilogue above) through a row of them.
                  let wideOutput =
                    output as? UnsafeMutablePointer<Int64>
                    ?? UnsafeMutablePointer<Int64>.allocate(capacity: count)
                  finishBlock(
                    rows: blockRows, columns: plane,
                    accumulators: accumulators.map { $0 + outBase }
                      ?? scratchBuffer.baseAddress.unsafelyUnwrapped,
                    store: accumulators != nil,
                    output: Target.self == Int64.self
                      ? wideOutput + outBase : wideOutput,
                    first: outBase, acc: acc, policy: policy,
                    requantization: requantization, events: &events,
                    outputEvents: &outputEvents,
                    bias: { row in bias?[group &* groupOut &+ row] ?? 0 },
                    sum: { row, q in Int64(sp[row &* plane &+ q]) })
                  if Target.self != Int64.self {
                    for index in 0..<count {
                      output[outBase &+ index] = Target(
                        truncatingIfNeeded: wideOutput[index])
                    }
                    wideOutput.deallocate()
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// The Int64 path (any width; `saturateEachStep` in canonical order) for
  /// the samples `images`.
  static func convolveWide(
    _ x: UnsafeMutablePointer<Int64>, _ g: ConvGeometry, groups: Int,
    outChannels: Int,
    weights: [Int64], k: Int, bias: [Int64]?, acc: QFormat,
    policy: AccumulatorPolicy,
    requantization: Requantization, images: Range<Int>,
    accumulators: UnsafeMutablePointer<Int64>?,
    output: UnsafeMutablePointer<Int64>, events: inout AccumulatorEvents,
    outputEvents: inout OverflowCounts
  ) {
    let groupIn = g.channels / groups
    let groupOut = outChannels / groups
    let plane = g.outputPlane
    var col = [Int64](repeating: 0, count: g.isPointwise ? 0 : k * plane)
    var block = [Int64](repeating: 0, count: groupOut * plane)
    weights.withUnsafeBufferPointer { wb in
      col.withUnsafeMutableBufferPointer { cb in
        block.withUnsafeMutableBufferPointer { bb in
          let bp = bb.baseAddress.unsafelyUnwrapped
          for n in images {
            for group in 0..<groups {
              let source =
                x + (n &* g.channels &+ group &* groupIn) &* g.inputPlane
              let matrix: UnsafePointer<Int64>
              if g.isPointwise {
                matrix = UnsafePointer(source)
              } else {
                let cp = cb.baseAddress.unsafelyUnwrapped
                im2col(source, channels: groupIn, g, into: cp)
                matrix = UnsafePointer(cp)
              }
              let w = wb.baseAddress.unsafelyUnwrapped + group &* groupOut &* k
              let outBase = (n &* outChannels &+ group &* groupOut) &* plane
              // Initial values: the bias (on the accumulator grid).
              for row in 0..<groupOut {
                let b = bias?[group &* groupOut &+ row] ?? 0
                (bp + row &* plane).update(repeating: b, count: plane)
              }
              if policy == .saturateEachStep {
                gemmSaturatingEachStep(
                  w, matrix, bb, base: 0, m: groupOut, k: k, p: plane, acc: acc,
                  events: &events)
                accumulators?.advanced(by: outBase).update(
                  from: bp, count: groupOut * plane)
                outputEvents.merge(
                  requantization.apply(
                    bp, into: output + outBase,
                    count: groupOut * plane,
                    first: outBase))
              } else {
                gemm(w, matrix, bp, m: groupOut, k: k, p: plane)
                // The block's sums become its accumulators in place when
                // they are not kept.
                finishBlock(
                  rows: groupOut, columns: plane,
                  accumulators: accumulators.map { $0 + outBase } ?? bp,
                  store: accumulators != nil,
                  output: output + outBase, first: outBase, acc: acc,
                  policy: policy,
                  requantization: requantization, events: &events,
                  outputEvents: &outputEvents,
                  bias: { _ in 0 }, sum: { row, q in bp[row &* plane &+ q] })
              }
            }
          }
        }
      }
    }
  }

  /// A (batched, broadcast) matrix product A · B with initial values
  /// `initial` (the broadcast bias, or zeros): the accumulators and their
  /// requantization.
  ///
  /// With `dot` (B constant, laid out as rows of Bᵀ), a plain 2-D product
  /// runs the Int16 kernels over slices of A's rows.
  static func matMul(
    a: [Int64], b: [Int64], plan: MatMulPlan, initial: [Int64],
    dot: DotWeights?, acc: QFormat,
    policy: AccumulatorPolicy, requantization: Requantization, concurrency: Int
  ) -> (
    accumulators: [Int64], raws: [Int64], events: AccumulatorEvents,
    output: OverflowCounts
  ) {
    let total = plan.outputCount
    var events = AccumulatorEvents()
    var outputEvents = OverflowCounts()
    var accumulators = [Int64](repeating: 0, count: total)
    var raws = [Int64](repeating: 0, count: total)
    if let dot, policy != .saturateEachStep, plan.batchCount == 1,
      dot.rows == plan.n,
      dot.depth == plan.k
    {
      let (m, n, k, stride) = (plan.m, plan.n, plan.k, dot.stride)
      a.withUnsafeBufferPointer { ab in
        initial.withUnsafeBufferPointer { ib in
          accumulators.withUnsafeMutableBufferPointer { accumulatorBuffer in
            raws.withUnsafeMutableBufferPointer { rawBuffer in
              guard let ap = ab.baseAddress, let ip = ib.baseAddress,
                let accumulatorBase = accumulatorBuffer.baseAddress,
                let rawBase = rawBuffer.baseAddress
              else { return }
              let shared = (
                SharedBuffer(UnsafeMutablePointer(mutating: ap)),
                SharedBuffer(UnsafeMutablePointer(mutating: ip)),
                SharedBuffer(accumulatorBase),
                SharedBuffer(rawBase)
              )
              let pieces = Parallel.slices(
                m, concurrency: concurrency, minimumPerSlice: 16
              ) {
                range -> (AccumulatorEvents, OverflowCounts) in
                var events = AccumulatorEvents()
                var outputEvents = OverflowCounts()
                var rows = [Int16](repeating: 0, count: range.count * stride)
                var sums = [Int32](repeating: 0, count: range.count * n)
                rows.withUnsafeMutableBufferPointer { rb in
                  sums.withUnsafeMutableBufferPointer { sb in
                    dot.values.withUnsafeBufferPointer { wb in
                      let rp = rb.baseAddress.unsafelyUnwrapped
                      let sp = sb.baseAddress.unsafelyUnwrapped
                      for (local, row) in range.enumerated() {
                        let from = shared.0.base + row &* k
                        let to = rp + local &* stride
                        for kk in 0..<k {
                          to[kk] = Int16(truncatingIfNeeded: from[kk])
                        }
                      }
                      Self.dot(
                        wb.baseAddress.unsafelyUnwrapped, rows: n, rp,
                        columns: range.count,
                        stride: stride, into: sp, rowStride: 1, columnStride: n)
                      let first = range.lowerBound &* n
                      let initialValues = shared.1.base + first
                      finishBlock(
                        rows: 1, columns: range.count &* n,
                        accumulators: shared.2.base + first,
                        output: shared.3.base + first, first: first, acc: acc,
                        policy: policy,
                        requantization: requantization, events: &events,
                        outputEvents: &outputEvents, bias: { _ in 0 },
                        sum: { _, q in initialValues[q] &+ Int64(sp[q]) })
                    }
                  }
                }
                return (events, outputEvents)
              }
              for (e, o) in pieces {
                events.merge(e)
                outputEvents.merge(o)
              }
            }
          }
        }
      }
      return (accumulators, raws, events, outputEvents)
    }
    let block = plan.m * plan.n
    accumulators = initial
    accumulators.withUnsafeMutableBufferPointer { output in
      let o = output.baseAddress.unsafelyUnwrapped
      for batch in 0..<plan.batchCount {
        let oBase = batch * block
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            let ap = pa.baseAddress.unsafelyUnwrapped + plan.aOffsets[batch]
            let bp = pb.baseAddress.unsafelyUnwrapped + plan.bOffsets[batch]
            if policy == .saturateEachStep {
              gemmSaturatingEachStep(
                ap, bp, output, base: oBase, m: plan.m, k: plan.k, p: plan.n,
                acc: acc,
                events: &events)
            } else {
              gemm(ap, bp, o + oBase, m: plan.m, k: plan.k, p: plan.n)
            }
          }
        }
      }
      if policy != .saturateEachStep {
        events.merge(finalize(output, acc, policy))
      }
    }
    accumulators.withUnsafeBufferPointer { source in
      raws.withUnsafeMutableBufferPointer { target in
        guard let s = source.baseAddress, let t = target.baseAddress else {
          return
        }
        outputEvents = requantization.apply(s, into: t, count: total, first: 0)
      }
    }
    return (accumulators, raws, events, outputEvents)
  }
}
