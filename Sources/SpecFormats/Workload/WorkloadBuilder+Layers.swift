import Diagnostics
import NetworkGraph
import Yams

/// The largest kernel, stride, dilation or padding a layer may give.
private let windowLimit = 1 << 16
/// The largest channel or unit count a layer may give.
private let widthLimit = 1 << 24

extension WorkloadBuilder {
  /// Reads the layer's attributes and makes its nodes and absent-data
  /// weights; `nil` after an error.
  func makeGraph(
    _ layer: MappingReader, op: WorkloadOperator, name: String,
    sources: [Source]
  ) -> LayerGraph? {
    let x = sources[0]
    var graph = LayerGraph()
    var activation: WorkloadActivation?
    var activationFailed = false
    if op.keys.contains("activation"), let node = layer.value("activation") {
      activation = layer.choice(
        node, key: "activation", as: WorkloadActivation.self)
      activationFailed = activation == nil
    }
    let tensors = sources.map(\.tensor)
    switch op {
    case .conv:
      guard let made = conv(layer, name: name, x: x) else { return nil }
      graph = made
    case .gemm, .fc:
      guard let made = gemm(layer, op: op, name: name, x: x) else { return nil }
      graph = made
    case .maxPool, .avgPool:
      guard let attributes = pool(layer, op: op, x: x) else { return nil }
      let kind: Operator =
        op == .maxPool ? .maxPool(attributes) : .averagePool(attributes)
      graph.nodes.append(
        GraphNode(name: name, op: kind, inputs: tensors, outputs: [name]))
    case .globalAvgPool:
      graph.nodes.append(
        GraphNode(
          name: name, op: .globalAveragePool, inputs: tensors, outputs: [name]))
    case .globalMaxPool:
      graph.nodes.append(
        GraphNode(
          name: name, op: .globalMaxPool, inputs: tensors, outputs: [name]))
    case .batchNorm:
      guard let channels = channels(of: x, layer: layer, op: op) else {
        return nil
      }
      graph.append(
        batchNorm(named: name, reading: x.tensor, channels: channels))
    case .relu:
      graph.nodes.append(
        GraphNode(name: name, op: .relu, inputs: tensors, outputs: [name]))
    case .relu6:
      graph.nodes.append(
        GraphNode(
          name: name, op: .clip(min: 0, max: 6), inputs: tensors,
          outputs: [name]))
    case .clip:
      let lower = bound(layer, "min")
      let upper = bound(layer, "max")
      if let lower, let upper, lower > upper, let node = layer.value("max") {
        document.error(
          "'max' \(upper) is below 'min' \(lower)", at: node,
          hint: "write min ≤ max")
        return nil
      }
      graph.nodes.append(
        GraphNode(
          name: name, op: .clip(min: lower, max: upper), inputs: tensors,
          outputs: [name]))
    case .sigmoid:
      graph.nodes.append(
        GraphNode(
          name: name, op: .activation(.sigmoid), inputs: tensors,
          outputs: [name]))
    case .hardSwish:
      graph.nodes.append(
        GraphNode(
          name: name, op: .activation(.hardSwish), inputs: tensors,
          outputs: [name]))
    case .leakyRelu:
      let alpha = layer.number("alpha", in: 0...1_000) ?? 0.01
      graph.nodes.append(
        GraphNode(
          name: name, op: .activation(.leakyRelu(alpha: Float(alpha))),
          inputs: tensors,
          outputs: [name]))
    case .add, .mul:
      graph.nodes.append(
        GraphNode(
          name: name, op: op == .add ? .add : .mul, inputs: tensors,
          outputs: [name]))
    case .concat:
      let axis = layer.integer("axis", in: -8...8) ?? 1
      graph.nodes.append(
        GraphNode(
          name: name, op: .concat(axis: axis), inputs: tensors, outputs: [name])
      )
    case .flatten:
      let axis = layer.integer("axis", in: -8...8) ?? 1
      graph.nodes.append(
        GraphNode(
          name: name, op: .flatten(axis: axis), inputs: tensors, outputs: [name]
        ))
    case .reshape:
      guard let target = reshapeTarget(layer, name: name) else { return nil }
      graph.initializers.append(target)
      graph.nodes.append(
        Node(
          name: name, op: .reshape(allowZero: false),
          inputs: [x.tensor, target.name],
          outputs: [name]))
    case .resize:
      guard let made = resize(layer, name: name, x: x) else { return nil }
      graph = made
    case .spaceToDepth:
      guard
        let block = layer.integer(
          "block", required: true, in: 1...windowLimit,
          hint: "write e.g. block: 2 (YOLOv2's reorg)")
      else { return nil }
      graph.nodes.append(
        GraphNode(
          name: name,
          op: .extended(.depthSpace(toSpace: false, blockSize: block)),
          inputs: tensors, outputs: [name]))
    case .softmax:
      let axis = layer.integer("axis", in: -8...8) ?? -1
      graph.nodes.append(
        GraphNode(
          name: name, op: .softmax(axis: axis), inputs: tensors, outputs: [name]
        ))
    case .argmax:
      let axis = layer.integer("axis", in: -8...8) ?? 1
      graph.nodes.append(
        GraphNode(
          name: name,
          op: .extended(.argExtreme(max: true, axis: axis, keepDims: false)),
          inputs: tensors, outputs: [name]))
    case .detectionPostprocess:
      guard let attributes = detection(layer, sources: sources) else {
        return nil
      }
      graph.nodes.append(
        GraphNode(
          name: name, op: .extended(.detectionPostProcess(attributes)),
          inputs: tensors, outputs: [name]))
    }
    if activationFailed { return nil }
    if let activation, let last = graph.nodes.last?.outputs.first {
      graph.nodes.append(Self.activation(activation, of: name, reading: last))
    }
    return graph
  }

  // MARK: Conv and Gemm

  /// `conv`: `[filters, C/groups, k…]` weights, optional bias, optional
  /// batch norm.
  func conv(_ layer: MappingReader, name: String, x: Source) -> LayerGraph? {
    guard x.shape.rank >= 3 else {
      document.error(
        "a conv layer needs an input [N, C, H, W], but '\(x.tensor)' is \(x.shape)",
        at: layer.node,
        hint: "a conv reads a feature map; use gemm after a flatten")
      return nil
    }
    let spatial = x.shape.rank - 2
    let channels = x.shape[1]
    let kernel = layer.integerOrList(
      "kernel", count: spatial, in: 1...windowLimit, required: true,
      hint: "write kernel: 3 or kernel: [3, 3]")
    let strides = layer.integerOrList(
      "stride", count: spatial, in: 1...windowLimit)
    let dilations = layer.integerOrList(
      "dilation", count: spatial, in: 1...windowLimit)
    let padding = self.padding(layer, spatial: spatial)
    let depthwise = layer.boolean("depthwise") ?? false
    let transposed = layer.boolean("transposed") ?? false
    let groups = layer.integer("groups", in: 1...widthLimit)
    let filters = outputWidth(
      layer, "filters", alias: "out_channels",
      default: depthwise ? channels : nil)
    let normalized = layer.boolean("batch_norm") ?? false
    let bias = layer.boolean("bias") ?? !normalized
    if depthwise, groups != nil, let node = layer.value("depthwise") {
      document.error(
        "give either 'groups' or 'depthwise: true', not both", at: node,
        hint:
          "depthwise: true means groups equal to the input channels (\(channels))"
      )
      return nil
    }
    let group = depthwise ? max(1, channels) : (groups ?? 1)
    guard let filters, let kernel else { return nil }
    if channels % group != 0,
      let node = layer.value(depthwise ? "depthwise" : "groups")
    {
      document.error(
        "groups \(group) does not divide the \(channels) input channels of '\(x.tensor)' \(x.shape)",
        at: node, hint: "use a divisor of \(channels)")
      return nil
    }
    if filters % group != 0 {
      let node =
        layer.value("filters") ?? layer.value("out_channels") ?? layer.node
      document.error(
        "\(filters) filters are not divisible by groups \(group)", at: node,
        hint: "use a multiple of \(group)")
      return nil
    }
    // ConvTranspose's weight is [C, filters/group, k…]; Conv's [filters, C/group, k…].
    let weightDims =
      transposed
      ? [channels, filters / group] + kernel
      : [filters, channels / group] + kernel
    guard let weight = absent("\(name).weight", weightDims, layer) else {
      return nil
    }
    var graph = LayerGraph()
    graph.initializers.append(weight)
    var inputs = [x.tensor, weight.name]
    if bias, let tensor = absent("\(name).bias", [filters], layer) {
      graph.initializers.append(tensor)
      inputs.append(tensor.name)
    }
    let attributes = ConvAttributes(
      group: group, strides: strides, pads: padding?.pads, dilations: dilations,
      autoPad: padding?.autoPad ?? .notSet)
    let kind: Operator =
      transposed
      ? .extended(.convTranspose(ConvTransposeAttributes(conv: attributes)))
      : .conv(attributes)
    graph.nodes.append(
      GraphNode(name: name, op: kind, inputs: inputs, outputs: [name]))
    if normalized {
      graph.append(
        batchNorm(named: "\(name)/bn", reading: name, channels: filters))
    }
    return graph
  }

  /// `gemm` / `fc`: a PyTorch `Linear`, `Gemm(transB)` with `[units, K]`
  /// weights and an optional `[units]` bias.
  func gemm(
    _ layer: MappingReader, op: WorkloadOperator, name: String, x: Source
  ) -> LayerGraph? {
    let units = layer.integer(
      "units", required: true, in: 1...widthLimit,
      hint: "the output features, e.g. units: 1000")
    let normalized = layer.boolean("batch_norm") ?? false
    let bias = layer.boolean("bias") ?? !normalized
    guard x.shape.rank == 2 else {
      document.error(
        "\(op.phrase) needs a 2-D input [N, K], but '\(x.tensor)' is \(x.shape)",
        at: layer.node, hint: "put a flatten layer before it")
      return nil
    }
    guard let units,
      let weight = absent("\(name).weight", [units, x.shape[1]], layer)
    else { return nil }
    var graph = LayerGraph()
    graph.initializers.append(weight)
    var inputs = [x.tensor, weight.name]
    if bias, let tensor = absent("\(name).bias", [units], layer) {
      graph.initializers.append(tensor)
      inputs.append(tensor.name)
    }
    graph.nodes.append(
      GraphNode(
        name: name, op: .gemm(GemmAttributes(transB: true)), inputs: inputs,
        outputs: [name]))
    if normalized {
      graph.append(
        batchNorm(named: "\(name)/bn", reading: name, channels: units))
    }
    return graph
  }

  /// `filters` (or its alias): required unless a default is given.
  func outputWidth(
    _ layer: MappingReader, _ key: String, alias: String, default fallback: Int?
  ) -> Int? {
    let primary = layer.integer(key, in: 1...widthLimit)
    let secondary = layer.integer(alias, in: 1...widthLimit)
    if primary != nil, secondary != nil, let node = layer.value(alias) {
      document.error(
        "'\(key)' and '\(alias)' mean the same; give one", at: node,
        hint: "remove '\(alias)'")
      return nil
    }
    if let value = primary ?? secondary ?? fallback { return value }
    if !layer.has(key) && !layer.has(alias) {
      // Reported by `finish()`, or explained there by a misspelt key.
      _ = layer.required(
        key, hint: "the number of output channels, e.g. \(key): 64")
    }
    return nil
  }

  // MARK: Pooling and padding

  /// `max_pool` / `avg_pool` attributes; the stride defaults to the kernel,
  /// as in PyTorch.
  func pool(_ layer: MappingReader, op: WorkloadOperator, x: Source)
    -> PoolAttributes?
  {
    let spatial = max(1, x.shape.rank - 2)
    let kernel = layer.integerOrList(
      "kernel", count: spatial, in: 1...windowLimit, required: true,
      hint: "write kernel: 2 or kernel: [2, 2]")
    let strides = layer.integerOrList(
      "stride", count: spatial, in: 1...windowLimit)
    let padding = self.padding(layer, spatial: spatial)
    let dilations =
      op == .maxPool
      ? layer.integerOrList("dilation", count: spatial, in: 1...windowLimit)
      : nil
    let ceilMode = layer.boolean("ceil_mode") ?? false
    let includePad =
      op == .avgPool ? (layer.boolean("count_include_pad") ?? false) : false
    guard let kernel else { return nil }
    return PoolAttributes(
      kernelShape: kernel, strides: strides ?? kernel, pads: padding?.pads,
      dilations: dilations, autoPad: padding?.autoPad ?? .notSet,
      ceilMode: ceilMode,
      countIncludePad: includePad)
  }

  /// `padding`: a number, one per axis, begin and end per axis
  /// (`[top, left, bottom, right]` in 2-D), `same`, `same_lower` or `valid`.
  func padding(_ layer: MappingReader, spatial: Int) -> (
    pads: [Int]?, autoPad: AutoPad
  )? {
    guard let node = layer.value("padding") else { return nil }
    let hint =
      "write a number, [\(spatial == 2 ? "ph, pw" : "one per axis")], "
      + "[\(spatial == 2 ? "top, left, bottom, right" : "begins…, ends…")], same or valid"
    if case .scalar(let scalar) = node {
      switch scalar.string {
      case "same", "same_upper": return (nil, .sameUpper)
      case "same_lower": return (nil, .sameLower)
      case "valid": return (nil, .valid)
      default: break
      }
      guard Int(scalar.string) != nil else {
        document.error(
          "'\(scalar.string.prefix(40))' is not a valid padding", at: node,
          hint: Suggestions.closest(
            to: scalar.string, among: ["same", "same_lower", "valid"]
          )
          .map { "did you mean '\($0)'? " + hint } ?? hint)
        return nil
      }
      return layer.integer(node, key: "padding", in: 0...windowLimit).map {
        (Array(repeating: $0, count: 2 * spatial), .notSet)
      }
    }
    guard
      let values = layer.integerList(node, key: "padding", in: 0...windowLimit)
    else {
      return nil
    }
    if values.count == spatial { return (values + values, .notSet) }
    if values.count == 2 * spatial { return (values, .notSet) }
    document.error(
      "'padding' has \(values.count) values; expected \(spatial) or \(2 * spatial)",
      at: node,
      hint: hint)
    return nil
  }

  // MARK: Resize

  /// `resize`: Resize-13 on the spatial axes by a whole `scale` per axis,
  /// or to a `size`, `nearest` (default) or `linear`.
  func resize(_ layer: MappingReader, name: String, x: Source) -> LayerGraph? {
    let spatial = x.shape.rank - 2
    guard spatial >= 1 else {
      document.error(
        "a resize layer needs an input [N, C, H, …], but '\(x.tensor)' is \(x.shape)",
        at: layer.node, hint: "resize scales the spatial axes")
      return nil
    }
    let hasScale = layer.value("scale") != nil
    let hasSize = layer.value("size") != nil
    guard hasScale != hasSize else {
      document.error(
        hasScale
          ? "give 'scale' or 'size', not both"
          : "a resize layer needs 'scale' or 'size'",
        at: layer.node, hint: "write e.g. scale: 2, or size: [64, 64]")
      return nil
    }
    var mode = ResizeMode.nearest
    if let node = layer.value("mode") {
      guard
        let chosen = layer.choice(
          node, key: "mode", as: WorkloadResizeMode.self)
      else { return nil }
      mode = chosen == .linear ? .linear : .nearest
    }
    var graph = LayerGraph()
    let lead = Array(x.shape.dims.prefix(2))
    if hasScale {
      guard
        let scale = layer.integerOrList(
          "scale", count: spatial, in: 1...windowLimit)
      else { return nil }
      let values = lead.map { _ in Float(1) } + scale.map { Float($0) }
      guard
        let tensor = try? Tensor(
          name: "\(name).scales", shape: TensorShape([values.count]),
          values: values)
      else { return nil }
      graph.initializers.append(tensor)
      graph.nodes.append(
        GraphNode(
          name: name, op: .extended(.resize(mode: mode)),
          inputs: [x.tensor, "", tensor.name], outputs: [name]))
    } else {
      guard
        let size = layer.integerOrList(
          "size", count: spatial, in: 1...TensorShape.maximumElementCount)
      else { return nil }
      let values = (lead + size).map { Int64($0) }
      guard
        let tensor = try? Tensor(
          name: "\(name).sizes", shape: TensorShape([values.count]),
          integers: values)
      else { return nil }
      graph.initializers.append(tensor)
      graph.nodes.append(
        GraphNode(
          name: name, op: .extended(.resize(mode: mode)),
          inputs: [x.tensor, "", "", tensor.name], outputs: [name]))
    }
    return graph
  }

  // MARK: Small pieces

  /// Clip's `min` or `max`.
  func bound(_ layer: MappingReader, _ key: String) -> Float? {
    layer.number(key, in: -1e30...1e30).map { Float($0) }
  }

  /// Reshape's target as an `int64` constant with data.
  func reshapeTarget(_ layer: MappingReader, name: String) -> Tensor? {
    guard
      let node = layer.required("shape", hint: "write e.g. shape: [1, -1]"),
      let dims = layer.integerList(
        node, key: "shape", in: -1...TensorShape.maximumElementCount)
    else { return nil }
    guard (1...8).contains(dims.count), dims.filter({ $0 == -1 }).count <= 1
    else {
      document.error(
        "'shape' must have 1 to 8 dimensions with at most one -1", at: node,
        hint: "0 copies the input's dimension, -1 is inferred")
      return nil
    }
    return try? Tensor(
      name: "\(name).shape", elementType: .int64,
      shape: TensorShape([dims.count]),
      integers: dims.map { Int64($0) })
  }

  /// The channel count (axis 1) of an input that must have one.
  func channels(of x: Source, layer: MappingReader, op: WorkloadOperator)
    -> Int?
  {
    guard x.shape.rank >= 2 else {
      document.error(
        "\(op.phrase) needs an input [N, C, …], but '\(x.tensor)' is \(x.shape)",
        at: layer.node, hint: "batch norm normalizes each channel (axis 1)")
      return nil
    }
    return x.shape[1]
  }

  /// A `detection_postprocess` layer's attributes, checked against its two
  /// inputs (box encodings `anchors × 4`, class scores `anchors × classes`
  /// elements per sample).
  func detection(_ layer: MappingReader, sources: [Source])
    -> DetectionPostProcessAttributes?
  {
    let anchors = layer.integer(
      "anchors", required: true, in: 1...(1 << 20),
      hint: "the SSD's prior boxes per image, e.g. anchors: 1917 at 300x300")
    let classes = layer.integer(
      "classes", required: true, in: 2...(1 << 16),
      hint: "class scores per anchor with the background, e.g. classes: 91")
    let detections =
      layer.integer("max_detections", in: 1...(1 << 16)) ?? 10
    let perDetection =
      layer.integer("max_classes_per_detection", in: 1...(1 << 16)) ?? 1
    guard let anchors, let classes, sources.count == 2 else { return nil }
    let (boxes, scores) = (sources[0], sources[1])
    let batch = boxes.shape.rank > 0 ? boxes.shape[0] : 1
    guard batch > 0, boxes.shape.elementCount == batch * anchors * 4 else {
      document.error(
        "'anchors' is \(anchors), but the box encodings '\(boxes.tensor)' \(boxes.shape) do not hold \(anchors) × 4 per sample",
        at: layer.value("anchors") ?? layer.node,
        hint: "the first input holds 4 box coordinates per anchor")
      return nil
    }
    guard scores.shape.rank > 0, scores.shape[0] == batch,
      scores.shape.elementCount == batch * anchors * classes
    else {
      document.error(
        "'classes' is \(classes), but the class scores '\(scores.tensor)' \(scores.shape) do not hold \(anchors) anchors × \(classes) per sample",
        at: layer.value("classes") ?? layer.node,
        hint:
          "the second input holds one score per anchor and class, the background included"
      )
      return nil
    }
    return DetectionPostProcessAttributes(
      anchors: anchors, classes: classes, maxDetections: detections,
      maxClassesPerDetection: perDetection)
  }

  /// A weight of the given shape with absent data; reports a huge shape.
  func absent(_ name: String, _ dims: [Int], _ layer: MappingReader) -> Tensor?
  {
    do {
      return Tensor(
        absentDataNamed: name, elementType: .float32,
        shape: try TensorShape(dims))
    } catch {
      document.error(
        "the weight '\(name)' would be \(NetworkShapeText.list(dims)), over 2^40 elements",
        at: layer.node, hint: "check the channel, unit and kernel sizes")
      return nil
    }
  }

  /// A BatchNormalization node with absent `scale`, `B`, `mean` and `var`.
  func batchNorm(named name: String, reading input: String, channels: Int)
    -> LayerGraph
  {
    var graph = LayerGraph()
    var inputs = [input]
    for role in ["scale", "bias", "mean", "var"] {
      let shape = (try? TensorShape([channels])) ?? .scalar
      graph.initializers.append(
        Tensor(
          absentDataNamed: "\(name).\(role)", elementType: .float32,
          shape: shape))
      inputs.append("\(name).\(role)")
    }
    graph.nodes.append(
      GraphNode(
        name: name, op: .batchNormalization(epsilon: 1e-5), inputs: inputs,
        outputs: [name]))
    return graph
  }

  /// The node of an `activation:` shorthand, named `<layer>/<activation>`.
  static func activation(
    _ activation: WorkloadActivation, of layer: String, reading input: String
  ) -> GraphNode {
    let name = "\(layer)/\(activation.rawValue)"
    let op: Operator =
      switch activation {
      case .relu: .relu
      case .relu6: .clip(min: 0, max: 6)
      case .sigmoid: .activation(.sigmoid)
      case .hardSwish: .activation(.hardSwish)
      }
    return GraphNode(name: name, op: op, inputs: [input], outputs: [name])
  }
}

extension WorkloadBuilder.LayerGraph {
  /// Appends another graph's nodes and weights.
  mutating func append(_ other: Self) {
    nodes += other.nodes
    initializers += other.initializers
  }
}

/// `[1, 2, 3]`, as `NetworkGraph` prints shapes.
enum NetworkShapeText {
  static func list(_ values: [Int]) -> String {
    "[" + values.map(String.init).joined(separator: ", ") + "]"
  }
}
