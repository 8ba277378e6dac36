/// The arithmetic shared by sparse codes that store each nonzero value with
/// the count of zeros before it in a field of fixed width.
///
/// A field of `b` bits skips at most `2^b − 1` zeros; a longer run needs
/// filler entries (a zero value with a full run), as in Deep Compression's
/// relative indices (Han, Mao, Dally, ICLR 2016, §3: "when the gap exceeds
/// the bound, pad a filler zero") and Eyeriss' run-length coding (Chen et
/// al., JSSC 2017 §V-C: 5-bit runs). With nonzeros placed independently at
/// density `d`, the zeros before a nonzero number at least `k` with
/// probability `(1 − d)^k`, so a nonzero needs `Σ_{k≥1} (1 − d)^{kS}` filler
/// entries on average (`S = 2^b`), and the entries per element are
/// `d / (1 − (1 − d)^S)`. The sum ignores the trailing zeros after the last
/// nonzero (a code ends there), which is exact for long tensors.
public enum SparseCoding {
  /// Entries (nonzeros plus fillers) per element, for nonzero density
  /// `density` in [0, 1] and a run field of `fieldBits` bits.
  ///
  /// At density 0 it is the limit `1 / 2^b`: a run of zeros still costs one
  /// filler per `2^b` elements.
  public static func entriesPerElement(density: Double, fieldBits: Int)
    -> Double
  {
    let d = min(1, max(0, density))
    let b = min(max(0, fieldBits), 62)
    let span = Double(UInt64(1) << UInt64(b))
    if d == 0 { return 1 / span }
    if d == 1 { return 1 }
    // (1 − d)^S by squaring b times (S = 2^b).
    var power = 1 - d
    for _ in 0..<b { power *= power }
    return d / (1 - power)
  }
}
