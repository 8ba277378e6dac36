/// An Einsum-12 equation resolved against its operands' shapes: every index
/// label with its size, the labels of each operand and of the output.
///
/// `...` stands for the operand's leading unlabelled axes; those broadcast
/// across operands like NumPy batch axes. Without `->`, the output is the
/// broadcast ellipsis axes followed by the labels that occur once,
/// alphabetically (the implicit form).
public struct EinsumEquation: Hashable, Sendable {
  /// The size of every label; ellipsis axes are named `...0`, `...1`, ….
  public var sizes: [String: Int]
  /// The labels of each operand, in axis order.
  public var operands: [[String]]
  /// The labels of the output, in axis order.
  public var output: [String]

  /// The output dimensions.
  public var outputDims: [Int] { output.map { sizes[$0] ?? 1 } }

  /// The product of the sizes of all labels: the multiply-accumulates of a
  /// two-operand contraction evaluated directly.
  public var indexSpace: Int? {
    var product = 1
    for size in sizes.values {
      let (value, overflow) = product.multipliedReportingOverflow(by: size)
      if overflow { return nil }
      product = value
    }
    return product
  }

  /// Parses `equation` for operands of `shapes`.
  ///
  /// - Throws: ``NetworkError/invalidAttribute(node:message:)`` for a
  ///   malformed equation or one whose ranks or sizes disagree with the
  ///   operands.
  public init(_ equation: String, shapes: [TensorShape], node: NodeReference)
    throws(NetworkError)
  {
    func fail(_ message: String) -> NetworkError {
      .invalidAttribute(
        node: node, message: "equation '\(equation)': \(message)")
    }
    let text = equation.filter { !$0.isWhitespace }
    let sides = text.split(separator: "->", omittingEmptySubsequences: false)
      .map(String.init)
    guard sides.count <= 2 else { throw fail("has more than one '->'") }
    let terms = sides[0].split(separator: ",", omittingEmptySubsequences: false)
      .map(String.init)
    guard terms.count == shapes.count else {
      throw fail("has \(terms.count) operands but the node has \(shapes.count)")
    }
    func letters(_ term: String) throws(NetworkError) -> (
      before: [String], after: [String], ellipsis: Bool
    ) {
      let parts = term.split(separator: "...", omittingEmptySubsequences: false)
        .map(String.init)
      guard parts.count <= 2 else { throw fail("'\(term)' has two '...'") }
      for character in parts.joined() where !character.isLetter {
        throw fail("'\(character)' is not a letter")
      }
      return (
        parts[0].map(String.init),
        parts.count == 2 ? parts[1].map(String.init) : [],
        parts.count == 2
      )
    }
    var sizes: [String: Int] = [:]
    var operands: [[String]] = []
    var ellipsisRank = 0
    var parsed: [(before: [String], after: [String], ellipsis: Bool)] = []
    for (term, shape) in zip(terms, shapes) {
      let labels = try letters(term)
      let named = labels.before.count + labels.after.count
      guard labels.ellipsis ? shape.rank >= named : shape.rank == named else {
        throw fail("'\(term)' does not match the rank of operand \(shape)")
      }
      ellipsisRank = max(ellipsisRank, shape.rank - named)
      parsed.append(labels)
    }
    for (labels, shape) in zip(parsed, shapes) {
      let covered = shape.rank - labels.before.count - labels.after.count
      let ellipsis = (0..<covered).map { "...\(ellipsisRank - covered + $0)" }
      let all = labels.before + ellipsis + labels.after
      for (label, size) in zip(all, shape.dims) {
        if let known = sizes[label], known != size {
          if label.hasPrefix("..."), known == 1 || size == 1 {
            sizes[label] = max(known, size)
            continue
          }
          throw fail("label \(label) has sizes \(known) and \(size)")
        }
        sizes[label] = size
      }
      operands.append(all)
    }
    let broadcast = (0..<ellipsisRank).map { "...\($0)" }
    if sides.count == 2 {
      let labels = try letters(sides[1])
      if !labels.ellipsis, ellipsisRank > 0,
        broadcast.contains(where: { sizes[$0] != 1 })
      {
        throw fail("the output omits the '...' axes")
      }
      output =
        labels.before + (labels.ellipsis ? broadcast : []) + labels.after
      for label in output where sizes[label] == nil {
        throw fail("output label \(label) is not in any operand")
      }
      guard Set(output).count == output.count else {
        throw fail("the output repeats a label")
      }
    } else {
      var counts: [String: Int] = [:]
      for label in operands.joined() where !label.hasPrefix("...") {
        counts[label, default: 0] += 1
      }
      output = broadcast + counts.filter { $0.value == 1 }.keys.sorted()
    }
    self.sizes = sizes
    self.operands = operands
  }
}
