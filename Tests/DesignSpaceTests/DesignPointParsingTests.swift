import DesignSpace
import SpecFormats
import Testing

/// `SweepPlan.point(parameters:)`: a stored point's parameter text back to
/// the point.
@Suite struct DesignPointParsingTests {
  /// Two studies on one model and device (so the study is told apart by its
  /// axes), precision axes by layer, group, list and `all`, with `fl`,
  /// `weight_fl` and `activation_fl`; hardware axes with whole and
  /// fractional values.
  static let yaml = """
    name: parsing
    studies:
      - models: [net.onnx, other]
        devices: d
        batch: [1, 3]
        precision:
          default_bits: 6
          groups:
            convs: [c1, c2]
          axes:
            - {layers: c1, bits: 8, fl: 2..3}
            - {layers: convs, bits: [4, 8]}
            - {layers: all, bits: 16}
            - {layers: fc, bits: 8, weight_fl: 6..7, activation_fl: [1, 3]}
            - {layers: [c2, fc], bits: [2, 3]}
            - {layers: c2, bits: 5, activation_fl: -2}
        hardware:
          clock: [150 MHz, 1.5 GHz]
          bandwidth: 12.8 GB/s
          buffers:
            sram: [48 KiB, 0.1 MiB]
      - models: net.onnx
        devices: [d, e]
        hardware:
          array_size: 8..24 by 8
          array_rows: 3
      - models: net.onnx
        devices: d
        precision:
          axes:
            - {layers: c1, bits: 8, weight_fl: 2}
    """

  static func plan() throws -> SweepPlan {
    let result = SweepReader.read(
      bytes: Array(yaml.utf8), fileName: "parsing.yaml")
    return try #require(result.value, "\(result.diagnostics)")
  }

  @Test func everyPointOfAPlanRoundTrips() throws {
    let plan = try Self.plan()
    let points = Array(try plan.points(in: .whole))
    // Study 1: models 2, batches 2, c1 2, convs 2, fc 2 × 2, c2+fc 2,
    // clock 2, sram 2; study 2: devices 2, array_size 3; study 3: 1.
    #expect(points.count == 2 * 2 * 2 * 2 * 4 * 2 * 2 * 2 + 2 * 3 + 1)
    #expect(Set(points.map(\.canonical)).count == points.count)
    // The texts exercise every setting form.
    let texts = points.map(\.canonical).joined(separator: "\n")
    for form in [
      "=8/fl2", "=8/wfl6/afl1", "=5/afl-2", "=8/wfl2", "[all]=16", "[convs]=4",
      "[c2+fc]=",
      "=1500000000", "=104857.6", "[array_rows]=3",
    ] {
      #expect(texts.contains(form), "no parameter text has \(form)")
    }
    for point in points {
      let parsed = plan.point(parameters: point.canonical)
      guard case .success(let found) = parsed else {
        Issue.record("\(point.canonical): \(parsed)")
        continue
      }
      #expect(found == point, "\(point.canonical)")
      #expect(found.id == point.id)
    }
  }

  @Test func textsNoStudyProducesSayWhereTheyDepart() throws {
    let plan = try Self.plan()
    let good = plan.point(at: 0).canonical
    func failure(_ text: String) -> DesignPointParsingError? {
      if case .failure(let error) = plan.point(parameters: text) {
        return error
      }
      Issue.record("'\(text)' parsed")
      return nil
    }
    // Another model.
    let model = failure(
      good.replacingOccurrences(of: "model=net.onnx", with: "model=nets.onnx"))
    #expect(model?.field == "model")
    #expect(model?.found == "model=nets.onnx")
    #expect(model?.expected == ["net.onnx", "other"])
    // A setting the axis does not take: the first study went furthest.
    let setting = try #require(
      failure(
        good.replacingOccurrences(
          of: "precision[c1]=8/fl2", with: "precision[c1]=8/fl9")))
    #expect(setting.study == 0)
    #expect(setting.field == "precision[c1]")
    #expect(setting.expected == ["8/fl2", "8/fl3"])
    #expect(
      setting.description
        == "no study of the sweep produces 'precision[c1]=8/fl9': the closest (study 1) has precision[c1] = 8/fl2, 8/fl3 there"
    )
    // A hardware value the axis does not take.
    let value = failure(
      good.replacingOccurrences(
        of: "hardware[clock]=150000000", with: "hardware[clock]=150000001"))
    #expect(value?.field == "hardware[clock]")
    // A missing default_bits.
    let bits = failure(
      good.replacingOccurrences(of: "default_bits=6;", with: ""))
    #expect(bits?.field == "default_bits")
    // Cut short, and with a field too many.
    // (Three studies match three fields; the first is named.)
    let short = try #require(failure("model=net.onnx;device=d;batch=1"))
    #expect(short.study == 0)
    #expect(short.field == "default_bits")
    #expect(short.found == nil)
    #expect(
      short.description
        == "the parameters end where the closest (study 1) has default_bits = 6"
    )
    let long = try #require(
      failure(
        "model=net.onnx;device=e;batch=1;hardware[array_size]=8;hardware[array_rows]=3;clock=1"
      ))
    #expect(long.study == 1)
    #expect(long.field == nil)
    #expect(long.found == "clock=1")
    // Empty texts and plans.
    #expect(failure("")?.field == "model")
    if case .failure(let error) = SweepPlan(name: "e", studies: []).point(
      parameters: good)
    {
      #expect(error.study == nil)
      #expect(error.description == "the sweep has no study")
    } else {
      Issue.record("an empty plan has no point")
    }
  }

  @Test func theLongestValueThatEndsAFieldWins() throws {
    // `a` is a prefix of `a;b`: only the whole field decides.
    let plan = SweepPlan(
      name: "p",
      studies: [
        Study(models: ["a", "a;b"], devices: ["d", "d;x"], batches: [1, 12])
      ])
    for point in Array(try plan.points(in: .whole)) {
      #expect(
        (try? plan.point(parameters: point.canonical).get()) == point,
        "\(point.canonical)")
    }
  }
}
