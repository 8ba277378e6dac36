/// Relative-index sparse storage with fillers, or dense storage, and their
/// sizes with and without Huffman coding (COMPRESSION.md §4; Deep
/// Compression §2, EIE).
public struct SparseStorage: Hashable, Sendable {
  /// The form a layer is stored in.
  public enum Form: String, Hashable, Sendable {
    /// Gap and value streams of `entries` symbols each.
    case sparse
    /// All values in order, no gaps.
    case dense
  }

  /// Nonzero entries plus fillers.
  public var entries: Int
  /// Filler entries `(2^p − 1, 0)`.
  public var fillers: Int
  /// The smaller form (dense on a tie).
  public var form: Form
  /// The chosen form's gap stream under Huffman (0 without Huffman or in
  /// the dense form).
  public var gapHuffmanBits: Int
  /// The chosen form's value stream under Huffman (0 without Huffman).
  public var valueHuffmanBits: Int
  /// The Huffman tables of the chosen form: 8 bits per distinct symbol of
  /// each stream (0 without Huffman).
  public var tableBits: Int
  /// The chosen form's bits, codebook excluded.
  public var streamBits: Int

  /// Codes one layer's symbols.
  ///
  /// - Parameters:
  ///   - symbols: Per flat position, 0 for a zero, else the stored value:
  ///     a codebook index, or a float32 bit pattern without sharing.
  ///   - indexBits: p, the gap field's width.
  ///   - valueBits: v, the value field's width.
  ///   - huffman: Whether both streams are Huffman coded.
  public init(
    symbols: [UInt32], indexBits: Int, valueBits: Int, huffman: Bool
  ) {
    let n = symbols.count
    let p = indexBits
    let v = valueBits
    let maxGap = (1 << p) - 1
    var gapCounts = [Int](repeating: 0, count: maxGap + 1)
    var sparseValues: [UInt32: Int] = [:]
    var denseValues: [UInt32: Int] = [:]
    var entries = 0
    var fillers = 0
    var gap = 0
    for s in symbols {
      if huffman { denseValues[s, default: 0] += 1 }
      if s == 0 {
        gap += 1
        continue
      }
      let f = gap >> p
      fillers += f
      entries += f + 1
      if huffman {
        if f > 0 {
          gapCounts[maxGap] += f
          sparseValues[0, default: 0] += f
        }
        gapCounts[gap - (f << p)] += 1
        sparseValues[s, default: 0] += 1
      }
      gap = 0
    }
    self.entries = entries
    self.fillers = fillers
    guard huffman else {
      let sparse = entries * (p + v)
      let dense = n * v
      form = sparse < dense ? .sparse : .dense
      streamBits = min(sparse, dense)
      gapHuffmanBits = 0
      valueHuffmanBits = 0
      tableBits = 0
      return
    }
    let gapBits = HuffmanSize.streamBits(counts: gapCounts)
    let sparseValueBits = HuffmanSize.streamBits(counts: sparseValues.values)
    let sparseTable = HuffmanSize.tableBits(
      distinctSymbols: gapCounts.count { $0 > 0 } + sparseValues.count)
    let denseValueBits = HuffmanSize.streamBits(counts: denseValues.values)
    let denseTable = HuffmanSize.tableBits(distinctSymbols: denseValues.count)
    let sparse = gapBits + sparseValueBits + sparseTable
    let dense = denseValueBits + denseTable
    if sparse < dense {
      form = .sparse
      gapHuffmanBits = gapBits
      valueHuffmanBits = sparseValueBits
      tableBits = sparseTable
      streamBits = sparse
    } else {
      form = .dense
      gapHuffmanBits = 0
      valueHuffmanBits = denseValueBits
      tableBits = denseTable
      streamBits = dense
    }
  }
}
