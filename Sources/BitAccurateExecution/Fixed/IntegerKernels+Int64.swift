// The Int64 kernels: any width, and the canonical order of
// saturateEachStep. Narrow formats use the Int16 kernels (IntegerKernels+Dot.swift).

extension IntegerKernels {
  /// Lays a group's receptive fields out as a K × P matrix of Int64 lanes,
  /// zero (raw 0 = value 0) where the window reads padding.
  static func im2col(
    _ input: UnsafePointer<Int64>, channels: Int, _ g: ConvGeometry,
    into column: UnsafeMutablePointer<Int64>
  ) {
    let plane = g.outputPlane
    var row = 0
    for c in 0..<channels {
      let channel = input + c * g.inputPlane
      for i in 0..<g.kernelHeight {
        for j in 0..<g.kernelWidth {
          let target = column + row * plane
          for oy in 0..<g.outHeight {
            let y = oy &* g.strideY &- g.padTop &+ i &* g.dilationY
            let rowTarget = target + oy * g.outWidth
            if y < 0 || y >= g.height {
              rowTarget.update(repeating: 0, count: g.outWidth)
              continue
            }
            let source = channel + y * g.width
            for ox in 0..<g.outWidth {
              let xx = ox &* g.strideX &- g.padLeft &+ j &* g.dilationX
              rowTarget[ox] = (xx >= 0 && xx < g.width) ? source[xx] : 0
            }
          }
          row &+= 1
        }
      }
    }
  }

  /// out[m][p] += Σ_k w[m][k] · col[k][p], k ascending, with wrapping
  /// Int64 arithmetic; exact because the caller proved that no partial sum
  /// leaves the lane (FIXED_POINT.md §5 load-time bound).
  static func gemm(
    _ w: UnsafePointer<Int64>, _ col: UnsafePointer<Int64>,
    _ out: UnsafeMutablePointer<Int64>,
    m: Int, k: Int, p: Int
  ) {
    // Four rows of the weight matrix at a time reuse each loaded column row.
    var row = 0
    while row + 4 <= m {
      let o0 = out + row * p
      let o1 = o0 + p
      let o2 = o1 + p
      let o3 = o2 + p
      let w0 = w + row * k
      let w1 = w0 + k
      let w2 = w1 + k
      let w3 = w2 + k
      for kk in 0..<k {
        let a0 = w0[kk]
        let a1 = w1[kk]
        let a2 = w2[kk]
        let a3 = w3[kk]
        let c = col + kk * p
        for q in 0..<p {
          let v = c[q]
          o0[q] = o0[q] &+ a0 &* v
          o1[q] = o1[q] &+ a1 &* v
          o2[q] = o2[q] &+ a2 &* v
          o3[q] = o3[q] &+ a3 &* v
        }
      }
      row += 4
    }
    while row < m {
      let o = out + row * p
      let wr = w + row * k
      for kk in 0..<k {
        let a = wr[kk]
        if a == 0 { continue }
        let c = col + kk * p
        for q in 0..<p { o[q] = o[q] &+ a &* c[q] }
      }
      row += 1
    }
  }
}
