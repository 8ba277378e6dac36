import Benchmark
import Foundation
import HardwareModel
import NetworkGraph
import Simulation
import SpecFormats

/// The repository root (two levels above this package's sources).
let root = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()
  .deletingLastPathComponent()

let devices = [
  "coral-edgetpu-usb", "eyeriss-v1", "pixel3-cpu", "pixel3-gpu", "pynq-z1",
  "stm32l4r5",
  "systolic-32x32", "zc706-qiu2016",
]

func bytes(_ path: String) -> [UInt8] {
  (try? Data(contentsOf: root.appendingPathComponent(path))).map { Array($0) }
    ?? []
}

func device(_ name: String) -> Device? {
  HardwareLoader.read(
    bytes: bytes("Hardware/\(name).yaml"), fileName: "\(name).yaml"
  ).value
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration.maxDuration = .seconds(2)
  Benchmark.defaultConfiguration.metrics = [.wallClock, .mallocCountTotal]

  // ResNet-50 (batch 1, native precision) on every bundled device.
  let resnet = WorkloadReader.read(
    bytes: bytes("Workloads/resnet50.yaml"), fileName: "resnet50.yaml"
  ).value
  for name in devices {
    Benchmark("simulate resnet50 on \(name)") { benchmark in
      guard let network = resnet, let device = device(name) else { return }
      for _ in benchmark.scaledIterations {
        blackHole(Simulator.run(network, on: device))
      }
    }
  }

  // MobileNetV2 (batch 1, native precision) on two devices.
  let mobilenet = WorkloadReader.read(
    bytes: bytes("Workloads/mobilenet_v2.yaml"), fileName: "mobilenet_v2.yaml"
  ).value
  for name in ["systolic-32x32", "pixel3-cpu"] {
    Benchmark("simulate mobilenet_v2 on \(name)") { benchmark in
      guard let network = mobilenet, let device = device(name) else { return }
      for _ in benchmark.scaledIterations {
        blackHole(Simulator.run(network, on: device))
      }
    }
  }

  // The SCALE-Sim parity topologies on their 32x32 configurations (CALC mode).
  for topology in [
    "alexnet_convs", "lenet5", "mobilenet_slice", "resnet18_slice",
  ] {
    for dataflow in ["os", "ws", "is"] {
      Benchmark("scalesim \(topology) \(dataflow)32") { benchmark in
        let cfg = "Workloads/scalesim-parity/configs/\(dataflow)32.cfg"
        let csv = "Workloads/scalesim-parity/topologies/\(topology).csv"
        guard
          let device = ScaleSimConfigReader.read(
            bytes: bytes(cfg), fileName: "\(dataflow)32.cfg"
          ).value,
          let network = ScaleSimTopologyReader.read(
            bytes: bytes(csv), fileName: "\(topology).csv"
          ).value
        else { return }
        for _ in benchmark.scaledIterations {
          blackHole(Simulator.run(network, on: device))
        }
      }
    }
  }

  // Reading and validating every bundled device file.
  Benchmark("validate all devices") { benchmark in
    let files = devices.map { ($0, bytes("Hardware/\($0).yaml")) }
    for _ in benchmark.scaledIterations {
      for (name, data) in files {
        blackHole(
          HardwareLoader.read(bytes: data, fileName: "\(name).yaml").diagnostics
            .count)
      }
    }
  }

  executorBenchmarks()
}
