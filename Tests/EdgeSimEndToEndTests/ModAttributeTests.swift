import Foundation
import NumPyFormat
import ONNXImport
import TestSupport
import Testing

/// ONNX Mod's `fmod` attribute through `edgesim run`.
///
/// `fmod` 1 is C's `fmod` (the dividend's sign), `fmod` 0 is integer-only (the divisor's
/// sign; onnxruntime refuses it on floats, and so does EdgeSim), other
/// values are refused at import. The integer cases against onnxruntime are
/// `int-div-mod` and `int-mod-fmod` of `ExtendedOperatorRunTests`.
struct ModAttributeTests {
  /// x (float, [1, 4]) → Mod(x, d) with `fmod` → y.
  static func model(fmod: Int64, in folder: URL) throws -> String {
    typealias M = ModernModels
    var divisor = M.floats("d", [4])
    divisor.floatData = [3, -3, 2.5, -2.5]
    return try M.write(
      "mod-\(fmod)", opset: 13, inputs: [M.info("x", [1, 4])],
      outputs: [M.info("y", [1, 4])],
      nodes: [
        M.node(
          "Mod", ["x", "d"], ["y"], name: "remainder", [M.int("fmod", fmod)])
      ],
      initializers: [divisor], to: folder)
  }

  static func input(in folder: URL) throws -> String {
    let url = folder.appendingPathComponent("x.npy")
    try NumPyArray(float32: [-7, -7, 7, -6], shape: [1, 4]).npyData()
      .write(to: url)
    return url.path
  }

  @Test func fmodOneTakesTheDividendsSign() throws {
    let folder = try RunSupport.temporaryFolder("mod-fmod")
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("y.npy")
    let result = try EdgeSimProcess.run([
      "run", "--model", try Self.model(fmod: 1, in: folder),
      "--input", try Self.input(in: folder), "--output", output.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    // C fmod: −7 mod 3 = −1, −7 mod −3 = −1, 7 mod 2.5 = 2, −6 mod −2.5 = −1.
    let y = try NumPyArray(npy: Data(contentsOf: output)).float32Values
    #expect(y == [-1, -1, 2, -1])
  }

  @Test func fmodZeroOnFloatsIsRefusedNamingTheNode() throws {
    let folder = try RunSupport.temporaryFolder("mod-float")
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try EdgeSimProcess.run([
      "run", "--model", try Self.model(fmod: 0, in: folder),
      "--input", try Self.input(in: folder),
    ])
    #expect(result.status != 0)
    #expect(result.standardError.contains("remainder"))
    #expect(result.standardError.contains("fmod=1"))
  }

  @Test func anotherFmodIsAnImportError() throws {
    let folder = try RunSupport.temporaryFolder("mod-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try EdgeSimProcess.run([
      "inspect", try Self.model(fmod: 2, in: folder),
    ])
    #expect(result.status != 0)
    #expect(result.standardError.contains("remainder"))
    #expect(result.standardError.contains("'fmod' is 2"))
  }
}
