import CKernels

extension IntegerKernels {
  /// Whether every group of a convolution reads one input channel.
  ///
  /// That is a depthwise convolution, or any convolution of a one-channel
  /// image. Such a layer's sums are formed straight from the padded plane by
  /// ``singleChannelSums(_:_:groups:outChannels:weights:pairs:pad:plane:into:)``
  /// rather than from receptive rows whose few terms would fill a fraction
  /// of their lanes.
  static func readsOneChannelPerGroup(_ g: ConvGeometry, groups: Int) -> Bool {
    groups > 0 && g.channels == groups
  }

  /// The exact sums `[outChannels][P]` of one image of a convolution whose
  /// groups each read one input channel, in wrapping Int32 arithmetic (exact
  /// under the same bound as ``dot(_:rows:_:columns:stride:into:rowStride:columnStride:)``).
  ///
  /// - Parameters:
  ///   - image: The image's raws `[C][H][W]`.
  ///   - g: The convolution's geometry.
  ///   - groups: Its groups, one per input channel.
  ///   - outChannels: Its output channels.
  ///   - weights: The layer's ``DotWeights`` (`[M][stride]`, window order
  ///     `[kh][kw]`, one channel).
  ///   - pairs: The same weights as ``PairedTaps``.
  ///   - pad: The padded extent of one channel.
  ///   - plane: Scratch of ``singleChannelScratchCount(_:groups:outChannels:pad:)``
  ///     lanes, zero outside the image (only the image's places in it are
  ///     written) unless `edgesim_depthwise3x3_i16` runs the layer (from
  ///     Int16 raws, ``depthwise3x3Window(_:groups:outChannels:)``), which
  ///     takes any contents.
  ///   - sums: `outChannels · P` sums plus 8 lanes of slack: a row's last
  ///     group of eight lanes may run past its end into sums written after
  ///     it.
  static func singleChannelSums<Source: RawLane>(
    _ image: UnsafePointer<Source>, _ g: ConvGeometry, groups: Int,
    outChannels: Int, weights: DotWeights, pairs: PairedTaps,
    pad: PaddedPlane, plane: UnsafeMutablePointer<Int16>,
    into sums: UnsafeMutablePointer<Int32>
  ) {
    let groupOut = outChannels / groups
    let positions = g.outputPlane
    if Source.self == Int16.self,
      var window = depthwise3x3Window(
        g, groups: groups, outChannels: outChannels)
    {
      // CKernels: every channel from a plane of raws, no pair planes.
      let input = UnsafeRawPointer(image).assumingMemoryBound(to: Int16.self)
      weights.values.withUnsafeBufferPointer { wb in
        edgesim_depthwise3x3_i16(
          input, groups, &window, wb.baseAddress, weights.stride,
          UnsafeMutableRawPointer(plane), sums)
      }
      return
    }
    weights.values.withUnsafeBufferPointer { wb in
      pairs.withLanes { lanes in
        let w = wb.baseAddress.unsafelyUnwrapped
        // Output channels in ascending order, so that each row's overrun
        // lands on sums not yet written.
        for group in 0..<groups {
          padPairs(image + group &* g.inputPlane, g, pad, into: plane)
          for m in 0..<groupOut {
            let channel = group &* groupOut &+ m
            channelSums(
              plane, g, pad, w + channel &* weights.stride,
              pairs: lanes + channel &* pairs.perChannel,
              perRow: pairs.perRow, into: sums + channel &* positions)
          }
        }
      }
    }
  }

  /// The lanes of a pair plane: two per padded position, and slack for the
  /// vector reads past the last row.
  static func pairPlaneCount(_ pad: PaddedPlane) -> Int {
    2 &* (pad.height &* pad.width &+ 16)
  }

  /// The window of CKernels' `edgesim_depthwise3x3_i16` when it runs a
  /// convolution whose every group reads one input channel and writes one
  /// output channel (a 3 × 3 window with unit dilations, and unit strides
  /// or column stride 2), else `nil`.
  static func depthwise3x3Window(
    _ g: ConvGeometry, groups: Int, outChannels: Int
  ) -> EdgeSimWindow? {
    guard readsOneChannelPerGroup(g, groups: groups), outChannels == groups
    else { return nil }
    var window = EdgeSimWindow(
      height: g.height, width: g.width, kernelHeight: g.kernelHeight,
      kernelWidth: g.kernelWidth, strideY: g.strideY, strideX: g.strideX,
      dilationY: g.dilationY, dilationX: g.dilationX, padTop: g.padTop,
      padLeft: g.padLeft, outHeight: g.outHeight, outWidth: g.outWidth)
    return edgesim_depthwise3x3_i16_applies(&window) != 0 ? window : nil
  }

  /// The Int16 lanes of the scratch of a convolution's one-channel sums
  /// (``singleChannelSums(_:_:groups:outChannels:weights:pairs:pad:plane:into:)``):
  /// a pair plane, or what `edgesim_depthwise3x3_i16` needs if more.
  static func singleChannelScratchCount(
    _ g: ConvGeometry, groups: Int, outChannels: Int, pad: PaddedPlane
  ) -> Int {
    guard
      var window = depthwise3x3Window(
        g, groups: groups, outChannels: outChannels)
    else { return pairPlaneCount(pad) }
    let bytes = edgesim_depthwise3x3_i16_scratch(&window, groups)
    return max(pairPlaneCount(pad), (bytes + 1) / 2)
  }

  /// Writes one channel `[H][W]` of raws into a pair plane.
  ///
  /// With x the zero-padded plane `[paddedHeight][paddedWidth]` read as one
  /// flat row, lanes 2k and 2k + 1 hold x[k] and x[k + 1]. Eight lanes read at 2k
  /// then hold the pairs of positions k … k + 3, and one pair product with
  /// (w_j, w_j+1) four times gives the two taps of four adjacent outputs.
  static func padPairs<Source: RawLane>(
    _ input: UnsafePointer<Source>, _ g: ConvGeometry, _ pad: PaddedPlane,
    into target: UnsafeMutablePointer<Int16>
  ) {
    Source.padPairs(
      input, height: g.height, width: g.width, top: g.padTop,
      left: g.padLeft, pitch: pad.width, into: target)
  }

  /// One output channel's sums over one pair plane.
  ///
  /// A 3 × 3 window with unit column stride and dilation: CKernels'
  /// `edgesim_window3x3_sums_i16`. Other windows with unit column stride
  /// and dilation (release builds): eight output
  /// columns at a time: for kernel row i and even column j, the pair
  /// product of the plane's lanes at the outputs' positions plus j with
  /// (w_ij, w_i,j+1) adds both taps to four outputs (`pmaddwd` on x86); a
  /// last odd tap pairs with a zero weight. Otherwise (strides, dilations,
  /// debug builds) CKernels' `edgesim_window_sums_i16`, from `w`.
  private static func channelSums(
    _ plane: UnsafePointer<Int16>, _ g: ConvGeometry, _ pad: PaddedPlane,
    _ w: UnsafePointer<Int16>, pairs: UnsafePointer<Int16>, perRow: Int,
    into sums: UnsafeMutablePointer<Int32>
  ) {
    let pitch = pad.width
    let width = g.outWidth
    let (kh, kw) = (g.kernelHeight, g.kernelWidth)
    if g.strideX == 1, g.dilationX == 1, kh == 3, kw == 3 {
      // CKernels: 8 (AVX2) or 16 (AVX-512) outputs per pair product.
      edgesim_window3x3_sums_i16(
        plane, pitch, g.outHeight, width, g.strideY, g.dilationY, w, sums)
      return
    }
    #if !DEBUG
    let rowStep = g.dilationY &* pitch
    if g.strideX == 1, g.dilationX == 1 {
      for oy in 0..<g.outHeight {
        let row = sums + oy &* width
        let top = oy &* g.strideY &* pitch
        var ox = 0
        while ox < width {
          var low = SIMD4<Int32>()
          var high = SIMD4<Int32>()
          for i in 0..<kh {
            let line = plane + 2 &* (top &+ i &* rowStep &+ ox)
            let taps = pairs + i &* perRow &* 8
            var j = 0
            while j < kw {
              let f = Lanes.widened(taps + j &* 4)
              low &+= Lanes.pairSums(Lanes.widened(line + 2 &* j), f)
              high &+= Lanes.pairSums(Lanes.widened(line + 2 &* (j &+ 4)), f)
              j &+= 2
            }
          }
          // The last group may run up to 7 lanes past the row, onto sums
          // written after it or the slack.
          UnsafeMutableRawPointer(row + ox).storeBytes(
            of: low, as: SIMD4<Int32>.self)
          UnsafeMutableRawPointer(row + (ox &+ 4)).storeBytes(
            of: high, as: SIMD4<Int32>.self)
          ox &+= 8
        }
      }
      return
    }
    #endif
    // Any stride and dilation: CKernels, vectorized over output columns.
    var window = EdgeSimWindow(
      height: g.height, width: g.width, kernelHeight: kh, kernelWidth: kw,
      strideY: g.strideY, strideX: g.strideX, dilationY: g.dilationY,
      dilationX: g.dilationX, padTop: g.padTop, padLeft: g.padLeft,
      outHeight: g.outHeight, outWidth: width)
    edgesim_window_sums_i16(plane, pitch, &window, w, sums)
  }
}

/// A window's weights as the lane pairs of ``Lanes/pairSums(_:_:)``.
///
/// For output channel m, kernel row i and even column j, the pair
/// (w[m][i][j], w[m][i][j+1]) four times, zero past the last column. Kept as Int16, so that the widened products are known to fit
/// (`pmaddwd`).
struct PairedTaps: Sendable {
  private var lanes: [Int16]
  /// Pairs per kernel row.
  let perRow: Int
  /// Lanes per output channel.
  let perChannel: Int

  /// Pairs the window weights of ``DotWeights`` rows (`[M][stride]`,
  /// `[kh][kw]` first).
  init(_ weights: DotWeights, rows: Int, columns: Int) {
    perRow = (columns + 1) / 2
    perChannel = rows * perRow * 8
    var lanes = [Int16](repeating: 0, count: weights.rows * perChannel)
    for m in 0..<weights.rows {
      for i in 0..<rows {
        for j in 0..<columns {
          let pair = (m * rows + i) * perRow + j / 2
          for copy in 0..<4 {
            lanes[pair * 8 + copy * 2 + j % 2] =
              weights.values[m * weights.stride + i * columns + j]
          }
        }
      }
    }
    self.lanes = lanes
  }

  /// Calls `body` with the first lane.
  @inline(__always)
  func withLanes<R>(_ body: (UnsafePointer<Int16>) -> R) -> R {
    lanes.withUnsafeBufferPointer { body($0.baseAddress.unsafelyUnwrapped) }
  }
}
