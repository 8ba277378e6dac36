import Diagnostics

/// The range of every figure a device may state: wide enough for any real
/// chip, from a 32 kHz microcontroller to a wafer-scale engine, and narrow
/// enough that every time, energy and count the simulator derives from them
/// stays finite and fits the integers it is counted in.
///
/// A figure outside its range is refused by ``Device/validate()``, which
/// every way of making a device goes through (YAML, SCALE-Sim `.cfg`, a
/// sweep's hardware overrides), so `validate` refuses what `simulate` could
/// not compute right. What is still too large for a given model (a run of
/// 2^63 cycles or more) is refused by the simulator.
public enum DeviceLimits {
  /// Compute clock, hertz: 1 Hz to 1 THz.
  public static let clock: ClosedRange<Double> = 1...1e12
  /// One memory instance's capacity, bytes: at most 1 PiB.
  public static let capacityBytes: Double = 0x1p50
  /// Sustained bandwidth of a finite port, bytes per second: 1 B/s to
  /// 10 PB/s (`unlimited` is allowed where the reader allows it).
  public static let bandwidth: ClosedRange<Double> = 1...1e16
  /// Access latency, seconds: at most 1 s.
  public static let latency: ClosedRange<Double> = 0...1
  /// Energy per bit moved or per MAC or operation, joules: at most 1 µJ.
  public static let energy: ClosedRange<Double> = 0...1e-6
  /// Static power and leakage, watts: at most 1 MW.
  public static let power: ClosedRange<Double> = 0...1e6
  /// Memory instances, cores, DSP slices, array rows or columns: at most
  /// 2^20 each.
  public static let count: ClosedRange<Int> = 1...(1 << 20)
  /// MACs per cycle of one unit: at most 2^20.
  public static let macsPerCycle: ClosedRange<Double> = 0...0x1p20
}

extension Device {
  /// Every figure outside ``DeviceLimits``, located by its path.
  func validateRanges() -> [PathDiagnostic] {
    var problems: [PathDiagnostic] = []
    func check(
      _ value: Double, _ range: ClosedRange<Double>, _ what: String,
      _ unit: Dimension?, at path: FieldPath
    ) {
      guard !range.contains(value) else { return }
      func shown(_ x: Double) -> String {
        guard let unit else { return UnitFormatter.trim(x) }
        // Beyond the prefixes' reach, the figure as written.
        if x != 0, !(1e-15...1e15).contains(abs(x)) {
          return "\(x) \(unit.baseUnit)"
        }
        return UnitFormatter.format(Quantity(x, unit))
      }
      let (low, high) = (shown(range.lowerBound), shown(range.upperBound))
      let shown = shown(value)
      problems.append(
        .error(
          "\(what) of \(shown) is outside what EdgeSim can simulate (\(low) to \(high))",
          at: path,
          hint:
            "check the figure and its unit; no real device is outside this range"
        ))
    }
    func check(_ value: Int, _ what: String, at path: FieldPath) {
      guard !DeviceLimits.count.contains(value) else { return }
      problems.append(
        .error(
          "\(what) of \(value) is outside what EdgeSim can simulate (\(DeviceLimits.count.lowerBound) to \(DeviceLimits.count.upperBound))",
          at: path, hint: "check the figure"))
    }
    check(clock, DeviceLimits.clock, "a clock", .frequency, at: ["clock"])
    check(
      staticPower, DeviceLimits.power, "a static power", .power,
      at: ["power", "static"])
    for (index, level) in memory.enumerated() {
      let at: FieldPath = ["memory", index]
      for bytes in level.capacityFigures {
        check(
          bytes, 0...DeviceLimits.capacityBytes, "a size", .dataSize,
          at: at.appending("size"))
      }
      check(
        level.instances, "a count of instances", at: at.appending("instances"))
      // One figure written as `bandwidth` sets both ports.
      let both = level.readBandwidth == level.writeBandwidth
      for (key, rate) in [
        (both ? "bandwidth" : "read_bandwidth", level.readBandwidth),
        ("write_bandwidth", level.writeBandwidth),
      ] where rate != .infinity && !(both && key == "write_bandwidth") {
        check(
          rate, DeviceLimits.bandwidth, "a bandwidth", .bandwidth,
          at: at.appending(key))
      }
      check(
        level.latency, DeviceLimits.latency, "a latency", .time,
        at: at.appending("latency"))
      for perBit in [level.energy.readPerBit, level.energy.writePerBit] {
        check(
          perBit, DeviceLimits.energy, "an energy per bit", .energyPerBit,
          at: at.appending("energy"))
      }
      check(
        level.leakage, DeviceLimits.power, "a leakage", .power,
        at: at.appending("leakage"))
    }
    switch compute.organisation {
    case .vector(let v):
      check(v.cores, "a count of cores", at: ["compute", "cores"])
    case .shader(let s):
      check(s.cores, "a count of cores", at: ["compute", "cores"])
    case .array(let a):
      check(a.rows, "an array's rows", at: ["compute", "array", "rows"])
      check(
        a.columns, "an array's columns", at: ["compute", "array", "columns"])
    case .dsp(let d):
      check(
        d.dspSlices, "a count of DSP slices", at: ["compute", "dsp_slices"])
    }
    for (precision, rate) in compute.macsPerCycle.sorted(by: { $0.key < $1.key }
    ) {
      check(
        rate, DeviceLimits.macsPerCycle, "a MAC rate per cycle", nil,
        at: ["compute", "macs_per_cycle", precision.rawValue])
    }
    for (precision, joules) in compute.macEnergy.sorted(by: { $0.key < $1.key })
    {
      check(
        joules, DeviceLimits.energy, "a MAC energy", .energy,
        at: ["compute", "mac_energy", precision.rawValue])
    }
    if let op = compute.opEnergy {
      check(
        op, DeviceLimits.energy, "an operation energy", .energy,
        at: ["compute", "op_energy"])
    }
    return problems
  }
}

extension MemoryLevel {
  /// Each byte figure of one instance (one, or one per operand).
  var capacityFigures: [Double] {
    switch capacity {
    case .unbounded: []
    case .shared(let bytes): [bytes]
    case .partitioned(let parts):
      parts.keys.sorted().compactMap { parts[$0] }
    }
  }
}
