import Foundation
import TestSupport
import Testing

@Suite struct CommandLineTests {
  @Test func versionAndHelpExitZero() throws {
    let version = try EdgeSimProcess.run(["--version"])
    #expect(version.status == 0)
    #expect(version.standardOutput.contains("0."))
    let help = try EdgeSimProcess.run(["--help"])
    #expect(help.status == 0)
    #expect(help.standardOutput.contains("validate"))
    #expect(help.standardOutput.contains("devices"))
  }

  @Test(arguments: ["validate", "devices", "inspect", "simulate"])
  func everyCommandsHelpHasAnExample(_ command: String) throws {
    let help = try EdgeSimProcess.run([command, "--help"])
    #expect(help.status == 0)
    #expect(help.standardOutput.contains("Example"))
    #expect(help.standardOutput.contains("edgesim \(command)"))
  }

  @Test func usageErrorsExitTwo() throws {
    #expect(try EdgeSimProcess.run(["no-such-command"]).status == 2)
    #expect(try EdgeSimProcess.run(["validate"]).status == 2)
    #expect(try EdgeSimProcess.run(["devices", "--no-such-flag"]).status == 2)
  }

  @Test func bundledHardwareValidates() throws {
    let folder = EdgeSimProcess.root.appendingPathComponent("Hardware")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".yaml") }.sorted().map { "Hardware/\($0)" }
    #expect(files.count >= 8)
    let result = try EdgeSimProcess.run(["validate"] + files)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardError.contains("\(files.count) files valid"))
  }

  /// Every kind of file the tool reads is recognised and checked by its
  /// own reader.
  @Test func everyKindOfFileValidates() throws {
    let valid = [
      "Workloads/lenet5.yaml", "Workloads/digits/digits-plain.onnx",
      "Workloads/scalesim/lenet5.csv", "Workloads/sweeps/example.yaml",
      "Workloads/compression/alexnet-deep-compression.yaml",
      "Tests/SpecFormatsTests/Fixtures/precision/valid.yaml",
      "Tests/SpecFormatsTests/Fixtures/compression/valid.yaml",
      "Workloads/scalesim-parity/configs/os32.cfg",
    ]
    let result = try EdgeSimProcess.run(["validate"] + valid)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardError.contains("\(valid.count) files valid"))
    // Each invalid file gets its own reader's message, not hardware's.
    for (file, message) in [
      ("precision/invalid/bits-65.yaml", "'bits' is 65"),
      ("compression/invalid/unknown-key.yaml", "unknown key 'clusterbits'"),
      ("workloads/invalid/unknown-op.yaml", "unknown"),
    ] {
      let path = "Tests/SpecFormatsTests/Fixtures/\(file)"
      let bad = try EdgeSimProcess.run(["validate", path])
      #expect(bad.status == 1, "\(file)")
      #expect(bad.standardError.contains(message), "\(bad.standardError)")
      #expect(!bad.standardError.contains("missing key 'memory'"), "\(file)")
    }
    // --kind forces a reader.
    let forced = try EdgeSimProcess.run([
      "validate", "--kind", "hardware", "Workloads/lenet5.yaml",
    ])
    #expect(forced.status == 1)
    #expect(forced.standardError.contains("missing key 'memory'"))
  }

  @Test func invalidFileExitsOneWithLocatedErrors() throws {
    let result = try EdgeSimProcess.run([
      "validate", "Tests/SpecFormatsTests/Fixtures/invalid/many-errors.yaml",
      "Tests/SpecFormatsTests/Fixtures/valid-npu.yaml",
    ])
    #expect(result.status == 1)
    let errors = result.standardError.split(separator: "\n").filter {
      $0.contains(": error: ")
    }
    #expect(errors.count == 3)
    #expect(
      result.standardError.contains(
        "Tests/SpecFormatsTests/Fixtures/invalid/many-errors.yaml:2:7: error: 'tpu' is not a valid kind"
      ))
    #expect(result.standardError.contains("  hint: did you mean 'MHz'?"))
    #expect(result.standardError.contains("1 of 2 files invalid"))
  }

  @Test func missingFileAndFolderAreErrors() throws {
    let missing = try EdgeSimProcess.run(["validate", "no/such/file.yaml"])
    #expect(missing.status == 1)
    #expect(
      missing.standardError.contains("no/such/file.yaml: error: no such file"))
    let folder = try EdgeSimProcess.run(["validate", "Hardware"])
    #expect(folder.status == 1)
  }

  @Test func validateJSON() throws {
    let result = try EdgeSimProcess.run([
      "validate", "--json",
      "Tests/SpecFormatsTests/Fixtures/invalid/unknown-key.yaml",
    ])
    #expect(result.status == 1)
    let object =
      try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
      as? [String: Any]
    #expect(object?["valid"] as? Bool == false)
    let files = object?["files"] as? [[String: Any]]
    let diagnostic = (files?.first?["diagnostics"] as? [[String: Any]])?.first
    #expect(diagnostic?["line"] as? Int == 4)
    #expect(diagnostic?["column"] as? Int == 1)
  }

  @Test func hostileInputIsRefused() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "edgesim-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    var previous = "a"
    for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
      bomb +=
        "\(name): &\(name) ["
        + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ")
        + "]\n"
      previous = name
    }
    let cases: [String: Data] = [
      "bomb.yaml": Data(bomb.utf8),
      "deep.yaml": Data(
        (String(repeating: "[", count: 20_000)
          + String(repeating: "]", count: 20_000)).utf8),
      "long.yaml": Data(
        ("name: " + String(repeating: "x", count: 3_000_000)).utf8),
      "garbage.yaml": Data(
        (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
      ),
      "empty.yaml": Data(),
      "list.yaml": Data("- a\n- b\n".utf8),
    ]
    for (name, data) in cases {
      let path = folder.appendingPathComponent(name)
      try data.write(to: path)
      let result = try EdgeSimProcess.run(["validate", path.path])
      #expect(result.status == 1, "\(name)")
      #expect(result.standardError.contains("error:"), "\(name)")
    }
  }
}
