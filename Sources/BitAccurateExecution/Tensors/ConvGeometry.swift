import NetworkGraph

/// The loop bounds of a 2-D convolution or pooling window over an NCHW
/// tensor, resolved once per node with ``NetworkGraph/WindowGeometry``.
struct ConvGeometry: Hashable, Sendable {
  var batch: Int
  var channels: Int
  var height: Int
  var width: Int
  var kernelHeight: Int
  var kernelWidth: Int
  var strideY: Int
  var strideX: Int
  var dilationY: Int
  var dilationX: Int
  var padTop: Int
  var padLeft: Int
  var outHeight: Int
  var outWidth: Int

  /// Resolves the geometry; only 2-D windows (rank-4 tensors) are supported.
  init(
    input shape: [Int], kernel: [Int], strides: [Int]?, dilations: [Int]?,
    pads: [Int]?,
    autoPad: AutoPad, ceilMode: Bool, node: NodeReference
  ) throws(ExecutionError) {
    guard shape.count == 4, kernel.count == 2 else {
      throw .unsupported(
        node: node,
        message:
          "only 2-D windows on [N, C, H, W] tensors are executed, not \(shape)")
    }
    let window: WindowGeometry
    do {
      window = try WindowGeometry.resolve(
        inputSize: [shape[2], shape[3]], kernel: kernel, strides: strides,
        dilations: dilations, pads: pads, autoPad: autoPad, ceilMode: ceilMode,
        node: node)
    } catch {
      throw .network(error)
    }
    batch = shape[0]
    channels = shape[1]
    height = shape[2]
    width = shape[3]
    kernelHeight = window.kernel[0]
    kernelWidth = window.kernel[1]
    strideY = window.strides[0]
    strideX = window.strides[1]
    dilationY = window.dilations[0]
    dilationX = window.dilations[1]
    padTop = window.padsBegin[0]
    padLeft = window.padsBegin[1]
    outHeight = window.outputSize[0]
    outWidth = window.outputSize[1]
  }

  var outputPlane: Int { outHeight * outWidth }
  var inputPlane: Int { height * width }

  /// Whether the window is 1×1 with unit strides and no padding, so the
  /// input plane is already the im2col matrix.
  var isPointwise: Bool {
    kernelHeight == 1 && kernelWidth == 1 && strideY == 1 && strideX == 1
      && padTop == 0
      && padLeft == 0 && outHeight == height && outWidth == width
  }
}

/// NumPy broadcasting of two shapes and the index maps it implies.
struct Broadcast {
  let shape: [Int]
  let count: Int
  let aIndex: IndexMap
  let bIndex: IndexMap

  /// Flat operand indices by output index: the identity (equal shapes, no
  /// table held) or a table.
  struct IndexMap: RandomAccessCollection {
    let count: Int
    let table: [Int]?
    var startIndex: Int { 0 }
    var endIndex: Int { count }
    subscript(position: Int) -> Int { table?[position] ?? position }
  }

  /// The flat operand indices for every output element, or `nil` when the
  /// shapes do not broadcast.
  init?(_ a: [Int], _ b: [Int]) {
    let rank = max(a.count, b.count)
    let ap = Array(repeating: 1, count: rank - a.count) + a
    let bp = Array(repeating: 1, count: rank - b.count) + b
    var shape: [Int] = []
    for (p, q) in zip(ap, bp) {
      if p == q || q == 1 {
        shape.append(p)
      } else if p == 1 {
        shape.append(q)
      } else {
        return nil
      }
    }
    self.shape = shape
    count = FloatTensor.count(shape)
    func strides(_ dims: [Int]) -> [Int] {
      var result = Array(repeating: 0, count: rank)
      var running = 1
      for axis in stride(from: rank - 1, through: 0, by: -1) {
        result[axis] = dims[axis] == 1 ? 0 : running
        running *= dims[axis]
      }
      return result
    }
    if ap == bp {
      aIndex = IndexMap(count: count, table: nil)
      bIndex = aIndex
      return
    }
    let sa = strides(ap)
    let sb = strides(bp)
    var ai = Array(repeating: 0, count: count)
    var bi = Array(repeating: 0, count: count)
    var index = Array(repeating: 0, count: rank)
    for flat in 0..<count {
      var x = 0
      var y = 0
      for axis in 0..<rank {
        x += index[axis] * sa[axis]
        y += index[axis] * sb[axis]
      }
      ai[flat] = x
      bi[flat] = y
      var axis = rank - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < shape[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    aIndex = IndexMap(count: count, table: ai)
    bIndex = IndexMap(count: count, table: bi)
  }
}
