import FixedPointArithmetic
import NetworkGraph

// Joining the results of slices of a batch (`run --batch-size`) into the results of one
// run over every sample. Activations, events and errors add up over the
// samples; weights and biases are the same in every slice and count once.

extension NetworkStatistics {
  /// These statistics joined with those of the next slice of samples.
  ///
  /// - Parameters:
  ///   - other: The statistics of the next slice.
  ///   - network: Tells constants (counted once in ``bitsMoved``) from
  ///     activations (added).
  /// - Returns: The statistics of both slices together.
  public func merging(_ other: NetworkStatistics, network: Network)
    -> NetworkStatistics
  {
    var result = self
    result.input = input.merging(other.input)
    result.layers = zip(layers, other.layers).map { $0.merging($1) }
    let total = samples + other.samples
    func weighted(_ a: Double?, _ b: Double?) -> Double? {
      guard let a, let b, total > 0 else { return nil }
      let hits =
        (a * Double(samples)).rounded() + (b * Double(other.samples)).rounded()
      return hits / Double(total)
    }
    result.top1 = weighted(top1, other.top1)
    result.top5 = weighted(top5, other.top5)
    result.floatTop1 = weighted(floatTop1, other.floatTop1)
    result.top1Agreement =
      weighted(top1Agreement, other.top1Agreement) ?? top1Agreement
    result.samples = total
    result.totalOverflows =
      result.input.overflow.total
      + result.layers.reduce(0) { $0 + $1.totalOverflows }
    for (name, bits) in other.bitsMoved
    where network.initializer(named: name) == nil {
      result.bitsMoved[name, default: 0] &+= bits
    }
    for (format, count) in other.macs {
      result.macs[format, default: 0] &+= count
    }
    return result
  }
}

extension LayerStatistics {
  /// This layer's statistics joined with the next slice's; weight and bias
  /// statistics are the same in both and kept once.
  public func merging(_ other: LayerStatistics) -> LayerStatistics {
    var result = self
    if let a = accumulator, let b = other.accumulator {
      result.accumulator = a.merging(b)
    }
    result.output = output.merging(other.output)
    result.inputRequantization.merge(other.inputRequantization)
    result.macs &+= other.macs
    return result
  }
}

extension TensorStatistics {
  /// Statistics over the elements of both.
  public func merging(_ other: TensorStatistics) -> TensorStatistics {
    var result = self
    result.elements &+= other.elements
    result.overflow.merge(other.overflow)
    if var steps = stepOverflow, let more = other.stepOverflow {
      steps.merge(more)
      result.stepOverflow = steps
    }
    result.underflowToZero &+= other.underflowToZero
    if let format {
      result.maxAbsRaw = max(maxAbsRaw, other.maxAbsRaw)
      let length = 64 - result.maxAbsRaw.magnitude.leadingZeroBitCount
      result.usedBits = format.isSigned ? length + 1 : length
      result.headroomBits = format.bits - result.usedBits
    }
    if let a = histogram, let b = other.histogram {
      result.histogram = a.merging(b)
    }
    if let a = local, let b = other.local { result.local = a.merging(b) }
    if let a = endToEnd, let b = other.endToEnd {
      result.endToEnd = a.merging(b)
    }
    return result
  }
}

extension ErrorStatistics {
  /// The error over the elements of both.
  public func merging(_ other: ErrorStatistics) -> ErrorStatistics {
    var result = self
    result.signal += other.signal
    result.noise += other.noise
    result.l1 += other.l1
    result.maxAbsError = max(maxAbsError, other.maxAbsError)
    result.count = count &+ other.count
    if result.count > 0 {
      result.meanErrorLSB =
        (meanErrorLSB * Double(count) + other.meanErrorLSB * Double(other.count))
        / Double(result.count)
    }
    return result
  }
}

extension Log2Histogram {
  /// Both histograms' counts, bin by bin (same format, same window).
  public func merging(_ other: Log2Histogram) -> Log2Histogram {
    var result = self
    result.zeros &+= other.zeros
    var byExponent: [Int: Bin] = [:]
    for bin in bins { byExponent[bin.exponent] = bin }
    for bin in other.bins {
      if var existing = byExponent[bin.exponent] {
        existing.count &+= bin.count
        byExponent[bin.exponent] = existing
      } else {
        byExponent[bin.exponent] = bin
      }
    }
    result.bins = byExponent.keys.sorted().compactMap { byExponent[$0] }
    return result
  }
}

extension DumpEntry {
  /// The dumps of consecutive slices joined along the first axis, entry by
  /// entry (every slice dumps the same tensors in the same order).
  public static func concatenating(_ slices: [[DumpEntry]]) -> [DumpEntry] {
    guard let first = slices.first else { return [] }
    guard slices.count > 1 else { return first }
    return first.indices.map { index in
      let pieces = slices.compactMap {
        $0.indices.contains(index) ? $0[index] : nil
      }
      var shape = first[index].shape
      if !shape.isEmpty {
        shape[0] = pieces.reduce(0) { $0 + ($1.shape.first ?? 0) }
      }
      switch first[index].contents {
      case .raw(_, let format):
        var raws: [Int64] = []
        for piece in pieces {
          if case .raw(let values, _) = piece.contents { raws += values }
        }
        return DumpEntry(
          name: first[index].name, shape: shape, contents: .raw(raws, format))
      case .float:
        var values: [Float] = []
        for piece in pieces {
          if case .float(let v) = piece.contents { values += v }
        }
        return DumpEntry(
          name: first[index].name, shape: shape, contents: .float(values))
      }
    }
  }
}
