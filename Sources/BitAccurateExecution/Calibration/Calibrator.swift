import FixedPointArithmetic
import NetworkGraph
import PrecisionModel

/// Chooses a precision plan for a network from calibration data
/// (FIXED_POINT.md §8): Qiu's two phases, Ristretto's integer-length rule,
/// or one static fl for the whole network, with per-layer bit widths.
///
/// Deterministic: the same network, data (in the same order) and
/// configuration give the same plan, whatever the number of cores.
///
/// ```swift
/// let result = try Calibrator.calibrate(
///   network: net, data: images,
///   configuration: CalibrationConfiguration(method: .qiu, weightBits: 8, activationBits: 8))
/// print(result.plan.render())
/// ```
public enum Calibrator {
  /// Calibrates a network.
  ///
  /// - Parameters:
  ///   - network: The network (weights present).
  ///   - data: The calibration batch `[N, …]`, N ≥ 1, in a fixed order.
  ///   - labels: Optional class labels, for the accuracies in the result.
  ///   - configuration: Method, widths, objective and arithmetic.
  ///   - concurrency: Batch slices run at once (default 1; the command line passes the core count).
  /// - Returns: The plan and a per-layer report.
  /// - Throws: ``ExecutionError/emptyCalibrationSet`` or any execution error.
  public static func calibrate(
    network: Network, data: FloatTensor, labels: [Int]? = nil,
    configuration: CalibrationConfiguration, concurrency: Int? = nil
  ) throws(ExecutionError) -> CalibrationResult {
    try measuring(
      network: network, data: data, labels: labels,
      configuration: configuration, concurrency: concurrency
    ).result
  }

  /// Calibrates a network and measures the chosen plan on the calibration
  /// data with `measure` (which must give the §9 statistics
  /// ``FixedPointExecutor/runWithStatistics(input:labels:)`` gives, for
  /// instance slice by slice to bound memory); the result's per-layer SQNR,
  /// overflows and accuracies come from those statistics.
  ///
  /// With `slices` (the sample ranges `measure` would measure one by one,
  /// merging their statistics in order), `qiu` measures the plan inside its
  /// data phase instead, slice by slice (the data phase steps the batch
  /// through the network layer by layer anyway; each node is measured once
  /// its precision is final), and merges the slices' statistics in order:
  /// the figures `measure` gives, bit for bit, without running the network
  /// again. When that cannot hold (a later layer's choice revises an
  /// earlier one's format, as a Concat's producers), `measure` runs.
  ///
  /// - Parameters: As ``calibrate(network:data:labels:configuration:concurrency:)``;
  ///   `slices` as above; `measure` gets the plan's executor (`nil`: one
  ///   whole-batch run).
  /// - Returns: The plan and report, and the plan's statistics.
  /// - Throws: As ``calibrate(network:data:labels:configuration:concurrency:)``,
  ///   or what `measure` throws.
  public static func measuring(
    network: Network, data: FloatTensor, labels: [Int]? = nil,
    configuration: CalibrationConfiguration, concurrency: Int? = nil,
    slices: [Range<Int>]? = nil,
    measure: (
      @Sendable (FixedPointExecutor) throws(ExecutionError) -> NetworkStatistics
    )? = nil
  ) throws(ExecutionError) -> (
    result: CalibrationResult, statistics: NetworkStatistics
  ) {
    guard let batch = data.shape.first, batch > 0, !data.values.isEmpty else {
      throw .emptyCalibrationSet
    }
    var session = try CalibrationSession(
      network: network, data: data, configuration: configuration,
      concurrency: concurrency, measurementSlices: slices)
    switch configuration.method {
    case .qiu:
      try session.weightPhase()
      try session.dataPhase()
    case .ristretto:
      session.integerLengthRule()
    case .static:
      try session.staticPrecision()
    }
    return try session.result(labels: labels, measure: measure)
  }
}

/// The state of one calibration: the float reference and the formats
/// chosen so far.
struct CalibrationSession {
  let network: Network
  let data: FloatTensor
  let configuration: CalibrationConfiguration
  let concurrency: Int?
  /// The float network's run on the data, every tensor kept (`nil` for
  /// `qiu`, whose data phase steps the float network node by node).
  let float: FloatRun?
  /// The largest finite |value| of each float node output.
  var activationMaxima: [String: Double] = [:]
  /// Nodes that get an activation format, in execution order.
  let calibrated: [Node]
  /// Constant (non-bias) float values of each calibrated node.
  let weights: [String: [Float]]
  var inputFractionalLength: Int
  var weightFractionalLengths: [String: Int] = [:]
  var activationFractionalLengths: [String: Int] = [:]
  var weightErrors: [String: Double] = [:]
  var activationErrors: [String: Double] = [:]
  /// The fl of each calibrated float island's outputs after the first
  /// (LSTM's Y_h and Y_c), by node name then tensor name.
  var outputFractionalLengths: [String: [String: Int]] = [:]
  /// The sample ranges whose §9 statistics the data phase gathers for the
  /// final plan (`nil`: none).
  let measurementSlices: [Range<Int>]?
  /// The data phase's statistics of each of ``measurementSlices`` under
  /// the final plan, when every node could be measured so.
  var measurements: [SliceMeasurement]?

  init(
    network: Network, data: FloatTensor,
    configuration: CalibrationConfiguration,
    concurrency: Int?, measurementSlices: [Range<Int>]? = nil
  ) throws(ExecutionError) {
    self.measurementSlices = measurementSlices
    do {
      self.network = try network.sortedTopologically()
    } catch {
      throw .network(error)
    }
    self.data = data
    self.configuration = configuration
    self.concurrency = concurrency
    let floatExecutor = try FloatExecutor(
      network: network, concurrency: concurrency)
    let float =
      configuration.method == .qiu
      ? nil : try floatExecutor.run(input: data)
    self.float = float
    for (name, tensor) in float?.tensors ?? [:] {
      activationMaxima[name] = Self.maxMagnitude(tensor.values)
    }
    let consumers = self.network.consumers()
    let sorted = self.network
    calibrated = sorted.nodes.filter { node in
      switch NodeKind(node.op) {
      case .computing: return true
      case .formatPreserving: return false
      case .floatIsland:
        if configuration.arithmetic.nonlinear == .integer,
          NodeKind.hasIntegerKernel(node)
        {
          return true
        }
        return node.outputs.filter { !$0.isEmpty }.contains {
          (consumers[$0] ?? []).contains {
            NodeKind(sorted.nodes[$0].op) != .floatIsland
              || (configuration.arithmetic.nonlinear == .integer
                && NodeKind.hasIntegerKernel(sorted.nodes[$0]))
          }
        }
      }
    }
    var weights: [String: [Float]] = [:]
    let integer = configuration.arithmetic.nonlinear == .integer
    for node in calibrated {
      // Integer LayerNormalization quantizes γ with its weight format.
      var integerNorm = false
      // An integer LSTM or GRU quantizes W and R (inputs 1 and 2) so.
      var weightInputs: Set<Int>? = nil
      if integer, NodeKind.hasIntegerKernel(node) {
        switch node.op {
        case .extended(.layerNormalization): integerNorm = true
        case .extended(.recurrent):
          integerNorm = true
          weightInputs = [1, 2]
        default: break
        }
      }
      guard NodeKind(node.op) == .computing || integerNorm else { continue }
      var values: [Float] = []
      let biasIndex: Int? =
        switch node.op {
        case .conv, .gemm, .extended(.layerNormalization): 2
        default: nil
        }
      for (index, name) in node.inputs.enumerated()
      where index != biasIndex && weightInputs?.contains(index) ?? true {
        guard let tensor = sorted.initializer(named: name) else { continue }
        guard var floats = tensor.floatValues else {
          throw .missingData(tensor: name)
        }
        if case .gemm(let attributes) = node.op, index == 1,
          attributes.alpha != 1
        {
          floats = floats.map { $0 * attributes.alpha }
        }
        values += floats
      }
      if !values.isEmpty { weights[node.name] = values }
    }
    self.weights = weights
    let inputBits = configuration.inputBits ?? configuration.activationBits
    inputFractionalLength =
      (try? FixedPoint.centreFractionalLength(
        maxMagnitude: Self.maxMagnitude(data.values), bits: inputBits))
      ?? inputBits - 1
    for node in calibrated {
      // qiu sets each activation's centre when its data phase reaches the
      // layer (formats of later layers do not change earlier values).
      activationFractionalLengths[node.name] = centre(
        activationMaximum(node), bits: activationBits(node))
      if let w = self.weights[node.name] {
        weightFractionalLengths[node.name] = centre(
          Self.maxMagnitude(w), bits: weightBits(node))
      }
    }
  }

  var inputBits: Int { configuration.inputBits ?? configuration.activationBits }

  func weightBits(_ node: Node) -> Int {
    configuration.layerBits[node.name]?.weight ?? configuration.weightBits
  }

  func activationBits(_ node: Node) -> Int {
    configuration.layerBits[node.name]?.activation
      ?? configuration.activationBits
  }

  /// The largest finite |value| (0 when there is none).
  ///
  /// On bit patterns: a finite Float's |x| is its pattern without the sign
  /// bit, below +∞'s, and such patterns order as their values; NaN and ±∞
  /// count as 0. A maximum does not depend on the order it is taken in, so
  /// the loop vectorises and gives the value a float loop gives.
  static func maxMagnitude(_ values: [Float]) -> Double {
    var top: Int32 = 0
    values.withUnsafeBufferPointer { buffer in
      for value in buffer {
        let bits = Int32(bitPattern: value.bitPattern & 0x7fff_ffff)
        top = max(top, bits < 0x7f80_0000 ? bits : 0)
      }
    }
    return Double(Float(bitPattern: UInt32(bitPattern: top)))
  }

  func activationMaximum(_ node: Node) -> Double {
    activationMaxima[node.outputs.first ?? ""] ?? 0
  }

  /// The fl of each output after the first of a calibrated float island,
  /// from its float reference values: the candidate (§8, around the
  /// centre) whose `halfEven` quantization of the reference has the least
  /// objective, ties to the smaller fl, as the island re-quantizes its
  /// Double results.
  mutating func calibrateLaterOutputs(
    _ node: Node, references: [String: [Float]]
  ) {
    guard NodeKind(node.op) == .floatIsland else { return }
    let bits = activationBits(node)
    for name in node.outputs.dropFirst() where !name.isEmpty {
      guard let values = references[name] else { continue }
      let magnitude = Self.maxMagnitude(values)
      activationMaxima[name] = magnitude
      let options = Array(candidates(magnitude, bits: bits))
      let scored = zip(
        options,
        quantizationErrors(values, bits: bits, fractionalLengths: options)
      ).map { (fractionalLength: $0, error: $1) }
      if let best = FixedPoint.bestFractionalLength(scored) {
        outputFractionalLengths[node.name, default: [:]][name] = best
      }
    }
  }

  func centre(_ magnitude: Double, bits: Int) -> Int {
    let fl =
      (try? FixedPoint.centreFractionalLength(
        maxMagnitude: magnitude, bits: bits)) ?? bits - 1
    return min(
      max(fl, QFormat.fractionalLengths.lowerBound),
      QFormat.fractionalLengths.upperBound)
  }

  func candidates(_ magnitude: Double, bits: Int) -> ClosedRange<Int> {
    (try? FixedPoint.candidateFractionalLengths(
      maxMagnitude: magnitude, bits: bits,
      offsets: configuration.candidateOffsets))
      ?? (bits - 1)...(bits - 1)
  }

  /// The objective between exact values and a float reference.
  func error(_ quantized: [Double], _ reference: [Float]) -> Double {
    Self.error(quantized, reference, objective: configuration.objective)
  }

  /// The objective between exact values and a float reference, added to
  /// `start` element after element (so a batch scored slice after slice,
  /// each slice continuing the last one's sum, gives the whole batch's sum
  /// bit for bit).
  static func error(
    _ quantized: [Double], _ reference: [Float],
    objective: CalibrationObjective, from start: Double = 0
  ) -> Double {
    var sum = start
    switch objective {
    case .l1:
      for (q, r) in zip(quantized, reference) { sum += abs(q - Double(r)) }
    case .l2:
      for (q, r) in zip(quantized, reference) {
        let e = q - Double(r)
        sum += e * e
      }
    }
    return sum
  }

  /// The objective of quantizing floats to (B, fl) with `halfEven` and the
  /// storage policy (§8 weight phase).
  func quantizationError(_ values: [Float], bits: Int, fractionalLength: Int)
    -> Double
  {
    quantizationErrors(
      values, bits: bits, fractionalLengths: [fractionalLength]
    )
    .first ?? .infinity
  }

  /// ``quantizationError(_:bits:fractionalLength:)`` for several fl, in one
  /// pass over the values (``QuantizationErrors``), the same sums.
  func quantizationErrors(
    _ values: [Float], bits: Int, fractionalLengths: [Int]
  ) -> [Double] {
    QuantizationErrors.errors(
      values,
      formats: fractionalLengths.map {
        try? QFormat(bits: bits, fractionalLength: $0)
      },
      objective: configuration.objective,
      overflow: configuration.arithmetic.overflow ?? .saturate,
      concurrency: max(1, concurrency ?? 1))
  }
}
