import NetworkGraph

extension Network {
  /// The tensors each node reads for the last time, in execution order;
  /// graph outputs are never released.
  func lastReads() -> [[String]] {
    var last: [String: Int] = [:]
    for (index, node) in nodes.enumerated() {
      for name in node.inputs where !name.isEmpty { last[name] = index }
      for name in node.outputs where !name.isEmpty && last[name] == nil {
        last[name] = index
      }
    }
    let kept = Set(outputs)
    var result = [[String]](repeating: [], count: nodes.count)
    for (name, index) in last.sorted(by: { $0.key < $1.key })
    where !kept.contains(name) {
      result[index].append(name)
    }
    return result
  }
}
