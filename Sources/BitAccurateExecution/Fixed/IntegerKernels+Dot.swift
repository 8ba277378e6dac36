import CKernels
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
  /// The same rows as Int8, when every raw fits (``NarrowDotWeights``).
  var narrow: NarrowDotWeights?

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
    narrow = NarrowDotWeights(self)
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
  /// CKernels' `edgesim_dot_i16`: 8, 16 or 32 lanes of pair products
  /// (`pmaddwd`, `vpmaddwd`, `vpdpwssd`) by the CPU, all with the same
  /// sums.
  @inline(__always)
  static func dot(
    _ w: UnsafePointer<Int16>, rows m: Int, _ x: UnsafePointer<Int16>,
    columns p: Int,
    stride k: Int, into out: UnsafeMutablePointer<Int32>, rowStride: Int,
    columnStride: Int
  ) {
    edgesim_dot_i16(w, m, x, p, k, out, rowStride, columnStride)
  }

  /// Copies one image's channels `[C][H][W]` (raws) into a zero-bordered
  /// Int16 buffer `[paddedHeight][paddedWidth][C]` (channels last; raw 0 =
  /// value 0 in the padding).
  static func padImage<Source: RawLane>(
    _ input: UnsafePointer<Source>, channels: Int, _ g: ConvGeometry,
    _ pad: PaddedPlane,
    into target: UnsafeMutablePointer<Int16>
  ) {
    Source.packChannelsLast(
      input, channels: channels, height: g.height, width: g.width,
      plane: g.inputPlane,
      into: target + (g.padTop &* pad.width &+ g.padLeft) &* channels,
      rowPitch: pad.width &* channels)
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
