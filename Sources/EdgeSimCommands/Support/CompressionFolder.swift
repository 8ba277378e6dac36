import Diagnostics
import Foundation
import WeightCompression

/// The folder `edgesim compress --out DIR` writes, all or nothing with
/// ``FolderWriter``: `compressed.onnx`, `report.json` and `coding.yaml`.
///
/// An existing folder is replaced only when it holds nothing but these
/// files (an earlier run's output); a folder with anything else in it is
/// refused, since replacing it would delete that.
enum CompressionFolder {
  /// The files of the folder.
  static let fileNames: Set<String> = [
    "compressed.onnx", "report.json", "coding.yaml",
  ]

  /// Refuses the folder before anything is computed: an empty path, an input
  /// of the command, not a folder, or a folder holding other files.
  static func check(_ folder: String) throws(CommandFailure) {
    try OutputPath.check([(folder, "--out", .folder)])
    guard FileStatus.of(folder).kind == .directory else { return }
    let entries =
      (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    let others = entries.filter { !fileNames.contains($0) }.sorted()
    guard !others.isEmpty else { return }
    let shown = others.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
    throw CommandFailure(
      .error(
        "the folder holds files that edgesim compress does not write (\(shown)); not replacing it",
        at: SourceLocation(file: folder),
        hint: "name a new folder, or an earlier --out folder to replace"))
  }

  /// Writes the three files as the folder.
  static func write(
    model: [UInt8], report: String, coding: String, to folder: String
  ) throws(CommandFailure) {
    try check(folder)
    do throws(FileIO.WriteFailure) {
      try FolderWriter.write(
        [
          ("compressed.onnx", model), ("report.json", Array(report.utf8)),
          ("coding.yaml", Array(coding.utf8)),
        ], to: folder)
    } catch {
      throw CommandFailure(
        .error(
          "cannot write the output folder: \(error.reason)",
          at: SourceLocation(file: folder),
          hint: "check the folder's permissions and free space"))
    }
  }

  /// `coding.yaml`: the DRAM-coding file `simulate --compression` reads.
  ///
  /// It gives (Documentation/Compression.md) each stored layer's measured
  /// `stored_bits` and its `density` (nonzeros over weights: the weight
  /// zeros a device that skips or gates them sees); layers not listed keep
  /// their raw size. ``SweepCompression/coding(_:)`` is the same coding
  /// as a value.
  static func coding(_ outcome: CompressionOutcome, model: String, plan: String)
    -> String
  {
    var lines = [
      "# Written by edgesim compress from \(quoted(model)) and \(quoted(plan)).",
      "# Measured coded weight bits and weight densities per layer",
      "# (COMPRESSION.md §4); simulate",
      "# the compressed model with it: simulate --model compressed.onnx",
      "# --compression coding.yaml. Unlisted layers stay raw.",
      "weights:",
      "  density: 1",
      "  index_bits: 4",
      "  layers:",
    ]
    for layer in outcome.storedLayers {
      lines.append(
        "    \(quoted(layer.name)): {density: \(layer.density), stored_bits: \(layer.storedBits)}"
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A YAML double-quoted scalar.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        out += String(format: "\\x%02X", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
