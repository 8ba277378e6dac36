import CKernels
import NetworkGraph

/// Float32 kernels of the reference executor (NCHW, batch N).
enum FloatKernels {
  /// Conv-11 for 2-D windows, any group: per image and group a row-major
  /// GEMM out[m][p] = bias[m] + Σ w[m][k] · col[k][p] (k ascending) on the
  /// im2col matrix col, each output then clamped by `clamp` (a fused ReLU
  /// or Clip, ``FloatClamp``).
  ///
  /// CKernels' `edgesim_conv_bias_clamp_f32` packs col's blocks straight from the input planes (col is never
  /// built); a pointwise layer's col is its input.
  static func conv(
    _ x: FloatTensor, weight: [Float], weightShape: [Int], bias: [Float]?,
    attributes: ConvAttributes, node: NodeReference, concurrency: Int = 1,
    clamp: FloatClamp = .unbounded
  ) throws(ExecutionError) -> FloatTensor {
    guard weightShape.count == 4 else {
      throw .unsupported(
        node: node, message: "only 2-D convolutions are executed")
    }
    let g = try ConvGeometry(
      input: x.shape, kernel: Array(weightShape[2...]),
      strides: attributes.strides,
      dilations: attributes.dilations, pads: attributes.pads,
      autoPad: attributes.autoPad,
      ceilMode: false, node: node)
    let groups = attributes.group
    let outChannels = weightShape[0]
    let groupIn = weightShape[1]
    guard groups >= 1, groupIn * groups == g.channels, outChannels % groups == 0
    else {
      throw .shapeMismatch(
        tensor: node.name,
        message: "weight \(weightShape) does not fit input \(x.shape)")
    }
    let groupOut = outChannels / groups
    if groupIn == 1 && groups > 1 {
      return depthwise(
        x, weight: weight, bias: bias, g, multiplier: groupOut,
        concurrency: concurrency, clamp: clamp)
    }
    let k = groupIn * g.kernelHeight * g.kernelWidth
    let plane = g.outputPlane
    let out = [Float].filled(g.batch * outChannels * plane) { output in
      x.values.withUnsafeBufferPointer { input in
        guard let inputBase = input.baseAddress else { return }
        let shared = (
          SharedBuffer(UnsafeMutablePointer(mutating: inputBase)),
          SharedBuffer(output)
        )
        _ = Parallel.slices(
          g.batch, concurrency: concurrency, minimumPerSlice: 4
        ) { images in
          var panel = [Float](
            repeating: 0, count: edgesim_sgemm_panel_floats())
          var window = EdgeSimWindow(g)
          let biasValues = bias ?? []
          weight.withUnsafeBufferPointer { w in
            biasValues.withUnsafeBufferPointer { b in
              panel.withUnsafeMutableBufferPointer { panel in
                for n in images {
                  for group in 0..<groups {
                    let matrix = UnsafePointer(
                      shared.0.base
                        + (n * g.channels + group * groupIn) * g.inputPlane)
                    let weights =
                      w.baseAddress.unsafelyUnwrapped + group * groupOut * k
                    let groupBias =
                      bias == nil
                      ? nil : b.baseAddress.map { $0 + group * groupOut }
                    let target =
                      shared.1.base + (n * outChannels + group * groupOut)
                      * plane
                    // row[p] = bias[m] + w[m][kk] · col[kk][p], kk
                    // ascending, then clamped.
                    if g.isPointwise {
                      edgesim_sgemm_bias_clamp(
                        weights, groupOut, k, matrix, plane, groupBias,
                        clamp.lower, clamp.upper, panel.baseAddress, target)
                    } else {
                      edgesim_conv_bias_clamp_f32(
                        weights, groupOut, matrix, groupIn, &window,
                        groupBias, clamp.lower, clamp.upper,
                        panel.baseAddress, target)
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return FloatTensor(
      unchecked: [g.batch, outChannels, g.outHeight, g.outWidth], values: out)
  }

  /// A convolution whose every group reads one channel (depthwise, with
  /// `multiplier` outputs per channel): CKernels' direct
  /// `edgesim_depthwise_f32`, which adds the same products in the same order
  /// as im2col and the GEMM (bias, then the taps ascending), so the same
  /// bits without the K × P matrix; then clamped by `clamp`.
  ///
  /// Layers with a column stride, or output rows narrower than 8, take
  /// `edgesim_depthwise_flat_f32` instead (see `usesFlatDepthwise`): the
  /// same sums, vectorized along the whole output plane.
  static func depthwise(
    _ x: FloatTensor, weight: [Float], bias: [Float]?, _ g: ConvGeometry,
    multiplier: Int, concurrency: Int, clamp: FloatClamp = .unbounded
  ) -> FloatTensor {
    let outChannels = g.channels * multiplier
    let plane = g.outputPlane
    let window = EdgeSimWindow(g)
    let flat = usesFlatDepthwise(window)
    let scratchCount = withUnsafePointer(to: window) {
      flat
        ? edgesim_depthwise_flat_f32_scratch($0)
        : edgesim_depthwise_f32_scratch($0)
    }
    let out = [Float].filled(g.batch * outChannels * plane) { output in
      x.values.withUnsafeBufferPointer { input in
        guard let inputBase = input.baseAddress else { return }
        let shared = (
          SharedBuffer(UnsafeMutablePointer(mutating: inputBase)),
          SharedBuffer(output)
        )
        _ = Parallel.slices(
          g.batch, concurrency: concurrency, minimumPerSlice: 1
        ) { images in
          var scratch = [Float](repeating: 0, count: scratchCount)
          var window = window
          let biasValues = bias ?? []
          weight.withUnsafeBufferPointer { w in
            biasValues.withUnsafeBufferPointer { b in
              scratch.withUnsafeMutableBufferPointer { s in
                let biasBase = bias == nil ? nil : b.baseAddress
                for n in images {
                  let source = shared.0.base + n * g.channels * g.inputPlane
                  let target = shared.1.base + n * outChannels * plane
                  if flat {
                    edgesim_depthwise_flat_f32(
                      source, g.channels, multiplier, &window, w.baseAddress,
                      biasBase, clamp.lower, clamp.upper, s.baseAddress,
                      target)
                  } else {
                    edgesim_depthwise_f32(
                      source, g.channels, multiplier, &window, w.baseAddress,
                      biasBase, clamp.lower, clamp.upper, s.baseAddress,
                      target)
                  }
                }
              }
            }
          }
        }
      }
    }
    return FloatTensor(
      unchecked: [g.batch, outChannels, g.outHeight, g.outWidth], values: out)
  }

  /// Whether a depthwise layer takes the plane-wide kernel.
  ///
  /// It does with a column stride (the row kernel fills its padded phase
  /// plane one value at a time), with output rows narrower than 8
  /// (MobileNetV2's 7 × 7 layers, which the row kernel runs one output at a
  /// time), and where it computes fewer lanes per output row: its `pitch`
  /// (the padded row) against the row kernel's blocks of 16 (56 wide: 58
  /// against 64; 14 wide: 16 against 16, so the row kernel). Both kernels
  /// give the same bits; the choice is measured (BENCHMARKS.md, issue #19).
  static func usesFlatDepthwise(_ window: EdgeSimWindow) -> Bool {
    let width = window.outWidth
    if window.strideX > 1 || width < 8 { return true }
    let pitch = width + (window.kernelWidth - 1) * window.dilationX
    let rowLanes = max(16, (width + 15) / 16 * 16)
    return pitch < rowLanes
  }

  /// Lays a group's receptive fields out as a K × P matrix, zero where the
  /// window reads padding (CKernels' `edgesim_im2col_f32`).
  static func im2col(
    _ input: UnsafeBufferPointer<Float>, from base: Int, channels: Int,
    _ g: ConvGeometry,
    into column: UnsafeMutableBufferPointer<Float>
  ) {
    var window = EdgeSimWindow(g)
    edgesim_im2col_f32(
      input.baseAddress.unsafelyUnwrapped + base, channels, &window,
      column.baseAddress)
  }

  /// Batched matrix product out[b][m][n] = Σ_k a[b][m][k] · b[b][k][n] with
  /// NumPy broadcasting of the batch axes (MatMul-13, and Gemm without
  /// transposes, alpha, beta).
  static func matMul(_ a: FloatTensor, _ b: FloatTensor, node: NodeReference)
    throws(ExecutionError) -> FloatTensor
  {
    let plan = try MatMulPlan(a.shape, b.shape, node: node)
    var out = [Float](repeating: 0, count: plan.outputCount)
    a.values.withUnsafeBufferPointer { pa in
      b.values.withUnsafeBufferPointer { pb in
        out.withUnsafeMutableBufferPointer { po in
          for batch in 0..<plan.batchCount {
            let aBase = plan.aOffsets[batch]
            let bBase = plan.bOffsets[batch]
            let oBase = batch * plan.m * plan.n
            // row[j] += a[i][kk] · b[kk][j], kk ascending.
            edgesim_sgemm_accumulate(
              pa.baseAddress.unsafelyUnwrapped + aBase, plan.m, plan.k,
              pb.baseAddress.unsafelyUnwrapped + bBase, plan.n,
              po.baseAddress.unsafelyUnwrapped + oBase)
          }
        }
      }
    }
    return FloatTensor(unchecked: plan.outputShape, values: out)
  }
}

/// The shapes of a (batched, broadcast) matrix product, NumPy `matmul` rules.
struct MatMulPlan {
  var m: Int
  var k: Int
  var n: Int
  var batchCount: Int
  var aOffsets: [Int]
  var bOffsets: [Int]
  var outputShape: [Int]
  var outputCount: Int

  init(_ a: [Int], _ b: [Int], node: NodeReference) throws(ExecutionError) {
    guard !a.isEmpty, !b.isEmpty else {
      throw .unsupported(node: node, message: "matrix product of scalars")
    }
    let a2 = a.count == 1 ? [1, a[0]] : a
    let b2 = b.count == 1 ? [b[0], 1] : b
    m = a2[a2.count - 2]
    k = a2[a2.count - 1]
    n = b2[b2.count - 1]
    guard b2[b2.count - 2] == k,
      let batch = Broadcast(Array(a2.dropLast(2)), Array(b2.dropLast(2)))
    else {
      throw .shapeMismatch(
        tensor: node.name, message: "cannot multiply \(a) by \(b)")
    }
    batchCount = batch.count
    let (mm, kk, nn) = (m, k, n)
    aOffsets = batch.aIndex.map { $0 * mm * kk }
    bOffsets = batch.bIndex.map { $0 * kk * nn }
    var shape = batch.shape
    if a.count != 1 { shape.append(m) }
    if b.count != 1 { shape.append(n) }
    outputShape = shape
    outputCount = batchCount * m * n
  }
}

extension EdgeSimWindow {
  /// The window of a 2-D convolution's geometry.
  init(_ g: ConvGeometry) {
    self.init(
      height: g.height, width: g.width, kernelHeight: g.kernelHeight,
      kernelWidth: g.kernelWidth, strideY: g.strideY, strideX: g.strideX,
      dilationY: g.dilationY, dilationX: g.dilationX, padTop: g.padTop,
      padLeft: g.padLeft, outHeight: g.outHeight, outWidth: g.outWidth)
  }
}
