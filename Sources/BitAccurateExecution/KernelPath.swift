import CKernels

/// The instruction set the executors' vector kernels (CKernels) run on.
///
/// Every path gives the same integers and Float32 values; they differ only
/// in speed. The widest one the CPU supports is taken unless another is
/// selected, as the application does for `EDGESIM_KERNELS` and the tests do
/// to run each path.
public enum KernelPath: String, CaseIterable, Sendable {
  /// Plain C, any CPU.
  case portable
  /// x86-64 AVX2: 16 Int16 lanes, 8 Float32 lanes.
  case avx2
  /// x86-64 AVX-512 BW and VNNI: 32 Int16 lanes, 16 Float32 lanes.
  case avx512

  var c: EdgeSimKernels {
    switch self {
    case .portable: EdgeSimKernelsPortable
    case .avx2: EdgeSimKernelsAVX2
    case .avx512: EdgeSimKernelsAVX512
    }
  }

  /// Whether this CPU can run the path.
  public var isSupported: Bool { edgesim_kernels_supported(c) != 0 }

  /// The paths this CPU can run, narrowest first.
  public static var supported: [KernelPath] {
    allCases.filter(\.isSupported)
  }

  /// The path the kernels take now.
  public static var current: KernelPath {
    let path = edgesim_kernels_current()
    return allCases.first { $0.c == path } ?? .portable
  }

  /// Makes every later kernel call take `path`, for the whole process;
  /// returns false (and changes nothing) when the CPU cannot run it.
  @discardableResult
  public static func select(_ path: KernelPath) -> Bool {
    edgesim_kernels_select(path.c) == 0
  }
}
