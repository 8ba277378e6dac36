import Foundation
import NumPyFormat
import ONNXImport
import SwiftProtobuf
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
    var mod = Onnx_NodeProto()
    mod.name = "remainder"
    mod.opType = "Mod"
    mod.input = ["x", "d"]
    mod.output = ["y"]
    var attribute = Onnx_AttributeProto()
    attribute.name = "fmod"
    attribute.type = .int
    attribute.i = fmod
    mod.attribute = [attribute]
    func value(_ name: String) -> Onnx_ValueInfoProto {
      var info = Onnx_ValueInfoProto()
      info.name = name
      info.type.tensorType.elemType = 1
      info.type.tensorType.shape.dim = ([1, 4] as [Int64]).map {
        var dim = Onnx_TensorShapeProto.Dimension()
        dim.dimValue = $0
        return dim
      }
      return info
    }
    var divisor = Onnx_TensorProto()
    divisor.name = "d"
    divisor.dims = [4]
    divisor.dataType = 1
    divisor.floatData = [3, -3, 2.5, -2.5]
    var graph = Onnx_GraphProto()
    graph.name = "mod"
    graph.node = [mod]
    graph.initializer = [divisor]
    graph.input = [value("x")]
    graph.output = [value("y")]
    var opset = Onnx_OperatorSetIdProto()
    opset.version = 13
    var model = Onnx_ModelProto()
    model.irVersion = 8
    model.opsetImport = [opset]
    model.graph = graph
    let url = folder.appendingPathComponent("mod-\(fmod).onnx")
    try Data(model.serializedBytes() as [UInt8]).write(to: url)
    return url.path
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
