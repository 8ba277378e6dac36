import CKernels
import FixedPointArithmetic

/// The rows of ``DotWeights`` held as Int8, for CKernels' `edgesim_dot_i8`
/// (AVX-512 VNNI: four products per Int32 lane, twice the Int16 kernels'),
/// built when every weight raw fits Int8.
///
/// The Int8 kernel gives the same wrapping Int32 sums as the Int16 one:
/// it multiplies x + 128 (unsigned bytes) by w and subtracts 128 · Σ w,
/// all modulo 2^32, so it needs no bound beyond the one that makes the
/// Int16 sums exact (``IntegerKernels/fitsInt32(_:_:terms:)``), only inputs
/// whose raws fit Int8 (``fits(_:)``).
struct NarrowDotWeights: Sendable {
  /// Rows `[M][stride]`, the raws of ``DotWeights/values``.
  var values: [Int8]
  /// Σ_k w[r][k] of each row, in wrapping Int32 (exact while 128 · K < 2^31).
  var rowSums: [Int32]

  /// The rows of `weights` as Int8, or `nil` when a raw does not fit.
  init?(_ weights: DotWeights) {
    guard
      weights.values.allSatisfy({ Int8(exactly: $0) != nil })
    else { return nil }
    let values = weights.values.map { Int8(truncatingIfNeeded: $0) }
    rowSums = (0..<weights.rows).map { row in
      let start = row * weights.stride
      return values[start..<start + weights.stride].reduce(Int32(0)) {
        $0 &+ Int32($1)
      }
    }
    self.values = values
  }

  /// Whether every raw of an input format fits Int8 (B ≤ 8 signed, B ≤ 7
  /// unsigned).
  static func fits(_ format: QFormat) -> Bool {
    format.rawMin >= Int64(Int8.min) && format.rawMax <= Int64(Int8.max)
  }

  /// Whether the current kernel path has an Int8 instruction, so that the
  /// Int8 kernel is the faster one.
  static var isNative: Bool { edgesim_dot_i8_native() != 0 }
}

extension DotWeights {
  /// These weights for inputs of `format`: with ``narrow`` only when the
  /// input's raws fit Int8 and the kernel path has an Int8 instruction.
  func reading(_ format: QFormat) -> DotWeights {
    guard narrow != nil,
      !(NarrowDotWeights.fits(format) && NarrowDotWeights.isNative)
    else { return self }
    var copy = self
    copy.narrow = nil
    return copy
  }
}

extension IntegerKernels {
  /// out[r · rowStride + q] = Σ_k w[first + r][k] · x[q][k] for r < rows
  /// and q < columns, in wrapping Int32 arithmetic: on the Int8 kernel when
  /// `weights` carries ``DotWeights/narrow`` (see
  /// ``DotWeights/reading(_:)``), else on the Int16 one; the same sums.
  @inline(__always)
  static func dot(
    _ weights: DotWeights, first: Int, rows: Int, _ x: UnsafePointer<Int16>,
    columns: Int, into out: UnsafeMutablePointer<Int32>, rowStride: Int
  ) {
    let stride = weights.stride
    if let narrow = weights.narrow {
      narrow.values.withUnsafeBufferPointer { w in
        narrow.rowSums.withUnsafeBufferPointer { s in
          edgesim_dot_i8(
            w.baseAddress.unsafelyUnwrapped + first &* stride, rows,
            s.baseAddress.unsafelyUnwrapped + first, x, columns, stride, out,
            rowStride)
        }
      }
      return
    }
    weights.values.withUnsafeBufferPointer { w in
      dot(
        w.baseAddress.unsafelyUnwrapped + first &* stride, rows: rows, x,
        columns: columns, stride: stride, into: out, rowStride: rowStride,
        columnStride: 1)
    }
  }
}
