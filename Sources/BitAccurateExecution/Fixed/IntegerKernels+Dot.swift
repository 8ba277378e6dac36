import FixedPointArithmetic

/// Dot-product kernels on Int16 lanes for the common case of narrow formats
/// (FIXED_POINT.md §5): every raw of the weights and the input fits Int16, and
/// the load-time bound K · 2^(m_w + m_x) < 2^31 proves that the exact sum fits
/// Int32.
///
/// Sums are then formed with wrapping Int32 arithmetic, which is exact: the
/// true sum lies in Int32 and arithmetic modulo 2^32 does not depend on the
/// order of the terms, so the compiler may vectorize (on x86, `pmaddwd`) and
/// reassociate freely.
///
/// The reduction axis is padded with zeros to a multiple of 8 lanes, so
/// the vector loop needs no remainder.
struct DotWeights: Sendable {
  /// Rows `[M][stride]`, zero after `depth`.
  var values: [Int16]
  var rows: Int
  /// K, the true number of terms.
  var depth: Int
  /// K rounded up to a multiple of 8.
  var stride: Int
  /// The largest |weight|.
  var maxMagnitude: Int64
  /// For a convolution whose groups read one input channel each, the same
  /// weights as the pairs of its own kernel (built once, with the layer).
  var pairs: PairedTaps?

  /// Raws `[rows][depth]` laid out for the kernel.
  init(raws: [Int64], rows: Int, depth: Int) {
    self.init(raws: raws, rows: rows, depth: depth) { $0 }
  }

  /// Convolution weights `[M][C][kh][kw]` (ONNX order) laid out channels
  /// last, `[M][kh][kw][C]`, the order of ``IntegerKernels/receptiveRows(_:_:_:stride:into:)``.
  init(
    convolution raws: [Int64], rows: Int, channels: Int, kernelHeight: Int,
    kernelWidth: Int
  ) {
    let window = kernelHeight * kernelWidth
    self.init(raws: raws, rows: rows, depth: channels * window) { k in
      // k runs over [kh][kw][C]; the source index is [C][kh][kw].
      let (position, c) = k.quotientAndRemainder(dividingBy: channels)
      return c * window + position
    }
    if channels == 1 {
      pairs = PairedTaps(self, rows: kernelHeight, columns: kernelWidth)
    }
  }

  private init(raws: [Int64], rows: Int, depth: Int, source: (Int) -> Int) {
    self.rows = rows
    self.depth = depth
    stride = Self.padded(depth)
    var values = [Int16](repeating: 0, count: rows * stride)
    for row in 0..<rows {
      for k in 0..<depth {
        values[row * stride + k] = Int16(
          truncatingIfNeeded: raws[row * depth + source(k)])
      }
    }
    self.values = values
    maxMagnitude = Int64(
      clamping: values.reduce(0) { Swift.max($0, $1.magnitude) })
  }

  /// A bound on |Σ w · x| over one row for inputs of `format`:
  /// K · max|w| · max|x| (the lanes hold at most Int16, so it cannot
  /// overflow).
  func sumBound(input format: QFormat) -> Int64 {
    Int64(depth) * maxMagnitude
      * Int64(
        clamping: Swift.max(format.rawMin.magnitude, format.rawMax.magnitude))
  }

  static func padded(_ depth: Int) -> Int { (depth + 7) & ~7 }

  /// Whether every raw of a format fits an Int16 lane.
  static func fits(_ format: QFormat) -> Bool {
    format.rawMin >= Int64(Int16.min) && format.rawMax <= Int64(Int16.max)
  }

  /// Whether a layer with these operand formats and K terms can use the
  /// Int16 kernels.
  static func applies(weight: QFormat, input: QFormat, terms: Int) -> Bool {
    fits(weight) && fits(input)
      && IntegerKernels.fitsInt32(weight, input, terms: terms)
  }
}

extension IntegerKernels {
  /// out[r · rowStride + q · columnStride] = Σ_k w[r][k] · x[q][k] over
  /// `stride` lanes (a multiple of 8; weights zero after K, so whatever
  /// the input holds there adds nothing), in wrapping Int32 arithmetic.
  ///
  /// Eight products at a time, summed in pairs (`pmaddwd` on x86); a plain
  /// loop in debug builds, with the same results.
  static func dot(
    _ w: UnsafePointer<Int16>, rows m: Int, _ x: UnsafePointer<Int16>,
    columns p: Int,
    stride k: Int, into out: UnsafeMutablePointer<Int32>, rowStride: Int,
    columnStride: Int
  ) {
    #if DEBUG
    // Unoptimized builds call every SIMD operation generically, which is
    // about 15 times slower than this loop; both give the same sums
    // (exact products, wrapping Int32 additions, any order).
    for q in 0..<p {
      let xr = x + q &* k
      let o = out + q &* columnStride
      for r in 0..<m {
        let wr = w + r &* k
        var s: Int32 = 0
        for kk in 0..<k { s = s &+ Int32(xr[kk]) &* Int32(wr[kk]) }
        o[r &* rowStride] = s
      }
    }
    #else
    /// The four lane sums of four vectors, as one vector.
    @inline(__always) func sums(
      _ a: SIMD4<Int32>, _ b: SIMD4<Int32>, _ c: SIMD4<Int32>,
      _ d: SIMD4<Int32>
    ) -> SIMD4<Int32> {
      let ab = SIMD4(
        lowHalf: a.evenHalf &+ a.oddHalf, highHalf: b.evenHalf &+ b.oddHalf)
      let cd = SIMD4(
        lowHalf: c.evenHalf &+ c.oddHalf, highHalf: d.evenHalf &+ d.oddHalf)
      return SIMD4(
        lowHalf: ab.evenHalf &+ ab.oddHalf,
        highHalf: cd.evenHalf &+ cd.oddHalf)
    }
    var q = 0
    // Two input columns by four weight rows per pass: each loaded weight
    // vector serves two columns and each input vector four rows. A last
    // single column is paired with itself and stored once.
    while q < p {
      let pair = q &+ 1 < p
      let x0 = x + q &* k
      let x1 = pair ? x0 + k : x0
      let o0 = out + q &* columnStride
      let o1 = o0 + columnStride
      var r = 0
      while r &+ 4 <= m {
        let w0 = w + r &* k
        let w1 = w0 + k
        let w2 = w1 + k
        let w3 = w2 + k
        var a0 = SIMD4<Int32>()
        var a1 = SIMD4<Int32>()
        var a2 = SIMD4<Int32>()
        var a3 = SIMD4<Int32>()
        var b0 = SIMD4<Int32>()
        var b1 = SIMD4<Int32>()
        var b2 = SIMD4<Int32>()
        var b3 = SIMD4<Int32>()
        var kk = 0
        while kk < k {
          let u = Lanes.widened(x0 + kk)
          let v = Lanes.widened(x1 + kk)
          let f0 = Lanes.widened(w0 + kk)
          a0 &+= Lanes.pairSums(u, f0)
          b0 &+= Lanes.pairSums(v, f0)
          let f1 = Lanes.widened(w1 + kk)
          a1 &+= Lanes.pairSums(u, f1)
          b1 &+= Lanes.pairSums(v, f1)
          let f2 = Lanes.widened(w2 + kk)
          a2 &+= Lanes.pairSums(u, f2)
          b2 &+= Lanes.pairSums(v, f2)
          let f3 = Lanes.widened(w3 + kk)
          a3 &+= Lanes.pairSums(u, f3)
          b3 &+= Lanes.pairSums(v, f3)
          kk &+= 8
        }
        let first = sums(a0, a1, a2, a3)
        let second = sums(b0, b1, b2, b3)
        for lane in 0..<4 {
          o0[(r &+ lane) &* rowStride] = first[lane]
        }
        if pair {
          for lane in 0..<4 {
            o1[(r &+ lane) &* rowStride] = second[lane]
          }
        }
        r &+= 4
      }
      while r < m {
        let wr = w + r &* k
        var a = SIMD4<Int32>()
        var b = SIMD4<Int32>()
        var kk = 0
        while kk < k {
          let f = Lanes.widened(wr + kk)
          a &+= Lanes.pairSums(Lanes.widened(x0 + kk), f)
          b &+= Lanes.pairSums(Lanes.widened(x1 + kk), f)
          kk &+= 8
        }
        o0[r &* rowStride] = a.wrappedSum()
        if pair { o1[r &* rowStride] = b.wrappedSum() }
        r &+= 1
      }
      q &+= pair ? 2 : 1
    }
    #endif
  }

  /// Copies one image's channels `[C][H][W]` (raws) into a zero-bordered
  /// Int16 buffer `[paddedHeight][paddedWidth][C]` (channels last; raw 0 =
  /// value 0 in the padding).
  static func padImage(
    _ input: UnsafePointer<Int64>, channels: Int, _ g: ConvGeometry,
    _ pad: PaddedPlane,
    into target: UnsafeMutablePointer<Int16>
  ) {
    for c in 0..<channels {
      let source = input + c &* g.inputPlane
      for y in 0..<g.height {
        let row =
          target
          + (((y &+ g.padTop) &* pad.width &+ g.padLeft) &* channels &+ c)
        let from = source + y &* g.width
        for x in 0..<g.width {
          row[x &* channels] = Int16(truncatingIfNeeded: from[x])
        }
      }
    }
  }

  /// Lays the receptive fields of a padded channels-last image out as rows
  /// `[P][stride]` in the order `[kh][kw][C]`.
  ///
  /// A window row is one contiguous run (kw · C values, or C per position when
  /// dilated), copied eight lanes at a time; copies may run up to 7 lanes past
  /// their end, into lanes that a later run or the next row overwrites, or into
  /// the padding lanes after K (harmless: the weights are zero there). The
  /// buffers carry 8 lanes of slack for that.
  static func receptiveRows(
    _ padded: UnsafePointer<Int16>, _ g: ConvGeometry, _ pad: PaddedPlane,
    stride: Int,
    into rows: UnsafeMutablePointer<Int16>
  ) {
    let channels = pad.channels
    let contiguous = g.dilationX == 1
    let run = contiguous ? g.kernelWidth &* channels : channels
    let runsPerRow = contiguous ? 1 : g.kernelWidth
    let rowPitch = pad.width &* channels
    var p = 0
    for oy in 0..<g.outHeight {
      for ox in 0..<g.outWidth {
        var target = rows + p &* stride
        let origin =
          padded + (oy &* g.strideY &* rowPitch &+ ox &* g.strideX &* channels)
        for i in 0..<g.kernelHeight {
          let line = origin + i &* g.dilationY &* rowPitch
          for j in 0..<runsPerRow {
            let from = line + j &* g.dilationX &* channels
            #if DEBUG
            target.update(from: from, count: run)
            #else
            var offset = 0
            while offset < run {
              UnsafeMutableRawPointer(target + offset).storeBytes(
                of: UnsafeRawPointer(from + offset).loadUnaligned(
                  as: SIMD8<Int16>.self),
                as: SIMD8<Int16>.self)
              offset &+= 8
            }
            #endif
            target += run
          }
        }
        p &+= 1
      }
    }
  }
}

/// The extent of a channels-last input image with its padding, so that
/// every window position reads inside it.
struct PaddedPlane {
  var height: Int
  var width: Int
  var channels: Int
  /// The elements of the padded image, plus 8 lanes of slack for the
  /// vector copies of ``IntegerKernels/receptiveRows(_:_:_:stride:into:)``.
  var allocation: Int { height * width * channels + 8 }

  init(_ g: ConvGeometry, channels: Int) {
    let lastY =
      (g.outHeight - 1) * g.strideY + (g.kernelHeight - 1) * g.dilationY + 1
    let lastX =
      (g.outWidth - 1) * g.strideX + (g.kernelWidth - 1) * g.dilationX + 1
    height = max(lastY, g.padTop + g.height)
    width = max(lastX, g.padLeft + g.width)
    self.channels = channels
  }
}
