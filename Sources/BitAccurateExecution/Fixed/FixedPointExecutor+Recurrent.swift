import FixedPointArithmetic
import NetworkGraph

extension FixedPointExecutor {
  /// LSTM or GRU under `nonlinear: integer` (Quantization.md I11, I12):
  /// `W` and `R` quantized with the layer's weight format (`halfEven`, its
  /// storage policy), `Wb` and `Rb` `halfEven`/`saturate` to 48 bits on the
  /// gate grid fl_w + max(fl_x, fl_Y); `Y` in the layer's activation format,
  /// `Y_h` and `Y_c` in their `outputs:` formats (else the activation's);
  /// `initial_h` requantized `halfEven`/`saturate` to Y's format and
  /// `initial_c` to (32, fl 24), events counted as input events.
  func recurrent(
    _ prepared: PreparedNode, _ x: RawTensor, _ attributes: RecurrentAttributes,
    _ output: QFormat, operands: [TensorValue?]
  ) throws(ExecutionError) -> NodeResult {
    let node = prepared.node
    let h = attributes.hiddenSize
    let directions = attributes.directions
    let gates = attributes.kind.gates
    let lstm = attributes.kind == .lstm
    guard let weight = prepared.layer.weight else {
      throw .unsupported(
        node: node.reference,
        message: "an integer \(attributes.kind.rawValue) needs a weight format")
    }
    guard x.shape.count == 3 else {
      throw .shapeMismatch(
        tensor: node.name, message: "X \(x.shape) must have rank 3")
    }
    let (steps, batch) =
      attributes.batchFirst
      ? (x.shape[1], x.shape[0]) : (x.shape[0], x.shape[1])
    let inputSize = x.shape[2]
    func constant(_ index: Int, count: Int) throws(ExecutionError) -> [Float]? {
      guard index < node.inputs.count, !node.inputs[index].isEmpty else {
        return nil
      }
      guard let tensor = network.initializer(named: node.inputs[index]),
        let values = tensor.floatValues
      else {
        throw .unsupported(
          node: node.reference,
          message: "an integer \(attributes.kind.rawValue) needs constant "
            + "W, R and B (input \(index) is not)")
      }
      guard values.count == count else {
        throw .shapeMismatch(
          tensor: node.name,
          message: "input \(index) has \(values.count) values, not \(count)")
      }
      return values
    }
    guard
      let wValues = try constant(1, count: directions * gates * h * inputSize),
      let rValues = try constant(2, count: directions * gates * h * h)
    else {
      throw .missingTensor(name: "W or R", node: node.reference)
    }
    let w = try PreparedNode.quantize(
      wValues, name: node.inputs[1], format: weight, rounding: .halfEven,
      overflow: prepared.layer.weightOverflow
    ).raws
    let r = try PreparedNode.quantize(
      rValues, name: node.inputs[2], format: weight, rounding: .halfEven,
      overflow: prepared.layer.weightOverflow
    ).raws
    let gateFL = IntegerApproximation.gateFractionalLength(
      weight: weight.fractionalLength, input: x.format.fractionalLength,
      hidden: output.fractionalLength)
    var b = [Int64](repeating: 0, count: directions * 2 * gates * h)
    if let bValues = try constant(3, count: directions * 2 * gates * h) {
      let grid: QFormat
      do {
        grid = try QFormat.accumulator(bits: 48, fractionalLength: gateFL)
      } catch {
        throw .arithmetic(tensor: node.inputs[3], error: error)
      }
      b = try PreparedNode.quantize(
        bValues, name: node.inputs[3], format: grid, rounding: .halfEven,
        overflow: .saturate
      ).raws
    }
    func format(_ index: Int) -> QFormat {
      guard index < node.outputs.count, !node.outputs[index].isEmpty else {
        return output
      }
      return precision.tensorFormats[node.outputs[index]] ?? output
    }
    var events = NodeEvents()
    // initial_h (input 5) in Y's format, initial_c (input 6) at (32, fl 24).
    func state(_ index: Int, _ to: QFormat) throws(ExecutionError) -> [Int64]? {
      guard index < node.inputs.count, !node.inputs[index].isEmpty else {
        return nil
      }
      guard index < operands.count, let value = operands[index] else {
        throw .missingTensor(name: node.inputs[index], node: node.reference)
      }
      let values: [Double] =
        switch value {
        case .fixed(let tensor): tensor.dequantized()
        case .float(let tensor): tensor.values.map { Double($0) }
        }
      guard values.count == directions * batch * h else {
        throw .shapeMismatch(
          tensor: node.name,
          message: "input \(index) has \(values.count) values, not "
            + "\(directions * batch * h)")
      }
      var raws = [Int64](repeating: 0, count: values.count)
      for (i, v) in values.enumerated() {
        do {
          let (raw, event) = try FixedPoint.quantize(
            v, to: to, rounding: .halfEven, overflow: .saturate)
          raws[i] = raw
          events.inputs.record(event)
        } catch {
          throw .arithmetic(tensor: node.inputs[index], error: error)
        }
      }
      return raws
    }
    let initialH = try state(5, output)
    let initialC = lstm ? try state(6, IntegerApproximation.cellFormat) : nil
    let hFormat = format(1)
    let cFormat = format(2)
    var y = [Int64](repeating: 0, count: steps * directions * batch * h)
    var finalH = [Int64](repeating: 0, count: directions * batch * h)
    var finalC = finalH
    for d in 0..<directions {
      let reverse = directions == 2 ? d == 1 : attributes.reverse
      let rows = gates * h
      let biasBase = d * 2 * rows
      for n in 0..<batch {
        // initial_h and initial_c: [directions, batch, H], or with layout 1
        // [batch, directions, H] (ONNX LSTM-14).
        let stateBase =
          attributes.batchFirst ? (n * directions + d) * h : (d * batch + n) * h
        let order = reverse ? Array((0..<steps).reversed()) : Array(0..<steps)
        let inputs = order.map { t in
          (0..<inputSize).map { k in
            x.raws[
              attributes.batchFirst
                ? (n * steps + t) * inputSize + k
                : (t * batch + n) * inputSize + k]
          }
        }
        let operands = IntegerApproximation.RecurrentOperands(
          inputs: inputs, inputFractionalLength: x.format.fractionalLength,
          w: Array(w[(d * rows * inputSize)..<((d + 1) * rows * inputSize)]),
          r: Array(r[(d * rows * h)..<((d + 1) * rows * h)]),
          weightFractionalLength: weight.fractionalLength,
          inputBias: Array(b[biasBase..<(biasBase + rows)]),
          recurrentBias: Array(b[(biasBase + rows)..<(biasBase + 2 * rows)]),
          hiddenSize: h,
          initialHidden: initialH.map { Array($0[stateBase..<(stateBase + h)]) }
            ?? [],
          initialCell: initialC.map { Array($0[stateBase..<(stateBase + h)]) }
            ?? [])
        let result =
          lstm
          ? IntegerApproximation.lstm(
            operands, output: output, finalHidden: hFormat, finalCell: cFormat)
          : IntegerApproximation.gru(
            operands, linearBeforeReset: attributes.linearBeforeReset,
            output: output, finalHidden: hFormat)
        events.output.merge(result.events)
        for (s, t) in order.enumerated() {
          for j in 0..<h {
            let index =
              attributes.batchFirst
              ? ((n * steps + t) * directions + d) * h + j
              : ((t * directions + d) * batch + n) * h + j
            y[index] = result.y[s][j]
          }
        }
        for j in 0..<h {
          let index =
            attributes.batchFirst
            ? (n * directions + d) * h + j : (d * batch + n) * h + j
          finalH[index] = result.finalHidden[j]
          if lstm { finalC[index] = result.finalCell[j] }
        }
      }
    }
    let yShape =
      attributes.batchFirst
      ? [batch, steps, directions, h] : [steps, directions, batch, h]
    let stateShape =
      attributes.batchFirst ? [batch, directions, h] : [directions, batch, h]
    var others: [TensorValue?] = [
      .fixed(RawTensor(unchecked: stateShape, raws: finalH, format: hFormat))
    ]
    if lstm {
      others.append(
        .fixed(RawTensor(unchecked: stateShape, raws: finalC, format: cFormat)))
    }
    var result = NodeResult(
      value: .fixed(RawTensor(unchecked: yShape, raws: y, format: output)),
      events: events)
    result.others = others
    return result
  }
}
