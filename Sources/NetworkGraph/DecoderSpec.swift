/// A Llama-style decoder-only language model described by its
/// hyper-parameters (the `decoder:` block of an LLM workload file,
/// `Documentation/WorkloadYAML.md`), with the widths its weights, KV cache
/// and activations are stored at.
///
/// ``DecoderNetwork`` expands it into the network of one forward pass:
/// the prompt at once (prefill) or one token over a KV cache (decode).
public struct DecoderSpec: Hashable, Sendable {
  /// The model's name.
  public var name: String
  /// Transformer blocks.
  public var layers: Int
  /// Hidden size.
  public var dModel: Int
  /// Query heads.
  public var heads: Int
  /// Key/value heads (grouped-query attention; `heads` for multi-head).
  public var kvHeads: Int
  /// Hidden size of the SwiGLU feed-forward network.
  public var ffn: Int
  /// Vocabulary size (embedding rows, LM-head columns).
  public var vocab: Int
  /// Longest sequence the model serves (prompt plus generated tokens).
  public var context: Int
  /// Prompt tokens (prefill).
  public var prompt: Int
  /// Generated tokens (decode steps).
  public var generate: Int
  /// Whether the LM head reuses the embedding table.
  public var tiedEmbeddings: Bool
  /// Bits per weight (weight-only quantisation when narrower than the
  /// activations).
  public var weightBits: Int
  /// Whether weights are floating point.
  public var weightsAreFloat: Bool
  /// Bits per KV-cache element.
  public var kvBits: Int
  /// Whether the KV cache is floating point.
  public var kvIsFloat: Bool
  /// Bits per activation.
  public var activationBits: Int
  /// Whether activations (and the arithmetic) are floating point.
  public var activationsAreFloat: Bool

  /// Creates a description; ``problems`` lists what is inconsistent.
  public init(
    name: String, layers: Int, dModel: Int, heads: Int, kvHeads: Int,
    ffn: Int, vocab: Int, context: Int, prompt: Int, generate: Int,
    tiedEmbeddings: Bool = false,
    weightBits: Int = 8, weightsAreFloat: Bool = false,
    kvBits: Int = 8, kvIsFloat: Bool = false,
    activationBits: Int = 8, activationsAreFloat: Bool = false
  ) {
    self.name = name
    self.layers = layers
    self.dModel = dModel
    self.heads = heads
    self.kvHeads = kvHeads
    self.ffn = ffn
    self.vocab = vocab
    self.context = context
    self.prompt = prompt
    self.generate = generate
    self.tiedEmbeddings = tiedEmbeddings
    self.weightBits = weightBits
    self.weightsAreFloat = weightsAreFloat
    self.kvBits = kvBits
    self.kvIsFloat = kvIsFloat
    self.activationBits = activationBits
    self.activationsAreFloat = activationsAreFloat
  }

  /// Elements of one head.
  public var headDimension: Int { dModel / max(1, heads) }

  /// Parameters of the model, counted from the hyper-parameters: per block
  /// two RMSNorm scales, the Q, K, V and output projections and the three
  /// SwiGLU matrices; the embedding table, the final norm and (untied) the
  /// LM head.
  public var parameters: Int {
    let kv = kvHeads * headDimension
    let attention = dModel * dModel * 2 + dModel * kv * 2
    let block = attention + 3 * dModel * ffn + 2 * dModel
    let head = tiedEmbeddings ? 0 : vocab * dModel
    return layers * block + vocab * dModel + dModel + head
  }

  /// Bytes of one token's keys and values over all blocks.
  public var kvBytesPerToken: Int {
    (2 * layers * kvHeads * headDimension * kvBits + 7) / 8
  }

  /// What is inconsistent, each with the key it concerns.
  public var problems: [(key: String, message: String)] {
    var found: [(String, String)] = []
    if dModel % heads != 0 {
      found.append(
        ("d_model", "d_model \(dModel) is not a multiple of heads \(heads)"))
    }
    if heads % kvHeads != 0 {
      found.append(
        ("kv_heads", "heads \(heads) is not a multiple of kv_heads \(kvHeads)")
      )
    }
    if prompt + generate > context {
      found.append(
        (
          "generate",
          "prompt \(prompt) + generate \(generate) exceeds the context \(context)"
        ))
    }
    return found
  }
}
