import Diagnostics

extension CompressionPlan {
  /// The plan's errors against the network's layers, each at the plan key it
  /// concerns: a layer name that is not a compressible layer (with a
  /// did-you-mean hint), and low rank asked by a layer's own entry of a
  /// layer that cannot be factored or at a rank above its size (§5).
  public func problems(for layers: [WeightLayer]) -> [Diagnostic] {
    var byName: [String: WeightLayer] = [:]
    for layer in layers { byName[layer.name] = layer }
    let names = layers.map(\.name)
    var problems: [Diagnostic] = []
    for named in self.layers {
      guard let layer = byName[named.name] else {
        problems.append(
          .error(
            "'\(named.name)' is not a Conv, Gemm or MatMul layer with initializer weights",
            at: named.location,
            hint: Suggestions.closest(to: named.name, among: names).map {
              "did you mean '\($0)'?"
            } ?? "name layers by their ONNX node names (edgesim inspect)"))
        continue
      }
      guard case .set(let request, let location) = named.entry.lowRank
      else { continue }
      guard let size = layer.matrixSize else {
        problems.append(
          .error(
            "layer '\(layer.name)' (\(layer.kind.rawValue)\(layer.group > 1 ? ", group \(layer.group)" : "")) cannot be factored: low rank applies to Gemm, 2-D MatMul and ungrouped Conv",
            at: location, hint: "remove rank/energy from this layer"))
        continue
      }
      let limit = min(size.rows, size.columns)
      if case .rank(let r) = request, r > limit {
        problems.append(
          .error(
            "rank \(r) is above layer '\(layer.name)''s size: its \(size.rows) × \(size.columns) weight matrix has rank at most \(limit)",
            at: location, hint: "write a rank from 1 to \(limit)"))
      }
    }
    return problems
  }
}
