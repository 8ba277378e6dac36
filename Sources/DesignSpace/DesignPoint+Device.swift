import Diagnostics
import HardwareModel

/// Why a point's hardware overrides cannot apply to its device.
public struct OverrideProblem: Error, Hashable, Sendable {
  /// What is wrong, in a sentence.
  public var message: String

  /// Creates the problem.
  public init(_ message: String) { self.message = message }
}

extension DesignPoint {
  /// The device with this point's hardware overrides applied, then
  /// validated.
  ///
  /// | parameter | what changes |
  /// | --- | --- |
  /// | `array_size` / `array_rows` / `array_columns` | the systolic array's sides |
  /// | `buffer.<level>` | one instance's bytes of that on-chip level (a partitioned level scales every part) |
  /// | `bandwidth` | the backing store's peak read and write bandwidth, as if written in the device file (its `bandwidth_efficiency` applies) |
  /// | `clock` | the compute clock (per-cycle figures follow it) |
  /// | `dsp_slices` | the DSP slices of an FPGA design (its PE organisation is dropped; more than the part has is invalid) |
  ///
  /// - Returns: The device, or the problem that makes the point infeasible
  ///   (an override the device has no place for, or a device that no
  ///   longer validates).
  public func applyingOverrides(to device: Device) -> Result<
    Device, OverrideProblem
  > {
    var result = device
    for override in hardware {
      if let problem = Self.apply(override, to: &result) {
        return .failure(problem)
      }
    }
    if !hardware.isEmpty {
      let errors = result.validate().filter { $0.severity == .error }
      if let first = errors.first {
        return .failure(
          OverrideProblem(
            "the overridden device is invalid: \(first.message) (at \(first.path))"
          ))
      }
    }
    return .success(result)
  }

  static func apply(_ override: HardwareOverride, to device: inout Device)
    -> OverrideProblem?
  {
    let value = override.value
    guard value.isFinite, value > 0 else {
      return OverrideProblem(
        "\(override.parameter.name) must be more than zero")
    }
    let count =
      value < Double(Int32.max) ? Int(value.rounded()) : Int(Int32.max)
    switch override.parameter {
    case .arraySize, .arrayRows, .arrayColumns:
      guard case .array(var array) = device.compute.organisation else {
        return OverrideProblem(
          "\(device.name) has no systolic array to set \(override.parameter.name) on"
        )
      }
      if override.parameter != .arrayColumns { array.rows = count }
      if override.parameter != .arrayRows { array.columns = count }
      device.compute.organisation = .array(array)
    case .dspSlices:
      guard case .dsp(var dsp) = device.compute.organisation else {
        return OverrideProblem(
          "\(device.name) has no DSP slices to set dsp_slices on")
      }
      dsp.dspSlices = count
      dsp.organisation = nil
      device.compute.organisation = .dsp(dsp)
    case .clock:
      device.clock = value
    case .bandwidth:
      guard !device.memory.isEmpty else {
        return OverrideProblem(
          "\(device.name) has no backing store to set bandwidth on")
      }
      // As if the figure were written in the device file: per second, with
      // the level's bandwidth efficiency applied.
      device.setBackingStoreBandwidth(.perSecond(value))
    case .bufferBytes(let name):
      guard let position = device.memory.firstIndex(where: { $0.name == name })
      else {
        let names = device.memory.map(\.name).joined(separator: ", ")
        return OverrideProblem(
          "\(device.name) has no memory level '\(name)' (it has \(names))")
      }
      guard !device.memory[position].kind.isOffChip else {
        return OverrideProblem(
          "'\(name)' is the backing store, not an on-chip buffer")
      }
      switch device.memory[position].capacity {
      case .unbounded, .shared:
        device.memory[position].capacity = .shared(bytes: value)
      case .partitioned(let parts):
        let total = parts.values.reduce(0, +)
        guard total > 0 else {
          return OverrideProblem("'\(name)' has no bytes to scale")
        }
        device.memory[position].capacity = .partitioned(
          parts.mapValues { $0 * value / total })
      }
    }
    return nil
  }
}
