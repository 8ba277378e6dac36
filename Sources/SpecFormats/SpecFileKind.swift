import Yams

/// The kinds of file EdgeSim reads, and which one a file is.
public enum SpecFileKind: String, CaseIterable, Sendable {
  /// A device: EdgeSim hardware YAML or a SCALE-Sim `.cfg`.
  case hardware
  /// A network: an EdgeSim layer list, an ONNX model or a SCALE-Sim
  /// topology `.csv`.
  case workload
  /// A precision file (FIXED_POINT.md §11).
  case precision
  /// A DRAM-coding file (`simulate --compression`).
  case compression
  /// A sweep file.
  case sweep
  /// A compression plan (`edgesim compress --plan`).
  case compressionPlan = "compression-plan"

  /// Top-level keys only one kind of YAML file has, in the order kinds are
  /// tried (the first kind with one of its keys wins).
  static let markers: [(SpecFileKind, Set<String>)] = [
    (
      .hardware,
      [
        "kind", "technology", "clock", "compute", "memory", "power", "fabric",
        "efficiency",
      ]
    ),
    (.sweep, ["studies", "models", "devices", "strategy", "search"]),
    (.precision, ["default", "seed"]),
    (.compression, ["weights", "activations"]),
    (.compressionPlan, ["defaults"]),
    (.workload, ["layers", "input", "batch"]),
  ]

  /// Which kind a file is.
  ///
  /// The extension decides for `.cfg`, `.csv` and `.onnx`; otherwise the
  /// top-level keys of the YAML do. A file that is not a YAML mapping,
  /// or has none of the marker keys, is taken as hardware, whose reader
  /// then reports what is wrong.
  public static func detect(bytes: [UInt8], fileName: String) -> SpecFileKind {
    let lower = fileName.lowercased()
    if lower.hasSuffix(".cfg") { return .hardware }
    if lower.hasSuffix(".csv") || lower.hasSuffix(".onnx") { return .workload }
    // Through the preflight, which refuses hostile files before Yams sees
    // them.
    guard
      case .success(let document) = YAMLDocument.compose(
        bytes: bytes, fileName: fileName, what: "file"),
      case .mapping(let mapping) = document.root
    else { return .hardware }
    let keys = Set(mapping.keys.compactMap(\.string))
    for (kind, marker) in markers where !keys.isDisjoint(with: marker) {
      return kind
    }
    return .hardware
  }
}
