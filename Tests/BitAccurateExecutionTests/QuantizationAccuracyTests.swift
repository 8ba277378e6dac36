import BitAccurateExecution
import Foundation
import Testing

/// The headline result (issue 4, "Done means") on both digits models, test
/// split (540 images), calibrating on the first 100 test images.
@Suite struct QuantizationAccuracyTests {
  @Test(arguments: ["digits-plain", "digits-dwsep"])
  func dynamicEightBitIsWithinOnePointOfFloat(model: String) throws {
    let network = try Fixtures.model(model)
    let (images, labels) = try Fixtures.testSplit()
    let float = try QuantizationTable.floatTop1(
      network: network, images: images, labels: labels)
    let row = QuantizationTable.Row(label: "8-bit qiu", method: .qiu, bits: 8)
    let (top1, _) = try QuantizationTable.measure(
      row, network: network, images: images, labels: labels)
    #expect(
      abs(top1 - float) <= 0.01, "\(model): float \(float), 8-bit qiu \(top1)")
  }

  /// Measured, not wished for: on these tiny models one shared 8-bit fl
  /// costs little.
  ///
  /// Inputs are in [0, 1], and weights and activations lie within a few
  /// octaves of each other, unlike VGG in Qiu and colleagues' paper. This
  /// pins the finding: static 8-bit stays within 2 points of float, while 4-bit
  /// dynamic loses more than 8-bit dynamic.
  @Test(arguments: ["digits-plain", "digits-dwsep"])
  func staticEightBitIsNotMarkedlyWorseOnTheseModels(model: String) throws {
    let network = try Fixtures.model(model)
    let (images, labels) = try Fixtures.testSplit()
    let float = try QuantizationTable.floatTop1(
      network: network, images: images, labels: labels)
    let (staticTop1, _) = try QuantizationTable.measure(
      .init(label: "static", method: .static, bits: 8), network: network,
      images: images,
      labels: labels)
    let (dynamic8, _) = try QuantizationTable.measure(
      .init(label: "qiu8", method: .qiu, bits: 8), network: network,
      images: images, labels: labels)
    let (dynamic4, _) = try QuantizationTable.measure(
      .init(label: "qiu4", method: .qiu, bits: 4), network: network,
      images: images, labels: labels)
    #expect(
      staticTop1 >= float - 0.02,
      "\(model): static \(staticTop1), float \(float)")
    #expect(
      dynamic4 < dynamic8, "\(model): 4-bit \(dynamic4), 8-bit \(dynamic8)")
  }

  /// Prints `Documentation/Quantization.md`'s table.
  ///
  /// Run with `EDGESIM_PRINT_QUANT_TABLE=1 swift test --filter
  /// printQuantizationTable`.
  @Test(
    .enabled(
      if: ProcessInfo.processInfo.environment["EDGESIM_PRINT_QUANT_TABLE"]
        == "1"))
  func printQuantizationTable() throws {
    let models = ["digits-plain", "digits-dwsep"]
    let (images, labels) = try Fixtures.testSplit()
    var columns: [[String]] = []
    for model in models {
      let network = try Fixtures.model(model)
      var cells = [
        Self.percent(
          try QuantizationTable.floatTop1(
            network: network, images: images, labels: labels))
      ]
      for row in QuantizationTable.rows {
        cells.append(
          Self.percent(
            try QuantizationTable.measure(
              row, network: network, images: images, labels: labels
            ).top1))
      }
      columns.append(cells)
    }
    var lines = [
      "| configuration | " + models.joined(separator: " | ") + " |",
      "| --- | ---: | ---: |",
    ]
    let names = ["float32"] + QuantizationTable.rows.map(\.label)
    for (index, label) in names.enumerated() {
      lines.append(
        "| \(label) | " + columns.map { $0[index] }.joined(separator: " | ")
          + " |")
    }
    print(lines.joined(separator: "\n"))
  }

  static func percent(_ value: Double) -> String {
    String(format: "%.2f%%", value * 100)
  }
}
