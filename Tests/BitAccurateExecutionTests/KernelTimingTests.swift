import BitAccurateExecution
import Foundation
import Testing

/// Wall-clock figures for `Documentation/Quantization.md` (release builds only
/// mean anything).
///
/// Run with `EDGESIM_PRINT_KERNEL_TIMING=1 swift test -c release --filter
/// printKernelTiming`.
@Suite struct KernelTimingTests {
  @Test(
    .enabled(
      if: ProcessInfo.processInfo.environment["EDGESIM_PRINT_KERNEL_TIMING"]
        == "1"))
  func printKernelTiming() throws {
    let (images, _) = try Fixtures.testSplit()
    var lines: [String] = []
    for model in ["digits-plain", "digits-dwsep"] {
      let network = try Fixtures.model(model)
      let float = try FloatExecutor(network: network)
      let plan = try Calibrator.calibrate(
        network: network, data: images,
        configuration: CalibrationConfiguration()
      ).plan
      let fixed = try FixedPointExecutor(network: network, plan: plan)
      let serial = try FixedPointExecutor(
        network: network, plan: plan, concurrency: 1)
      func best(_ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<7 {
          let start = ContinuousClock.now
          try body()
          let elapsed = ContinuousClock.now - start
          times.append(
            Double(elapsed.components.attoseconds) / 1e18
              + Double(elapsed.components.seconds))
        }
        return times.min() ?? 0
      }
      let tf = try best { _ = try float.run(input: images) }
      let tx = try best { _ = try fixed.run(input: images) }
      let t1 = try best { _ = try serial.run(input: images) }
      let tc = try best {
        _ = try Calibrator.calibrate(
          network: network, data: images,
          configuration: CalibrationConfiguration())
      }
      lines.append(
        "\(model): 540 images float \(ms(tf)) ms, fixed 8-bit \(ms(tx)) ms (1 core \(ms(t1)) ms), "
          + "ratio fixed/float \(String(format: "%.2f", tx / tf)), qiu calibration \(ms(tc)) ms"
      )
    }
    print(lines.joined(separator: "\n"))
  }

  func ms(_ seconds: Double) -> String {
    String(format: "%.1f", seconds * 1000)
  }
}
