import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import PrecisionModel
import TestSupport
import Testing

/// Randomised differential tests (FIXED_POINT.md §10): the executor's kernels
/// against slow, obviously correct loops built from the scalar functions of
/// FixedPointArithmetic, on random formats (fl < 0 and fl > B included), every
/// rounding mode and overflow policy.
///
/// Raw arrays and overflow counts must match exactly.
@Suite struct DifferentialKernelTests {
  struct Draw {
    var rng: SplitMix64
    mutating func int(_ range: ClosedRange<Int>) -> Int {
      Int.random(in: range, using: &rng)
    }
    mutating func bool() -> Bool { Bool.random(using: &rng) }
    mutating func pick<T>(_ values: [T]) -> T {
      values[int(0...(values.count - 1))]
    }
    /// A format with B in [2, 12] and fl in [−4, B + 4].
    mutating func format() throws -> QFormat {
      let bits = int(2...12)
      return try QFormat(bits: bits, fractionalLength: int(-4...(bits + 4)))
    }
    mutating func raws(_ count: Int, _ format: QFormat) -> [Int64] {
      (0..<count).map { _ in
        Int64.random(in: format.rawMin...format.rawMax, using: &rng)
      }
    }
  }

  static func floats(_ raws: [Int64], _ format: QFormat) -> [Float] {
    raws.map { Float(FixedPoint.dequantize($0, from: format)) }
  }

  static func spec(_ format: QFormat) -> FormatSpec {
    FormatSpec(bits: format.bits, fractionalLength: format.fractionalLength)
  }

  static func raws(_ value: TensorValue?) -> [Int64] {
    if case .fixed(let tensor)? = value { return tensor.raws }
    return []
  }

  static let seed: UInt64 = 99

  /// x · c (one factor per channel) → m, then x + m → a: the start of the
  /// element-wise tests, which append the nodes that read `a`.
  static func scaledResidual(shape: [Int], c: [Float]) throws -> Network {
    var net = Network(name: "e", inputs: [GraphInput(name: "x", shape: shape)])
    try net.addInitializer(
      Tensor(name: "c", shape: TensorShape([shape[1], 1, 1]), values: c))
    net.nodes = [
      Node(name: "mul", op: .mul, inputs: ["x", "c"], outputs: ["m"]),
      Node(name: "add", op: .add, inputs: ["x", "m"], outputs: ["a"]),
    ]
    return net
  }

  // MARK: Convolution

  @Test(arguments: 0..<105)
  func convolution(index: Int) throws {
    var d = Draw(rng: SplitMix64(seed: 1000 + UInt64(index)))
    let x = try d.format()
    let w = try d.format()
    let y = try d.format()
    // Groups of one input channel (depthwise, or a one-channel image) take
    // their own kernel; widths past 8 give it more than one vector a row.
    // Cases 60 to 89 are all such layers with a 3 × 3 window and unit
    // strides, which has a kernel of its own again; cases from 90 on are
    // 1 × 1 windows over groups of 8 or 16 channels, whose channels-last
    // image is their receptive rows.
    let threeByThree = (60..<90).contains(index)
    let pointwise = index >= 90
    let groups =
      threeByThree
      ? d.int(1...4) : pointwise ? d.int(1...2) : d.pick([1, 2, 3])
    let cin =
      threeByThree
      ? groups : groups * (pointwise ? d.pick([8, 16]) : d.int(1...2))
    let cout = groups * d.int(1...3)
    let (h, wd) = (d.int(3...5), d.int(3...11))
    let (kh, kw) =
      threeByThree ? (3, 3) : pointwise ? (1, 1) : (d.int(1...3), d.int(1...4))
    let stride = threeByThree || pointwise ? 1 : d.int(1...2)
    let dilation = threeByThree || pointwise ? 1 : d.int(1...2)
    let pads =
      pointwise
      ? [0, 0, 0, 0] : [d.int(0...1), d.int(0...1), d.int(0...1), d.int(0...1)]
    let batch = d.int(1...2)
    let policy = d.pick(AccumulatorPolicy.allCases)
    let rounding = d.pick(RoundingMode.allCases)
    let overflow = d.pick(OverflowPolicy.allCases)
    let k = (cin / groups) * kh * kw
    let accumulatorBits = d.int(
      max(2, x.bits + w.bits - 6)...(x.bits + w.bits + 4))
    let accumulator = try QFormat.accumulator(
      bits: accumulatorBits,
      fractionalLength: x.fractionalLength + w.fractionalLength)
    let xRaw = d.raws(batch * cin * h * wd, x)
    let wRaw = d.raws(cout * k, w)
    let biasFormat = try QFormat.accumulator(
      bits: 20, fractionalLength: accumulator.fractionalLength)
    let bStored = d.raws(cout, biasFormat)
    // The bias is quantized to the accumulator grid with saturation (§5).
    let bRaw = bStored.map {
      min(max($0, accumulator.rawMin), accumulator.rawMax)
    }
    let attributes = ConvAttributes(
      group: groups, strides: [stride, stride], pads: pads,
      dilations: [dilation, dilation])
    let effH = dilation * (kh - 1) + 1
    let effW = dilation * (kw - 1) + 1
    guard h + pads[0] + pads[2] >= effH, wd + pads[1] + pads[3] >= effW else {
      return
    }
    var net = Network(
      name: "c", inputs: [GraphInput(name: "x", shape: [batch, cin, h, wd])])
    try net.addInitializer(
      Tensor(
        name: "w", shape: TensorShape([cout, cin / groups, kh, kw]),
        values: Self.floats(wRaw, w)))
    try net.addInitializer(
      Tensor(
        name: "b", shape: TensorShape([cout]),
        values: Self.floats(bStored, accumulator)))
    net.nodes = [
      Node(
        name: "conv", op: .conv(attributes), inputs: ["x", "w", "b"],
        outputs: ["y"])
    ]
    net.outputs = ["y"]
    let plan = PrecisionPlan(
      input: Self.spec(x),
      defaults: LayerPrecision(
        weight: Self.spec(w), bias: .accumulator, activation: Self.spec(y),
        accumulator: AccumulatorSpec(bits: accumulatorBits, policy: policy),
        rounding: rounding,
        overflow: overflow),
      seed: Self.seed)
    let executor = try FixedPointExecutor(
      network: net, plan: plan, concurrency: 2)
    let input = try FloatTensor(
      shape: [batch, cin, h, wd], values: Self.floats(xRaw, x))
    let run = try executor.run(input: input)
    // An outputs-only run keeps no accumulators: its epilogue takes the
    // paths that never write them.
    let outputsOnly = try executor.run(input: input, retaining: .outputs)

    // The slow reference.
    let oh = (h + pads[0] + pads[2] - effH) / stride + 1
    let ow = (wd + pads[1] + pads[3] - effW) / stride + 1
    var expected: [Int64] = []
    var accEvents = OverflowCounts()
    var stepEvents = OverflowCounts()
    var outEvents = OverflowCounts()
    let stream = StochasticStream(seed: Self.seed, tensorName: "y")
    let shift = accumulator.fractionalLength - y.fractionalLength
    for n in 0..<batch {
      for m in 0..<cout {
        let g = m / (cout / groups)
        for oy in 0..<oh {
          for ox in 0..<ow {
            var exact = Int128(bRaw[m])
            var running = bRaw[m]
            var first = OverflowEvent.none
            for ci in 0..<(cin / groups) {
              for i in 0..<kh {
                for j in 0..<kw {
                  let yy = oy * stride - pads[0] + i * dilation
                  let xx = ox * stride - pads[1] + j * dilation
                  var value: Int64 = 0
                  if yy >= 0, yy < h, xx >= 0, xx < wd {
                    value =
                      xRaw[
                        ((n * cin + g * (cin / groups) + ci) * h + yy) * wd + xx
                      ]
                  }
                  let product =
                    wRaw[(m * (cin / groups) + ci) * kh * kw + i * kw + j]
                    * value
                  exact += Int128(product)
                  let (next, event) = FixedPoint.accumulateSaturating(
                    running, adding: product, in: accumulator)
                  running = next
                  if event.occurred {
                    stepEvents.record(event)
                    if first == .none { first = event }
                  }
                }
              }
            }
            let acc: Int64
            if policy == .saturateEachStep {
              acc = running
              accEvents.record(first)
            } else {
              let (value, event) = FixedPoint.finalizeAccumulator(
                Int64(exact), in: accumulator, policy: policy)
              acc = value
              accEvents.record(event)
            }
            let flat = expected.count
            let (z, event) = FixedPoint.requantize(
              acc, shift: shift, to: y, rounding: rounding, overflow: overflow,
              sample: stream.sample(at: flat))
            outEvents.record(event)
            expected.append(z)
          }
        }
      }
    }
    let label =
      "case \(index): x \(x) w \(w) y \(y) A \(accumulatorBits) \(policy) \(rounding) \(overflow)"
    #expect(Self.raws(run.tensors["y"]) == expected, "\(label)")
    #expect(run.events["conv"]?.output == outEvents, "\(label)")
    #expect(run.events["conv"]?.accumulator.elements == accEvents, "\(label)")
    if policy == .saturateEachStep {
      #expect(run.events["conv"]?.accumulator.steps == stepEvents, "\(label)")
    }
    #expect(Self.raws(outputsOnly.outputs.first) == expected, "\(label)")
    #expect(outputsOnly.events == run.events, "\(label)")
  }

  // MARK: Matrix product

  @Test(arguments: 0..<40)
  func gemm(index: Int) throws {
    var d = Draw(rng: SplitMix64(seed: 2000 + UInt64(index)))
    let (x, w, y) = try (d.format(), d.format(), d.format())
    let (m, k, n) = (d.int(1...4), d.int(1...9), d.int(1...5))
    let transB = d.bool()
    let policy = d.pick(AccumulatorPolicy.allCases)
    let rounding = d.pick(RoundingMode.allCases)
    let overflow = d.pick(OverflowPolicy.allCases)
    let bits = d.int(max(2, x.bits + w.bits - 6)...(x.bits + w.bits + 4))
    let accumulator = try QFormat.accumulator(
      bits: bits, fractionalLength: x.fractionalLength + w.fractionalLength)
    let xRaw = d.raws(m * k, x)
    let wRaw = d.raws(k * n, w)  // logical [K, N]
    let bStored = d.raws(
      n,
      try QFormat.accumulator(
        bits: 16, fractionalLength: accumulator.fractionalLength))
    let bRaw = bStored.map {
      min(max($0, accumulator.rawMin), accumulator.rawMax)
    }
    var stored = wRaw
    if transB {
      stored = (0..<(n * k)).map { wRaw[($0 % k) * n + $0 / k] }
    }
    var net = Network(
      name: "g", inputs: [GraphInput(name: "x", shape: [m, k])])
    try net.addInitializer(
      Tensor(
        name: "w", shape: TensorShape(transB ? [n, k] : [k, n]),
        values: Self.floats(stored, w)))
    try net.addInitializer(
      Tensor(
        name: "b", shape: TensorShape([n]),
        values: Self.floats(bStored, accumulator)))
    net.nodes = [
      Node(
        name: "fc", op: .gemm(GemmAttributes(transB: transB)),
        inputs: ["x", "w", "b"], outputs: ["y"])
    ]
    net.outputs = ["y"]
    let plan = PrecisionPlan(
      input: Self.spec(x),
      defaults: LayerPrecision(
        weight: Self.spec(w), bias: .accumulator, activation: Self.spec(y),
        accumulator: AccumulatorSpec(bits: bits, policy: policy),
        rounding: rounding, overflow: overflow),
      seed: Self.seed)
    let run = try FixedPointExecutor(network: net, plan: plan, concurrency: 1)
      .run(
        input: FloatTensor(shape: [m, k], values: Self.floats(xRaw, x)))
    var expected: [Int64] = []
    var events = OverflowCounts()
    var accEvents = OverflowCounts()
    let stream = StochasticStream(seed: Self.seed, tensorName: "y")
    for i in 0..<m {
      for j in 0..<n {
        var exact = Int128(bRaw[j])
        var running = bRaw[j]
        var first = OverflowEvent.none
        for kk in 0..<k {
          let p = xRaw[i * k + kk] * wRaw[kk * n + j]
          exact += Int128(p)
          let (next, event) = FixedPoint.accumulateSaturating(
            running, adding: p, in: accumulator)
          running = next
          if first == .none { first = event }
        }
        let acc: Int64
        if policy == .saturateEachStep {
          acc = running
          accEvents.record(first)
        } else {
          let r = FixedPoint.finalizeAccumulator(
            Int64(exact), in: accumulator, policy: policy)
          acc = r.value
          accEvents.record(r.event)
        }
        let (z, event) = FixedPoint.requantize(
          acc, fromFractionalLength: accumulator.fractionalLength, to: y,
          rounding: rounding,
          overflow: overflow, sample: stream.sample(at: expected.count))
        events.record(event)
        expected.append(z)
      }
    }
    let label =
      "case \(index): \(x) \(w) \(y) A \(bits) \(policy) \(rounding) \(overflow)"
    #expect(Self.raws(run.tensors["y"]) == expected, "\(label)")
    #expect(run.events["fc"]?.output == events, "\(label)")
    #expect(run.events["fc"]?.accumulator.elements == accEvents, "\(label)")
  }

  // MARK: Element-wise, pooling, concat

  @Test(arguments: 0..<60)
  func addMultiplyPoolConcat(index: Int) throws {
    var d = Draw(rng: SplitMix64(seed: 3000 + UInt64(index)))
    let (x, c, y, y2) = try (d.format(), d.format(), d.format(), d.format())
    let rounding = d.pick(RoundingMode.allCases)
    let overflow = d.pick(OverflowPolicy.allCases)
    let alignment = d.pick(ResidualAlignment.allCases)
    let includePad = d.bool()
    let division: AveragePoolDivision =
      d.bool() ? .exact : .reciprocal(shift: d.int(4...20))
    let shape = [d.int(1...2), d.int(1...3), d.int(2...4), d.int(2...4)]
    let count = shape.reduce(1, *)
    let xRaw = d.raws(count, x)
    let cRaw = d.raws(shape[1], c)
    var net = try Self.scaledResidual(shape: shape, c: Self.floats(cRaw, c))
    let pool = PoolAttributes(
      kernelShape: [2, 2], strides: [1, 2], pads: [1, 0, 0, 1],
      countIncludePad: includePad)
    net.nodes += [
      Node(name: "avg", op: .averagePool(pool), inputs: ["a"], outputs: ["p"]),
      Node(name: "max", op: .maxPool(pool), inputs: ["a"], outputs: ["q"]),
      Node(
        name: "cat", op: .concat(axis: 1), inputs: ["p", "q"], outputs: ["z"]),
    ]
    net.outputs = ["z"]
    var plan = PrecisionPlan(
      input: Self.spec(x),
      defaults: LayerPrecision(
        weight: Self.spec(c), bias: .accumulator, activation: Self.spec(y),
        rounding: rounding, overflow: overflow, residual: alignment,
        pooling: division),
      seed: Self.seed)
    plan.setEntry(LayerPrecision(activation: Self.spec(y2)), for: "mul")
    plan.setEntry(LayerPrecision(activation: Self.spec(y2)), for: "cat")
    let executor = try FixedPointExecutor(
      network: net, plan: plan, concurrency: 2)
    let run = try executor.run(
      input: FloatTensor(shape: shape, values: Self.floats(xRaw, x)))
    let label =
      "case \(index): x \(x) c \(c) y \(y) y2 \(y2) \(rounding) \(overflow) \(alignment) \(division) pad \(includePad)"

    // Mul: exact product at fl_x + fl_c, one rounding.
    let inner = shape[2] * shape[3]
    let mStream = StochasticStream(seed: Self.seed, tensorName: "m")
    var mRaw: [Int64] = []
    var mEvents = OverflowCounts()
    for i in 0..<count {
      let r = FixedPoint.multiplyElementwise(
        xRaw[i], fractionalLength: x.fractionalLength,
        cRaw[(i / inner) % shape[1]],
        fractionalLength: c.fractionalLength, to: y2, rounding: rounding,
        overflow: overflow,
        sample: mStream.sample(at: i))
      mRaw.append(r.value)
      mEvents.record(r.event)
    }
    #expect(Self.raws(run.tensors["m"]) == mRaw, "\(label)")
    #expect(run.events["mul"]?.output == mEvents, "\(label)")

    // Add.
    let aStream = StochasticStream(seed: Self.seed, tensorName: "a")
    var aRaw: [Int64] = []
    var aEvents = OverflowCounts()
    var aInputEvents = OverflowCounts()
    for i in 0..<count {
      let r = try FixedPoint.addResidual(
        xRaw[i], fractionalLength: x.fractionalLength, mRaw[i],
        fractionalLength: y2.fractionalLength,
        to: y, rounding: rounding, overflow: overflow, alignment: alignment,
        sample: aStream.sample(at: i))
      aRaw.append(r.value)
      aEvents.record(r.event)
      aInputEvents.record(r.firstInputEvent)
      aInputEvents.record(r.secondInputEvent)
    }
    #expect(Self.raws(run.tensors["a"]) == aRaw, "\(label)")
    #expect(run.events["add"]?.output == aEvents, "\(label)")
    #expect(run.events["add"]?.inputs == aInputEvents, "\(label)")

    // Pools: window 2×2, strides (1, 2), pads top 1, right 1.
    let (h, w) = (shape[2], shape[3])
    let oh = (h + 1 - 2) / 1 + 1
    let ow = (w + 1 - 2) / 2 + 1
    let pStream = StochasticStream(seed: Self.seed, tensorName: "p")
    var pRaw: [Int64] = []
    var qRaw: [Int64] = []
    var pEvents = OverflowCounts()
    for plane in 0..<(shape[0] * shape[1]) {
      for oy in 0..<oh {
        for ox in 0..<ow {
          var sum: Int64 = 0
          var top = Int64.min
          var counted = 0
          var padded = 0
          for i in 0..<2 {
            for j in 0..<2 {
              let yy = oy - 1 + i
              let xx = ox * 2 + j
              if yy >= 0, yy < h, xx >= 0, xx < w {
                let v = aRaw[plane * h * w + yy * w + xx]
                sum += v
                top = max(top, v)
                counted += 1
              } else if yy >= -1, yy < h, xx >= 0, xx < w + 1 {
                padded += 1
              }
            }
          }
          let r = try FixedPoint.averagePool(
            sum: sum, count: includePad ? counted + padded : counted,
            fractionalLength: y.fractionalLength, to: y, rounding: rounding,
            overflow: overflow,
            division: division, sample: pStream.sample(at: pRaw.count))
          pRaw.append(r.value)
          pEvents.record(r.event)
          qRaw.append(top)
        }
      }
    }
    #expect(Self.raws(run.tensors["p"]) == pRaw, "\(label)")
    #expect(run.events["avg"]?.output == pEvents, "\(label)")
    #expect(Self.raws(run.tensors["q"]) == qRaw, "\(label)")

    // Concat: each input requantized to y2 at its output position.
    let zStream = StochasticStream(seed: Self.seed, tensorName: "z")
    var zRaw: [Int64] = []
    var zEvents = OverflowCounts()
    let block = shape[1] * oh * ow
    for n in 0..<shape[0] {
      for source in [pRaw, qRaw] {
        for v in source[(n * block)..<((n + 1) * block)] {
          let r = FixedPoint.requantize(
            v, fromFractionalLength: y.fractionalLength, to: y2,
            rounding: rounding,
            overflow: overflow, sample: zStream.sample(at: zRaw.count))
          zRaw.append(r.value)
          zEvents.record(r.event)
        }
      }
    }
    #expect(Self.raws(run.tensors["z"]) == zRaw, "\(label)")
    #expect(run.events["cat"]?.inputs == zEvents, "\(label)")
  }

  /// Add aligned up and the ReLU after it: the one-pass Int32 kernel of
  /// outputs-only runs (and the Relu it absorbs) against `addResidual`.
  @Test(arguments: 0..<40)
  func residualAddThenRelu(index: Int) throws {
    var d = Draw(rng: SplitMix64(seed: 4000 + UInt64(index)))
    let (x, c, y, y2) = try (d.format(), d.format(), d.format(), d.format())
    // Mostly the kernel's case (halfUp or floor, saturating), sometimes not;
    // deterministic modes only, as stochastic rounding before a ReLU
    // rectifies the sum first (§5), which `addResidual` does not model.
    let rounding =
      d.int(0...3) == 0
      ? d.pick(RoundingMode.allCases.filter { $0 != .stochastic })
      : d.pick([.halfUp, .floor])
    let overflow: OverflowPolicy =
      d.int(0...3) == 0 ? d.pick(OverflowPolicy.allCases) : .saturate
    // Counts that are and are not multiples of eight lanes.
    let shape = [d.int(1...3), d.int(1...3), d.int(1...5), d.int(2...5)]
    let count = shape.reduce(1, *)
    let xRaw = d.raws(count, x)
    let cRaw = d.raws(shape[1], c)
    var net = try Self.scaledResidual(shape: shape, c: Self.floats(cRaw, c))
    net.nodes.append(
      Node(name: "relu", op: .relu, inputs: ["a"], outputs: ["r"]))
    net.outputs = ["r"]
    var plan = PrecisionPlan(
      input: Self.spec(x),
      defaults: LayerPrecision(
        weight: Self.spec(c), bias: .accumulator, activation: Self.spec(y),
        rounding: rounding, overflow: overflow, residual: .alignUp),
      seed: Self.seed)
    plan.setEntry(LayerPrecision(activation: Self.spec(y2)), for: "mul")
    let executor = try FixedPointExecutor(
      network: net, plan: plan, concurrency: 2)
    let input = try FloatTensor(shape: shape, values: Self.floats(xRaw, x))
    let retained = try executor.run(input: input, keepWide: true)
    let outputsOnly = try executor.run(input: input, retaining: .outputs)
    let label =
      "case \(index): x \(x) c \(c) y \(y) y2 \(y2) \(rounding) \(overflow)"

    let mRaw = Self.raws(retained.tensors["m"])
    let aStream = StochasticStream(seed: Self.seed, tensorName: "a")
    var expected: [Int64] = []
    var events = OverflowCounts()
    for i in 0..<count {
      let r = try FixedPoint.addResidual(
        xRaw[i], fractionalLength: x.fractionalLength, mRaw[i],
        fractionalLength: y2.fractionalLength, to: y, rounding: rounding,
        overflow: overflow, alignment: .alignUp,
        sample: aStream.sample(at: i))
      expected.append(max(r.value, 0))
      events.record(r.event)
    }
    #expect(Self.raws(retained.tensors["r"]) == expected, "\(label)")
    #expect(retained.events["add"]?.output == events, "\(label)")
    #expect(Self.raws(outputsOnly.outputs.first) == expected, "\(label)")
    #expect(outputsOnly.events == retained.events, "\(label)")
  }

  @Test func batchSplitDoesNotChangeStochasticResults() throws {
    // §7: counter-based samples make results independent of the split.
    var d = Draw(rng: SplitMix64(seed: 77))
    let x = try QFormat(bits: 8, fractionalLength: 6)
    let xRaw = d.raws(64 * 4, x)
    var net = Network(
      name: "s", inputs: [GraphInput(name: "x", shape: [64, 4])])
    try net.addInitializer(
      Tensor(
        name: "w", shape: TensorShape([4, 3]),
        values: [
          0.3, -0.7, 0.2, 0.9, 0.1, -0.4, 0.5, 0.5, -0.25, 0.125, 0.6, -0.8,
        ]))
    net.nodes = [
      Node(
        name: "fc", op: .gemm(GemmAttributes()), inputs: ["x", "w"],
        outputs: ["y"])
    ]
    net.outputs = ["y"]
    var plan = PrecisionPlan.uniform(
      bits: 8, inputFractionalLength: 6, weightFractionalLength: 7,
      activationFractionalLength: 5)
    plan.defaults.rounding = .stochastic
    plan.seed = 12345
    let input = try FloatTensor(shape: [64, 4], values: Self.floats(xRaw, x))
    let one = try FixedPointExecutor(network: net, plan: plan, concurrency: 1)
      .run(input: input)
    let many = try FixedPointExecutor(network: net, plan: plan, concurrency: 7)
      .run(input: input)
    #expect(Self.raws(one.tensors["y"]) == Self.raws(many.tensors["y"]))
    #expect(one.events["fc"] == many.events["fc"])
  }
}
