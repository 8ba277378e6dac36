import FixedPointArithmetic
import NetworkGraph

extension FixedPointExecutor {
  /// Add (§5 Element-wise add): align up to max(fl_a, fl_b), add exactly,
  /// round once; or `alignToOutput`: requantize each input, add, apply the
  /// output policy (two roundings, counted separately).
  ///
  /// Aligned up without wide sums kept, on inputs of one shape, it runs in
  /// one pass (``NarrowResidual``) from raws as they are held, holding its
  /// output as `Int16` with `narrowStorage` when the format allows; every
  /// other case reads the raws as `Int64`.
  func add(
    _ aHeld: RawTensor, _ bHeld: RawTensor, _ prepared: PreparedNode,
    _ output: QFormat, batchStart: Int, keepWide: Bool = true,
    outputClamp: OutputClamp = .unbounded, narrowStorage: Bool = false
  ) throws(ExecutionError) -> NodeResult {
    let layer = prepared.layer
    let flC = max(aHeld.format.fractionalLength, bHeld.format.fractionalLength)
    if layer.residual == .alignUp, !keepWide, aHeld.shape == bHeld.shape,
      let narrow = NarrowResidual(
        aHeld.format, shiftA: flC - aHeld.format.fractionalLength,
        bHeld.format, shiftB: flC - bHeld.format.fractionalLength,
        requantization: requantization(
          prepared, from: flC, to: output, outputClamp: outputClamp))
    {
      // Aligned, summed and requantized in one pass; no wide sums kept.
      var events = NodeEvents()
      let (raws, counts) = narrow.run(
        aHeld.storage, bHeld.storage,
        narrowOutput: narrowStorage
          && RawStorage.fitsInt16(output.rawMin, output.rawMax))
      events.output = counts
      return NodeResult(
        value: .fixed(
          RawTensor(unchecked: aHeld.shape, storage: raws, format: output)),
        events: events)
    }
    return try add(
      prepared, aHeld.widened, bHeld.widened, output, batchStart: batchStart,
      keepWide: keepWide, outputClamp: outputClamp)
  }

  /// ``add(_:_:_:_:batchStart:keepWide:outputClamp:narrowStorage:)`` on raws
  /// held as `Int64`.
  private func add(
    _ prepared: PreparedNode, _ a: RawTensor, _ b: RawTensor, _ output: QFormat,
    batchStart: Int, keepWide: Bool = true,
    outputClamp: OutputClamp = .unbounded
  ) throws(ExecutionError) -> NodeResult {
    let node = prepared.node
    guard let map = Broadcast(a.shape, b.shape) else {
      throw .shapeMismatch(
        tensor: node.name, message: "\(a.shape) and \(b.shape) do not broadcast"
      )
    }
    let layer = prepared.layer
    let flA = a.format.fractionalLength
    let flB = b.format.fractionalLength
    switch layer.residual {
    case .alignUp:
      let flC = max(flA, flB)
      let shiftA = flC - flA
      let shiftB = flC - flB
      // The load-time bound |fl_a − fl_b| + max(B_a, B_b) ≤ 62 keeps both
      // shifted operands below 2^62, so no sum overflows; the check stays.
      var overflowed = false
      let sums: [Int64]
      if map.aIndex.table == nil, map.bIndex.table == nil {
        sums = Self.alignedSums(a.raws, shiftA, b.raws, shiftB, &overflowed)
      } else {
        var values = [Int64](repeating: 0, count: map.count)
        for index in 0..<map.count {
          let x = a.raws[map.aIndex[index]] << shiftA
          let y = b.raws[map.bIndex[index]] << shiftB
          let (sum, overflow) = x.addingReportingOverflow(y)
          overflowed = overflowed || overflow
          values[index] = sum
        }
        sums = values
      }
      if overflowed {
        throw .arithmetic(
          tensor: node.outputs.first ?? node.name,
          error: .residualAlignmentExceeded(requiredBits: 64, limit: 62))
      }
      let wide = WideTensor(
        shape: map.shape, values: sums, fractionalLength: flC, accumulator: nil)
      return finish(
        prepared, wide, output, batchStart: batchStart,
        outputClamp: outputClamp)
    case .alignToOutput:
      var raws = [Int64](repeating: 0, count: map.count)
      var events = NodeEvents()
      let base = Self.indexBase(
        shape: map.shape, count: map.count, batchStart: batchStart)
      for index in 0..<map.count {
        let sample =
          layer.rounding == .stochastic
          ? prepared.stream.sample(at: base &+ index) : .zero
        do {
          let result = try FixedPoint.addResidual(
            a.raws[map.aIndex[index]], fractionalLength: flA,
            b.raws[map.bIndex[index]],
            fractionalLength: flB, to: output, rounding: layer.rounding,
            overflow: layer.outputOverflow, alignment: .alignToOutput,
            sample: sample)
          raws[index] = result.value
          events.output.record(result.event)
          events.inputs.record(result.firstInputEvent)
          events.inputs.record(result.secondInputEvent)
        } catch {
          throw .arithmetic(
            tensor: node.outputs.first ?? node.name, error: error)
        }
      }
      return NodeResult(
        value: .fixed(
          RawTensor(unchecked: map.shape, raws: raws, format: output)),
        events: events)
    }
  }

  /// (a << shiftA) + (b << shiftB) element by element, for operands of one
  /// shape; `overflowed` is set when a sum left Int64.
  static func alignedSums(
    _ a: [Int64], _ shiftA: Int, _ b: [Int64], _ shiftB: Int,
    _ overflowed: inout Bool
  ) -> [Int64] {
    var any = false
    let sums = a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        [Int64].filled(min(pa.count, pb.count)) { target in
          guard let x = pa.baseAddress, let y = pb.baseAddress else { return }
          for index in 0..<min(pa.count, pb.count) {
            let (sum, overflow) = (x[index] << shiftA)
              .addingReportingOverflow(y[index] << shiftB)
            any = any || overflow
            target[index] = sum
          }
        }
      }
    }
    overflowed = overflowed || any
    return sums
  }

  /// Mul (§5): the exact product at fl_a + fl_b, requantized once.
  func multiply(
    _ prepared: PreparedNode, _ a: RawTensor, _ b: RawTensor, _ output: QFormat,
    batchStart: Int
  ) throws(ExecutionError) -> NodeResult {
    let node = prepared.node
    guard let map = Broadcast(a.shape, b.shape) else {
      throw .shapeMismatch(
        tensor: node.name, message: "\(a.shape) and \(b.shape) do not broadcast"
      )
    }
    var products = [Int64](repeating: 0, count: map.count)
    var fits = true
    for index in 0..<map.count {
      let (p, overflow) = a.raws[map.aIndex[index]].multipliedReportingOverflow(
        by: b.raws[map.bIndex[index]])
      if overflow { fits = false }
      products[index] = p
    }
    let fl = a.format.fractionalLength + b.format.fractionalLength
    if fits {
      let wide = WideTensor(
        shape: map.shape, values: products, fractionalLength: fl,
        accumulator: nil)
      return finish(prepared, wide, output, batchStart: batchStart)
    }
    // Unsigned 32-bit operands: form each product in 128 bits.
    let layer = prepared.layer
    var raws = [Int64](repeating: 0, count: map.count)
    var events = NodeEvents()
    let base = Self.indexBase(
      shape: map.shape, count: map.count, batchStart: batchStart)
    for index in 0..<map.count {
      let sample =
        layer.rounding == .stochastic
        ? prepared.stream.sample(at: base &+ index) : .zero
      let (value, event) = FixedPoint.multiplyElementwise(
        a.raws[map.aIndex[index]], fractionalLength: a.format.fractionalLength,
        b.raws[map.bIndex[index]], fractionalLength: b.format.fractionalLength,
        to: output,
        rounding: layer.rounding, overflow: layer.outputOverflow, sample: sample
      )
      raws[index] = value
      events.output.record(event)
    }
    return NodeResult(
      value: .fixed(
        RawTensor(unchecked: map.shape, raws: raws, format: output)),
      events: events)
  }

  /// AveragePool / GlobalAveragePool (§5): exact window sum S over the N
  /// counted positions, z = round(S · 2^(fl_y − fl_x) / N), or the
  /// `reciprocal(k)` variant.
  func averagePool(
    _ prepared: PreparedNode, _ x: RawTensor, _ attributes: PoolAttributes?,
    _ output: QFormat,
    batchStart: Int
  ) throws(ExecutionError) -> NodeResult {
    let node = prepared.node
    let g = try Self.poolGeometry(x.shape, attributes, node: node.reference)
    let padEnd = (
      FloatKernels.padBottom(g, attributes, axis: 0),
      FloatKernels.padBottom(g, attributes, axis: 1)
    )
    let (sums, counts) = IntegerKernels.pool(
      x.raws, g, average: true,
      includePad: attributes?.countIncludePad ?? false, padEnd: padEnd)
    let layer = prepared.layer
    let shape = [g.batch, g.channels, g.outHeight, g.outWidth]
    let base = Self.indexBase(
      shape: shape, count: sums.count, batchStart: batchStart)
    var raws = [Int64](repeating: 0, count: sums.count)
    var events = NodeEvents()
    for index in sums.indices {
      let sample =
        layer.rounding == .stochastic
        ? prepared.stream.sample(at: base &+ index) : .zero
      do {
        let (value, event) = try FixedPoint.averagePool(
          sum: sums[index], count: counts[index],
          fractionalLength: x.format.fractionalLength,
          to: output, rounding: layer.rounding, overflow: layer.outputOverflow,
          division: layer.pooling, sample: sample)
        raws[index] = value
        events.output.record(event)
      } catch {
        throw .arithmetic(tensor: node.outputs.first ?? node.name, error: error)
      }
    }
    return NodeResult(
      value: .fixed(RawTensor(unchecked: shape, raws: raws, format: output)),
      events: events)
  }

  static func poolGeometry(
    _ shape: [Int], _ attributes: PoolAttributes?, node: NodeReference
  )
    throws(ExecutionError) -> ConvGeometry
  {
    if let attributes {
      return try ConvGeometry(
        input: shape, kernel: attributes.kernelShape,
        strides: attributes.strides,
        dilations: attributes.dilations, pads: attributes.pads,
        autoPad: attributes.autoPad,
        ceilMode: attributes.ceilMode, node: node)
    }
    guard shape.count == 4 else {
      throw .unsupported(
        node: node, message: "only [N, C, H, W] inputs are executed")
    }
    return try ConvGeometry(
      input: shape, kernel: [shape[2], shape[3]], strides: nil, dilations: nil,
      pads: nil,
      autoPad: .notSet, ceilMode: false, node: node)
  }

  /// Concat (§5): each input requantized to the output format (a no-op
  /// when formats match), events counted as input requantizations.
  func concat(
    _ prepared: PreparedNode, _ inputs: [RawTensor], axis: Int,
    _ output: QFormat,
    batchStart: Int
  ) throws(ExecutionError) -> NodeResult {
    let node = prepared.node
    let layer = prepared.layer
    let (shape, joined) = try Concatenation.join(
      inputs.enumerated().map { (offset, tensor) in
        (tensor.shape, tensor.raws.map { ($0, offset) })
      }, axis: axis, node: node.reference)
    let base = Self.indexBase(
      shape: shape, count: joined.count, batchStart: batchStart)
    var raws = [Int64](repeating: 0, count: joined.count)
    var events = NodeEvents()
    for (index, (raw, source)) in joined.enumerated() {
      let sample =
        layer.rounding == .stochastic
        ? prepared.stream.sample(at: base &+ index) : .zero
      let (value, event) = FixedPoint.requantize(
        raw, fromFractionalLength: inputs[source].format.fractionalLength,
        to: output,
        rounding: layer.rounding, overflow: layer.outputOverflow, sample: sample
      )
      raws[index] = value
      events.inputs.record(event)
    }
    return NodeResult(
      value: .fixed(RawTensor(unchecked: shape, raws: raws, format: output)),
      events: events)
  }
}
