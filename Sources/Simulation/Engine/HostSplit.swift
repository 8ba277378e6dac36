import HardwareModel
import Mapping
import NetworkGraph

/// An accelerator's run split at the first layer it does not run: the
/// layers before it on the accelerator, that layer and every one after it
/// on the host processor (``HostPartition``), as the Edge TPU compiler
/// partitions a model (`Documentation/Simulator.md`, "Work on the host").
///
/// The accelerator's part is timed as any run of the device; the tensors
/// that its layers write and the host's layers read leave it as graph
/// outputs do (over the device's backing store: the Edge TPU's USB link).
/// The host's part is timed by the host device's own model (a processor's
/// per-operator runtime model), after the accelerator's part, at the
/// accelerator's operand widths, or at the precision the partition names
/// (``HostPartition/precision``).
enum HostSplit {
  /// The index of the first layer the accelerator does not run.
  ///
  /// `nil` when it runs them all. Activations fused into their producer go
  /// with it and are not checked.
  static func firstHostLayer(
    _ layers: [Layer], partition: HostPartition
  ) -> Int? {
    layers.firstIndex { layer in
      guard layer.fusedInto == nil else { return false }
      return !partition.runs(layer.opType, upscale: upscale(of: layer))
    }
  }

  /// A resize's upscale per spatial axis (output over input elements, the
  /// square root for two spatial axes); 1 for any other layer.
  static func upscale(of layer: Layer) -> Double {
    guard layer.opType == "Resize", let input = layer.inputs.first,
      input.elements > 0
    else { return 1 }
    return (Double(layer.output.elements) / Double(input.elements))
      .squareRoot()
  }

  /// Runs the layers before `index` on `device` and the rest on its host.
  static func run(
    network: Network, device: Device, options: SimulationOptions,
    layers: [Layer], at index: Int, partition: HostPartition,
    trace: inout some TraceSink
  ) throws -> RunSummary {
    let first = layers[index]
    guard let host = partition.hostDevice?.device else {
      throw SimulationFailure(
        reason:
          "\(device.name) does not run \(first.opType) here; its host '\(partition.hostName)' runs it, but was not loaded",
        layer: first.name)
    }
    let onDevice = Array(layers[..<index])
    let onHost = Array(layers[index...])
    let written = Set(onDevice.map(\.output.name))
    let boundary = Set(onHost.flatMap { $0.inputs.map(\.name) })
      .intersection(written)
    var accelerator = try RunEngine(
      network: network, device: device, options: options, only: onDevice,
      extraOutputs: boundary)
    let part = try accelerator.run(trace: &trace)
    var hostOptions = options
    hostOptions.compression = nil
    if let precision = partition.precision {
      hostOptions.precision = .uniform(precision)
    } else if case .native = options.precision,
      let native = device.compute.nativePrecision
    {
      hostOptions.precision = .uniform(native)
    }
    var hostEngine = try RunEngine(
      network: network, device: host, options: hostOptions, only: onHost)
    let hostPart = try hostEngine.run(
      trace: &trace, startingAt: part.totals.latency)
    return merged(part, hostPart, clock: device.clock)
  }

  /// The accelerator's summary with the host's layers appended (labelled
  /// with the host, their cycles in the accelerator's clock) and the
  /// totals of both: times and counts add, the host's memory energy is
  /// listed under its own levels (`<host> <level>`).
  static func merged(_ a: RunSummary, _ h: RunSummary, clock: Double)
    -> RunSummary
  {
    var result = a
    for var layer in h.layers {
      layer.host = h.device
      layer.cycles = Int((layer.seconds * clock).rounded(.up))
      layer.mapping = "host \(h.device); " + layer.mapping
      result.layers.append(layer)
    }
    var totals = a.totals
    let batch = Double(a.batch)
    totals.latency += h.totals.latency
    totals.cycles += h.layers.reduce(0) {
      $0 + Int(($1.seconds * clock).rounded(.up))
    }
    totals.macs += h.totals.macs
    totals.operations += h.totals.operations
    totals.dramBytesRead += h.totals.dramBytesRead
    totals.dramBytesWritten += h.totals.dramBytesWritten
    var energy = a.totals.energy
    let other = h.totals.energy
    energy.mac += other.mac
    energy.operations += other.operations
    energy.staticEnergy += other.staticEnergy
    for (operand, joules) in other.byOperand {
      energy.byOperand[operand, default: 0] += joules
    }
    for level in [other.backingStore] + other.onChip {
      energy.onChip.append(
        LevelEnergy(level: "\(h.device) \(level.level)", joules: level.joules))
    }
    totals.energy = energy
    totals.energyPerInference = energy.total
    let latency = totals.latency
    totals.throughput = latency > 0 ? batch / latency : 0
    totals.averagePower = latency > 0 ? energy.total * batch / latency : 0
    totals.operationsPerSecond =
      latency > 0
      ? (2 * Double(totals.macs) + Double(totals.operations)) / latency : 0
    totals.macUtilization =
      latency > 0 && a.peakMACsPerSecond > 0
      ? min(1, Double(totals.macs) / (a.peakMACsPerSecond * latency)) : 0
    result.totals = totals
    return result
  }
}
