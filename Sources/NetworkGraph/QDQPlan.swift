/// The affine quantization of a float network as a QDQ model carries it
/// (`Documentation/Quantization.md`, "Affine integers"): a scale and zero
/// point per quantized activation tensor, and the integers of each
/// quantized weight and bias with their per-tensor or per-channel scales.
///
/// `edgesim quantize --method affine` computes one from calibration data;
/// the ONNX writer inserts a QuantizeLinear/DequantizeLinear pair on each
/// activation and a DequantizeLinear before each constant.
public struct QDQPlan: Hashable, Sendable {
  /// The parameters of one activation tensor (per tensor).
  public struct Activation: Hashable, Sendable {
    /// The scale (float32, > 0).
    public var scale: Float
    /// The zero point, within `elementType`.
    public var zeroPoint: Int64
    /// uint8 or int8.
    public var elementType: ElementType

    /// Creates activation parameters.
    public init(scale: Float, zeroPoint: Int64, elementType: ElementType) {
      self.scale = scale
      self.zeroPoint = zeroPoint
      self.elementType = elementType
    }
  }

  /// A quantized constant operand of one node (a weight or a bias).
  public struct Constant: Hashable, Sendable {
    /// The node that reads it.
    public var node: String
    /// The input position it takes.
    public var input: Int
    /// The integers, row-major, in the original shape.
    public var values: [Int64]
    /// The shape.
    public var shape: [Int]
    /// int8 (weights) or int32 (biases).
    public var elementType: ElementType
    /// One scale, or one per index of `axis`.
    public var scales: [Float]
    /// The channel axis when per channel.
    public var axis: Int?

    /// Creates a quantized constant.
    public init(
      node: String, input: Int, values: [Int64], shape: [Int],
      elementType: ElementType, scales: [Float], axis: Int?
    ) {
      self.node = node
      self.input = input
      self.values = values
      self.shape = shape
      self.elementType = elementType
      self.scales = scales
      self.axis = axis
    }
  }

  /// The quantized activations, by tensor name.
  public var activations: [String: Activation]
  /// The quantized constants, in node order.
  public var constants: [Constant]

  /// Creates a plan.
  public init(activations: [String: Activation], constants: [Constant]) {
    self.activations = activations
    self.constants = constants
  }
}
