import HardwareModel
import NetworkGraph
import PrecisionModel

/// One phase of an LLM run: a simulated forward pass and what its DRAM
/// traffic was for.
public struct DecoderPhase: Hashable, Sendable {
  /// Tokens already in the KV cache.
  public var cached: Int
  /// Tokens processed by the pass.
  public var tokens: Int
  /// The simulated pass.
  public var summary: RunSummary
  /// Backing-store bytes of weights read (the projections, FFN, LM head
  /// and the gathered embedding rows).
  public var weightBytes: Int
  /// Backing-store bytes of the KV cache read by attention.
  public var kvReadBytes: Int
  /// Backing-store bytes of new K and V written to the cache.
  public var kvWrittenBytes: Int
  /// Whether activations went through the backing store between layers
  /// because keeping them on chip left a later layer no room.
  public var activationsSpilled = false

  /// The bound of the layers that take most of the time (by seconds).
  public var bound: Bound {
    var seconds: [Bound: Double] = [:]
    for layer in summary.layers {
      seconds[layer.bound, default: 0] += layer.seconds
    }
    return seconds.max { a, b in
      a.value != b.value
        ? a.value < b.value : a.key.description > b.key.description
    }?.key ?? .none
  }
}

/// An LLM workload simulated: prefill, then decode averaged over the
/// generated tokens.
public struct DecoderOutcome: Hashable, Sendable {
  /// What was simulated, for the report.
  public var description: DecoderDescription
  /// The prompt processed at once; its latency is the time to first token.
  public var prefill: DecoderPhase
  /// The first decode step (cache of `prompt` tokens).
  public var firstStep: DecoderPhase
  /// The last decode step (cache of `prompt + generate - 1` tokens).
  public var lastStep: DecoderPhase
  /// Decode seconds per token, averaged over the generated tokens.
  public var decodeSecondsPerToken: Double
  /// Decode joules per token, averaged.
  public var decodeJoulesPerToken: Double
  /// Decode weight bytes read per token, averaged.
  public var decodeWeightBytesPerToken: Double
  /// Decode KV-cache bytes read per token, averaged.
  public var decodeKVReadBytesPerToken: Double
  /// Decode KV-cache bytes written per token, averaged.
  public var decodeKVWrittenBytesPerToken: Double
  /// Decode backing-store bytes per token (all traffic), averaged.
  public var decodeDRAMBytesPerToken: Double

  /// Time to first token, seconds.
  public var timeToFirstToken: Double { prefill.summary.totals.latency }
  /// Decode tokens per second.
  public var tokensPerSecond: Double { 1 / decodeSecondsPerToken }
}

/// Simulates an LLM workload on a device with the ordinary ``Simulator``.
///
/// Prefill is one pass over the prompt (`tokens = prompt`). Decode step
/// `s` (0-based) processes one token over a cache of `prompt + s` tokens
/// held in DRAM: attention reads all of it (as activations, never as
/// weights) and the new K and V are written. Every per-step cost the
/// simulator computes is a sum over layers; only the two attention MatMuls
/// and the softmax depend on the cache length, and they scale with it
/// linearly. So the first and last steps are simulated and the average of
/// the `generate` steps is taken as their mean (the trapezoid rule, exact
/// for a cost linear in the step); `DecoderSimulationTests` checks this
/// against simulating every step of a small model.
///
/// Precision: every layer computes at the activation width with weights at
/// the weight width (weight-only quantisation when narrower); the
/// attention MatMuls read their operands at the KV-cache width, and the
/// layers writing the new K and V store them at it.
public enum DecoderSimulation {
  /// Why an LLM run cannot be simulated.
  public struct Failure: Error, Hashable, Sendable {
    /// The reason.
    public var reason: String
    /// The layer, when one is at fault.
    public var layer: String?

    /// Creates a failure.
    public init(reason: String, layer: String?) {
      self.reason = reason
      self.layer = layer
    }
  }

  /// The per-layer widths of the spec's precision.
  public static func precision(_ spec: DecoderSpec) -> PrecisionChoice {
    let accumulator = spec.activationsAreFloat ? spec.activationBits : 32
    let base = LayerWidths(
      weightBits: spec.weightBits, inputBits: spec.activationBits,
      outputBits: spec.activationBits, accumulatorBits: accumulator,
      isFloat: spec.activationsAreFloat)
    var layers: [String: LayerWidths] = [:]
    for i in 0..<spec.layers {
      for name in [DecoderNetwork.scoresName(i), DecoderNetwork.contextName(i)]
      {
        var w = base
        w.inputBits = spec.kvBits
        layers[name] = w
      }
      for name in DecoderNetwork.cacheWriterNames(i) {
        var w = base
        w.outputBits = spec.kvBits
        layers[name] = w
      }
    }
    return .perLayer(default: base, layers: layers)
  }

  /// Simulates one pass of `tokens` tokens over `cached` cached ones.
  public static func phase(
    _ spec: DecoderSpec, tokens: Int, cached: Int, on device: Device,
    options: SimulationOptions
  ) -> Result<DecoderPhase, Failure> {
    let network: Network
    do {
      network = try DecoderNetwork.build(spec, tokens: tokens, cached: cached)
    } catch {
      return .failure(Failure(reason: "\(error)", layer: nil))
    }
    var options = options
    options.precision = precision(spec)
    return pass(
      network, name: spec.name, tokens: tokens, cached: cached, on: device,
      options: options
    ).map { phase in
      var phase = phase
      var attention: Set<String> = []
      var writers: Set<String> = []
      for i in 0..<spec.layers {
        attention.insert(DecoderNetwork.scoresName(i))
        attention.insert(DecoderNetwork.contextName(i))
        writers.formUnion(DecoderNetwork.cacheWriterNames(i))
      }
      for layer in phase.summary.layers {
        let read = layer.dramRead[.weights] ?? 0
        if attention.contains(layer.name) {
          // In decode the second operand is the cache; in prefill it is
          // this pass's K and V.
          if cached > 0 { phase.kvReadBytes += read }
        } else {
          phase.weightBytes += read
        }
        if writers.contains(layer.name) {
          phase.kvWrittenBytes += layer.dramWritten[.outputs] ?? 0
        }
      }
      return phase
    }
  }

  /// Simulates one pass as one inference and wraps it as a phase with no
  /// traffic attributed yet.
  ///
  /// A prompt's activations kept on chip can crowd out the next layer's
  /// tiles (the engine keeps an output that fits, without looking ahead):
  /// then the pass is simulated again with every activation through the
  /// backing store, and the phase says so.
  static func pass(
    _ network: Network, name: String, tokens: Int, cached: Int,
    on device: Device, options: SimulationOptions
  ) -> Result<DecoderPhase, Failure> {
    var options = options
    options.batch = 1
    var outcome = Simulator.run(network, on: device, options: options)
    var spilled = false
    if case .infeasible = outcome, options.keepOutputsOnChip {
      options.keepOutputsOnChip = false
      let retry = Simulator.run(network, on: device, options: options)
      if case .completed = retry {
        outcome = retry
        spilled = true
      }
    }
    switch outcome {
    case .infeasible(let reason, let layer):
      return .failure(Failure(reason: reason, layer: layer))
    case .completed(var summary):
      summary.model = name
      return .success(
        DecoderPhase(
          cached: cached, tokens: tokens, summary: summary, weightBytes: 0,
          kvReadBytes: 0, kvWrittenBytes: 0, activationsSpilled: spilled))
    }
  }

  /// Simulates prefill and decode.
  public static func run(
    _ spec: DecoderSpec, on device: Device,
    options: SimulationOptions = SimulationOptions()
  ) -> Result<DecoderOutcome, Failure> {
    run(DecoderDescription(spec), prompt: spec.prompt, generate: spec.generate)
    {
      tokens, cached in
      phase(spec, tokens: tokens, cached: cached, on: device, options: options)
    }
  }

  /// Prefill over `prompt` tokens, then the first and last of `generate`
  /// decode steps, each simulated by `phase(tokens, cached)`; decode is
  /// their mean (the trapezoid rule).
  public static func run(
    _ description: DecoderDescription, prompt: Int, generate: Int,
    phase: (_ tokens: Int, _ cached: Int) -> Result<DecoderPhase, Failure>
  ) -> Result<DecoderOutcome, Failure> {
    let prefill = phase(prompt, 0)
    let first = phase(1, prompt)
    let lastCached = prompt + max(0, generate - 1)
    let last = lastCached == prompt ? first : phase(1, lastCached)
    switch (prefill, first, last) {
    case (.failure(let f), _, _), (_, .failure(let f), _),
      (_, _, .failure(let f)):
      return .failure(f)
    case (.success(let p), .success(let a), .success(let z)):
      func mean(_ value: (DecoderPhase) -> Double) -> Double {
        (value(a) + value(z)) / 2
      }
      return .success(
        DecoderOutcome(
          description: description, prefill: p, firstStep: a, lastStep: z,
          decodeSecondsPerToken: mean { $0.summary.totals.latency },
          decodeJoulesPerToken: mean { $0.summary.totals.energyPerInference },
          decodeWeightBytesPerToken: mean { Double($0.weightBytes) },
          decodeKVReadBytesPerToken: mean { Double($0.kvReadBytes) },
          decodeKVWrittenBytesPerToken: mean { Double($0.kvWrittenBytes) },
          decodeDRAMBytesPerToken: mean { Double($0.summary.totals.dramBytes) }
        ))
    }
  }
}
