import Diagnostics
import FixedPointArithmetic
import NetworkGraph

/// Walks a network in topological order, giving every tensor its format
/// and collecting every problem (the work behind
/// ``PrecisionPlan/resolve(for:)``).
struct PrecisionResolver {
  let plan: PrecisionPlan
  let network: Network
  var problems: [PrecisionProblem] = []
  var seen: Set<PrecisionProblem> = []

  init(plan: PrecisionPlan, network: Network) {
    self.plan = plan
    self.network = network
  }

  mutating func report(_ kind: PrecisionProblem.Kind, at path: String) {
    let problem = PrecisionProblem(kind, at: path)
    if seen.insert(problem).inserted { problems.append(problem) }
  }

  /// Checks the keys written in one spec (ranges), at `path`.
  mutating func checkWritten(_ spec: FormatSpec?, at path: String) {
    guard let spec else { return }
    let signed = spec.signed ?? true
    if let bits = spec.bits {
      let allowed = signed ? QFormat.signedBits : QFormat.unsignedBits
      if !allowed.contains(bits) {
        report(
          .invalidFormat(.bitsOutOfRange(bits: bits, allowed: allowed)),
          at: path + ".bits")
      }
    }
    if let fl = spec.fractionalLength, !QFormat.fractionalLengths.contains(fl) {
      report(
        .invalidFormat(
          .fractionalLengthOutOfRange(
            fractionalLength: fl, allowed: QFormat.fractionalLengths)),
        at: path + ".fl")
    }
    if spec.symmetric == true && !signed {
      report(.invalidFormat(.symmetricRequiresSigned), at: path + ".symmetric")
    }
  }

  /// Builds a merged spec's format, reporting missing keys at `path`.
  mutating func format(
    _ spec: FormatSpec?, layerOverflow: OverflowPolicy, at path: String
  ) -> (QFormat, OverflowPolicy)? {
    guard let spec, let bits = spec.bits, let fl = spec.fractionalLength else {
      report(.missingKey(spec?.bits == nil ? "bits" : "fl"), at: path)
      return nil
    }
    let overflow = spec.overflow ?? layerOverflow
    if spec.symmetric == true && overflow == .wrap {
      report(.invalidFormat(.symmetricWithWrap), at: path)
    }
    guard
      let format = try? QFormat(
        bits: bits, fractionalLength: fl, signed: spec.signed ?? true,
        symmetric: spec.symmetric ?? false)
    else { return nil }
    return (format, overflow)
  }

  mutating func run()
    -> Result<ResolvedPrecision, PrecisionResolutionError>
  {
    // 1. The keys as written.
    checkWritten(plan.input, at: "input")
    checkRoles(plan.defaults, at: "default")
    let nodeNames = network.nodes.map(\.name)
    let nodesByName = Dictionary(
      network.nodes.map { ($0.name, $0) },
      uniquingKeysWith: { first, _ in first })
    for entry in plan.layers {
      let path = "layers.\(entry.name)"
      checkRoles(entry.precision, at: path)
      guard let node = nodesByName[entry.name] else {
        let suggestion = Suggestions.closest(to: entry.name, among: nodeNames)
        report(
          .unknownLayer(name: entry.name, suggestion: suggestion), at: path)
        continue
      }
      if NodeKind(node.op) == .formatPreserving && entry.precision.setsFormat {
        report(
          .formatOnFormatPreservingNode(
            layer: entry.name, opType: node.op.opType), at: path)
      }
    }
    // 2. The input.
    let inputFormat = format(plan.input, layerOverflow: .saturate, at: "input")
    // 3. Every node, in order.
    let order: [Int]
    do {
      order = try network.topologicalOrder()
    } catch {
      return .failure(.network(error))
    }
    var formats: [String: QFormat] = [:]
    if let inputFormat {
      for input in network.inputs
      where network.initializer(named: input.name) == nil {
        formats[input.name] = inputFormat.0
      }
    }
    let consumers = network.consumers()
    let shapes = try? network.inferShapes()
    var layers: [String: ResolvedLayer] = [:]
    for index in order {
      let node = network.nodes[index]
      if let layer = resolveNode(
        node, formats: &formats, consumers: consumers, shapes: shapes)
      {
        layers[node.name] = layer
      }
    }
    guard problems.isEmpty, let inputFormat else {
      return .failure(.invalidPrecision(problems))
    }
    return .success(
      ResolvedPrecision(
        input: inputFormat.0, layers: layers, tensorFormats: formats,
        seed: plan.seed))
  }

  mutating func checkRoles(_ precision: LayerPrecision, at path: String) {
    checkWritten(precision.weight, at: path + ".weight")
    checkWritten(precision.activation, at: path + ".activation")
    if case .format(let spec)? = precision.bias {
      checkWritten(spec, at: path + ".bias")
    }
    if let bits = precision.accumulator?.bits,
      !QFormat.accumulatorBits.contains(bits)
    {
      report(
        .invalidFormat(
          .bitsOutOfRange(bits: bits, allowed: QFormat.accumulatorBits)),
        at: path + ".accumulator.bits")
    }
  }

  /// The path of the entry that supplies `role` for `name`.
  func rolePath(_ name: String, _ role: String, given: Bool) -> String {
    given ? "layers.\(name).\(role)" : "default.\(role)"
  }
}
