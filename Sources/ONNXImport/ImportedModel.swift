import NetworkGraph

/// A model read from ONNX, ready for inspection, simulation or execution.
///
/// The ``network`` has constants and shape computations folded, Identity and
/// Dropout removed (``NetworkGraph/Network/removingIdentities()``),
/// BatchNormalization folded where possible
/// (``NetworkGraph/Network/foldingBatchNormalization()``) and its symbolic
/// dimensions bound; ``shapes`` is its shape inference.
public struct ImportedModel: Sendable {
  /// The network as deployed.
  public var network: Network
  /// The element type and shape of every tensor in ``network``.
  public var shapes: InferredShapes
  /// The version of the default ONNX operator set the model imports (7–23).
  public var opsetVersion: Int
  /// The model's `ir_version`.
  public var irVersion: Int
  /// The exporter, such as `pytorch 2.5.0`, or an empty string.
  public var producer: String
  /// Initializers (by their name in the file, in file order) whose external
  /// data file was not found; they are shape-only.
  public var missingWeights: [String]

  /// Creates a model; the importer is the usual source.
  public init(
    network: Network, shapes: InferredShapes, opsetVersion: Int, irVersion: Int,
    producer: String, missingWeights: [String]
  ) {
    self.network = network
    self.shapes = shapes
    self.opsetVersion = opsetVersion
    self.irVersion = irVersion
    self.producer = producer
    self.missingWeights = missingWeights
  }

  /// Whether every constant the network reads has its values, so that it can be
  /// executed or quantised.
  ///
  /// Shape-only models still support inspection and simulation, which need only
  /// shapes.
  public var hasAllWeights: Bool {
    network.initializers.allSatisfy(\.hasData)
  }

  /// Names of the network's initializers (after folding) that have no data.
  public var shapeOnlyTensors: [String] {
    network.initializers.filter { !$0.hasData }.map(\.name)
  }
}
