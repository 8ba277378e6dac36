import NetworkGraph
import RealModule

extension ExtendedOperands {
  /// The axes of a reduction (input 1, all when absent), the kept and
  /// reduced layout: for each output element, the input indices it reads.
  func reductionGroups(
    shape: [Int], axes: [Int], keepDims: Bool
  ) -> (outputShape: [Int], groups: [[Int]]) {
    let strides = rowMajorStrides(shape)
    let reduced = Set(axes)
    var outputShape: [Int] = []
    for (axis, size) in shape.enumerated() {
      if reduced.contains(axis) {
        if keepDims { outputShape.append(1) }
      } else {
        outputShape.append(size)
      }
    }
    let kept = shape.indices.filter { !reduced.contains($0) }
    let inner = shape.indices.filter { reduced.contains($0) }
    let keptCount = FloatTensor.count(kept.map { shape[$0] })
    let innerCount = FloatTensor.count(inner.map { shape[$0] })
    var innerOffsets = [Int](repeating: 0, count: innerCount)
    for j in 0..<innerCount {
      var rest = j
      var offset = 0
      for axis in inner.reversed() {
        offset += (rest % shape[axis]) * strides[axis]
        rest /= shape[axis]
      }
      innerOffsets[j] = offset
    }
    var groups: [[Int]] = []
    groups.reserveCapacity(keptCount)
    for k in 0..<keptCount {
      var rest = k
      var base = 0
      for axis in kept.reversed() {
        base += (rest % shape[axis]) * strides[axis]
        rest /= shape[axis]
      }
      groups.append(innerOffsets.map { base + $0 })
    }
    return (outputShape, groups)
  }

  /// ReduceMean, ReduceSum, … -18 in Double, rounded once to Float32.
  func reduce(
    _ kind: ReductionKind, keepDims: Bool, noopWithEmptyAxes: Bool
  ) throws(ExecutionError) -> FloatTensor {
    let x = try operand(0)
    let rank = x.shape.count
    var axes: [Int] = []
    let listed = try integers(1) ?? []
    if listed.isEmpty {
      if noopWithEmptyAxes { return x }
      axes = Array(0..<rank)
    } else {
      for value in listed { axes.append(try axis(value, rank: rank)) }
    }
    let (shape, groups) = reductionGroups(
      shape: x.shape, axes: axes, keepDims: keepDims)
    let v = x.values
    let out = groups.map { group -> Float in
      switch kind {
      case .mean, .sum:
        var total: Double = 0
        for i in group { total += Double(v[i]) }
        return Float(
          kind == .mean ? total / Double(max(group.count, 1)) : total)
      case .max: return group.map { v[$0] }.max() ?? -.infinity
      case .min: return group.map { v[$0] }.min() ?? .infinity
      case .product:
        var total: Double = 1
        for i in group { total *= Double(v[i]) }
        return Float(total)
      case .l1:
        var total: Double = 0
        for i in group { total += Double(v[i]).magnitude }
        return Float(total)
      case .l2, .sumSquare:
        var total: Double = 0
        for i in group { total += Double(v[i]) * Double(v[i]) }
        return Float(kind == .l2 ? total.squareRoot() : total)
      case .logSumExp:
        let top = group.map { Double(v[$0]) }.max() ?? -.infinity
        guard top.isFinite else { return Float(top) }
        var total: Double = 0
        for i in group { total += Double.exp(Double(v[i]) - top) }
        return Float(top + Double.log(total))
      }
    }
    return FloatTensor(unchecked: shape, values: out)
  }
}
