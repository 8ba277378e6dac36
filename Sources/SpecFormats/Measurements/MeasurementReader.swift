import Diagnostics
import HardwareModel

/// Reads a measurements file: CSV with a header naming the columns
/// `device`, `model`, `precision`, `latency_ms` (required) and `batch`,
/// `energy_mj`, `regime`, `runtime`, `source`, `locator`, `notes`
/// (optional), in any order (`Hardware/measurements/README.md`).
///
/// Every problem is reported at once, each at its cell (`file:line:col`):
/// a missing or unknown column (with a did-you-mean hint), a row with a
/// different number of fields, an unknown precision or regime, a latency
/// that is not a positive number, a batch that is not a whole number of at
/// least one. Per-operator times (TFLite `--enable_op_profiling`) are not
/// read yet.
public enum MeasurementReader {
  /// The columns a file must have.
  public static let requiredColumns = [
    "device", "model", "precision", "latency_ms",
  ]
  /// The columns a file may have.
  public static let optionalColumns = [
    "batch", "energy_mj", "regime", "runtime", "source", "locator", "notes",
  ]

  /// Reads a measurements file.
  ///
  /// - Parameters:
  ///   - bytes: The file's contents (UTF-8).
  ///   - fileName: The name diagnostics give.
  /// - Returns: The rows, when there is no error, and every diagnostic.
  public static func read(bytes: [UInt8], fileName: String) -> LoadResult<
    [MeasurementRecord]
  > {
    guard bytes.count <= 1 << 24, !bytes.contains(0),
      let text = String(validating: bytes, as: UTF8.self)
    else {
      return LoadResult(
        value: nil,
        diagnostics: [
          .error(
            "the file is not a measurements CSV (binary, not UTF-8, or over 16 MiB)",
            at: SourceLocation(file: fileName),
            hint:
              "a header line (device,model,precision,latency_ms,…), then one line per measurement"
          )
        ])
    }
    let (records, syntax) = CSVRecords.parse(text, fileName: fileName)
    var diagnostics = syntax
    guard let header = records.first else {
      diagnostics.append(
        .error(
          "the measurements file is empty", at: SourceLocation(file: fileName),
          hint: "write a header line: device,model,precision,latency_ms"))
      return LoadResult(value: nil, diagnostics: diagnostics)
    }
    func location(_ field: CSVField) -> SourceLocation {
      SourceLocation(file: fileName, line: field.line, column: field.column)
    }
    let known = requiredColumns + optionalColumns
    var columns: [String: Int] = [:]
    for (index, field) in header.enumerated() {
      let name = field.text.trimmingSpaces()
      if !known.contains(name) {
        diagnostics.append(
          .error(
            "unknown column '\(name)'", at: location(field),
            hint: Suggestions.hint(for: name, among: known)))
      } else if columns[name] != nil {
        diagnostics.append(
          .error(
            "column '\(name)' appears twice", at: location(field),
            hint: "keep one"))
      } else {
        columns[name] = index
      }
    }
    for name in requiredColumns where columns[name] == nil {
      diagnostics.append(
        .error(
          "missing column '\(name)'",
          at: SourceLocation(file: fileName, line: header[0].line, column: 1),
          hint:
            "the header must name \(requiredColumns.joined(separator: ", "))"))
    }
    guard !diagnostics.containsErrors else {
      return LoadResult(value: nil, diagnostics: diagnostics)
    }
    var rows: [MeasurementRecord] = []
    for record in records.dropFirst() {
      if let row = readRow(
        record, columns: columns, header: header, fileName: fileName,
        diagnostics: &diagnostics)
      {
        rows.append(row)
      }
    }
    return LoadResult(
      value: diagnostics.containsErrors ? nil : rows, diagnostics: diagnostics)
  }

  static func readRow(
    _ record: [CSVField], columns: [String: Int], header: [CSVField],
    fileName: String, diagnostics: inout [Diagnostic]
  ) -> MeasurementRecord? {
    let line = record[0].line
    func location(_ field: CSVField) -> SourceLocation {
      SourceLocation(file: fileName, line: field.line, column: field.column)
    }
    guard record.count == header.count else {
      diagnostics.append(
        .error(
          "this row has \(record.count) fields; the header has \(header.count)",
          at: SourceLocation(file: fileName, line: line, column: 1),
          hint: "quote a field that holds a comma: \"a, b\""))
      return nil
    }
    func field(_ name: String) -> CSVField? {
      columns[name].map { record[$0] }
    }
    func text(_ name: String) -> String? {
      field(name).map { $0.text.trimmingSpaces() }.flatMap {
        $0.isEmpty ? nil : $0
      }
    }
    let errors = diagnostics.count
    for name in requiredColumns {
      if let cell = field(name), text(name) == nil {
        diagnostics.append(
          .error(
            "empty '\(name)'", at: location(cell),
            hint: "every row needs a \(name)"))
      }
    }
    guard diagnostics.count == errors, let deviceText = text("device"),
      let modelField = field("model"), let modelText = text("model"),
      let precisionField = field("precision"),
      let precisionText = text("precision"),
      let latencyField = field("latency_ms"),
      let latencyText = text("latency_ms")
    else { return nil }
    let precision = Precision(rawValue: precisionText.lowercased())
    if precision == nil {
      diagnostics.append(
        .error(
          "unknown precision '\(precisionText)'", at: location(precisionField),
          hint: Suggestions.hint(
            for: precisionText, among: Precision.allCases.map(\.rawValue))))
    }
    let latency = Double(latencyText).flatMap {
      $0 > 0 && $0.isFinite ? $0 : nil
    }
    if latency == nil {
      diagnostics.append(
        .error(
          "latency_ms '\(latencyText)' is not a positive number of milliseconds",
          at: location(latencyField), hint: "write e.g. 24.0"))
    }
    var batch = 1
    if let batchField = field("batch"), let batchText = text("batch") {
      if let value = Int(batchText), value >= 1, value <= 1 << 16 {
        batch = value
      } else {
        diagnostics.append(
          .error(
            "batch '\(batchText)' is not a whole number from 1 to \(1 << 16)",
            at: location(batchField),
            hint: "write the images per measured run, e.g. 1"))
      }
    }
    var energy: Double?
    if let energyField = field("energy_mj"), let energyText = text("energy_mj")
    {
      energy = Double(energyText).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
      if energy == nil {
        diagnostics.append(
          .error(
            "energy_mj '\(energyText)' is not a positive number of millijoules",
            at: location(energyField),
            hint: "write e.g. 24.3, or leave it empty"))
      }
    }
    var regime = MeasuredRegime.steady
    if let regimeField = field("regime"), let regimeText = text("regime") {
      if let value = MeasuredRegime(rawValue: regimeText.lowercased()) {
        regime = value
      } else {
        diagnostics.append(
          .error(
            "unknown regime '\(regimeText)'", at: location(regimeField),
            hint: Suggestions.hint(
              for: regimeText, among: MeasuredRegime.allCases.map(\.rawValue))))
      }
    }
    guard diagnostics.count == errors, let precision, let latency else {
      return nil
    }
    return MeasurementRecord(
      line: line, device: deviceText, model: modelText,
      modelLocation: location(modelField), precision: precision, batch: batch,
      latencyMilliseconds: latency, energyMillijoules: energy, regime: regime,
      runtime: text("runtime"), notes: text("notes"))
  }
}
