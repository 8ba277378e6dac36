import Diagnostics
import HardwareModel
import NetworkGraph
import Yams

/// Reads an LLM workload (YAML): a `decoder:` block of Llama-style
/// hyper-parameters and a `precision:` block, into a ``DecoderSpec``.
///
/// The format is in `Documentation/WorkloadYAML.md` ("LLM workloads").
/// Every key is checked, with its file, line and column, and unknown keys
/// get a did-you-mean hint, as in ``WorkloadReader``.
///
/// ```swift
/// let result = DecoderWorkloadReader.read(bytes: bytes, fileName: "llama.yaml")
/// ```
public enum DecoderWorkloadReader {
  /// The keys allowed at the top level.
  static let topLevelKeys = [
    "name", "description", "source", "decoder", "precision",
  ]
  /// The keys of `decoder:`, in documentation order.
  static let decoderKeys = [
    "layers", "d_model", "heads", "kv_heads", "ffn", "vocab", "context",
    "prompt", "generate", "tied_embeddings",
  ]

  /// Whether the bytes are a YAML mapping with a top-level `decoder` key
  /// (an LLM workload rather than a layer list).
  public static func isDecoderWorkload(bytes: [UInt8]) -> Bool {
    // Without the word there is no such key: a layer list (NASNet-large's
    // has 890 layers) is not parsed twice.
    let word = Array("decoder".utf8)
    guard bytes.count >= word.count,
      (0...(bytes.count - word.count)).contains(where: {
        bytes[$0] == word[0]
          && bytes[$0..<($0 + word.count)].elementsEqual(word)
      })
    else { return false }
    guard
      case .success(let document) = YAMLDocument.compose(
        bytes: bytes, fileName: "", what: "workload description"),
      case .mapping(let mapping) = document.root
    else { return false }
    return mapping.contains { $0.key.string == "decoder" }
  }

  /// Reads an LLM workload.
  ///
  /// - Returns: the model when there is no error, and every diagnostic.
  public static func read(bytes: [UInt8], fileName: String) -> LoadResult<
    DecoderSpec
  > {
    let document: YAMLDocument
    switch YAMLDocument.compose(
      bytes: bytes, fileName: fileName, what: "LLM workload")
    {
    case .success(let d): document = d
    case .failure(let error):
      return LoadResult(value: nil, diagnostics: error.diagnostics)
    }
    let spec = readSpec(document)
    let diagnostics = document.diagnostics.sortedByLocation()
    if diagnostics.containsErrors {
      return LoadResult(value: nil, diagnostics: diagnostics)
    }
    return LoadResult(value: spec, diagnostics: diagnostics)
  }

  static func readSpec(_ document: YAMLDocument) -> DecoderSpec? {
    guard
      let top = MappingReader(
        document.root, in: document, what: "an LLM workload (the top level)")
    else { return nil }
    top.allow(topLevelKeys)
    let name = top.string(
      "name", required: true, hint: "name the model, e.g. name: llama-3.2-1b")
    _ = top.string("description")
    WorkloadReader.readSources(top)
    let decoder = top.mapping(
      "decoder", required: true,
      hint:
        "write decoder: {layers: 16, d_model: 2048, heads: 32, kv_heads: 8, ffn: 8192, vocab: 128256, context: 2048, prompt: 512, generate: 128}"
    )
    let precision = top.mapping("precision")
    top.finish()
    guard let decoder else { return nil }
    decoder.allow(decoderKeys)
    let big = 1...(1 << 24)
    func count(_ key: String, _ example: String) -> Int? {
      decoder.integer(
        key, required: true, in: big, hint: "write \(key): \(example)")
    }
    let layers = count("layers", "16")
    let dModel = count("d_model", "2048")
    let heads = count("heads", "32")
    let kvHeads = decoder.integer("kv_heads", in: big)
    let ffn = count("ffn", "8192")
    let vocab = count("vocab", "128256")
    let context = count("context", "2048")
    let prompt = count("prompt", "512")
    let generate = count("generate", "128")
    let tied = decoder.boolean("tied_embeddings") ?? false
    decoder.finish()

    var widths: [String: Precision] = [
      "weights": .int8, "kv_cache": .int8, "activations": .int8,
    ]
    if let precision {
      for key in ["weights", "kv_cache", "activations"] {
        if let p = precision.choice(key, as: Precision.self) {
          widths[key] = p
        }
      }
      precision.finish()
      if let a = widths["activations"], a == .int4,
        let node = precision.value("activations")
      {
        document.error(
          "activations at int4 are not supported", at: node,
          hint:
            "int4 is for weights (weight-only quantisation); use int8, int16, fp16 or fp32"
        )
      }
    }
    guard let name, let layers, let dModel, let heads, let ffn, let vocab,
      let context, let prompt, let generate,
      let w = widths["weights"], let kv = widths["kv_cache"],
      let a = widths["activations"]
    else { return nil }
    let spec = DecoderSpec(
      name: name, layers: layers, dModel: dModel, heads: heads,
      kvHeads: kvHeads ?? heads, ffn: ffn, vocab: vocab, context: context,
      prompt: prompt, generate: generate, tiedEmbeddings: tied,
      weightBits: w.bits, weightsAreFloat: w.isFloatingPoint,
      kvBits: kv.bits, kvIsFloat: kv.isFloatingPoint,
      activationBits: a.bits, activationsAreFloat: a.isFloatingPoint)
    for problem in spec.problems {
      document.error(
        problem.message, at: decoder.value(problem.key),
        hint: "check the model's config.json")
    }
    return spec
  }
}
