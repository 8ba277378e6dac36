import HardwareModel
import Yams

/// Reads a device's `runtime:` block (``RuntimeModel``): the fitted figures
/// of a processor's per-operator execution model.
///
/// Every entry is `{value: …, fitted_to: "…"}`, like an `efficiency`
/// factor: `dispatch` and `thread_dispatch` are times (`8 us`),
/// `weight_packing` is a rate (`5 GB/s`), `dense`,
/// `pointwise`, `fully_connected`, `depthwise` and `memory` are fractions
/// in (0, 1], `parallel_grain` is a count of MACs. Unknown
/// keys get a did-you-mean hint; values outside the parameter's physical
/// range (``RuntimeParameter/range``) are located errors.
enum RuntimeReader {
  static func read(_ top: MappingReader) -> RuntimeModel? {
    guard let table = top.mapping("runtime") else { return nil }
    var parameters: [RuntimeParameter: CalibrationFactor] = [:]
    for parameter in RuntimeParameter.allCases {
      guard let node = table.value(parameter.rawValue) else { continue }
      if let figure = readFigure(node, parameter: parameter, in: table) {
        parameters[parameter] = figure
      }
    }
    table.finish()
    return RuntimeModel(parameters: parameters)
  }

  static func readFigure(
    _ node: Node, parameter: RuntimeParameter, in parent: MappingReader
  ) -> CalibrationFactor? {
    let key = parameter.rawValue
    guard
      let entry = MappingReader(
        node, in: parent.document, path: parent.path.appending(key),
        what: "'\(key)'")
    else { return nil }
    let range = parameter.range
    let value: Double?
    switch parameter {
    case .dispatch, .threadDispatch:
      let quantity = entry.quantity("value", as: [.time], required: true)
      value = quantity?.value
      if let v = value, !range.contains(v), let at = entry.value("value") {
        entry.document.error(
          "'\(key)' is \(Quantity(v, .time)), outside \(Quantity(range.lowerBound, .time)) to \(Quantity(range.upperBound, .time))",
          at: at, hint: "write the fixed time per operator, e.g. 10 us")
        return nil
      }
    case .dense, .pointwise, .fullyConnected, .depthwise, .memory:
      value = entry.number(
        "value", required: true, in: range,
        hint: "a fraction of the modelled rate in [0.0001, 1]")
    case .weightPacking:
      let quantity = entry.quantity("value", as: [.bandwidth], required: true)
      value = quantity?.value
      if let v = value, !range.contains(v), let at = entry.value("value") {
        entry.document.error(
          "'\(key)' is \(Quantity(v, .bandwidth)), outside \(Quantity(range.lowerBound, .bandwidth)) to \(Quantity(range.upperBound, .bandwidth))",
          at: at, hint: "write the rate of the weight packing pass, e.g. 5 GB/s"
        )
        return nil
      }
    case .parallelGrain:
      value = entry.number(
        "value", required: true, in: range,
        hint: "MACs per core below which a layer leaves cores idle, e.g. 500000"
      )
    }
    let fitted = entry.string(
      "fitted_to", required: true,
      hint:
        "name the measurements the figure was fitted to (device, networks, source)"
    )
    entry.finish()
    guard let value, let fitted else { return nil }
    return CalibrationFactor(value: value, fittedTo: fitted)
  }
}
