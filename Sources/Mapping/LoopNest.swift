import HardwareModel
import NetworkGraph

/// A loop of the seven-deep convolution nest, plus the group loop.
///
/// The names follow Timeloop and the Eyeriss papers (Chen et al., ISCA
/// 2016; Parashar et al., ISPASS 2019): `N` batch, `M` output channels, `C`
/// input channels, `P`×`Q` output rows × columns, `R`×`S` kernel rows ×
/// columns. `G` counts the groups of a grouped or depthwise convolution.
public enum LoopDimension: String, Sendable, Hashable, CaseIterable, Comparable
{
  /// Convolution groups (`C` for a depthwise convolution).
  case g
  /// Batch.
  case n
  /// Output channels per group.
  case m
  /// Input channels per group.
  case c
  /// Output rows.
  case p
  /// Output columns.
  case q
  /// Kernel rows.
  case r
  /// Kernel columns.
  case s

  /// The loops a tiling may split; kernel loops stay whole inside a tile.
  public static let tiled: [LoopDimension] = [.g, .n, .m, .c, .p, .q]

  /// Orders as declared (`g` first).
  public static func < (lhs: LoopDimension, rhs: LoopDimension) -> Bool {
    allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
  }

  /// Whether the loop indexes the operand's tensor: weights depend on
  /// G, M, C, R, S; inputs on G, N, C, P, Q (and R, S through the window);
  /// outputs on G, N, M, P, Q.
  public func isRelevant(to operand: Operand) -> Bool {
    switch operand {
    case .weights: [.g, .m, .c, .r, .s].contains(self)
    case .inputs: [.g, .n, .c, .p, .q, .r, .s].contains(self)
    case .outputs: [.g, .n, .m, .p, .q].contains(self)
    }
  }

  /// Hashes the case's position, not its String raw value (the synthesized
  /// conformance hashes the string, which dominated the tile search).
  public func hash(into hasher: inout Hasher) { hasher.combine(bit) }

  /// A distinct bit per dimension, for allocation- and hash-free sets.
  var bit: UInt32 {
    switch self {
    case .g: 1 << 0
    case .n: 1 << 1
    case .m: 1 << 2
    case .c: 1 << 3
    case .p: 1 << 4
    case .q: 1 << 5
    case .r: 1 << 6
    case .s: 1 << 7
    }
  }
}

/// The loop nest of a convolution-like layer: sizes of every loop, strides,
/// dilations and the input extent.
///
/// A dense convolution has `groups == 1`; a depthwise one has `groups == C`
/// and one input and output channel per group. A Gemm or MatMul is a 1×1
/// convolution with `n` rows, `c` the reduction length and `m` the columns.
///
/// ```swift
/// let nest = LoopNest(outputChannels: 64, inputChannels: 3, outputRows: 112,
///                     outputColumns: 112, kernelRows: 7, kernelColumns: 7,
///                     strideRows: 2, strideColumns: 2, inputRows: 224, inputColumns: 224)
/// nest.macs  // 118_013_952
/// ```
public struct LoopNest: Hashable, Sendable {
  /// Groups (G).
  public var groups: Int
  /// Batch (N).
  public var batch: Int
  /// Output channels per group (M).
  public var outputChannels: Int
  /// Input channels per group (C).
  public var inputChannels: Int
  /// Output rows (P).
  public var outputRows: Int
  /// Output columns (Q).
  public var outputColumns: Int
  /// Kernel rows (R).
  public var kernelRows: Int
  /// Kernel columns (S).
  public var kernelColumns: Int
  /// Vertical stride.
  public var strideRows: Int
  /// Horizontal stride.
  public var strideColumns: Int
  /// Vertical dilation.
  public var dilationRows: Int
  /// Horizontal dilation.
  public var dilationColumns: Int
  /// Unpadded input rows (padding is never fetched).
  public var inputRows: Int
  /// Unpadded input columns.
  public var inputColumns: Int

  /// Creates a nest; sizes below 1 are raised to 1.
  public init(
    groups: Int = 1, batch: Int = 1, outputChannels: Int, inputChannels: Int,
    outputRows: Int = 1, outputColumns: Int = 1, kernelRows: Int = 1,
    kernelColumns: Int = 1,
    strideRows: Int = 1, strideColumns: Int = 1, dilationRows: Int = 1,
    dilationColumns: Int = 1, inputRows: Int? = nil, inputColumns: Int? = nil
  ) {
    self.groups = max(1, groups)
    self.batch = max(1, batch)
    self.outputChannels = max(1, outputChannels)
    self.inputChannels = max(1, inputChannels)
    self.outputRows = max(1, outputRows)
    self.outputColumns = max(1, outputColumns)
    self.kernelRows = max(1, kernelRows)
    self.kernelColumns = max(1, kernelColumns)
    self.strideRows = max(1, strideRows)
    self.strideColumns = max(1, strideColumns)
    self.dilationRows = max(1, dilationRows)
    self.dilationColumns = max(1, dilationColumns)
    let rows =
      (self.outputRows - 1) * self.strideRows
      + (self.kernelRows - 1) * self.dilationRows + 1
    let columns =
      (self.outputColumns - 1) * self.strideColumns
      + (self.kernelColumns - 1) * self.dilationColumns + 1
    self.inputRows = max(1, inputRows ?? rows)
    self.inputColumns = max(1, inputColumns ?? columns)
  }

  /// The size of a loop.
  public subscript(dimension: LoopDimension) -> Int {
    switch dimension {
    case .g: groups
    case .n: batch
    case .m: outputChannels
    case .c: inputChannels
    case .p: outputRows
    case .q: outputColumns
    case .r: kernelRows
    case .s: kernelColumns
    }
  }

  /// Multiply-accumulates: G·N·M·C·P·Q·R·S, or `nil` on overflow.
  public var macs: Int? {
    CheckedProduct.of(LoopDimension.allCases.map { self[$0] })
  }

  /// Input rows a tile of `outputRows` output rows reads:
  /// `(t − 1)·stride + (R − 1)·dilation + 1`, at most the input's rows.
  public func inputRows(forOutputRows rows: Int) -> Int {
    min(
      inputRows,
      (max(1, rows) - 1) * strideRows + (kernelRows - 1) * dilationRows + 1)
  }

  /// Input columns a tile of `columns` output columns reads.
  public func inputColumns(forOutputColumns columns: Int) -> Int {
    min(
      inputColumns,
      (max(1, columns) - 1) * strideColumns + (kernelColumns - 1)
        * dilationColumns + 1)
  }

  /// The GEMM view used by systolic arrays (SCALE-Sim): `E = N·P·Q` output
  /// pixels, `K = C·R·S` window length, `M` filters, per group.
  public var gemm: (e: Int, k: Int, m: Int) {
    (
      batch * outputRows * outputColumns,
      inputChannels * kernelRows * kernelColumns,
      outputChannels
    )
  }

  /// Elements of each operand tensor: weights G·M·C·R·S, inputs G·N·C·H·W,
  /// outputs G·N·M·P·Q (as `Double`, which cannot overflow).
  public func elements(_ operand: Operand) -> Double {
    let d = { (x: LoopDimension) in Double(self[x]) }
    switch operand {
    case .weights: return d(.g) * d(.m) * d(.c) * d(.r) * d(.s)
    case .inputs:
      return d(.g) * d(.n) * d(.c) * Double(inputRows) * Double(inputColumns)
    case .outputs: return d(.g) * d(.n) * d(.m) * d(.p) * d(.q)
    }
  }
}

/// Overflow-checked products that return `nil` instead of trapping.
public enum CheckedProduct {
  /// The product of `values`, or `nil` when it does not fit in `Int`.
  public static func of(_ values: [Int]) -> Int? {
    var result = 1
    for value in values {
      let (product, overflow) = result.multipliedReportingOverflow(by: value)
      if overflow { return nil }
      result = product
    }
    return result
  }
}
