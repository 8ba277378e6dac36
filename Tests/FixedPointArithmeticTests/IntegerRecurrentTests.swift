import FixedPointArithmetic
import Testing

/// The integer-only LSTM and GRU of `Documentation/Quantization.md`.
///
/// I11 and I12: golden vectors from the independent exact-integer reference
/// `Scripts/integer-approximation-reference.py` (`golden_recurrent`), bit
/// for bit. H = 2, I = 3, 5 steps, x at fl 4, W and R at fl 6, Y (8, fl 6).
@Suite("Integer-only LSTM and GRU (I11, I12)")
struct IntegerRecurrentTests {
  static let x: [[Int64]] = [
    [16, -8, 3], [40, 12, -20], [-64, 5, 9], [7, -7, 100], [0, 127, -128],
  ]
  // RNN_W, RNN_R (rows flattened), RNN_WB, RNN_RB of the reference.
  static let w: [Int64] = [
    -19, -16, -13, -12, -9, -6, -5, -2, 1, 2, 5, 8, 9, 12, 15, 16, 19, 22, 23,
    26, 29, 30, -28, -25, -24, -21, -18, -17, -14, -11, -10, -7, -4, -3, 0, 3,
  ]
  static let r: [Int64] = [
    -21, -8, -16, -3, -11, 2, -6, 7, -1, 12, 4, 17, 9, 22, 14, -20, 19, -15,
    -23, -10, -18, -5, -13, 0,
  ]
  static let wb: [Int64] = [
    -1000, -963, -926, -889, -852, -815, -778, -741, -704, -667, -630, -593,
  ]
  static let rb: [Int64] = [
    -743, -690, -637, -584, -531, -478, -425, -372, -319, -266, -213, -160,
  ]

  func operands(gates: Int) -> IntegerApproximation.RecurrentOperands {
    IntegerApproximation.RecurrentOperands(
      inputs: Self.x, inputFractionalLength: 4,
      w: Array(Self.w.prefix(gates * 2 * 3)),
      r: Array(Self.r.prefix(gates * 2 * 2)), weightFractionalLength: 6,
      inputBias: Array(Self.wb.prefix(gates * 2)),
      recurrentBias: Array(Self.rb.prefix(gates * 2)), hiddenSize: 2)
  }

  @Test("LSTM golden vectors: Y, Y_h (16, fl 12), Y_c (8, fl 5)")
  func lstmGolden() throws {
    let result = IntegerApproximation.lstm(
      operands(gates: 4), output: try QFormat(bits: 8, fractionalLength: 6),
      finalHidden: try QFormat(bits: 16, fractionalLength: 12),
      finalCell: try QFormat(bits: 8, fractionalLength: 5))
    #expect(result.y == [[0, 3], [2, 8], [-15, -11], [-6, -23], [-6, -7]])
    #expect(result.finalHidden == [-379, -454])
    #expect(result.finalCell == [-9, -12])
    #expect(result.events == OverflowCounts())
  }

  @Test("GRU golden vectors, linear_before_reset 1 and 0")
  func gruGolden() throws {
    let y = try QFormat(bits: 8, fractionalLength: 6)
    let yh = try QFormat(bits: 16, fractionalLength: 12)
    let linear = IntegerApproximation.gru(
      operands(gates: 3), linearBeforeReset: true, output: y, finalHidden: yh)
    #expect(
      linear.y == [[-7, -3], [-4, 6], [-15, -17], [41, 39], [-15, -13]])
    #expect(linear.finalHidden == [-978, -824])
    let after = IntegerApproximation.gru(
      operands(gates: 3), linearBeforeReset: false, output: y, finalHidden: yh)
    #expect(
      after.y == [[-10, -6], [-9, 2], [-19, -20], [39, 37], [-18, -16]])
    #expect(after.finalHidden == [-1179, -1024])
  }

  @Test("Y (4, fl 6) saturates: values and events as the reference")
  func saturationEvents() throws {
    // Y (4, fl 6): R_max = 7 (0.11), so most hidden values clamp.
    let narrow = try QFormat(bits: 4, fractionalLength: 6)
    let result = IntegerApproximation.lstm(
      operands(gates: 4), output: narrow, finalHidden: narrow,
      finalCell: try QFormat(bits: 32, fractionalLength: 24))
    #expect(result.y == [[0, 3], [2, 7], [-8, -8], [-6, -8], [-6, -8]])
    #expect(result.finalHidden == [-6, -8])
    #expect(result.events == OverflowCounts(positive: 1, negative: 3))
  }

  @Test("initial state: h_0 (8, fl 6) and c_0 (32, fl 24); 0 steps")
  func initialState() throws {
    let y = try QFormat(bits: 8, fractionalLength: 6)
    let yh = try QFormat(bits: 16, fractionalLength: 12)
    let yc = try QFormat(bits: 8, fractionalLength: 5)
    var lstm = operands(gates: 4)
    lstm.inputs = Array(Self.x.prefix(2))
    lstm.initialHidden = [50, -70]
    lstm.initialCell = [-30_000_000, 9_000_000]
    let result = IntegerApproximation.lstm(
      lstm, output: y, finalHidden: yh, finalCell: yc)
    #expect(result.y == [[-15, 10], [-6, 12]])
    #expect(result.finalHidden == [-408, 743])
    #expect(result.finalCell == [-9, 15])
    var gru = operands(gates: 3)
    gru.inputs = Array(Self.x.prefix(2))
    gru.initialHidden = [50, -70]
    let g = IntegerApproximation.gru(
      gru, linearBeforeReset: true, output: y, finalHidden: yh)
    #expect(g.y == [[6, -30], [-2, -3]])
    #expect(g.finalHidden == [-154, -210])
    lstm.inputs = []
    let empty = IntegerApproximation.lstm(
      lstm, output: y, finalHidden: yh, finalCell: yc)
    #expect(empty.finalHidden == [3200, -4480])
    #expect(empty.finalCell == [-57, 17])
  }
}
