import HardwareModel

/// A figure of a device that calibration may change: its name, its current
/// value, the range it may take and how a value is written into a device.
///
/// Calibration fits a list of these (``LatencyCalibrator``), so a new kind of
/// fitted figure (say, a per-operator dispatch cost) is one more factory
/// beside ``efficiencyFactors(of:tied:)``; the fitter does not change.
///
/// Values are fitted on a logarithmic scale, so ``bounds`` must be positive.
public struct FreeParameter: Sendable {
  /// The parameter's name, as reports print it (`efficiency.conv`).
  public var name: String
  /// The value the device has now.
  public var value: Double
  /// The values the parameter may take (both ends positive).
  public var bounds: ClosedRange<Double>
  /// What the current value was fitted to (the device file's provenance).
  public var fittedTo: String
  /// Writes a value into a device.
  public var apply: @Sendable (inout Device, Double) -> Void
  /// The parameter this one is drawn toward, if any.
  ///
  /// A kernel class's fraction is drawn toward `dense` where the
  /// measurements say little about it (``LatencyCalibrator/priorWeight``).
  public var drawnToward: String?
  /// Whether the parameter is held at ``value`` rather than fitted
  /// (`calibrate --hold`): a fit leaves it as it is, and a parameter drawn
  /// toward it is drawn toward that value.
  public var isHeld = false

  /// Creates a parameter.
  ///
  /// - Parameters:
  ///   - name: The name reports print.
  ///   - value: The device's current value (clamped into `bounds`).
  ///   - bounds: The allowed values; the lower end must be positive.
  ///   - fittedTo: The current value's provenance.
  ///   - apply: Writes a value into a device.
  public init(
    name: String, value: Double, bounds: ClosedRange<Double>,
    fittedTo: String, apply: @escaping @Sendable (inout Device, Double) -> Void
  ) {
    self.name = name
    self.bounds = bounds
    self.value = min(max(value, bounds.lowerBound), bounds.upperBound)
    self.fittedTo = fittedTo
    self.apply = apply
  }

  /// The smallest efficiency factor a fit may reach: a kernel sustaining
  /// 1/10,000 of the modelled rate is a modelling error, not a runtime.
  public static let smallestEfficiency = 1e-4

  /// The device's free parameters today: the per-operator-class
  /// `efficiency` factors its file declares, each in
  /// [``smallestEfficiency``, 1].
  ///
  /// A class the file does not declare runs at the modelled rate and is
  /// not fitted; a memory level's `bandwidth_efficiency` is a datasheet
  /// figure (the controller's), not a software one, and is not fitted
  /// either.
  ///
  /// - Parameters:
  ///   - device: The device.
  ///   - tied: One parameter, `efficiency`, for every declared class (the
  ///     bundled devices' single factor), rather than one per class.
  /// - Returns: The parameters, in ``OperatorClass`` order; empty when the
  ///   device declares no factor.
  public static func efficiencyFactors(of device: Device, tied: Bool)
    -> [FreeParameter]
  {
    let declared = OperatorClass.allCases.compactMap { operatorClass in
      device.efficiency[operatorClass].map { (operatorClass, $0) }
    }
    guard let first = declared.first else { return [] }
    if tied {
      let classes = declared.map(\.0)
      let mean =
        declared.map(\.1.value).reduce(0, +) / Double(declared.count)
      return [
        FreeParameter(
          name: "efficiency", value: mean,
          bounds: smallestEfficiency...1, fittedTo: first.1.fittedTo
        ) { device, value in
          for operatorClass in classes {
            device.efficiency[operatorClass]?.value = value
          }
        }
      ]
    }
    return declared.map { operatorClass, factor in
      FreeParameter(
        name: "efficiency.\(operatorClass.rawValue)", value: factor.value,
        bounds: smallestEfficiency...1, fittedTo: factor.fittedTo
      ) { device, value in
        device.efficiency[operatorClass]?.value = value
      }
    }
  }

  /// The figures of the device's `runtime:` block (its per-operator
  /// execution model), each within its physical range
  /// (``HardwareModel/RuntimeParameter/range``).
  ///
  /// - Returns: The parameters in ``HardwareModel/RuntimeParameter`` order;
  ///   empty when the device has no `runtime:` block.
  public static func runtimeParameters(of device: Device) -> [FreeParameter] {
    guard let runtime = device.runtime else { return [] }
    return RuntimeParameter.allCases.compactMap { parameter in
      guard let figure = runtime.parameters[parameter] else { return nil }
      var result = FreeParameter(
        name: "runtime.\(parameter.rawValue)", value: figure.value,
        bounds: parameter.range, fittedTo: figure.fittedTo
      ) { device, value in
        device.runtime?.parameters[parameter]?.value = value
      }
      if let fallback = parameter.fallback,
        runtime.parameters[fallback] != nil
      {
        result.drawnToward = "runtime.\(fallback.rawValue)"
      }
      return result
    }
  }

  /// The parameters `calibrate` fits: the runtime's figures when the device
  /// has a `runtime:` block, else its `efficiency` factors.
  public static func parameters(of device: Device, tied: Bool)
    -> [FreeParameter]
  {
    device.runtime != nil
      ? runtimeParameters(of: device)
      : efficiencyFactors(of: device, tied: tied)
  }

  /// The parameters with the named ones held at their values.
  ///
  /// - Parameters:
  ///   - names: Names as reports print them (`runtime.memory`).
  ///   - parameters: The device's free parameters.
  /// - Returns: The parameters, the named ones held; or the names that are
  ///   not among them.
  public static func holding(
    _ names: [String], in parameters: [FreeParameter]
  ) -> Result<[FreeParameter], UnknownParameters> {
    let known = Set(parameters.map(\.name))
    let unknown = names.filter { !known.contains($0) }
    guard unknown.isEmpty else {
      return .failure(UnknownParameters(names: unknown))
    }
    return .success(
      parameters.map { parameter in
        var result = parameter
        result.isHeld = names.contains(parameter.name)
        return result
      })
  }

  /// Names that are not free parameters of a device.
  public struct UnknownParameters: Error, Hashable, Sendable {
    /// The names, in the order given.
    public var names: [String]
  }
}
