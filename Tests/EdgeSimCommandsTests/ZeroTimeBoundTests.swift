import EdgeSimCommands
import Foundation
import Testing

/// Issue #18 item 9: a layer that takes no time (a view such as Flatten, an
/// activation in its producer's shadow) has no bound, and the text
/// report's bound counts are of layers that take time.
@Suite struct ZeroTimeBoundTests {
  @Test func viewsHaveNoBoundAndAreNotCounted() async throws {
    let arguments = [
      "simulate", "--hardware", "systolic-32x32", "--model", "lenet5",
      "--no-trace",
    ]
    let json = await EdgeSimMain.capture(arguments + ["--json"])
    #expect(json.status == 0, "\(json.standardError)")
    let summary = try #require(
      JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8))
        as? [String: Any])
    let layers = try #require(summary["layers"] as? [[String: Any]])
    var counted: [String: Int] = [:]
    var views = 0
    for layer in layers {
      let latency = layer["latency_s"] as? Double ?? -1
      let bound = layer["bound"] as? String ?? ""
      if latency == 0 {
        #expect(bound == "none", "\(layer["name"] ?? "?")")
        if layer["op"] as? String == "Flatten" { views += 1 }
      } else {
        #expect(bound != "none")
        if layer["fused_into"] is NSNull {
          counted[bound, default: 0] += 1
        }
      }
    }
    #expect(views >= 1)
    let text = await EdgeSimMain.capture(arguments)
    let line = try #require(
      text.standardOutput.split(separator: "\n").first {
        $0.contains("bounds ")
      })
    let expected =
      counted.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
      .joined(separator: ", ") + " layers"
    #expect(line.hasSuffix(expected), "\(line) vs \(expected)")
    #expect(!line.contains("none"))
  }
}
