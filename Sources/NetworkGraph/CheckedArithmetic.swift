/// Overflow-checked integer helpers that throw instead of trapping.
enum Checked {
  static func multiply(
    _ a: Int, _ b: Int, _ what: @autoclosure () -> String,
    node: NodeReference? = nil
  ) throws(NetworkError) -> Int {
    let (value, overflow) = a.multipliedReportingOverflow(by: b)
    if overflow { throw .overflow(what: what(), node: node) }
    return value
  }

  static func add(
    _ a: Int, _ b: Int, _ what: @autoclosure () -> String,
    node: NodeReference? = nil
  ) throws(NetworkError) -> Int {
    let (value, overflow) = a.addingReportingOverflow(b)
    if overflow { throw .overflow(what: what(), node: node) }
    return value
  }

  static func product(
    _ values: some Sequence<Int>, _ what: @autoclosure () -> String,
    node: NodeReference? = nil
  ) throws(NetworkError) -> Int {
    var result = 1
    for value in values {
      result = try multiply(result, value, what(), node: node)
    }
    return result
  }
}
