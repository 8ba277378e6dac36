/// The figures of a processor's inference runtime that a per-operator
/// execution model needs (`runtime:` in a device file).
///
/// A CPU, GPU or microcontroller does not run a network as one loop nest: a
/// runtime (TFLite's CPU kernels, its GPU delegate, TFLite Micro's reference
/// kernels) dispatches one kernel per operator, and each kernel class reaches
/// its own share of the datapath's peak. The parameters below are the ones
/// the kernel model (`Documentation/Simulator.md`, "Per-operator execution
/// model") reads; each is fitted by `edgesim calibrate` and names what it
/// was fitted to. A parameter the file leaves out is not modelled (no
/// dispatch cost, every kernel at the modelled rate, perfect scaling).
public enum RuntimeParameter: String, Sendable, CaseIterable, Hashable {
  /// Fixed time per executed operator (interpreter dispatch, GPU kernel
  /// launch), seconds.
  case dispatch
  /// Fraction of the peak MAC rate that dense kernels sustain: k×k
  /// convolutions (im2col + GEMM on a CPU, direct or Winograd convolution
  /// on a GPU, the windowed loop nest of TFLite Micro's kernels), and 1×1
  /// convolutions and matrix products where `pointwise` and
  /// `fully_connected` are not declared.
  case dense
  /// Fraction of the peak MAC rate that 1×1 convolutions sustain: a GEMM on
  /// the input as it lies (no im2col, no window bounds checks). Falls back
  /// to `dense`.
  case pointwise
  /// Fraction of the peak MAC rate that fully connected layers and matrix
  /// products sustain (TFLite Micro's and CMSIS-NN's fully-connected
  /// kernels run one dot product per output, without a window). Falls back
  /// to `dense`.
  case fullyConnected = "fully_connected"
  /// Fraction of the peak MAC rate that depthwise kernels sustain.
  case depthwise
  /// Fraction of a memory level's bandwidth that memory-bound kernels
  /// (element-wise, pooling, Concat, Pad, im2col, GEMV weights) sustain.
  case memory
  /// MACs (or element operations) one core or shader core needs in a layer
  /// for it to be worth using: a layer uses `min(units, work / grain)` units,
  /// at least one (thread scaling on CPU cores, occupancy on GPU cores).
  case parallelGrain = "parallel_grain"
  /// Time per operator for every unit it keeps busy beyond the first,
  /// seconds: waking and joining the worker threads of a CPU thread pool.
  /// An operator too small to split (`parallel_grain`) runs on one thread
  /// and pays none of it.
  case threadDispatch = "thread_dispatch"
  /// Bytes per second at which a dense kernel rearranges its weights on
  /// every call, before its GEMM starts: TFLite's 2018 CPU kernels ran
  /// gemmlowp (uint8) and Eigen (float) GEMMs, which pack the weight
  /// operand into cache-friendly panels on each call rather than once at
  /// load (ruy's cached prepacking came later). The pass reads and writes
  /// every weight byte of every convolution and fully connected layer, so
  /// it grows with the network's width (its weights), not its operator
  /// count or its pixels. The pass reads the weights from their home, so
  /// a kernel that packs streams only its activations while it computes.
  /// Not declared: no packing pass.
  case weightPacking = "weight_packing"
  /// Time to wake a thread pool's sleeping workers, seconds: charged once to
  /// an operator that splits over several cores when the workers have idled
  /// longer than `spin_window` since the last operator that used them.
  /// gemmlowp's workers (TFLite's 8-bit GEMMs) busy-wait for
  /// `kMaxBusyWaitNOPs` = 4,000,000 NOPs after a GEMM and then sleep on a
  /// condition variable, and its source notes that a core left idle "might
  /// [be] aggressively clock[ed] down or even turn[ed] off", "a long delay
  /// the next time these need to be turned back on"
  /// (`internal/multi_thread_gemm.h`); Eigen's and ruy's pools spin, then
  /// sleep, the same way. Work the runtime runs on the calling thread
  /// (element-wise, pooling, Concat) is time the workers idle. Not declared:
  /// no wake-up cost.
  case threadWake = "thread_wake"
  /// How long a thread pool's workers busy-wait after the last operator
  /// that used them before they sleep, seconds (`thread_wake`). gemmlowp's
  /// 4,000,000 NOPs are about 0.5–1.6 ms on a 2.5 GHz core retiring one to
  /// three NOPs a cycle; Eigen's pool spins for far less. Not declared: 0
  /// (any idle time puts the workers to sleep).
  case spinWindow = "spin_window"
  /// Time a dense kernel spends on each output element besides its MACs,
  /// seconds per element on one core: the GEMM's output stage (gemmlowp's
  /// unpack, offset correction, requantisation to 8 bits and clamp; Eigen's
  /// bias and activation), run once per output whatever the depth of the
  /// dot product behind it. It makes a narrow layer (few input channels
  /// per output) slower per MAC than a wide one. Not declared: 0.
  case outputCost = "output_cost"
  /// Time per counted cycle of TensorFlow Lite for Microcontrollers'
  /// reference kernels, in clock periods: where declared, convolutions,
  /// depthwise convolutions, fully connected layers, element-wise, pooling
  /// and softmax kernels take the cycles their loops count on a Cortex-M4
  /// (`ReferenceKernelCycles`) times this factor, instead of their MACs at
  /// a fraction of the peak (`dense`, `pointwise`, `fully_connected` and
  /// `depthwise` are then not used, and may not be declared). One factor
  /// for every kernel: it stands for the compiler's schedule against the
  /// count and for the flash's wait states. Not declared: the fractions.
  case cycleScale = "cycle_scale"

  /// Whether the parameter is a time (written in a device file with a unit,
  /// `8 us`), not a fraction or a count.
  public var isTime: Bool {
    switch self {
    case .dispatch, .threadDispatch, .threadWake, .spinWindow, .outputCost:
      true
    default: false
    }
  }

  /// Whether the parameter is a rate in bytes per second (written in a
  /// device file with a unit, `5 GB/s`).
  public var isBandwidth: Bool { self == .weightPacking }

  /// The parameter a class fraction stands in for when the file does not
  /// declare it, and that a fit draws it toward when the measurements say
  /// little about it (`pointwise` and `fully_connected` toward `dense`).
  public var fallback: RuntimeParameter? {
    switch self {
    case .pointwise, .fullyConnected: .dense
    default: nil
    }
  }

  /// The values a parameter may take, in its unit (seconds, a fraction,
  /// MACs): the physical range that a fit is bounded to.
  public var range: ClosedRange<Double> {
    switch self {
    case .dispatch, .threadDispatch, .threadWake: 1e-8...1e-2
    case .spinWindow: 1e-8...1e-1
    case .outputCost: 1e-13...1e-6
    case .dense, .pointwise, .fullyConnected, .depthwise, .memory: 1e-4...1
    case .parallelGrain: 1...1e10
    case .weightPacking: 1e7...1e13
    case .cycleScale: 0.01...100
    }
  }
}

/// A processor runtime's fitted figures, each with its provenance.
///
/// On a processor (vector or shader cores: cpu, gpu, mcu) the model times
/// every operator. On an accelerator (a MAC array or DSP slices: npu,
/// fpga) the array's own model times the arithmetic and
/// the data movement, and the runtime adds only ``dispatchSeconds`` to every
/// layer it executes: the fixed per-layer cost of issuing the layer (the
/// Edge TPU's per-layer instruction and setup time); `dispatch` is then the
/// only figure such a block may declare.
public struct RuntimeModel: Hashable, Sendable {
  /// The parameters the device file declares.
  public var parameters: [RuntimeParameter: CalibrationFactor]

  /// Creates the model.
  public init(parameters: [RuntimeParameter: CalibrationFactor] = [:]) {
    self.parameters = parameters
  }

  /// Seconds per executed operator (0 when not declared).
  public var dispatchSeconds: Double { parameters[.dispatch]?.value ?? 0 }
  /// Dense kernels' fraction of the peak MAC rate (1 when not declared).
  public var dense: Double { parameters[.dense]?.value ?? 1 }
  /// 1×1 convolutions' fraction of the peak MAC rate (``dense`` when not
  /// declared).
  public var pointwise: Double { parameters[.pointwise]?.value ?? dense }
  /// Fully connected layers' and matrix products' fraction of the peak MAC
  /// rate (``dense`` when not declared).
  public var fullyConnected: Double {
    parameters[.fullyConnected]?.value ?? dense
  }
  /// Seconds per operator per unit it uses beyond the first (0 when not
  /// declared).
  public var threadDispatchSeconds: Double {
    parameters[.threadDispatch]?.value ?? 0
  }
  /// Seconds to wake a thread pool's sleeping workers (0 when not
  /// declared).
  public var threadWakeSeconds: Double {
    parameters[.threadWake]?.value ?? 0
  }
  /// Seconds a thread pool's workers busy-wait before they sleep (0 when
  /// not declared).
  public var spinWindowSeconds: Double {
    parameters[.spinWindow]?.value ?? 0
  }
  /// Seconds per output element of a dense kernel on one core (0 when not
  /// declared).
  public var outputCostSeconds: Double {
    parameters[.outputCost]?.value ?? 0
  }
  /// Bytes per second of the per-call weight packing pass of dense kernels
  /// (infinite when not declared: no pass).
  public var weightPackingRate: Double {
    parameters[.weightPacking]?.value ?? .infinity
  }
  /// Clock periods per counted reference-kernel cycle (`nil` when not
  /// declared: kernels are timed by their class fractions).
  public var cycleScale: Double? { parameters[.cycleScale]?.value }
  /// Depthwise kernels' fraction of the peak MAC rate (1 when not declared).
  public var depthwise: Double { parameters[.depthwise]?.value ?? 1 }
  /// Memory-bound kernels' fraction of bandwidth (1 when not declared).
  public var memory: Double { parameters[.memory]?.value ?? 1 }
  /// Work per unit below which units are left idle (0: perfect scaling).
  public var parallelGrain: Double { parameters[.parallelGrain]?.value ?? 0 }

  /// Whether the runtime times every operator of a device with this
  /// compute organisation (a processor: vector cores or shader cores)
  /// rather than adding a fixed time per layer to an array's own model of
  /// time (an accelerator: a MAC array or DSP slices), where `dispatch` is
  /// the only figure it may declare.
  public static func timesOperators(
    on organisation: ComputeOrganisation
  ) -> Bool {
    switch organisation {
    case .vector, .shader: true
    case .array, .dsp: false
    }
  }
}
