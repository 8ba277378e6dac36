import DesignSpace
import Diagnostics
import HardwareModel
import NetworkGraph
import ONNXImport
import Synchronization
import WeightCompression

/// A sweep point's model compressed by its plan (COMPRESSION.md): the
/// decoded network it simulates and measures, and the measured DRAM coding
/// of its weights — what `edgesim compress` writes as `compressed.onnx`
/// and `coding.yaml`.
struct CompressedNetwork: Sendable {
  /// The decoded network (`compressed.onnx` as `simulate` loads it).
  var network: Network
  /// The weights' coding: each stored layer's measured `stored_bits` and
  /// `density`, as `coding.yaml` gives them.
  var coding: DRAMCompression
  /// Layers low rank split into `NODE_a` and `NODE_b`.
  var split: Set<String>
  /// The network totals of COMPRESSION.md §8.
  var totals: NetworkTotals
  /// The decoded network's accuracy judge, when the study measures
  /// accuracy.
  var accuracy: AccuracyEvaluator?
}

/// The compressed networks of a sweep, each made once (by the first point
/// that needs it; others wait) and shared by every point with the same
/// study, model and plan.
final class SweepCompression: Sendable {
  struct Key: Hashable, Sendable {
    var study: Int
    var model: String
    var plan: CompressionPlan
  }

  /// ONNX model files by the name the sweep gives them.
  let files: [String: String]
  private let cells = Mutex<[Key: Cell]>([:])

  init(files: [String: String]) { self.files = files }

  /// A cell computed at most once.
  final class Cell: Sendable {
    private let state = Mutex<Result<CompressedNetwork, CompressionRefusal>?>(
      nil)

    func value(
      _ compute: () -> Result<CompressedNetwork, CompressionRefusal>
    ) -> Result<CompressedNetwork, CompressionRefusal> {
      state.withLock { state in
        if let state { return state }
        let computed = compute()
        state = computed
        return computed
      }
    }
  }

  /// The compressed network of a point's plan.
  func network(
    for point: DesignPoint, plan: CompressionPlan,
    accuracy: AccuracyEvaluator?
  ) -> Result<CompressedNetwork, CompressionRefusal> {
    let key = Key(study: point.study, model: point.model, plan: plan)
    let cell = cells.withLock { cells in
      if let cell = cells[key] { return cell }
      let cell = Cell()
      cells[key] = cell
      return cell
    }
    return cell.value {
      guard let file = files[point.model] else {
        return .failure(
          CompressionRefusal(
            "'\(point.model)' is a bundled layer list without weights, so it cannot be compressed"
          ))
      }
      return Self.compress(file, plan: plan).map { compressed in
        var compressed = compressed
        compressed.accuracy = accuracy?.compressed(compressed.network)
        return compressed
      }
    }
  }

  /// Compresses an ONNX model file by a plan, as `edgesim compress` does,
  /// and loads the decoded model as `simulate` loads `compressed.onnx`.
  static func compress(_ file: String, plan: CompressionPlan) -> Result<
    CompressedNetwork, CompressionRefusal
  > {
    let bytes: [UInt8]
    switch FileIO.read(file) {
    case .success(let b): bytes = b
    case .failure(let d): return .failure(CompressionRefusal(d.message))
    }
    var files = ModelLoader.externalDataFiles(beside: file)
    let read = WeightModel.read(
      bytes: bytes, fileName: file, externalData: { files.resolve($0) })
    guard let model = read.value, model.imported.hasAllWeights,
      !model.usesExternalData
    else {
      return .failure(
        CompressionRefusal(
          "\(file): compression needs an ONNX model with its weights inside the file"
        ))
    }
    let problems = plan.problems(for: model.layers).filter {
      $0.severity == .error
    }
    if !problems.isEmpty {
      return .failure(
        CompressionRefusal(
          "compression plan: "
            + problems.map(\.message).joined(separator: "; ")))
    }
    let outcome = Compressor.compress(model.layers, plan: plan)
    let exported: [UInt8]
    do {
      exported = try model.exporting(outcome)
    } catch {
      return .failure(
        CompressionRefusal("cannot encode the compressed model: \(error)"))
    }
    let (loaded, diagnostics, _) = ModelLoader.load(
      fileName: file, bytes: exported, batch: nil)
    guard let loaded else {
      let first = diagnostics.first?.message ?? "no reason given"
      return .failure(
        CompressionRefusal("the compressed model does not load: \(first)"))
    }
    return .success(
      CompressedNetwork(
        network: loaded.network, coding: coding(outcome),
        split: Set(outcome.layers.filter { $0.rank != nil }.map(\.name)),
        totals: outcome.network, accuracy: nil))
  }

  /// The DRAM coding `coding.yaml` describes (``CompressionFolder``), as a
  /// value: raw defaults, and per stored layer its measured density and
  /// stored bits.
  static func coding(_ outcome: CompressionOutcome) -> DRAMCompression {
    let defaults = SparseWeightCoding.Parameters(density: 1, indexBits: 4)
    var layers: [String: SparseWeightCoding.Parameters] = [:]
    for layer in outcome.storedLayers {
      var parameters = defaults
      parameters.density = layer.density
      parameters.storedBits = layer.storedBits
      layers[layer.name] = parameters
    }
    return DRAMCompression(
      weights: SparseWeightCoding(defaults: defaults, layers: layers))
  }
}

/// Why a point cannot be prepared: its model cannot be compressed, or was
/// not loaded (the point fails).
struct CompressionRefusal: Error, Hashable, Sendable {
  var message: String
  init(_ message: String) { self.message = message }
}
