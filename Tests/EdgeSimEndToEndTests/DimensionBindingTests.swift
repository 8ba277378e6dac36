import Foundation
import ONNXImport
import TestSupport
import Testing

/// `--dim NAME=N` on `inspect` and `simulate`: symbolic dimensions other than
/// the batch, including ones named by an expression of others, as exporters
/// write them (`sequence_length + 3`).
@Suite struct DimensionBindingTests {
  /// A tensor type with named dimensions: a string is a symbol, a number a
  /// fixed size.
  static func info(_ name: String, _ dims: [Any]) -> Onnx_ValueInfoProto {
    var info = Onnx_ValueInfoProto()
    info.name = name
    info.type.tensorType.elemType = 1
    info.type.tensorType.shape.dim = dims.map { d in
      var dim = Onnx_TensorShapeProto.Dimension()
      if let symbol = d as? String { dim.dimParam = symbol }
      if let size = d as? Int { dim.dimValue = Int64(size) }
      return dim
    }
    return info
  }

  /// `x [batch, S, 16]` and `past [batch, S + 3, 16]` concatenated along the
  /// sequence, then `· W [16, 8]`: (2S + 3)·16·8 MACs per batch element.
  static func model(in folder: URL) throws -> String {
    try ModernModels.write(
      "sequence-model", opset: 17,
      inputs: [
        info("x", ["batch", "sequence_length", 16]),
        info("past", ["batch", "sequence_length + 3", 16]),
      ],
      outputs: [info("y", ["batch", "total", 8])],
      nodes: [
        ModernModels.node(
          "Concat", ["past", "x"], ["joined"], [ModernModels.int("axis", 1)]),
        ModernModels.node("MatMul", ["joined", "w"], ["y"], name: "project"),
      ],
      initializers: [ModernModels.floats("w", [16, 8])], to: folder)
  }

  static func macs(_ output: EdgeSimProcess.Output) -> Int? {
    let object =
      (try? JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)))
      as? [String: Any]
    return (object?["totals"] as? [String: Any])?["macs"] as? Int
  }

  @Test func inspectBindsNamedAndDerivedDimensions() throws {
    let folder = try RunSupport.temporaryFolder("dimension-binding")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try Self.model(in: folder)

    let unbound = try EdgeSimProcess.run(["inspect", path])
    #expect(unbound.status != 0)
    #expect(unbound.standardError.contains("'sequence_length'"))
    #expect(unbound.standardError.contains("--dim sequence_length=N"))

    let five = try EdgeSimProcess.run([
      "inspect", "--json", "--dim", "sequence_length=5", path,
    ])
    #expect(five.status == 0, "\(five.standardError)")
    #expect(Self.macs(five) == (2 * 5 + 3) * 16 * 8)

    let batched = try EdgeSimProcess.run([
      "inspect", "--json", "--batch", "2", "--dim", "sequence_length=7", path,
    ])
    #expect(Self.macs(batched) == 2 * (2 * 7 + 3) * 16 * 8)
  }

  @Test func simulateBindsDimensions() throws {
    let folder = try RunSupport.temporaryFolder("dimension-simulate")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try Self.model(in: folder)
    let result = try EdgeSimProcess.run([
      "simulate", "--model", path, "--hardware", "pixel3-cpu", "--dim",
      "sequence_length=4", "--json", "--no-trace",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(Self.macs(result) == (2 * 4 + 3) * 16 * 8)
  }

  @Test func badBindingsAreExplained() throws {
    let folder = try RunSupport.temporaryFolder("dimension-errors")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try Self.model(in: folder)

    let typo = try EdgeSimProcess.run([
      "inspect", "--dim", "sequence_length=5", "--dim", "sequence_lenght=5",
      path,
    ])
    #expect(typo.status != 0)
    #expect(
      typo.standardError.contains("no symbolic dimension 'sequence_lenght'"))
    #expect(typo.standardError.contains("'sequence_length'"))

    for bad in ["sequence_length", "sequence_length=-1", "=3", "s=x"] {
      let result = try EdgeSimProcess.run(["inspect", "--dim", bad, path])
      #expect(result.status != 0, "\(bad)")
      #expect(result.standardError.contains("--dim"), "\(bad)")
    }
    let twice = try EdgeSimProcess.run([
      "inspect", "--dim", "s=1", "--dim", "s=2", path,
    ])
    #expect(twice.standardError.contains("given twice"))

    let layerList = try EdgeSimProcess.run([
      "inspect", "--dim", "sequence_length=5", "Workloads/lenet5.yaml",
    ])
    #expect(layerList.status != 0)
    #expect(layerList.standardError.contains("only an ONNX model"))
  }
}
