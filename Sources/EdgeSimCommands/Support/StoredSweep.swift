import DesignSpace
import Diagnostics
import Foundation
import ResultsStore
import SpecFormats

/// What a results file keeps to rebuild its points: the text of every sweep
/// file written into it, where that file was, and the EdgeSim that wrote it
/// (`sweep_info` keys `sweep_text:H`, `sweep_file:H`, `edgesim_version:H`,
/// H the FNV-1a hash of the text; Documentation/ResultsDatabase.md).
///
/// A point's parameters and the sweep text that produced it rebuild the
/// point exactly; its models and devices are read again from the files the
/// sweep names, relative to where the sweep file was.
struct StoredSweep {
  /// The sweep file's text, as the sweep read it.
  var text: String
  /// The sweep file's absolute path when it was run (names resolve
  /// against its folder).
  var path: String
  /// The EdgeSim version that ran it.
  var version: String?

  static let textKey = "sweep_text:"
  static let fileKey = "sweep_file:"
  static let versionKey = "edgesim_version:"

  /// Records a sweep file in the results file (once per distinct text).
  static func record(text: String, path: String, in store: ResultsStore)
    throws(ResultsStoreError)
  {
    let hash = StableHash.hex(StableHash.fnv1a(text))
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    try store.setInfoIfAbsent(fileKey + hash, absolute)
    try store.setInfoIfAbsent(versionKey + hash, EdgeSimVersion.current)
    // Written last: a text present means its path and version are too.
    try store.setInfoIfAbsent(textKey + hash, text)
  }

  /// The sweep files recorded in a results file, oldest hash first.
  static func all(in store: ResultsStore) throws(ResultsStoreError)
    -> [StoredSweep]
  {
    let files = Dictionary(
      try store.infos(withPrefix: fileKey).map {
        (String($0.key.dropFirst(fileKey.count)), $0.value)
      }, uniquingKeysWith: { a, _ in a })
    let versions = Dictionary(
      try store.infos(withPrefix: versionKey).map {
        (String($0.key.dropFirst(versionKey.count)), $0.value)
      }, uniquingKeysWith: { a, _ in a })
    return try store.infos(withPrefix: textKey).compactMap { entry in
      let hash = String(entry.key.dropFirst(textKey.count))
      guard let path = files[hash] else { return nil }
      return StoredSweep(text: entry.value, path: path, version: versions[hash])
    }
  }
}

/// A stored point, found by reference and rebuilt from the sweep that
/// produced it.
struct RebuiltPoint {
  var row: PointRow
  var point: DesignPoint
  /// The plan the point was rebuilt from.
  var plan: SweepPlan
  /// The sweep file names resolve against.
  var specPath: String
  /// The EdgeSim version that evaluated it, when recorded.
  var version: String?

  /// Finds `reference` in `db` and rebuilds it from the sweep file `sweep`
  /// when given, else from the sweep files the results file recorded.
  ///
  /// - Throws: ``CommandFailure`` naming the file at fault: an unknown or
  ///   ambiguous point, a point that is not done, a results file from
  ///   before sweep files were recorded (and no `sweep`), parameters no
  ///   recorded sweep produces.
  static func find(
    _ reference: String, db: String, sweep: String?, store: ResultsStore,
    printer: inout DiagnosticPrinter
  ) throws(CommandFailure) -> RebuiltPoint {
    let row = try ComparePoints.doneRow(reference, in: store, db: db)
    let location = SourceLocation(file: db)
    if let sweep {
      let plan = try ComparePoints.readPlan(sweep, printer: &printer)
      let side = try ComparePoints.side(
        row.pointID, store: store, plan: plan, db: db, sweep: sweep)
      return RebuiltPoint(
        row: row, point: side.point, plan: plan, specPath: sweep, version: nil)
    }
    let stored: [StoredSweep]
    do throws(ResultsStoreError) {
      stored = try StoredSweep.all(in: store)
    } catch {
      throw CommandFailure(
        .error(
          ReportSweepReader.message(error), at: location,
          hint: "name a results file written by edgesim sweep --db"))
    }
    guard !stored.isEmpty else {
      throw CommandFailure(
        .error(
          "the results file does not record the sweep file its points came from",
          at: location,
          hint:
            "it was written before results files recorded their sweep files; give the sweep file with --sweep SPEC.yaml"
        ))
    }
    var closest: String?
    for sweepFile in stored {
      let result = SweepReader.read(
        bytes: Array(sweepFile.text.utf8), fileName: sweepFile.path)
      guard let plan = result.value else { continue }
      switch plan.point(parameters: row.parameters) {
      case .success(let point) where point.id == row.pointID:
        return RebuiltPoint(
          row: row, point: point, plan: plan, specPath: sweepFile.path,
          version: sweepFile.version)
      case .success:
        closest = "its parameters hash to another id"
      case .failure(let problem):
        closest = problem.description
      }
    }
    throw CommandFailure(
      .error(
        "point \(row.pointID) is not a point of the sweep files the results file records: \(closest ?? "none of them reads")",
        at: location,
        hint:
          "give the sweep file it was written from with --sweep SPEC.yaml (its parameters: \(row.parameters))"
      ))
  }

  /// A warning when another EdgeSim evaluated the point, else `nil`.
  func versionWarning(db: String) -> Diagnostic? {
    guard let version, version != EdgeSimVersion.current else { return nil }
    return .warning(
      "point \(row.pointID) was evaluated by EdgeSim \(version); this is \(EdgeSimVersion.current)",
      at: SourceLocation(file: db),
      hint: "figures may differ where the simulator changed")
  }
}
