import Foundation
import TestSupport
import Testing

/// `simulate --prompt N --generate M` on an exported ONNX decoder with a KV
/// cache (`Workloads/onnx/llm/tiny-llama.onnx`, made and checked against
/// onnxruntime by `Scripts/llm/make-tiny-decoder.py`): prefill and decode
/// passes imported with their lengths bound, each equal to the plain
/// `inspect`/`simulate` of the model bound by hand with `--dim`.
@Suite struct ONNXDecoderTests {
  static let model = "Workloads/onnx/llm/tiny-llama.onnx"

  static func json(_ output: EdgeSimProcess.Output) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)))
      as? [String: Any] ?? [:]
  }

  /// The totals of `simulate --json` of the model bound to one pass.
  static func pass(tokens: Int, cached: Int, device: String) throws
    -> [String: Any]
  {
    let result = try EdgeSimProcess.run([
      "simulate", "--model", model, "--hardware", device, "--precision",
      "int8", "--dim", "sequence_length=\(tokens)", "--dim",
      "past_sequence_length=\(cached)", "--json", "--no-trace",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    return json(result)["totals"] as? [String: Any] ?? [:]
  }

  @Test func prefillAndDecodeAreTheBoundPasses() throws {
    let device = "npu-32x32"
    let result = try EdgeSimProcess.run([
      "simulate", "--model", Self.model, "--hardware", device, "--precision",
      "int8", "--prompt", "16", "--generate", "8", "--json",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let object = Self.json(result)
    let prefill = object["prefill"] as? [String: Any] ?? [:]
    let decode = object["decode"] as? [String: Any] ?? [:]
    let steps = decode["sampled_steps"] as? [[String: Any]] ?? []
    #expect(prefill["tokens"] as? Int == 16)
    #expect(prefill["cached"] as? Int == 0)
    #expect(steps.map { $0["cached"] as? Int } == [16, 23])
    #expect(decode["tokens"] as? Int == 8)
    // 2 blocks × (K, V) × 2 KV heads × 16 elements, int8.
    #expect(object["kv_cache_bytes_per_token"] as? Int == 2 * 2 * 2 * 16)

    // Each pass equals the model bound by hand (the empty cache of
    // prefill included).
    let byHand = try Self.pass(tokens: 16, cached: 0, device: device)
    #expect(prefill["latency_s"] as? Double == byHand["latency_s"] as? Double)
    #expect(prefill["macs"] as? Int == byHand["macs"] as? Int)
    let last = try Self.pass(tokens: 1, cached: 23, device: device)
    #expect(steps.last?["latency_s"] as? Double == last["latency_s"] as? Double)
    #expect(steps.last?["dram_bytes"] as? Int == last["dram_bytes"] as? Int)

    // Decode is the mean of the first and last steps; attention over a
    // longer cache does more work and reads more of the cache.
    let first = steps.first?["latency_s"] as? Double ?? 0
    let final = steps.last?["latency_s"] as? Double ?? 0
    let perToken = decode["seconds_per_token"] as? Double ?? 0
    #expect(abs(perToken - (first + final) / 2) <= 1e-12 * perToken)
    #expect(
      (steps.last?["macs"] as? Int ?? 0) > (steps.first?["macs"] as? Int ?? 0))
    #expect(
      (steps.last?["kv_read_bytes"] as? Int ?? 0)
        > (steps.first?["kv_read_bytes"] as? Int ?? 0))
    #expect((steps.first?["weight_bytes"] as? Int ?? 0) > 0)

    // The parameters are inspect's.
    let inspected = try EdgeSimProcess.run([
      "inspect", "--json", "--dim", "sequence_length=1", "--dim",
      "past_sequence_length=16", Self.model,
    ])
    let totals = Self.json(inspected)["totals"] as? [String: Any] ?? [:]
    #expect(object["parameters"] as? Int == totals["params"] as? Int)
  }

  /// Hugging Face's LlamaForCausalLM exported by optimum
  /// (`Scripts/llm/export-hf-llama.py`), as users export real ones.
  static let optimum = "Workloads/onnx/llm/llama-tiny-optimum.onnx"

  @Test func anOptimumExportSimulatesOnEveryDevice() throws {
    for device in [
      "pixel3-cpu", "pixel3-gpu", "stm32l4r5", "npu-32x32",
      "coral-edgetpu-usb", "systolic-32x32", "eyeriss-v1", "pynq-z1",
      "zc706-qiu2016",
    ] {
      let result = try EdgeSimProcess.run([
        "simulate", "--model", Self.optimum, "--hardware", device, "--prompt",
        "16", "--generate", "4", "--json",
      ])
      #expect(result.status == 0, "\(device): \(result.standardError)")
      let object = Self.json(result)
      let decode = object["decode"] as? [String: Any] ?? [:]
      #expect((decode["tokens_per_second"] as? Double ?? 0) > 0, "\(device)")
    }
  }

  /// The learned weights are the model's whatever the bound lengths: the
  /// attention mask and positions the importer folds from the inputs'
  /// shapes are not parameters. 2 blocks × (Q 64·64, K and V 64·32, O
  /// 64·64, gate, up, down 64·128) + embedding and LM head 256·64 each +
  /// one RMSNorm scale of 64 (optimum stores the five identical ones once)
  /// + 27 scalar constants of the exported graph. The rotary embedding's
  /// 8 inverse frequencies (a non-persistent buffer in PyTorch, a Constant
  /// node expanded by the batch here) fold at import and are no parameter.
  @Test func parametersDoNotDependOnTheLengths() throws {
    var counts: [Int] = []
    for (tokens, cached) in [(1, 4), (1, 16), (7, 0)] {
      let result = try EdgeSimProcess.run([
        "inspect", "--json", "--dim", "sequence_length=\(tokens)", "--dim",
        "past_sequence_length=\(cached)", Self.optimum,
      ])
      #expect(result.status == 0, "\(result.standardError)")
      let totals = Self.json(result)["totals"] as? [String: Any] ?? [:]
      counts.append(totals["params"] as? Int ?? 0)
    }
    let learned =
      2 * (2 * 64 * 64 + 2 * 64 * 32 + 3 * 64 * 128) + 2 * 256 * 64 + 64
    #expect(counts == [learned + 27, learned + 27, learned + 27])
  }

  @Test func theTextReportNamesThePhases() throws {
    let result = try EdgeSimProcess.run([
      "simulate", "--model", Self.model, "--hardware", "pixel3-cpu",
      "--prompt", "8", "--generate", "4",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(
      result.standardOutput.contains("prefill (8 tokens): time to first token"))
    #expect(result.standardOutput.contains("decode (4 tokens, cache 9 to 12)"))
  }

  @Test func promptOverridesAWorkloadFile() throws {
    let result = try EdgeSimProcess.run([
      "simulate", "--model", "Workloads/llm/smollm-135m.yaml", "--hardware",
      "pixel3-cpu", "--prompt", "64", "--generate", "3", "--json",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let object = Self.json(result)
    #expect((object["prefill"] as? [String: Any])?["tokens"] as? Int == 64)
    #expect((object["decode"] as? [String: Any])?["tokens"] as? Int == 3)
    let tooLong = try EdgeSimProcess.run([
      "simulate", "--model", "Workloads/llm/smollm-135m.yaml", "--prompt",
      "2048", "--generate", "1",
    ])
    #expect(tooLong.status == 1)
    #expect(tooLong.standardError.contains("exceeds the context 2048"))
  }

  @Test func modelsThatAreNotDecodersAreExplained() throws {
    let digits = try EdgeSimProcess.run([
      "simulate", "--model", "Workloads/digits/digits-plain.onnx", "--prompt",
      "4",
    ])
    #expect(digits.status == 1)
    #expect(digits.standardError.contains("has no token input"))
    let layerList = try EdgeSimProcess.run([
      "simulate", "--model", "Workloads/lenet5.yaml", "--prompt", "4",
    ])
    #expect(layerList.status == 1)
    #expect(layerList.standardError.contains("apply to an LLM decoder"))
    let clash = try EdgeSimProcess.run([
      "simulate", "--model", Self.model, "--prompt", "4", "--dim",
      "past_sequence_length=3",
    ])
    #expect(clash.status == 1)
    #expect(clash.standardError.contains("is set by --prompt"))
    let zero = try EdgeSimProcess.run([
      "simulate", "--model", Self.model, "--prompt", "0",
    ])
    #expect(zero.status == 2)
  }

  /// `run --dim` gives onnxruntime's logits for one decode step.
  ///
  /// Each decoder runs in float (the step's inputs and logits are written
  /// by the scripts that made the models: the cache of a 6-token prefill,
  /// then token 7). RMSNorm squares negative values with Pow, which Swift
  /// Numerics' `pow` made NaN before.
  @Test func runADecodeStepMatchesOnnxruntime() throws {
    let folder = try RunSupport.temporaryFolder("decoder-step")
    defer { try? FileManager.default.removeItem(at: folder) }
    for model in [Self.model, Self.optimum] {
      let stem = String(model.dropLast(".onnx".count))
      let names = [
        "input_ids", "attention_mask", "position_ids",
        "past_key_values.0.key", "past_key_values.0.value",
        "past_key_values.1.key", "past_key_values.1.value",
      ]
      let output = folder.appendingPathComponent("logits.npy")
      let result = try EdgeSimProcess.run(
        [
          "run", "--model", model, "--dim", "sequence_length=1", "--dim",
          "past_sequence_length=6", "--output", output.path,
        ] + names.flatMap { ["--input", "\($0)=\(stem).step.\($0).npy"] })
      #expect(result.status == 0, "\(model): \(result.standardError)")
      let mine = try RunSupport.array(output).float32Values
      let theirs = try RunSupport.array(
        URL(fileURLWithPath: "\(stem).step.logits.npy")
      ).float32Values
      #expect(mine.count == 256, "\(model)")
      let largest = theirs.map(abs).max() ?? 0
      let worst =
        zip(mine, theirs).map { abs($0 - $1) }.max() ?? .infinity
      #expect(worst <= 1e-4 * largest, "\(model): \(worst) of \(largest)")
    }
  }
}
