import Diagnostics
import Foundation
import HardwareModel
import TestSupport
import Testing

@testable import SpecFormats

/// Hostile input is refused with a located error: never a crash, a trap or
/// a hang. (Run times are measured by `edgesim validate` in BENCHMARKS.md,
/// not asserted here.)
@Suite struct HostileInputTests {
  func refused(
    _ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> [Diagnostic] {
    refused(Array(text.utf8), sourceLocation: sourceLocation)
  }

  func refused(
    _ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> [Diagnostic] {
    let result = HardwareReader.read(bytes: bytes, fileName: "hostile.yaml")
    #expect(result.value == nil, sourceLocation: sourceLocation)
    #expect(result.diagnostics.containsErrors, sourceLocation: sourceLocation)
    return result.diagnostics
  }

  @Test func billionLaughsAliasBomb() {
    var text =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"]
    var previous = "a"
    for name in names {
      let refs = Array(repeating: "*\(previous)", count: 9).joined(
        separator: ",")
      text += "\(name): &\(name) [\(refs)]\n"
      previous = name
    }
    text += "source: *i\nname: *i\n"
    let diagnostics = refused(text)
    #expect(diagnostics.first?.message.contains("aliases expanded") == true)
    #expect(diagnostics.first?.location?.line == 7)
  }

  /// The case a hand-written pre-parse lexer missed: a quote opening a
  /// block scalar's line hid the alias key after it, and Yams then hashed
  /// the expanded bomb (10^9 nodes) to check for duplicate keys.
  @Test func aliasKeyAfterQuoteInBlockScalar() {
    var text = "notes: |\n  'an apostrophe opens this line\n"
    text += "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    var previous = "a"
    for name in ["b", "c", "d", "e", "f"] {
      let refs = Array(repeating: "*\(previous)", count: 10).joined(
        separator: ", ")
      text += "\(name): &\(name) [\(refs)]\n"
      previous = name
    }
    text += "*f : 1\n*f : 2\n"
    let diagnostics = refused(text)
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.location?.line != nil)
  }

  @Test func collectionAsMappingKeyIsRefused() {
    let diagnostics = refused("? [a, b]\n: 1\nname: x\n")
    #expect(
      diagnostics.first?.message.contains("sequence is used as a mapping key")
        == true)
    #expect(diagnostics.first?.location?.line == 1)
  }

  @Test func aliasBombAsMappingKey() {
    var text =
      "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    text += "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n? *c\n: 1\n*c : 2\n"
    let diagnostics = refused(text)
    #expect(
      diagnostics.first?.message.contains("alias is used as a mapping key")
        == true)
  }

  @Test func deepFlowNesting() {
    let text =
      "name: " + String(repeating: "[", count: 100)
      + String(repeating: "]", count: 100)
    #expect(
      refused(text).first?.message.contains("nesting is too deep") == true)
    // Twenty thousand deep is a line too long before it is a nesting.
    let long =
      "name: " + String(repeating: "[", count: 20_000)
      + String(repeating: "]", count: 20_000)
    #expect(refused(long).first?.message.contains("longer than") == true)
  }

  @Test func deepFlowNestingOverManyLines() {
    let text =
      "name:\n" + String(repeating: " [\n", count: 2_000)
      + String(repeating: " ]\n", count: 2_000)
    #expect(
      refused(text).first?.message.contains("nesting is too deep") == true)
  }

  @Test func deepBlockNesting() {
    var text = ""
    for depth in 0..<300 {
      text += String(repeating: " ", count: depth) + "k:\n"
    }
    #expect(refused(text).first?.message.contains("too deep") == true)
  }

  @Test func deepSequenceDashes() {
    let text = String(repeating: "- ", count: 100) + "x\n"
    #expect(refused(text).first?.message.contains("too deep") == true)
  }

  @Test func multiMegabyteLine() {
    let text = "name: " + String(repeating: "x", count: 3 << 20) + "\n"
    let diagnostics = refused(text)
    #expect(diagnostics.first?.message.contains("longer than") == true)
    #expect(diagnostics.first?.location?.line == 1)
  }

  @Test func hugeFile() {
    let text = String(
      repeating: "# comment line of some length\n", count: 200_000)
    #expect(refused(text).first?.message.contains("at most") == true)
  }

  @Test func binaryGarbage() {
    var generator = SplitMix64(seed: 7)
    let bytes = (0..<4096).map { _ in
      UInt8(truncatingIfNeeded: generator.next())
    }
    #expect(refused(bytes).first?.message.contains("binary") == true)
  }

  @Test func invalidUTF8WithoutNUL() {
    let bytes: [UInt8] =
      Array("name: ok\nkind: ".utf8) + [0xC3, 0x28] + Array("\n".utf8)
    let diagnostics = refused(bytes)
    #expect(diagnostics.first?.message.contains("not UTF-8") == true)
    #expect(diagnostics.first?.location?.line == 2)
  }

  @Test func emptyAndBlankFiles() {
    #expect(refused("").first?.message == "the file is empty")
    #expect(refused("  \n\n\t\n").first?.message == "the file is empty")
    #expect(
      refused("# only a comment\n").first?.message.contains("no YAML document")
        == true)
  }

  @Test func listInsteadOfMapping() {
    let diagnostics = refused("- a\n- b\n")
    #expect(diagnostics.first?.message.contains("must be a mapping") == true)
    #expect(diagnostics.first?.location?.line == 1)
  }

  @Test func multipleDocumentsAreRefused() {
    #expect(!refused("name: a\n---\nname: b\n").isEmpty)
  }

  @Test func numbersThatOverflowAreErrorsNotTraps() {
    let text = String(
      decoding: (try? Golden.bytes("valid-npu.yaml")) ?? [], as: UTF8.self
    )
    .replacingOccurrences(of: "rows: 16", with: "rows: 99999999999999999999999")
    .replacingOccurrences(of: "clock: 500 MHz", with: "clock: 1e400 MHz")
    let diagnostics = refused(text)
    #expect(diagnostics.count >= 2)
  }

  /// Seeded mutation fuzzing of a valid file: every mutant is read without a
  /// crash, and an accepted mutant validates.
  @Test func mutatedFilesNeverCrash() throws {
    let valid = try Golden.bytes("valid-npu.yaml")
    var generator = SplitMix64(seed: 2026)
    let alphabet = Array(
      ":-[]{}&*!|>'\"#%@` \n\t0123456789.e+ kKMGiBbs/Hzpnu".utf8)
    for _ in 0..<400 {
      var bytes = valid
      let edits = 1 + Int(generator.next() % 6)
      for _ in 0..<edits {
        guard !bytes.isEmpty else { break }
        let position = Int(generator.next() % UInt64(bytes.count))
        switch generator.next() % 4 {
        case 0:
          bytes[position] =
            alphabet[Int(generator.next() % UInt64(alphabet.count))]
        case 1: bytes.remove(at: position)
        case 2:
          bytes.insert(
            alphabet[Int(generator.next() % UInt64(alphabet.count))],
            at: position)
        default:
          let length = min(bytes.count - position, Int(generator.next() % 40))
          let slice = Array(bytes[position..<(position + length)])
          bytes.insert(contentsOf: slice, at: position)
        }
      }
      let result = HardwareReader.read(bytes: bytes, fileName: "mutant.yaml")
      if result.value == nil {
        #expect(result.diagnostics.containsErrors)
      }
    }
  }
}
