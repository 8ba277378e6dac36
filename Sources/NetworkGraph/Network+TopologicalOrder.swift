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
    var successors = [[Int]](repeating: [], count: nodes.count)
    var predecessors = [[Int]](repeating: [], count: nodes.count)
    var indegree = [Int](repeating: 0, count: nodes.count)
    for (index, node) in nodes.enumerated() {
      var seen: Set<Int> = []
      for input in node.inputs where !input.isEmpty {
        guard let from = producer[input], seen.insert(from).inserted else { continue }
        successors[from].append(index)
        predecessors[index].append(from)
        indegree[index] += 1
      }
    }
    var ready = MinHeap()
    for index in nodes.indices where indegree[index] == 0 { ready.insert(index) }
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
  private func cycle(indegree: [Int], predecessors: [[Int]]) -> [NodeReference] {
    guard var current = indegree.firstIndex(where: { $0 > 0 }) else { return [] }
    var position: [Int: Int] = [:]
    var path: [Int] = []
    while position[current] == nil {
      position[current] = path.count
      path.append(current)
      guard let previous = predecessors[current].first(where: { indegree[$0] > 0 })
      else { break }
      current = previous
    }
    let start = position[current] ?? 0
    // The walk went against the edges; reverse it to follow data flow.
    return path[start...].reversed().map { nodes[$0].reference }
  }
}

/// A binary min-heap of node indices, for stable Kahn ordering.
struct MinHeap {
  private var storage: [Int] = []

  mutating func insert(_ value: Int) {
    storage.append(value)
    var child = storage.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      if storage[parent] <= storage[child] { break }
      storage.swapAt(parent, child)
      child = parent
    }
  }

  mutating func popMin() -> Int? {
    guard let last = storage.popLast() else { return nil }
    guard !storage.isEmpty else { return last }
    let top = storage[0]
    storage[0] = last
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < storage.count, storage[left] < storage[smallest] { smallest = left }
      if right < storage.count, storage[right] < storage[smallest] { smallest = right }
      if smallest == parent { break }
      storage.swapAt(parent, smallest)
      parent = smallest
    }
    return top
  }
}
