import Diagnostics
import NetworkGraph
import SwiftProtobuf

/// One import: the steps of ``ONNXImporter/read(bytes:fileName:options:externalData:)``
/// and the diagnostics they produce.
struct ModelReader {
  let context: ImportContext
  let options: ImportOptions
  var diagnostics: [Diagnostic] = []
  /// The batch size a symbolic leading dimension was bound to, if any.
  var boundSymbolicBatch: Int?

  init(context: ImportContext, options: ImportOptions) {
    self.context = context
    self.options = options
  }

  private mutating func fail(
    _ message: String, entity: String? = nil, hint: String? = nil
  ) {
    diagnostics.append(context.error(message, entity: entity, hint: hint))
  }

  mutating func read(
    _ bytes: [UInt8], externalData: (ExternalDataRequest) -> ExternalDataResult
  ) -> ImportedModel? {
    guard let model = decode(bytes), let opset = opsetVersion(model) else {
      return nil
    }
    let graph = model.graph
    var missing: [(file: String, tensor: String)] = []
    let initializers = decodeInitializers(
      graph, missing: &missing, externalData: externalData)
    let inputs = graphInputs(
      graph, initializerNames: Set(initializers.map(\.name)))
    guard !diagnostics.containsErrors else { return nil }

    var network = Network(name: graph.name, inputs: inputs)
    for tensor in initializers { network.setInitializer(tensor) }
    var reserved = Set(initializers.map(\.name) + inputs.map(\.name))
    for node in graph.node {
      reserved.formUnion(node.input + node.output + [node.name])
    }
    let state = ImportState(network: network, reservedNames: reserved)
    walkNodes(graph, opset: opset, state: state, externalData: externalData)
    state.setOutputs(graph.output.map(\.name))
    guard !diagnostics.containsErrors else { return nil }

    network = state.network
    network.removeUnusedInitializers()
    if let batch = boundSymbolicBatch,
      network.shapeComputedConstants.contains(where: {
        network.initializer(named: $0) != nil
      })
    {
      network.foldedBatch = batch
    }
    let problems = network.validate(file: context.fileName)
    diagnostics += problems
    guard !problems.containsErrors else { return nil }
    network = network.removingIdentities().foldingBatchNormalization()
    let shapes: InferredShapes
    do {
      shapes = try network.inferShapes()
    } catch {
      diagnostics.append(context.diagnostic(error))
      return nil
    }
    let missingWeights = warnAboutMissingFiles(missing)
    return ImportedModel(
      network: network, shapes: shapes, opsetVersion: opset,
      irVersion: Int(truncatingIfNeeded: model.irVersion),
      producer: [model.producerName, model.producerVersion].filter {
        !$0.isEmpty
      }
      .joined(separator: " "),
      missingWeights: missingWeights)
  }

  // MARK: Decoding

  mutating func decode(_ bytes: [UInt8]) -> Onnx_ModelProto? {
    let prefix = "not an ONNX model or truncated: "
    guard !bytes.isEmpty else {
      fail(prefix + "the file is empty")
      return nil
    }
    var decoding = BinaryDecodingOptions()
    decoding.messageDepthLimit = options.messageDepthLimit
    decoding.discardUnknownFields = true
    let model: Onnx_ModelProto
    do {
      model = try Onnx_ModelProto(serializedBytes: bytes, options: decoding)
    } catch let error as BinaryDecodingError {
      fail(prefix + Self.describe(error, depth: options.messageDepthLimit))
      return nil
    } catch {
      fail(prefix + "\(error)")
      return nil
    }
    guard model.hasGraph else {
      fail(prefix + "it has no graph")
      return nil
    }
    // An empty graph decodes from almost any bytes (a protobuf message
    // whose fields are all absent); it is not a model.
    let graph = model.graph
    if graph.node.isEmpty || graph.output.isEmpty {
      let missing = [
        graph.node.isEmpty ? "no nodes" : nil,
        graph.output.isEmpty ? "no outputs" : nil,
      ].compactMap { $0 }.joined(separator: " and ")
      fail(
        "the model's graph has \(missing): there is nothing to import",
        hint: "is this the right file? export the model again with its graph")
      return nil
    }
    return model
  }

  private static func describe(_ error: BinaryDecodingError, depth: Int)
    -> String
  {
    switch error {
    case .truncated: "the data ends in the middle of a field"
    case .malformedProtobuf: "the bytes are not valid protobuf data"
    case .invalidUTF8: "a string is not valid UTF-8"
    case .messageDepthLimit:
      "messages are nested more than \(depth) levels deep"
    case .trailingGarbage: "the data has trailing bytes that are not protobuf"
    default: "\(error)"
    }
  }

  /// The default-domain opset version, checked to be supported.
  private mutating func opsetVersion(_ model: Onnx_ModelProto) -> Int? {
    let range = ONNXImporter.supportedOpsets
    let hint =
      "convert the model with onnx.version_converter to an opset from "
      + "\(range.lowerBound) to \(range.upperBound)"
    guard
      let entry = model.opsetImport.first(where: {
        $0.domain == "" || $0.domain == "ai.onnx"
      })
    else {
      fail(
        "the model imports no default ONNX operator set ('' or 'ai.onnx'); EdgeSim reads "
          + "opsets \(range.lowerBound) to \(range.upperBound)", hint: hint)
      return nil
    }
    let version = Int(truncatingIfNeeded: entry.version)
    guard range.contains(version), Int64(version) == entry.version else {
      fail(
        "the model uses ONNX opset \(entry.version); EdgeSim supports opsets "
          + "\(range.lowerBound) to \(range.upperBound)", hint: hint)
      return nil
    }
    return version
  }

  private mutating func decodeInitializers(
    _ graph: Onnx_GraphProto, missing: inout [(file: String, tensor: String)],
    externalData: (ExternalDataRequest) -> ExternalDataResult
  ) -> [Tensor] {
    let decoder = TensorDecoder(
      context: context,
      maximumExternalTensorBytes: options.maximumExternalTensorBytes)
    var tensors: [Tensor] = []
    var seen: Set<String> = []
    for (index, proto) in graph.initializer.enumerated() {
      let name = proto.name.isEmpty ? "initializer #\(index)" : proto.name
      guard !proto.name.isEmpty else {
        fail("initializer #\(index) has no name", entity: tensorEntity(name))
        continue
      }
      guard seen.insert(name).inserted else {
        fail(
          "more than one initializer is named '\(name)'",
          entity: tensorEntity(name))
        continue
      }
      do {
        let decoded = try decoder.decode(
          proto, name: name, externalData: externalData)
        if let file = decoded.missingFile { missing.append((file, name)) }
        tensors.append(decoded.tensor)
      } catch {
        diagnostics.append(error)
      }
    }
    return tensors
  }

  /// One warning per missing external file, naming the tensors the network
  /// still reads; returns the names of all tensors left without data.
  private mutating func warnAboutMissingFiles(
    _ missing: [(file: String, tensor: String)]
  ) -> [String] {
    var files: [String] = []
    var tensors: [String: [String]] = [:]
    for entry in missing {
      if tensors[entry.file] == nil { files.append(entry.file) }
      tensors[entry.file, default: []].append(entry.tensor)
    }
    for file in files {
      let names = tensors[file] ?? []
      let shown = names.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
      let more = names.count > 3 ? " and \(names.count - 3) more" : ""
      diagnostics.append(
        context.warning(
          "external data file '\(file)' was not found: \(names.count) tensor"
            + (names.count == 1 ? " is" : "s are")
            + " shape-only (\(shown)\(more))",
          entity: "external data '\(file)'",
          hint:
            "inspect and simulate still work (they need only shapes); run and quantize "
            + "need the weights: put '\(file)' next to the model"))
    }
    return missing.map(\.tensor)
  }
}
