import EdgeSimCommands
import Testing

/// Issue #16: `simulate` searches MAC layers' mappings ahead on a second
/// thread (`--search-threads 2`, the default where a second core exists);
/// its output is byte for byte the output of the searches in line
/// (`--search-threads 1`).
@Suite struct SearchAheadCommandTests {
  static let runs: [(model: String, device: String, extra: [String])] = [
    ("resnet18", "pixel3-cpu", []),
    ("resnet18", "npu-32x32", []),
    ("mobilenet_v2", "eyeriss-v1", []),
    ("ds_cnn_kws", "stm32l4r5", []),
    // Refused: the same error either way.
    ("mobilenet_v2", "stm32l4r5", []),
    ("mobilenet_v2", "coral-edgetpu-usb", ["--no-residency"]),
    ("inception_v1_224", "npu-32x32", ["--batch", "2"]),
  ]

  @Test(arguments: runs.indices)
  func searchingAheadChangesNoByte(_ index: Int) async {
    let run = Self.runs[index]
    let arguments =
      [
        "simulate", "--model", run.model, "--hardware", run.device,
        "--no-trace", "--json",
      ] + run.extra
    let inline = await EdgeSimMain.capture(
      arguments + ["--search-threads", "1"])
    let ahead = await EdgeSimMain.capture(
      arguments + ["--search-threads", "2"])
    #expect(inline.status == ahead.status)
    #expect(!(inline.standardOutput + inline.standardError).isEmpty)
    #expect(inline.standardOutput == ahead.standardOutput)
    #expect(inline.standardError == ahead.standardError)
  }

  @Test func otherThreadCountsAreRefused() async {
    let run = await EdgeSimMain.capture([
      "simulate", "--model", "resnet18", "--hardware", "pixel3-cpu",
      "--no-trace", "--search-threads", "3",
    ])
    #expect(run.status != 0)
    #expect(run.standardError.contains("--search-threads must be 1 or 2."))
  }
}
