import Testing

@testable import HardwareModel

@Suite struct QuantityParsingTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var text: String
    var value: Double
    var dimension: Dimension
    var testDescription: String { text }
  }

  static let cases: [Case] = [
    // Frequency: every prefix a clock uses.
    .init(text: "150 MHz", value: 150e6, dimension: .frequency),
    .init(text: "2.84 GHz", value: 2.84e9, dimension: .frequency),
    .init(text: "32.768 kHz", value: 32_768, dimension: .frequency),
    .init(text: "1 THz", value: 1e12, dimension: .frequency),
    .init(text: "60MHz", value: 60e6, dimension: .frequency),
    // Time.
    .init(text: "100 ns", value: 100e-9, dimension: .time),
    .init(text: "1.5 us", value: 1.5e-6, dimension: .time),
    .init(text: "1.5 µs", value: 1.5e-6, dimension: .time),
    .init(text: "2 ms", value: 2e-3, dimension: .time),
    .init(text: "3 ps", value: 3e-12, dimension: .time),
    .init(text: "20 cycles", value: 20, dimension: .cycles),
    // Data sizes: KB = 1000 B, KiB = 1024 B, b = bit.
    .init(text: "108 KiB", value: 110_592, dimension: .dataSize),
    .init(text: "108 KB", value: 108_000, dimension: .dataSize),
    .init(text: "108 kB", value: 108_000, dimension: .dataSize),
    .init(text: "2 MB", value: 2e6, dimension: .dataSize),
    .init(text: "2 MiB", value: 2_097_152, dimension: .dataSize),
    .init(text: "1 GiB", value: 1_073_741_824, dimension: .dataSize),
    .init(text: "1 TiB", value: 1_099_511_627_776, dimension: .dataSize),
    .init(text: "1 TB", value: 1e12, dimension: .dataSize),
    .init(text: "512 bit", value: 64, dimension: .dataSize),
    .init(text: "64 b", value: 8, dimension: .dataSize),
    .init(text: "4.9 Mb", value: 612_500, dimension: .dataSize),
    .init(text: "36 Kib", value: 4608, dimension: .dataSize),
    .init(text: "12 bytes", value: 12, dimension: .dataSize),
    // Bandwidth.
    .init(text: "4.26 GB/s", value: 4.26e9, dimension: .bandwidth),
    .init(
      text: "25.6 GiB/s", value: 25.6 * 1_073_741_824, dimension: .bandwidth),
    .init(text: "5 Gb/s", value: 625e6, dimension: .bandwidth),
    .init(text: "5 Gbps", value: 625e6, dimension: .bandwidth),
    .init(text: "400 MB/s", value: 400e6, dimension: .bandwidth),
    .init(text: "64 bit/cycle", value: 8, dimension: .bandwidthPerCycle),
    .init(text: "16 B/cycle", value: 16, dimension: .bandwidthPerCycle),
    // Energy and energy per bit.
    .init(text: "2.5 pJ", value: 2.5e-12, dimension: .energy),
    .init(text: "0.2 nJ", value: 0.2e-9, dimension: .energy),
    .init(text: "24.31 mJ", value: 24.31e-3, dimension: .energy),
    .init(text: "3 fJ", value: 3e-15, dimension: .energy),
    .init(text: "20 pJ/bit", value: 20e-12, dimension: .energyPerBit),
    .init(text: "8 pJ/B", value: 1e-12, dimension: .energyPerBit),
    .init(text: "1 pJ/MAC", value: 1e-12, dimension: .energy),
    // Power and length.
    .init(text: "0.3 W", value: 0.3, dimension: .power),
    .init(text: "278 mW", value: 0.278, dimension: .power),
    .init(text: "40 uW", value: 40e-6, dimension: .power),
    .init(text: "28 nm", value: 28e-9, dimension: .length),
    // Number forms.
    .init(text: "1e3 MHz", value: 1e9, dimension: .frequency),
    .init(text: "1_000 MHz", value: 1e9, dimension: .frequency),
    .init(text: "  7 W  ", value: 7, dimension: .power),
    .init(text: "+2 W", value: 2, dimension: .power),
  ]

  @Test(arguments: cases)
  func parses(_ c: Case) throws {
    let q = try Quantity.parse(c.text)
    #expect(q.dimension == c.dimension)
    #expect(
      abs(q.value - c.value) <= abs(c.value) * 1e-12, "\(q.value) vs \(c.value)"
    )
  }

  @Test func kilobyteAndKibibyteAreDistinct() throws {
    #expect(try Quantity.parse("1 KB").value == 1000)
    #expect(try Quantity.parse("1 KiB").value == 1024)
    #expect(try Quantity.parse("1 Kb").value == 125)
    #expect(try Quantity.parse("1 MB").value != Quantity.parse("1 MiB").value)
  }

  @Test func caseMattersForPrefixes() throws {
    #expect(try Quantity.parse("1 mW").value == 1e-3)
    #expect(try Quantity.parse("1 MW").value == 1e6)
    #expect(throws: UnitError.self) { try Quantity.parse("1 mb") }
  }

  @Test func wrongDimensionIsAnError() {
    #expect(
      throws: UnitError.wrongDimension(
        unit: "GB", found: .dataSize, expected: [.frequency])
    ) {
      try Quantity.parse("2 GB", as: [.frequency])
    }
    #expect(throws: UnitError.self) {
      try Quantity.parse("20 pJ", as: [.energyPerBit])
    }
    #expect(throws: UnitError.self) {
      try Quantity.parse("4 GB/s", as: [.dataSize])
    }
  }

  @Test func missingAndUnknownUnits() {
    #expect(throws: UnitError.missingUnit(expected: [.frequency])) {
      try Quantity.parse("150", as: [.frequency])
    }
    #expect(throws: UnitError.empty) { try Quantity.parse("   ") }
    #expect(throws: UnitError.missingNumber("MHz")) {
      try Quantity.parse("MHz")
    }
    do {
      _ = try Quantity.parse("150 mhz", as: [.frequency])
      Issue.record("expected an error")
    } catch {
      guard case .unknownUnit("mhz", let suggestion, _) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(suggestion == "MHz")
    }
    do {
      _ = try Quantity.parse("64 KiBB", as: [.dataSize])
    } catch {
      #expect(error.hint.contains("did you mean 'KiB'?"))
    }
  }

  @Test func nonFiniteNumbersAreErrors() {
    #expect(throws: UnitError.self) { try Quantity.parse("1e400 Hz") }
    #expect(throws: UnitError.self) { try Quantity.parse("nan Hz") }
    #expect(throws: UnitError.self) { try Quantity.parse("inf W") }
  }

  /// Formatting a parsed quantity and parsing it again gives the same value
  /// (to the three significant digits the formatter keeps).
  @Test(arguments: cases)
  func roundTripsThroughTheFormatter(_ c: Case) throws {
    let q = try Quantity.parse(c.text)
    let text = q.description
    let again = try Quantity.parse(text)
    #expect(again.dimension == q.dimension, "\(text)")
    #expect(
      abs(again.value - q.value) <= abs(q.value) * 5e-3, "\(c.text) → \(text)")
  }

  @Test func everyDimensionHasExamplesThatParse() throws {
    for dimension in Dimension.allCases {
      let first =
        dimension.examples.split(separator: ",").first.map(String.init) ?? ""
      let q = try Quantity.parse(first)
      #expect(q.dimension == dimension, "\(dimension): \(first)")
    }
  }
}
