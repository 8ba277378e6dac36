import DesignSpace
import Diagnostics
import HardwareModel
import Yams

/// Reads a study's `hardware` mapping: one axis per key, in the order
/// written.
///
/// ```yaml
/// hardware:
///   array_size: 8..64 by 8         # or array_rows, array_columns
///   dsp_slices: [256, 512, 780]
///   clock: [100 MHz, 150 MHz]
///   bandwidth: [2 GB/s, 4.2 GB/s]  # the backing store's
///   buffers:
///     glb: [64 KiB, 108 KiB]       # one axis per on-chip level named
/// ```
enum HardwareAxesReader {
  static let countKeys: [(String, HardwareParameter)] = [
    ("array_size", .arraySize), ("array_rows", .arrayRows),
    ("array_columns", .arrayColumns),
    ("dsp_slices", .dspSlices),
  ]
  static let quantityKeys: [(String, HardwareParameter, Dimension)] = [
    ("clock", .clock, .frequency), ("bandwidth", .bandwidth, .bandwidth),
  ]

  static func read(_ hardware: MappingReader) -> [HardwareAxis]? {
    let document = hardware.document
    hardware.allow(countKeys.map(\.0) + quantityKeys.map(\.0) + ["buffers"])
    var axes: [HardwareAxis] = []
    var failed = false
    for (key, value) in hardware.mapping {
      guard case .scalar(let scalar) = key else { continue }
      let name = scalar.string
      if let (_, parameter) = countKeys.first(where: { $0.0 == name }) {
        guard
          let values = IntegerValues.read(
            value, key: name, in: 1...1_000_000, document: document)
        else {
          failed = true
          continue
        }
        axes.append(
          HardwareAxis(parameter: parameter, values: values.map(Double.init)))
      } else if let (_, parameter, dimension) = quantityKeys.first(where: {
        $0.0 == name
      }) {
        guard
          let values = quantities(
            value, key: name, dimension: dimension, in: hardware)
        else {
          failed = true
          continue
        }
        axes.append(HardwareAxis(parameter: parameter, values: values))
      } else if name == "buffers" {
        guard
          let buffers = MappingReader(
            value, in: document, path: ["hardware", "buffers"],
            what: "'buffers'")
        else {
          failed = true
          continue
        }
        for (levelKey, levelValue) in buffers.mapping {
          guard case .scalar(let level) = levelKey, !level.string.isEmpty else {
            continue
          }
          buffers.allow([level.string])
          guard
            let values = quantities(
              levelValue, key: level.string, dimension: .dataSize, in: buffers)
          else {
            failed = true
            continue
          }
          axes.append(
            HardwareAxis(
              parameter: .bufferBytes(level: level.string), values: values))
        }
        buffers.finish()
      }
    }
    return failed ? nil : axes
  }

  /// One quantity or a list of them, each in `dimension`'s base unit.
  static func quantities(
    _ node: Node, key: String, dimension: Dimension, in reader: MappingReader
  ) -> [Double]? {
    let items: [Node]
    if case .sequence(let sequence) = node {
      items = Array(sequence)
    } else {
      items = [node]
    }
    if items.isEmpty {
      reader.document.error(
        "'\(key)' is empty", at: node, hint: "write e.g. \(dimension.examples)")
      return nil
    }
    var values: [Double] = []
    for item in items {
      guard let quantity = reader.quantity(item, key: key, as: [dimension])
      else { return nil }
      let range: ClosedRange<Double> =
        switch dimension {
        case .frequency: DeviceLimits.clock
        case .bandwidth: DeviceLimits.bandwidth
        case .dataSize: 1...DeviceLimits.capacityBytes
        default:
          -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        }
      if !range.contains(quantity.value) {
        let shown = { (x: Double) in
          UnitFormatter.format(Quantity(x, dimension))
        }
        reader.document.error(
          "\(shown(quantity.value)) is outside what EdgeSim can simulate (\(shown(range.lowerBound)) to \(shown(range.upperBound)))",
          at: item, hint: "check the figure and its unit")
        return nil
      }
      if values.contains(quantity.value) {
        reader.document.error(
          "a value is listed twice in '\(key)'", at: item,
          hint: "list each value once")
        return nil
      }
      values.append(quantity.value)
    }
    return values
  }
}
