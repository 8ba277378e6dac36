import Reports

/// Hand-made inputs: a small run with a fused activation, a streaming
/// layer, finite bandwidth and double-buffered engines; and sweeps.
enum Fixtures {
  static func energy(
    _ mac: Double, _ sram: Double, _ dram: Double, ops: Double = 0
  ) -> [EnergyComponent] {
    [
      EnergyComponent("mac", joules: mac), EnergyComponent("ops", joules: ops),
      EnergyComponent("onchip:glb", joules: sram),
      EnergyComponent("dram", joules: dram),
      EnergyComponent("static", joules: 0),
    ]
  }

  /// Three timed layers and a fused ReLU; `firstName` lets a test give the
  /// first layer a hostile name.
  static func run(firstName: String = "conv1") -> TraceReport {
    let layers = [
      ReportLayer(
        name: firstName, op: "Conv", start: 0, latency: 40e-6,
        energy: energy(2e-6, 1e-6, 5e-6),
        dramBytes: 40_000, macs: 1_000_000, operations: 0, utilization: 0.5,
        bound: "compute",
        arithmeticIntensity: 50, peakOperationsPerSecond: 1e11),
      ReportLayer(
        name: "relu1", op: "Relu", start: 40e-6, latency: 0,
        energy: energy(0, 0, 0, ops: 1e-8),
        dramBytes: 0, macs: 0, operations: 10_000, utilization: 0,
        bound: "compute",
        arithmeticIntensity: nil, peakOperationsPerSecond: 4e9,
        fusedInto: firstName),
      ReportLayer(
        name: "conv2", op: "Conv", start: 40e-6, latency: 100e-6,
        energy: energy(1e-6, 2e-6, 20e-6),
        dramBytes: 200_000, macs: 500_000, operations: 0, utilization: 0.1,
        bound: "dram",
        arithmeticIntensity: 5, peakOperationsPerSecond: 1e11),
      ReportLayer(
        name: "pool", op: "MaxPool", start: 140e-6, latency: 10e-6,
        energy: energy(0, 1e-7, 0, ops: 2e-7),
        dramBytes: 0, macs: 0, operations: 20_000, utilization: 0,
        bound: "onchip:glb",
        arithmeticIntensity: nil, peakOperationsPerSecond: 4e9),
    ]
    var intervals: [EngineInterval] = []
    // conv1: 4 tiles, double-buffered (DMA of tile i+1 overlaps compute of i).
    for i in 0..<4 {
      let t = Double(i) * 10e-6
      intervals.append(
        EngineInterval(
          layer: firstName, engine: .dmaIn, start: t, duration: 4e-6,
          firstTile: i))
      intervals.append(
        EngineInterval(
          layer: firstName, engine: .compute, start: t + 4e-6, duration: 6e-6,
          firstTile: i))
    }
    intervals.append(
      EngineInterval(
        layer: firstName, engine: .dmaOut, start: 36e-6, duration: 4e-6,
        firstTile: 0, tiles: 4))
    for i in 0..<2 {
      let t = 40e-6 + Double(i) * 50e-6
      intervals.append(
        EngineInterval(
          layer: "conv2", engine: .dmaIn, start: t, duration: 45e-6,
          firstTile: i * 2, tiles: 2))
      intervals.append(
        EngineInterval(
          layer: "conv2", engine: .compute, start: t + 40e-6, duration: 10e-6,
          firstTile: i * 2, tiles: 2))
    }
    intervals.append(
      EngineInterval(
        layer: "pool", engine: .compute, start: 140e-6, duration: 10e-6))
    return TraceReport(
      model: "tiny", device: "npu-8x8", precision: "int8", batch: 1,
      peakOperationsPerSecond: 1e11,
      dramBandwidth: 2e9, layers: layers, intervals: intervals, latency: 150e-6,
      energy: energy(3e-6, 3.1e-6, 25e-6, ops: 2.1e-7), dramBytes: 240_000,
      utilization: 0.2)
  }

  static func point(
    _ id: String, energy: Double, latency: Double, top1: Double?,
    model: String = "m", precision: String = ""
  ) -> SweepReportPoint {
    SweepReportPoint(
      id: id, model: model, device: "d", batch: 1, precision: precision,
      hardware: "", latency: latency,
      energy: energy, top1: top1)
  }

  /// A small sweep with a chosen point and a float reference.
  static var sweep: SweepReport {
    let points = [
      point("a", energy: 1e-3, latency: 2e-3, top1: 0.90, precision: "all=8"),
      point("b", energy: 2e-3, latency: 1e-3, top1: 0.91, precision: "all=16"),
      point(
        "c", energy: 3e-3, latency: 3e-3, top1: 0.85, precision: "all=<4>&\"x\""
      ),
      point("d", energy: 0.5e-3, latency: 4e-3, top1: nil),
      point("e", energy: 1e-3, latency: 2e-3, top1: 0.70, precision: "all=4"),
    ]
    return SweepReport(
      name: "tiny-sweep", points: points, notDone: ["infeasible": 2],
      chosen: [
        ChosenMark(
          pointID: "a", context: "m on d, batch 1", objective: "energy",
          budget: 1)
      ],
      floatTop1: ["m": 0.92])
  }
}
