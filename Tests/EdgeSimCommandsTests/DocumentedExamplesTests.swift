import ArgumentParser
import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// Every example a user is shown — README's `swift run edgesim …` lines and
/// each command's `--help` Example block — is a command line edgesim
/// accepts, naming files that exist (or that an earlier example writes).
///
/// `Scripts/check-examples.sh`, run by CI, runs them all (issue #18 item 8).
@Suite struct DocumentedExamplesTests {
  static let root = EdgeSimProcess.root.path

  /// One example: where it is shown and its words (after `edgesim`).
  struct Example: CustomStringConvertible {
    var place: String
    var words: [String]
    var description: String {
      "\(place): edgesim \(words.joined(separator: " "))"
    }
  }

  /// Shell words of a command line up to a comment, pipe or redirection.
  static func words(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var inWord = false
    for character in line {
      if let open = quote {
        if character == open { quote = nil } else { current.append(character) }
        continue
      }
      switch character {
      case "\"", "'":
        quote = character
        inWord = true
      case " ", "\t":
        if inWord { words.append(current) }
        current = ""
        inWord = false
      case "#", "|", ">":
        if inWord { words.append(current) }
        return words
      default:
        current.append(character)
        inWord = true
      }
    }
    if inWord { words.append(current) }
    return words
  }

  /// README's lines of `sh` blocks that run edgesim.
  static func readmeExamples() throws -> [Example] {
    let text = try String(
      contentsOfFile: "\(root)/README.md", encoding: .utf8)
    var inBlock = false
    var examples: [Example] = []
    for (number, line) in text.split(
      separator: "\n", omittingEmptySubsequences: false
    ).enumerated() {
      if line.hasPrefix("```") {
        inBlock = line == "```sh"
        continue
      }
      guard inBlock, line.hasPrefix("swift run edgesim") else { continue }
      let words = Self.words(String(line.dropFirst("swift run edgesim".count)))
      examples.append(Example(place: "README.md:\(number + 1)", words: words))
    }
    return examples
  }

  /// The Example blocks of every command's help, continuation lines joined.
  static func helpExamples() -> [Example] {
    var examples: [Example] = []
    func visit(_ command: any ParsableCommand.Type, path: [String]) {
      let configuration = command.configuration
      let name = configuration.commandName ?? "\(command)".lowercased()
      let here = path + [name]
      var collecting = false
      var pending = ""
      for line in configuration.discussion.split(
        separator: "\n", omittingEmptySubsequences: false)
      {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed == "Example:" || trimmed == "Examples:" {
          collecting = true
          continue
        }
        guard collecting else { continue }
        if trimmed.isEmpty, pending.isEmpty { continue }
        pending += (pending.isEmpty ? "" : " ") + trimmed
        if pending.hasSuffix("\\") {
          pending.removeLast()
          continue
        }
        if pending.hasPrefix("edgesim ") {
          examples.append(
            Example(
              place:
                "edgesim \(here.dropFirst().joined(separator: " ")) --help",
              words: words(String(pending.dropFirst("edgesim".count)))))
        }
        pending = ""
      }
      for sub in configuration.subcommands { visit(sub, path: here) }
    }
    visit(EdgeSim.self, path: [])
    return examples
  }

  /// Each example parses and validates as edgesim's arguments.
  @Test func everyExampleParses() throws {
    let examples = try Self.readmeExamples() + Self.helpExamples()
    #expect(examples.count >= 60, "examples found: \(examples.count)")
    for example in examples {
      // --help and --generate-completion-script are answered by the parser.
      if example.words.first?.hasPrefix("--") == true { continue }
      do {
        _ = try EdgeSim.parseAsRoot(example.words)
      } catch {
        Issue.record(
          "\(example): \(EdgeSim.fullMessage(for: error))")
      }
    }
  }

  /// Each path an example reads exists in the repository or is written by
  /// an earlier example (README first, then the help texts, as
  /// Scripts/check-examples.sh runs them).
  @Test func everyFileAnExampleNamesExists() throws {
    let examples = try Self.readmeExamples() + Self.helpExamples()
    let writers: Set<String> = [
      "--out", "--trace", "--db", "--html", "--csv", "--dump", "--output",
    ]
    var written: Set<String> = []
    for example in examples {
      let words = example.words
      for (index, word) in words.enumerated() {
        let previous = index > 0 ? words[index - 1] : ""
        if previous == "--shard" { continue }
        if writers.contains(previous) {
          written.insert(word)
          continue
        }
        // simulate without --trace writes Traces/<model>-<device>[-<precision>].
        if words.first == "simulate", !words.contains("--trace"), index == 0 {
          func value(_ flag: String, _ fallback: String?) -> String? {
            words.firstIndex(of: flag).flatMap {
              words.indices.contains($0 + 1) ? words[$0 + 1] : nil
            } ?? fallback
          }
          func stem(_ path: String) -> String {
            URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
          }
          var parts = [
            stem(value("--model", "mobilenet_v2")!),
            stem(value("--hardware", "npu-32x32")!),
          ]
          if let precision = value("--precision", nil) {
            parts.append(stem(precision))
          }
          written.insert("Traces/" + parts.joined(separator: "-"))
        }
        // sweep merge's first argument is its output.
        if words.starts(with: ["sweep", "merge"]), index == 2 {
          written.insert(word)
          continue
        }
        let fileSuffixes = [
          ".yaml", ".yml", ".sqlite", ".onnx", ".cfg", ".csv", ".npy",
        ]
        guard word.contains("/") || fileSuffixes.contains(where: word.hasSuffix)
        else { continue }
        if word.hasPrefix("-") || word.contains("*") || word.contains("=") {
          continue
        }
        let exists = FileManager.default.fileExists(
          atPath: "\(Self.root)/\(word)")
        let madeEarlier = written.contains {
          word == $0 || word.hasPrefix($0 + "/")
        }
        #expect(
          exists || madeEarlier,
          "\(example): '\(word)' is neither in the repository nor written by an earlier example"
        )
      }
    }
  }
}
