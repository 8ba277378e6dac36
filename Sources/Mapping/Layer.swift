import HardwareModel
import NetworkGraph

/// What a layer asks of the hardware.
public enum LayerWork: Hashable, Sendable {
  /// Multiply-accumulates over a convolution loop nest (Conv, Gemm, MatMul).
  case mac(LoopNest)
  /// Element-wise or windowed work that streams its operands once: pooling,
  /// activations, element-wise arithmetic, softmax.
  case streaming(operations: Int)
  /// No arithmetic and no data movement: a reshape, flatten, squeeze,
  /// transpose, dropout, identity or concatenation is a view of its inputs
  /// (producers write into place).
  case view
}

/// An activation tensor a layer reads or writes, after views are resolved.
public struct TensorUse: Hashable, Sendable {
  /// The tensor's name (for a view, the name of the tensor it shows).
  public var name: String
  /// Elements, including the batch.
  public var elements: Int

  /// Creates the use.
  public init(name: String, elements: Int) {
    self.name = name
    self.elements = elements
  }
}

/// One node of a network as the mapper and simulator see it.
public struct Layer: Hashable, Sendable {
  /// The node's name.
  public var name: String
  /// The ONNX operator type (`Conv`, `MaxPool`, ...).
  public var opType: String
  /// The calibration class, or `nil` for views.
  public var operatorClass: OperatorClass?
  /// The work.
  public var work: LayerWork
  /// Activation tensors read (constants excluded).
  public var inputs: [TensorUse]
  /// The activation tensor written (for a fused activation or a view, the
  /// tensor it aliases).
  public var output: TensorUse
  /// The name of the tensor the node itself writes (before aliasing).
  public var producedTensor: String
  /// Weight elements read (filters or the Gemm/MatMul `B` operand).
  public var weightElements: Int
  /// Non-MAC operations (bias adds, activations, pooling compares, ...).
  public var otherOperations: Int
  /// For an activation fused into the producing MAC or pooling layer, that
  /// layer's name: it runs on the producer's output tile, with no traffic.
  public var fusedInto: String?
  /// For a MAC layer whose second operand is an activation (attention's
  /// MatMuls): the nest's weight operand moves at the activation width and
  /// is never weights for DRAM coding, preload or residency.
  public var weightOperandIsActivation = false
  /// For a multi-pass streaming layer (normalisations): the passes over each
  /// group of ``passGroupElements`` elements.
  public var passes = 1
  /// The elements one pass group holds (a LayerNormalization row).
  public var passGroupElements = 0
  /// The integer width the model stores this layer's operands in.
  ///
  /// Set for a pre-quantized layer (QLinearConv, QLinearMatMul, ConvInteger,
  /// MatMulInteger, QuantizeLinear, DequantizeLinear, or a Conv, Gemm or
  /// MatMul reading a DequantizeLinear's output); `nil` otherwise. Under the
  /// device's native precision the simulator costs such a layer at this
  /// width when the device runs it.
  public var storedBits: Int?

  /// Creates a layer.
  public init(
    name: String, opType: String, operatorClass: OperatorClass?,
    work: LayerWork,
    inputs: [TensorUse], output: TensorUse, weightElements: Int = 0,
    otherOperations: Int = 0, fusedInto: String? = nil
  ) {
    self.name = name
    self.opType = opType
    self.operatorClass = operatorClass
    self.work = work
    self.inputs = inputs
    self.output = output
    self.producedTensor = output.name
    self.weightElements = weightElements
    self.otherOperations = otherOperations
    self.fusedInto = fusedInto
  }

  /// Multiply-accumulates (0 for non-MAC layers, `nil` on overflow).
  public var macs: Int? {
    if case .mac(let nest) = work { return nest.macs }
    return 0
  }

  /// The loop nest of a MAC layer.
  public var nest: LoopNest? {
    if case .mac(let nest) = work { return nest }
    return nil
  }
}
