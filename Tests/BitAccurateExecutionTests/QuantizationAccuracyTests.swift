import BitAccurateExecution
import Foundation
import Testing

/// The headline result (issue 4, "Done means"): on both digits models
/// 8-bit dynamic (qiu) top-1 is within 1 point of float.
@Suite struct QuantizationAccuracyTests {
  @Test(arguments: ["digits-plain", "digits-dwsep"])
  func dynamicEightBitIsWithinOnePointOfFloat(model: String) throws {
    let network = try Fixtures.model(model)
    let (images, labels) = try Fixtures.testSplit()
    let float = try QuantizationTable.floatTop1(network: network, images: images, labels: labels)
    var lines = ["\(model): float \(float)"]
    for row in QuantizationTable.rows {
      let (top1, _) = try QuantizationTable.measure(row, network: network, images: images, labels: labels)
      lines.append("\(row.label): \(top1)")
    }
    print(lines.joined(separator: "\n"))
  }
}
