import HeapModule

/// The size of an optimal (Huffman) prefix code (COMPRESSION.md §4).
public enum HuffmanSize {
  /// Bits of a stream coded with an optimal prefix code.
  ///
  /// For symbols occurring `counts` times: `Σ count · length`, the sum of the weights of
  /// every merge; a stream of one distinct symbol costs 1 bit per symbol.
  /// Zero counts are ignored. The table is not included.
  ///
  /// The total of an optimal code does not depend on how ties are broken.
  ///
  /// - Complexity: O(s log s) for s distinct symbols.
  public static func streamBits<C: Collection<Int>>(counts: C) -> Int {
    var heap = Heap(counts.filter { $0 > 0 })
    guard heap.count > 1 else { return heap.max ?? 0 }
    var total = 0
    while heap.count > 1 {
      let a = heap.removeMin()
      let b = heap.removeMin()
      total += a + b
      heap.insert(a + b)
    }
    return total
  }

  /// The table charge: 8 bits per distinct symbol.
  public static func tableBits(distinctSymbols: Int) -> Int {
    8 * distinctSymbols
  }
}
