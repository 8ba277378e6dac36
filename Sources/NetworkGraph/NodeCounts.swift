/// The work and data of one node (or, summed, of a network), counted by the
/// rules in `Documentation/Counting.md`.
///
/// - ``macs``: multiply-accumulates of Conv, Gemm and MatMul, and of
///   ConvTranspose, QLinearConv, ConvInteger, QLinearMatMul, MatMulInteger,
///   LSTM, GRU and Einsum; nothing else.
/// - ``otherOps``: every other arithmetic operation (bias adds, activations,
///   pooling comparisons and adds, element-wise ops), each counted once,
///   never as a MAC.
/// - ``parameters``: elements of the initializers the node reads as learned
///   data (after BatchNormalization folding).
/// - ``weightBytes``: bytes of all constant data the node reads, at each
///   initializer's element type.
/// - ``inputActivationElements`` / ``outputActivationElements``: elements of
///   the non-constant tensors read and written.
public struct NodeCounts: Hashable, Sendable {
  /// Multiply-accumulate operations (one MAC = one multiply and one add).
  public var macs: Int
  /// Operations that are not MACs.
  public var otherOps: Int
  /// Learned parameter elements.
  public var parameters: Int
  /// Bytes of constant data read.
  public var weightBytes: Int
  /// Elements of activations read.
  public var inputActivationElements: Int
  /// Elements of activations written.
  public var outputActivationElements: Int

  /// Creates counts; every argument defaults to zero.
  public init(
    macs: Int = 0, otherOps: Int = 0, parameters: Int = 0, weightBytes: Int = 0,
    inputActivationElements: Int = 0, outputActivationElements: Int = 0
  ) {
    self.macs = macs
    self.otherOps = otherOps
    self.parameters = parameters
    self.weightBytes = weightBytes
    self.inputActivationElements = inputActivationElements
    self.outputActivationElements = outputActivationElements
  }

  /// All counts zero.
  public static let zero = NodeCounts()

  /// The field-wise sum.
  ///
  /// - Throws: ``NetworkError/overflow(what:node:)`` when a sum does not fit.
  public func adding(_ other: NodeCounts) throws(NetworkError) -> NodeCounts {
    NodeCounts(
      macs: try Checked.add(macs, other.macs, "the total MAC count"),
      otherOps: try Checked.add(
        otherOps, other.otherOps, "the total operation count"),
      parameters: try Checked.add(
        parameters, other.parameters, "the parameter count"),
      weightBytes: try Checked.add(
        weightBytes, other.weightBytes, "the weight bytes"),
      inputActivationElements: try Checked.add(
        inputActivationElements, other.inputActivationElements,
        "the activation count"),
      outputActivationElements: try Checked.add(
        outputActivationElements, other.outputActivationElements,
        "the activation count"))
  }
}

/// Per-node counts of a network, in execution order, with totals.
public struct NetworkCounts: Hashable, Sendable {
  /// One node's counts with the shapes they came from.
  public struct Entry: Hashable, Sendable {
    /// The node's position in ``Network/nodes``.
    public var nodeIndex: Int
    /// The node's name and ONNX operator type.
    public var node: NodeReference
    /// The shapes of the node's present inputs (activations and constants),
    /// in input order.
    public var inputShapes: [TensorShape]
    /// The shapes of the node's outputs, in output order.
    public var outputShapes: [TensorShape]
    /// The counts.
    public var counts: NodeCounts
  }

  /// The nodes in topological order.
  public var entries: [Entry]
  /// The sums over all entries, except that ``NodeCounts/parameters`` and
  /// ``NodeCounts/weightBytes`` count an initializer shared by several nodes
  /// once.
  public var total: NodeCounts
}
