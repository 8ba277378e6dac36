import RealModule

/// An element-wise function of one tensor computed in floating point: the
/// non-linear activations and unary maths of the ONNX operator set.
///
/// Each case states in one place what the rest of EdgeSim needs: its ONNX
/// name (``opType``), its value (``callAsFunction(_:)``, in `Double`, for
/// the float executor and fixed-point float islands alike), and its shape
/// (the input's). Counting charges one operation per output element;
/// simulation streams it as an element-wise layer, fused into the producing
/// layer where the device fuses activations; fixed point runs it as a float
/// island (FIXED_POINT.md §11). Adding an activation is a case here and a
/// line in the ONNX importer's operator table.
///
/// Relu and Clip are not here: they keep their input's fixed-point format
/// and are ``Operator/relu`` and ``Operator/clip(min:max:)``.
public enum Activation: Hashable, Sendable {
  /// `1 / (1 + e^−x)` (Sigmoid-13).
  case sigmoid
  /// `max(0, min(1, alpha·x + beta))` (HardSigmoid-6, defaults 0.2, 0.5).
  case hardSigmoid(alpha: Float, beta: Float)
  /// `x · max(0, min(1, x/6 + 1/2))` (HardSwish-14).
  case hardSwish
  /// `x < 0 ? alpha·x : x` (LeakyRelu-16, default alpha 0.01).
  case leakyRelu(alpha: Float)
  /// `tanh(x)` (Tanh-13).
  case tanh
  /// `x < 0 ? alpha·(e^x − 1) : x` (Elu-6, default alpha 1).
  case elu(alpha: Float)
  /// `gamma · (x ≤ 0 ? alpha·(e^x − 1) : x)` (Selu-6, defaults
  /// 1.67326319217681884765625 and 1.05070102214813232421875).
  case selu(alpha: Float, gamma: Float)
  /// `max(0, x) + min(0, alpha·(e^(x/alpha) − 1))` (Celu-12, default 1).
  case celu(alpha: Float)
  /// `ln(1 + e^x)` (Softplus-1).
  case softplus
  /// `x / (1 + |x|)` (Softsign-1).
  case softsign
  /// `x · tanh(ln(1 + e^x))` (Mish-18).
  case mish
  /// `x > alpha ? x : 0` (ThresholdedRelu-10, default alpha 1).
  case thresholdedRelu(alpha: Float)
  /// `x · Φ(x)` with the exact normal CDF, or its tanh approximation
  /// (Gelu-20, `approximate` "none" or "tanh").
  case gelu(tanhApproximation: Bool)
  /// The error function (Erf-13).
  case erf
  /// `e^x` (Exp-13).
  case exp
  /// `ln(x)` (Log-13).
  case log
  /// `√x` (Sqrt-13).
  case sqrt
  /// `1 / x` (Reciprocal-13).
  case reciprocal
  /// `−x` (Neg-13).
  case neg
  /// `|x|` (Abs-13).
  case abs

  /// The ONNX operator type.
  public var opType: String {
    switch self {
    case .sigmoid: "Sigmoid"
    case .hardSigmoid: "HardSigmoid"
    case .hardSwish: "HardSwish"
    case .leakyRelu: "LeakyRelu"
    case .tanh: "Tanh"
    case .elu: "Elu"
    case .selu: "Selu"
    case .celu: "Celu"
    case .softplus: "Softplus"
    case .softsign: "Softsign"
    case .mish: "Mish"
    case .thresholdedRelu: "ThresholdedRelu"
    case .gelu: "Gelu"
    case .erf: "Erf"
    case .exp: "Exp"
    case .log: "Log"
    case .sqrt: "Sqrt"
    case .reciprocal: "Reciprocal"
    case .neg: "Neg"
    case .abs: "Abs"
    }
  }

  /// Every activation's ONNX operator type.
  public static let opTypes: [String] = [
    "Abs", "Celu", "Elu", "Erf", "Exp", "Gelu", "HardSigmoid", "HardSwish",
    "LeakyRelu", "Log", "Mish", "Neg", "Reciprocal", "Selu", "Sigmoid",
    "Softplus", "Softsign", "Sqrt", "Tanh", "ThresholdedRelu",
  ]

  /// The function's value at `x`, as ONNX defines it (IEEE results for
  /// `ln`, `√` and `1/x` outside their domains: NaN or ±∞).
  public func callAsFunction(_ x: Double) -> Double {
    switch self {
    case .sigmoid: return 1 / (1 + Double.exp(-x))
    case .hardSigmoid(let alpha, let beta):
      return Swift.max(0, Swift.min(1, Double(alpha) * x + Double(beta)))
    case .hardSwish: return x * Swift.max(0, Swift.min(1, x / 6 + 0.5))
    case .leakyRelu(let alpha): return x < 0 ? Double(alpha) * x : x
    case .tanh: return Double.tanh(x)
    case .elu(let alpha):
      return x < 0 ? Double(alpha) * Double.expMinusOne(x) : x
    case .selu(let alpha, let gamma):
      return Double(gamma)
        * (x <= 0 ? Double(alpha) * Double.expMinusOne(x) : x)
    case .celu(let alpha):
      let a = Double(alpha)
      return Swift.max(0, x) + Swift.min(0, a * Double.expMinusOne(x / a))
    case .softplus: return Self.softplus(x)
    case .softsign: return x / (1 + Swift.abs(x))
    case .mish: return x * Double.tanh(Self.softplus(x))
    case .thresholdedRelu(let alpha): return x > Double(alpha) ? x : 0
    case .gelu(let tanhApproximation):
      if tanhApproximation {
        let inner = (2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)
        return 0.5 * x * (1 + Double.tanh(inner))
      }
      return 0.5 * x * (1 + Double.erf(x / 2.0.squareRoot()))
    case .erf: return Double.erf(x)
    case .exp: return Double.exp(x)
    case .log: return Double.log(x)
    case .sqrt: return x.squareRoot()
    case .reciprocal: return 1 / x
    case .neg: return -x
    case .abs: return Swift.abs(x)
    }
  }

  /// `ln(1 + e^x)` without overflow for large `x`.
  static func softplus(_ x: Double) -> Double {
    x > 30 ? x : Double.log(onePlus: Double.exp(x))
  }
}
