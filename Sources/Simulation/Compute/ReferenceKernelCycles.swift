import HardwareModel
import Mapping

/// The cycles TensorFlow Lite for Microcontrollers' reference int8 kernels
/// spend on a layer on an Arm Cortex-M4, counted from the kernels' loops.
///
/// The reference kernels are plain C loop nests (no CMSIS-NN), so their time
/// is not a fraction of a MAC datapath's peak but the instructions of each
/// loop level times how often it runs. The counts below follow the loops of
/// `tensorflow/lite/kernels/internal/reference/integer_ops/` as of TFLite
/// 2.3 (`conv.h`, `depthwise_conv.h`, `fully_connected.h`, `add.h`,
/// `pooling.h`; `Documentation/Simulator.md`, "Reference kernel cycles",
/// names the copies read), assuming the compiler hoists loop-invariant
/// address arithmetic out of the innermost loop and keeps pointers in
/// registers. Instruction timings are the Cortex-M4 Technical Reference
/// Manual's, recalled, not checked against a stored copy: a load 2 cycles
/// (1 when it follows another load), ALU, `MLA`, `SMULL` and `SMLAL` 1
/// cycle, a taken branch 1 + P with P = 1 assumed. Flash wait states and
/// the compiler's actual schedule are left to the runtime's one fitted
/// factor (`cycle_scale`), which multiplies every count alike.
public enum ReferenceKernelCycles {
  /// `FullyConnected`, per MAC: two `LDRSB` (3), two offset `ADD`s (2),
  /// `MLA` (1), the loop's `SUBS` and taken `BNE` (3).
  static let fullyConnectedMAC = 9.0
  /// `FullyConnected`, per output: bias load and add, requantisation
  /// (`MultiplyByQuantizedMultiplier`: `SMULL`, the nudge, `SMLAL`, the
  /// rounding shift and its remainder test, ~25), output offset, clamp,
  /// store, the output loop.
  static let fullyConnectedOutput = 40.0
  /// `ConvPerChannel`, per MAC of a tap inside the image: two `LDRSB` (3),
  /// input offset `ADD` (1), `MLA` (1), the bounds flag, tested in the
  /// channel loop (2), the loop's `SUBS` and taken `BNE` (3).
  static let convMAC = 10.0
  /// `ConvPerChannel`, per channel of a tap in the padding: the channel
  /// loop still runs (TFLite 2.3 tests the bounds inside it), taking the
  /// skip branch (2) and the loop's counter and branch (3).
  static let convSkippedMAC = 5.0
  /// `ConvPerChannel`, per filter tap of every output: `in_x` and `in_y`
  /// (2), four bounds comparisons (~6), the input and filter `Offset`s'
  /// loop-invariant parts (~6), the tap loop and the channel loop's entry
  /// (~5).
  static let convTap = 19.0
  /// `DepthwiseConvPerChannel`, per tap inside the image: `in_x`, `in_y`
  /// (2), bounds (~6), two 4-D `Offset`s computed per tap (~8), two `LDRSB`
  /// (3), offset `ADD` and `MLA` (2), the tap loop (3).
  static let depthwiseTap = 24.0
  /// `DepthwiseConvPerChannel`, per tap in the padding: `in_x`, `in_y`, the
  /// bounds comparisons up to the failing one and the tap loop.
  static let depthwiseSkippedTap = 11.0
  /// A convolution's per-output epilogue: bias, the per-channel multiplier
  /// and shift loads, requantisation (~25), offset, clamp, the output
  /// `Offset` and store, the output-channel loop.
  static let requantisedOutput = 43.0
  /// `AddElementwise` (int8), per element: two loads, two offsets, two left
  /// shifts, two input rescalings and one output rescaling (each a
  /// `MultiplyByQuantizedMultiplier`, ~22), offset, clamp, store, loop.
  static let addElement = 84.0
  /// Other element-wise kernels (an activation not fused into its
  /// producer), per element: load, one or two ALU operations, store, loop.
  static let elementwiseElement = 10.0
  /// `AveragePool` / `MaxPool` (int8), per window tap: the input `Offset`
  /// (~4), `LDRSB` (2), add or compare (1), count (1), loop (3).
  static let poolTap = 11.0
  /// `AveragePool` / `MaxPool`, per output: the window's clipped bounds
  /// (~10), the rounding division by the tap count (~8), clamp, store,
  /// loop.
  static let poolOutput = 30.0
  /// `Softmax` (int8), per counted operation (three per element: the max,
  /// the fixed-point `exp` and sum, the rescaled `exp`): ~80 cycles.
  static let softmaxOperation = 80.0

  /// The cycles of one layer's reference kernel (0 for a layer that runs
  /// no kernel of its own: fused, a view, a copy).
  public static func cycles(of layer: Layer) -> Double {
    if layer.fusedInto != nil { return 0 }
    let outputs = Double(layer.output.elements)
    switch layer.work {
    case .mac(let nest):
      switch layer.operatorClass {
      case .gemm:
        let rows = Double(nest.groups * nest.batch * nest.outputChannels)
        return rows * Double(nest.inputChannels) * fullyConnectedMAC
          + rows * fullyConnectedOutput
      case .depthwise:
        let (inside, taps) = windowTaps(nest)
        let perTap = Double(nest.groups * nest.batch * nest.outputChannels)
        return inside * perTap * depthwiseTap
          + (taps - inside) * perTap * depthwiseSkippedTap
          + Double(nest.groups * nest.batch * nest.outputChannels)
          * Double(nest.outputRows * nest.outputColumns) * requantisedOutput
      default:
        let (inside, taps) = windowTaps(nest)
        let filters = Double(nest.groups * nest.batch * nest.outputChannels)
        let channels = Double(nest.inputChannels)
        return inside * filters * channels * convMAC
          + (taps - inside) * filters * channels * convSkippedMAC
          + taps * filters * convTap
          + filters * Double(nest.outputRows * nest.outputColumns)
          * requantisedOutput
      }
    case .streaming(let operations):
      let work = Double(operations)
      switch layer.operatorClass {
      case .pool: return work * poolTap + outputs * poolOutput
      case .softmax: return work * softmaxOperation
      case .elementwise where layer.inputs.count > 1:
        return outputs * addElement
      default: return max(work, outputs) * elementwiseElement
      }
    case .view:
      return 0
    }
  }

  /// The filter taps of one output channel: inside the image, and all.
  ///
  /// All of them are `P·Q·R·S`. The padding is TFLite's: the total a window
  /// needs beyond the input, half of it (rounded down) before the first row
  /// or column.
  static func windowTaps(_ nest: LoopNest) -> (inside: Double, all: Double) {
    let rows = inside(
      input: nest.inputRows, outputs: nest.outputRows,
      kernel: nest.kernelRows, stride: nest.strideRows,
      dilation: nest.dilationRows)
    let columns = inside(
      input: nest.inputColumns, outputs: nest.outputColumns,
      kernel: nest.kernelColumns, stride: nest.strideColumns,
      dilation: nest.dilationColumns)
    let all =
      Double(nest.outputRows * nest.kernelRows)
      * Double(nest.outputColumns * nest.kernelColumns)
    return (Double(rows) * Double(columns), all)
  }

  /// Pairs (output position, tap) along one axis whose input position lies
  /// inside the `input` positions.
  static func inside(
    input: Int, outputs: Int, kernel: Int, stride: Int, dilation: Int
  ) -> Int {
    let span = (outputs - 1) * stride + (kernel - 1) * dilation + 1
    let before = max(0, span - input) / 2
    var count = 0
    for tap in 0..<kernel {
      let offset = tap * dilation - before
      // Outputs o with 0 <= o·stride + offset < input.
      let first = offset >= 0 ? 0 : (-offset + stride - 1) / stride
      let limit = input - offset
      guard limit > 0 else { continue }
      let last = min(outputs - 1, (limit - 1) / stride)
      if last >= first { count += last - first + 1 }
    }
    return count
  }
}
