import Foundation
import SpecFormats
import TestSupport
import Testing

/// `edgesim quantize`: methods, mixed widths, the written file.
@Suite struct QuantizeTests {
  @Test func mixedWidthsReachTheFile() throws {
    let folder = try RunSupport.temporaryFolder("quantize-mixed")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("p84.yaml").path
    let object = try RunSupport.json([
      "quantize", "--model", RunSupport.plain, "--data", RunSupport.images,
      "--labels", RunSupport.labels,
      "--bits", "8", "--weight-bits", "fc=4,*=8", "--calibration-samples",
      "100", "--out", out, "--json",
    ])
    #expect(object["calibration_samples"] as? Int == 100)
    #expect(object["samples"] as? Int == 540)
    #expect(object["float_top1"] is Double && object["top1"] is Double)
    let layers = object["layers"] as? [[String: Any]] ?? []
    let fc = layers.first { $0["op"] as? String == "Gemm" }
    let conv = layers.first { $0["op"] as? String == "Conv" }
    #expect((fc?["weight"] as? [String: Any])?["bits"] as? Int == 4)
    #expect((fc?["activation"] as? [String: Any])?["bits"] as? Int == 8)
    #expect((conv?["weight"] as? [String: Any])?["bits"] as? Int == 8)
    let text = try String(contentsOfFile: out, encoding: .utf8)
    let plan = try #require(
      PrecisionReader.read(bytes: Array(text.utf8), fileName: out).value)
    #expect(plan.entry(named: "/fc/Gemm")?.weight?.bits == 4)
    // It runs.
    let run = try RunSupport.json([
      "run", "--model", RunSupport.plain, "--input", RunSupport.images,
      "--precision", out, "--json",
    ])
    #expect(run["samples"] as? Int == 540)
  }

  @Test(arguments: ["qiu", "ristretto", "static"])
  func everyMethodWritesARunnablePlan(method: String) throws {
    let folder = try RunSupport.temporaryFolder("quantize-\(method)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("p.yaml").path
    let result = try EdgeSimProcess.run([
      "quantize", "--model", RunSupport.dwsep, "--data", RunSupport.images,
      "--labels", RunSupport.labels,
      "--bits", "conv1=16,*=8", "--method", method, "--out", out,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    for text in [
      "/depthwise/Conv", "/Add", "top-1: float", "precision file written to",
    ] {
      #expect(result.standardOutput.contains(text), "\(text)")
    }
    #expect(result.standardOutput.contains("16b fl"))
    let run = try EdgeSimProcess.run([
      "run", "--model", RunSupport.dwsep, "--input", RunSupport.images,
      "--precision", out,
    ])
    #expect(run.status == 0, "\(run.standardError)")
  }

  /// `quantize --bits 8 --json` of `model` on the test images, then `run
  /// --json` of the plan it wrote on the same images: both JSON documents.
  static func quantizeThenRun(
    _ model: String, _ tag: String
  ) throws -> (quantize: [String: Any], run: [String: Any]) {
    let folder = try RunSupport.temporaryFolder(tag)
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("p.yaml").path
    let quantize = try RunSupport.json([
      "quantize", "--model", model, "--data", RunSupport.images,
      "--bits", "8", "--out", out, "--json",
    ])
    let run = try RunSupport.json([
      "run", "--model", model, "--input", RunSupport.images,
      "--precision", out, "--json",
    ])
    return (quantize, run)
  }

  /// The data phase's objective of the first layer at its chosen fl (the
  /// candidates' raws formed inside the sums) is the L1 error `run`
  /// measures for that layer's output under the written plan (§9
  /// statistics, formed without a Double copy): two paths, one number, to
  /// the last bit (issue #19).
  @Test(arguments: [RunSupport.plain, RunSupport.dwsep])
  func theChosenObjectiveIsTheErrorRunMeasures(model: String) throws {
    let (quantize, run) = try Self.quantizeThenRun(model, "quantize-objective")
    let chosen = try #require((quantize["layers"] as? [[String: Any]])?.first)
    let measured = try #require(
      (run["layers"] as? [[String: Any]])?.first {
        $0["name"] as? String == chosen["name"] as? String
      })
    let output = measured["output"] as? [String: Any]
    let endToEnd = output?["end_to_end"] as? [String: Any]
    let error = try #require(chosen["activation_error"] as? Double)
    #expect(error > 0)
    #expect(endToEnd?["l1"] as? Double == error)
    // quantize's measurement of the plan is run's.
    let sqnr = try #require(chosen["sqnr_end_to_end_db"] as? Double)
    #expect(measured["sqnr_end_to_end_db"] as? Double == sqnr)
  }

  /// The weight phase's objective (one pass over each weight tensor for
  /// all its candidates, issue #19) is the weight quantization error `run`
  /// measures for the written plan, every layer, bit for bit.
  @Test(arguments: [RunSupport.plain, RunSupport.dwsep])
  func theWeightErrorIsTheErrorRunMeasures(model: String) throws {
    let (quantize, run) = try Self.quantizeThenRun(model, "quantize-weights")
    let rows = quantize["layers"] as? [[String: Any]] ?? []
    let measured = run["layers"] as? [[String: Any]] ?? []
    var compared = 0
    for row in rows {
      guard let error = row["weight_error"] as? Double else { continue }
      let name = row["name"] as? String
      let layer = try #require(measured.first { $0["name"] as? String == name })
      let weight = layer["weight"] as? [String: Any]
      let local = weight?["local"] as? [String: Any]
      #expect(error > 0)
      #expect(local?["l1"] as? Double == error, "\(name ?? "")")
      compared += 1
    }
    #expect(compared >= 2)
  }

  /// `quantize` measures its plan inside the data phase (issue #19): every
  /// layer's SQNRs and overflows, the top-1 figures and the overflow total
  /// in its report are what `run` measures for the written plan.
  @Test(arguments: [RunSupport.plain, RunSupport.dwsep])
  func theReportIsWhatRunMeasures(model: String) throws {
    let folder = try RunSupport.temporaryFolder("quantize-measured")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("p.yaml").path
    let quantize = try RunSupport.json([
      "quantize", "--model", model, "--data", RunSupport.images,
      "--labels", RunSupport.labels, "--bits", "8", "--out", out, "--json",
    ])
    let run = try RunSupport.json([
      "run", "--model", model, "--input", RunSupport.images,
      "--labels", RunSupport.labels, "--precision", out, "--json",
    ])
    let rows = quantize["layers"] as? [[String: Any]] ?? []
    let measured = run["layers"] as? [[String: Any]] ?? []
    #expect(rows.count > 2)
    for row in rows {
      let name = row["name"] as? String
      let layer = try #require(measured.first { $0["name"] as? String == name })
      for key in ["sqnr_end_to_end_db", "sqnr_local_db"] {
        #expect(
          row[key] as? Double == layer[key] as? Double, "\(name ?? "") \(key)")
      }
      #expect(row["overflows"] as? Int == layer["overflows"] as? Int)
    }
    for key in ["top1", "top5", "float_top1", "top1_agreement"] {
      #expect(quantize[key] as? Double != nil)
      #expect(quantize[key] as? Double == run[key] as? Double, "\(key)")
    }
    #expect(
      quantize["total_overflows"] as? Int == run["total_overflows"] as? Int)
  }
}
