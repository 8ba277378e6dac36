/// The layer kinds a workload file may use (`op:`), with the keys each one
/// takes.
///
/// The names follow PyTorch where it has one (`conv`, `max_pool`,
/// `hardswish`) and are mapped onto ONNX operators by ``LayerBuilder``.
enum WorkloadOperator: String, CaseIterable {
  case conv
  case gemm
  case fc
  case maxPool = "max_pool"
  case avgPool = "avg_pool"
  case globalAvgPool = "global_avg_pool"
  case globalMaxPool = "global_max_pool"
  case batchNorm = "batch_norm"
  case relu
  case relu6
  case clip
  case sigmoid
  case hardSwish = "hardswish"
  case leakyRelu = "leaky_relu"
  case add
  case mul
  case concat
  case flatten
  case reshape
  case resize
  case spaceToDepth = "space_to_depth"
  case softmax
  case argmax
  case detectionPostprocess = "detection_postprocess"

  /// Keys every layer may have.
  static let commonKeys = ["op", "name", "inputs"]

  /// The keys this kind of layer takes besides ``commonKeys``, in
  /// documentation order.
  var keys: [String] { Self.keyTable[self] ?? [] }

  /// ``keys`` of every kind, built once (a layer list asks for them several
  /// times per layer).
  private static let keyTable: [WorkloadOperator: [String]] =
    Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.keyList) })

  private var keyList: [String] {
    switch self {
    case .conv:
      [
        "filters", "out_channels", "kernel", "stride", "padding", "dilation",
        "groups",
        "depthwise", "transposed", "bias", "batch_norm", "activation",
      ]
    case .gemm, .fc: ["units", "bias", "batch_norm", "activation"]
    case .maxPool: ["kernel", "stride", "padding", "dilation", "ceil_mode"]
    case .avgPool:
      ["kernel", "stride", "padding", "ceil_mode", "count_include_pad"]
    case .globalAvgPool, .globalMaxPool, .relu, .relu6, .sigmoid, .hardSwish: []
    case .batchNorm: ["activation"]
    case .clip: ["min", "max"]
    case .leakyRelu: ["alpha"]
    case .add, .mul: ["activation"]
    case .concat: ["axis"]
    case .flatten: ["axis"]
    case .reshape: ["shape"]
    case .resize: ["scale", "size", "mode"]
    case .spaceToDepth: ["block"]
    case .softmax: ["axis"]
    case .argmax: ["axis"]
    case .detectionPostprocess:
      ["anchors", "classes", "max_detections", "max_classes_per_detection"]
    }
  }

  /// Every key some layer kind takes, for "does not apply" messages.
  static let allKeys: [String] = {
    var result = commonKeys
    for op in allCases {
      for key in op.keys where !result.contains(key) { result.append(key) }
    }
    return result
  }()

  /// How many inputs the layer reads: exactly one for most kinds, two for
  /// `add` and `mul`, two or more for `concat`.
  var inputArity: ClosedRange<Int> {
    switch self {
    case .add, .mul, .detectionPostprocess: 2...2
    case .concat: 2...Int.max
    default: 1...1
    }
  }

  /// "a conv layer", "an add layer", for messages.
  var phrase: String {
    let article =
      self == .fc || rawValue.first.map({ "aeiou".contains($0) }) == true
      ? "an" : "a"
    return "\(article) \(rawValue) layer"
  }

  /// Whether the layer has learned weights (so `bias` applies).
  var isLinear: Bool { self == .conv || self == .gemm || self == .fc }
}

/// The activation a `conv`, `gemm`, `batch_norm`, `add` or `mul` layer may
/// apply to its result (`activation: relu`), emitted as its own node.
enum WorkloadActivation: String, CaseIterable {
  case relu
  case relu6
  case sigmoid
  case hardSwish = "hardswish"
}

/// How a `resize` layer interpolates (`mode:`).
enum WorkloadResizeMode: String, CaseIterable {
  case nearest
  case linear
}
