import HardwareModel
import Mapping
import NetworkGraph
import PrecisionModel

/// The state of one run: residency of activations between layers.
struct RunEngine {
  let network: Network
  let device: Device
  let options: SimulationOptions
  let plan: HierarchyPlan
  let layers: [Layer]
  /// The layers an accelerator's runtime issues (``AcceleratorIssue``),
  /// each paying its fixed per-layer time.
  let issuedLayers: Set<String>
  var resident: [String: Double] = [:]
  var remainingReaders: [String: Int] = [:]
  var graphOutputs: Set<String> = []
  /// The layers whose weights are on chip when the run starts (kept there
  /// across inferences), by name.
  var residentWeights: Set<String> = []
  /// Parameter bits kept on chip across inferences, and of the whole model.
  var parameterBits = (resident: 0.0, total: 0.0)
  var permanentReserved = 0.0
  /// Evaluations of MAC layers already mapped in this run.
  var macEvaluations: [MACEvaluationKey: LayerEvaluation] = [:]
  /// The layers that write each activation tensor (a fused activation or a
  /// view writes its producer's tensor), last first: the names a tensor's
  /// run-length density is looked up by.
  var tensorWriters: [String: [String]] = [:]
  /// The names of the tensors those writers produce before aliasing (a
  /// fused ReLU's own output), last first.
  var tensorSources: [String: [String]] = [:]
  /// Buffers of the mapping search, kept from layer to layer.
  var mappingScratch = MappingScratch()
  /// The processor runtime's thread pool between kernels (its workers'
  /// idle time, ``KernelModel/PoolState``).
  var pool = KernelModel.PoolState()
  /// The worker searching MAC layers' mappings ahead of the run, when the
  /// options ask for one (``SimulationOptions/searchesAhead``).
  var searchAhead: SearchAhead?

  /// Prepares a run of `network`, or of `only` its layers (a part of the
  /// layer list, ``HostSplit``) with `extraOutputs` read by layers outside
  /// the part (they leave the device as graph outputs do).
  init(
    network: Network, device: Device, options: SimulationOptions,
    shapes: InferredShapes? = nil,
    only part: [Layer]? = nil, extraOutputs: Set<String> = []
  ) throws {
    self.network = network
    self.device = device
    self.options = options
    self.plan = HierarchyPlan(device: device)
    guard !device.memory.isEmpty else {
      throw SimulationFailure(reason: "\(device.name) has no memory levels")
    }
    do {
      self.layers =
        try part
        ?? LayerExtraction.layers(
          of: network, batch: options.batch, shapes: shapes)
    } catch {
      throw SimulationFailure(
        reason: "the network cannot be simulated: \(error)")
    }
    self.issuedLayers = AcceleratorIssue.issuedNames(layers)
    let outputs = Set(network.outputs)
    for layer in layers where outputs.contains(layer.producedTensor) {
      graphOutputs.insert(layer.output.name)
    }
    graphOutputs.formUnion(outputs)
    graphOutputs.formUnion(extraOutputs)
    for layer in layers.reversed() {
      tensorWriters[layer.output.name, default: []].append(layer.name)
      tensorSources[layer.output.name, default: []].append(
        layer.producedTensor)
    }
    for layer in layers where layer.fusedInto == nil {
      for input in layer.inputs {
        remainingReaders[input.name, default: 0] += 1
      }
    }
  }

  var reservedBits: Double { permanentReserved + resident.values.reduce(0, +) }

  mutating func run(
    trace: inout some TraceSink, startingAt start: Double = 0
  ) throws -> RunSummary {
    let firstWidths =
      try layers.first.map { try widths(of: $0) } ?? widths(of: "")
    // Graph inputs whose home is on chip start there.
    if plan.homeOnChip[.inputs] == true {
      for input in network.inputs {
        let elements =
          Double((try? input.shape().elementCount) ?? 0) * Double(options.batch)
        try keep(
          input.name, bits: elements * Double(firstWidths.inputBits), layer: nil
        )
      }
    }
    try placeParameters()
    if options.searchesAhead {
      let walk = self
      searchAhead = SearchAhead.start(
        { walk.predictedSearches() },
        evaluator: MACLayerEvaluator(plan: plan, options: options))
    }
    defer { searchAhead?.stop() }

    var results: [LayerResult] = []
    var clock = start
    var peakMACsPerSecond = 0.0
    for layer in layers {
      let result = try simulate(layer, start: clock, trace: &trace)
      if result.roofline.peakOperationsPerSecond > 0, result.macs > 0,
        peakMACsPerSecond == 0
      {
        peakMACsPerSecond = result.roofline.peakOperationsPerSecond / 2
      }
      clock += result.seconds
      results.append(result)
    }
    if peakMACsPerSecond == 0,
      let p = try? ExecutionRate.resolve(firstWidths, on: device).get()
    {
      peakMACsPerSecond =
        p.macsPerUnitPerCycle * Double(device.compute.organisation.units)
        * device.clock
    }
    return try summarize(
      results, peak: peakMACsPerSecond, firstWidths: firstWidths)
  }

  /// Decides which layers' weights are on chip when the timed inference
  /// starts (`Documentation/Simulator.md`, "Parameters across inferences").
  ///
  /// Weights whose home is on chip are always there. Otherwise, in steady
  /// state on a device that keeps parameters across inferences (or with
  /// `weightsPreloaded`), layers are placed first fit in execution order,
  /// each whole or not at all, within the capacity reserved for parameters
  /// beside the largest layer's input and output (as the Edge TPU compiler
  /// caches parameters and streams the rest from the host); the others are
  /// fetched every inference. A cold run fetches every weight.
  mutating func placeParameters() throws {
    var total = 0.0
    var workingSet = 0.0
    var weightBits: [(name: String, bits: Double)] = []
    for layer in layers {
      let w = try widths(of: layer)
      let bits = Double(layer.weightElements) * Double(w.weightBits)
      total += bits
      if bits > 0 { weightBits.append((layer.name, bits)) }
      let activations =
        layer.inputs.reduce(0.0) { $0 + Double($1.elements) }
        * Double(w.inputBits)
        + Double(layer.output.elements) * Double(w.outputBits)
      workingSet = max(workingSet, activations)
    }
    parameterBits.total = total
    if plan.homeOnChip[.weights] == true {
      residentWeights = Set(weightBits.map(\.name))
      parameterBits.resident = total
      if let staging = plan.staging[.weights],
        plan.residentLevel?.index == staging
      {
        permanentReserved += total
      }
      return
    }
    guard options.inference == .steadyState else { return }
    let level: Int
    var capacityBits = Double.infinity
    if let declared = device.parameterResidency,
      let index = device.memory.firstIndex(where: { $0.name == declared.level }
      ),
      !device.memory[index].kind.isOffChip
    {
      level = index
      if let bytes = declared.capacity { capacityBits = bytes * 8 }
    } else if options.weightsPreloaded, let staging = plan.staging[.weights] {
      level = staging
    } else {
      return
    }
    let levelBits =
      device.memory[level].totalBytes.map { $0 * 8 } ?? .infinity
    let budget = min(capacityBits, levelBits - workingSet)
    var used = 0.0
    for (name, bits) in weightBits where used + bits <= budget {
      residentWeights.insert(name)
      used += bits
    }
    parameterBits.resident = used
    if plan.residentLevel?.index == level { permanentReserved += used }
  }

  /// A layer's widths: a pre-quantized layer (``Layer/storedBits``) runs at
  /// its stored integer width under the native precision when the device
  /// has a rate for it, else at the native precision.
  func widths(of layer: Layer) throws -> LayerWidths {
    if case .native = options.precision, let bits = layer.storedBits,
      let precision = Precision.allCases.first(where: {
        !$0.isFloatingPoint && $0.bits == bits
      })
    {
      let stored = LayerWidths(precision: precision)
      if case .success = ExecutionRate.resolve(stored, on: device) {
        return stored
      }
    }
    return try widths(of: layer.name)
  }

  func widths(of layer: String) throws -> LayerWidths {
    guard
      let widths = Simulator.widths(
        for: layer, choice: options.precision, device: device)
    else {
      throw SimulationFailure(
        reason: "\(device.name) lists no precision to run natively")
    }
    return widths
  }

  mutating func keep(_ name: String, bits: Double, layer: String?) throws {
    guard let level = plan.residentLevel else {
      throw SimulationFailure(
        reason:
          "activations live on chip but no shared on-chip level can hold them",
        layer: layer)
    }
    if reservedBits + bits > level.bits {
      throw SimulationFailure(
        reason:
          "activation '\(name)' needs \(bytes(bits)) but \(device.memory[level.index].name) has \(bytes(max(0, level.bits - reservedBits))) free of \(bytes(level.bits))",
        layer: layer)
    }
    resident[name] = bits
  }

  mutating func release(after layer: Layer) {
    guard layer.fusedInto == nil else { return }
    for input in layer.inputs {
      remainingReaders[input.name, default: 1] -= 1
      if remainingReaders[input.name, default: 0] <= 0,
        !(plan.homeOnChip[.inputs] == true && graphOutputs.contains(input.name))
      {
        resident[input.name] = nil
      }
    }
  }
}
