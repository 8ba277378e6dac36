/// How formats are chosen (FIXED_POINT.md §8).
public enum CalibrationMethod: String, Hashable, Sendable, CaseIterable {
  /// Qiu et al. (FPGA '16): weight phase per layer (L1 or L2), then the
  /// greedy data phase in forward order on the calibration set.
  case qiu
  /// Ristretto's integer-length rule (`ilRule`): IL = ceil(log2 M) + 1 for
  /// weights, ceil(log2 M) for activations; fl = B − IL.
  case ristretto
  /// One fl for every tensor of the network (Qiu's "static precision"),
  /// chosen by the same error objective summed over the whole network.
  case `static`
}
