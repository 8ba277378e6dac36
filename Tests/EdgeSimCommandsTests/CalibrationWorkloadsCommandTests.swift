import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// The calibration set's workloads (`Scripts/workloads/make-calibration-workloads.py`)
/// are found by name, as `Hardware/measurements/published.csv` names them.
@Suite struct CalibrationWorkloadsCommandTests {
  /// `calibrate` loads rows that name generated workloads instead of
  /// skipping them as unknown models.
  @Test func calibrateFindsGeneratedWorkloadsByName() async throws {
    let folder = try TemporaryFolder()
    try """
    device,model,precision,batch,latency_ms,regime,runtime,notes
    stm32l4r5,ds_cnn_kws,int8,1,140,steady,TFLM,
    stm32l4r5,fc_autoencoder_toycar,int8,1,10,steady,TFLM,
    pixel3-cpu,mobilenet_v1_025_128,int8,1,0.8,steady,TFLite,
    """.write(
      toFile: folder.path("m.csv"), atomically: true, encoding: .utf8)
    for (device, count) in [("stm32l4r5", 2), ("pixel3-cpu", 1)] {
      let run = await EdgeSimMain.capture([
        "calibrate", folder.path("m.csv"), "--hardware", device, "--no-fit",
        "--json",
      ])
      #expect(run.status == 0, "\(run.standardError)")
      #expect(!run.standardError.contains("cannot be loaded"))
      let report = try #require(
        JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
          as? [String: Any])
      let rows = try #require(report["measurements"] as? [[String: Any]])
      #expect(rows.count == count, "\(device)")
    }
  }

  /// `inspect` counts what the generator wrote in the file's head comment
  /// (MobileNetV1 0.25 at 128: 13,570,304 MACs, 467,593 parameters).
  @Test func inspectCountsWhatTheHeaderSays() async throws {
    let run = try await inspectTotals(
      "\(EdgeSimProcess.root.path)/Workloads/mobilenet_v1_025_128.yaml")
    #expect(run.status == 0, "\(run.error)")
    #expect(run.totals["macs"] as? Int == 13_570_304)
    #expect(run.totals["params"] as? Int == 467_593)
  }

  /// The held-out DeepLab 257 workload is TFLite's starter model
  /// deeplabv3_257_mv_gpu.tflite layer for layer (issue 15): its convolutions
  /// count the 725,849,344 MACs of the file's operators
  /// (`Scripts/workloads/tflite-layers.py`), where output stride 16 and
  /// widths rounded to multiples of 8 counted 239,003,344; its last block
  /// runs at 33×33 (output stride 8), as the file's does; and `simulate`
  /// finds it by name.
  @Test func deepLab257IsTheStarterModel() async throws {
    let path =
      "\(EdgeSimProcess.root.path)/Workloads/deeplab_v3_mnv2_dm05_257.yaml"
    let run = await EdgeSimMain.capture(["inspect", path, "--json"])
    #expect(run.status == 0, "\(run.standardError)")
    let report = try #require(
      JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    let totals = try #require(report["totals"] as? [String: Any])
    #expect(totals["macs"] as? Int == 725_849_344)
    #expect(totals["params"] as? Int == 688_357)
    let layers = try #require(report["layers"] as? [[String: Any]])
    let output = { (name: String) in
      layers.first { $0["name"] as? String == name }?["output"] as? [Int]
    }
    #expect(output("block_16_project") == [1, 160, 33, 33])
    #expect(output("logits_resize") == [1, 21, 257, 257])
    let simulate = await EdgeSimMain.capture([
      "simulate", "--hardware", "pixel3-cpu", "--model",
      "deeplab_v3_mnv2_dm05_257", "--precision", "fp32", "--no-trace",
    ])
    #expect(simulate.status == 0, "\(simulate.standardError)")
  }

  /// Coral's DeepLab v3 at depth multiplier 0.5 (issue 15) is the network of
  /// google-coral/test_data's deeplabv3_mnv2_dm05_pascal_quant.tflite, read
  /// layer by layer with Scripts/workloads/tflite-layers.py: 867,496,704
  /// convolution MACs (the old workload, widths rounded to multiples of 8,
  /// counted 910,369,488), exact half widths (block_1_project has 12
  /// channels), output stride 16 (the last block at 33×33), and the
  /// depth-1.0 network of the calibration set stays the file's 2,740,709,056.
  @Test func coralDeepLabsAreTheFiles() async throws {
    let counts = {
      (name: String) async throws -> ([String: Any], [[String: Any]]) in
      let path = "\(EdgeSimProcess.root.path)/Workloads/\(name).yaml"
      let run = await EdgeSimMain.capture(["inspect", path, "--json"])
      #expect(run.status == 0, "\(run.standardError)")
      let report = try #require(
        JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
          as? [String: Any])
      return (
        try #require(report["totals"] as? [String: Any]),
        try #require(report["layers"] as? [[String: Any]])
      )
    }
    let (half, layers) = try await counts("deeplab_v3_mnv2_dm05_513")
    #expect(half["macs"] as? Int == 867_496_704)
    #expect(half["params"] as? Int == 688_357)
    let output = { (name: String) in
      layers.first { $0["name"] as? String == name }?["output"] as? [Int]
    }
    #expect(output("block_1_project") == [1, 12, 129, 129])
    #expect(output("block_16_project") == [1, 160, 33, 33])
    #expect(output("logits_resize_identity") == [1, 21, 33, 33])
    #expect(output("logits_resize") == [1, 21, 513, 513])
    let (full, _) = try await counts("deeplab_v3_513")
    #expect(full["macs"] as? Int == 2_740_709_056)
    let simulate = await EdgeSimMain.capture([
      "simulate", "--hardware", "coral-edgetpu-usb", "--model",
      "deeplab_v3_mnv2_dm05_513", "--precision", "int8", "--no-trace",
    ])
    #expect(simulate.status == 0, "\(simulate.standardError)")
  }
}
