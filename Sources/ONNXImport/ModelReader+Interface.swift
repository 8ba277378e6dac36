import Diagnostics
import NetworkGraph

/// A model's graph inputs and outputs as declared, before any dimension is
/// bound: what a caller needs to decide how to bind them (the sequence and
/// KV-cache dimensions of an LLM decoder).
public struct DeclaredInterface: Hashable, Sendable {
  /// Graph inputs that are not initializers, in file order; an unnamed
  /// symbolic dimension is `.symbolic("")`.
  public var inputs: [GraphInput]
  /// Graph outputs, in file order, with their declared dimensions (empty
  /// when the file declares no shape).
  public var outputs: [GraphInput]
}

extension ModelReader {
  /// The declared inputs and outputs of a decoded model, or `nil` after an
  /// error (an input or output that is not a tensor of a known type).
  mutating func interface(_ bytes: [UInt8]) -> DeclaredInterface? {
    guard let model = decode(bytes) else { return nil }
    let graph = model.graph
    let constants = Set(graph.initializer.map(\.name))
    var inputs: [GraphInput] = []
    var outputs: [GraphInput] = []
    for (values, isInput) in [(graph.input, true), (graph.output, false)] {
      for value in values where !(isInput && constants.contains(value.name)) {
        let entity = (isInput ? "input" : "output") + " '\(value.name)'"
        guard case .tensorType(let type)? = value.type.value,
          let elementType = ElementType(rawValue: Int(type.elemType))
        else {
          diagnostics.append(
            context.error(
              "graph \(entity) is not a tensor of a type EdgeSim reads",
              entity: entity))
          continue
        }
        let dimensions: [Dimension] = type.shape.dim.map {
          switch $0.value {
          case .dimValue(let size)?: .fixed(Int(size))
          case .dimParam(let name)?: .symbolic(name)
          case nil: .symbolic("")
          }
        }
        let declared = GraphInput(
          name: value.name, elementType: elementType, dimensions: dimensions)
        if isInput { inputs.append(declared) } else { outputs.append(declared) }
      }
    }
    guard !diagnostics.containsErrors else { return nil }
    return DeclaredInterface(inputs: inputs, outputs: outputs)
  }
}

extension ONNXImporter {
  /// Reads only a model's declared graph inputs and outputs, with their
  /// symbolic dimensions unbound; the graph is not imported.
  public static func interface(bytes: [UInt8], fileName: String)
    -> LoadResult<DeclaredInterface>
  {
    var reader = ModelReader(
      context: ImportContext(fileName: fileName), options: ImportOptions())
    let interface = reader.interface(bytes)
    return LoadResult(value: interface, diagnostics: reader.diagnostics)
  }
}
