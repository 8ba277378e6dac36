import HardwareModel
import Yams

/// Reads a device's `runtime:` block (``RuntimeModel``): the fitted figures
/// of a processor's per-operator execution model.
///
/// Every entry is `{value: …, fitted_to: "…"}`, like an `efficiency`
/// factor: `dispatch`, `thread_dispatch`, `thread_wake`, `spin_window` and
/// `output_cost` are times (`8 us`),
/// `weight_packing` is a rate (`5 GB/s`), `dense`,
/// `pointwise`, `fully_connected`, `depthwise` and `memory` are fractions
/// in (0, 1], `parallel_grain` is a count of MACs, `cycle_scale` is clock
/// periods per counted reference-kernel cycle (and excludes the four class
/// fractions, which it replaces). Unknown
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
    if parameters[.cycleScale] != nil, let at = table.value("cycle_scale") {
      let classes: [RuntimeParameter] = [
        .dense, .pointwise, .fullyConnected, .depthwise,
      ]
      let declared = classes.filter { parameters[$0] != nil }
      if !declared.isEmpty {
        table.document.error(
          "'cycle_scale' times every MAC kernel by TensorFlow Lite Micro's reference kernel cycles, so \(declared.map { "'\($0.rawValue)'" }.joined(separator: ", ")) would not be used",
          at: at,
          hint:
            "remove the class fractions, or remove 'cycle_scale' to time kernels by them"
        )
        table.finish()
        return nil
      }
    }
    table.finish()
    return RuntimeModel(parameters: parameters)
  }

  /// What a time figure out of its range should say instead.
  static func timeHint(_ parameter: RuntimeParameter) -> String {
    switch parameter {
    case .threadWake:
      "write the time to wake the pool's sleeping workers, e.g. 50 us"
    case .spinWindow:
      "write how long the workers spin before they sleep, e.g. 500 us"
    case .outputCost:
      "write the time per output element of a dense kernel, e.g. 1 ns"
    default: "write the fixed time per operator, e.g. 10 us"
    }
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
    case .dispatch, .threadDispatch, .threadWake, .spinWindow, .outputCost:
      let quantity = entry.quantity("value", as: [.time], required: true)
      // A fit may end on a bound, written in microseconds to six digits:
      // a value within rounding of a bound reads as the bound.
      value = quantity.map { q in
        abs(q.value / range.lowerBound - 1) < 1e-9
          ? range.lowerBound
          : abs(q.value / range.upperBound - 1) < 1e-9
            ? range.upperBound : q.value
      }
      if let v = value, !range.contains(v), let at = entry.value("value") {
        entry.document.error(
          "'\(key)' is \(Quantity(v, .time)), outside \(Quantity(range.lowerBound, .time)) to \(Quantity(range.upperBound, .time))",
          at: at,
          hint: timeHint(parameter))
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
    case .cycleScale:
      value = entry.number(
        "value", required: true, in: range,
        hint:
          "clock periods per counted reference-kernel cycle in [0.01, 100], e.g. 0.6"
      )
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
