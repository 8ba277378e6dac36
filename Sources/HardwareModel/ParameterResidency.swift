/// Whether a device keeps a model's parameters (weights) on chip from one
/// inference to the next, and where.
///
/// Read from a hardware description's `parameters:` key
/// (`Documentation/HardwareYAML.md`). The Edge TPU is the example: its
/// compiler places as many of a model's parameters as fit in the on-chip
/// SRAM, where they stay across inferences; the rest stream from the host
/// on every inference. A device without this declaration fetches its
/// parameters from the backing store on every inference (its weights'
/// home), which is what a CPU, GPU or FPGA design with DRAM-resident
/// weights does.
public struct ParameterResidency: Hashable, Sendable {
  /// The name of the on-chip memory level that keeps the parameters.
  public var level: String
  /// Bytes of that level reserved for parameters; `nil`: the whole level.
  ///
  /// Either way the parameters leave room beside them for the largest
  /// layer's input and output (activations share the level).
  public var capacity: Double?

  /// Creates a declaration.
  public init(level: String, capacity: Double? = nil) {
    self.level = level
    self.capacity = capacity
  }
}
