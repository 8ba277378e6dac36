import Diagnostics
import Foundation
import HardwareModel
import Testing

@testable import SpecFormats

/// The measurements file of `calibrate`: RFC 4180 fields and errors on the
/// cell.
@Suite struct MeasurementReaderTests {
  static func read(_ text: String) -> LoadResult<[MeasurementRecord]> {
    MeasurementReader.read(bytes: Array(text.utf8), fileName: "m.csv")
  }

  static func locations(_ result: LoadResult<[MeasurementRecord]>) -> [String] {
    result.diagnostics.compactMap { d in
      d.location.map { "\($0.line ?? 0):\($0.column ?? 0) \(d.message)" }
    }
  }

  /// Quoted fields keep their commas, doubled quotes and line breaks;
  /// optional columns default; columns come in any order.
  @Test func readsQuotedFields() throws {
    let result = Self.read(
      """
      model,device,precision,latency_ms,notes,batch,regime
      lenet5,stm32l4r5,INT8,12.5,"a, b and ""c""\",,
      "mobilenet_v1",pixel3-cpu,fp32,24,"two\r\nlines",2,cold

      """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    let rows = try #require(result.value)
    #expect(rows.count == 2)
    #expect(rows[0].precision == .int8)
    #expect(rows[0].batch == 1)
    #expect(rows[0].regime == .steady)
    #expect(rows[0].notes == "a, b and \"c\"")
    #expect(
      rows[0].modelLocation == SourceLocation(file: "m.csv", line: 2, column: 1)
    )
    #expect(rows[1].model == "mobilenet_v1")
    #expect(rows[1].line == 3)
    #expect(rows[1].batch == 2)
    #expect(rows[1].regime == .cold)
    #expect(rows[1].latencyMilliseconds == 24)
  }

  /// Every problem at once, each at its cell.
  @Test func badCellsAreLocated() {
    let result = Self.read(
      """
      device,model,precision,latency_ms,batch
      d,m,in8,-3,0
      d,m,int8,1
      d,,fp32,1,1
      """)
    #expect(result.value == nil)
    #expect(
      Self.locations(result) == [
        "2:5 unknown precision 'in8'",
        "2:9 latency_ms '-3' is not a positive number of milliseconds",
        "2:12 batch '0' is not a whole number from 1 to 65536",
        "3:1 this row has 4 fields; the header has 5",
        "4:3 empty 'model'",
      ])
    #expect(result.diagnostics[0].hint?.contains("did you mean 'int8'") == true)
  }

  /// Unknown and missing columns are reported on the header.
  @Test func headerProblems() {
    let result = Self.read("device,mdel,precision,latency\n")
    #expect(
      Self.locations(result) == [
        "1:8 unknown column 'mdel'", "1:23 unknown column 'latency'",
        "1:1 missing column 'model'", "1:1 missing column 'latency_ms'",
      ])
    #expect(
      result.diagnostics[0].hint?.contains("did you mean 'model'") == true)
  }

  /// An unclosed quote is reported where it opens; text after a closing
  /// quote where it stands.
  @Test func quoteErrors() {
    #expect(
      Self.locations(
        Self.read("device,model,precision,latency_ms\nd,\"m,int8,1\n")
      )
      .first == "2:3 this quote is never closed")
    #expect(
      Self.locations(
        Self.read("device,model,precision,latency_ms\nd,\"m\"x,int8,1\n")
      )
      .first == "2:6 text after a closing quote")
  }

  /// The committed calibration set reads without a diagnostic.
  @Test func publishedSetReads() throws {
    let url = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent("Hardware/measurements/published.csv")
    let result = MeasurementReader.read(
      bytes: try [UInt8](Data(contentsOf: url)), fileName: "published.csv")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.prefix(3))")
    #expect(result.value?.count == 152)
  }
}

/// Writing fitted factors into a hardware file's text.
@Suite struct EfficiencyWriterTests {
  static let text = """
    name: d
    # about the factors
    efficiency:
      conv: {value: 0.5, fitted_to: "old"}
      # an indented comment

      gemm:
        value: 0.5
        fitted_to: old
    # about power
    power:
      static: 0.1 W

    """

  /// The block is replaced, everything else kept.
  @Test func replacesTheBlock() {
    let written = EfficiencyWriter.rewrite(
      Self.text,
      efficiency: [
        .gemm: CalibrationFactor(value: 0.25, fittedTo: "fit \"q\""),
        .conv: CalibrationFactor(value: 0.125, fittedTo: "fit"),
      ], comment: ["by a test"])
    #expect(
      written == """
        name: d
        # about the factors
        efficiency:
          # by a test
          conv: {value: 0.125, fitted_to: "fit"}
          gemm: {value: 0.25, fitted_to: "fit \\"q\\""}
        # about power
        power:
          static: 0.1 W

        """)
  }

  /// A bundled device with its factors rewritten reads back with them.
  @Test func rewrittenDeviceReadsBack() throws {
    let url = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent("Hardware/zc706-qiu2016.yaml")
    let original = try String(contentsOf: url, encoding: .utf8)
    var factors: [OperatorClass: CalibrationFactor] = [:]
    for (index, operatorClass) in OperatorClass.allCases.enumerated() {
      factors[operatorClass] = CalibrationFactor(
        value: 0.1 + Double(index) / 100, fittedTo: "a fit: \\ \"x\"")
    }
    let written = EfficiencyWriter.rewrite(original, efficiency: factors)
    let result = HardwareLoader.read(
      bytes: Array(written.utf8), fileName: "p.yaml")
    let device = try #require(result.value, "\(result.diagnostics)")
    #expect(device.efficiency == factors)
    let before = try #require(
      HardwareLoader.read(bytes: Array(original.utf8), fileName: "p.yaml").value
    )
    var expected = before
    expected.efficiency = factors
    #expect(device == expected)
  }
}
