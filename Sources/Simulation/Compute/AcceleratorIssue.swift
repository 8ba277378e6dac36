import Mapping

/// Which layers an accelerator's runtime issues as work of their own, each
/// paying the device's fixed per-layer time (``RuntimeModel/dispatchSeconds``).
///
/// A layer is issued when it computes and is not folded into the work of
/// the layer before it:
/// - views (Reshape, Flatten, Concat, …) move nothing and issue nothing;
/// - an activation fused into its producer (``Layer/fusedInto``) runs in
///   that producer's output stage, as TFLite's converter fuses ReLU and
///   ReLU6 into the convolution before them (`fused_activation_function`);
/// - a two-input Add with an input written by an issued convolution or
///   matrix product (a residual connection) is *linked* into that layer:
///   the array's output stage adds the other operand while it writes the
///   result, so the Add issues nothing of its own. Coral does not document
///   the compiler's instruction streams; this is the rule that the
///   calibration set supports (Documentation/Validation.md, the Edge TPU's
///   issue accounting), the same linking the GPU delegate does
///   (``KernelModel``'s `linked` kernels);
/// - a ReLU or ReLU6 (`Clip`) after such an Add is the Add's own fused
///   activation, as TFLite's `ADD` carries a `fused_activation_function`.
enum AcceleratorIssue {
  /// What wrote a tensor, as far as issue is concerned.
  private enum Writer { case issuedProduct, add, other }

  /// For each layer of `layers` (in execution order), whether it is issued.
  static func issued(_ layers: [Layer]) -> [Bool] {
    var writers: [String: Writer] = [:]
    var result: [Bool] = []
    result.reserveCapacity(layers.count)
    for layer in layers {
      let inputWriters = layer.inputs.map { writers[$0.name] ?? .other }
      var issues = layer.fusedInto == nil
      var writer = Writer.other
      switch layer.work {
      case .view:
        issues = false
        // A view passes its input's writer on unchanged.
        writer = inputWriters.first ?? .other
      case .mac:
        writer = issues ? .issuedProduct : .other
      case .streaming:
        if isResidualAdd(layer) {
          writer = .add
          if inputWriters.contains(.issuedProduct) { issues = false }
        } else if ["Relu", "Clip"].contains(layer.opType),
          inputWriters == [.add]
        {
          issues = false
        }
      }
      result.append(issues)
      if layer.fusedInto == nil { writers[layer.output.name] = writer }
    }
    return result
  }

  /// The names of the layers `issued(_:)` issues.
  static func issuedNames(_ layers: [Layer]) -> Set<String> {
    Set(zip(layers, issued(layers)).compactMap { $1 ? $0.name : nil })
  }

  /// A two-input element-wise Add: the residual connection's operator.
  static func isResidualAdd(_ layer: Layer) -> Bool {
    layer.opType == "Add" && layer.inputs.count == 2
      && layer.operatorClass == .elementwise
  }
}
