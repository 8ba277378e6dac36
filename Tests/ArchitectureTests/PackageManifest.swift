import Foundation

/// `Package.swift` read as text: each target's name, folder and declared
/// dependencies.
///
/// The manifest is parsed rather than loaded with `swift package
/// dump-package`: that would run SwiftPM (seconds, and a second SwiftPM
/// inside `swift test` can wait on the build folder's lock), while the
/// manifest's target declarations are plain literals this reads exactly.
struct PackageManifest {
  struct Target {
    enum Kind: String { case regular, executable, test }
    var name: String
    var kind: Kind
    /// The folder, relative to the package root.
    var path: String
    /// Targets named as dependencies (`"X"` or `.target(name: "X")`).
    var targets: [String]
    /// Products named as dependencies (`.product(name: "X", …)`).
    var products: [String]
    /// Folders of `path` left out of the target (`exclude:`).
    var excluded: [String] = []
  }

  var targets: [Target]

  /// The modules each product of a dependency package provides.
  static let productModules: [String: Set<String>] = [
    "Collections": [
      "Collections", "DequeModule", "HeapModule", "OrderedCollections",
      "BitCollections", "HashTreeCollections", "_RopeModule",
    ],
    "Yams": ["Yams", "CYaml"],
  ]

  /// Modules of the toolchain, which need no declaration.
  static let toolchainModules: Set<String> = [
    "Swift", "_Concurrency", "Foundation", "FoundationEssentials",
    "FoundationXML", "FoundationNetworking", "Glibc", "Musl", "Darwin",
    "Dispatch", "Synchronization", "Testing", "XCTest",
  ]

  static func modules(ofProduct product: String) -> Set<String> {
    productModules[product] ?? [product]
  }

  init(text: String) {
    let code = Self.strippingComments(text)
    var targets: [Target] = []
    let pattern = /\.(target|executableTarget|testTarget)\(/
    for match in code.matches(of: pattern) {
      let body = Self.balanced(code, from: match.range.upperBound, "(", ")")
      guard let name = body.firstMatch(of: /^\s*name:\s*"([^"]+)"/)?.1
      else { continue }
      let kind: Target.Kind =
        switch match.1 {
        case "executableTarget": .executable
        case "testTarget": .test
        default: .regular
        }
      let folder = kind == .test ? "Tests" : "Sources"
      let path =
        body.firstMatch(of: /path:\s*"([^"]+)"/).map { String($0.1) }
        ?? "\(folder)/\(name)"
      var dependencies = ""
      if let start = body.firstMatch(of: /dependencies:\s*\[/) {
        dependencies = Self.balanced(
          body, from: start.range.upperBound, "[", "]")
      }
      var excluded: [String] = []
      if let start = body.firstMatch(of: /exclude:\s*\[/) {
        excluded = Self.balanced(body, from: start.range.upperBound, "[", "]")
          .matches(of: /"([^"]+)"/).map { String($0.1) }
      }
      let products = dependencies.matches(
        of: /\.product\(\s*name:\s*"([^"]+)"[^)]*\)/)
      var rest = dependencies
      for product in products.reversed() { rest.removeSubrange(product.range) }
      let names = rest.matches(of: /"([^"]+)"/).map { String($0.1) }
      targets.append(
        Target(
          name: String(name), kind: kind, path: path, targets: names,
          products: products.map { String($0.1) }, excluded: excluded))
    }
    self.targets = targets
  }

  /// The manifest of this package.
  static func load(root: URL) throws -> PackageManifest {
    PackageManifest(
      text: try String(
        contentsOf: root.appendingPathComponent("Package.swift"),
        encoding: .utf8))
  }

  /// The text inside the bracket opened just before `start`.
  static func balanced(
    _ text: String, from start: String.Index, _ open: Character,
    _ close: Character
  ) -> String {
    var depth = 1
    var inString = false
    var index = start
    while index < text.endIndex {
      let character = text[index]
      if character == "\"" {
        inString.toggle()
      } else if !inString {
        if character == open { depth += 1 }
        if character == close {
          depth -= 1
          if depth == 0 { return String(text[start..<index]) }
        }
      }
      index = text.index(after: index)
    }
    return String(text[start...])
  }

  /// The text without `//` comments (outside string literals).
  static func strippingComments(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      var inString = false
      var previous: Character = " "
      for index in line.indices {
        let character = line[index]
        if character == "\"" { inString.toggle() }
        if !inString, character == "/", previous == "/" {
          return String(line[..<line.index(before: index)])
        }
        previous = character
      }
      return String(line)
    }.joined(separator: "\n")
  }
}

/// The modules a target's files import.
enum SourceImports {
  /// The `.swift` files under `folder`.
  static func files(in folder: URL) -> [URL] {
    guard
      let walker = FileManager.default.enumerator(
        at: folder, includingPropertiesForKeys: nil)
    else { return [] }
    return walker.compactMap { $0 as? URL }.filter {
      $0.pathExtension == "swift"
    }.sorted { $0.path < $1.path }
  }

  /// Each module a target imports, with the files importing it.
  static func imports(
    of target: PackageManifest.Target, root: URL
  ) -> [String: [String]] {
    let folder = root.appendingPathComponent(target.path)
    let skipped = target.excluded.map {
      folder.appendingPathComponent($0).standardizedFileURL.path + "/"
    }
    var result: [String: [String]] = [:]
    for file in files(in: folder)
    where !skipped.contains(where: {
      file.standardizedFileURL.path.hasPrefix($0)
    }) {
      for module in Set(DependencyDirectionTests.imports(in: file)) {
        result[module, default: []].append(file.lastPathComponent)
      }
    }
    return result
  }
}
