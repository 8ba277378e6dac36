extension Network {
  /// The network without Identity and Dropout nodes (both are the identity
  /// at inference, ONNX Identity-16 and Dropout-13).
  ///
  /// Readers of the removed node's output read its input instead. When the
  /// output is a graph output, the producer of the input is renamed to write
  /// the graph output directly. A node is kept when removing it would change
  /// the graph's interface: its input is a graph input or initializer and its
  /// output a graph output, or a Dropout's mask output is used. Each removed
  /// tensor is recorded in ``aliases`` with the tensor it equals.
  ///
  /// - Complexity: O(r·n) for r removed nodes and n nodes.
  public func removingIdentities() -> Network {
    var network = self
    var index = 0
    while index < network.nodes.count {
      let node = network.nodes[index]
      guard network.isRemovable(node), let input = node.input(0),
        let output = node.outputs.first, !output.isEmpty
      else {
        index += 1
        continue
      }
      if !network.outputs.contains(output) {
        network.rename(reads: output, to: input)
        network.nodes.remove(at: index)
        network.aliases.append(TensorAlias(name: output, source: input))
        continue
      }
      let producedByNode = network.nodes.contains { $0.outputs.contains(input) }
      guard producedByNode, !network.outputs.contains(input),
        !network.inputs.contains(where: { $0.name == input })
      else {
        index += 1
        continue
      }
      network.nodes.remove(at: index)
      network.rename(reads: input, to: output)
      for i in network.aliases.indices where network.aliases[i].source == input
      {
        network.aliases[i].source = output
      }
      network.aliases.append(TensorAlias(name: input, source: output))
      for i in network.nodes.indices {
        network.nodes[i].outputs = network.nodes[i].outputs.map {
          $0 == input ? output : $0
        }
      }
      index = 0  // Renaming may have touched earlier nodes; rescan (cheap).
    }
    return network
  }

  private func isRemovable(_ node: Node) -> Bool {
    switch node.op {
    case .identity: return true
    case .dropout:
      guard node.outputs.count > 1, !node.outputs[1].isEmpty else {
        return true
      }
      let mask = node.outputs[1]
      return !outputs.contains(mask)
        && !nodes.contains { $0.inputs.contains(mask) }
    default: return false
    }
  }

  /// Makes every node that reads `old` read `new`.
  mutating func rename(reads old: String, to new: String) {
    for i in nodes.indices where nodes[i].inputs.contains(old) {
      nodes[i].inputs = nodes[i].inputs.map { $0 == old ? new : $0 }
    }
  }
}
