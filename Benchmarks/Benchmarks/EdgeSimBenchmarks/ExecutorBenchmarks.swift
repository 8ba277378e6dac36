import Benchmark
import BitAccurateExecution
import NetworkGraph
import NumPyFormat
import ONNXImport

/// A trained digits model and the 540 test images.
func digits(_ name: String) -> (Network, FloatTensor)? {
  let path = "Workloads/digits/\(name).onnx"
  guard
    let model = ONNXImporter.read(
      bytes: bytes(path), fileName: path, externalData: { _ in .notFound }
    ).value,
    let images = try? NumPyArray(
      npy: bytes("Workloads/digits/test-images.npy")),
    let input = try? FloatTensor(
      shape: images.shape, values: images.float32Values)
  else { return nil }
  return (model.network, input)
}

/// The float and the bit-accurate executor (8-bit, Qiu et al.'s method
/// calibrated on the same images) on both digits models, one batch of 540
/// images, returning the graph outputs only: what onnxruntime's
/// `session.run` does (`Scripts/time-onnxruntime.py`).
let executorBenchmarks: @Sendable () -> Void = {
  for name in ["digits-plain", "digits-dwsep"] {
    guard let (network, input) = digits(name),
      let float = try? FloatExecutor(network: network),
      let plan = try? Calibrator.calibrate(
        network: network, data: input,
        configuration: CalibrationConfiguration(method: .qiu)
      ).plan,
      let fixed = try? FixedPointExecutor(network: network, plan: plan)
    else { continue }
    Benchmark("run \(name) float") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try? float.outputs(input: input).count)
      }
    }
    Benchmark("run \(name) fixed 8-bit") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(
          try? fixed.run(input: input, retaining: .outputs).outputs.count)
      }
    }
  }
}
