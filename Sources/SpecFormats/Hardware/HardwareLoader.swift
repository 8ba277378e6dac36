import Diagnostics
import HardwareModel

/// Reads any supported hardware description, chosen by the file name's
/// extension: `.yaml`/`.yml` (EdgeSim's format) or `.cfg` (SCALE-Sim).
public enum HardwareLoader {
  /// The extensions this loader reads.
  public static let extensions = ["yaml", "yml", "cfg"]

  /// Reads a hardware description from its bytes.
  ///
  /// - Parameters:
  ///   - bytes: The file's contents.
  ///   - fileName: The name to report; its extension picks the format.
  /// - Returns: The device, or the located diagnostics that stop it.
  public static func read(bytes: [UInt8], fileName: String) -> LoadResult<
    Device
  > {
    var result =
      fileName.lowercased().hasSuffix(".cfg")
      ? ScaleSimConfigReader.read(bytes: bytes, fileName: fileName)
      : HardwareReader.read(bytes: bytes, fileName: fileName)
    result.diagnostics = result.diagnostics.sortedByLocation()
    return result
  }
}
