#if canImport(Glibc)
import Glibc
#endif

/// The allocator settings of the `edgesim` process.
///
/// A command allocates and frees tensors of hundreds of kilobytes to a few
/// megabytes many times over (each chunk of an executor run, each layer's
/// statistics). With glibc's defaults, blocks above 128 KiB come from
/// their own `mmap` at first, and freed memory at the top of the heap goes
/// back to the kernel, so the same pages are faulted in again and again.
/// Keeping blocks up to 32 MiB (glibc's largest setting) in the heap and
/// the heap's freed top in the process halves the timed inference of a
/// cold `edgesim run` on the digits models (BENCHMARKS.md). Worker
/// threads share the one arena. A short-lived
/// command's peak memory is what it would be anyway.
enum MemoryPolicy {
  /// Applies the settings, once, before any work: from the entry point's
  /// synchronous code (``EdgeSimMain/prepareProcess()``), since the async
  /// `main` runs on a worker thread that already has an arena of its own
  /// (then the float run of MobileNetV2 faulted its tensors in page by
  /// page: a third of its executor's CPU; BENCHMARKS.md, issue #19).
  ///
  /// Does nothing where the C library is not glibc.
  static func apply() {
    #if canImport(Glibc)
    // `mallopt` is declared in <malloc.h>, which the Glibc module does not
    // import; it is looked up by name, with its parameter numbers from
    // that header.
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt")
    else { return }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
    let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
    let arenaMax: Int32 = -8  // M_ARENA_MAX
    _ = mallopt(mmapThreshold, 32 << 20)
    _ = mallopt(trimThreshold, 1 << 30)
    // One arena for every thread: a block a worker thread frees is reused
    // by the next allocation on any thread, instead of each thread's arena
    // faulting in pages of its own (`quantize` with 8 MobileNetV2 images:
    // 164,000 minor page faults and 0.48 s of system time with glibc's
    // default arenas, 78,000 and 0.22 s with one; BENCHMARKS.md, issue #19).
    _ = mallopt(arenaMax, 1)
    #endif
  }
}
