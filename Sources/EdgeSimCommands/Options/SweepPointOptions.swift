import ArgumentParser

/// `--db`, `--point` and `--sweep`: `simulate` rebuilds one point of a
/// results file of `edgesim sweep`, as the sweep evaluated it.
struct SweepPointOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "A results file of edgesim sweep: simulate one of its points (--point), with its device overrides, precision and batch.",
      valueName: "file"),
    completion: .file(extensions: ["sqlite"]))
  var db: String?

  @Option(
    help: ArgumentHelp(
      "The point of --db: its point_id, or a unique prefix of at least 6 hex digits.",
      valueName: "id"))
  var point: String?

  @Option(
    help: ArgumentHelp(
      "With --db: the sweep file its points came from; by default the one the results file recorded.",
      valueName: "file"),
    completion: .file(extensions: ["yaml", "yml"]))
  var sweep: String?

  func validate() throws {
    switch (db, point) {
    case (nil, nil):
      if sweep != nil {
        throw ValidationError(
          "--sweep is used with --db and --point: the sweep file a results file's points came from."
        )
      }
    case (.some, nil):
      throw ValidationError(
        "--db needs --point: the point_id (or a unique prefix) of the point to simulate."
      )
    case (nil, .some):
      throw ValidationError(
        "--point needs --db: the results file of edgesim sweep it is a point of."
      )
    case (.some, .some(let point)):
      if !ComparePoints.isPointReference(point.lowercased()) {
        throw ValidationError(
          "'\(point)' is not a point id: give its 16 hex digits or a unique prefix of at least \(ComparePoints.shortestPrefix)."
        )
      }
    }
  }
}
