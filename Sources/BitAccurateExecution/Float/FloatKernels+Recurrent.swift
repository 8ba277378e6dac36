import NetworkGraph
import RealModule

extension ExtendedOperands {
  /// LSTM-14 and GRU-14 with the default activations (sigmoid gates, tanh
  /// candidate and output), in Double per time step, rounded once.
  ///
  /// Inputs `X`, `W [dirs, gates·H, I]`, `R [dirs, gates·H, H]`, optional
  /// `B [dirs, 2·gates·H]` (W's biases then R's), `sequence_lens [batch]`,
  /// `initial_h`, and for LSTM `initial_c` and peepholes
  /// `P [dirs, 3·H]`. LSTM gates are i, o, f, c; GRU's z, r, h (with
  /// `linear_before_reset`, `r ⊙ (H·Rhᵀ + Rbh)`). Outputs `Y`, `Y_h` and
  /// (LSTM) `Y_c`, in `layout` 0 (`[seq, dirs, batch, H]`) or 1
  /// (`[batch, seq, dirs, H]`); a reverse direction runs from each
  /// sequence's last step; steps past a sequence's length output 0 and
  /// keep the state.
  func recurrent(_ attributes: RecurrentAttributes) throws(ExecutionError)
    -> [FloatTensor]
  {
    let x = try operand(0)
    let w = try operand(1)
    let r = try operand(2)
    let h = attributes.hiddenSize
    let directions = attributes.directions
    let gates = attributes.kind.gates
    let lstm = attributes.kind == .lstm
    guard x.shape.count == 3 else {
      throw failure("X \(x.shape) must have rank 3")
    }
    let (steps, batch) =
      attributes.batchFirst
      ? (x.shape[1], x.shape[0]) : (x.shape[0], x.shape[1])
    let inputSize = x.shape[2]
    guard w.shape == [directions, gates * h, inputSize],
      r.shape == [directions, gates * h, h]
    else {
      throw .shapeMismatch(
        tensor: node.name,
        message: "W \(w.shape) or R \(r.shape) does not fit \(directions) "
          + "direction(s), \(gates) gates, hidden \(h), input \(inputSize)")
    }
    let b = optional(3)?.values
    guard b == nil || b?.count == directions * 2 * gates * h else {
      throw failure("B must hold \(directions * 2 * gates * h) values")
    }
    let lengths = try integers(4) ?? Array(repeating: steps, count: batch)
    guard lengths.count == batch, lengths.allSatisfy({ $0 >= 0 && $0 <= steps })
    else {
      throw failure("sequence_lens must hold \(batch) values in 0…\(steps)")
    }
    let initialH = optional(5)?.values
    let initialC = lstm ? optional(6)?.values : nil
    let peepholes = lstm ? optional(7)?.values : nil
    let stateCount = directions * batch * h
    guard initialH == nil || initialH?.count == stateCount,
      initialC == nil || initialC?.count == stateCount,
      peepholes == nil || peepholes?.count == directions * 3 * h
    else { throw failure("initial_h, initial_c or P has the wrong size") }

    func xAt(_ t: Int, _ n: Int, _ k: Int) -> Double {
      Double(
        attributes.batchFirst
          ? x.values[(n * steps + t) * inputSize + k]
          : x.values[(t * batch + n) * inputSize + k])
    }
    func sigmoid(_ v: Double) -> Double { 1 / (1 + Double.exp(-v)) }
    var y = [Float](repeating: 0, count: steps * directions * batch * h)
    var finalH = [Float](repeating: 0, count: stateCount)
    var finalC = finalH
    for d in 0..<directions {
      let reverse = directions == 2 ? d == 1 : attributes.reverse
      let wBase = d * gates * h * inputSize
      let rBase = d * gates * h * h
      func bias(_ gate: Int, _ j: Int, recurrent: Bool) -> Double {
        guard let b else { return 0 }
        return Double(
          b[d * 2 * gates * h + (recurrent ? gates * h : 0) + gate * h + j])
      }
      for n in 0..<batch {
        // States are [dirs, batch, H] in layout 0, [batch, dirs, H] in 1.
        let stateBase =
          attributes.batchFirst ? (n * directions + d) * h : (d * batch + n) * h
        var state = (0..<h).map { Double(initialH?[stateBase + $0] ?? 0) }
        var cell = (0..<h).map { Double(initialC?[stateBase + $0] ?? 0) }
        let length = lengths[n]
        for step in 0..<length {
          let t = reverse ? length - 1 - step : step
          // Input and recurrent projections of every gate row.
          var fromX = [Double](repeating: 0, count: gates * h)
          var fromH = fromX
          for row in 0..<(gates * h) {
            var sum: Double = 0
            for k in 0..<inputSize {
              sum +=
                Double(w.values[wBase + row * inputSize + k]) * xAt(t, n, k)
            }
            fromX[row] = sum + bias(row / h, row % h, recurrent: false)
            var recurrentSum: Double = 0
            for k in 0..<h {
              recurrentSum += Double(r.values[rBase + row * h + k]) * state[k]
            }
            fromH[row] = recurrentSum + bias(row / h, row % h, recurrent: true)
          }
          var next = state
          if lstm {
            func peephole(_ gate: Int, _ j: Int) -> Double {
              Double(peepholes?[d * 3 * h + gate * h + j] ?? 0)
            }
            for j in 0..<h {
              let i = sigmoid(fromX[j] + fromH[j] + peephole(0, j) * cell[j])
              let f = sigmoid(
                fromX[2 * h + j] + fromH[2 * h + j] + peephole(2, j) * cell[j])
              let candidate = Double.tanh(fromX[3 * h + j] + fromH[3 * h + j])
              cell[j] = f * cell[j] + i * candidate
              let o = sigmoid(
                fromX[h + j] + fromH[h + j] + peephole(1, j) * cell[j])
              next[j] = o * Double.tanh(cell[j])
            }
          } else {
            var resetState = [Double](repeating: 0, count: h)
            var reset = resetState
            for j in 0..<h {
              reset[j] = sigmoid(fromX[h + j] + fromH[h + j])
              resetState[j] = reset[j] * state[j]
            }
            for j in 0..<h {
              let z = sigmoid(fromX[j] + fromH[j])
              let candidateInput: Double
              if attributes.linearBeforeReset {
                candidateInput = fromX[2 * h + j] + reset[j] * fromH[2 * h + j]
              } else {
                var sum: Double = 0
                for k in 0..<h {
                  sum +=
                    Double(r.values[rBase + (2 * h + j) * h + k])
                    * resetState[k]
                }
                candidateInput =
                  fromX[2 * h + j] + sum + bias(2, j, recurrent: true)
              }
              let candidate = Double.tanh(candidateInput)
              next[j] = (1 - z) * candidate + z * state[j]
            }
          }
          state = next
          for j in 0..<h {
            let index =
              attributes.batchFirst
              ? ((n * steps + t) * directions + d) * h + j
              : ((t * directions + d) * batch + n) * h + j
            y[index] = Float(state[j])
          }
        }
        for j in 0..<h {
          let index = stateBase + j
          finalH[index] = Float(state[j])
          finalC[index] = Float(cell[j])
        }
      }
    }
    let yShape =
      attributes.batchFirst
      ? [batch, steps, directions, h] : [steps, directions, batch, h]
    let stateShape =
      attributes.batchFirst ? [batch, directions, h] : [directions, batch, h]
    var outputs = [
      FloatTensor(unchecked: yShape, values: y),
      FloatTensor(unchecked: stateShape, values: finalH),
    ]
    if lstm {
      outputs.append(FloatTensor(unchecked: stateShape, values: finalC))
    }
    return outputs
  }
}
