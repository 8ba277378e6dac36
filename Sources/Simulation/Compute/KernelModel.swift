import HardwareModel
import Mapping
import NetworkGraph
import PrecisionModel

/// What one layer asks of a processor runtime's kernel, before the runtime's
/// fitted figures (``RuntimeModel``) turn it into time.
///
/// Everything here depends on the layer, its widths and the device's fixed
/// figures only, so a calibration computes it once per measured network and
/// evaluates ``KernelModel/seconds(_:runtime:)`` for every trial of the fit.
public struct KernelWork: Hashable, Sendable {
  /// The kernel class a runtime picks by the layer's shape.
  public enum Kind: String, Hashable, Sendable {
    /// Dense convolution or matrix product (k×k, 1×1, GEMV).
    case dense
    /// Depthwise convolution.
    case depthwise
    /// Element-wise, activation, pooling or softmax: memory-bound streaming.
    case streaming
    /// A concatenation or transpose: a copy.
    case copy
    /// An element-wise operation a GPU delegate runs inside the kernel
    /// before it: memory traffic, no dispatch of its own.
    case linked
    /// Fused into its producer, or a view that moves nothing: no kernel.
    case free
  }

  /// The loop a dense kernel runs, by the layer's shape: runtimes give
  /// each its own kernel (TFLite's CPU kernels skip im2col for a 1×1
  /// convolution; TFLite Micro's and CMSIS-NN's fully-connected kernels
  /// run one dot product per output, without a window; the GPU delegate
  /// picks Winograd or a direct convolution for a k×k one).
  public enum Shape: String, Hashable, Sendable {
    /// A k×k convolution (a kernel window larger than one element).
    case window
    /// A 1×1 convolution.
    case pointwise
    /// A fully connected layer or matrix product.
    case matrix
  }

  /// The kernel class.
  public var kind: Kind
  /// The dense kernel's loop (``Kind/dense`` only; ``Shape/window``
  /// otherwise).
  public var shape: Shape = .window
  /// MACs (dense, depthwise) or element operations (streaming).
  public var work: Double
  /// Work per second of one unit (core or shader core) at the layer's widths.
  public var unitRate: Double
  /// Units (cores, shader cores) the device has.
  public var units: Int
  /// Bytes the kernel reads and writes while it computes (overlaps the
  /// arithmetic).
  public var bytes: Double
  /// Bytes moved before the arithmetic can start: the im2col buffer of a
  /// k×k convolution on a CPU, written and read again.
  public var serialBytes: Double
  /// Bytes per second of the memory level the layer's working set fits in.
  public var bandwidth: Double
  /// Index of that level in the device's memory list (the level of the
  /// weights when their traffic takes longer than the rest).
  public var level: Int
  /// The part of ``bytes`` that is weights streamed from a slower level
  /// than the working set's: the network's weights do not all fit where
  /// the layer's working set does, so every inference (every decoded token)
  /// fetches them again from their home (``weightHome(bytes:on:)``); 0 when
  /// they come from the working set's level.
  public var weightBytes: Double = 0
  /// Bytes per second of the weights' home.
  public var weightBandwidth: Double = .infinity
  /// The weight bytes a dense kernel packs on every call before its GEMM
  /// (``HardwareModel/RuntimeParameter/weightPacking``); 0 for other
  /// kernels.
  public var packedBytes: Double = 0
  /// The output elements a dense kernel writes, each paying the runtime's
  /// `output_cost` (``HardwareModel/RuntimeParameter/outputCost``); 0 for
  /// other kernels.
  public var outputElements: Double = 0
  /// The cycles TensorFlow Lite Micro's reference kernel counts for the
  /// layer on a Cortex-M4 (``ReferenceKernelCycles``); counted only for a
  /// runtime that declares `cycle_scale`, else 0.
  public var referenceCycles: Double = 0
  /// The device's clock, hertz (for ``referenceCycles``).
  public var clock: Double = 0
}

/// The time a layer takes on a processor under its runtime: the
/// per-operator execution model of `Documentation/Simulator.md`.
///
/// `seconds = dispatch + thread_dispatch · (u − 1) + wake + packedBytes / P +
/// max(work / (unitRate · u · e) + outputs · c / u, bytes / (B · m)) +
/// serialBytes / (B · m)`, `c` a dense kernel's `output_cost` per output,
/// where `P` is the rate of the per-call weight packing pass
/// (`weight_packing`, no pass when not declared; where declared, a packing
/// kernel's `bytes` are its activations only), `e` is the
/// kernel class's fraction of peak (`dense` for a k×k convolution,
/// `pointwise` for a 1×1 one, `fully_connected` for a matrix product, each
/// `dense` when not declared; `depthwise`; streaming and copies compute at
/// peak), `m` the
/// memory fraction, `B` the bandwidth of the innermost level whose capacity
/// (over its instances) holds the working set, and `u = min(units,
/// max(1, work / parallel_grain))` the units a layer of that size keeps busy.
/// `wake` is `thread_wake` for a kernel that splits over several units
/// after the thread pool's workers have idled longer than `spin_window`
/// (``time(_:runtime:pool:)``), else 0.
/// Fused activations and views other than Concat and Transpose take no time
/// and no dispatch (the runtimes fuse or elide them). A runtime that declares
/// `cycle_scale` times dense, depthwise and streaming kernels by their
/// counted reference-kernel cycles instead: `cycles · cycle_scale / (clock ·
/// u)` (``ReferenceKernelCycles``) replaces the arithmetic term.
public enum KernelModel {
  /// Why a network's kernel work cannot be listed on a device.
  public struct Failure: Error, Hashable, Sendable {
    /// The reason, as `simulate` words it.
    public var reason: String
    /// The layer, when one layer is the cause.
    public var layer: String?
  }

  /// The kernel work of every layer of a network on a device.
  ///
  /// - Returns: The layers' work in execution order, or why the network
  ///   cannot run (the reasons ``Simulator/run(_:on:options:)`` gives, and
  ///   a network whose tail the device leaves to its host).
  public static func works(
    _ network: Network, on device: Device, options: SimulationOptions
  ) -> Result<[KernelWork], Failure> {
    let layers: [Layer]
    do {
      layers = try LayerExtraction.layers(of: network, batch: options.batch)
    } catch {
      return .failure(
        Failure(reason: "the network cannot be simulated: \(error)"))
    }
    // The kernels below are the device's own; a network whose tail runs on
    // a host (``HostSplit``) is not timed by them alone.
    if let partition = device.host,
      let index = HostSplit.firstHostLayer(layers, partition: partition)
    {
      let first = layers[index]
      return .failure(
        Failure(
          reason:
            "\(device.name) leaves \(first.opType) and every later layer to its host '\(partition.hostName)'; its runtime is fitted only to networks it runs whole",
          layer: first.name))
    }
    var result: [KernelWork] = []
    result.reserveCapacity(layers.count)
    var allWidths: [LayerWidths] = []
    var weightBytes = 0.0
    for layer in layers {
      guard
        let widths = Simulator.widths(
          for: layer.name, choice: options.precision, device: device)
      else {
        return .failure(
          Failure(reason: "\(device.name) lists no precision to run natively"))
      }
      allWidths.append(widths)
      weightBytes +=
        Double(layer.weightElements) * Double(widths.weightBits) / 8
    }
    let home = weightHome(bytes: weightBytes, on: device)
    for (layer, widths) in zip(layers, allWidths) {
      switch ExecutionRate.resolve(widths, on: device) {
      case .success(let rate):
        result.append(
          work(
            of: layer, widths: widths, rate: rate, on: device,
            weightHome: home))
      case .failure(let failure):
        return .failure(Failure(reason: failure.reason, layer: layer.name))
      }
    }
    return .success(result)
  }

  /// How many layers of a network an accelerator's runtime issues.
  ///
  /// The count (``AcceleratorIssue``) is what its fixed per-layer time
  /// multiplies. Layers the device leaves to its host (``HostSplit``) are
  /// not issued.
  public static func dispatchedLayers(
    _ network: Network, on device: Device, options: SimulationOptions
  ) -> Result<Int, Failure> {
    do {
      var layers = try LayerExtraction.layers(
        of: network, batch: options.batch)
      if let partition = device.host,
        let index = HostSplit.firstHostLayer(layers, partition: partition)
      {
        layers = Array(layers[..<index])
      }
      return .success(AcceleratorIssue.issued(layers).count(where: { $0 }))
    } catch {
      return .failure(
        Failure(reason: "the network cannot be simulated: \(error)"))
    }
  }

  /// Where a network's weights live between their uses.
  ///
  /// It is the innermost level whose capacity holds all of them (`bytes`),
  /// with its bandwidth. A runtime runs the layers in turn, so a layer's weights stay in a
  /// cache from one inference (or decoded token) to the next only when the
  /// whole network's do.
  static func weightHome(bytes: Double, on device: Device) -> (
    level: Int, bandwidth: Double
  ) {
    let (level, bandwidth) = level(holding: bytes, on: device)
    return (level, bandwidth)
  }

  /// One layer's kernel work; its weights come from `weightHome` when that
  /// level is outside the one that holds the layer's working set.
  static func work(
    of layer: Layer, widths: LayerWidths, rate: ExecutionRate,
    on device: Device, weightHome: (level: Int, bandwidth: Double)? = nil
  ) -> KernelWork {
    let units = max(1, device.compute.organisation.units)
    let unitRate = max(rate.macsPerUnitPerCycle, 1e-9) * device.clock
    let inBytes = Double(widths.inputBits) / 8
    let outBytes = Double(widths.outputBits) / 8
    let inputBytes = layer.inputs.reduce(0.0) {
      $0 + Double($1.elements) * inBytes
    }
    let outputBytes = Double(layer.output.elements) * outBytes
    var kind = KernelWork.Kind.free
    var shape = KernelWork.Shape.window
    var work = 0.0
    var bytes = 0.0
    var serial = 0.0
    switch layer.work {
    case .mac(let nest):
      kind = layer.operatorClass == .depthwise ? .depthwise : .dense
      shape =
        layer.operatorClass == .gemm
        ? .matrix
        : nest.kernelRows * nest.kernelColumns == 1 ? .pointwise : .window
      work = Double(nest.macs ?? Int.max)
      bytes =
        inputBytes + outputBytes
        + Double(layer.weightElements) * Double(widths.weightBits) / 8
      // im2col: TFLite's CPU kernels lower a k×k dense convolution to a
      // GEMM over a patch matrix (N·G·P·Q rows × C·R·S), written then read.
      // A 1×1 convolution is a GEMM on its input as it is; a GPU delegate
      // and TFLite Micro's reference kernels convolve directly.
      if kind == .dense, nest.kernelRows * nest.kernelColumns > 1,
        device.kind == .cpu
      {
        let patches =
          Double(nest.batch) * Double(nest.groups) * Double(nest.outputRows)
          * Double(nest.outputColumns) * Double(nest.inputChannels)
          * Double(nest.kernelRows * nest.kernelColumns)
        serial = 2 * patches * inBytes
      }
    case .streaming(let operations):
      if layer.fusedInto == nil {
        kind = .streaming
        work = Double(operations)
        bytes = inputBytes + outputBytes
        // A GPU delegate links two-input element-wise operations (a
        // residual Add) into the kernel of the operation before them (TFLite GPU's
        // `MergeOperations` of linkable operations): no launch of their own,
        // and only their other inputs are read.
        if case .shader = device.compute.organisation,
          layer.operatorClass == .elementwise, layer.inputs.count > 1
        {
          kind = .linked
          bytes = max(0, inputBytes - outputBytes)
        }
      }
    case .view:
      if layer.fusedInto == nil, ["Concat", "Transpose"].contains(layer.opType)
      {
        kind = .copy
        bytes = 2 * outputBytes
      }
    }
    let (level, bandwidth) = level(holding: bytes + serial / 2, on: device)
    var result = KernelWork(
      kind: kind, work: work, unitRate: unitRate, units: units, bytes: bytes,
      serialBytes: serial, bandwidth: bandwidth, level: level)
    if kind == .dense {
      result.shape = shape
      result.packedBytes =
        Double(layer.weightElements) * Double(widths.weightBits) / 8
      result.outputElements = Double(layer.output.elements)
    }
    if device.runtime?.cycleScale != nil,
      [.dense, .depthwise, .streaming].contains(kind)
    {
      result.referenceCycles = ReferenceKernelCycles.cycles(of: layer)
      result.clock = device.clock
    }
    let weights =
      kind == .dense || kind == .depthwise
      ? Double(layer.weightElements) * Double(widths.weightBits) / 8 : 0
    // Levels are listed outermost first: a home before the working set's
    // level is slower and further out.
    if let home = weightHome, home.level < level, weights > 0 {
      result.weightBytes = weights
      result.weightBandwidth = home.bandwidth
      if weights / home.bandwidth > (bytes - weights) / bandwidth {
        result.level = home.level
      }
    }
    return result
  }

  /// The innermost level whose capacity over its instances holds `bytes`,
  /// and its read bandwidth over its instances; the backing store when none
  /// does.
  static func level(holding bytes: Double, on device: Device) -> (Int, Double) {
    for index in device.memory.indices.reversed()
    where index != device.backingStoreIndex {
      let level = device.memory[index]
      if let capacity = level.totalBytes, capacity >= bytes {
        return (index, level.readBandwidth * Double(max(1, level.instances)))
      }
    }
    let store = device.backingStore
    return (
      device.backingStoreIndex,
      store.readBandwidth * Double(max(1, store.instances))
    )
  }

  /// A layer's time split into its parts, seconds.
  public struct Time: Hashable, Sendable {
    /// The runtime's cost of running the operator: its fixed dispatch and
    /// the wake-up of every unit it uses beyond the first.
    public var dispatch: Double
    /// The arithmetic at the kernel class's rate on the units it keeps busy.
    public var compute: Double
    /// The kernel's memory traffic at the memory fraction of the level's
    /// bandwidth (overlapped traffic and serial im2col traffic added).
    public var memory: Double
    /// The part of ``memory`` that overlaps the arithmetic.
    var overlapped: Double
    /// The per-call pass that packs a dense kernel's weights before its
    /// arithmetic starts.
    public var packing: Double = 0
    /// The units (cores) the kernel keeps busy.
    public var units: Double = 1
    /// Waking the thread pool's sleeping workers before the kernel can
    /// split over them (``KernelModel/time(_:runtime:pool:)``); 0 when
    /// they are still spinning or the kernel runs on one thread.
    public var wake: Double = 0

    /// The layer's time: dispatch, waking the workers, the weight packing
    /// pass, then the slower of arithmetic and overlapped traffic, then the
    /// serial traffic.
    public var total: Double {
      dispatch + wake + packing + max(compute, overlapped)
        + (memory - overlapped)
    }
  }

  /// The time of one layer's kernel under a runtime.
  public static func time(_ w: KernelWork, runtime: RuntimeModel) -> Time {
    if w.kind == .free {
      return Time(dispatch: 0, compute: 0, memory: 0, overlapped: 0)
    }
    let efficiency: Double
    switch w.kind {
    case .dense:
      switch w.shape {
      case .window: efficiency = runtime.dense
      case .pointwise: efficiency = runtime.pointwise
      case .matrix: efficiency = runtime.fullyConnected
      }
    case .depthwise: efficiency = runtime.depthwise
    case .streaming, .copy, .linked, .free: efficiency = 1
    }
    let grain = runtime.parallelGrain
    let units = Double(w.units)
    let used = grain > 0 ? min(units, max(1, w.work / grain)) : units
    var compute =
      w.work / (w.unitRate * used * efficiency)
      + w.outputElements * runtime.outputCostSeconds / used
    if let scale = runtime.cycleScale, w.referenceCycles > 0, w.clock > 0 {
      // TFLite Micro's reference kernels: their counted cycles, scaled.
      compute = w.referenceCycles * scale / (w.clock * used)
    }
    let rate = w.bandwidth * runtime.memory
    let packingRate = runtime.weightPackingRate
    if w.packedBytes > 0, packingRate.isFinite {
      // The packing pass reads the weights from wherever they live and
      // leaves them packed in the core's caches: the GEMM's own traffic is
      // its activations only.
      let activations = max(0, w.bytes - w.packedBytes)
      let overlapped = rate.isFinite && rate > 0 ? activations / rate : 0
      let serial = rate.isFinite && rate > 0 ? w.serialBytes / rate : 0
      return Time(
        dispatch: runtime.dispatchSeconds + runtime.threadDispatchSeconds
          * (used - 1),
        compute: compute, memory: overlapped + serial, overlapped: overlapped,
        packing: w.packedBytes / packingRate, units: used)
    }
    var overlapped = rate.isFinite && rate > 0 ? w.bytes / rate : 0
    if w.weightBytes > 0 {
      let weightRate = w.weightBandwidth * runtime.memory
      overlapped =
        (rate.isFinite && rate > 0 ? (w.bytes - w.weightBytes) / rate : 0)
        + (weightRate.isFinite && weightRate > 0
          ? w.weightBytes / weightRate : 0)
    }
    let serial = rate.isFinite && rate > 0 ? w.serialBytes / rate : 0
    return Time(
      dispatch: w.kind == .linked
        ? 0
        : runtime.dispatchSeconds + runtime.threadDispatchSeconds * (used - 1),
      compute: compute,
      memory: overlapped + serial, overlapped: overlapped, units: used)
  }

  /// The time of one layer's kernel under a runtime, seconds.
  public static func seconds(_ w: KernelWork, runtime: RuntimeModel) -> Double {
    time(w, runtime: runtime).total
  }
}
