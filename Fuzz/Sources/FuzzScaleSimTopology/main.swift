import CFuzzerDriver
import ReaderExercises

/// libFuzzer's target: one input to `FuzzedReader.scalesimTopology`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  FuzzedReader.scalesimTopology.exercise(
    Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}

// SwiftPM binds `main` to this file's top-level code, not to libFuzzer's.
EdgeSimRunFuzzer(CommandLine.argc, CommandLine.unsafeArgv, fuzzTarget)
