import BitAccurateExecution

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The environment's choice of the executors' vector kernels.
///
/// `EDGESIM_KERNELS=portable|avx2|avx512` forces one instruction set (all
/// give the same results; the default is the widest the CPU has), for
/// comparing and testing the paths.
enum KernelSelection {
  static let variable = "EDGESIM_KERNELS"

  /// Applies the environment's choice; a message when it names no path or
  /// one this CPU cannot run.
  static func apply() -> String? {
    guard let raw = getenv(variable) else { return nil }
    return apply(String(cString: raw))
  }

  static func apply(_ value: String) -> String? {
    let supported = KernelPath.supported.map(\.rawValue)
      .joined(separator: ", ")
    guard !value.isEmpty else { return nil }
    guard let path = KernelPath(rawValue: value) else {
      let names = KernelPath.allCases.map(\.rawValue).joined(separator: ", ")
      return
        "\(variable)=\(value) names no kernel path (one of: \(names); this CPU runs \(supported))"
    }
    guard KernelPath.select(path) else {
      return
        "\(variable)=\(value): this CPU cannot run the \(value) kernels (it runs \(supported))"
    }
    return nil
  }
}
