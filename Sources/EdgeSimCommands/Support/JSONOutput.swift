import Diagnostics
import Foundation
import HardwareModel

/// JSON documents the commands print with `--json`, with sorted keys so the
/// output is stable.
enum JSONOutput {
  static func encode(_ value: Any) -> String {
    let value = finite(value)
    guard JSONSerialization.isValidJSONObject(value),
      let data = try? JSONSerialization.data(
        withJSONObject: value,
        options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }

  /// `value` with every infinite or NaN number replaced by `null`, which
  /// JSON cannot hold otherwise (the whole document would be refused).
  static func finite(_ value: Any) -> Any {
    switch value {
    case let number as Double: number.isFinite ? number : NSNull()
    case let number as Float: number.isFinite ? number : NSNull()
    case let array as [Any]: array.map(finite)
    case let object as [String: Any]: object.mapValues(finite)
    default: value
    }
  }

  static func diagnostic(_ d: Diagnostic) -> [String: Any] {
    var object: [String: Any] = [
      "severity": d.severity.rawValue, "message": d.message,
    ]
    if let location = d.location {
      object["file"] = location.file
      if let line = location.line { object["line"] = line }
      if let column = location.column { object["column"] = column }
      if let entity = location.entity { object["entity"] = entity }
    }
    if let hint = d.hint { object["hint"] = hint }
    return object
  }

  /// The most diagnostics listed per file in `validate --json`; the rest
  /// are counted in `diagnostics_not_shown`.
  static let maximumDiagnosticsPerFile = 1_000

  static func validation(_ results: [(String, Bool, [Diagnostic])]) -> String {
    encode([
      "valid": results.allSatisfy { $0.1 },
      "files": results.map { file, valid, diagnostics in
        var object: [String: Any] = [
          "file": file, "valid": valid,
          "diagnostics": diagnostics.prefix(maximumDiagnosticsPerFile).map(
            diagnostic),
        ]
        if diagnostics.count > maximumDiagnosticsPerFile {
          object["diagnostics_not_shown"] =
            diagnostics.count - maximumDiagnosticsPerFile
        }
        return object
      },
    ])
  }

  static func devices(_ devices: [Device]) -> String {
    encode([
      "devices": devices.map { device -> [String: Any] in
        var peaks: [String: Any] = [:]
        for precision in device.compute.precisions {
          peaks[precision.rawValue] = device.peakMACsPerSecond(precision) ?? 0
        }
        var object: [String: Any] = [
          "name": device.name, "kind": device.kind.rawValue,
          "clock_hz": device.clock,
          "technology_nm": device.technologyNanometres,
          "peak_macs_per_s": peaks,
          "on_chip_bytes": device.onChipBytes,
          "static_power_w": device.staticPower,
          "sources": device.sources,
        ]
        let store = device.backingStore
        object["backing_store"] = store.kind.rawValue
        object["backing_store_read_bytes_per_s"] =
          store.readBandwidth.isInfinite
          ? "unlimited" : store.readBandwidth as Any
        return object
      }
    ])
  }
}
