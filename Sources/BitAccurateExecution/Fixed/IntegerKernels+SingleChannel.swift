extension IntegerKernels {
  /// Whether every group of a convolution reads one input channel.
  ///
  /// That is a depthwise convolution, or any convolution of a one-channel
  /// image. Such a layer's sums are formed straight from the padded plane by
  /// ``singleChannelSums(_:_:groups:outChannels:weights:pairs:pad:padded:into:)``
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
  ///   - padded: Scratch of `pad.allocation + 16` lanes, zero outside the
  ///     image (only the image's place in it is written): a row's vector
  ///     reads may run up to 9 lanes past its end.
  ///   - sums: `outChannels · P` sums plus 8 lanes of slack: a row's last
  ///     group of eight lanes may run past its end into sums written after
  ///     it.
  static func singleChannelSums(
    _ image: UnsafePointer<Int64>, _ g: ConvGeometry, groups: Int,
    outChannels: Int, weights: DotWeights, pairs: PairedTaps,
    pad: PaddedPlane, padded: UnsafeMutablePointer<Int16>,
    into sums: UnsafeMutablePointer<Int32>
  ) {
    let groupOut = outChannels / groups
    let plane = g.outputPlane
    weights.values.withUnsafeBufferPointer { wb in
      pairs.withLanes { lanes in
        let w = wb.baseAddress.unsafelyUnwrapped
        // Output channels in ascending order, so that each row's overrun
        // lands on sums not yet written.
        for group in 0..<groups {
          padImage(
            image + group &* g.inputPlane, channels: 1, g, pad, into: padded)
          for m in 0..<groupOut {
            let channel = group &* groupOut &+ m
            channelSums(
              padded, g, pad, w + channel &* weights.stride,
              pairs: lanes + channel &* pairs.perChannel,
              perRow: pairs.perRow, into: sums + channel &* plane)
          }
        }
      }
    }
  }

  /// One output channel's sums over one padded plane.
  ///
  /// With unit column stride and dilation (release builds), eight output
  /// columns at a time by pairs of horizontally adjacent taps: a vector of
  /// eight raws read at column `x + j` holds the pairs (x + j + 2l,
  /// x + j + 2l + 1), so one pair product (`pmaddwd` on x86) with the
  /// weights (w_j, w_j+1) adds both taps to the four even outputs; read at
  /// `x + j + 1`, to the four odd ones. A last odd tap pairs with a zero
  /// weight. Otherwise one output at a time, from `w`.
  private static func channelSums(
    _ padded: UnsafePointer<Int16>, _ g: ConvGeometry, _ pad: PaddedPlane,
    _ w: UnsafePointer<Int16>, pairs: UnsafePointer<Int16>, perRow: Int,
    into sums: UnsafeMutablePointer<Int32>
  ) {
    let pitch = pad.width
    let width = g.outWidth
    let (kh, kw) = (g.kernelHeight, g.kernelWidth)
    let rowStep = g.dilationY &* pitch
    #if !DEBUG
    if g.strideX == 1, g.dilationX == 1 {
      for oy in 0..<g.outHeight {
        let row = sums + oy &* width
        let top = padded + oy &* g.strideY &* pitch
        var ox = 0
        while ox < width {
          var even = SIMD4<Int32>()
          var odd = SIMD4<Int32>()
          for i in 0..<kh {
            let line = top + (i &* rowStep &+ ox)
            let taps = pairs + i &* perRow &* 8
            var j = 0
            while j < kw {
              let f = Lanes.widened(taps + j &* 4)
              even &+= Lanes.pairSums(Lanes.widened(line + j), f)
              odd &+= Lanes.pairSums(Lanes.widened(line + (j &+ 1)), f)
              j &+= 2
            }
          }
          // Back to column order; the last group may run up to 7 lanes
          // past the row, onto sums written after it or the slack.
          let sum = SIMD8<Int32>(
            even[0], odd[0], even[1], odd[1], even[2], odd[2], even[3],
            odd[3])
          UnsafeMutableRawPointer(row + ox).storeBytes(
            of: sum, as: SIMD8<Int32>.self)
          ox &+= 8
        }
      }
      return
    }
    #endif
    for oy in 0..<g.outHeight {
      let top = padded + oy &* g.strideY &* pitch
      for ox in 0..<width {
        let origin = top + ox &* g.strideX
        var total: Int32 = 0
        for i in 0..<kh {
          let line = origin + i &* rowStep
          for j in 0..<kw {
            total &+= Int32(w[i &* kw &+ j]) &* Int32(line[j &* g.dilationX])
          }
        }
        sums[oy &* width &+ ox] = total
      }
    }
  }
}

/// A window's weights as the lane pairs of ``Lanes/pairSums(_:_:)``.
///
/// For output channel m, kernel row i and even column j, the pair
/// (w[m][i][j], w[m][i][j+1]) four times, zero past the last column. Kept as Int16, so that the widened products are known to fit
/// (`pmaddwd`).
struct PairedTaps {
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
