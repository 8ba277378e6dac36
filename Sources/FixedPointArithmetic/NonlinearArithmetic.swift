/// How a node with a non-linear function (softmax, sigmoid, tanh, GELU, erf,
/// exp, LayerNorm) computes in the fixed-point path.
///
/// | Case      | Arithmetic                                                    |
/// |-----------|---------------------------------------------------------------|
/// | `float`   | FIXED_POINT.md §5 float island: dequantize, Double, re-quantize (the default) |
/// | `integer` | ``IntegerApproximation``: I-BERT integer kernels on the raws, output in the layer's `activation` format |
public enum NonlinearArithmetic: String, CaseIterable, Hashable, Sendable {
  /// A float island (§5, §11): the default, so existing results never move.
  case float
  /// Integer-only kernels (`Documentation/Quantization.md`).
  case integer
}
