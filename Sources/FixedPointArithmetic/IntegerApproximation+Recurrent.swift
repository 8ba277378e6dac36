/// Integer-only LSTM and GRU time steps (`Documentation/Quantization.md`
/// I11 and I12): gate sums exact on an aligned accumulator grid, the gates
/// by I4 sigmoid and I5 tanh at fractional length 30, the LSTM cell state at
/// (32, fl 24), the hidden state fed back as the raws of the `Y` output.
extension IntegerApproximation {
  /// Fractional length of the LSTM cell state (I11).
  public static let cellFractionalLength = 24

  /// The cell-state format (32, fl 24), signed (I11).
  public static let cellFormat = QFormat(
    _unchecked: 32, fractionalLength: cellFractionalLength, signed: true,
    symmetric: false)

  /// The grid of the gate sums: fl_w + max(fl_x, fl_h) (I11 step 1).
  public static func gateFractionalLength(
    weight: Int, input: Int, hidden: Int
  ) -> Int {
    weight + max(input, hidden)
  }

  /// One recurrent layer direction's integer operands: weights and inputs as
  /// raws, the biases already on the gate grid.
  public struct RecurrentOperands: Sendable {
    /// Inputs per time step in processing order, `[steps][inputSize]`.
    public var inputs: [[Int64]]
    /// fl_x of the inputs.
    public var inputFractionalLength: Int
    /// `W` rows `[gates·H][inputSize]` flattened, at `weightFractionalLength`.
    public var w: [Int64]
    /// `R` rows `[gates·H][H]` flattened, at `weightFractionalLength`.
    public var r: [Int64]
    /// fl_w of `W` and `R`.
    public var weightFractionalLength: Int
    /// `Wb` (gates·H raws on the gate grid).
    public var inputBias: [Int64]
    /// `Rb` (gates·H raws on the gate grid).
    public var recurrentBias: [Int64]
    /// H.
    public var hiddenSize: Int
    /// h_0 as raws in Y's format (H values; zeros when empty).
    public var initialHidden: [Int64]
    /// c_0 as raws at (32, fl 24) (H values; zeros when empty).
    public var initialCell: [Int64]

    /// Creates the operands.
    public init(
      inputs: [[Int64]], inputFractionalLength: Int, w: [Int64], r: [Int64],
      weightFractionalLength: Int, inputBias: [Int64],
      recurrentBias: [Int64], hiddenSize: Int, initialHidden: [Int64] = [],
      initialCell: [Int64] = []
    ) {
      self.initialHidden = initialHidden
      self.initialCell = initialCell
      self.inputs = inputs
      self.inputFractionalLength = inputFractionalLength
      self.w = w
      self.r = r
      self.weightFractionalLength = weightFractionalLength
      self.inputBias = inputBias
      self.recurrentBias = recurrentBias
      self.hiddenSize = hiddenSize
    }
  }

  /// The result of one direction: `Y` per step, the last `Y_h` (and LSTM's
  /// `Y_c`), and the saturation events of all of them and of the cell state.
  public struct RecurrentResult: Sendable, Equatable {
    /// `Y` raws per processed step, `[steps][H]`.
    public var y: [[Int64]]
    /// `Y_h` raws.
    public var finalHidden: [Int64]
    /// `Y_c` raws (empty for GRU).
    public var finalCell: [Int64]
    /// Output and cell-state saturation events.
    public var events: OverflowCounts
  }

  /// W_a(acc): the gate sum at `fractionalLength` on the 16-bit working
  /// grid, shift_halfEven then clamped to ±2^22 (I1 for a wide sum).
  static func gateWorking(_ sum: Int128, fractionalLength: Int) -> Int64 {
    let grid = QFormat(
      _unchecked: 32, fractionalLength: workingBits, signed: true,
      symmetric: false)
    let (value, _) = FixedPoint._requantize(
      sum, FixedPoint._clampedDifference(fractionalLength, workingBits), grid,
      .halfEven, .saturate, .zero)
    return min(max(value, -workingLimit), workingLimit)
  }

  /// tanh(x / 2^16) at fractional length 30 for a working-grid x (I5 at
  /// fl_y = 30, never saturating).
  public static func tanh30(working x: Int64) -> Int64 {
    let e = exp30(working: max(-2 * abs(x), -workingLimit))
    let magnitude = Int64(
      FixedPoint._roundedQuotient(
        Int128(max(0, one30 - e)) << 30, Int128(one30 + e), .halfEven, .zero))
    return x < 0 ? -magnitude : magnitude
  }

  /// Gate sums of `rows` (row indices of `W` and `R`) at grid fl_a.
  ///
  /// Σ W·x·2^(m − fl_x) + Σ R·h·2^(m − fl_h) + Wb + Rb, exactly (Int128),
  /// with m = max(fl_x, fl_h). `recurrent` false leaves out R and Rb.
  static func gateSums(
    _ operands: RecurrentOperands, rows: Range<Int>, x: [Int64],
    h: [Int64], hiddenFractionalLength flH: Int, recurrent: Bool = true,
    input: Bool = true
  ) -> [Int128] {
    let inputSize = x.count
    let hidden = operands.hiddenSize
    let m = max(operands.inputFractionalLength, flH)
    let xShift = m - operands.inputFractionalLength
    let hShift = m - flH
    return rows.map { row in
      var sum: Int128 = 0
      if input {
        var dot: Int128 = 0
        for k in 0..<inputSize {
          dot += Int128(operands.w[row * inputSize + k]) * Int128(x[k])
        }
        sum += (dot << xShift) + Int128(operands.inputBias[row])
      }
      if recurrent {
        var dot: Int128 = 0
        for k in 0..<hidden {
          dot += Int128(operands.r[row * hidden + k]) * Int128(h[k])
        }
        sum += (dot << hShift) + Int128(operands.recurrentBias[row])
      }
      return sum
    }
  }

  /// shift_halfEven(p, s) saturated to `format`, the event recorded.
  static func rounded(
    _ p: Int128, _ s: Int, _ format: QFormat, _ events: inout OverflowCounts
  ) -> Int64 {
    let (value, event) = FixedPoint._requantize(
      p, s, format, .halfEven, .saturate, .zero)
    events.record(event)
    return value
  }

  /// h_0 and c_0, zeros where the operands hold none.
  static func initialState(_ operands: RecurrentOperands) -> (
    hidden: [Int64], cell: [Int64]
  ) {
    let zeros = [Int64](repeating: 0, count: operands.hiddenSize)
    return (
      operands.initialHidden.isEmpty ? zeros : operands.initialHidden,
      operands.initialCell.isEmpty ? zeros : operands.initialCell
    )
  }

  /// LSTM (gates i, o, f, c) over `operands.inputs` from h_0 and c_0
  /// (Quantization.md I11); `output` is Y's format, which is also the
  /// hidden state's fed back.
  public static func lstm(
    _ operands: RecurrentOperands, output: QFormat, finalHidden: QFormat,
    finalCell: QFormat
  ) -> RecurrentResult {
    let hidden = operands.hiddenSize
    let flH = output.fractionalLength
    let flA = gateFractionalLength(
      weight: operands.weightFractionalLength,
      input: operands.inputFractionalLength, hidden: flH)
    var events = OverflowCounts()
    var (h, c) = initialState(operands)
    // P of the last step; before the first, h_0 on P's grid (fl 60).
    var products = h.map { Int128($0) << (60 - flH) }
    var ys: [[Int64]] = []
    for x in operands.inputs {
      let sums = gateSums(
        operands, rows: 0..<(4 * hidden), x: x, h: h,
        hiddenFractionalLength: flH)
      var next = h
      for j in 0..<hidden {
        let i = sigmoid30(working: gateWorking(sums[j], fractionalLength: flA))
        let o = sigmoid30(
          working: gateWorking(sums[hidden + j], fractionalLength: flA))
        let f = sigmoid30(
          working: gateWorking(sums[2 * hidden + j], fractionalLength: flA))
        let g = tanh30(
          working: gateWorking(sums[3 * hidden + j], fractionalLength: flA))
        // f·c at fl 54 aligned to i·g at fl 60, back to fl 24.
        let cell = (Int128(f) * Int128(c[j]) << 6) + Int128(i) * Int128(g)
        c[j] = rounded(cell, 36, cellFormat, &events)
        let t = tanh30(
          working: working(c[j], fractionalLength: cellFractionalLength))
        products[j] = Int128(o) * Int128(t)
        next[j] = rounded(products[j], 60 - flH, output, &events)
      }
      h = next
      ys.append(h)
    }
    let finalH = products.map {
      rounded($0, 60 - finalHidden.fractionalLength, finalHidden, &events)
    }
    let finalC = c.map {
      rounded(
        Int128($0), cellFractionalLength - finalCell.fractionalLength,
        finalCell, &events)
    }
    return RecurrentResult(
      y: ys, finalHidden: finalH, finalCell: finalC, events: events)
  }

  /// GRU (gates z, r, h) over `operands.inputs` from h_0 and c_0
  /// (Quantization.md I12); `output` is Y's format and the fed-back
  /// hidden state's.
  public static func gru(
    _ operands: RecurrentOperands, linearBeforeReset: Bool, output: QFormat,
    finalHidden: QFormat
  ) -> RecurrentResult {
    let hidden = operands.hiddenSize
    let flH = output.fractionalLength
    let flA = gateFractionalLength(
      weight: operands.weightFractionalLength,
      input: operands.inputFractionalLength, hidden: flH)
    // The blend (1 − z)·n + z·h on grid 30 + G, G = max(30, fl_h).
    let g = max(30, flH)
    var events = OverflowCounts()
    var h = initialState(operands).hidden
    // P of the last step; before the first, h_0 on P's grid (fl 30 + G).
    var products = h.map { Int128($0) << (30 + g - flH) }
    var ys: [[Int64]] = []
    for x in operands.inputs {
      let zr = gateSums(
        operands, rows: 0..<(2 * hidden), x: x, h: h,
        hiddenFractionalLength: flH)
      let z = (0..<hidden).map {
        sigmoid30(working: gateWorking(zr[$0], fractionalLength: flA))
      }
      let reset = (0..<hidden).map {
        sigmoid30(working: gateWorking(zr[hidden + $0], fractionalLength: flA))
      }
      let rows = (2 * hidden)..<(3 * hidden)
      let fromX = gateSums(
        operands, rows: rows, x: x, h: h, hiddenFractionalLength: flH,
        recurrent: false)
      var candidate: [Int128]
      if linearBeforeReset {
        let fromH = gateSums(
          operands, rows: rows, x: x, h: h, hiddenFractionalLength: flH,
          input: false)
        candidate = (0..<hidden).map {
          fromX[$0]
            + FixedPoint._roundedShiftRight(
              Int128(reset[$0]) * fromH[$0], 30, .halfEven, .zero)
        }
      } else {
        let resetH = (0..<hidden).map {
          Int64(
            FixedPoint._roundedShiftRight(
              Int128(reset[$0]) * Int128(h[$0]), 30, .halfEven, .zero))
        }
        let fromH = gateSums(
          operands, rows: rows, x: x, h: resetH, hiddenFractionalLength: flH,
          input: false)
        candidate = (0..<hidden).map { fromX[$0] + fromH[$0] }
      }
      var next = h
      for j in 0..<hidden {
        let n = tanh30(
          working: gateWorking(candidate[j], fractionalLength: flA))
        products[j] =
          (Int128(one30 - z[j]) * Int128(n) << (g - 30))
          + (Int128(z[j]) * Int128(h[j]) << (g - flH))
        next[j] = rounded(products[j], 30 + g - flH, output, &events)
      }
      h = next
      ys.append(h)
    }
    let finalH = products.map {
      rounded(
        $0, 30 + g - finalHidden.fractionalLength, finalHidden, &events)
    }
    return RecurrentResult(
      y: ys, finalHidden: finalH, finalCell: [], events: events)
  }
}
