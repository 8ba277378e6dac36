/// How IFMAP and FILTER DRAM reads are counted.
public enum SystolicDRAMReadModel: Hashable, Sendable {
  /// SCALE-Sim 3.0.0's `CALC`-mode read buffer, reproduced exactly: the
  /// operand stream, in the order the array consumes it, is split into
  /// tumbling windows of `50·floor(N/100)` distinct words (50 sets of
  /// `floor(N/100)` words, the active half of an `N`-word SRAM); a word is
  /// read from DRAM the first time it appears in its window. When the
  /// operand's distinct words fit in one window this is the distinct count
  /// (O(1)); otherwise the stream is walked, in O(SRAM reads) time and
  /// O(operand words) memory.
  case scaleSimWindow
  /// Distinct words touched, ignoring re-fetches (O(1)); a lower bound of
  /// ``scaleSimWindow``, equal to it whenever the operand fits.
  case distinctWords
}

/// The operand streams of SCALE-Sim 3.0.0's demand matrices and its
/// estimate-bandwidth read buffer (`read_buffer_estimate_bw.py`), restated.
struct SystolicReadStream {
  let gemm: SystolicGEMM
  let folding: SystolicFolding

  /// SCALE-Sim's tumbling-window size for an `words`-word SRAM, or `nil`
  /// when the set size `floor(words/100)` is zero (the window never fills).
  static func window(words: Int) -> Int? {
    let perSet = words / 100
    return perSet > 0 ? 50 * perSet : nil
  }

  /// Distinct input words the im2col operand touches.
  func distinctIfmapWords() throws(SystolicModelError) -> Int {
    guard let w = gemm.window else {
      return try SystolicMath.multiply(gemm.e, gemm.k, "input words")
    }
    func touched(_ size: Int, _ kernel: Int, _ outputs: Int) -> Int {
      if w.stride <= kernel { return size }
      var total = 0
      for i in 0..<outputs { total += max(0, min(kernel, size - i * w.stride)) }
      return total
    }
    let rows = touched(w.ifmapHeight, w.filterHeight, w.ofmapHeight)
    let cols = touched(w.ifmapWidth, w.filterWidth, w.ofmapWidth)
    return try SystolicMath.product([rows, cols, w.channels], "input words")
  }

  /// Distinct filter words (`K·M`).
  func distinctFilterWords() throws(SystolicModelError) -> Int {
    try SystolicMath.multiply(gemm.k, gemm.m, "filter words")
  }

  /// The input word read for output pixel `e` and window position `k`, or
  /// −1 when the window hangs past the input (SCALE-Sim's
  /// `calc_ifmap_elem_addr`: row-major `(y·W + x)·C + channel`).
  @inline(__always)
  func ifmapAddress(_ e: Int, _ k: Int) -> Int {
    guard let w = gemm.window else { return e &* gemm.k &+ k }
    let ew = w.ofmapWidth
    let (oy, ox) = e.quotientAndRemainder(dividingBy: ew)
    let (ry, rest) = k.quotientAndRemainder(
      dividingBy: w.filterWidth &* w.channels)
    let (rx, ch) = rest.quotientAndRemainder(dividingBy: w.channels)
    let y = oy &* w.stride &+ ry
    let x = ox &* w.stride &+ rx
    guard y < w.ifmapHeight, x < w.ifmapWidth else { return -1 }
    return (y &* w.ifmapWidth &+ x) &* w.channels &+ ch
  }

  /// Visits the IFMAP addresses in demand order (column folds outermost,
  /// then row folds, then cycles, then array lanes).
  func forEachIfmap(_ body: (Int) -> Void) {
    let f = folding
    let r = f.rows
    for fc in 0..<f.columnFolds {
      for fr in 0..<f.rowFolds {
        let usedR = f.usedRows(rowFold: fr)
        let usedC = f.usedColumns(columnFold: fc)
        switch f.dataflow {
        case .os:  // lane c reads (e = fr·R + c, k = t − c), skewed
          for t in 0..<(f.temporal + usedR - 1) {
            for c in max(0, t - f.temporal + 1)...min(usedR - 1, t) {
              body(ifmapAddress(fr * r + c, t - c))
            }
          }
        case .ws:  // lane c reads (e = t − c − R, k = fr·R + c), skewed
          for t in 0..<(f.temporal + usedR - 1) {
            for c in max(0, t - f.temporal + 1)...min(usedR - 1, t) {
              body(ifmapAddress(t - c, fr * r + c))
            }
          }
        case .is:  // stationary tile, rows flipped: k descending
          for row in (r - usedR)..<r {
            let k = fr * r + (r - 1 - row)
            for c in 0..<usedC { body(ifmapAddress(fc * f.columns + c, k)) }
          }
        case .rs: return
        }
      }
    }
  }

  /// Visits the FILTER addresses (`m·K + k`) in demand order.
  func forEachFilter(_ body: (Int) -> Void) {
    let f = folding
    let r = f.rows
    let kk = gemm.k
    for fc in 0..<f.columnFolds {
      for fr in 0..<f.rowFolds {
        let usedR = f.usedRows(rowFold: fr)
        let usedC = f.usedColumns(columnFold: fc)
        switch f.dataflow {
        case .os:  // lane c reads (k = t − c, m = fc·C + c), skewed
          for t in 0..<(f.temporal + usedC - 1) {
            for c in max(0, t - f.temporal + 1)...min(usedC - 1, t) {
              body((fc * f.columns + c) * kk + (t - c))
            }
          }
        case .ws:  // stationary tile, rows flipped: k descending
          for row in (r - usedR)..<r {
            let k = fr * r + (r - 1 - row)
            for c in 0..<usedC { body((fc * f.columns + c) * kk + k) }
          }
        case .is:  // lane c reads (k = fr·R + c, m = t − c), skewed
          for t in 0..<(f.temporal + usedR - 1) {
            for c in max(0, t - f.temporal + 1)...min(usedR - 1, t) {
              body((t - c) * kk + fr * r + c)
            }
          }
        case .rs: return
        }
      }
    }
  }

  /// Counts DRAM reads of one operand under SCALE-Sim's tumbling window.
  static func windowedReads(
    space: Int, window: Int?, distinct: Int, visit: ((Int) -> Void) -> Void
  ) -> Int {
    guard let window, distinct >= window else { return distinct }
    var stamp = [Int32](repeating: -1, count: space)
    var group: Int32 = 0
    var inGroup = 0
    var reads = 0
    visit { address in
      guard address >= 0, address < space, stamp[address] != group else {
        return
      }
      stamp[address] = group
      reads += 1
      inGroup += 1
      if inGroup == window {
        group &+= 1
        inGroup = 0
      }
    }
    return reads
  }

  /// IFMAP and FILTER DRAM reads for SRAMs of the given sizes.
  func dramReads(
    ifmapWords: Int, filterWords: Int, model: SystolicDRAMReadModel
  ) throws(SystolicModelError) -> (ifmap: Int, filter: Int) {
    let ifmapDistinct = try distinctIfmapWords()
    let filterDistinct = try distinctFilterWords()
    guard model == .scaleSimWindow else {
      return (ifmapDistinct, filterDistinct)
    }
    let ifmapSpace: Int
    if let w = gemm.window {
      ifmapSpace = try SystolicMath.product(
        [w.ifmapHeight, w.ifmapWidth, w.channels], "input words")
    } else {
      ifmapSpace = ifmapDistinct
    }
    let ifmap = Self.windowedReads(
      space: ifmapSpace, window: Self.window(words: ifmapWords),
      distinct: ifmapDistinct,
      visit: forEachIfmap)
    let filter = Self.windowedReads(
      space: filterDistinct, window: Self.window(words: filterWords),
      distinct: filterDistinct, visit: forEachFilter)
    return (ifmap, filter)
  }
}
