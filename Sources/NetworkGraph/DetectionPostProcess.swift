/// The attributes of an SSD's detection post-processing (TensorFlow Lite's
/// `TFLite_Detection_PostProcess` custom operator): box decoding against
/// the anchors, the best class per anchor, and non-maximum suppression.
///
/// The operator reads the box encodings (`anchors × 4` per sample) and the
/// class scores (`anchors × classes` per sample, the background class
/// included) and writes at most `maxDetections × maxClassesPerDetection`
/// detections, each a box, a class and a score; the anchors are a constant
/// of the operator (their count is an attribute here, their values are
/// not modelled). Its work is counted from these attributes
/// (``operations``, `Documentation/Counting.md`, "Detection
/// post-processing"), the fast multi-class path of TensorFlow Lite's kernel
/// (`tensorflow/lite/kernels/detection_postprocess.cc`,
/// `NonMaxSuppressionMultiClassFastHelper`), the one SSD models exported
/// for TensorFlow Lite use.
public struct DetectionPostProcessAttributes: Hashable, Sendable {
  /// Anchors (prior boxes) per sample.
  public var anchors: Int
  /// Class scores per anchor, the background class included (TFLite's
  /// `num_classes` + 1).
  public var classes: Int
  /// The most detections written (`max_detections`).
  public var maxDetections: Int
  /// Classes kept per detected anchor (`max_classes_per_detection`).
  public var maxClassesPerDetection: Int

  /// Creates the attributes.
  public init(
    anchors: Int, classes: Int, maxDetections: Int = 10,
    maxClassesPerDetection: Int = 1
  ) {
    self.anchors = anchors
    self.classes = classes
    self.maxDetections = maxDetections
    self.maxClassesPerDetection = maxClassesPerDetection
  }

  /// Elements of the output per sample: each detection's box (4), class and
  /// score, for every detection slot (TFLite's four outputs, the count of
  /// detections left out).
  public var outputElements: Int {
    maxDetections * maxClassesPerDetection * 6
  }

  /// Arithmetic and comparisons per sample.
  ///
  /// The fast path of the kernel with every anchor above the score
  /// threshold and none suppressed: the bound the attributes give (the SSD
  /// configurations' threshold is 1e-8, so nearly every anchor passes).
  ///
  /// - decoding, per anchor: centre `y / scale · h + y_a` and `x` (3 each),
  ///   half sizes `0.5 · exp(h / scale) · h_a` and `w` (4 each, the `exp`
  ///   one operation), four corners (1 each): 18;
  /// - the best `k` (`maxClassesPerDetection`) of the `classes − 1`
  ///   non-background scores, a partial sort: `(classes − 1) · ⌈log₂(k +
  ///   1)⌉` comparisons per anchor (TopK's rule);
  /// - the score threshold: one comparison per anchor;
  /// - sorting the kept anchors by score: `anchors · ⌈log₂ anchors⌉`;
  /// - suppression: each of at most `maxDetections` selected boxes is
  ///   compared with every anchor after it, 19 operations per
  ///   intersection over union (two areas 3 each, four min/max, two
  ///   differences, two clamps and a product, the union's sum and
  ///   difference, the quotient, the threshold test):
  ///   `19 · min(maxDetections, anchors) · anchors`.
  ///
  /// A quantized model's inputs are dequantized first (2 operations per
  /// input element); that pass is not counted.
  public var operations: Int {
    let a = anchors
    func log2Ceiling(_ n: Int) -> Int {
      var depth = 0
      while (1 << depth) < n { depth += 1 }
      return depth
    }
    let decode = 18 * a
    let depth = max(1, log2Ceiling(maxClassesPerDetection + 1))
    let best = (classes - 1) * depth * a
    let threshold = a
    let sort = a * max(1, log2Ceiling(a))
    let suppression = 19 * min(maxDetections, a) * a
    return decode + best + threshold + sort + suppression
  }
}
