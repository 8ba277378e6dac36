import Foundation
import Testing

/// `Package.swift` against the real imports, in both directions.
///
/// Every module a target imports is declared (a target or a product's module), and
/// every declared dependency is imported by at least one of the target's
/// files. SwiftPM lets a target import its dependencies' dependencies, so
/// neither mistake breaks the build; both make the manifest lie.
@Suite struct PackageManifestTests {
  static let root = DependencyDirectionTests.root
  static let manifest =
    (try? PackageManifest.load(root: root))
    ?? PackageManifest(text: "")

  static var targetNames: [String] { manifest.targets.map(\.name) }

  static func target(_ name: String) -> PackageManifest.Target? {
    manifest.targets.first { $0.name == name }
  }

  @Test func manifestIsRead() {
    #expect(Self.manifest.targets.count >= 20)
    let commands = Self.target("EdgeSimCommands")
    #expect(commands?.products == ["ArgumentParser"])
    #expect(Self.target("edgesim")?.kind == .executable)
    #expect(Self.target("ArchitectureTests")?.kind == .test)
  }

  /// Every folder of Sources/ and Tests/ holding Swift files is a target.
  @Test func everyFolderIsATarget() throws {
    let declared = Set(Self.manifest.targets.map(\.path))
    for parent in ["Sources", "Tests"] {
      let folder = Self.root.appendingPathComponent(parent)
      for name in try FileManager.default.contentsOfDirectory(
        atPath: folder.path)
      where !name.hasPrefix(".") {
        let path = "\(parent)/\(name)"
        let files = SourceImports.files(in: folder.appendingPathComponent(name))
        guard !files.isEmpty else { continue }
        #expect(
          declared.contains(path), "\(path) is not a target of Package.swift")
      }
    }
  }

  /// Every `import X` is a declared dependency (or the toolchain's).
  @Test(arguments: targetNames)
  func importsAreDeclared(_ name: String) throws {
    let target = try #require(Self.target(name))
    var declared = Set(target.targets).union([target.name])
    for product in target.products {
      declared.formUnion(PackageManifest.modules(ofProduct: product))
    }
    let imports = SourceImports.imports(of: target, root: Self.root)
    for (module, files) in imports.sorted(by: { $0.key < $1.key })
    where !declared.contains(module)
      && !PackageManifest.toolchainModules.contains(module)
    {
      Issue.record(
        "\(name) imports \(module) (\(files.joined(separator: ", "))) but Package.swift does not declare it"
      )
    }
  }

  /// Every declared dependency is imported by at least one file; an
  /// executable a test runs (`.target(name: "edgesim")`) is built, not
  /// imported.
  @Test(arguments: targetNames)
  func declaredDependenciesAreImported(_ name: String) throws {
    let target = try #require(Self.target(name))
    let imported = Set(SourceImports.imports(of: target, root: Self.root).keys)
    for dependency in target.targets
    where Self.target(dependency)?.kind != .executable
      && !imported.contains(dependency)
    {
      Issue.record(
        "\(name) declares \(dependency) in Package.swift but no file imports it"
      )
    }
    for product in target.products
    where imported.isDisjoint(with: PackageManifest.modules(ofProduct: product))
    {
      Issue.record(
        "\(name) declares the product \(product) in Package.swift but no file imports it"
      )
    }
  }

  /// The allowed table of ``DependencyDirectionTests`` covers every library
  /// target of the manifest, and no target that is not in it.
  @Test func allowedTableMatchesTheManifest() {
    let library = Set(
      Self.manifest.targets.filter {
        $0.kind != .test && $0.path.hasPrefix("Sources/")
      }.map(\.name))
    #expect(library == Set(DependencyDirectionTests.allowed.keys))
  }
}
