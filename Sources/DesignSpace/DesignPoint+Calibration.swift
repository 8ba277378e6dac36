import BitAccurateExecution
import NetworkGraph
import PrecisionModel

/// What calibration needs to know of a point: per-layer widths, and the
/// fractional lengths the point fixes.
public struct PointCalibration: Hashable, Sendable {
  /// Widths for the calibrator (the method is the study's).
  public var configuration: CalibrationConfiguration
  /// The settings of layers an axis selects, by node name: their given
  /// fractional lengths replace the calibrated ones.
  public var settings: [String: PrecisionSetting]

  /// The widths as text, the same for every point that calibrates alike
  /// (the key of a calibration cache): `8;/conv1/Conv=4;/fc/Gemm=5`.
  public var widthsKey: String {
    var parts = ["\(configuration.weightBits)"]
    for (name, bits) in configuration.layerBits.sorted(by: { $0.key < $1.key })
    {
      parts.append("\(name)=\(bits.weight ?? configuration.weightBits)")
    }
    return parts.joined(separator: ";")
  }
}

extension DesignPoint {
  /// The widths and fixed fractional lengths the bit-accurate executor
  /// runs this point with, mirroring ``precisionChoice(for:)``.
  ///
  /// Every layer gets ``defaultBits`` (8 when unset); an axis over `all`
  /// sets the default (the network input included), and each axis in order
  /// sets the layers it selects (a later axis wins). A layer's bits are its
  /// weights' and its output's; its input is its producer's output.
  ///
  /// - Parameters:
  ///   - network: The model the point runs.
  ///   - method: The calibration method of the study.
  /// - Returns: The calibration, or the names of selected layers the
  ///   network lacks.
  public func calibration(for network: Network, method: CalibrationMethod)
    -> Result<
      PointCalibration, OverrideProblem
    >
  {
    if case .failure(let problem) = precisionChoice(for: network) {
      return .failure(problem)
    }
    var bits = defaultBits ?? 8
    for choice in precision where choice.layers == .all {
      bits = choice.setting.bits
    }
    var configuration = CalibrationConfiguration(
      method: method, weightBits: bits, activationBits: bits)
    var settings: [String: PrecisionSetting] = [:]
    for node in network.nodes {
      var setting: PrecisionSetting?
      for choice in precision where choice.layers.selects(node.name) {
        setting = choice.setting
      }
      guard let setting else { continue }
      settings[node.name] = setting
      if setting.bits != bits {
        configuration.layerBits[node.name] = LayerBits(
          weight: setting.bits, activation: setting.bits)
      }
    }
    return .success(
      PointCalibration(configuration: configuration, settings: settings))
  }
}

extension PrecisionPlan {
  /// This calibrated plan with the fractional lengths a point fixes: each
  /// selected layer's weight and output fl replace the calibrated ones
  /// where the layer has that role (a Relu has no weights; a MaxPool keeps
  /// its input's format and has no entry).
  public func fixing(_ settings: [String: PrecisionSetting]) -> PrecisionPlan {
    var plan = self
    for (name, setting) in settings.sorted(by: { $0.key < $1.key }) {
      guard var entry = plan.entry(named: name) else { continue }
      if let fl = setting.weightFractionalLength, entry.weight != nil {
        entry.weight?.fractionalLength = fl
      }
      if let fl = setting.activationFractionalLength, entry.activation != nil {
        entry.activation?.fractionalLength = fl
      }
      plan.setEntry(entry, for: name)
    }
    return plan
  }
}
