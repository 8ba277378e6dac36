import Diagnostics
import NetworkGraph

/// The line-by-line work of ``ScaleSimTopologyReader``: splitting, field
/// checks and the per-layer networks.
struct TopologyParser {
  typealias Field = ScaleSimTopologyReader.Field

  let fileName: String
  private(set) var diagnostics: [Diagnostic] = []
  private var network: Network
  private var layerLines: [String: Int] = [:]

  init(fileName: String) {
    self.fileName = fileName
    let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
    let stem =
      base.lowercased().hasSuffix(".csv") ? String(base.dropLast(4)) : base
    network = Network(name: stem.isEmpty ? "topology" : stem, inputs: [])
  }

  mutating func error(
    _ message: String, line: Int?, column: Int = 1, hint: String
  ) {
    let location =
      line.map {
        SourceLocation(file: fileName, line: $0, column: max(1, column))
      }
      ?? SourceLocation(file: fileName)
    diagnostics.append(.error(message, at: location, hint: hint))
  }

  mutating func parse(_ bytes: [UInt8]) -> Network? {
    guard bytes.count <= 1 << 22, !bytes.contains(0),
      let text = String(validating: bytes, as: UTF8.self)
    else {
      error(
        "the file is not a SCALE-Sim topology (binary, not UTF-8, or over 4 MiB)",
        line: nil,
        hint: "a topology is CSV text: a header line, then one line per layer")
      return nil
    }
    // "\r\n" is one Character, so split on every line terminator.
    var lines = text.split(
      omittingEmptySubsequences: false,
      whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    if lines.first?.unicodeScalars.first == "\u{FEFF}" {
      lines[0] = Substring(
        String(String.UnicodeScalarView(lines[0].unicodeScalars.dropFirst())))
    }
    guard let headerIndex = lines.firstIndex(where: { !Self.isBlank($0) })
    else {
      error(
        "the topology file is empty", line: nil,
        hint: "write a header line, then e.g. Conv1, 224, 224, 3, 3, 3, 64, 1,")
      return nil
    }
    let header = Self.fields(of: lines[headerIndex]).map {
      $0.text.lowercased()
    }
    let gemm = header.count >= 4 && Array(header[1...3]) == ["m", "n", "k"]
    var layers = 0
    for index in lines.indices
    where index > headerIndex && !Self.isBlank(lines[index]) {
      let fields = Self.fields(of: lines[index])
      let line = index + 1
      let ok =
        gemm
        ? readGemm(fields, line: line) : readConvolution(fields, line: line)
      if ok { layers += 1 }
    }
    if layers == 0 && !diagnostics.containsErrors {
      error(
        "the topology has a header but no layers", line: headerIndex + 1,
        hint: "add one line per layer after the header")
    }
    if diagnostics.containsErrors { return nil }
    for problem in network.validate(file: fileName) {
      diagnostics.append(problem)
    }
    return diagnostics.containsErrors ? nil : network
  }

  // MARK: Lines

  /// A convolution-mode line; returns whether a layer was added.
  mutating func readConvolution(_ fields: [Field], line: Int) -> Bool {
    let names = ScaleSimTopologyReader.convolutionFields
    guard
      let values = wholeNumbers(fields, names: names, optional: 1, line: line)
    else {
      return false
    }
    let name = fields[0].text
    let (h, w, r, s, c, m, stride) = (
      values[0], values[1], values[2], values[3], values[4], values[5],
      values[6]
    )
    var ok = true
    if r > h {
      error(
        "the filter height \(r) is larger than the IFMAP height \(h)",
        line: line,
        column: fields[3].column,
        hint:
          "SCALE-Sim's IFMAP sizes include padding; write the padded height (≥ \(r))"
      )
      ok = false
    }
    if s > w {
      error(
        "the filter width \(s) is larger than the IFMAP width \(w)", line: line,
        column: fields[4].column,
        hint:
          "SCALE-Sim's IFMAP sizes include padding; write the padded width (≥ \(s))"
      )
      ok = false
    }
    if fields.count == 9 { ok = checkSparsity(fields[8], line: line) && ok }
    guard ok, declare(name, field: fields[0], line: line) else { return false }
    let depthwise = name.contains("DP")
    let group = depthwise ? c : 1
    let filters = depthwise ? c * m : m
    let pads = [0, 0, Self.endPad(h, r, stride), Self.endPad(w, s, stride)]
    let input = "\(name).ifmap"
    do {
      let weight = Tensor(
        absentDataNamed: "\(name).weight", elementType: .float32,
        shape: try TensorShape([filters, c / group, r, s]))
      _ = try TensorShape([1, c, h, w])
      _ = try TensorShape([1, filters, h, w])  // bounds the output
      try network.addInitializer(weight)
      let attributes = ConvAttributes(
        group: group, strides: [stride, stride],
        pads: pads.contains { $0 > 0 } ? pads : nil)
      network.inputs.append(GraphInput(name: input, shape: [1, c, h, w]))
      network.nodes.append(
        Node(
          name: name, op: .conv(attributes), inputs: [input, weight.name],
          outputs: [name]))
      network.outputs.append(name)
    } catch {
      self.error(
        "the layer is too large: \(error.message)", line: line,
        column: fields[0].column,
        hint: "edge workloads have far fewer than 2^40 elements per tensor")
      return false
    }
    return true
  }

  /// A GEMM-mode line `Layer, M, N, K,`; returns whether a layer was added.
  mutating func readGemm(_ fields: [Field], line: Int) -> Bool {
    let names = ScaleSimTopologyReader.gemmFields
    guard
      let values = wholeNumbers(fields, names: names, optional: 0, line: line),
      declare(fields[0].text, field: fields[0], line: line)
    else { return false }
    let name = fields[0].text
    let (m, n, k) = (values[0], values[1], values[2])
    let input = "\(name).a"
    do {
      let weight = Tensor(
        absentDataNamed: "\(name).b", elementType: .float32,
        shape: try TensorShape([k, n]))
      _ = try TensorShape([m, k])
      _ = try TensorShape([m, n])
      try network.addInitializer(weight)
      network.inputs.append(GraphInput(name: input, shape: [m, k]))
      network.nodes.append(
        Node(
          name: name, op: .gemm(GemmAttributes()),
          inputs: [input, weight.name], outputs: [name]))
      network.outputs.append(name)
    } catch {
      self.error(
        "the layer is too large: \(error.message)", line: line,
        column: fields[0].column,
        hint: "edge workloads have far fewer than 2^40 elements per tensor")
      return false
    }
    return true
  }

  // MARK: Fields

  /// Checks the field count and parses fields 1… as positive whole numbers.
  mutating func wholeNumbers(
    _ fields: [Field], names: [String], optional: Int, line: Int
  ) -> [Int]? {
    let expected = names.count
    let format = names.joined(separator: ", ") + ","
    guard fields.count >= expected else {
      let column =
        (fields.last.map { $0.column + $0.text.unicodeScalars.count }) ?? 1
      error(
        "missing field '\(names[fields.count])': the line has \(fields.count) of "
          + "\(expected) fields",
        line: line, column: column, hint: "write \(format)")
      return nil
    }
    guard fields.count <= expected + optional else {
      error(
        "unexpected field '\(fields[expected + optional].text.prefix(40))': a layer has "
          + "\(expected) fields\(optional > 0 ? " and an optional sparsity ratio" : "")",
        line: line, column: fields[expected + optional].column,
        hint: "write \(format)")
      return nil
    }
    if fields[0].text.isEmpty {
      error(
        "the layer has no name", line: line, column: fields[0].column,
        hint: "write \(format)")
      return nil
    }
    var values: [Int] = []
    var ok = true
    for index in 1..<expected {
      let field = fields[index]
      guard let value = Int(field.text) else {
        let shown = field.text.isEmpty ? "empty" : "'\(field.text.prefix(40))'"
        error(
          "'\(names[index])' must be a whole number, but is \(shown)",
          line: line,
          column: field.column,
          hint: "write digits only, e.g. 3; the fields are \(format)")
        ok = false
        continue
      }
      guard (1...ScaleSimTopologyReader.fieldLimit).contains(value) else {
        error(
          "'\(names[index])' is \(value); it must be from 1 to "
            + "\(ScaleSimTopologyReader.fieldLimit)",
          line: line, column: field.column,
          hint: names[index] == "Strides"
            ? "a stride of 1 moves the window one pixel"
            : "sizes are at least 1")
        ok = false
        continue
      }
      values.append(value)
    }
    return ok ? values : nil
  }

  /// The optional ninth field, `N:M` with `1 ≤ N ≤ M`.
  mutating func checkSparsity(_ field: Field, line: Int) -> Bool {
    let parts = field.text.split(
      separator: ":", omittingEmptySubsequences: false)
    if parts.count == 2, let n = Int(parts[0]), let m = Int(parts[1]), n >= 1,
      n <= m, m <= 1024
    {
      diagnostics.append(
        .warning(
          "sparsity \(n):\(m) is not modelled; the layer is counted dense",
          at: SourceLocation(file: fileName, line: line, column: field.column),
          hint: "remove the ratio to silence this"))
      return true
    }
    error(
      "the sparsity ratio must be N:M with 1 ≤ N ≤ M, but is '\(field.text.prefix(40))'",
      line: line, column: field.column,
      hint: "write e.g. 2:4, or leave the field out")
    return false
  }

  /// Records a layer name; a duplicate is an error.
  mutating func declare(_ name: String, field: Field, line: Int) -> Bool {
    if let first = layerLines[name] {
      error(
        "duplicate layer name '\(name.prefix(60))'", line: line,
        column: field.column,
        hint:
          "'\(name.prefix(60))' is already used on line \(first); layer names must be unique"
      )
      return false
    }
    layerLines[name] = line
    return true
  }

  /// End padding that turns `floor((H + p − R)/s) + 1` into SCALE-Sim's
  /// `ceil((H − R + s)/s)`.
  static func endPad(_ size: Int, _ filter: Int, _ stride: Int) -> Int {
    let remainder = (size - filter) % stride
    return remainder == 0 ? 0 : stride - remainder
  }

  static func isBlank(_ line: Substring) -> Bool {
    line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "," }
  }

  /// Splits a line at commas, trimming each field and noting its column;
  /// one empty last field (the trailing comma SCALE-Sim requires) is dropped.
  static func fields(of line: Substring) -> [Field] {
    var result: [Field] = []
    var column = 1
    for raw in line.split(separator: ",", omittingEmptySubsequences: false) {
      let scalars = raw.unicodeScalars
      let leading = scalars.prefix { $0 == " " || $0 == "\t" }.count
      let trimmed = String(raw).trimmingSpaces()
      result.append(Field(text: trimmed, column: column + leading))
      column += scalars.count + 1
    }
    if result.count > 1, result.last?.text.isEmpty == true {
      result.removeLast()
    }
    return result
  }
}

extension String {
  /// The string without leading and trailing spaces and tabs (topology and
  /// measurement CSV cells).
  func trimmingSpaces() -> String {
    let scalars = unicodeScalars
    let start =
      scalars.firstIndex { $0 != " " && $0 != "\t" } ?? scalars.endIndex
    let end =
      scalars.lastIndex { $0 != " " && $0 != "\t" }.map {
        scalars.index(after: $0)
      } ?? start
    return start < end ? String(scalars[start..<end]) : ""
  }
}
