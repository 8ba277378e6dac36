import Diagnostics

/// The check every command makes before it writes an output: the path is
/// not empty, it is not a file the command has read (``FileIO/inputs``),
/// and a folder does not hold one.
///
/// Two paths are the same file when their device and inode are equal (the
/// output exists), or when their canonical paths are (symbolic links,
/// `.` and `..` resolved; for an output that does not exist yet, its
/// deepest existing folder is resolved and its name appended). An existing
/// output must be what the command writes: a regular file for a file
/// output, a folder for a folder output.
enum OutputPath {
  /// What the command writes at the path.
  enum Kind {
    /// A file, replaced atomically, or standard output when the path is
    /// ``standardOutput``.
    case file
    /// A file that cannot be a stream (a SQLite results file).
    case database
    /// A folder, replaced as a whole.
    case folder
  }

  /// Why `path` may not be written as `option`'s output, or `nil`.
  ///
  /// - Parameters:
  ///   - path: The output as given.
  ///   - option: How the command line names it (`--html`), for messages.
  ///   - kind: A file or a folder.
  ///   - inputs: The files the command read.
  /// - Returns: The error to print, or `nil` when the path may be written.
  static func problem(
    _ path: String, option: String, kind: Kind,
    inputs: [FileIO.Input] = FileIO.inputs
  ) -> Diagnostic? {
    let noun = kind == .folder ? "folder" : "file"
    if path == standardOutput {
      return kind == .file
        ? nil
        : .error(
          "\(option) cannot be standard output ('-')", at: nil,
          hint: "name a \(noun) to write")
    }
    guard !path.isEmpty else {
      return .error(
        "\(option) names an empty path", at: nil,
        hint: "name the \(noun) to write")
    }
    let location = SourceLocation(file: path)
    let status = FileStatus.of(path)
    let resolved = SystemFiles.resolvedPath(path)
    for input in inputs {
      if status.identity == input.identity || input.realPath == resolved {
        let same = input.path == path ? "" : " ('\(input.path)')"
        return .error(
          "\(option) names a file this command reads\(same); writing it would destroy it",
          at: location, hint: "name another \(noun) for the output")
      }
      if kind == .folder, let real = input.realPath,
        SystemFiles.path(real, isInside: resolved)
      {
        return .error(
          "the folder holds '\(input.path)', which this command reads; replacing the folder would delete it",
          at: location, hint: "name another folder for \(option)")
      }
    }
    if kind == .folder, resolved == "/" {
      return .error(
        "\(option) names the root folder", at: location,
        hint: "name a folder of its own for the output")
    }
    switch (kind, status.kind) {
    case (_, nil), (.file, .regular), (.database, .regular),
      (.folder, .directory):
      return nil
    case (.file, .directory), (.database, .directory):
      return .error(
        "this is a folder; name a file to write", at: location,
        hint: "name a file, new or to replace")
    case (.file, let other?), (.database, let other?):
      return .error(
        "this is \(other.described), not a regular file; \(option) writes only regular files",
        at: location,
        hint: kind == .file
          ? "name a file to write, or - for standard output"
          : "name a file to write")
    case (.folder, let other?):
      return .error(
        "this is \(other.described); \(option) takes a folder", at: location,
        hint: "name a new folder")
    }
  }

  /// The path that names standard output: `-`.
  static let standardOutput = "-"

  /// Throws the ``problem(_:option:kind:inputs:)`` of each output, if any;
  /// also refuses two outputs that are the same file.
  static func check(_ outputs: [(path: String, option: String, kind: Kind)])
    throws(CommandFailure)
  {
    var seen: [String: String] = [:]
    for output in outputs {
      if let problem = problem(
        output.path, option: output.option, kind: output.kind)
      {
        throw CommandFailure(problem)
      }
      let resolved =
        output.path == standardOutput
        ? standardOutput : SystemFiles.resolvedPath(output.path)
      if let earlier = seen[resolved] {
        throw CommandFailure(
          .error(
            "\(output.option) names the same file as \(earlier)",
            at: SourceLocation(file: output.path),
            hint: "name a different file for each output"))
      }
      seen[resolved] = output.option
    }
  }
}
