import HardwareModel
import NetworkGraph

extension DecoderSimulation {
  /// Simulates one pass of an exported decoder, `network` bound to `tokens`
  /// new tokens over `cached` cached ones (``DecoderInterface/bindings(tokens:cached:)``).
  ///
  /// The graph is simulated as written. KV-cache traffic is the backing-store
  /// traffic of the cache tensors and of what is only moved from them
  /// (``cacheDerived(_:interface:)``: the Concat that appends the new keys
  /// and values, grouped-query attention's repeat by Expand and Reshape, the
  /// transposes): reads of such a tensor by any layer (the attention
  /// MatMuls' second operand included) and writes of one. Weight bytes are
  /// the other reads of weights.
  public static func phase(
    _ network: Network, interface: DecoderInterface, name: String,
    tokens: Int, cached: Int, on device: Device, options: SimulationOptions
  ) -> Result<DecoderPhase, Failure> {
    pass(
      network, name: name, tokens: tokens, cached: cached, on: device,
      options: options
    ).map { phase in
      var phase = phase
      let cache = cacheDerived(network, interface: interface)
      for layer in phase.summary.layers {
        let weights = layer.dramRead[.weights] ?? 0
        guard let index = network.nodeIndex(named: layer.name) else {
          phase.weightBytes += weights
          continue
        }
        let node = network.nodes[index]
        let first = node.inputs.first.map(cache.contains) ?? false
        let second =
          node.inputs.count > 1 && cache.contains(node.inputs[1])
          && network.initializer(named: node.inputs[1]) == nil
        if first { phase.kvReadBytes += layer.dramRead[.inputs] ?? 0 }
        if second {
          phase.kvReadBytes += weights
        } else {
          phase.weightBytes += weights
        }
        if node.outputs.contains(where: cache.contains) {
          phase.kvWrittenBytes += layer.dramWritten[.outputs] ?? 0
        }
      }
      return phase
    }
  }

  /// The cache inputs and every tensor moved from them without arithmetic:
  /// outputs of Concat, Reshape, Transpose, Expand, Tile, (Un)Squeeze,
  /// Flatten, Slice, Split, Gather and Cast nodes with a cache-derived input.
  public static func cacheDerived(
    _ network: Network, interface: DecoderInterface
  ) -> Set<String> {
    var derived = Set(interface.cacheInputs)
    let order =
      (try? network.topologicalOrder()) ?? Array(network.nodes.indices)
    for node in order.map({ network.nodes[$0] })
    where node.inputs.contains(where: derived.contains) {
      switch node.op {
      case .concat, .reshape, .transpose, .squeeze, .unsqueeze, .flatten,
        .extended(.expand), .extended(.tile), .extended(.slice),
        .extended(.split), .extended(.gather), .extended(.cast):
        derived.formUnion(node.outputs)
      default: continue
      }
    }
    return derived
  }

  /// Bytes per token of the cache outputs of a simulated pass over `total`
  /// tokens (cached plus new): each output's elements per token at the
  /// output width of the layer that produced it (its element type's when no
  /// layer did).
  public static func cacheBytesPerToken(
    _ network: Network, interface: DecoderInterface, summary: RunSummary,
    total: Int
  ) -> Int {
    guard total > 0, let shapes = try? network.inferShapes() else { return 0 }
    var bits: [String: Int] = [:]
    for layer in summary.layers {
      guard let index = network.nodeIndex(named: layer.name) else { continue }
      for output in network.nodes[index].outputs {
        bits[output] = layer.widths.outputBits
      }
    }
    var totalBits = 0
    for name in interface.cacheOutputs {
      guard let descriptor = shapes[name] else { continue }
      let width = bits[name] ?? descriptor.elementType.byteSize * 8
      totalBits += descriptor.shape.elementCount / total * width
    }
    return (totalBits + 7) / 8
  }
}
