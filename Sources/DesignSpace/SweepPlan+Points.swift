/// Problems that stop a plan from being enumerated.
public enum SweepPlanError: Error, Hashable, Sendable {
  /// The grids hold more points than an `Int` counts.
  case tooManyPoints
}

extension SweepPlan {
  /// The number of points over every study's grid.
  ///
  /// - Throws: ``SweepPlanError/tooManyPoints`` on overflow.
  public func totalCount() throws(SweepPlanError) -> Int {
    var total = 0
    for study in studies {
      guard let count = study.count else { throw .tooManyPoints }
      let (sum, overflow) = total.addingReportingOverflow(count)
      if overflow { throw .tooManyPoints }
      total = sum
    }
    return total
  }

  /// The plan numbers of the points the strategy selects, in increasing
  /// order, restricted to one shard.
  ///
  /// A grid is enumerated lazily (memory does not grow with the grid); a
  /// random sample holds its `count` numbers.
  ///
  /// - Complexity: O(1) memory for a grid; O(k log k) time and O(k) memory
  ///   for a sample of k points (Floyd's algorithm, then a sort).
  public func selectedIndices(in shard: Shard) throws(SweepPlanError)
    -> SelectedIndices
  {
    let total = try totalCount()
    switch strategy {
    case .grid, .search:
      return SelectedIndices(storage: .range(0..<total), shard: shard)
    case .random(let count, let seed):
      if count >= total {
        return SelectedIndices(storage: .range(0..<total), shard: shard)
      }
      var generator = SeededGenerator(seed: seed)
      // Floyd (Bentley, CACM 1987): k distinct numbers from 0..<n.
      var chosen = Set<Int>(minimumCapacity: count)
      var j = total - count
      while j < total {
        let t = Int.random(in: 0...j, using: &generator)
        if chosen.contains(t) { chosen.insert(j) } else { chosen.insert(t) }
        j += 1
      }
      return SelectedIndices(storage: .list(chosen.sorted()), shard: shard)
    }
  }

  /// The selected points of one shard, made one at a time.
  public func points(in shard: Shard) throws(SweepPlanError) -> LazyMapSequence<
    SelectedIndices, DesignPoint
  > {
    let indices = try selectedIndices(in: shard)
    return indices.lazy.map { self.point(at: $0) }
  }

  /// The point with a plan number.
  ///
  /// - Precondition: `0 ≤ index < totalCount()`; out of range gives the
  ///   last study's last point rather than trapping.
  public func point(at index: Int) -> DesignPoint {
    var local = max(0, index)
    var studyIndex = 0
    while studyIndex < studies.count - 1, let count = studies[studyIndex].count,
      local >= count
    {
      local -= count
      studyIndex += 1
    }
    guard studies.indices.contains(studyIndex) else {
      return DesignPoint(index: index, model: "", device: "", batch: 1)
    }
    let study = studies[studyIndex]
    // Mixed radix, the last axis fastest.
    var radices = [
      study.models.count, study.devices.count, study.batches.count,
    ]
    radices += study.precisionAxes.map(\.settings.count)
    radices += study.compressionAxes.map(\.levels.count)
    radices += study.hardwareAxes.map(\.values.count)
    var digits = Array(repeating: 0, count: radices.count)
    for position in radices.indices.reversed() where radices[position] > 0 {
      digits[position] = local % radices[position]
      local /= radices[position]
    }
    func pick<T>(_ values: [T], _ position: Int) -> T? {
      values.indices.contains(digits[position]) ? values[digits[position]] : nil
    }
    var point = DesignPoint(
      index: index, model: pick(study.models, 0) ?? "",
      device: pick(study.devices, 1) ?? "",
      batch: pick(study.batches, 2) ?? 1, defaultBits: study.defaultBits)
    point.study = studyIndex
    for (offset, axis) in study.precisionAxes.enumerated() {
      if let setting = pick(axis.settings, 3 + offset) {
        point.precision.append(
          PrecisionChoiceOfAxis(
            axis: axis.label, layers: axis.layers, setting: setting))
      }
    }
    let compressionStart = 3 + study.precisionAxes.count
    point.huffman = study.huffman
    for (offset, axis) in study.compressionAxes.enumerated() {
      if let level = pick(axis.levels, compressionStart + offset) {
        point.compression.append(
          CompressionChoiceOfAxis(
            axis: axis.label, layers: axis.layers, key: axis.key, level: level))
      }
    }
    let first = compressionStart + study.compressionAxes.count
    for (offset, axis) in study.hardwareAxes.enumerated() {
      if let value = pick(axis.values, first + offset) {
        point.hardware.append(
          HardwareOverride(parameter: axis.parameter, value: value))
      }
    }
    return point
  }
}

/// Plan numbers selected by a strategy and a shard, in increasing order.
public struct SelectedIndices: Sequence, Sendable {
  enum Storage: Sendable {
    case range(Range<Int>)
    case list([Int])
  }

  let storage: Storage
  /// The shard the numbers are restricted to.
  public let shard: Shard

  /// The number of selected points in the shard.
  public var count: Int {
    let all: Int
    switch storage {
    case .range(let range): all = range.count
    case .list(let list): all = list.count
    }
    // Positions p with p % n == k - 1.
    let offset = shard.index - 1
    return all > offset ? (all - offset - 1) / shard.count + 1 : 0
  }

  /// Iterates the numbers.
  public func makeIterator() -> Iterator {
    Iterator(storage: storage, position: shard.index - 1, step: shard.count)
  }

  /// Iterates the numbers of a shard by stepping positions.
  public struct Iterator: IteratorProtocol {
    let storage: Storage
    var position: Int
    let step: Int

    /// The next plan number.
    public mutating func next() -> Int? {
      let value: Int?
      switch storage {
      case .range(let range):
        value = position < range.count ? range.lowerBound + position : nil
      case .list(let list):
        value = position < list.count ? list[position] : nil
      }
      if value != nil {
        let (next, overflow) = position.addingReportingOverflow(step)
        position = overflow ? Int.max : next
      }
      return value
    }
  }
}
