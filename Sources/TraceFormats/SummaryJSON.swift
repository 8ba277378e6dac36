import Foundation
import HardwareModel
import Simulation

/// The JSON summary of a run (`summary.json`), schema `edgesim.trace/1`.
///
/// Top level: `schema`, `device`, `model`, `precision`, `batch`, `clock_hz`,
/// `totals` (`cycles`, `latency_s`, `throughput_per_s`, `energy_j` per
/// inference, `energy` breakdown, `average_power_w`, `macs`, `operations`,
/// `ops_per_s`, `mac_utilization`, `dram_bytes`, `dram_bytes_read`,
/// `dram_bytes_written`) and `layers` (one object per layer: `name`, `op`,
/// `cycles`, `latency_s`, `start_s`, `energy_j`, `energy`, `dram_bytes`,
/// `dram_read`, `dram_written`, `bound`, `bound_detail`, `utilization`,
/// `spatial_utilization`, `tiles`, `output_on_chip`, `inputs_on_chip`,
/// `fused_into`, `buffer_bytes`, `mapping`, `levels`, `roofline`, `widths`).
/// A run that codes DRAM traffic adds `dram_coding`: at the top level the
/// coding's label, per layer the coded over raw backing-store bits of
/// `weights`, `inputs` and `outputs`.
/// Keys are sorted and numbers have one format, so the file is stable.
public enum SummaryJSON {
  /// The schema identifier.
  public static let schema = "edgesim.trace/1"

  /// Renders the summary, newline-terminated.
  public static func render(_ summary: RunSummary) -> String {
    value(summary).rendered + "\n"
  }

  /// The summary as a JSON value (the CLI's `--json` builds on it).
  public static func value(_ summary: RunSummary) -> JSONValue {
    let t = summary.totals
    var top: [String: JSONValue] = [
      "schema": .string(schema), "device": .string(summary.device),
      "model": .string(summary.model),
      "precision": .string(summary.precision), "batch": .int(summary.batch),
      "clock_hz": .number(summary.clock),
      "peak_macs_per_s": .number(summary.peakMACsPerSecond),
      "totals": .object([
        "cycles": .int(t.cycles), "latency_s": .number(t.latency),
        "throughput_per_s": .number(t.throughput),
        "energy_j": .number(t.energyPerInference),
        "energy": energy(t.energy), "average_power_w": .number(t.averagePower),
        "macs": .int(t.macs), "operations": .int(t.operations),
        "ops_per_s": .number(t.operationsPerSecond),
        "mac_utilization": .number(t.macUtilization),
        "dram_bytes": .int(t.dramBytes),
        "dram_bytes_read": .int(t.dramBytesRead),
        "dram_bytes_written": .int(t.dramBytesWritten),
      ]),
      "layers": .array(summary.layers.map(layer)),
    ]
    // Only runs that code DRAM traffic carry these keys.
    if let compression = summary.compression {
      top["dram_coding"] = .string(compression)
    }
    return .object(top)
  }

  /// One layer as a JSON object.
  public static func layer(_ l: LayerResult) -> JSONValue {
    var object: [String: JSONValue] = [
      "name": .string(l.name), "op": .string(l.opType),
      "cycles": .int(l.cycles),
      "latency_s": .number(l.seconds), "start_s": .number(l.startSeconds),
      "energy_j": .number(l.energy.total), "energy": energy(l.energy),
      "dram_bytes": .int(l.dramBytes), "dram_read": operands(l.dramRead),
      "dram_written": operands(l.dramWritten), "bound": .string(l.bound.label),
      "bound_detail": .string(l.bound.description),
      "utilization": .number(l.utilization),
      "spatial_utilization": .number(l.spatialUtilization),
      "tiles": .int(l.tileCount),
      "output_on_chip": .bool(l.outputStaysOnChip),
      "inputs_on_chip": .bool(l.inputsOnChip),
      "fused_into": l.fusedInto.map(JSONValue.string) ?? .null,
      "buffer_bytes": .int(l.bufferBytes),
      "stall_s": .number(l.stallSeconds), "macs": .int(l.macs),
      "operations": .int(l.operations),
      "mapping": .string(l.mapping), "widths": .string(l.widths.label),
      "levels": .array(
        l.levels.map {
          .object([
            "level": .string($0.level), "reads": operands($0.reads),
            "writes": operands($0.writes),
          ])
        }),
      "roofline": .object([
        "arithmetic_intensity": l.roofline.arithmeticIntensity.map(
          JSONValue.number) ?? .null,
        "peak_ops_per_s": .number(l.roofline.peakOperationsPerSecond),
        "bandwidth_bytes_per_s": .number(l.roofline.bandwidth),
        "attainable_ops_per_s": .number(
          l.roofline.attainableOperationsPerSecond),
        "bound_s": .number(l.roofline.boundSeconds),
      ]),
    ]
    if let coding = l.dramCoding {
      object["dram_coding"] = .object([
        "weights": .number(coding.weights), "inputs": .number(coding.inputs),
        "outputs": .number(coding.outputs),
      ])
    }
    return .object(object)
  }

  /// An energy breakdown as a JSON object.
  public static func energy(_ e: EnergyBreakdown) -> JSONValue {
    var levels: [String: JSONValue] = [:]
    for level in e.onChip { levels[level.level] = .number(level.joules) }
    return .object([
      "mac": .number(e.mac), "ops": .number(e.operations),
      "dram": .number(e.dram),
      "backing_store": .string(e.backingStore.level),
      "on_chip": .object(levels),
      "static": .number(e.staticEnergy), "total": .number(e.total),
      "by_operand": .object(
        Dictionary(
          uniqueKeysWithValues: e.byOperand.map {
            ($0.key.rawValue, JSONValue.number($0.value))
          })),
    ])
  }

  static func operands(_ values: [Operand: Int]) -> JSONValue {
    .object(
      Dictionary(
        uniqueKeysWithValues: values.map {
          ($0.key.rawValue, JSONValue.int($0.value))
        }))
  }
}
