import NetworkGraph

extension ExtendedOperands {
  /// DepthToSpace-13 (DCR, or CRD with `crd`) and SpaceToDepth-13 on
  /// `[N, C, H, W]` with block `b`:
  /// DCR `out[n][c][h·b+i][w·b+j] = x[n][(i·b+j)·C′+c][h][w]`,
  /// CRD `… = x[n][c·b²+i·b+j][h][w]`, and SpaceToDepth the inverse of DCR.
  func depthSpace(toSpace: Bool, block b: Int, crd: Bool)
    throws(ExecutionError) -> FloatTensor
  {
    let x = try operand(0)
    guard x.shape.count == 4, b >= 1 else {
      throw failure("input \(x.shape) must be [N, C, H, W] with block ≥ 1")
    }
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    if toSpace {
      guard c % (b * b) == 0 else {
        throw failure("\(c) channels do not divide by \(b)²")
      }
      let depth = c / (b * b)
      let shape = [n, depth, h * b, w * b]
      var out = [Float](repeating: 0, count: x.values.count)
      var o = 0
      for image in 0..<n {
        for channel in 0..<depth {
          for y in 0..<(h * b) {
            for xx in 0..<(w * b) {
              let (i, j) = (y % b, xx % b)
              let source =
                crd
                ? channel * b * b + i * b + j : (i * b + j) * depth + channel
              out[o] = x.values[((image * c + source) * h + y / b) * w + xx / b]
              o += 1
            }
          }
        }
      }
      return FloatTensor(unchecked: shape, values: out)
    }
    guard h % b == 0, w % b == 0 else {
      throw failure("\(h)×\(w) does not divide by the block \(b)")
    }
    let shape = [n, c * b * b, h / b, w / b]
    var out = [Float](repeating: 0, count: x.values.count)
    var o = 0
    for image in 0..<n {
      for channel in 0..<(c * b * b) {
        let (i, j) = ((channel / c) / b, (channel / c) % b)
        let source = channel % c
        for y in 0..<(h / b) {
          for xx in 0..<(w / b) {
            out[o] =
              x.values[((image * c + source) * h + y * b + i) * w + xx * b + j]
            o += 1
          }
        }
      }
    }
    return FloatTensor(unchecked: shape, values: out)
  }
}
