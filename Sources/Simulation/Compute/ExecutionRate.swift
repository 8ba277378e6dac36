import HardwareModel
import PrecisionModel

/// The datapath a layer's widths run on, and its MAC rate per unit.
struct ExecutionRate: Hashable, Sendable {
  /// The device precision whose rate applies (for FPGA packing: the nearest
  /// listed one, or `nil` when derived from widths).
  var precision: Precision?
  /// MACs per cycle of one unit (core, shader core, PE or DSP slice).
  var macsPerUnitPerCycle: Double

  /// Finds the rate, or says why the device cannot run the widths.
  ///
  /// By the organisation's ``HardwareModel/MACRateRule``:
  /// - fixed datapaths (cpu, gpu, npu, mcu): the narrowest listed precision
  ///   of the same kind (integer or float) at least as wide as the wider
  ///   multiplier operand; integers may fall back to a float datapath (a GPU
  ///   delegate runs int8 models in fp16), never the reverse.
  /// - DSP slices (fpga): the listed `macs_per_dsp` of the exact precision,
  ///   or else ``DSPPacking/macsPerDSP(weightBits:inputBits:isFloat:)``.
  static func resolve(_ widths: LayerWidths, on device: Device) -> Result<
    ExecutionRate, SimulationFailure
  > {
    let table = device.compute.macsPerCycle
    let bits = widths.operandBits
    switch device.compute.organisation.macRateRule {
    case .exactOrDSPPacking:
      if let exact = table.keys.first(where: {
        $0.bits == bits && $0.isFloatingPoint == widths.isFloat
      }), let rate = table[exact] {
        return .success(
          ExecutionRate(precision: exact, macsPerUnitPerCycle: rate))
      }
      return .success(
        ExecutionRate(
          precision: nil,
          macsPerUnitPerCycle: DSPPacking.macsPerDSP(
            weightBits: widths.weightBits, inputBits: widths.inputBits,
            isFloat: widths.isFloat)))
    case .widerListedDatapath:
      return widerListedDatapath(widths, on: device)
    }
  }

  /// The narrowest listed precision of the same kind at least as wide as the
  /// operands (integers may fall back to a float datapath).
  private static func widerListedDatapath(
    _ widths: LayerWidths, on device: Device
  ) -> Result<ExecutionRate, SimulationFailure> {
    let table = device.compute.macsPerCycle
    let bits = widths.operandBits
    let sorted = table.keys.sorted()
    let sameKind = sorted.first {
      $0.isFloatingPoint == widths.isFloat && $0.bits >= bits
    }
    let fallback =
      widths.isFloat
      ? nil : sorted.first { $0.isFloatingPoint && $0.bits >= bits }
    guard let chosen = sameKind ?? fallback, let rate = table[chosen], rate > 0
    else {
      let runs = sorted.map(\.rawValue).joined(separator: ", ")
      return .failure(
        SimulationFailure(
          reason:
            "\(device.name) cannot compute \(widths.label): it runs \(runs.isEmpty ? "nothing" : runs)"
        ))
    }
    return .success(ExecutionRate(precision: chosen, macsPerUnitPerCycle: rate))
  }
}

/// MACs one Xilinx DSP48 slice does per cycle, from operand widths.
///
/// A DSP48E1 has a 25×18 signed multiplier and a 48-bit accumulator
/// (Xilinx UG479). Rules (EdgeSim's; `hardware-facts.md` §2.1):
/// - both operands ≤ 8 bits: 2 MACs (two products share one multiplier by
///   packing, Xilinx WP486 "Deep learning with INT8 optimization");
/// - up to 18 × 25 bits: 1 MAC;
/// - wider: one MAC needs `ceil(a/18)·ceil(b/25)` slices (a ≤ b), so
///   the rate is its reciprocal;
/// - floating point: the mantissa product (11 bits for fp16, 24 for fp32)
///   by the same rule, the exponent and adder in LUTs.
public enum DSPPacking {
  /// MACs per DSP slice per cycle.
  public static func macsPerDSP(weightBits: Int, inputBits: Int, isFloat: Bool)
    -> Double
  {
    var a = min(weightBits, inputBits)
    var b = max(weightBits, inputBits)
    if isFloat {
      a = mantissa(a)
      b = mantissa(b)
    }
    if !isFloat, b <= 8 { return 2 }
    if a <= 18, b <= 25 { return 1 }
    let slices = ((a + 17) / 18) * ((b + 24) / 25)
    return 1 / Double(max(1, slices))
  }

  private static func mantissa(_ bits: Int) -> Int {
    bits <= 16 ? 11 : 24
  }
}

/// Why a run cannot happen.
struct SimulationFailure: Error, Hashable, Sendable {
  var reason: String
  var layer: String?
}
