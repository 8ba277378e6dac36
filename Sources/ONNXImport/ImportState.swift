import NetworkGraph

/// The network as it is being built, node by node, in data-flow order.
///
/// Constant folding and Softmax-11 need the shapes and constant values of
/// tensors computed so far; they ask this object, which infers the partial
/// network's shapes on demand and caches them until a node is added.
final class ImportState {
  /// The network built so far: bound inputs, initializers (from the file and
  /// folded), and the nodes mapped so far.
  private(set) var network: Network
  private var names: Set<String>
  private var inferred: InferredShapes?
  private var stale = true
  /// The error of the last shape inference of the partial network, if any.
  private(set) var inferenceError: NetworkError?

  /// The initializers stored in the file (learned data), as opposed to
  /// Constant nodes' tensors and folded values.
  let fileInitializers: Set<String>

  init(network: Network, reservedNames: Set<String>) {
    self.network = network
    self.names = reservedNames
    self.fileInitializers = Set(network.initializers.map(\.name))
  }

  /// The values of a constant with data, by tensor name.
  func constant(_ name: String) -> ConstantValue? {
    network.initializer(named: name).flatMap(ConstantValue.init)
  }

  /// The dimensions of a tensor, when they are known: an initializer, a bound
  /// graph input, or the output of a node mapped so far.
  func shape(_ name: String) -> [Int]? {
    if let tensor = network.initializer(named: name) {
      return tensor.shape.dims
    }
    if let input = network.inputs.first(where: { $0.name == name }) {
      return try? input.shape().dims
    }
    if stale {
      do {
        inferred = try network.inferShapes()
        inferenceError = nil
      } catch {
        inferred = nil
        inferenceError = error
      }
      stale = false
    }
    return inferred?.shape(of: name)?.dims
  }

  /// Marks folded outputs computed from a graph input's shape (a Shape of
  /// an activation, or anything folded from such a value).
  func markShapeComputed(_ names: [String]) {
    network.shapeComputedConstants.formUnion(names.filter { !$0.isEmpty })
  }

  /// Whether a tensor was computed from a graph input's shape.
  func isShapeComputed(_ name: String) -> Bool {
    network.shapeComputedConstants.contains(name)
  }

  /// Adds a constant (a folded value or a Constant node's tensor).
  func setConstant(_ tensor: Tensor) {
    network.setInitializer(tensor)
    names.insert(tensor.name)
    stale = true
  }

  /// Appends mapped nodes.
  func append(_ mapped: MappedNode) {
    for tensor in mapped.initializers { setConstant(tensor) }
    network.nodes += mapped.nodes
    stale = true
  }

  /// Sets the graph outputs.
  func setOutputs(_ outputs: [String]) {
    network.outputs = outputs
  }

  /// `base`, or `base_1`, `base_2`, … — the first that names no node or
  /// tensor yet; the name is then taken.
  func freshName(_ base: String) -> String {
    ONNXImport.freshName(base, avoiding: &names)
  }
}
