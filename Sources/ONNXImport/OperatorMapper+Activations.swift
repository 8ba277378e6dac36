import Diagnostics
import NetworkGraph

extension OperatorMapper {
  /// The element-wise function of a node whose type is one of
  /// ``Activation/opTypes``, with its attributes' ONNX defaults.
  func activation() throws(Diagnostic) -> Activation {
    switch node.opType {
    case "Sigmoid": return .sigmoid
    case "HardSigmoid":
      return .hardSigmoid(
        alpha: try attributes.float("alpha", default: 0.2),
        beta: try attributes.float("beta", default: 0.5))
    case "HardSwish": return .hardSwish
    case "LeakyRelu":
      return .leakyRelu(alpha: try attributes.float("alpha", default: 0.01))
    case "Tanh": return .tanh
    case "Elu": return .elu(alpha: try attributes.float("alpha", default: 1))
    case "Selu":
      return .selu(
        alpha: try attributes.float(
          "alpha", default: 1.67326319217681884765625),
        gamma: try attributes.float("gamma", default: 1.05070102214813232421875)
      )
    case "Celu":
      let alpha = try attributes.float("alpha", default: 1)
      guard alpha != 0, alpha.isFinite else {
        throw error("attribute 'alpha' must be a finite non-zero number")
      }
      return .celu(alpha: alpha)
    case "Softplus": return .softplus
    case "Softsign": return .softsign
    case "Mish": return .mish
    case "ThresholdedRelu":
      return .thresholdedRelu(alpha: try attributes.float("alpha", default: 1))
    case "Gelu":
      let approximate = try attributes.string("approximate", default: "none")
      guard approximate == "none" || approximate == "tanh" else {
        throw error(
          "attribute 'approximate' is '\(approximate)'; Gelu-20 allows 'none' or 'tanh'"
        )
      }
      return .gelu(tanhApproximation: approximate == "tanh")
    case "Erf": return .erf
    case "Exp": return .exp
    case "Log": return .log
    case "Sqrt": return .sqrt
    case "Reciprocal": return .reciprocal
    case "Neg": return .neg
    case "Abs": return .abs
    default:
      throw error("'\(node.opType)' is not an element-wise activation")
    }
  }
}
