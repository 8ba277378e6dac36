import Diagnostics
import NetworkGraph
import Yams

/// Reads a workload description (YAML) into a shape-only ``Network``.
///
/// The format is documented in `Documentation/WorkloadYAML.md`: a `name`, an
/// `input` shape and a list of `layers` (`conv`, `gemm`, pools, activations,
/// `add`, `concat`, …), each reading the previous layer unless it names its
/// `inputs`. Weights are never written: every learned tensor is created with
/// its shape and absent data (``Tensor/Storage/absent``), so shape inference,
/// counting and simulation work while execution refuses the model.
///
/// Every problem is reported with its file, line and column, and reading goes
/// on so that all of them are listed at once: unknown operators and keys
/// (with did-you-mean hints), values of the wrong type, references to
/// unknown or later layers, duplicate names, and shape errors found by
/// `NetworkGraph`'s inference, placed at the layer that causes them.
///
/// ```swift
/// let result = WorkloadReader.read(bytes: Array(text.utf8), fileName: "lenet5.yaml")
/// if let network = result.value { let counts = try network.counts() }
/// ```
public enum WorkloadReader {
  /// The keys allowed at the top level, in documentation order.
  static let topLevelKeys = [
    "name", "description", "source", "input", "batch", "layers",
  ]

  /// Reads a workload description.
  ///
  /// - Parameters:
  ///   - bytes: The file's contents.
  ///   - fileName: The name to report in diagnostics (never opened here).
  /// - Returns: The network when there is no error (its graph output is the
  ///   last layer's result), and every diagnostic in reading order.
  public static func read(bytes: [UInt8], fileName: String) -> LoadResult<
    Network
  > {
    let document: YAMLDocument
    switch YAMLDocument.compose(
      bytes: bytes, fileName: fileName, what: "workload description")
    {
    case .success(let d): document = d
    case .failure(let error):
      return LoadResult(value: nil, diagnostics: error.diagnostics)
    }
    let network = readNetwork(document)
    let diagnostics = document.diagnostics.sortedByLocation()
    if diagnostics.containsErrors {
      return LoadResult(value: nil, diagnostics: diagnostics)
    }
    return LoadResult(value: network, diagnostics: diagnostics)
  }

  static func readNetwork(_ document: YAMLDocument) -> Network? {
    guard
      let top = MappingReader(
        document.root, in: document,
        what: "a workload description (the top level)")
    else { return nil }
    top.allow(topLevelKeys)
    let name = top.string(
      "name", required: true, hint: "name the network, e.g. name: resnet18")
    _ = top.string("description")
    readSources(top)
    let input = readInput(top)
    let layers = top.required(
      "layers",
      hint: "list the layers, e.g. layers: [{op: conv, filters: 64, kernel: 3}]"
    )
    top.finish()
    guard let name, let input, let layers,
      let items = top.sequence(layers, key: "layers")
    else { return nil }
    if items.isEmpty {
      document.error(
        "'layers' is an empty list", at: layers,
        hint: "a network has at least one layer")
      return nil
    }
    var builder = WorkloadBuilder(document: document, name: name, input: input)
    return builder.build(items)
  }

  /// `source`: a citation or a list of them (checked, not kept).
  static func readSources(_ top: MappingReader) {
    guard let node = top.value("source") else { return }
    if case .scalar = node {
      _ = top.scalarText(node, key: "source", expected: "a citation")
      return
    }
    for item in top.sequence(node, key: "source") ?? [] {
      _ = top.scalarText(item, key: "source", expected: "a citation string")
    }
  }

  /// `input: [1, 3, 224, 224]` or `input: {name: image, shape: [1, 3, 224, 224]}`,
  /// with `batch: N` (top level) replacing the first dimension.
  static func readInput(_ top: MappingReader) -> GraphInput? {
    let hint =
      "write input: [1, 3, 224, 224] or input: {name: image, shape: [1, 3, 224, 224]}"
    let batch = top.integer("batch", in: 1...1_000_000)
    guard let node = top.required("input", hint: hint) else { return nil }
    var name = "input"
    var dims: [Int]?
    var shapeNode = node
    switch node {
    case .sequence:
      dims = top.integerList(
        node, key: "input", in: 1...TensorShape.maximumElementCount)
    case .mapping:
      guard
        let input = MappingReader(
          node, in: top.document, path: ["input"], what: "'input'")
      else { return nil }
      name = input.string("name") ?? name
      if let shape = input.required(
        "shape", hint: "write shape: [1, 3, 224, 224]")
      {
        shapeNode = shape
        dims = input.integerList(
          shape, key: "shape", in: 1...TensorShape.maximumElementCount)
      }
      input.finish()
    default:
      top.document.error(
        "'input' must be a shape list or a mapping", at: node, hint: hint)
      return nil
    }
    guard var dims else { return nil }
    guard (1...8).contains(dims.count) else {
      top.document.error(
        "the input shape has \(dims.count) dimensions; expected 1 to 8",
        at: shapeNode,
        hint: "write [N, C, H, W], e.g. [1, 3, 224, 224]")
      return nil
    }
    if let batch { dims[0] = batch }
    do {
      _ = try TensorShape(dims)
    } catch {
      top.document.error(
        "the input shape \(dims) has more than 2^40 elements", at: shapeNode,
        hint: "edge workloads are far smaller; check the dimensions")
      return nil
    }
    return GraphInput(name: name, shape: dims)
  }
}
