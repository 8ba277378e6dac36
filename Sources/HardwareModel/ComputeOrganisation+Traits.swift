/// How a device turns a layer's operand widths into a MAC rate.
public enum MACRateRule: Hashable, Sendable, CaseIterable {
  /// The rate of the narrowest listed precision of the same kind (integer
  /// or float) at least as wide as the wider multiplier operand; integers
  /// may fall back to a float datapath, never the reverse. Fixed datapaths:
  /// CPU and MCU SIMD lanes, GPU ALUs, an NPU's PEs.
  case widerListedDatapath
  /// The rate listed for the exact precision, or else what a DSP slice
  /// does with the operand widths by packing them into its multiplier
  /// (`DSPPacking` in `Simulation`). Configurable fabric: FPGA DSP slices.
  case exactOrDSPPacking
}

extension ComputeOrganisation {
  /// How operand widths become a MAC rate on these units.
  public var macRateRule: MACRateRule {
    switch self {
    case .vector, .shader, .array: .widerListedDatapath
    case .dsp: .exactOrDSPPacking
    }
  }

  /// Whether an activation fused into its producer runs on a dedicated
  /// unit beside the MAC units, in the producer's shadow (no extra time),
  /// rather than on the same units after it.
  ///
  /// True for an NPU array (its post-processing lanes, as in SCALE-Sim, the
  /// Edge TPU and Eyeriss) and for FPGA DSP slices (the pooling and
  /// non-linearity units beside each PE, after Qiu and colleagues); false
  /// for CPU, MCU and GPU cores, which spend the cycles themselves.
  public var runsFusedActivationsInShadow: Bool {
    switch self {
    case .vector, .shader: false
    case .array, .dsp: true
    }
  }
}
