/// The resources of an FPGA part, which a design must fit.
public struct FPGAFabric: Hashable, Sendable {
  /// Bytes in one 36 Kb block RAM (36 × 1024 bits; parity bits included as
  /// data width, as the 32 Kb + 4 Kb split is used by 9-, 18- and 36-bit ports).
  public static let bram36Bytes: Double = 36 * 1024 / 8

  /// Part number, for example `XC7Z045`.
  public var part: String
  /// DSP slices on the part.
  public var dsp: Int
  /// 36 Kb block RAMs on the part.
  public var bram36k: Int
  /// LUTs on the part, if given.
  public var lut: Int?
  /// Flip-flops on the part, if given.
  public var ff: Int?
  /// LUTs the design uses, if given.
  public var usedLUT: Int?
  /// Flip-flops the design uses, if given.
  public var usedFF: Int?

  /// Creates the description.
  public init(
    part: String, dsp: Int, bram36k: Int, lut: Int? = nil, ff: Int? = nil,
    usedLUT: Int? = nil, usedFF: Int? = nil
  ) {
    self.part = part
    self.dsp = dsp
    self.bram36k = bram36k
    self.lut = lut
    self.ff = ff
    self.usedLUT = usedLUT
    self.usedFF = usedFF
  }
}
