import EdgeSimCommands
import Testing

/// Issue #18 item 8: an infeasible run's hint fits its cause.
@Suite struct InfeasibleHintTests {
  /// The Edge TPU computes int8 only: the hint names it, not memory.
  @Test func unsupportedPrecisionNamesTheDevicesPrecisions() async {
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", "coral-edgetpu-usb", "--model", "lenet5",
      "--precision", "int16", "--no-trace",
    ])
    #expect(run.status == 1)
    #expect(
      run.standardError.contains(
        "hint: coral-edgetpu-usb computes int8; pass one with --precision"))
    #expect(!run.standardError.contains("more memory"))
  }

  /// ResNet-50's activations do not fit the microcontroller's SRAM.
  @Test func memoryShortfallSuggestsRoom() async {
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", "stm32l4r5", "--model", "resnet50",
      "--no-trace",
    ])
    #expect(run.status == 1)
    #expect(run.standardError.contains("a device with more memory"))
  }
}
