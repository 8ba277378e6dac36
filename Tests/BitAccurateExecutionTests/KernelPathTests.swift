import BitAccurateExecution
import CKernels
import PrecisionModel
import TestSupport
import Testing

/// Every path of the C kernels (portable, and AVX2 and AVX-512 where this
/// CPU has them) against exact Swift references: Int16 dot products against
/// Int128 sums, Float32 products against the executor's scalar loop
/// (bit patterns), and whole executor runs against the portable path's.
///
/// Serialized: the executor tests select a path for the whole process.
@Suite(.serialized) struct KernelPathTests {
  static let paths = KernelPath.supported.map { ($0.rawValue, $0) }

  static func c(_ path: KernelPath) -> EdgeSimKernels {
    switch path {
    case .portable: EdgeSimKernelsPortable
    case .avx2: EdgeSimKernelsAVX2
    case .avx512: EdgeSimKernelsAVX512
    }
  }

  /// Σ w[r][k] · x[q][k], exactly, reduced to Int32 the two's-complement
  /// way (the kernels' contract: wrapping Int32 sums, which equal the exact
  /// sum whenever it fits).
  static func reference(
    _ w: [Int16], rows: Int, _ x: [Int16], columns: Int, stride: Int
  ) -> [[Int32]] {
    (0..<columns).map { q in
      (0..<rows).map { r in
        var sum: Int128 = 0
        for k in 0..<stride {
          sum += Int128(w[r * stride + k]) * Int128(x[q * stride + k])
        }
        return Int32(truncatingIfNeeded: sum)
      }
    }
  }

  /// Random shapes around every vector width and remainder (K padded to 8
  /// lanes: 8 … 104; rows and columns around the 4 × 2 blocks and the
  /// 16-column blocks), in both
  /// output layouts; values either in the §5 Int32 bound (exact sums) or
  /// the whole Int16 range (sums that wrap).
  @Test(arguments: paths)
  func dotMatchesInt128(name: String, path: KernelPath) {
    var rng = SplitMix64(seed: 19)
    for trial in 0..<400 {
      let rows = Int.random(in: 1...13, using: &rng)
      let columns = Int.random(in: 1...40, using: &rng)
      let stride = 8 * Int.random(in: 1...13, using: &rng)
      let full = trial % 4 == 0
      let bound: Int16 = full ? .max : 127
      func draw(_ count: Int) -> [Int16] {
        (0..<count).map { _ in
          trial % 17 == 0
            ? (Bool.random(using: &rng) ? .min : .max)
            : Int16.random(in: (full ? .min : -bound)...bound, using: &rng)
        }
      }
      let w = draw(rows * stride)
      let x = draw(columns * stride)
      let expected = Self.reference(
        w, rows: rows, x, columns: columns, stride: stride)
      let rowMajor = trial % 2 == 0
      var out = [Int32](repeating: -1, count: rows * columns)
      out.withUnsafeMutableBufferPointer { o in
        edgesim_dot_i16_on(
          Self.c(path), w, rows, x, columns, stride, o.baseAddress,
          rowMajor ? columns : 1, rowMajor ? 1 : rows)
      }
      for q in 0..<columns {
        for r in 0..<rows {
          let got = out[rowMajor ? r * columns + q : q * rows + r]
          if got != expected[q][r] {
            Issue.record(
              "\(name) trial \(trial) (\(rows)×\(columns), K \(stride)) [\(r)][\(q)]: \(got) ≠ \(expected[q][r])"
            )
            return
          }
        }
      }
    }
  }

  /// The Int8 dot products (`edgesim_dot_i8`: `vpdpbusd` on x + 128, less
  /// 128 · Σ w, on AVX-512) against Int128 sums on every path: K of 1 …
  /// 1,200 (true K not a multiple of 4, across the kernel's 512-lane blocks),
  /// lanes after K holding any Int16 (zero weights there), columns around
  /// the 16- and 32-column blocks, rows around the 6-row tiles; raws of
  /// −128 and 127 often, and whole rows of −128 weights.
  @Test(arguments: paths)
  func dotI8MatchesInt128(name: String, path: KernelPath) {
    var rng = SplitMix64(seed: 1908)
    for trial in 0..<300 {
      let rows = Int.random(in: 1...14, using: &rng)
      let columns = Int.random(in: 1...70, using: &rng)
      let depth = Int.random(
        in: trial % 5 == 0 ? 500...1200 : 1...100, using: &rng)
      let stride = (depth + 7) & ~7
      let extreme = trial % 7 == 0
      func draw() -> Int8 {
        extreme
          ? (Bool.random(using: &rng) ? .min : .max)
          : Int8.random(in: .min ... .max, using: &rng)
      }
      var w = [Int8](repeating: 0, count: rows * stride)
      var x = [Int16](repeating: 0, count: columns * stride)
      for r in 0..<rows {
        for k in 0..<depth { w[r * stride + k] = draw() }
      }
      for q in 0..<columns {
        for k in 0..<stride {
          // Past K the weights are zero and the input any Int16.
          x[q * stride + k] =
            k < depth
            ? Int16(draw()) : Int16.random(in: .min ... .max, using: &rng)
        }
      }
      if trial % 11 == 3 {
        // Whole rows of −128: the largest sums the offset trick meets.
        for r in 0..<rows {
          for k in 0..<depth { w[r * stride + k] = .min }
        }
      }
      let sums = (0..<rows).map { r in
        (0..<stride).reduce(Int32(0)) { $0 &+ Int32(w[r * stride + $1]) }
      }
      let expected = Self.reference(
        w.map(Int16.init), rows: rows, x, columns: columns, stride: stride)
      var out = [Int32](repeating: -1, count: rows * columns)
      out.withUnsafeMutableBufferPointer { o in
        edgesim_dot_i8_on(
          Self.c(path), w, rows, sums, x, columns, stride, o.baseAddress,
          columns)
      }
      for q in 0..<columns {
        for r in 0..<rows where out[r * columns + q] != expected[q][r] {
          Issue.record(
            "\(name) trial \(trial) (\(rows)×\(columns), K \(depth)) [\(r)][\(q)]: \(out[r * columns + q]) ≠ \(expected[q][r])"
          )
          return
        }
      }
    }
  }

  /// Sums beyond Int32 (300,000 products of −128 · −128 or −128 · 127)
  /// wrap alike on the Int8 and the Int16 kernels and the Int128
  /// reference: the Int8 kernel is the Int16 kernel's function, exact or
  /// not.
  @Test(arguments: paths)
  func dotI8WrapsLikeInt16(name: String, path: KernelPath) {
    let (rows, columns, stride) = (2, 3, 300_000)
    let w = [Int8](repeating: .min, count: rows * stride)
    let x = (0..<(columns * stride)).map { Int16($0 % 5 == 0 ? 127 : -128) }
    let sums = (0..<rows).map { _ in Int32(stride) * -128 }
    let expected = Self.reference(
      w.map(Int16.init), rows: rows, x, columns: columns, stride: stride)
    // The true sums lie beyond Int32 (so these sums wrapped).
    let exact = (0..<stride).reduce(Int128(0)) {
      $0 + Int128(w[$1]) * Int128(x[$1])
    }
    #expect(exact > Int128(Int32.max))
    var narrow = [Int32](repeating: 0, count: rows * columns)
    var wide = narrow
    narrow.withUnsafeMutableBufferPointer { o in
      edgesim_dot_i8_on(
        Self.c(path), w, rows, sums, x, columns, stride, o.baseAddress, columns
      )
    }
    wide.withUnsafeMutableBufferPointer { o in
      edgesim_dot_i16_on(
        Self.c(path), w.map(Int16.init), rows, x, columns, stride,
        o.baseAddress, columns, 1)
    }
    #expect(narrow == wide, "\(name)")
    for q in 0..<columns {
      for r in 0..<rows {
        #expect(
          narrow[r * columns + q] == expected[q][r], "\(name) [\(r)][\(q)]")
      }
    }
  }

  /// out[i][j] += a[i][k] · b[k][j], k ascending, product rounded then
  /// added, as the float executor's loop did before CKernels.
  static func sgemmReference(
    _ a: [Float], m: Int, k: Int, _ b: [Float], n: Int, _ out: inout [Float]
  ) {
    for i in 0..<m {
      for kk in 0..<k {
        let av = a[i * k + kk]
        for j in 0..<n {
          let product = av * b[kk * n + j]
          out[i * n + j] = out[i * n + j] + product
        }
      }
    }
  }

  /// Random sizes around the 4-row and 8/16/32-column blocks and their
  /// tails, and a few across the 256-deep, 256-wide cache blocks, values of
  /// very different magnitudes (so the order of additions matters), signed
  /// zeros, subnormals, infinities and NaN: bit patterns equal.
  @Test(arguments: paths)
  func sgemmMatchesScalarLoop(name: String, path: KernelPath) {
    var rng = SplitMix64(seed: 1919)
    for trial in 0..<300 {
      let across = trial % 60 == 7
      let m = Int.random(in: 1...(across ? 6 : 11), using: &rng)
      let k = Int.random(in: across ? 250...530 : 1...40, using: &rng)
      let n = Int.random(in: across ? 250...560 : 1...75, using: &rng)
      func draw(_ count: Int) -> [Float] {
        Self.floats(count, specialsToo: trial % 5 == 0, &rng)
      }
      let a = draw(m * k)
      let b = draw(k * n)
      let start = draw(m * n)
      var expected = start
      Self.sgemmReference(a, m: m, k: k, b, n: n, &expected)
      var out = start
      out.withUnsafeMutableBufferPointer { o in
        edgesim_sgemm_accumulate_on(
          Self.c(path), a, m, k, b, n, o.baseAddress)
      }
      for index in out.indices
      where out[index].bitPattern != expected[index].bitPattern
        && !(out[index].isNaN && expected[index].isNaN)
      {
        Issue.record(
          "\(name) trial \(trial) (\(m)×\(k)×\(n)) [\(index)]: \(out[index]) ≠ \(expected[index])"
        )
        return
      }
    }
  }

  /// Floats of very different magnitudes (exponents −20…20), and with
  /// `specialsToo` about one in twenty a signed zero, a subnormal, an
  /// infinity, NaN or an extreme: the operands of the float kernels' tests.
  static func floats(
    _ count: Int, specialsToo: Bool, _ rng: inout SplitMix64
  ) -> [Float] {
    let specials: [Float] = [
      0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .infinity,
      -.infinity, .nan, .greatestFiniteMagnitude, 1e-30, -1e30,
    ]
    return (0..<count).map { _ in
      if specialsToo, Int.random(in: 0..<20, using: &rng) == 0 {
        return specials[Int.random(in: 0..<specials.count, using: &rng)]
      }
      let scale = Float(
        sign: .plus, exponent: Int.random(in: -20...20, using: &rng),
        significand: 1)
      return Float.random(in: -1...1, using: &rng) * scale
    }
  }

  /// The bounds the float kernels' fused clamp is tested with: none, ReLU,
  /// ReLU6, bounds that cross, and a clamp to −0.
  static let clamps: [(lower: Float, upper: Float)] = [
    (-.infinity, .infinity), (0, .infinity), (0, 6), (1, -1), (-0.0, -0.0),
  ]

  /// The packed GEMM with its bias and clamp against the scalar loop on
  /// rows filled with the bias, then Swift's `min(max(s, lower), upper)`:
  /// sizes around the 8 × 32 (AVX-512) and 6 × 16 (AVX2) tiles and their
  /// tails, across the 128-deep, 256-wide packed blocks, K of 0, values of
  /// very different magnitudes and specials: bit patterns equal.
  @Test(arguments: paths)
  func packedSgemmMatchesScalarLoop(name: String, path: KernelPath) {
    var rng = SplitMix64(seed: 1923)
    var panel = [Float](repeating: .nan, count: edgesim_sgemm_panel_floats())
    for trial in 0..<240 {
      let across = trial % 40 == 7
      let m = Int.random(in: 1...(across ? 19 : 27), using: &rng)
      let k = Int.random(in: across ? 120...300 : 0...40, using: &rng)
      let n = Int.random(in: across ? 250...560 : 1...75, using: &rng)
      func draw(_ count: Int) -> [Float] {
        Self.floats(count, specialsToo: trial % 5 == 0, &rng)
      }
      let a = draw(m * k)
      let b = draw(k * n)
      let bias: [Float]? = trial % 3 == 0 ? nil : draw(m)
      let clamp = Self.clamps[trial % Self.clamps.count]
      var expected = (0..<(m * n)).map { bias?[$0 / n] ?? 0 }
      Self.sgemmReference(a, m: m, k: k, b, n: n, &expected)
      expected = expected.map { min(max($0, clamp.lower), clamp.upper) }
      var out = [Float](repeating: .nan, count: m * n)
      out.withUnsafeMutableBufferPointer { o in
        panel.withUnsafeMutableBufferPointer { p in
          if let bias {
            edgesim_sgemm_bias_clamp_on(
              Self.c(path), a, m, k, b, n, bias, clamp.lower, clamp.upper,
              p.baseAddress, o.baseAddress)
          } else {
            edgesim_sgemm_bias_clamp_on(
              Self.c(path), a, m, k, b, n, nil, clamp.lower, clamp.upper,
              p.baseAddress, o.baseAddress)
          }
        }
      }
      for index in out.indices
      where out[index].bitPattern != expected[index].bitPattern
        && !(out[index].isNaN && expected[index].isNaN)
      {
        Issue.record(
          "\(name) trial \(trial) (\(m)×\(k)×\(n)) [\(index)]: \(out[index]) ≠ \(expected[index])"
        )
        return
      }
    }
  }

  /// The convolution that packs its im2col blocks straight from the input
  /// planes against `edgesim_im2col_f32` followed by the scalar loop on
  /// rows filled with the bias, then Swift's `min(max(s, lower), upper)`:
  /// random strides, dilations, pads (larger than the kernel too), planes
  /// whose rows are shorter and longer than a 32- or 16-column strip, every
  /// ninth trial across the 128-deep and 256-wide blocks, every seventh a
  /// window of more than the gathers' 64 taps, values of very different
  /// magnitudes and specials: bit patterns equal.
  @Test(arguments: paths)
  func convMatchesIm2colAndGemm(name: String, path: KernelPath) {
    var rng = SplitMix64(seed: 1929)
    var panel = [Float](repeating: .nan, count: edgesim_sgemm_panel_floats())
    for trial in 0..<240 {
      func draw(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &rng)
      }
      let across = trial % 9 == 4
      let wide = trial % 7 == 3
      let channels = across ? draw(10...20) : draw(1...4)
      let (height, width) =
        across ? (draw(14...24), draw(14...24)) : (draw(1...12), draw(1...40))
      let (kh, kw) =
        wide ? (draw(8...10), draw(8...10)) : (draw(1...5), draw(1...7))
      let (sy, sx, dy, dx) = (
        draw(1...3), draw(1...3), draw(1...2), draw(1...2)
      )
      let (top, left) = (draw(0...6), draw(0...6))
      let spanY = height + top + draw(0...3) - (kh - 1) * dy - 1
      let spanX = width + left + draw(0...3) - (kw - 1) * dx - 1
      guard spanY >= 0, spanX >= 0 else { continue }
      let (outHeight, outWidth) = (spanY / sy + 1, spanX / sx + 1)
      let m = draw(1...(across ? 10 : 19))
      let k = channels * kh * kw
      let plane = outHeight * outWidth
      func values(_ count: Int) -> [Float] {
        Self.floats(count, specialsToo: trial % 5 == 0, &rng)
      }
      let input = values(channels * height * width)
      let weight = values(m * k)
      let bias: [Float]? = trial % 3 == 0 ? nil : values(m)
      let clamp = Self.clamps[trial % Self.clamps.count]
      var window = EdgeSimWindow(
        height: height, width: width, kernelHeight: kh, kernelWidth: kw,
        strideY: sy, strideX: sx, dilationY: dy, dilationX: dx, padTop: top,
        padLeft: left, outHeight: outHeight, outWidth: outWidth)
      var column = [Float](repeating: .nan, count: k * plane)
      column.withUnsafeMutableBufferPointer { target in
        edgesim_im2col_f32(input, channels, &window, target.baseAddress)
      }
      var expected = (0..<(m * plane)).map { bias?[$0 / plane] ?? 0 }
      Self.sgemmReference(weight, m: m, k: k, column, n: plane, &expected)
      expected = expected.map { min(max($0, clamp.lower), clamp.upper) }
      var out = [Float](repeating: .nan, count: m * plane)
      out.withUnsafeMutableBufferPointer { o in
        panel.withUnsafeMutableBufferPointer { p in
          (bias ?? []).withUnsafeBufferPointer { b in
            edgesim_conv_bias_clamp_f32_on(
              Self.c(path), weight, m, input, channels, &window,
              bias == nil ? nil : b.baseAddress, clamp.lower, clamp.upper,
              p.baseAddress, o.baseAddress)
          }
        }
      }
      for index in out.indices
      where out[index].bitPattern != expected[index].bitPattern
        && !(out[index].isNaN && expected[index].isNaN)
      {
        Issue.record(
          "\(name) trial \(trial) (\(m)×\(k)×\(plane)) [\(index)]: \(out[index]) ≠ \(expected[index])"
        )
        return
      }
    }
  }

  /// The Int32 requantization epilogue against its definition in Int64:
  /// every shift 1…31, halfUp and floor, output bounds of 2 to 31 bits
  /// with and without a fused ReLU or Clip (also one whose bottom lies above
  /// its top), lengths around 8 and 16 lanes.
  @Test(arguments: paths)
  func epilogueMatchesDefinition(name: String, path: KernelPath) {
    var rng = SplitMix64(seed: 1199)
    let limit: Int32 = (1 << 30) - 1
    for trial in 0..<600 {
      let count = Int.random(in: 0...40, using: &rng)
      let shift = Int32(trial % 31 + 1)
      let roundBit: Int32 = trial % 2 == 0 ? 1 : 0
      let bits = Int.random(in: 2...31, using: &rng)
      let high = Int32((Int64(1) << (bits - 1)) - 1)
      let low = -high - 1
      let bottom: Int32 =
        switch trial % 4 {
        case 0: 0
        case 1: low
        default: Int32.random(in: low...high, using: &rng)
        }
      let top: Int32 =
        trial % 4 < 2 ? high : Int32.random(in: low...high, using: &rng)
      let bias = Int32.random(in: -(limit / 2)...(limit / 2), using: &rng)
      let reach = Int32.random(in: 1...(limit / 2), using: &rng)
      let sums = (0..<count).map { _ in
        Int32.random(in: -reach...reach, using: &rng)
      }
      var expected = [Int64](repeating: 0, count: count)
      var (up, down) = (Int64(0), Int64(0))
      for (i, sum) in sums.enumerated() {
        let a = Int64(sum) + Int64(bias)
        let r =
          (a >> Int64(shift)) + ((a >> Int64(shift - 1)) & Int64(roundBit))
        if r > Int64(high) { up += 1 }
        if r < Int64(low) { down += 1 }
        expected[i] = min(
          max(min(r, Int64(high)), Int64(bottom)), Int64(top))
      }
      var out = [Int64](repeating: 99, count: count)
      var (above, below) = (Int64(0), Int64(0))
      out.withUnsafeMutableBufferPointer { o in
        edgesim_epilogue_i32_on(
          Self.c(path), sums, count, bias, shift, roundBit, low, high, bottom,
          top, o.baseAddress, &above, &below)
      }
      if out != expected || above != up || below != down {
        Issue.record(
          "\(name) trial \(trial): count \(count) shift \(shift) bits \(bits)")
        return
      }
      // Outputs of at most 16 bits, stored as Int16: the same raws and
      // counts.
      guard bits <= 16 else { continue }
      var narrow = [Int16](repeating: 99, count: count)
      var (narrowAbove, narrowBelow) = (Int64(0), Int64(0))
      narrow.withUnsafeMutableBufferPointer { o in
        edgesim_epilogue_i32_to_i16_on(
          Self.c(path), sums, count, bias, shift, roundBit, low, high, bottom,
          top, o.baseAddress, &narrowAbove, &narrowBelow)
      }
      if narrow.map({ Int64($0) }) != expected || narrowAbove != up
        || narrowBelow != down
      {
        Issue.record(
          "\(name) trial \(trial) to Int16: count \(count) shift \(shift)")
        return
      }
    }
  }

  /// ReLU and Clip on Int64 raws, every length around 4 and 8 lanes, bounds
  /// anywhere in Int64.
  @Test(arguments: paths)
  func clipMatchesDefinition(name: String, path: KernelPath) {
    var rng = SplitMix64(seed: 1919_1919)
    for trial in 0..<300 {
      let count = Int.random(in: 0...37, using: &rng)
      let x = (0..<count).map { _ in
        trial % 5 == 0
          ? Int64.random(in: .min ... .max, using: &rng)
          : Int64.random(in: -300...300, using: &rng)
      }
      let a = Int64.random(in: -400...400, using: &rng)
      let b =
        trial % 7 == 0 ? Int64.max : Int64.random(in: a...500, using: &rng)
      let expected = x.map { min(max($0, a), b) }
      var out = [Int64](repeating: 7, count: count)
      out.withUnsafeMutableBufferPointer { o in
        edgesim_clip_i64_on(Self.c(path), x, count, a, b, o.baseAddress)
      }
      #expect(out == expected, "\(name) trial \(trial)")
    }
  }

  /// The float receptive fields against the window's definition: random
  /// strides, dilations, pads (larger than the kernel too) and sizes.
  @Test func im2colMatchesDefinition() {
    var rng = SplitMix64(seed: 2019)
    for trial in 0..<400 {
      func draw(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &rng)
      }
      let (channels, height, width) = (draw(1...3), draw(1...9), draw(1...9))
      let (kh, kw) = (draw(1...5), draw(1...5))
      let (sy, sx, dy, dx) = (
        draw(1...3), draw(1...3), draw(1...2), draw(1...2)
      )
      let (top, left) = (draw(0...6), draw(0...6))
      let spanY = height + top + draw(0...3) - (kh - 1) * dy - 1
      let spanX = width + left + draw(0...3) - (kw - 1) * dx - 1
      guard spanY >= 0, spanX >= 0 else { continue }
      let (outHeight, outWidth) = (spanY / sy + 1, spanX / sx + 1)
      let input = (0..<channels * height * width).map { _ in
        Float.random(in: -1...1, using: &rng)
      }
      let plane = outHeight * outWidth
      var expected: [Float] = []
      for c in 0..<channels {
        for i in 0..<kh {
          for j in 0..<kw {
            for oy in 0..<outHeight {
              for ox in 0..<outWidth {
                let y = oy * sy - top + i * dy
                let x = ox * sx - left + j * dx
                let inside = y >= 0 && y < height && x >= 0 && x < width
                expected.append(
                  inside ? input[(c * height + y) * width + x] : 0)
              }
            }
          }
        }
      }
      var window = EdgeSimWindow(
        height: height, width: width, kernelHeight: kh, kernelWidth: kw,
        strideY: sy, strideX: sx, dilationY: dy, dilationX: dx, padTop: top,
        padLeft: left, outHeight: outHeight, outWidth: outWidth)
      var column = [Float](repeating: .nan, count: channels * kh * kw * plane)
      column.withUnsafeMutableBufferPointer { target in
        edgesim_im2col_f32(input, channels, &window, target.baseAddress)
      }
      #expect(
        column.map(\.bitPattern) == expected.map(\.bitPattern),
        "trial \(trial)")
    }
  }

  /// The direct float depthwise kernels (along rows, and along the whole
  /// plane) against im2col followed by the scalar GEMM loop (the float executor's order: bias, then the taps
  /// ascending), on random strides, dilations, pads (larger than the
  /// kernel too), channel multipliers, kernels up to 10 × 10, rows of up to
  /// 130 outputs, with and without bias (a bias of −0 too), values of very
  /// different magnitudes and specials, with no clamp, a ReLU (bound +0, so
  /// −0 sums become +0), a Clip of ReLU6 and one whose bounds cross, each
  /// against Swift's `min(max(s, lower), upper)`: bit patterns equal.
  @Test(arguments: paths)
  func depthwiseMatchesIm2colAndGemm(name: String, path: KernelPath) {
    var rng = SplitMix64(seed: 2219)
    let specials: [Float] = [
      0, -0.0, .leastNonzeroMagnitude, .infinity, -.infinity, .nan, 1e-30,
      -1e30,
    ]
    for trial in 0..<300 {
      func draw(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &rng)
      }
      func values(_ count: Int) -> [Float] {
        (0..<count).map { _ in
          if trial % 4 == 0, draw(0...15) == 0 {
            return specials[draw(0...(specials.count - 1))]
          }
          let scale = Float(
            sign: .plus, exponent: draw(-20...20), significand: 1)
          return Float.random(in: -1...1, using: &rng) * scale
        }
      }
      // Wide rows (many 16-output blocks), and kernels of more taps than
      // the kernel tabulates (64).
      let wide = trial % 50 == 3
      let large = trial % 25 == 11
      let (channels, multiplier) = (draw(1...4), draw(1...3))
      let (height, width) = (
        large ? draw(9...22) : draw(1...9),
        wide ? draw(60...130) : large ? draw(9...40) : draw(1...21)
      )
      let (kh, kw) =
        large ? (draw(8...10), draw(8...10)) : (draw(1...5), draw(1...5))
      let (sy, sx, dy, dx) = (
        draw(1...3), draw(1...3), draw(1...2), draw(1...2)
      )
      let (top, left) = (draw(0...6), draw(0...6))
      let spanY = height + top + draw(0...3) - (kh - 1) * dy - 1
      let spanX = width + left + draw(0...3) - (kw - 1) * dx - 1
      guard spanY >= 0, spanX >= 0 else { continue }
      let (outHeight, outWidth) = (spanY / sy + 1, spanX / sx + 1)
      let taps = kh * kw
      let plane = outHeight * outWidth
      let outputs = channels * multiplier
      let input = values(channels * height * width)
      let weight = values(outputs * taps)
      let bias: [Float]? =
        switch trial % 3 {
        case 0: nil
        case 1: values(outputs)
        default: [Float](repeating: -0.0, count: outputs)
        }
      var window = EdgeSimWindow(
        height: height, width: width, kernelHeight: kh, kernelWidth: kw,
        strideY: sy, strideX: sx, dilationY: dy, dilationX: dx, padTop: top,
        padLeft: left, outHeight: outHeight, outWidth: outWidth)
      var expected: [Float] = []
      for o in 0..<outputs {
        let c = o / multiplier
        var column = [Float](repeating: .nan, count: taps * plane)
        column.withUnsafeMutableBufferPointer { target in
          edgesim_im2col_f32(
            Array(input[(c * height * width)...]), 1, &window,
            target.baseAddress)
        }
        var row = [Float](repeating: bias?[o] ?? 0, count: plane)
        Self.sgemmReference(
          Array(weight[(o * taps)..<((o + 1) * taps)]), m: 1, k: taps,
          column, n: plane, &row)
        expected += row
      }
      let clamp = Self.clamps[trial % Self.clamps.count]
      expected = expected.map { min(max($0, clamp.lower), clamp.upper) }
      // The row kernel and the plane-wide one: the same bits.
      for flat in [false, true] {
        let kernel = flat ? "flat" : "row"
        var scratch = [Float](
          repeating: .nan,
          count: flat
            ? edgesim_depthwise_flat_f32_scratch(&window)
            : edgesim_depthwise_f32_scratch(&window))
        var out = [Float](repeating: .nan, count: outputs * plane)
        scratch.withUnsafeMutableBufferPointer { s in
          out.withUnsafeMutableBufferPointer { o in
            (bias ?? []).withUnsafeBufferPointer { b in
              let run =
                flat ? edgesim_depthwise_flat_f32_on : edgesim_depthwise_f32_on
              run(
                Self.c(path), input, channels, multiplier, &window, weight,
                bias == nil ? nil : b.baseAddress, clamp.lower, clamp.upper,
                s.baseAddress, o.baseAddress)
            }
          }
        }
        for index in out.indices
        where out[index].bitPattern != expected[index].bitPattern
          && !(out[index].isNaN && expected[index].isNaN)
        {
          Issue.record(
            "\(name) \(kernel) trial \(trial) [\(index)]: \(out[index]) ≠ \(expected[index])"
          )
          return
        }
      }
    }
  }

  /// One-channel window sums over a pair plane (depthwise layers with a
  /// stride or dilation) against Int128 sums over the padded plane, and the
  /// pair plane itself against its definition.
  @Test(arguments: paths)
  func windowSumsMatchInt128(name: String, path: KernelPath) {
    var rng = SplitMix64(seed: 4242)
    for trial in 0..<300 {
      func draw(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &rng)
      }
      let (height, width) = (draw(1...12), draw(1...40))
      let (kh, kw) = (draw(1...5), draw(1...5))
      let (sy, sx, dy, dx) = (
        draw(1...3), draw(1...3), draw(1...2), draw(1...2)
      )
      let (top, left) = (draw(0...2), draw(0...2))
      let padHeight = top + height + draw(0...2)
      let pitch = left + width + draw(0...2)
      // The window must fit the padded plane.
      let (spanY, spanX) = (
        padHeight - (kh - 1) * dy - 1, pitch - (kw - 1) * dx - 1
      )
      guard spanY >= 0, spanX >= 0 else { continue }
      let (outHeight, outWidth) = (spanY / sy + 1, spanX / sx + 1)
      let image = (0..<height * width).map { _ in
        Int64(Int16.random(in: -128...127, using: &rng))
      }
      let w = (0..<kh * kw).map { _ in Int16.random(in: -128...127, using: &rng)
      }
      var padded = [Int64](repeating: 0, count: padHeight * pitch)
      for y in 0..<height {
        for x in 0..<width {
          padded[(y + top) * pitch + left + x] = image[y * width + x]
        }
      }
      var pairs = [Int16](repeating: 0, count: 2 * (padHeight * pitch + 16))
      pairs.withUnsafeMutableBufferPointer { target in
        edgesim_pad_pairs(
          image, height, width, top, left, pitch, target.baseAddress)
      }
      // The same lanes from raws held as Int16.
      var narrowPairs = [Int16](repeating: 0, count: pairs.count)
      narrowPairs.withUnsafeMutableBufferPointer { target in
        edgesim_pad_pairs_i16(
          image.map { Int16($0) }, height, width, top, left, pitch,
          target.baseAddress)
      }
      if narrowPairs != pairs {
        Issue.record("\(name) trial \(trial): pair plane from Int16")
        return
      }
      for k in 0..<padded.count {
        let next = k + 1 < padded.count ? padded[k + 1] : 0
        if Int64(pairs[2 * k]) != padded[k]
          || (k + 1 < padded.count && Int64(pairs[2 * k + 1]) != next)
        {
          Issue.record("\(name) trial \(trial): pair lane \(k)")
          return
        }
      }
      var window = EdgeSimWindow(
        height: height, width: width, kernelHeight: kh, kernelWidth: kw,
        strideY: sy, strideX: sx, dilationY: dy, dilationX: dx, padTop: top,
        padLeft: left, outHeight: outHeight, outWidth: outWidth)
      var sums = [Int32](repeating: 7, count: outHeight * outWidth)
      sums.withUnsafeMutableBufferPointer { target in
        edgesim_window_sums_i16_on(
          Self.c(path), pairs, pitch, &window, w, target.baseAddress)
      }
      for oy in 0..<outHeight {
        for ox in 0..<outWidth {
          var total: Int128 = 0
          for i in 0..<kh {
            for j in 0..<kw {
              total +=
                Int128(w[i * kw + j])
                * Int128(padded[(oy * sy + i * dy) * pitch + ox * sx + j * dx])
            }
          }
          if Int128(sums[oy * outWidth + ox]) != total {
            Issue.record("\(name) trial \(trial): [\(oy)][\(ox)]")
            return
          }
        }
      }
    }
  }

  /// The 3 × 3 window with unit column stride and dilation
  /// (`edgesim_window3x3_sums_i16`) against Int128 sums reduced to Int32:
  /// output widths 1 … 70 (around the 8- and 16-output blocks), row
  /// strides and dilations 1 … 3 and 1 … 2, raws over the whole Int16 range
  /// (sums that wrap) or of 8 bits; nothing written past the sums.
  @Test(arguments: paths)
  func window3x3MatchesInt128(name: String, path: KernelPath) {
    var rng = SplitMix64(seed: 3303)
    for trial in 0..<300 {
      func draw(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &rng)
      }
      let (sy, dy) = (draw(1...3), draw(1...2))
      let (outHeight, outWidth) = (draw(1...6), draw(1...70))
      let padHeight = (outHeight - 1) * sy + 2 * dy + 1 + draw(0...2)
      let pitch = outWidth + 2 + draw(0...3)
      let bound = trial % 3 == 0 ? Int(Int16.max) : 127
      func value() -> Int16 {
        trial % 13 == 0
          ? (Bool.random(using: &rng) ? .min : .max)
          : Int16(draw(-bound - 1...bound))
      }
      let image = (0..<padHeight * pitch).map { _ in Int64(value()) }
      let w = (0..<9).map { _ in value() }
      var pairs = [Int16](repeating: 0, count: 2 * (padHeight * pitch + 16))
      pairs.withUnsafeMutableBufferPointer { target in
        edgesim_pad_pairs(
          image, padHeight, pitch, 0, 0, pitch, target.baseAddress)
      }
      let count = outHeight * outWidth
      var sums = [Int32](repeating: 7, count: count + 16)
      sums.withUnsafeMutableBufferPointer { target in
        edgesim_window3x3_sums_i16_on(
          Self.c(path), pairs, pitch, outHeight, outWidth, sy, dy, w,
          target.baseAddress)
      }
      #expect(
        sums[count...].allSatisfy { $0 == 7 },
        "\(name) trial \(trial): wrote past the sums")
      for oy in 0..<outHeight {
        for ox in 0..<outWidth {
          var total: Int128 = 0
          for i in 0..<3 {
            for j in 0..<3 {
              total +=
                Int128(w[i * 3 + j])
                * Int128(image[(oy * sy + i * dy) * pitch + ox + j])
            }
          }
          if sums[oy * outWidth + ox] != Int32(truncatingIfNeeded: total) {
            Issue.record(
              "\(name) trial \(trial) (\(outHeight)×\(outWidth), sy \(sy), dy \(dy)): [\(oy)][\(ox)]"
            )
            return
          }
        }
      }
    }
  }

  /// The 3 × 3 depthwise sums from planes of Int16 raws
  /// (`edgesim_depthwise3x3_i16`) against Int128 sums reduced to Int32:
  /// unit strides (output widths on both sides of 16, where the kernel
  /// changes from the flat plane to rows) and column stride 2 with row
  /// strides 1 … 3, pads 0 … 2 on each side, 1 … 20 channels, raws over the
  /// whole Int16 range (sums that wrap), at its ends, or of 8 bits; scratch
  /// of any contents; nothing written past the sums.
  @Test(arguments: paths)
  func depthwise3x3MatchesInt128(name: String, path: KernelPath) {
    var rng = SplitMix64(seed: 1993)
    var trials = 0
    while trials < 300 {
      func draw(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &rng)
      }
      let unit = draw(0...2) == 0
      let (sy, sx) = unit ? (1, 1) : (draw(1...3), 2)
      let (height, width) = (draw(1...12), draw(1...70))
      let (top, left, bottom, right) = (
        draw(0...2), draw(0...2), draw(0...2), draw(0...2)
      )
      let (paddedHeight, paddedWidth) = (
        height + top + bottom, width + left + right
      )
      guard paddedHeight >= 3, paddedWidth >= 3 else { continue }
      trials += 1
      let (outHeight, outWidth) = (
        (paddedHeight - 3) / sy + 1, (paddedWidth - 3) / sx + 1
      )
      let (channels, weightStride) = (draw(1...20), draw(9...16))
      let bound = trials % 3 == 0 ? Int(Int16.max) : 127
      func value() -> Int16 {
        trials % 13 == 0
          ? (Bool.random(using: &rng) ? .min : .max)
          : Int16(draw(-bound - 1...bound))
      }
      let image = (0..<channels * height * width).map { _ in value() }
      let w = (0..<channels * weightStride).map { _ in value() }
      var window = EdgeSimWindow(
        height: height, width: width, kernelHeight: 3, kernelWidth: 3,
        strideY: sy, strideX: sx, dilationY: 1, dilationX: 1, padTop: top,
        padLeft: left, outHeight: outHeight, outWidth: outWidth)
      #expect(edgesim_depthwise3x3_i16_applies(&window) != 0)
      let bytes = edgesim_depthwise3x3_i16_scratch(&window, channels)
      var scratch = [UInt8](repeating: 0xA5, count: bytes)
      let plane = outHeight * outWidth
      let count = channels * plane
      var sums = [Int32](repeating: 7, count: count + 16)
      scratch.withUnsafeMutableBytes { s in
        sums.withUnsafeMutableBufferPointer { target in
          edgesim_depthwise3x3_i16_on(
            Self.c(path), image, channels, &window, w, weightStride,
            s.baseAddress, target.baseAddress)
        }
      }
      #expect(
        sums[count...].allSatisfy { $0 == 7 },
        "\(name) trial \(trials): wrote past the sums")
      for c in 0..<channels {
        for oy in 0..<outHeight {
          for ox in 0..<outWidth {
            var total: Int128 = 0
            for i in 0..<3 {
              for j in 0..<3 {
                let (y, x) = (oy * sy + i - top, ox * sx + j - left)
                guard y >= 0, y < height, x >= 0, x < width else { continue }
                total +=
                  Int128(w[c * weightStride + i * 3 + j])
                  * Int128(image[(c * height + y) * width + x])
              }
            }
            if sums[c * plane + oy * outWidth + ox]
              != Int32(truncatingIfNeeded: total)
            {
              Issue.record(
                "\(name) trial \(trials) (\(outHeight)×\(outWidth), s \(sy)×\(sx)): [\(c)][\(oy)][\(ox)]"
              )
              return
            }
          }
        }
      }
    }
  }

  /// The channels-last packing of the Int16 convolutions: every channel
  /// count around the blocks of eight, widths around the blocks of eight
  /// columns that the Int16 packing transposes in registers, into a wider
  /// padded row (whose other lanes are left alone).
  @Test(arguments: [5, 8, 13, 16, 23])
  func packChannelsLastMatchesLoop(width: Int) {
    var rng = SplitMix64(seed: 7)
    for channels in [1, 3, 7, 8, 9, 16, 19, 24] {
      let height = Int.random(in: 1...6, using: &rng)
      let plane = height * width
      let pitch = (width + 2) * channels
      let source = (0..<channels * plane).map { _ in
        Int64(Int16.random(in: .min ... .max, using: &rng))
      }
      var expected = [Int16](repeating: -7, count: height * pitch)
      for c in 0..<channels {
        for y in 0..<height {
          for x in 0..<width {
            expected[y * pitch + x * channels + c] = Int16(
              source[c * plane + y * width + x])
          }
        }
      }
      var packed = [Int16](repeating: -7, count: height * pitch)
      packed.withUnsafeMutableBufferPointer { target in
        edgesim_pack_channels_last(
          source, channels, height, width, plane, target.baseAddress, pitch)
      }
      #expect(packed == expected, "\(channels) channels, width \(width)")
      // From raws held as Int16.
      let narrow = source.map { Int16($0) }
      var fromNarrow = [Int16](repeating: -7, count: height * pitch)
      fromNarrow.withUnsafeMutableBufferPointer { target in
        edgesim_pack_channels_last_i16(
          narrow, channels, height, width, plane, target.baseAddress, pitch)
      }
      #expect(
        fromNarrow == expected,
        "\(channels) channels from Int16, width \(width)")
    }
  }

  /// The digits models calibrated at 8 and 4 bits, and their float run,
  /// on each path: outputs and events equal the portable path's.
  @Test(arguments: ["digits-plain", "digits-dwsep"])
  func executorsAgreeOnEveryPath(model: String) throws {
    let network = try Fixtures.model(model)
    let input = try Fixtures.tensor(
      "Tests/Fixtures/onnxruntime/\(model)/input.npy")
    let before = KernelPath.current
    defer { KernelPath.select(before) }
    var plans: [PrecisionPlan] = []
    for bits in [8, 4] {
      var configuration = CalibrationConfiguration()
      configuration.weightBits = bits
      configuration.activationBits = bits
      plans.append(
        try Calibrator.calibrate(
          network: network, data: input, configuration: configuration
        ).plan)
    }
    func runs() throws -> ([FixedPointRun], [FloatTensor]) {
      let fixed = try plans.map { plan in
        try FixedPointExecutor(network: network, plan: plan).run(
          input: input, retaining: .everything)
      }
      let float = try FloatExecutor(network: network).outputs(input: input)
      return (fixed, float)
    }
    #expect(KernelPath.select(.portable))
    let (fixed, float) = try runs()
    for path in KernelPath.supported where path != .portable {
      #expect(KernelPath.select(path))
      let (otherFixed, otherFloat) = try runs()
      for (a, b) in zip(fixed, otherFixed) {
        #expect(a.outputs == b.outputs, "\(model) \(path) outputs")
        #expect(a.tensors == b.tensors, "\(model) \(path) tensors")
        #expect(a.wide == b.wide, "\(model) \(path) accumulators")
        #expect(a.events == b.events, "\(model) \(path) events")
      }
      #expect(
        float.map { $0.values.map(\.bitPattern) }
          == otherFloat.map { $0.values.map(\.bitPattern) },
        "\(model) \(path) float")
    }
  }
}
