/// How a convolution or pooling window pads its input (ONNX `auto_pad`).
///
/// From ONNX Conv-11 / MaxPool-12 / AveragePool-19 (and kept in the version-22
/// specs): with `SAME_UPPER` and `SAME_LOWER` the output size is
/// `ceil(input / stride)` and the total padding
/// `max(0, (output − 1)·stride + dilation·(kernel − 1) + 1 − input)` is split
/// in half, the odd extra going at the end (`SAME_UPPER`) or at the beginning
/// (`SAME_LOWER`). `VALID` means no padding. `NOTSET` uses the explicit
/// `pads` attribute.
public enum AutoPad: String, Hashable, Sendable, CaseIterable {
  /// Use the explicit `pads` attribute.
  case notSet = "NOTSET"
  /// Pad to keep `ceil(input / stride)`; an odd extra pad goes at the end.
  case sameUpper = "SAME_UPPER"
  /// Pad to keep `ceil(input / stride)`; an odd extra pad goes at the start.
  case sameLower = "SAME_LOWER"
  /// No padding.
  case valid = "VALID"
}
