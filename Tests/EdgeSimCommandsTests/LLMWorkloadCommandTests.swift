import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// Issue #16 item 4: an LLM workload from a short YAML, simulated as
/// prefill and decode through `edgesim simulate` and counted by
/// `edgesim inspect`.
@Suite struct LLMWorkloadCommandTests {
  static let llama = EdgeSimProcess.root.appendingPathComponent(
    "Workloads/llm/llama-3.2-1b.yaml"
  ).path

  /// The Llama file with its `precision:` block replaced, in a temporary
  /// folder.
  static func variant(_ precision: String, prompt: Int? = nil) throws -> (
    URL, String
  ) {
    var text = try String(contentsOfFile: llama, encoding: .utf8)
    let range = try #require(text.range(of: "precision:"))
    text = String(text[..<range.lowerBound]) + "precision: \(precision)\n"
    if let prompt {
      text = text.replacingOccurrences(
        of: "prompt: 512", with: "prompt: \(prompt)")
    }
    let folder = try EdgeSimProcess.temporaryFolder("llm")
    let file = folder.appendingPathComponent("variant.yaml")
    try text.write(to: file, atomically: true, encoding: .utf8)
    return (folder, file.path)
  }

  static func simulate(_ model: String, device: String = "pixel3-cpu")
    async throws -> [String: Any]
  {
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", device, "--model", model, "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let object = try JSONSerialization.jsonObject(
      with: Data(run.standardOutput.utf8))
    return try #require(object as? [String: Any])
  }

  static func decode(_ json: [String: Any]) throws -> [String: Any] {
    try #require(json["decode"] as? [String: Any])
  }

  /// Decode on the phone's GPU and CPU (Pixel 3, LPDDR4X at 29.9 GB/s) is
  /// DRAM-bound and moves about the int4 weight bytes per token, at most at
  /// the rate the DRAM bandwidth allows for the bytes it moves (the
  /// first-principles roofline); on the NPU (12.8 GB/s) within 10% of it.
  @Test func decodeOnAPhoneIsDRAMBoundAtTheRooflineRate() async throws {
    let json = try await Self.simulate(Self.llama, device: "pixel3-gpu")
    let decode = try Self.decode(json)
    #expect(decode["bound"] as? String == "dram")
    let parameters = try #require(json["parameters"] as? Int)
    #expect(parameters == 1_235_814_400)
    // Every weight but the embedding table's unread rows, at 4 bits.
    let weights = try #require(decode["weight_bytes_per_token"] as? Double)
    let expected = Double(parameters) / 2
    #expect(abs(weights - expected) / expected < 0.02, "\(weights)")
    // Roofline: 29.9 GB/s (Hardware/pixel3-gpu.yaml) over the bytes moved.
    let dram = try #require(decode["dram_bytes_per_token"] as? Double)
    let rate = try #require(decode["tokens_per_second"] as? Double)
    let roofline = 29.9e9 / dram
    #expect(rate <= roofline * 1.001)
    // The GPU runtime streams memory-bound kernels at its fitted share of
    // the DRAM bandwidth (`runtime.memory` 0.1525 in pixel3-gpu.yaml,
    // fitted to 31 CNN latencies): decode reaches about that share.
    #expect(rate > roofline * 0.1525 * 0.9, "\(rate) vs roofline \(roofline)")
    // The phone's CPU is DRAM-bound in decode too.
    let cpu = try Self.decode(
      await Self.simulate(Self.llama, device: "pixel3-cpu"))
    #expect(cpu["bound"] as? String == "dram")
    let npu = try Self.decode(
      await Self.simulate(Self.llama, device: "npu-32x32"))
    #expect(npu["bound"] as? String == "dram")
    let npuRate = try #require(npu["tokens_per_second"] as? Double)
    let npuDRAM = try #require(npu["dram_bytes_per_token"] as? Double)
    #expect(npuRate <= 12.8e9 / npuDRAM * 1.001)
    #expect(npuRate > 12.8e9 / npuDRAM * 0.9, "\(npuRate)")
    // KV read per token: the cache of 16 blocks x 8 heads x 64 x 2 (K, V)
    // bytes per cached token at int8, averaged over caches 513...640.
    let kv = try #require(decode["kv_read_bytes_per_token"] as? Double)
    let perToken = 16.0 * 8 * 64 * 2
    let expectedKV = perToken * (513.0 + 640.0) / 2
    #expect(abs(kv - expectedKV) / expectedKV < 0.05, "\(kv)")
    let prefill = try #require(json["prefill"] as? [String: Any])
    let ttft = try #require(prefill["time_to_first_token_s"] as? Double)
    #expect(ttft > 1 / rate)
  }

  /// Decode that the Edge TPU leaves to its host is bounded by the host.
  ///
  /// The embedding's Gather is the first operator the Edge TPU does not
  /// run, so its host CPU runs the whole decoder from the host's DRAM
  /// (`host:` in coral-edgetpu-usb.yaml). The roofline then times those
  /// bytes at the host's bandwidth, not at the USB link's 468.5 MB/s: no
  /// predicted rate may exceed the roofline printed beside it.
  @Test func decodeLeftToTheEdgeTPUsHostIsBoundedByTheHostsDRAM() async throws {
    let json = try await Self.simulate(Self.llama, device: "coral-edgetpu-usb")
    let decode = try Self.decode(json)
    #expect(decode["host"] as? String == "coral-host-cpu")
    let dram = try #require(decode["dram_bytes_per_token"] as? Double)
    let host = try #require(decode["host_dram_bytes_per_token"] as? Double)
    #expect(host == dram, "every layer runs on the host")
    let rate = try #require(decode["tokens_per_second"] as? Double)
    let roofline = try #require(
      decode["roofline_tokens_per_second"] as? Double)
    #expect(rate <= roofline * 1.001, "\(rate) vs roofline \(roofline)")
    #expect(roofline > 468.5e6 / dram * 2, "the host's DRAM, not USB")
    let text = await EdgeSimMain.capture([
      "simulate", "--hardware", "coral-edgetpu-usb", "--model", Self.llama,
    ])
    #expect(text.status == 0, "\(text.standardError)")
    #expect(
      text.standardOutput.contains("(its host coral-host-cpu)"),
      "\(text.standardOutput)")
    #expect(
      text.standardOutput.contains("from 'embed' (Gather"),
      "\(text.standardOutput)")
    // A device without a host keeps the one-bandwidth roofline and no
    // host keys.
    let npu = try Self.decode(
      await Self.simulate(Self.llama, device: "npu-32x32"))
    #expect(npu["host"] == nil)
    #expect(npu["host_dram_bytes_per_token"] == nil)
  }

  /// Weight-only int8 moves twice the weight bytes of int4 and decodes
  /// slower; a wider KV cache reads more per token and decodes slower.
  @Test func weightAndKVWidthsMoveDecodeTheExpectedWay() async throws {
    let base = try Self.decode(
      await Self.simulate(Self.llama, device: "pixel3-gpu"))
    let (f1, int8) = try Self.variant(
      "{weights: int8, kv_cache: int8, activations: int8}")
    defer { try? FileManager.default.removeItem(at: f1) }
    let wide = try Self.decode(
      await Self.simulate(int8, device: "pixel3-gpu"))
    let rate4 = try #require(base["tokens_per_second"] as? Double)
    let rate8 = try #require(wide["tokens_per_second"] as? Double)
    #expect(rate8 < rate4 * 0.6, "\(rate8) vs \(rate4)")
    let w4 = try #require(base["weight_bytes_per_token"] as? Double)
    let w8 = try #require(wide["weight_bytes_per_token"] as? Double)
    #expect(abs(w8 / w4 - 2) < 0.05)

    let (f2, kv16) = try Self.variant(
      "{weights: int4, kv_cache: int16, activations: int8}")
    defer { try? FileManager.default.removeItem(at: f2) }
    let kvWide = try Self.decode(
      await Self.simulate(kv16, device: "pixel3-gpu"))
    let kv8 = try #require(base["kv_read_bytes_per_token"] as? Double)
    let kv16Bytes = try #require(kvWide["kv_read_bytes_per_token"] as? Double)
    #expect(abs(kv16Bytes / kv8 - 2) < 0.05)
    let rateKV16 = try #require(kvWide["tokens_per_second"] as? Double)
    #expect(rateKV16 < rate4)
  }

  /// The text report names every figure (on the phone CPU).
  @Test func textReportShowsBothPhases() async throws {
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", "pixel3-cpu", "--model", Self.llama,
    ])
    #expect(run.status == 0, "\(run.standardError)")
    for phrase in [
      "time to first token", "tokens/s", "J/token", "bound compute",
      "DRAM per token", "roofline",
    ] {
      #expect(run.standardOutput.contains(phrase), "\(phrase)")
    }
  }

  /// inspect prints the parameters and the MACs per token.
  @Test func inspectCountsParametersAndMACsPerToken() async throws {
    let run = await EdgeSimMain.capture(["inspect", Self.llama, "--json"])
    #expect(run.status == 0, "\(run.standardError)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    #expect(json["parameters"] as? Int == 1_235_814_400)
    #expect(json["parameters_from_config"] as? Int == 1_235_814_400)
    let decode = try #require(json["decode"] as? [String: Any])
    let first = try #require(decode["macs_first_step"] as? Int)
    // One MAC per projection, FFN and LM-head weight (16 x 60,817,408 +
    // 2048 x 128,256); attention adds 2 x 32 heads x 64 x 513 positions
    // per block.
    let weightMACs = 16 * 60_817_408 + 2048 * 128_256
    let attention = 16 * 2 * 32 * 64 * 513
    #expect(first >= weightMACs + attention, "\(first)")
    #expect(first - weightMACs - attention < 2048 * 16 * 8, "\(first)")
    let text = await EdgeSimMain.capture(["inspect", Self.llama])
    #expect(text.standardOutput.contains("parameters 1,235,814,400"))
    #expect(text.standardOutput.contains("MACs per token"))
  }

  /// Every key is checked: a misspelt one gets a located did-you-mean,
  /// inconsistent sizes a located error, options that do not apply a
  /// clear refusal.
  @Test func badWorkloadsGetLocatedErrors() async throws {
    let folder = try EdgeSimProcess.temporaryFolder("llm-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("bad.yaml")
    try """
    name: bad
    decoder:
      layers: 2
      d_model: 100
      heads: 3
      kv_head: 1
      ffn: 256
      vocab: 1000
      context: 64
      prompt: 60
      generate: 8
    precision: {weights: int3}
    """.write(to: file, atomically: true, encoding: .utf8)
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", "pixel3-cpu", "--model", file.path,
    ])
    #expect(run.status == 1)
    let err = run.standardError
    #expect(
      err.contains("bad.yaml:6:3: error: unknown key 'kv_head'"), "\(err)")
    #expect(err.contains("did you mean 'kv_heads'"))
    #expect(
      err.contains(
        "bad.yaml:4:12: error: d_model 100 is not a multiple of heads 3"))
    #expect(
      err.contains(
        "bad.yaml:11:13: error: prompt 60 + generate 8 exceeds the context 64"))
    #expect(
      err.contains("bad.yaml:12:22: error: 'int3' is not a valid weights"))

    let refused = await EdgeSimMain.capture([
      "simulate", "--hardware", "pixel3-cpu", "--model", Self.llama,
      "--precision", "int8",
    ])
    #expect(refused.status == 1)
    #expect(
      refused.standardError.contains(
        "--precision cannot be used with an LLM workload"))
  }
}
