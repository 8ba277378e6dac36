import NetworkGraph

extension ExtendedOperands {
  /// Einsum-12 evaluated directly: every output element is the sum over
  /// the labels absent from the output of the product of the operands'
  /// elements, in Double (size-1 ellipsis axes broadcast; a repeated label
  /// in one operand takes its diagonal).
  func einsum(_ equation: String) throws(ExecutionError) -> FloatTensor {
    var inputs: [FloatTensor] = []
    for index in node.inputs.indices { inputs.append(try operand(index)) }
    var shapes: [TensorShape] = []
    for input in inputs {
      do {
        shapes.append(try TensorShape(input.shape))
      } catch {
        throw .network(error)
      }
    }
    let parsed: EinsumEquation
    do {
      parsed = try EinsumEquation(equation, shapes: shapes, node: reference)
    } catch {
      throw .network(error)
    }
    let outputLabels = parsed.output
    let contracted = Set(parsed.operands.joined()).subtracting(outputLabels)
      .sorted()
    let labels = outputLabels + contracted
    let sizes = labels.map { parsed.sizes[$0] ?? 1 }
    let position = Dictionary(
      uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
    // For each operand, the stride of each label (summed over repeats).
    var strides: [[Int]] = []
    for (input, operandLabels) in zip(inputs, parsed.operands) {
      var perLabel = [Int](repeating: 0, count: labels.count)
      let axisStrides = rowMajorStrides(input.shape)
      for (axis, label) in operandLabels.enumerated() {
        guard let p = position[label] else { continue }
        if input.shape[axis] == 1 && sizes[p] != 1 { continue }
        perLabel[p] += axisStrides[axis]
      }
      strides.append(perLabel)
    }
    let outputCount = FloatTensor.count(Array(sizes[..<outputLabels.count]))
    let innerSizes = Array(sizes[outputLabels.count...])
    let innerCount = FloatTensor.count(innerSizes)
    var out = [Float](repeating: 0, count: outputCount)
    var coordinates = [Int](repeating: 0, count: labels.count)
    for o in 0..<outputCount {
      var rest = o
      for p in stride(from: outputLabels.count - 1, through: 0, by: -1) {
        coordinates[p] = rest % sizes[p]
        rest /= sizes[p]
      }
      var total: Double = 0
      for j in 0..<innerCount {
        var inner = j
        for p in stride(
          from: labels.count - 1, through: outputLabels.count, by: -1)
        {
          coordinates[p] = inner % sizes[p]
          inner /= sizes[p]
        }
        var product: Double = 1
        for (input, perLabel) in zip(inputs, strides) {
          var offset = 0
          for p in 0..<labels.count { offset += coordinates[p] * perLabel[p] }
          product *= Double(input.values[offset])
        }
        total += product
      }
      out[o] = Float(total)
    }
    return FloatTensor(
      unchecked: Array(sizes[..<outputLabels.count]), values: out)
  }
}
