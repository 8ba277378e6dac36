import NetworkGraph

/// What an LLM run reports about the model beside its timings: its name,
/// the prompt and generated lengths, parameters, KV-cache bytes per token
/// and widths.
public struct DecoderDescription: Hashable, Sendable {
  /// The model's name.
  public var name: String
  /// Prompt tokens (prefill).
  public var prompt: Int
  /// Generated tokens (decode steps).
  public var generate: Int
  /// Parameters.
  public var parameters: Int
  /// Bytes of one token's keys and values over all blocks.
  public var kvBytesPerToken: Int
  /// The widths, for the report (`weights int8, KV cache int8, …`).
  public var precision: String

  /// Creates a description.
  public init(
    name: String, prompt: Int, generate: Int, parameters: Int,
    kvBytesPerToken: Int, precision: String
  ) {
    self.name = name
    self.prompt = prompt
    self.generate = generate
    self.parameters = parameters
    self.kvBytesPerToken = kvBytesPerToken
    self.precision = precision
  }

  /// The description of a workload given by its hyper-parameters.
  public init(_ spec: DecoderSpec) {
    func width(_ bits: Int, _ float: Bool) -> String {
      (float ? "fp" : "int") + String(bits)
    }
    self.init(
      name: spec.name, prompt: spec.prompt, generate: spec.generate,
      parameters: spec.parameters, kvBytesPerToken: spec.kvBytesPerToken,
      precision:
        "weights \(width(spec.weightBits, spec.weightsAreFloat)), KV cache \(width(spec.kvBits, spec.kvIsFloat)), activations \(width(spec.activationBits, spec.activationsAreFloat))"
    )
  }
}
