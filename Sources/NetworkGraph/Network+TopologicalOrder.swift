import HeapModule

extension Network {
  /// The node indices in an order where every node comes after the producers
  /// of its inputs.
  ///
  /// Kahn's algorithm, taking among the ready nodes the one earliest in the
  /// file, so a file already in topological order keeps its order exactly.
  /// Inputs produced by no node (graph inputs, initializers, or missing
  /// tensors, which ``validate(file:)`` reports) impose no constraint.
  ///
  /// - Returns: A permutation of `nodes.indices`.
  /// - Throws: ``NetworkError/cycle(nodes:)`` naming the nodes along one
  ///   cycle, in order.
  /// - Complexity: O((n + e) log n) for n nodes and e edges.
  public func topologicalOrder() throws(NetworkError) -> [Int] {
    let producer = producers()
    // A file already in order (every input produced by an earlier node, as
    // importers and the layer-list builder write them) is its own order:
    // Kahn's algorithm taking the earliest ready node would return it.
    if isOrdered(producer: producer) { return Array(nodes.indices) }
    var successors = [[Int]](repeating: [], count: nodes.count)
    var predecessors = [[Int]](repeating: [], count: nodes.count)
    var indegree = [Int](repeating: 0, count: nodes.count)
    for (index, node) in nodes.enumerated() {
      var seen: Set<Int> = []
      for input in node.inputs where !input.isEmpty {
        guard let from = producer[input], seen.insert(from).inserted else {
          continue
        }
        successors[from].append(index)
        predecessors[index].append(from)
        indegree[index] += 1
      }
    }
    // A min-heap of ready nodes keeps the file order where it is valid.
    var ready = Heap(nodes.indices.filter { indegree[$0] == 0 })
    var order: [Int] = []
    order.reserveCapacity(nodes.count)
    while let next = ready.popMin() {
      order.append(next)
      for successor in successors[next] {
        indegree[successor] -= 1
        if indegree[successor] == 0 { ready.insert(successor) }
      }
    }
    if order.count == nodes.count { return order }
    throw .cycle(nodes: cycle(indegree: indegree, predecessors: predecessors))
  }

  /// Whether every node input that a node produces is produced by an
  /// earlier node.
  private func isOrdered(producer: [String: Int]) -> Bool {
    for (index, node) in nodes.enumerated() {
      for input in node.inputs where !input.isEmpty {
        if let from = producer[input], from >= index { return false }
      }
    }
    return true
  }

  /// The nodes in topological order (see ``topologicalOrder()``).
  ///
  /// - Throws: ``NetworkError/cycle(nodes:)``.
  public func sortedTopologically() throws(NetworkError) -> Network {
    let order = try topologicalOrder()
    var copy = self
    copy.nodes = order.map { nodes[$0] }
    return copy
  }

  /// One cycle among the nodes Kahn's algorithm could not schedule: each has
  /// an unscheduled predecessor, so walking predecessors must repeat a node.
  private func cycle(indegree: [Int], predecessors: [[Int]]) -> [NodeReference]
  {
    guard var current = indegree.firstIndex(where: { $0 > 0 }) else {
      return []
    }
    var position: [Int: Int] = [:]
    var path: [Int] = []
    while position[current] == nil {
      position[current] = path.count
      path.append(current)
      guard
        let previous = predecessors[current].first(where: { indegree[$0] > 0 })
      else { break }
      current = previous
    }
    let start = position[current] ?? 0
    // The walk went against the edges; reverse it to follow data flow.
    return path[start...].reversed().map { nodes[$0].reference }
  }
}
