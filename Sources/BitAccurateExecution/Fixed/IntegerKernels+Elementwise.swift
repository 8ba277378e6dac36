import CKernels
import FixedPointArithmetic
import NetworkGraph

extension IntegerKernels {
  /// Requantizes exact integers at `fractionalLength` to `format` (§5
  /// Requantize), element by element with the element's §7 sample.
  ///
  /// With `rectify` (a stochastic layer followed by ReLU, §5) negative
  /// values become 0 before rounding; with `outputClamp` (a fused ReLU or
  /// Clip), outputs are clamped after their events are counted.
  static func requantize(
    _ wide: [Int64], fromFractionalLength fractionalLength: Int,
    to format: QFormat,
    rounding: RoundingMode, overflow: OverflowPolicy, stream: StochasticStream,
    indexBase: Int, rectify: Bool, outputClamp: OutputClamp = .unbounded
  ) -> (raws: [Int64], events: OverflowCounts) {
    var out = [Int64](repeating: 0, count: wide.count)
    var requantization = Requantization(
      from: fractionalLength, to: format, rounding: rounding,
      overflow: overflow, stream: stream,
      indexBase: indexBase, rectify: rectify)
    requantization.outputClamp = outputClamp
    var counts = OverflowCounts()
    wide.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { target in
        guard let s = source.baseAddress, let t = target.baseAddress else {
          return
        }
        counts = requantization.apply(s, into: t, count: wide.count, first: 0)
      }
    }
    return (out, counts)
  }

  /// Window sums (average) or maxima (max) of an NCHW raw tensor, with the
  /// number of counted positions for each output (padding excluded from
  /// the max; counted in N when `includePad`, §5 Average-pool).
  static func pool(
    _ x: [Int64], _ g: ConvGeometry, average: Bool, includePad: Bool,
    padEnd: (Int, Int)
  ) -> (values: [Int64], counts: [Int]) {
    let total = g.batch * g.channels * g.outputPlane
    var values = [Int64](repeating: 0, count: total)
    var counts = [Int](repeating: 0, count: average ? total : 0)
    var o = 0
    x.withUnsafeBufferPointer { input in
      for plane in 0..<(g.batch * g.channels) {
        let base = plane * g.inputPlane
        for oy in 0..<g.outHeight {
          for ox in 0..<g.outWidth {
            var best = Int64.min
            var sum: Int64 = 0
            var counted = 0
            var padded = 0
            for i in 0..<g.kernelHeight {
              let y = oy * g.strideY - g.padTop + i * g.dilationY
              for j in 0..<g.kernelWidth {
                let xx = ox * g.strideX - g.padLeft + j * g.dilationX
                if y < 0 || y >= g.height || xx < 0 || xx >= g.width {
                  if y >= -g.padTop && y < g.height + padEnd.0
                    && xx >= -g.padLeft
                    && xx < g.width + padEnd.1
                  {
                    padded += 1
                  }
                  continue
                }
                let v = input[base + y * g.width + xx]
                if v > best { best = v }
                sum = sum &+ v
                counted += 1
              }
            }
            if average {
              values[o] = sum
              counts[o] = includePad ? counted + padded : counted
            } else {
              values[o] = counted > 0 ? best : 0
            }
            o += 1
          }
        }
      }
    }
    return (values, counts)
  }

  /// min(max(z, lower), upper) of every raw (ReLU: lower 0; §5, §12.4),
  /// over `concurrency` slices.
  static func clip(_ x: [Int64], lower: Int64, upper: Int64, concurrency: Int)
    -> [Int64]
  {
    x.withUnsafeBufferPointer { input in
      [Int64].filled(x.count) { output in
        guard let base = input.baseAddress else { return }
        let shared = (
          SharedBuffer(UnsafeMutablePointer(mutating: base)),
          SharedBuffer(output)
        )
        _ = Parallel.slices(
          x.count, concurrency: concurrency, minimumPerSlice: 1 << 14
        ) { range in
          // min(max(v, lower), upper), in CKernels.
          edgesim_clip_i64(
            shared.0.base + range.lowerBound, range.count, lower, upper,
            shared.1.base + range.lowerBound)
        }
      }
    }
  }

  /// Max-pool of an NCHW raw tensor over `concurrency` slices of planes:
  /// the largest raw of each window, padding excluded (§5 Max-pool).
  static func maxPool(_ x: [Int64], _ g: ConvGeometry, concurrency: Int)
    -> [Int64]
  {
    let planes = g.batch * g.channels
    let plane = g.outputPlane
    return x.withUnsafeBufferPointer { input in
      [Int64].filled(planes * plane) { output in
        guard let base = input.baseAddress else { return }
        let shared = (
          SharedBuffer(UnsafeMutablePointer(mutating: base)),
          SharedBuffer(output)
        )
        _ = Parallel.slices(
          planes, concurrency: concurrency, minimumPerSlice: 64
        ) { range in
          let inside =
            g.padTop == 0 && g.padLeft == 0
            && (g.outHeight - 1) * g.strideY + (g.kernelHeight - 1)
              * g.dilationY < g.height
            && (g.outWidth - 1) * g.strideX + (g.kernelWidth - 1) * g.dilationX
              < g.width
            && g.kernelHeight > 0 && g.kernelWidth > 0
          let pairs =
            inside && g.kernelHeight == 2 && g.kernelWidth == 2
            && g.dilationY == 1 && g.dilationX == 1
          for index in range where pairs {
            // 2 × 2 windows inside the plane (the common pool).
            let source = shared.0.base + index &* g.inputPlane
            let target = shared.1.base + index &* plane
            let (width, strideX) = (g.width, g.strideX)
            for oy in 0..<g.outHeight {
              let top = source + oy &* g.strideY &* width
              let bottom = top + width
              let row = target + oy &* g.outWidth
              for ox in 0..<g.outWidth {
                let x = ox &* strideX
                let a = max(top[x], top[x &+ 1])
                let b = max(bottom[x], bottom[x &+ 1])
                row[ox] = max(a, b)
              }
            }
          }
          for index in range where inside && !pairs {
            // Every window lies inside the plane: no bounds to test.
            let source = shared.0.base + index &* g.inputPlane
            var target = shared.1.base + index &* plane
            for oy in 0..<g.outHeight {
              let top = source + oy &* g.strideY &* g.width
              for ox in 0..<g.outWidth {
                let corner = top + ox &* g.strideX
                var best = Int64.min
                for i in 0..<g.kernelHeight {
                  let row = corner + i &* g.dilationY &* g.width
                  for j in 0..<g.kernelWidth {
                    let v = row[j &* g.dilationX]
                    best = v > best ? v : best
                  }
                }
                target.pointee = best
                target += 1
              }
            }
          }
          for index in range where !inside {
            let source = shared.0.base + index &* g.inputPlane
            var target = shared.1.base + index &* plane
            for oy in 0..<g.outHeight {
              let y0 = oy &* g.strideY &- g.padTop
              for ox in 0..<g.outWidth {
                let x0 = ox &* g.strideX &- g.padLeft
                var best = Int64.min
                var counted = false
                for i in 0..<g.kernelHeight {
                  let y = y0 &+ i &* g.dilationY
                  if y < 0 || y >= g.height { continue }
                  let row = source + y &* g.width
                  for j in 0..<g.kernelWidth {
                    let xx = x0 &+ j &* g.dilationX
                    if xx < 0 || xx >= g.width { continue }
                    let v = row[xx]
                    best = v > best ? v : best
                    counted = true
                  }
                }
                target.pointee = counted ? best : 0
                target += 1
              }
            }
          }
        }
      }
    }
  }

  /// Transposes a row-major matrix of raws.
  static func transposed(_ values: [Int64], rows: Int, cols: Int) -> [Int64] {
    var out = [Int64](repeating: 0, count: values.count)
    for i in 0..<rows {
      for j in 0..<cols { out[j * rows + i] = values[i * cols + j] }
    }
    return out
  }
}
