/// Why a point's parameter text is not one a plan produces.
///
/// The plan is searched study by study; the error describes the study that
/// matched the most fields of the text, and the first field where it
/// departs: the field it expects there, the values it allows, and what the
/// text has instead.
public struct DesignPointParsingError: Error, Hashable, Sendable,
  CustomStringConvertible
{
  /// The parameter text that was parsed.
  public var parameters: String
  /// The closest study's number in the plan, or `nil` when the plan has no
  /// study.
  public var study: Int?
  /// The field the closest study expects next (`model`, `batch`,
  /// `precision[/conv1/Conv]`, `hardware[array_size]`), or `nil` when it
  /// expects the end of the text (or, with ``found`` also `nil`, when the
  /// study matched but writes the point differently: ``expected`` holds
  /// its text).
  public var field: String?
  /// The values the closest study allows for ``field``, in plan order.
  public var expected: [String]
  /// What the text has where the field was expected, up to the next `;`,
  /// or `nil` when the text ends there.
  public var found: String?

  /// Creates the error.
  public init(
    parameters: String, study: Int?, field: String?, expected: [String],
    found: String?
  ) {
    self.parameters = parameters
    self.study = study
    self.field = field
    self.expected = expected
    self.found = found
  }

  /// A sentence for the user, for example "no study of the sweep produces
  /// 'precision[/conv1/Conv]=8/fl9': the closest (study 1) has
  /// precision[/conv1/Conv] = 8/fl2, 8/fl3, 8/fl4".
  public var description: String {
    guard let study else { return "the sweep has no study" }
    let closest = "the closest (study \(study + 1))"
    let shown =
      expected.prefix(8).joined(separator: ", ")
      + (expected.count > 8 ? ", …" : "")
    let allowed = "\(field ?? "") = \(expected.isEmpty ? "no value" : shown)"
    switch (field, found) {
    case (nil, let found?):
      return
        "no study of the sweep produces '\(found)': \(closest) ends before it"
    case (_?, nil): return "the parameters end where \(closest) has \(allowed)"
    case (_?, let found?):
      return
        "no study of the sweep produces '\(found)': \(closest) has \(allowed) there"
    case (nil, nil):
      return "\(closest) writes the point as '\(expected.first ?? "")'"
    }
  }
}

extension SweepPlan {
  /// The point of this plan whose canonical parameter text is `parameters`
  /// (the inverse of ``DesignPoint/canonical``).
  ///
  /// Each study is tried in order: the text's fields must be, in order, one
  /// of the study's models, devices and batches, its `default_bits` when it
  /// has one, one setting of each precision axis (by the axis's label, in
  /// axis order), `huffman=1` when the study Huffman codes, one level of
  /// each compression axis and one value of each hardware axis. Matching compares
  /// canonical text, so a value is never parsed and re-printed. The point is
  /// then made by ``point(at:)`` from the position found (so it carries the
  /// axes' layer selectors, its plan number and study), and checked to
  /// write `parameters` back exactly.
  ///
  /// ```swift
  /// let point = try plan.point(parameters: row.parameters).get()
  /// assert(point.id == row.pointID)
  /// ```
  ///
  /// - Parameter parameters: A point's canonical text, e.g.
  ///   `model=lenet5;device=systolic-32x32;batch=1;hardware[array_size]=16`.
  /// - Returns: The point, or where the text departs from the closest study
  ///   (the sweep file no longer produces it, or it belongs to another
  ///   sweep).
  /// - Complexity: O(s · v · n) for s studies, v values per field and a text
  ///   of n characters.
  public func point(parameters: String) -> Result<
    DesignPoint, DesignPointParsingError
  > {
    var closest = DesignPointParsingError(
      parameters: parameters, study: nil, field: nil, expected: [], found: nil)
    var closestMatched = -1
    var offset = 0
    for (studyIndex, study) in studies.enumerated() {
      guard let count = study.count else { continue }
      defer { offset += count }
      switch Self.match(parameters, study) {
      case .success(let local):
        let point = point(at: offset + local)
        guard point.canonical == parameters else {
          return .failure(
            DesignPointParsingError(
              parameters: parameters, study: studyIndex, field: nil,
              expected: [point.canonical],
              found: nil))
        }
        return .success(point)
      case .failure(let mismatch):
        if mismatch.matched > closestMatched {
          closestMatched = mismatch.matched
          closest = DesignPointParsingError(
            parameters: parameters, study: studyIndex, field: mismatch.field,
            expected: mismatch.expected, found: mismatch.found)
        }
      }
    }
    return .failure(closest)
  }

  /// Where a text departs from a study.
  struct Mismatch: Error {
    var matched: Int
    var field: String?
    var expected: [String]
    var found: String?
  }

  /// The point's number within the study (mixed radix, the last field
  /// fastest, as ``point(at:)``), or where the text departs from it.
  static func match(_ text: String, _ study: Study) -> Result<Int, Mismatch> {
    // Each field: its key and the canonical texts of its values.
    var fields: [(key: String, values: [String])] = [
      ("model", study.models), ("device", study.devices),
      ("batch", study.batches.map { "\($0)" }),
    ]
    var digitFields: [Int] = [0, 1, 2]
    if let bits = study.defaultBits {
      fields.append(("default_bits", ["\(bits)"]))
    }
    for axis in study.precisionAxes {
      digitFields.append(fields.count)
      fields.append(
        ("precision[\(axis.label)]", axis.settings.map(\.canonical)))
    }
    if study.huffman { fields.append(("huffman", ["1"])) }
    for axis in study.compressionAxes {
      digitFields.append(fields.count)
      fields.append(
        ("compression[\(axis.name)]", axis.levels.map(\.canonical)))
    }
    for axis in study.hardwareAxes {
      digitFields.append(fields.count)
      fields.append(
        (
          "hardware[\(axis.parameter.name)]",
          axis.values.map {
            HardwareOverride(parameter: axis.parameter, value: $0)
              .canonicalValue
          }
        ))
    }
    var rest = Substring(text)
    var digits: [Int] = []
    for (position, field) in fields.enumerated() {
      if position > 0 {
        guard rest.first == ";" else {
          return .failure(
            Mismatch(
              matched: position, field: field.key, expected: field.values,
              found: nil))
        }
        rest = rest.dropFirst()
      }
      let prefix = field.key + "="
      // The longest value that fits, followed by ';' or the end.
      var chosen: (digit: Int, length: Int)?
      if rest.hasPrefix(prefix) {
        let value = rest.dropFirst(prefix.count)
        for (digit, candidate) in field.values.enumerated()
        where value.hasPrefix(candidate) {
          let after = value.dropFirst(candidate.count)
          guard after.isEmpty || after.first == ";" else { continue }
          if candidate.count > chosen?.length ?? -1 {
            chosen = (digit, candidate.count)
          }
        }
      }
      guard let chosen else {
        let found = rest.isEmpty ? nil : String(rest.prefix { $0 != ";" })
        return .failure(
          Mismatch(
            matched: position, field: field.key, expected: field.values,
            found: found))
      }
      if digitFields.contains(position) { digits.append(chosen.digit) }
      rest = rest.dropFirst(prefix.count + chosen.length)
    }
    guard rest.isEmpty else {
      return .failure(
        Mismatch(
          matched: fields.count, field: nil, expected: [],
          found: String(rest.dropFirst().prefix { $0 != ";" })))
    }
    var radices = [
      study.models.count, study.devices.count, study.batches.count,
    ]
    radices += study.precisionAxes.map(\.settings.count)
    radices += study.compressionAxes.map(\.levels.count)
    radices += study.hardwareAxes.map(\.values.count)
    var local = 0
    for (digit, radix) in zip(digits, radices) { local = local * radix + digit }
    return .success(local)
  }
}
