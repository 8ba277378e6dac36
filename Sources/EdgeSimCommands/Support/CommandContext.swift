import Foundation
import Synchronization

/// What one command line's run owns: where its output goes and the files it
/// has read (an output may be none of them, ``OutputPath``).
///
/// The process runs one command line with ``process``, which writes to the
/// real standard output and error. A test runs command lines in-process,
/// each in a context of its own that keeps what they print
/// (``EdgeSimMain/capture(_:)``), so that runs neither see each other's
/// inputs nor interleave their output. The current context is task-local:
/// child tasks of a command (a sweep's evaluations) inherit it.
final class CommandContext: Sendable {
  /// The context of the command line the process was started with.
  static let process = CommandContext(capturing: false)

  /// The context of the command running in this task.
  @TaskLocal static var current = process

  /// Files read, in order, each once.
  let inputs = Mutex<[FileIO.Input]>([])

  /// Whether output is kept (in ``captured``) rather than written.
  let isCapturing: Bool

  /// Standard output and error as written, when capturing.
  private let captured = Mutex((output: "", error: ""))

  /// Creates a context; a capturing one keeps its output instead of
  /// writing it.
  init(capturing: Bool) {
    isCapturing = capturing
  }

  /// Whether standard error is a terminal (never for a captured run).
  var standardErrorIsTerminal: Bool {
    !isCapturing && isatty(2) == 1
  }

  /// Writes text, as it is, to standard output (`error` false) or error.
  func write(_ text: String, error: Bool) {
    if isCapturing {
      captured.withLock { streams in
        if error { streams.error += text } else { streams.output += text }
      }
      return
    }
    let handle = error ? FileHandle.standardError : FileHandle.standardOutput
    handle.write(Data(text.utf8))
  }

  /// Writes bytes, as they are, to standard output (`error` false) or
  /// error (a captured run keeps them decoded as UTF-8).
  func write(_ data: Data, error: Bool) {
    if isCapturing {
      write(String(decoding: data, as: UTF8.self), error: error)
      return
    }
    let handle = error ? FileHandle.standardError : FileHandle.standardOutput
    handle.write(data)
  }

  /// What a capturing context kept: standard output and standard error.
  var output: (output: String, error: String) {
    captured.withLock { $0 }
  }

  /// Notes a file read (once per identity).
  func noteInput(_ input: FileIO.Input) {
    inputs.withLock { inputs in
      if !inputs.contains(where: { $0.identity == input.identity }) {
        inputs.append(input)
      }
    }
  }
}
