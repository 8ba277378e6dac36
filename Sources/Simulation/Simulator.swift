import HardwareModel
import Mapping
import NetworkGraph
import PrecisionModel

/// The cycle-approximate simulator: a network on a device, layer by layer.
///
/// For each layer (in topological order) it maps the loop nest onto the
/// device (``TileSearch`` over tilings that fit the staging level, six loop
/// orders, the spatial unrolling of the compute model), times the chosen
/// mapping with a three-engine timeline (DMA-in, compute, DMA-out, double
/// buffered where the level allows), counts every level's reads and writes
/// per operand and prices them (``EnergyModel``). Activations stay on chip
/// between layers when they fit (`keepOutputsOnChip`); otherwise they go to
/// the backing store and come back. Layers run one after another.
///
/// ```swift
/// var sink = RecordingTraceSink()
/// switch Simulator.run(network, on: device, options: SimulationOptions(), trace: &sink) {
/// case .completed(let summary): print(summary.totals.latency)
/// case .infeasible(let reason, let layer): print(layer ?? "-", reason)
/// }
/// ```
///
/// The core is pure: no I/O, clock or randomness; the same inputs give the
/// same outputs and trace.
public enum Simulator {
  /// Simulates `network` on `device`, sending trace events to `trace`.
  ///
  /// A device that names a host (``Device/host``) runs the layers before
  /// the first one it does not run; the host runs that one and the rest
  /// (``HostSplit``).
  ///
  /// - Parameters:
  ///   - network: The network (shapes must infer).
  ///   - device: A validated device.
  ///   - options: Precision, batch and residency choices.
  ///   - shapes: `network.inferShapes()`, when the caller has it already
  ///     (a model loader infers them once); `nil` infers them again.
  ///   - trace: Receives per-tile-group events of every layer.
  /// - Returns: The summary, or why the run is infeasible.
  /// - Complexity: per MAC layer, a few thousand candidate tilings at most,
  ///   each timed only when its lower bound could beat the best so far.
  public static func run(
    _ network: Network, on device: Device,
    options: SimulationOptions = SimulationOptions(),
    shapes: InferredShapes? = nil,
    trace: inout some TraceSink
  ) -> SimulationOutcome {
    do {
      var engine = try RunEngine(
        network: network, device: device, options: options, shapes: shapes)
      if let partition = device.host,
        let index = HostSplit.firstHostLayer(
          engine.layers, partition: partition)
      {
        return .completed(
          try HostSplit.run(
            network: network, device: device, options: options,
            layers: engine.layers, at: index, partition: partition,
            trace: &trace))
      }
      return .completed(try engine.run(trace: &trace))
    } catch let failure as SimulationFailure {
      return .infeasible(reason: failure.reason, layer: failure.layer)
    } catch {
      return .infeasible(reason: "\(error)", layer: nil)
    }
  }

  /// Simulates without a trace.
  public static func run(
    _ network: Network, on device: Device,
    options: SimulationOptions = SimulationOptions()
  ) -> SimulationOutcome {
    var sink = NullTraceSink()
    return run(network, on: device, options: options, trace: &sink)
  }

  /// The widths a layer runs at under a precision choice, or `nil` when the
  /// device has no native precision.
  public static func widths(
    for layer: String, choice: PrecisionChoice, device: Device
  ) -> LayerWidths? {
    switch choice {
    case .native:
      device.compute.nativePrecision.map { LayerWidths(precision: $0) }
    case .uniform(let precision): LayerWidths(precision: precision)
    case .perLayer(let fallback, let layers): layers[layer] ?? fallback
    }
  }
}
