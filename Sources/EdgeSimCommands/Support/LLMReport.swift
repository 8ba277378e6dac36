import Foundation
import HardwareModel
import NetworkGraph
import Simulation

/// The text and JSON of an LLM workload's `simulate` and `inspect`.
enum LLMReport {
  static func bytes(_ value: Double) -> String {
    UnitFormatter.decimal(value, unit: "B")
  }

  /// Decode's backing-store bytes per token moved by layers its device
  /// leaves to its host (`host:`, the Edge TPU's host CPU): the mean of
  /// the first and last step, as every decode figure is; 0 when the
  /// device runs every layer.
  static func hostBytesPerToken(_ o: DecoderOutcome) -> Double {
    func bytes(_ phase: DecoderPhase) -> Double {
      Double(
        phase.summary.layers.lazy.filter { $0.host != nil }
          .reduce(0) { $0 + $1.dramBytes })
    }
    return (bytes(o.firstStep) + bytes(o.lastStep)) / 2
  }

  /// Tokens per second if decode moved only its DRAM bytes at the backing
  /// store's read bandwidth (the first-principles roofline); `nil` when that
  /// bound is none (an unlimited bandwidth, or no DRAM traffic per token).
  ///
  /// Bytes that the host's layers move are timed at the host's own backing
  /// store, not at the device's link: an LLM whose first operator the
  /// Edge TPU does not run (the embedding's Gather) runs whole on the host
  /// CPU, from the host's DRAM.
  static func rooflineTokensPerSecond(_ o: DecoderOutcome, device: Device)
    -> Double?
  {
    let hostBytes = hostBytesPerToken(o)
    guard hostBytes > 0, let host = device.host?.hostDevice?.device else {
      let rate = device.backingStore.readBandwidth / o.decodeDRAMBytesPerToken
      return rate.isFinite ? rate : nil
    }
    let seconds =
      (o.decodeDRAMBytesPerToken - hostBytes)
      / device.backingStore.readBandwidth
      + hostBytes / host.backingStore.readBandwidth
    let rate = 1 / seconds
    return rate.isFinite && rate > 0 ? rate : nil
  }

  static func roofline(_ o: DecoderOutcome, device: Device) -> String {
    guard let rate = rooflineTokensPerSecond(o, device: device) else {
      return
        "  roofline: none (\(o.decodeDRAMBytesPerToken > 0 ? "the backing store's bandwidth is unlimited" : "no DRAM traffic per token"))"
    }
    let hostBytes = hostBytesPerToken(o)
    if hostBytes > 0, let host = device.host?.hostDevice?.device {
      let own = o.decodeDRAMBytesPerToken - hostBytes
      if own <= 0 {
        return
          "  roofline: \(UnitFormatter.decimal(host.backingStore.readBandwidth, unit: "B/s")) (its host \(host.name)) / \(bytes(hostBytes)) per token = \(String(format: "%.2f", rate)) tokens/s"
      }
      return
        "  roofline: \(bytes(own)) per token at \(UnitFormatter.decimal(device.backingStore.readBandwidth, unit: "B/s")) on \(device.name), \(bytes(hostBytes)) at \(UnitFormatter.decimal(host.backingStore.readBandwidth, unit: "B/s")) on its host \(host.name) = \(String(format: "%.2f", rate)) tokens/s"
    }
    return
      "  roofline: \(UnitFormatter.decimal(device.backingStore.readBandwidth, unit: "B/s")) / \(bytes(o.decodeDRAMBytesPerToken)) per token = \(String(format: "%.2f", rate)) tokens/s"
  }

  /// The line that says which layers ran on the device's host, if any.
  static func hostLine(_ o: DecoderOutcome, device: Device) -> String? {
    let layers = o.lastStep.summary.layers
    guard let first = layers.first(where: { $0.host != nil }),
      let host = first.host
    else { return nil }
    let count = layers.lazy.filter { $0.host != nil }.count
    return
      "  host: \(count) of \(layers.count) layers run on \(host), from '\(first.name)' (\(first.opType), the first operator \(device.name) does not run)"
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
    if let host = hostLine(o, device: device) { lines.append(host) }
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
    var decode: [String: Any] = [
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
    ]
    let hostBytes = hostBytesPerToken(o)
    if hostBytes > 0,
      let host = o.lastStep.summary.layers.first(where: { $0.host != nil })?
        .host
    {
      decode["host"] = host
      decode["host_dram_bytes_per_token"] = hostBytes
    }
    return JSONOutput.encode([
      "model": s.name, "device": device.name, "precision": s.precision,
      "parameters": s.parameters,
      "kv_cache_bytes_per_token": s.kvBytesPerToken,
      "prefill": phase(o.prefill).merging([
        "time_to_first_token_s": o.timeToFirstToken
      ]) { a, _ in a },
      "decode": decode,
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
