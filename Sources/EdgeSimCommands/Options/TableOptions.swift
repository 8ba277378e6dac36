import ArgumentParser

/// `--sort` and `--top`: which layers `simulate`'s table shows, and in
/// what order.
struct TableOptions: ParsableArguments {
  /// The order of the per-layer table.
  enum Order: String, CaseIterable, ExpressibleByArgument {
    /// Execution order.
    case order
    /// Longest first.
    case time
    /// Most energy first.
    case energy
    /// Most backing-store traffic first.
    case dram
  }

  @Option(
    help: ArgumentHelp(
      "Order of the per-layer table: order (execution), time, energy or dram (largest first).",
      valueName: "key"))
  var sort: Order = .order

  @Option(help: "Show only the first N layers of the table (after --sort).")
  var top: Int?

  func validate() throws {
    if let top, top < 1 {
      throw ValidationError("--top must be at least 1.")
    }
  }
}
