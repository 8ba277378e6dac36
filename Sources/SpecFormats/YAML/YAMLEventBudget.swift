import CYaml
import Diagnostics

/// Bounds the work a YAML document can cause, measured on libyaml's own event
/// stream before Yams composes it.
///
/// A hand-written lexer that looks for aliases and brackets in the text
/// always misreads some corner of YAML (a quote that opens a block scalar's
/// line, a flow mapping over several lines), and whatever it misses reaches
/// code whose cost grows with the document's *expanded* size: Yams hashes
/// every mapping key to find duplicates, and an alias to a billion-laughs
/// anchor used as a key is hashed node by node. This pass reads the same
/// events the composer reads, so it cannot disagree with it:
///
/// - a mapping key must be a scalar: an alias, a sequence or a mapping as a
///   key is refused (EdgeSim keys are plain names);
/// - nesting is at most ``maximumDepth`` collections deep (Yams composes
///   recursively);
/// - the document, with every alias expanded, has at most
///   ``maximumExpandedNodes`` nodes (counted with saturating arithmetic, so
///   an alias bomb is refused at the first alias that crosses the limit,
///   after linear work);
/// - at most ``maximumEvents`` events in all.
enum YAMLEventBudget {
  static let maximumDepth = 64
  static let maximumExpandedNodes = 1_000_000
  static let maximumEvents = 2_000_000

  /// A reason to refuse the document, at a 1-based line and column.
  struct Problem: Equatable {
    var message: String
    var line: Int
    var column: Int
    var hint: String
  }

  /// What one open collection has seen so far.
  private struct Frame {
    var anchor: String?
    var isMapping: Bool
    /// Nodes in the collection so far, itself included, aliases expanded.
    var expanded: Int = 1
    /// Children read so far (in a mapping, even counts are keys).
    var children: Int = 0
  }

  /// Scans the text's events; `nil` when the document stays within bounds
  /// or when libyaml reports a syntax error (the composer reports that one,
  /// with its own message and mark).
  static func problem(in text: String) -> Problem? {
    var utf8 = Array(text.utf8)
    if utf8.isEmpty { return nil }
    return utf8.withUnsafeMutableBufferPointer { buffer in
      var parser = yaml_parser_t()
      guard yaml_parser_initialize(&parser) == 1 else { return nil }
      defer { yaml_parser_delete(&parser) }
      yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      return scan(&parser)
    }
  }

  private static func scan(_ parser: inout yaml_parser_t) -> Problem? {
    var anchors: [String: Int] = [:]
    var stack: [Frame] = []
    var events = 0
    while true {
      var event = yaml_event_t()
      guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
      defer { yaml_event_delete(&event) }
      events += 1
      let line = Int(event.start_mark.line) + 1
      let column = Int(event.start_mark.column) + 1
      if events > maximumEvents {
        return Problem(
          message: "the document has more than \(maximumEvents) YAML nodes",
          line: line, column: column, hint: "is this the right file?")
      }
      // Whether the node this event starts stands as a mapping key.
      let isKey =
        stack.last.map { $0.isMapping && $0.children % 2 == 0 } ?? false
      switch event.type {
      case YAML_STREAM_END_EVENT:
        return nil
      case YAML_SCALAR_EVENT:
        if let problem = add(
          1, anchor: string(event.data.scalar.anchor), to: &stack,
          anchors: &anchors, line: line, column: column)
        {
          return problem
        }
      case YAML_ALIAS_EVENT:
        let name = string(event.data.alias.anchor) ?? ""
        if isKey {
          return Problem(
            message: "an alias is used as a mapping key (*\(name))",
            line: line, column: column,
            hint:
              "EdgeSim keys are plain names; aliases may only stand for values")
        }
        // An undefined alias is the composer's error to report.
        guard let size = anchors[name] else { return nil }
        if let problem = add(
          size, anchor: nil, to: &stack, anchors: &anchors, line: line,
          column: column)
        {
          return problem
        }
      case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
        let isMapping = event.type == YAML_MAPPING_START_EVENT
        if isKey {
          return Problem(
            message:
              "a \(isMapping ? "mapping" : "sequence") is used as a mapping key",
            line: line, column: column,
            hint: "EdgeSim keys are plain names, such as 'clock'")
        }
        if stack.count >= maximumDepth {
          return Problem(
            message:
              "nesting is too deep (more than \(maximumDepth) levels)",
            line: line, column: column,
            hint: "EdgeSim files nest a few levels deep")
        }
        let anchor =
          isMapping
          ? string(event.data.mapping_start.anchor)
          : string(event.data.sequence_start.anchor)
        stack.append(Frame(anchor: anchor, isMapping: isMapping))
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        guard let frame = stack.popLast() else { return nil }
        if let problem = add(
          frame.expanded, anchor: frame.anchor, to: &stack, anchors: &anchors,
          line: line, column: column)
        {
          return problem
        }
      case YAML_DOCUMENT_START_EVENT:
        // Anchors do not cross documents.
        anchors = [:]
      default:
        break
      }
    }
  }

  /// Adds a finished node of `size` expanded nodes to the open collection,
  /// registering its anchor; a problem when the total crosses the limit.
  private static func add(
    _ size: Int, anchor: String?, to stack: inout [Frame],
    anchors: inout [String: Int], line: Int, column: Int
  ) -> Problem? {
    if let anchor { anchors[anchor] = size }
    guard !stack.isEmpty else {
      return size > maximumExpandedNodes
        ? tooLarge(line: line, column: column) : nil
    }
    let top = stack.count - 1
    let (sum, overflow) = stack[top].expanded.addingReportingOverflow(size)
    if overflow || sum > maximumExpandedNodes {
      return tooLarge(line: line, column: column)
    }
    stack[top].expanded = sum
    stack[top].children += 1
    return nil
  }

  private static func tooLarge(line: Int, column: Int) -> Problem {
    Problem(
      message:
        "with its aliases expanded, the document has more than \(maximumExpandedNodes) nodes",
      line: line, column: column,
      hint: "write the values out, or alias fewer of them")
  }

  private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?)
    -> String?
  {
    pointer.map { String(cString: $0) }
  }
}
