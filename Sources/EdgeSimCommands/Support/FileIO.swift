import Diagnostics
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing files for the commands: the only place that touches
/// the file system, so the libraries below stay pure.
///
/// Inputs are read only from regular files: a named pipe, a device, a
/// socket or a folder is refused before it is opened (and again on the
/// opened descriptor, in case the path changed in between), so a read can
/// never block. Every file read is remembered (``inputs``), so that an
/// output naming one of them is refused (``OutputPath``).
enum FileIO {
  /// The largest input file read (anything larger is refused unread).
  static let maximumInputBytes = 256 << 20

  /// Reads a file's bytes, or returns a diagnostic saying why it cannot.
  static func read(_ path: String, limit: Int = maximumInputBytes) -> Result<
    [UInt8], Diagnostic
  > {
    readBytes(path, limit: limit).mapError { $0.diagnostic(path: path) }
  }

  /// Why a file was not read.
  enum ReadFailure: Error {
    /// Nothing is at the path.
    case missing
    /// Something is there but was not read: why, and what to do.
    case refused(String, hint: String?)

    /// The failure as a diagnostic located at the file.
    func diagnostic(path: String) -> Diagnostic {
      let location = SourceLocation(file: path)
      switch self {
      case .missing:
        return .error("no such file", at: location, hint: "check the path")
      case .refused(let message, let hint):
        return .error(message, at: location, hint: hint)
      }
    }

    /// The reason in one sentence, for messages that name the file already.
    var reason: String {
      switch self {
      case .missing: "no such file"
      case .refused(let message, _): message
      }
    }
  }

  /// Reads a regular file's bytes, never blocking.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - limit: The largest size read.
  ///   - folder: When given, the file's real path (symbolic links
  ///     resolved, on the opened descriptor) must lie inside this folder's
  ///     real path.
  ///   - isInput: Whether the file is one of the command's inputs, which
  ///     no output may replace (``inputs``); `false` for a glance at an
  ///     output about to be replaced.
  /// - Returns: The bytes, or why they were not read.
  static func readBytes(
    _ path: String, limit: Int = maximumInputBytes,
    inside folder: String? = nil,
    isInput: Bool = true
  ) -> Result<[UInt8], ReadFailure> {
    let opened: OpenFile
    switch OpenFile.open(path, limit: limit) {
    case .success(let file): opened = file
    case .failure(let failure): return .failure(failure)
    }
    defer { opened.close() }
    if let folder {
      let realFolder = SystemFiles.realPath(folder) ?? folder
      guard let realPath = opened.realPath,
        SystemFiles.path(realPath, isInside: realFolder)
      else {
        return .failure(
          .refused(
            "it resolves to '\(opened.realPath ?? path)', outside the model's folder '\(realFolder)'",
            hint:
              "external data must be a file inside the model's folder; a symbolic link may not lead out of it"
          ))
      }
    }
    let bytes: [UInt8]
    switch opened.read(upTo: limit + 1) {
    case .success(let b): bytes = b
    case .failure(let failure): return .failure(failure)
    }
    if bytes.count > limit {
      return .failure(
        .refused("the file is over the limit of \(limit) bytes", hint: nil))
    }
    if isInput {
      noteInput(
        path: path, realPath: opened.realPath, identity: opened.identity)
    }
    return .success(bytes)
  }

  /// The first `count` bytes of a regular file (fewer if it is shorter),
  /// never blocking.
  static func readHead(_ path: String, count: Int) -> Result<
    [UInt8], ReadFailure
  > {
    switch OpenFile.open(path, limit: nil) {
    case .success(let opened):
      defer { opened.close() }
      return opened.read(upTo: count)
    case .failure(let failure): return .failure(failure)
    }
  }

  /// A regular file opened for reading.
  private struct OpenFile {
    var descriptor: Int32
    var identity: FileIdentity
    var size: Int
    /// Its canonical path, from the descriptor.
    var realPath: String?

    /// Opens a regular file of at most `limit` bytes, refusing anything
    /// else before opening it and again on the opened descriptor.
    static func open(_ path: String, limit: Int?) -> Result<
      OpenFile, ReadFailure
    > {
      // Opening a FIFO for reading waits for a writer: refuse it unopened.
      switch FileStatus.of(path) {
      case .missing: return .failure(.missing)
      case .failed(let code):
        return .failure(
          .refused(
            "cannot read the file: \(SystemFiles.message(code))",
            hint: "check the path and its permissions"))
      case .present(let kind, _, let size):
        if let refusal = refusal(kind: kind, size: size, limit: limit) {
          return .failure(refusal)
        }
      }
      // O_NONBLOCK: should the path have become a FIFO since, open returns
      // at once, and fstat below refuses it.
      guard let descriptor = SystemFiles.openForReading(path) else {
        let code = errno
        if code == ENOENT { return .failure(.missing) }
        return .failure(
          .refused(
            "cannot open the file for reading: \(SystemFiles.message(code))",
            hint: "check its permissions"))
      }
      guard
        case .present(let kind, let identity, let size) = FileStatus.of(
          descriptor: descriptor)
      else {
        SystemFiles.closeFile(descriptor)
        return .failure(.refused("cannot read the file", hint: nil))
      }
      if let refusal = refusal(kind: kind, size: size, limit: limit) {
        SystemFiles.closeFile(descriptor)
        return .failure(refusal)
      }
      return .success(
        OpenFile(
          descriptor: descriptor, identity: identity, size: size,
          realPath: SystemFiles.path(ofDescriptor: descriptor)
            ?? SystemFiles.realPath(path)))
    }

    /// Reads up to `count` bytes (fewer at the end of the file).
    func read(upTo count: Int) -> Result<[UInt8], ReadFailure> {
      var bytes: [UInt8] = []
      bytes.reserveCapacity(min(size, count))
      var chunk = [UInt8](repeating: 0, count: min(1 << 16, max(count, 1)))
      while bytes.count < count {
        let wanted = min(chunk.count, count - bytes.count)
        let got = chunk.withUnsafeMutableBytes {
          SystemFiles.readSome(
            descriptor,
            into: UnsafeMutableRawBufferPointer(rebasing: $0[..<wanted]))
        }
        if got == 0 { break }
        if got < 0 {
          if errno == EINTR { continue }
          return .failure(
            .refused(
              "cannot read the file: \(SystemFiles.message(errno))", hint: nil))
        }
        bytes.append(contentsOf: chunk[..<got])
      }
      return .success(bytes)
    }

    func close() { SystemFiles.closeFile(descriptor) }
  }

  private static func refusal(kind: FileKind, size: Int, limit: Int?)
    -> ReadFailure?
  {
    switch kind {
    case .regular:
      guard let limit, size > limit else { return nil }
      return .refused(
        "the file is \(size) bytes, over the limit of \(limit) bytes",
        hint: "is this the right file?")
    case .directory:
      return .refused("this is a folder, not a file", hint: "name a file in it")
    default:
      return .refused(
        "this is \(kind.described), not a regular file; EdgeSim reads only regular files",
        hint:
          "copy the data into a file first (reading a pipe or a device could wait forever)"
      )
    }
  }

  /// Checks that a file another library will open (a results database)
  /// is a regular file, and remembers it as an input.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - mayBeAbsent: Whether a missing file is fine (it will be created).
  /// - Returns: `nil`, or the diagnostic refusing the path.
  static func checkRegularInput(_ path: String, mayBeAbsent: Bool = false)
    -> Diagnostic?
  {
    let failure: ReadFailure
    switch FileStatus.of(path) {
    case .missing:
      if mayBeAbsent { return nil }
      failure = .missing
    case .failed(let code):
      failure = .refused(
        "cannot read the file: \(SystemFiles.message(code))",
        hint: "check the path and its permissions")
    case .present(let kind, let identity, _):
      if kind == .regular {
        noteInput(
          path: path, realPath: SystemFiles.realPath(path), identity: identity)
        return nil
      }
      failure =
        refusal(kind: kind, size: 0, limit: nil)
        ?? .refused("cannot read the file", hint: nil)
    }
    return failure.diagnostic(path: path)
  }

  // MARK: Inputs read

  /// A file this process has read.
  struct Input: Hashable, Sendable {
    /// The path as it was given.
    var path: String
    /// Its canonical path, when known.
    var realPath: String?
    var identity: FileIdentity
  }

  /// Every file the running command has read, in order (each once).
  static var inputs: [Input] {
    CommandContext.current.inputs.withLock { $0 }
  }

  private static func noteInput(
    path: String, realPath: String?, identity: FileIdentity
  ) {
    CommandContext.current.noteInput(
      Input(path: path, realPath: realPath, identity: identity))
  }

  // MARK: Writing

  /// Why an output was not written.
  struct WriteFailure: Error {
    var reason: String
  }

  /// Writes a file atomically: to a temporary file beside it, flushed to
  /// disk, then renamed over it, so an interrupted run never leaves a
  /// half-written output.
  ///
  /// A symbolic link is followed (the file it names is replaced). Only a
  /// regular file is ever replaced: a folder, a named pipe or a device
  /// (`/dev/stdout`) is refused.
  static func writeAtomically(_ data: Data, to path: String)
    throws(WriteFailure)
  {
    guard !path.isEmpty else { throw WriteFailure(reason: "the path is empty") }
    if path == OutputPath.standardOutput {
      CommandContext.current.write(data, error: false)
      return
    }
    var target = path
    switch FileStatus.of(path) {
    case .missing: break
    case .failed(let code):
      throw WriteFailure(reason: SystemFiles.message(code))
    case .present(let kind, _, _):
      guard kind == .regular else {
        throw WriteFailure(
          reason:
            "it is \(kind.described), not a regular file; EdgeSim writes outputs only as regular files"
        )
      }
      target = SystemFiles.realPath(path) ?? path
    }
    let url = URL(fileURLWithPath: target)
    let folder = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(
        at: folder, withIntermediateDirectories: true)
    } catch {
      throw WriteFailure(reason: ReportOutput.reason(error))
    }
    StaleTemporaries.remove(in: folder.path, name: url.lastPathComponent)
    let temporary = folder.appendingPathComponent(
      ".\(url.lastPathComponent).tmp-\(getpid())-\(SystemFiles.randomToken())"
    ).path
    if let code = SystemFiles.createFile(temporary, bytes: [UInt8](data)) {
      throw WriteFailure(reason: SystemFiles.message(code))
    }
    guard rename(temporary, target) == 0 else {
      let code = errno
      unlink(temporary)
      throw WriteFailure(reason: SystemFiles.message(code))
    }
    SystemFiles.sync(path: folder.path)
  }
}
