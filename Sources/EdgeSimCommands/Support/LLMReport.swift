import Foundation
import HardwareModel
import NetworkGraph
import Simulation

/// The text and JSON of an LLM workload's `simulate` and `inspect`.
enum LLMReport {
  static func bytes(_ value: Double) -> String {
    UnitFormatter.decimal(value, unit: "B")
  }

  /// Tokens per second if decode moved only its DRAM bytes at the backing
  /// store's read bandwidth (the first-principles roofline); `nil` when that
  /// bound is none (an unlimited bandwidth, or no DRAM traffic per token).
  static func rooflineTokensPerSecond(_ o: DecoderOutcome, device: Device)
    -> Double?
  {
    let rate = device.backingStore.readBandwidth / o.decodeDRAMBytesPerToken
    return rate.isFinite ? rate : nil
  }

  static func roofline(_ o: DecoderOutcome, device: Device) -> String {
    guard let rate = rooflineTokensPerSecond(o, device: device) else {
      return
        "  roofline: none (\(o.decodeDRAMBytesPerToken > 0 ? "the backing store's bandwidth is unlimited" : "no DRAM traffic per token"))"
    }
    return
      "  roofline: \(UnitFormatter.decimal(device.backingStore.readBandwidth, unit: "B/s")) / \(bytes(o.decodeDRAMBytesPerToken)) per token = \(String(format: "%.2f", rate)) tokens/s"
  }

  static func text(_ o: DecoderOutcome, device: Device) -> String {
    let s = o.description
    let p = o.prefill.summary.totals
    var lines: [String] = []
    lines.append("\(s.name) on \(device.name): \(s.precision)")
    lines.append(
      "parameters \(InspectReport.grouped(s.parameters)); KV cache \(bytes(Double(s.kvBytesPerToken))) per token"
    )
    lines.append(
      "prefill (\(s.prompt) tokens): time to first token \(SimulationReport.time(p.latency)), \(SimulationReport.energy(p.energyPerInference)), bound \(o.prefill.bound.description), DRAM \(bytes(Double(p.dramBytes)))"
    )
    lines.append(
      "decode (\(s.generate) tokens, cache \(o.firstStep.cached + 1) to \(o.lastStep.cached + 1)): \(String(format: "%.2f", o.tokensPerSecond)) tokens/s (\(SimulationReport.time(o.decodeSecondsPerToken))/token), \(SimulationReport.energy(o.decodeJoulesPerToken))/token, bound \(o.lastStep.bound.description)"
    )
    lines.append(
      "  DRAM per token: \(bytes(o.decodeDRAMBytesPerToken)) (weights \(bytes(o.decodeWeightBytesPerToken)), KV read \(bytes(o.decodeKVReadBytesPerToken)), KV written \(bytes(o.decodeKVWrittenBytesPerToken)))"
    )
    lines.append(roofline(o, device: device))
    if o.prefill.activationsSpilled || o.firstStep.activationsSpilled
      || o.lastStep.activationsSpilled
    {
      lines.append(
        "  note: activations went through DRAM between layers (kept on chip, they left a later layer no room)"
      )
    }
    lines.append(
      "  decode averaged over the \(s.generate) steps from the first and last (simulated; trapezoid rule, exact for a cost linear in the cache length)"
    )
    return lines.joined(separator: "\n") + "\n"
  }

  static func phase(_ phase: DecoderPhase) -> [String: Any] {
    let t = phase.summary.totals
    return [
      "tokens": phase.tokens, "cached": phase.cached,
      "latency_s": t.latency, "energy_j": t.energyPerInference,
      "bound": phase.bound.label, "macs": t.macs,
      "dram_bytes": t.dramBytes, "weight_bytes": phase.weightBytes,
      "kv_read_bytes": phase.kvReadBytes,
      "kv_written_bytes": phase.kvWrittenBytes,
      "activations_spilled": phase.activationsSpilled,
    ]
  }

  static func json(_ o: DecoderOutcome, device: Device) -> String {
    let s = o.description
    return JSONOutput.encode([
      "model": s.name, "device": device.name, "precision": s.precision,
      "parameters": s.parameters,
      "kv_cache_bytes_per_token": s.kvBytesPerToken,
      "prefill": phase(o.prefill).merging([
        "time_to_first_token_s": o.timeToFirstToken
      ]) { a, _ in a },
      "decode": [
        "tokens": s.generate,
        "tokens_per_second": o.tokensPerSecond,
        "seconds_per_token": o.decodeSecondsPerToken,
        "joules_per_token": o.decodeJoulesPerToken,
        "bound": o.lastStep.bound.label,
        "dram_bytes_per_token": o.decodeDRAMBytesPerToken,
        "weight_bytes_per_token": o.decodeWeightBytesPerToken,
        "kv_read_bytes_per_token": o.decodeKVReadBytesPerToken,
        "kv_written_bytes_per_token": o.decodeKVWrittenBytesPerToken,
        "roofline_tokens_per_second": rooflineTokensPerSecond(
          o, device: device) ?? NSNull(),
        "sampled_steps": [phase(o.firstStep), phase(o.lastStep)],
      ] as [String: Any],
    ])
  }

  static func inspect(
    _ s: DecoderSpec, prefill: NodeCounts, first: NodeCounts,
    last: NodeCounts, json: Bool
  ) -> String {
    let decodeMACs = (first.macs + last.macs) / 2
    if json {
      return JSONOutput.encode([
        "model": s.name, "parameters": first.parameters,
        "parameters_from_config": s.parameters,
        "prefill": ["tokens": s.prompt, "macs": prefill.macs],
        "decode": [
          "tokens": s.generate, "macs_per_token": decodeMACs,
          "macs_first_step": first.macs, "macs_last_step": last.macs,
        ],
        "kv_cache_bytes_per_token": s.kvBytesPerToken,
      ]) + "\n"
    }
    return """
      \(s.name): \(s.layers) blocks, d_model \(s.dModel), \(s.heads) heads (\(s.kvHeads) KV), FFN \(s.ffn), vocab \(s.vocab)
      parameters \(InspectReport.grouped(first.parameters))
      prefill (\(s.prompt) tokens): \(InspectReport.grouped(prefill.macs)) MACs
      decode: \(InspectReport.grouped(decodeMACs)) MACs per token (first step \(InspectReport.grouped(first.macs)), last \(InspectReport.grouped(last.macs)))
      """ + "\n"
  }
}
