import ArgumentParser
import Diagnostics
import Foundation
import HardwareModel
import SpecFormats

/// `edgesim devices`: the bundled devices with their headline figures.
struct Devices: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the bundled devices with their headline figures.",
    discussion: """
      Shows each device's kind, clock, peak MAC rate per precision, on-chip \
      memory and backing-store bandwidth. The bundled devices are built into \
      the binary; --dir lists the descriptions in another folder instead.

      Example:
        edgesim devices
        edgesim devices --json
        edgesim devices --dir Hardware
      """)

  @Option(help: "List the .yaml and .cfg files in this folder instead.")
  var dir: String?

  @OptionGroup var format: OutputOptions

  func run() throws {
    let files = try dir.map(Self.files(in:)) ?? Self.bundledFiles
    var devices: [Device] = []
    var printer = DiagnosticPrinter()
    for file in files {
      let result = HardwareLoader.read(bytes: file.bytes, fileName: file.name)
      if let device = result.value {
        devices.append(device)
      } else {
        printer.sources[file.name] = String(decoding: file.bytes, as: UTF8.self)
        printer.print(result.diagnostics)
      }
    }
    Terminal.standardOutput(
      format.json
        ? JSONOutput.devices(devices) : DeviceTable.render(devices))
    if devices.count < files.count { throw ExitCode(EdgeSimMain.failure) }
  }

  /// The devices built into the binary.
  static var bundledFiles: [(name: String, bytes: [UInt8])] {
    BundledFiles.hardware.map { ("Hardware/\($0.name)", Array($0.text.utf8)) }
  }

  /// The device descriptions (.yaml, .cfg) in a folder, in name order; a
  /// file that cannot be read is reported and left out.
  static func files(in dir: String) throws -> [(name: String, bytes: [UInt8])] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    } catch {
      Terminal.standardError(
        "error: cannot list \(dir): \(error.localizedDescription)")
      throw ExitCode(EdgeSimMain.failure)
    }
    var files: [(name: String, bytes: [UInt8])] = []
    for name in names
    where HardwareLoader.extensions.contains(where: { name.hasSuffix(".\($0)") }
    ) {
      let path = (dir as NSString).appendingPathComponent(name)
      switch FileIO.read(path) {
      case .success(let bytes): files.append((path, bytes))
      case .failure(let d): DiagnosticPrinter().print([d])
      }
    }
    return files
  }
}

/// The table `edgesim devices` prints.
enum DeviceTable {
  static func render(_ devices: [Device]) -> String {
    var rows: [[String]] = [
      ["device", "kind", "clock", "peak MAC/s", "on-chip", "backing store"]
    ]
    for device in devices {
      let peaks = device.compute.precisions.compactMap { precision in
        device.peakMACsPerSecond(precision).map {
          "\(precision.rawValue) \(UnitFormatter.decimal($0, unit: ""))"
            .trimmingTrailingSpace()
        }
      }.joined(separator: ", ")
      let level = device.backingStore
      let store =
        level.readBandwidth.isInfinite
        ? "\(level.kind.rawValue) unlimited"
        : "\(level.kind.rawValue) \(UnitFormatter.decimal(level.readBandwidth, unit: "B/s"))"
      rows.append([
        device.name, device.kind.rawValue,
        UnitFormatter.decimal(device.clock, unit: "Hz"), peaks,
        UnitFormatter.binary(device.onChipBytes, unit: "B"), store,
      ])
    }
    return TextTable.render(rows)
  }
}

extension String {
  fileprivate func trimmingTrailingSpace() -> String {
    var s = self
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }
}
