import FixedPointArithmetic

/// Dot-product kernels on Int16 lanes for the common case of narrow
/// formats (FIXED_POINT.md §5): every raw of the weights and the input fits
/// Int16, and the load-time bound K · 2^(m_w + m_x) < 2^31 proves that the
/// exact sum fits Int32. Sums are then formed with wrapping Int32
/// arithmetic, which is exact: the true sum lies in Int32 and arithmetic
/// modulo 2^32 does not depend on the order of the terms, so the compiler
/// may vectorize (on x86, `pmaddwd`) and reassociate freely.
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

  /// Raws `[rows][depth]` laid out for the kernel.
  init(raws: [Int64], rows: Int, depth: Int) {
    self.rows = rows
    self.depth = depth
    stride = Self.padded(depth)
    var values = [Int16](repeating: 0, count: rows * stride)
    for row in 0..<rows {
      for k in 0..<depth {
        values[row * stride + k] = Int16(truncatingIfNeeded: raws[row * depth + k])
      }
    }
    self.values = values
  }

  static func padded(_ depth: Int) -> Int { (depth + 7) & ~7 }

  /// Whether every raw of a format fits an Int16 lane.
  static func fits(_ format: QFormat) -> Bool {
    format.rawMin >= Int64(Int16.min) && format.rawMax <= Int64(Int16.max)
  }

  /// Whether a layer with these operand formats and K terms can use the
  /// Int16 kernels.
  static func applies(weight: QFormat, input: QFormat, terms: Int) -> Bool {
    fits(weight) && fits(input) && IntegerKernels.fitsInt32(weight, input, terms: terms)
  }
}

extension IntegerKernels {
  /// out[r · rowStride + q · columnStride] = Σ_k w[r][k] · x[q][k] over
  /// `stride` lanes (zero-padded), in wrapping Int32 arithmetic.
  static func dot(
    _ w: UnsafePointer<Int16>, rows m: Int, _ x: UnsafePointer<Int16>, columns p: Int,
    stride k: Int, into out: UnsafeMutablePointer<Int32>, rowStride: Int, columnStride: Int
  ) {
    for q in 0..<p {
      let xr = x + q &* k
      let o = out + q &* columnStride
      var r = 0
      // Four weight rows per pass reuse each loaded input vector.
      while r &+ 4 <= m {
        let w0 = w + r &* k
        let w1 = w0 + k
        let w2 = w1 + k
        let w3 = w2 + k
        var s0: Int32 = 0
        var s1: Int32 = 0
        var s2: Int32 = 0
        var s3: Int32 = 0
        for kk in 0..<k {
          let v = Int32(xr[kk])
          s0 = s0 &+ v &* Int32(w0[kk])
          s1 = s1 &+ v &* Int32(w1[kk])
          s2 = s2 &+ v &* Int32(w2[kk])
          s3 = s3 &+ v &* Int32(w3[kk])
        }
        o[r &* rowStride] = s0
        o[(r &+ 1) &* rowStride] = s1
        o[(r &+ 2) &* rowStride] = s2
        o[(r &+ 3) &* rowStride] = s3
        r &+= 4
      }
      while r < m {
        let wr = w + r &* k
        var s: Int32 = 0
        for kk in 0..<k { s = s &+ Int32(xr[kk]) &* Int32(wr[kk]) }
        o[r &* rowStride] = s
        r &+= 1
      }
    }
  }

  /// Copies one image's channels `[C][H][W]` into a zero-bordered Int16
  /// buffer `[C][paddedHeight][paddedWidth]` (raw 0 = value 0 in padding).
  static func padImage(
    _ input: UnsafePointer<Int64>, channels: Int, _ g: ConvGeometry, _ pad: PaddedPlane,
    into target: UnsafeMutablePointer<Int16>
  ) {
    for c in 0..<channels {
      let source = input + c &* g.inputPlane
      let plane = target + c &* pad.count
      for y in 0..<g.height {
        let row = plane + ((y &+ g.padTop) &* pad.width &+ g.padLeft)
        let from = source + y &* g.width
        for x in 0..<g.width { row[x] = Int16(truncatingIfNeeded: from[x]) }
      }
    }
  }

  /// Lays the receptive fields of a padded image out as rows `[P][stride]`
  /// in weight order (channel, kernel row, kernel column); lanes after K
  /// are left as they are (zero).
  static func receptiveRows(
    _ padded: UnsafePointer<Int16>, channels: Int, _ g: ConvGeometry, _ pad: PaddedPlane,
    stride: Int, into rows: UnsafeMutablePointer<Int16>
  ) {
    var p = 0
    for oy in 0..<g.outHeight {
      for ox in 0..<g.outWidth {
        let target = rows + p &* stride
        let origin = oy &* g.strideY &* pad.width &+ ox &* g.strideX
        var index = 0
        for c in 0..<channels {
          let plane = padded + (c &* pad.count &+ origin)
          for i in 0..<g.kernelHeight {
            let row = plane + i &* g.dilationY &* pad.width
            for j in 0..<g.kernelWidth {
              target[index] = row[j &* g.dilationX]
              index &+= 1
            }
          }
        }
        p &+= 1
      }
    }
  }
}

/// The extent of an input plane with its padding, so that every window
/// position reads inside it.
struct PaddedPlane {
  var height: Int
  var width: Int
  var count: Int { height * width }

  init(_ g: ConvGeometry) {
    let lastY = (g.outHeight - 1) * g.strideY + (g.kernelHeight - 1) * g.dilationY + 1
    let lastX = (g.outWidth - 1) * g.strideX + (g.kernelWidth - 1) * g.dilationX + 1
    height = max(lastY, g.padTop + g.height)
    width = max(lastX, g.padLeft + g.width)
  }
}
