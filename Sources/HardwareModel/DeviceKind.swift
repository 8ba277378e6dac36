/// The family of a device, which decides how its compute is described and
/// modelled.
public enum DeviceKind: String, Sendable, CaseIterable, Hashable {
  /// A mobile or embedded CPU: cores × SIMD pipes, caches as the hierarchy.
  case cpu
  /// A mobile GPU: shader cores × ALUs, on-chip memories.
  case gpu
  /// A neural processing unit built around a systolic (or spatial) array.
  case npu
  /// An FPGA accelerator: DSP slices and BRAM blocks as budgets.
  case fpga
  /// A microcontroller: one or a few cores, SRAM and flash, no DRAM.
  case mcu
}

/// The tensors a layer reads and writes, as the memory hierarchy sees them.
public enum Operand: String, Sendable, CaseIterable, Hashable, Comparable {
  /// Weights and biases (filters).
  case weights
  /// Input activations (ifmap).
  case inputs
  /// Output activations and partial sums (ofmap).
  case outputs

  /// Orders weights, inputs, outputs.
  public static func < (lhs: Operand, rhs: Operand) -> Bool {
    lhs.index < rhs.index
  }

  /// Hashes the case's position rather than its String raw value: operand
  /// dictionaries sit on the simulator's hot paths.
  public func hash(into hasher: inout Hasher) { hasher.combine(index) }

  private var index: Int {
    switch self {
    case .weights: 0
    case .inputs: 1
    case .outputs: 2
    }
  }
}

/// How a systolic array keeps data in its processing elements.
public enum Dataflow: String, Sendable, CaseIterable, Hashable {
  /// Output stationary: each PE accumulates one output.
  case os
  /// Weight stationary: each PE holds one weight.
  case ws
  /// Input stationary: each PE holds one input.
  case `is`
  /// Row stationary (Eyeriss): each PE runs a 1-D convolution of a filter
  /// row over an input row.
  case rs
}
