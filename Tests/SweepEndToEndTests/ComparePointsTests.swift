import DesignSpace
import Foundation
import ResultsStore
import TestSupport
import Testing

/// `edgesim compare --db R --sweep S A B`: two points of a results file,
/// simulated again and compared layer by layer.
@Suite struct ComparePointsTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The systolic device's file, with its array's side.
  static func systolic(side: Int) throws -> String {
    let text = try String(
      contentsOf: root.appendingPathComponent("Hardware/systolic-32x32.yaml"),
      encoding: .utf8)
    let array = "array: {rows: 32, columns: 32}"
    #expect(text.contains(array))
    return text.replacingOccurrences(
      of: array, with: "array: {rows: \(side), columns: \(side)}")
  }

  /// A folder with `hw/sys.yaml` (the systolic device), the sweep
  /// `sweeps/small.yaml` (which names it relative to itself) and its
  /// results `r.sqlite`: LeNet-5 at batch 1 and 2 with a 16 or 32 side
  /// (done), and an array side on the FPGA (infeasible).
  static func swept() throws -> (URL, [PointRow]) {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    for sub in ["hw", "sweeps"] {
      try FileManager.default.createDirectory(
        at: folder.appendingPathComponent(sub),
        withIntermediateDirectories: true)
    }
    try Data(try systolic(side: 32).utf8).write(
      to: folder.appendingPathComponent("hw/sys.yaml"))
    let sweep = """
      name: small
      studies:
        - models: lenet5
          devices: ../hw/sys.yaml
          batch: [1, 2]
          hardware:
            array_size: [16, 32]
        - models: lenet5
          devices: zc706-qiu2016
          hardware:
            array_size: 8
      """
    try Data(sweep.utf8).write(
      to: folder.appendingPathComponent("sweeps/small.yaml"))
    let (status, log) = try EdgeSimProcess.run(
      ["sweep", "sweeps/small.yaml", "--db", "r.sqlite", "--jobs", "2"],
      in: folder
    ).statusAndError
    #expect(status == 0, "\(log)")
    let rows = try ResultsStore(
      path: folder.appendingPathComponent("r.sqlite").path, readOnly: true
    ).allPoints()
    #expect(rows.count == 5)
    return (folder, rows)
  }

  static func row(_ rows: [PointRow], _ parameters: String) throws -> PointRow {
    try #require(
      rows.first { $0.parameters == parameters }, "no point \(parameters)")
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
      "\(text)")
  }

  /// Two JSON values agree: strings, nulls and bounds exactly, numbers to the
  /// nine significant digits a trace's summary.json keeps, a `delta` relative
  /// to its pair's larger side.
  ///
  /// The point's `point_id` and `parameters` (which a trace lacks) are skipped.
  static func expectSame(
    _ x: Any?, _ y: Any?, _ path: String, scale: Double? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    switch (x, y) {
    case (let x as [String: Any], let y as [String: Any]):
      let keys = Set(x.keys).subtracting(["point_id", "parameters"])
      #expect(keys == Set(y.keys), "\(path)", sourceLocation: sourceLocation)
      let sides = [x["a"], x["b"]].compactMap { ($0 as? NSNumber)?.doubleValue }
        .map(abs).max()
      for key in keys.sorted() {
        expectSame(
          x[key], y[key], path + "." + key, scale: key == "delta" ? sides : nil,
          sourceLocation: sourceLocation)
      }
    case (let x as [Any], let y as [Any]):
      #expect(x.count == y.count, "\(path)", sourceLocation: sourceLocation)
      for (index, (u, v)) in zip(x, y).enumerated() {
        expectSame(u, v, "\(path)[\(index)]", sourceLocation: sourceLocation)
      }
    case (let x as String, let y as String):
      #expect(x == y, "\(path)", sourceLocation: sourceLocation)
    case (is NSNull, is NSNull):
      break
    case (let x as NSNumber, let y as NSNumber):
      let (u, v) = (x.doubleValue, y.doubleValue)
      let tolerance =
        (path.hasSuffix("ratio") ? 1e-7 : 1e-8) * (scale ?? max(abs(u), abs(v)))
      #expect(
        abs(u - v) <= tolerance, "\(path): \(u) vs \(v)",
        sourceLocation: sourceLocation)
    default:
      Issue.record(
        "\(path): \(String(describing: x)) vs \(String(describing: y))",
        sourceLocation: sourceLocation)
    }
  }

  @Test func twoPointsCompareAsTheirTracesDo() throws {
    let (folder, rows) = try Self.swept()
    let a = try Self.row(
      rows, "model=lenet5;device=../hw/sys.yaml;batch=1;hardware[array_size]=16"
    )
    let b = try Self.row(
      rows, "model=lenet5;device=../hw/sys.yaml;batch=2;hardware[array_size]=32"
    )
    // The same two configurations, simulated into trace folders.
    try Data(try Self.systolic(side: 16).utf8).write(
      to: folder.appendingPathComponent("hw/sys16.yaml"))
    for (trace, device, batch) in [
      ("ta", "hw/sys16.yaml", "1"), ("tb", "hw/sys.yaml", "2"),
    ] {
      let (status, log) = try EdgeSimProcess.run(
        [
          "simulate", "--hardware", device, "--model", "lenet5", "--batch",
          batch, "--trace", trace,
        ], in: folder
      ).statusAndError
      #expect(status == 0, "\(log)")
    }
    let (folderStatus, folderOutput, folderLog) = try EdgeSimProcess.run(
      ["compare", "ta", "tb", "--json"], in: folder
    ).statusOutputAndError
    #expect(folderStatus == 0, "\(folderLog)")
    let points = [
      "compare", "--db", "r.sqlite", "--sweep", "sweeps/small.yaml",
      String(a.pointID.prefix(8)),
      b.pointID,
    ]
    let (status, output, log) = try EdgeSimProcess.run(
      points + ["--json"], in: folder
    ).statusOutputAndError
    #expect(status == 0, "\(log)")
    #expect(!log.contains("warning"), "\(log)")
    let json = try Self.json(output)
    let traces = try Self.json(folderOutput)
    Self.expectSame(json, traces, "compare")
    #expect((json["bound_changed"] as? [String])?.isEmpty == false)
    let sideA = try #require(json["a"] as? [String: Any])
    #expect(sideA["point_id"] as? String == a.pointID)
    #expect(sideA["parameters"] as? String == a.parameters)
    #expect((json["b"] as? [String: Any])?["point_id"] as? String == b.pointID)
    // The totals are the stored ones (nothing changed since), to the nine
    // significant digits JSON output keeps.
    let totals = try #require(json["totals"] as? [String: Any])
    func figure(_ key: String, _ side: String, component: String? = nil) throws
      -> Double
    {
      var object = try #require(totals[key] as? [String: Any], "\(key)")
      if let component {
        object = try #require(
          object[component] as? [String: Any], "\(component)")
      }
      return try #require(object[side] as? Double, "\(key).\(side)")
    }
    for (side, row) in [("a", a), ("b", b)] {
      let stored = try #require(row.metrics)
      for (simulated, value) in [
        (try figure("latency_s", side), stored.latency),
        (try figure("energy_j", side, component: "total"), stored.energy),
        (try figure("energy_j", side, component: "dram"), stored.dramEnergy),
        (try figure("dram_bytes", side), Double(stored.dramBytes)),
      ] {
        #expect(
          abs(simulated - value) <= 1e-8 * abs(value),
          "\(side): \(simulated) vs \(value)")
      }
    }

    // The text names both points and the same bottleneck changes.
    let (textStatus, text, _) = try EdgeSimProcess.run(
      points, in: folder
    ).statusOutputAndError
    #expect(textStatus == 0)
    #expect(
      text.hasPrefix("A: point \(a.pointID)  \(a.parameters)\n"), "\(text)")
    #expect(text.contains("B: point \(b.pointID)  \(b.parameters)\n"))
    let (_, folderText, _) = try EdgeSimProcess.run(
      ["compare", "ta", "tb"], in: folder
    ).statusOutputAndError
    let changes = { (t: String) in
      t.split(separator: "\n").last { $0.hasPrefix("bottleneck changed") }
    }
    #expect(changes(text) != nil)
    #expect(changes(text) == changes(folderText))
  }

  /// Two distinct parameter texts whose ids share their first six digits.
  static func collidingPoints() -> (DesignPoint, DesignPoint) {
    var seen: [Substring: DesignPoint] = [:]
    var clock = 1
    while true {
      var point = DesignPoint(
        index: 0, model: "lenet5", device: "../hw/sys.yaml", batch: 1)
      point.hardware = [
        HardwareOverride(parameter: .clock, value: Double(clock))
      ]
      let prefix = point.id.prefix(6)
      if let other = seen[prefix] { return (other, point) }
      seen[prefix] = point
      clock += 1
    }
  }

  @Test func pointsThatCannotBeComparedSayWhy() throws {
    let (folder, rows) = try Self.swept()
    let done = rows.filter { $0.status == "done" }
    let (a, b) = (done[0].pointID, done[1].pointID)
    func compare(
      _ arguments: [String], db: String = "r.sqlite",
      sweep: String = "sweeps/small.yaml"
    ) throws -> (Int32, String) {
      let (status, _, log) = try EdgeSimProcess.run(
        ["compare", "--db", db, "--sweep", sweep] + arguments, in: folder
      ).statusOutputAndError
      return (status, log)
    }
    // Usage errors (--db alone is not one: the results file records its
    // sweep file).
    for arguments in [
      ["compare", "--sweep", "sweeps/small.yaml", a, b],
      [
        "compare", "--db", "r.sqlite", "--sweep", "sweeps/small.yaml", "12345",
        b,
      ],
      [
        "compare", "--db", "r.sqlite", "--sweep", "sweeps/small.yaml", a,
        "not-hex!",
      ],
    ] {
      let (status, _, log) = try EdgeSimProcess.run(
        arguments, in: folder
      ).statusOutputAndError
      #expect(status == 2, "\(arguments): \(log)")
    }
    // An unknown id, with the stored id one digit away.
    let last = a.last == "0" ? "1" : "0"
    let typo = String(a.dropLast()) + last
    var (status, log) = try compare([typo, b])
    #expect(status == 1)
    #expect(
      log.contains("r.sqlite: error: no point '\(typo)' in the results file"),
      "\(log)")
    #expect(log.contains("did you mean '\(a)'?"), "\(log)")
    // A prefix no id starts with.
    let unused = try #require(
      (0..<16).map { String(repeating: String($0, radix: 16), count: 6) }
        .first { p in !rows.contains { $0.pointID.hasPrefix(p) } })
    (status, log) = try compare([a, unused])
    #expect(status == 1)
    #expect(log.contains("no point id starts with '\(unused)'"), "\(log)")
    // A point that is not done.
    let infeasible = try #require(rows.first { $0.status == "infeasible" })
    (status, log) = try compare([String(infeasible.pointID.prefix(6)), a])
    #expect(status == 1)
    #expect(
      log.contains(
        "error: point \(infeasible.pointID) is infeasible: zc706-qiu2016 has no systolic array"
      ),
      "\(log)")
    // Missing files.
    (status, log) = try compare([a, b], db: "nope.sqlite")
    #expect(status == 1)
    #expect(log.contains("nope.sqlite: error: no such file"), "\(log)")
    (status, log) = try compare([a, b], sweep: "sweeps/nope.yaml")
    #expect(status == 1)
    #expect(log.contains("sweeps/nope.yaml: error: no such file"), "\(log)")

    // An ambiguous prefix, and points no study of the sweep produces.
    let (first, second) = Self.collidingPoints()
    try FileManager.default.copyItem(
      at: folder.appendingPathComponent("r.sqlite"),
      to: folder.appendingPathComponent("more.sqlite"))
    let store = try ResultsStore(
      path: folder.appendingPathComponent("more.sqlite").path)
    let metrics = PointMetrics(
      latency: 1, energy: 1, macEnergy: 1, operationEnergy: 0, dramEnergy: 0,
      onChipEnergy: 0,
      staticEnergy: 0, dramBytes: 1)
    for point in [first, second] {
      try store.record(PointResult(point: point, status: .done(metrics)))
    }
    (status, log) = try compare(
      [String(first.id.prefix(6)), a], db: "more.sqlite")
    #expect(status == 1)
    #expect(
      log.contains(
        "more.sqlite: error: '\(first.id.prefix(6))' is the start of 2 point ids"
      ),
      "\(log)")
    (status, log) = try compare([first.id, a], db: "more.sqlite")
    #expect(status == 1)
    #expect(
      log.contains(
        "sweeps/small.yaml: error: point \(first.id) of more.sqlite is not a point of this sweep: "
          + "no study of the sweep produces 'hardware[clock]="), "\(log)")

    // Another sweep file: its name differs, and it has no such point.
    try Data(
      "name: other\nmodels: lenet5\ndevices: ../hw/sys.yaml\nhardware:\n  array_size: 8\n"
        .utf8
    ).write(to: folder.appendingPathComponent("sweeps/other.yaml"))
    (status, log) = try compare([a, b], sweep: "sweeps/other.yaml")
    #expect(status == 1)
    #expect(
      log.contains("r.sqlite: warning: the results are of sweep 'small'"),
      "\(log)")
    #expect(
      log.contains(
        "sweeps/other.yaml: error: point \(a) of r.sqlite is not a point of this sweep"
      ),
      "\(log)")

    // The device file changed since the sweep: compared, with a warning.
    let device = folder.appendingPathComponent("hw/sys.yaml")
    let text = try String(contentsOf: device, encoding: .utf8)
    try Data(
      text.replacingOccurrences(of: "clock: 1 GHz", with: "clock: 2 GHz").utf8
    ).write(
      to: device)
    (status, log) = try compare([a, b])
    #expect(status == 0, "\(log)")
    #expect(
      log.contains(
        "r.sqlite: warning: point \(a) simulates to other totals than the results file holds (latency"
      ), "\(log)")
    // And then removed.
    try FileManager.default.removeItem(at: device)
    (status, log) = try compare([a, b])
    #expect(status == 1)
    #expect(log.contains("hw/sys.yaml: error: no such file"), "\(log)")
  }
}
