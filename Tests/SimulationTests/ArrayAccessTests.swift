import HardwareModel
import Mapping
import NetworkGraph
import Simulation
import Testing

/// Per-PE register accesses of arrays, the mapping that is timed, and a
/// level that bypasses an operand (Eyeriss's GLB).
@Suite struct ArrayAccessTests {
  /// A 32×32 systolic array over one shared SRAM, with per-PE registers
  /// holding the given operands (a weight register and an accumulator, as
  /// ZigZag's `tpu_like` example has them).
  static func array(
    _ dataflow: Dataflow, registers: Set<Operand>? = [.weights, .outputs]
  ) -> Device {
    var memory = [
      MemoryLevel(
        name: "dram", kind: .dram, capacity: .unbounded, readBandwidth: 1e10,
        writeBandwidth: 1e10,
        energy: AccessEnergy(readPerBit: 10e-12, writePerBit: 10e-12)),
      MemoryLevel(
        name: "sram", kind: .sram, capacity: .shared(bytes: 2_097_152),
        readBandwidth: 1e12, writeBandwidth: 1e12,
        energy: AccessEnergy(readPerBit: 0.1e-12, writePerBit: 0.1e-12)),
    ]
    if let registers {
      memory.append(
        MemoryLevel(
          name: "rf", kind: .registers,
          capacity: .partitioned(
            Dictionary(uniqueKeysWithValues: registers.map { ($0, 4) })),
          instances: 1024, readBandwidth: 1e10, writeBandwidth: 1e10,
          energy: AccessEnergy(readPerBit: 0.01e-12, writePerBit: 0.01e-12),
          holds: registers))
    }
    return Device(
      name: "array", kind: .npu, technologyNanometres: 28, clock: 1e9,
      compute: Compute(
        organisation: .array(
          SystolicArray(rows: 32, columns: 32, dataflow: dataflow)),
        macsPerCycle: [.int8: 1], macEnergy: [.int8: 0.2e-12]),
      memory: memory, staticPower: 0)
  }

  static func run(_ device: Device, _ network: Network) throws -> RunSummary {
    try #require(
      Simulator.run(
        network, on: device,
        options: SimulationOptions(precision: .uniform(.int8))
      ).summary)
  }

  /// Every MAC reads its weight register and reads and writes its partial
  /// sum in the PE (Timeloop, ZigZag); only the SRAM sees the array's edge.
  @Test(arguments: [Dataflow.ws, .os, .is])
  func perPERegistersSeeEveryMAC(_ dataflow: Dataflow) throws {
    let network = Networks.singleConv(
      channels: 16, filters: 32, size: 16, kernel: 3, pad: 1)
    let summary = try Self.run(Self.array(dataflow), network)
    let layer = try #require(summary.layers.first)
    let rf = try #require(layer.levels.first { $0.level == "rf" })
    let macs = layer.macs
    #expect(rf.reads[.weights] == macs)  // 8-bit weights: one byte per MAC
    // 32-bit partial sums: one read and one write per MAC, plus the sums
    // drained to (and refilled from) the SRAM between passes.
    let psums = macs * 4
    let reads = rf.reads[.outputs] ?? 0
    let writes = rf.writes[.outputs] ?? 0
    #expect(reads >= psums && Double(reads) < Double(psums) * 1.1, "\(reads)")
    #expect(
      writes >= psums && Double(writes) < Double(psums) * 1.1, "\(writes)")
    #expect(rf.reads[.inputs] == nil)  // inputs come from the SRAM's edge
    // The registers cost energy; timing is the fold schedule's.
    #expect(layer.energy.onChip.first { $0.level == "rf" }?.joules ?? 0 > 0)
    let plain = try Self.run(Self.array(dataflow, registers: nil), network)
    #expect(plain.layers.first?.cycles == layer.cycles)
  }

  /// A 7×7 convolution on three channels is timed as a K = 147 GEMM; the
  /// mapping reported (and used to size inner levels) is that GEMM's, not
  /// `C3` on the rows.
  @Test func reportedMappingIsTheTimedGEMM() throws {
    let network = Networks.singleConv(
      channels: 3, filters: 64, size: 32, kernel: 7, stride: 2, pad: 3)
    let ws = try #require(try Self.run(Self.array(.ws), network).layers.first)
    #expect(
      ws.mapping.hasSuffix("rows(32)=R7·S4 columns(32)=M32"), "\(ws.mapping)")
    let os = try #require(try Self.run(Self.array(.os), network).layers.first)
    #expect(
      os.mapping.hasSuffix("rows(32)=P16·Q2 columns(32)=M32"), "\(os.mapping)")
    // A 1×1 convolution's K is C alone.
    let pointwise = Networks.singleConv(
      channels: 64, filters: 64, size: 8, kernel: 1)
    let pw = try #require(try Self.run(Self.array(.ws), pointwise).layers.first)
    #expect(
      pw.mapping.hasSuffix("rows(32)=C32 columns(32)=M32"), "\(pw.mapping)")
  }

  /// Eyeriss's GLB holds ifmaps and partial sums; weights go from DRAM
  /// straight to the filter scratchpads.
  @Test func eyerissWeightsBypassTheGLB() throws {
    let device = try #require(Devices.load("eyeriss-v1"))
    let glb = try #require(device.memory.first { $0.name == "glb" })
    #expect(glb.holds == [.inputs, .outputs])
    let network = Networks.singleConv(
      channels: 32, filters: 32, size: 13, kernel: 3, pad: 1)
    let summary = try #require(
      Simulator.run(
        network, on: device,
        options: SimulationOptions(precision: .uniform(.int16))
      ).summary)
    let layer = try #require(summary.layers.first)
    let levels = Dictionary(
      uniqueKeysWithValues: layer.levels.map { ($0.level, $0) })
    #expect(levels["glb"]?.reads[.weights, default: 0] == 0)
    #expect(levels["glb"]?.writes[.weights, default: 0] == 0)
    #expect(levels["spad"]?.writes[.weights, default: 0] ?? 0 > 0)
    #expect(layer.dramRead[.weights] == 32 * 32 * 9 * 2)
  }
}
