import NetworkGraph

extension ExtendedOperands {
  /// Resize-19 (and Upsample).
  ///
  /// Output sizes come from `sizes` (input 3) or `floor(input · scales)`
  /// (input 2). Each axis maps an output coordinate
  /// to an input coordinate by the coordinate transformation, then takes
  /// the nearest input (by `nearest_mode`), or the linear or cubic
  /// (`cubic_coeff_a`, `exclude_outside`) taps around it; the taps of all
  /// axes multiply (separable), summed in Double.
  func resize(mode: ResizeMode, sampling: ResizeSampling)
    throws(ExecutionError) -> FloatTensor
  {
    let x = try operand(0)
    let rank = x.shape.count
    var outputShape = x.shape
    var scales = [Double](repeating: 1, count: rank)
    if let sizes = try integers(3) {
      guard sizes.count == rank, sizes.allSatisfy({ $0 >= 0 }) else {
        throw failure("sizes must hold \(rank) non-negative values")
      }
      outputShape = sizes
      for a in 0..<rank where x.shape[a] > 0 {
        scales[a] = Double(Float(sizes[a]) / Float(x.shape[a]))
      }
    } else if let given = optional(2), !given.values.isEmpty {
      guard given.values.count == rank, given.values.allSatisfy({ $0 > 0 })
      else { throw failure("scales must hold \(rank) positive values") }
      for a in 0..<rank {
        scales[a] = Double(given.values[a])
        outputShape[a] = Int((Double(x.shape[a]) * scales[a]).rounded(.down))
      }
    } else {
      throw failure("Resize needs scales or sizes")
    }
    // Per axis and output coordinate: the input indices and their weights.
    var taps: [[[(index: Int, weight: Double)]]] = []
    for a in 0..<rank {
      let length = x.shape[a]
      var axisTaps: [[(index: Int, weight: Double)]] = []
      for c in 0..<outputShape[a] {
        let original = Self.originalCoordinate(
          c, scale: scales[a], input: length, output: outputShape[a],
          transform: sampling.coordinateTransformation)
        axisTaps.append(
          Self.taps(
            at: original, length: length, mode: mode, sampling: sampling,
            downsampling: scales[a] < 1))
      }
      taps.append(axisTaps)
    }
    let count = FloatTensor.count(outputShape)
    let strides = rowMajorStrides(x.shape)
    var out = [Float](repeating: 0, count: count)
    var coordinates = [Int](repeating: 0, count: rank)
    for i in 0..<count {
      var rest = i
      for a in stride(from: rank - 1, through: 0, by: -1) {
        coordinates[a] = rest % outputShape[a]
        rest /= outputShape[a]
      }
      var total: Double = 0
      func accumulate(_ a: Int, _ offset: Int, _ weight: Double) {
        if a == rank {
          total += weight * Double(x.values[offset])
          return
        }
        for tap in taps[a][coordinates[a]] where tap.weight != 0 {
          accumulate(
            a + 1, offset + tap.index * strides[a], weight * tap.weight)
        }
      }
      accumulate(0, 0, 1)
      out[i] = Float(total)
    }
    return FloatTensor(unchecked: outputShape, values: out)
  }

  /// The input coordinate of output coordinate `c` (Resize-19's
  /// `coordinate_transformation_mode`).
  static func originalCoordinate(
    _ c: Int, scale: Double, input: Int, output: Int, transform: String
  ) -> Double {
    let x = Double(c)
    switch transform {
    case "asymmetric": return x / scale
    case "align_corners":
      return output == 1 ? 0 : x * Double(input - 1) / Double(output - 1)
    case "pytorch_half_pixel":
      return output > 1 ? (x + 0.5) / scale - 0.5 : 0
    case "half_pixel_symmetric":
      let adjustment = Double(output) / (scale * Double(input))
      let center = Double(input) / 2
      let offset = center * (1 - adjustment)
      return offset + (x + 0.5) / scale - 0.5
    default: return (x + 0.5) / scale - 0.5
    }
  }

  /// The input taps of one output coordinate along an axis.
  static func taps(
    at original: Double, length: Int, mode: ResizeMode,
    sampling: ResizeSampling, downsampling: Bool
  ) -> [(index: Int, weight: Double)] {
    func clamped(_ index: Int) -> Int { min(max(index, 0), length - 1) }
    switch mode {
    case .nearest:
      let floor = original.rounded(.down)
      var index: Double
      switch sampling.nearestMode {
      case "floor": index = floor
      case "ceil": index = original.rounded(.up)
      case "round_prefer_ceil":
        index = original - floor == 0.5 ? floor + 1 : original.rounded()
      default:
        index = original - floor == 0.5 ? floor : original.rounded()
      }
      return [(clamped(Int(index)), 1)]
    case .linear:
      let x = min(max(original, 0), Double(length - 1))
      let low = Int(x.rounded(.down))
      let high = min(low + 1, length - 1)
      let t = x - Double(low)
      return [(low, 1 - t), (high, t)]
    case .cubic:
      let a = Double(sampling.cubicCoefficient)
      func kernel(_ s: Double) -> Double {
        let d = s.magnitude
        if d <= 1 { return ((a + 2) * d - (a + 3)) * d * d + 1 }
        if d < 2 { return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a }
        return 0
      }
      let base = Int(original.rounded(.down))
      let t = original - Double(base)
      var result: [(index: Int, weight: Double)] = []
      var total: Double = 0
      for offset in -1...2 {
        let index = base + offset
        var weight = kernel(Double(offset) - t)
        if sampling.excludeOutside && (index < 0 || index >= length) {
          weight = 0
        }
        total += weight
        result.append((clamped(index), weight))
      }
      if sampling.excludeOutside, total != 0 {
        result = result.map { ($0.index, $0.weight / total) }
      }
      return result
    }
  }
}
