import Foundation
import TestSupport
import Testing

/// ZigZag's `tpu_like` example in EdgeSim's format (`Scripts/zigzag/`), through
/// the binary: every MAC reads its weight register and reads and writes its
/// accumulator; the SRAM, which weights bypass, sees none of them.
@Suite struct ZigZagExampleTests {
  @Test func perPERegistersThroughTheCommand() throws {
    let run = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--json", "--no-residency",
      "--hardware", "Scripts/zigzag/tpu_like.yaml", "--model", "lenet5",
      "--precision", "Scripts/zigzag/int8-psum16.yaml",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    let layers = try #require(object["layers"] as? [[String: Any]])
    let convs = layers.filter { ($0["op"] as? String) == "Conv" }
    #expect(!convs.isEmpty)
    for layer in convs {
      let macs = try #require((layer["macs"] as? NSNumber)?.doubleValue)
      let levels = try #require(layer["levels"] as? [[String: Any]])
      func accesses(_ level: String, _ way: String, _ operand: String)
        -> Double
      {
        let entry = levels.first { ($0["level"] as? String) == level }
        return ((entry?[way] as? [String: Any])?[operand] as? NSNumber)?
          .doubleValue ?? 0
      }
      // 8-bit weights: one byte per MAC; 16-bit partial sums: two bytes
      // read and two written per MAC, plus drains and refills.
      #expect(accesses("rf_128B", "reads", "weights") == macs)
      #expect(accesses("rf_2B", "reads", "outputs") >= 2 * macs)
      #expect(accesses("rf_2B", "writes", "outputs") >= 2 * macs)
      #expect(accesses("sram_2MB", "reads", "weights") == 0)
      #expect(accesses("sram_2MB", "writes", "weights") == 0)
      #expect(layer["inputs_on_chip"] as? Bool == false)
    }
  }
}
