#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a path names, as `stat(2)` tells it.
enum FileKind: Hashable {
  case regular, directory, fifo, characterDevice, blockDevice, socket
  case symbolicLink, other

  init(mode: mode_t) {
    switch mode & S_IFMT {
    case S_IFREG: self = .regular
    case S_IFDIR: self = .directory
    case S_IFIFO: self = .fifo
    case S_IFCHR: self = .characterDevice
    case S_IFBLK: self = .blockDevice
    case S_IFSOCK: self = .socket
    case S_IFLNK: self = .symbolicLink
    default: self = .other
    }
  }

  /// The kind with its article, for messages: `a named pipe (FIFO)`.
  var described: String {
    switch self {
    case .regular: "a regular file"
    case .directory: "a folder"
    case .fifo: "a named pipe (FIFO)"
    case .characterDevice: "a character device"
    case .blockDevice: "a block device"
    case .socket: "a socket"
    case .symbolicLink: "a symbolic link"
    case .other: "a special file"
    }
  }
}

/// A file's identity on its file system: two paths name the same file when
/// their identities are equal, whatever links and spellings lead to it.
struct FileIdentity: Hashable {
  var device: UInt64
  var inode: UInt64
}

/// The result of `stat(2)` (or `lstat`, `fstat`) on a path or descriptor.
enum FileStatus {
  /// Nothing is there (`ENOENT`, or a path component is not a folder).
  case missing
  /// Something is there.
  case present(kind: FileKind, identity: FileIdentity, size: Int)
  /// `stat` failed otherwise; the `errno`.
  case failed(Int32)

  /// The status of `path`, following symbolic links unless told not to.
  static func of(_ path: String, followingLinks: Bool = true) -> FileStatus {
    var info = stat()
    let result = followingLinks ? stat(path, &info) : lstat(path, &info)
    guard result == 0 else {
      let code = errno
      return code == ENOENT || code == ENOTDIR ? .missing : .failed(code)
    }
    return FileStatus(info)
  }

  /// The status of an open descriptor.
  static func of(descriptor: Int32) -> FileStatus {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .failed(errno) }
    return FileStatus(info)
  }

  private init(_ info: stat) {
    self = .present(
      kind: FileKind(mode: info.st_mode),
      identity: FileIdentity(
        device: UInt64(truncatingIfNeeded: info.st_dev),
        inode: UInt64(truncatingIfNeeded: info.st_ino)),
      size: Int(truncatingIfNeeded: info.st_size))
  }

  /// The kind, when something is there.
  var kind: FileKind? {
    if case .present(let kind, _, _) = self { return kind }
    return nil
  }

  /// The identity, when something is there.
  var identity: FileIdentity? {
    if case .present(_, let identity, _) = self { return identity }
    return nil
  }
}

/// Small wrappers of system calls the file helpers share.
enum SystemFiles {
  /// The system's sentence for an `errno` (`Permission denied`).
  static func message(_ code: Int32) -> String {
    String(cString: strerror(code))
  }

  /// The canonical absolute path of an existing file or folder (symbolic
  /// links, `.` and `..` resolved), or `nil` when it does not exist.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The canonical path of a path that may not exist yet: its deepest
  /// existing ancestor resolved, and the rest appended as written (with
  /// `.` dropped and `..` applied).
  static func resolvedPath(_ path: String) -> String {
    if let real = realPath(path) { return real }
    var components = path.split(separator: "/").map(String.init)
    var rest: [String] = []
    while !components.isEmpty {
      rest.insert(components.removeLast(), at: 0)
      let head =
        (path.hasPrefix("/") ? "/" : "") + components.joined(separator: "/")
      if let real = realPath(head.isEmpty ? "." : head) {
        return normalized(real, appending: rest)
      }
    }
    let base = path.hasPrefix("/") ? "/" : (realPath(".") ?? "/")
    return normalized(base, appending: rest)
  }

  private static func normalized(_ base: String, appending rest: [String])
    -> String
  {
    var parts = base.split(separator: "/").map(String.init)
    for part in rest {
      switch part {
      case "", ".": continue
      case "..": if !parts.isEmpty { parts.removeLast() }
      default: parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }

  /// Whether `path` is `folder` or lies inside it (both canonical).
  static func path(_ path: String, isInside folder: String) -> Bool {
    path == folder || path.hasPrefix(folder == "/" ? "/" : folder + "/")
  }

  /// The path the open descriptor refers to now (on Linux, through
  /// `/proc/self/fd`), or `nil` when the system cannot tell.
  static func path(ofDescriptor descriptor: Int32) -> String? {
    #if os(Linux)
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(
      "/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    return String(
      decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    #elseif canImport(Darwin)
    var buffer = [CChar](repeating: 0, count: Int(MAXPATHLEN) + 1)
    guard fcntl(descriptor, F_GETPATH, &buffer) != -1 else { return nil }
    return String(cString: buffer)
    #else
    return nil
    #endif
  }

  /// Opens a file for reading without waiting (`O_NONBLOCK`) and without
  /// taking it as the controlling terminal; `nil` with `errno` set.
  static func openForReading(_ path: String) -> Int32? {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    return descriptor >= 0 ? descriptor : nil
  }

  /// Closes a descriptor.
  static func closeFile(_ descriptor: Int32) {
    _ = close(descriptor)
  }

  /// One `read(2)` into the buffer: the count, 0 at the end, or -1.
  static func readSome(
    _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer
  )
    -> Int
  {
    read(descriptor, buffer.baseAddress, buffer.count)
  }

  /// Flushes a file or folder to disk (a folder: its entries).
  @discardableResult
  static func sync(path: String) -> Bool {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    return fsync(descriptor) == 0
  }

  /// Writes all of `bytes` to a new file (it must not exist) and flushes
  /// it to disk before closing; returns the `errno` on failure.
  static func createFile(_ path: String, bytes: [UInt8]) -> Int32? {
    let descriptor = open(
      path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
    guard descriptor >= 0 else { return errno }
    var written = 0
    var failure: Int32?
    bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      while written < buffer.count {
        let count = write(descriptor, base + written, buffer.count - written)
        if count < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        written += count
      }
    }
    if failure == nil, fsync(descriptor) != 0 { failure = errno }
    if close(descriptor) != 0, failure == nil { failure = errno }
    if failure != nil { unlink(path) }
    return failure
  }

  /// Swaps two existing paths atomically (Linux `renameat2` with
  /// `RENAME_EXCHANGE`); returns 0, or the `errno` (`ENOSYS` where the
  /// system or its file system cannot).
  static func exchange(_ a: String, _ b: String) -> Int32 {
    #if os(Linux)
    // `renameat2` (glibc 2.28) is not in the Glibc module; it is looked up
    // by name, as MemoryPolicy does for mallopt.
    typealias RenameAt2 =
      @convention(c) (
        Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
      ) -> Int32
    guard
      let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2")
    else { return ENOSYS }
    let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
    let exchange: UInt32 = 1 << 1  // RENAME_EXCHANGE
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, exchange) == 0 ? 0 : errno
    #else
    return ENOSYS
    #endif
  }

  /// Whether a process with this id is running (or exists but is not
  /// ours to signal).
  static func processIsAlive(_ pid: Int32) -> Bool {
    guard pid > 0 else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
  }

  /// Random lowercase hex digits for temporary names.
  static func randomToken() -> String {
    String(UInt64.random(in: 0...UInt64.max), radix: 16)
  }
}
