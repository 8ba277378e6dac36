import Foundation
import TestSupport
import Testing

/// `edgesim compare` of two traces.
@Suite struct CompareTests {
  static func summary(
    layers: [(String, Double, Double, String)], latency: Double
  ) -> String {
    let items = layers.map { name, seconds, joules, bound in
      """
      {"name":"\(name)","op":"Conv","latency_s":\(seconds),"dram_bytes":100,"utilization":0.5,\
      "bound":"\(bound)","bound_detail":"\(bound)",\
      "energy":{"mac":\(joules),"ops":0,"dram":0,"on_chip":{"glb":0},"static":0,"total":\(joules)}}
      """
    }
    return """
      {"schema":"edgesim.trace/1","model":"m","device":"d","precision":"int8","batch":1,\
      "layers":[\(items.joined(separator: ","))],\
      "totals":{"latency_s":\(latency),"dram_bytes":200,"mac_utilization":0.5,\
      "energy":{"mac":3,"ops":0,"dram":0,"on_chip":{"glb":0},"static":0,"total":3}}}
      """
  }

  @Test func alignsLayersByNameAndNamesBoundChanges() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    let a = Self.summary(
      layers: [("c1", 1, 1, "compute"), ("c2", 2, 2, "dram")], latency: 3)
    let b = Self.summary(
      layers: [("c2", 1, 1, "compute"), ("c3", 4, 2, "dram")], latency: 5)
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("a"), withIntermediateDirectories: true)
    try Data(a.utf8).write(to: folder.appendingPathComponent("a/summary.json"))
    try Data(b.utf8).write(to: folder.appendingPathComponent("b.json"))
    let (status, output, log) = try EdgeSimProcess.run(
      ["compare", "a", "b.json", "--json"], in: folder
    ).statusOutputAndError
    #expect(status == 0, "\(log)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(output.utf8))
        as? [String: Any])
    let layers = try #require(json["layers"] as? [[String: Any]])
    #expect(layers.compactMap { $0["name"] as? String } == ["c1", "c2", "c3"])
    let c2 = layers[1]
    let latency = try #require(c2["latency_s"] as? [String: Any])
    #expect(latency["delta"] as? Double == -1)
    #expect(latency["ratio"] as? Double == 0.5)
    #expect(json["bound_changed"] as? [String] == ["c2"])
    let c1Latency = try #require(layers[0]["latency_s"] as? [String: Any])
    #expect(c1Latency["b"] is NSNull)
    let totals = try #require(json["totals"] as? [String: Any])
    #expect((totals["latency_s"] as? [String: Any])?["delta"] as? Double == 2)

    let (textStatus, text, _) = try EdgeSimProcess.run(
      ["compare", "a", "b.json"], in: folder
    ).statusOutputAndError
    #expect(textStatus == 0)
    #expect(
      text.contains("bottleneck changed in 1 layer(s): c2 (dram → compute)"),
      "\(text)")
  }

  @Test func comparesRealTracesAndRefusesOtherFiles() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    for (trace, device) in [("a", "systolic-32x32"), ("b", "eyeriss-v1")] {
      let (status, log) = try EdgeSimProcess.run(
        [
          "simulate", "--hardware", device, "--model", "lenet5", "--trace",
          trace,
        ], in: folder
      ).statusAndError
      #expect(status == 0, "\(log)")
    }
    let (status, output, log) = try EdgeSimProcess.run(
      ["compare", "a", "b"], in: folder
    ).statusOutputAndError
    #expect(status == 0, "\(log)")
    #expect(output.contains("A: lenet5 on systolic-32x32"))
    #expect(output.contains("conv1"))
    try Data("{\"schema\":\"other\"}".utf8).write(
      to: folder.appendingPathComponent("x.json"))
    let (bad, _, badLog) = try EdgeSimProcess.run(
      ["compare", "a", "x.json"], in: folder
    ).statusOutputAndError
    #expect(bad == 1)
    #expect(
      badLog.contains("x.json: error: the schema is 'other'"), "\(badLog)")
  }
}
