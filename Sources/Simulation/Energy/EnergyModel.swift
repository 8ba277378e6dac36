import HardwareModel
import PrecisionModel

/// Energy per MAC and per operation from operand widths, anchored at the
/// device's stated figures.
///
/// A MAC is a multiplier and an adder. The multiplier's energy grows with
/// the product of its operand widths, the adder's with the accumulator
/// width (Horowitz, ISSCC 2014: 8-bit multiply 0.2 pJ and add 0.03 pJ, so the
/// multiplier is 87% of an int8 MAC; fp16 multiply 1.1 pJ and add 0.4 pJ,
/// 73%). So with an anchor `E₀` at widths `(w₀, x₀, a₀)`:
///
///     E(w, x, a) = E₀ · (μ · w·x / (w₀·x₀) + (1 − μ) · a / a₀)
///
/// with μ = 0.87 for integers and 0.73 for floating point. The anchor is
/// the device's `mac_energy` of the same kind (integer or float) nearest in
/// width; when the device states only the other kind, a float MAC costs
/// 1.43× an integer MAC of the same width (Horowitz: fp16 1.5 pJ vs int16
/// 1.05 pJ; fp32 4.6 pJ vs int32 3.2 pJ). This is the Accelergy practice of
/// scaling a reference action energy by its attributes (Wu, Emer, Sze,
/// ICCAD 2019), with a first-order law instead of a plug-in table.
public enum EnergyModel {
  /// The multiplier's share of an integer MAC (Horowitz, int8).
  public static let integerMultiplierShare = 0.87
  /// The multiplier's share of a floating-point MAC (Horowitz, fp16).
  public static let floatMultiplierShare = 0.73
  /// A float MAC over an integer MAC of the same width (Horowitz).
  public static let floatOverInteger = 1.43

  /// Joules per MAC at the widths.
  public static func macEnergy(_ widths: LayerWidths, device: Device) -> Double
  {
    let table = device.compute.macEnergy
    guard !table.isEmpty else { return 0 }
    let sameKind = table.keys.filter { $0.isFloatingPoint == widths.isFloat }
    let pool = sameKind.isEmpty ? Array(table.keys) : sameKind
    let anchor = pool.min { a, b in
      let da = abs(a.bits - widths.operandBits)
      let db = abs(b.bits - widths.operandBits)
      return da != db ? da < db : a < b
    }
    guard let anchor, let base = table[anchor] else { return 0 }
    let anchorWidths = LayerWidths(precision: anchor)
    let share = widths.isFloat ? floatMultiplierShare : integerMultiplierShare
    var energy =
      base
      * (share * Double(widths.weightBits * widths.inputBits)
        / Double(anchorWidths.weightBits * anchorWidths.inputBits)
        + (1 - share) * Double(widths.accumulatorBits)
          / Double(anchorWidths.accumulatorBits))
    if anchor.isFloatingPoint != widths.isFloat {
      energy =
        widths.isFloat ? energy * floatOverInteger : energy / floatOverInteger
    }
    return energy
  }

  /// Joules per non-MAC operation (add, compare, activation) at the
  /// output width: the device's `op_energy`, or else the adder part of a
  /// MAC at that width, `(1 − μ) · E_MAC · b / a`.
  public static func operationEnergy(_ widths: LayerWidths, device: Device)
    -> Double
  {
    if let op = device.compute.opEnergy { return op }
    let share = widths.isFloat ? floatMultiplierShare : integerMultiplierShare
    return (1 - share) * macEnergy(widths, device: device)
      * Double(widths.outputBits)
      / Double(widths.accumulatorBits)
  }
}

extension Device {
  /// The device moved to another process node: MAC, operation and on-chip
  /// memory energies scaled by ``TechnologyScaling/factor(fromNanometres:toNanometres:)``,
  /// the backing store's energy per bit kept (it belongs to the memory
  /// generation, not the logic node), static power scaled alike (an estimate).
  ///
  /// - Parameter nanometres: The new node.
  /// - Returns: A what-if copy; figures are estimates (hardware-facts §1.5).
  public func scaled(toNanometres nanometres: Double) -> Device {
    let factor = TechnologyScaling.factor(
      fromNanometres: technologyNanometres, toNanometres: nanometres)
    var copy = self
    copy.technologyNanometres = nanometres
    copy.compute.macEnergy = compute.macEnergy.mapValues { $0 * factor }
    copy.compute.opEnergy = compute.opEnergy.map { $0 * factor }
    for index in copy.memory.indices where !copy.memory[index].kind.isOffChip {
      copy.memory[index].energy.readPerBit *= factor
      copy.memory[index].energy.writePerBit *= factor
      copy.memory[index].leakage *= factor
    }
    copy.staticPower *= factor
    return copy
  }
}
