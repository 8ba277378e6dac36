/// The physical dimension of a ``Quantity``.
///
/// Every quantity in a hardware description has one, and a value written with
/// a unit of another dimension (`clock: 2 GB`) is an error. Values are kept in
/// the base unit named by ``baseUnit``.
public enum Dimension: String, Sendable, CaseIterable, Hashable {
  /// Hertz.
  case frequency
  /// Seconds.
  case time
  /// Clock cycles (a count of the device's own clock).
  case cycles
  /// Bytes (a bit is 1/8 byte).
  case dataSize
  /// Bytes per second.
  case bandwidth
  /// Bytes per clock cycle of the device.
  case bandwidthPerCycle
  /// Joules.
  case energy
  /// Joules per bit moved.
  case energyPerBit
  /// Watts.
  case power
  /// Metres (process technology: `28 nm`).
  case length

  /// The unit a value of this dimension is stored in.
  public var baseUnit: String {
    switch self {
    case .frequency: "Hz"
    case .time: "s"
    case .cycles: "cycles"
    case .dataSize: "B"
    case .bandwidth: "B/s"
    case .bandwidthPerCycle: "B/cycle"
    case .energy: "J"
    case .energyPerBit: "J/bit"
    case .power: "W"
    case .length: "m"
    }
  }

  /// Examples of how a person writes a value of this dimension, for hints.
  public var examples: String {
    switch self {
    case .frequency: "150 MHz, 2.84 GHz"
    case .time: "100 ns, 1.5 us, 2 ms"
    case .cycles: "20 cycles"
    case .dataSize: "108 KiB, 2 MB, 512 bit (KB = 1000 B, KiB = 1024 B)"
    case .bandwidth: "4.26 GB/s, 25.6 GiB/s, 5 Gb/s"
    case .bandwidthPerCycle: "64 bit/cycle, 16 B/cycle"
    case .energy: "2.5 pJ, 0.2 nJ"
    case .energyPerBit: "20 pJ/bit, 8 pJ/B"
    case .power: "0.3 W, 278 mW"
    case .length: "28 nm"
    }
  }

  /// A human name for messages ("a frequency", "a data size").
  public var phrase: String {
    switch self {
    case .frequency: "a frequency"
    case .time: "a time"
    case .cycles: "a cycle count"
    case .dataSize: "a data size"
    case .bandwidth: "a bandwidth"
    case .bandwidthPerCycle: "a bandwidth per cycle"
    case .energy: "an energy"
    case .energyPerBit: "an energy per bit"
    case .power: "a power"
    case .length: "a length"
    }
  }
}
