import HardwareModel

/// Hand-checkable devices.
enum TinyDevices {
  /// One core with 4 int8 MACs per cycle at 1 GHz, 1 GB/s DRAM (1 B/cycle,
  /// 10 pJ/bit), a 1 KiB single-buffered SRAM with ample bandwidth.
  static func vector(
    sram bytes: Double = 1024, dramBandwidth: Double = 1e9,
    doubleBuffered: Bool = false
  ) -> Device {
    Device(
      name: "tiny-vector", kind: .cpu, technologyNanometres: 45, clock: 1e9,
      compute: Compute(
        organisation: .vector(
          VectorCores(cores: 1, simdWidthBits: 32, pipes: 1)),
        macsPerCycle: [.int8: 4], macEnergy: [.int8: 1e-12]),
      memory: [
        MemoryLevel(
          name: "dram", kind: .dram, capacity: .unbounded,
          readBandwidth: dramBandwidth,
          writeBandwidth: dramBandwidth,
          energy: AccessEnergy(readPerBit: 10e-12, writePerBit: 10e-12)),
        MemoryLevel(
          name: "sram", kind: .sram, capacity: .shared(bytes: bytes),
          readBandwidth: 1e12,
          writeBandwidth: 1e12,
          energy: AccessEnergy(readPerBit: 0.1e-12, writePerBit: 0.1e-12),
          doubleBuffered: doubleBuffered),
      ], staticPower: 0)
  }

  /// A 4×4 output-stationary array with 16-byte partitions per operand.
  static func starvedArray() -> Device {
    Device(
      name: "starved", kind: .npu, technologyNanometres: 45, clock: 1e9,
      compute: Compute(
        organisation: .array(SystolicArray(rows: 4, columns: 4, dataflow: .os)),
        macsPerCycle: [.int8: 1], macEnergy: [.int8: 0.2e-12]),
      memory: [
        MemoryLevel(
          name: "dram", kind: .dram, capacity: .unbounded, readBandwidth: 1e9,
          writeBandwidth: 1e9,
          energy: AccessEnergy(readPerBit: 10e-12, writePerBit: 10e-12)),
        MemoryLevel(
          name: "sram", kind: .sram,
          capacity: .partitioned([.weights: 16, .inputs: 16, .outputs: 16]),
          readBandwidth: 1e11, writeBandwidth: 1e11,
          energy: AccessEnergy(readPerBit: 0.1e-12, writePerBit: 0.1e-12),
          doubleBuffered: true),
      ], staticPower: 0)
  }
}
