import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a folder of outputs (a trace, a raw dump) all or nothing.
///
/// The files are written into a temporary sibling folder,
/// `.NAME.tmp-PID-RANDOM`, each flushed to disk, and the folder then takes
/// the target's place in one step: on Linux `renameat2(RENAME_EXCHANGE)`
/// swaps it with an existing folder (whose old contents, now under the
/// temporary name, are then removed), and a plain `rename` moves it into
/// place when there is none. A run killed at any moment leaves either the
/// old folder or the new one, never a mixture; what it leaves behind under
/// a temporary name is removed by the next write to the same target once
/// its process is gone.
enum FolderWriter {
  /// Writes `files` (name and bytes) as the folder `path`.
  ///
  /// The caller decides beforehand whether an existing folder may be
  /// replaced. A symbolic link to a folder is followed: the folder it names
  /// is replaced.
  ///
  /// `keeping` names regular files of an existing folder that the new one
  /// keeps as they are (hard-linked into it before the swap, so they are
  /// never absent or half-copied).
  static func write(
    _ files: [(name: String, bytes: [UInt8])], to path: String,
    keeping: [String] = []
  ) throws(FileIO.WriteFailure) {
    guard !path.isEmpty else {
      throw FileIO.WriteFailure(reason: "the path is empty")
    }
    var exists = false
    var target = path
    switch FileStatus.of(path) {
    case .missing: break
    case .failed(let code):
      throw FileIO.WriteFailure(reason: SystemFiles.message(code))
    case .present(let kind, _, _):
      guard kind == .directory else {
        throw FileIO.WriteFailure(
          reason: "it is \(kind.described), not a folder")
      }
      exists = true
      target = SystemFiles.realPath(path) ?? path
    }
    let url = URL(fileURLWithPath: target).standardizedFileURL
    target = url.path
    let parent = url.deletingLastPathComponent().path
    let name = url.lastPathComponent
    do {
      try FileManager.default.createDirectory(
        atPath: parent, withIntermediateDirectories: true)
    } catch {
      throw FileIO.WriteFailure(reason: ReportOutput.reason(error))
    }
    StaleTemporaries.remove(in: parent, name: name)
    let staging =
      parent + "/.\(name).tmp-\(getpid())-\(SystemFiles.randomToken())"
    guard mkdir(staging, 0o755) == 0 else {
      throw FileIO.WriteFailure(reason: SystemFiles.message(errno))
    }
    func abandon(_ code: Int32) -> FileIO.WriteFailure {
      try? FileManager.default.removeItem(atPath: staging)
      return FileIO.WriteFailure(reason: SystemFiles.message(code))
    }
    for file in files {
      if let code = SystemFiles.createFile(
        staging + "/" + file.name, bytes: file.bytes)
      {
        throw abandon(code)
      }
    }
    if exists {
      for name in keeping where !files.contains(where: { $0.name == name }) {
        let source = target + "/" + name
        guard case .present(.regular, _, _) = FileStatus.of(source) else {
          continue
        }
        guard link(source, staging + "/" + name) == 0 else {
          throw abandon(errno)
        }
      }
    }
    SystemFiles.sync(path: staging)
    if exists {
      let swapped = SystemFiles.exchange(staging, target)
      if swapped == 0 {
        // The old contents are now at the temporary name.
        try? FileManager.default.removeItem(atPath: staging)
      } else if [ENOSYS, EINVAL, ENOTSUP, EOPNOTSUPP].contains(swapped) {
        // No atomic exchange here: move the old folder aside first. A kill
        // in between leaves no target, never a mixture.
        let old = staging + "-old"
        guard rename(target, old) == 0 else { throw abandon(errno) }
        guard rename(staging, target) == 0 else {
          let code = errno
          rename(old, target)
          throw abandon(code)
        }
        try? FileManager.default.removeItem(atPath: old)
      } else {
        throw abandon(swapped)
      }
    } else {
      guard rename(staging, target) == 0 else { throw abandon(errno) }
    }
    SystemFiles.sync(path: parent)
  }
}

/// Temporary files and folders of the writers (`.NAME.tmp-PID-…`) left by
/// runs that were killed.
enum StaleTemporaries {
  /// Removes the temporaries of `name` in `folder` whose process is no
  /// longer running.
  static func remove(in folder: String, name: String) {
    let prefix = ".\(name).tmp-"
    guard
      let entries = try? FileManager.default.contentsOfDirectory(
        atPath: folder)
    else { return }
    for entry in entries where entry.hasPrefix(prefix) {
      let rest = entry.dropFirst(prefix.count)
      guard let dash = rest.firstIndex(of: "-"),
        let pid = Int32(rest[..<dash]), !SystemFiles.processIsAlive(pid)
      else { continue }
      try? FileManager.default.removeItem(atPath: folder + "/" + entry)
    }
  }
}
