/// How an exported LLM decoder's graph inputs and outputs play the roles of
/// one forward pass: which symbolic dimension is the tokens of the pass,
/// which the tokens already in the KV cache, and which tensors are the
/// cache read and written.
///
/// Found from the names exporters use (Hugging Face optimum,
/// onnxruntime-genai): `input_ids [batch, sequence]`, cache inputs
/// `past_key_values.{i}.key/value [batch, kv_heads, past, head_dim]`, cache
/// outputs `present.{i}.key/value`, and `attention_mask [batch, total]`
/// where `total` is `past + sequence` (an expression name, bound from the
/// two, or a symbol of its own, bound here).
public struct DecoderInterface: Hashable, Sendable {
  /// The symbol of the tokens processed by a pass.
  public var sequence: String
  /// The symbol of the tokens already in the cache.
  public var past: String
  /// A plain symbol for past + sequence (the attention mask's length), when
  /// the model names one.
  public var total: String?
  /// The graph inputs that hold the cache.
  public var cacheInputs: [String]
  /// The graph outputs that hold the cache after the pass.
  public var cacheOutputs: [String]

  /// Why a model's interface is not that of a decoder with a KV cache.
  public struct Failure: Error, Hashable, Sendable {
    /// What is missing or ambiguous, for the user.
    public var reason: String
    /// How to fix it.
    public var hint: String
  }

  /// The symbol values of a pass of `tokens` tokens over a cache of
  /// `cached` tokens.
  public func bindings(tokens: Int, cached: Int) -> [String: Int] {
    var values = [sequence: tokens, past: cached]
    if let total { values[total] = tokens + cached }
    return values
  }

  /// Finds the roles among declared inputs and outputs.
  public static func find(inputs: [GraphInput], outputs: [GraphInput])
    -> Result<DecoderInterface, Failure>
  {
    let tokenInput =
      inputs.first { $0.name == "input_ids" }
      ?? inputs.first {
        $0.dimensions.count == 2
          && ($0.elementType == .int64 || $0.elementType == .int32)
      }
    guard let tokenInput, tokenInput.dimensions.count == 2 else {
      return .failure(
        Failure(
          reason: "the model has no token input (input_ids [batch, sequence])",
          hint:
            "an LLM decoder takes integer token ids of shape [batch, sequence]")
      )
    }
    guard case .symbolic(let sequence) = tokenInput.dimensions[1],
      !sequence.isEmpty
    else {
      return .failure(
        Failure(
          reason:
            "the sequence dimension of '\(tokenInput.name)' is \(tokenInput.dimensions[1]), not a named symbol",
          hint:
            "export the decoder with a dynamic, named sequence axis (dynamic_axes or dynamic_shapes)"
        ))
    }
    let caches = inputs.filter { $0.name.lowercased().contains("past") }
    guard !caches.isEmpty else {
      return .failure(
        Failure(
          reason:
            "the model has no KV-cache inputs (graph inputs named past_key_values.*)",
          hint:
            "export the decoder with its cache (optimum: --task text-generation-with-past)"
        ))
    }
    var past: String?
    for cache in caches {
      let symbols = cache.dimensions.dropFirst().compactMap {
        dimension -> String? in
        if case .symbolic(let name) = dimension, !name.isEmpty {
          name
        } else {
          nil
        }
      }
      guard symbols.count == 1, past == nil || past == symbols[0] else {
        return .failure(
          Failure(
            reason:
              "cannot tell the cache length of '\(cache.name)' (dimensions \(cache.dimensions.map(\.description)))",
            hint:
              "each past_key_values input needs exactly one named symbolic dimension besides the batch, the same in all"
          ))
      }
      past = symbols[0]
    }
    guard let past, past != sequence else {
      return .failure(
        Failure(
          reason: "the cache length and the sequence have the same symbol",
          hint: "name the past and the new tokens' dimensions differently"))
    }
    var total: String?
    if let mask = inputs.first(where: { $0.name == "attention_mask" }),
      mask.dimensions.count == 2,
      case .symbolic(let name) = mask.dimensions[1], !name.isEmpty,
      name != sequence, name != past,
      !name.contains("+")
    {
      total = name
    }
    let written = outputs.filter { $0.name.lowercased().contains("present") }
    return .success(
      DecoderInterface(
        sequence: sequence, past: past, total: total,
        cacheInputs: caches.map(\.name), cacheOutputs: written.map(\.name)))
  }
}
