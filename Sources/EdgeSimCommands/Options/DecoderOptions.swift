import ArgumentParser

/// `--prompt` and `--generate`: an LLM run of `simulate`.
///
/// Prefill, then decode. An ONNX decoder with a KV cache needs `--prompt`; an LLM
/// workload file takes its lengths from its `decoder:` block unless these
/// override them.
struct DecoderOptions: ParsableArguments {
  /// The longest prompt or generation simulated.
  static let maximum = 1 << 20

  @Option(
    help: ArgumentHelp(
      "Simulate an ONNX LLM decoder (with KV-cache inputs past_key_values.*): prefill of N prompt tokens, then decode.",
      discussion:
        "Also overrides the prompt of an LLM workload file. See Documentation/WorkloadYAML.md (LLM workloads).",
      valueName: "N"))
  var prompt: Int?

  @Option(
    help: ArgumentHelp(
      "Tokens generated after the prompt (default: the workload file's, or 32 for an ONNX decoder).",
      valueName: "N"))
  var generate: Int?

  /// The options given, by their flags.
  var given: [String] {
    (prompt != nil ? ["--prompt"] : [])
      + (generate != nil ? ["--generate"] : [])
  }

  func validate() throws {
    for (flag, value) in [("--prompt", prompt), ("--generate", generate)] {
      if let value, !(1...Self.maximum).contains(value) {
        throw ValidationError(
          "\(flag) must be from 1 to \(Self.maximum), not \(value).")
      }
    }
  }
}
