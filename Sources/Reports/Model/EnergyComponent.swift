/// One component of an energy breakdown.
public struct EnergyComponent: Hashable, Sendable {
  /// `mac`, `ops`, `onchip:<level>`, `dram` or `static`.
  public var name: String
  /// Joules per inference.
  public var joules: Double

  /// Creates a component.
  public init(_ name: String, joules: Double) {
    self.name = name
    self.joules = joules
  }
}
