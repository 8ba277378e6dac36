/// A request for the bytes of one tensor stored outside the model file
/// (ONNX `TensorProto.data_location = EXTERNAL`).
///
/// The importer builds the request from the tensor's `external_data` entries
/// (`location`, `offset`, `length`) after checking the location: it is
/// relative, stays inside the model's folder once `.` and `..` components
/// are resolved, and holds no backslash or NUL. ``location`` is that
/// normalised path, with `/` separators, relative to the model's folder.
public struct ExternalDataRequest: Hashable, Sendable {
  /// The tensor whose data is wanted.
  public var tensorName: String
  /// The file, relative to the model's folder, normalised (`a/./b` is `a/b`).
  public var location: String
  /// The byte offset of the data in the file.
  public var offset: Int
  /// The number of bytes to read: the declared `length`, or, when the model
  /// gives none, the tensor's size (element count × element size).
  public var length: Int

  /// Creates a request.
  public init(tensorName: String, location: String, offset: Int, length: Int) {
    self.tensorName = tensorName
    self.location = location
    self.offset = offset
    self.length = length
  }
}

/// What a resolver found for an ``ExternalDataRequest``.
public enum ExternalDataResult: Hashable, Sendable {
  /// The `length` bytes at `offset` in the file.
  case bytes([UInt8])
  /// The file does not exist. Not fatal: the tensor becomes shape-only.
  case notFound
  /// The file exists but the bytes could not be read (too short, unreadable);
  /// the message says why. An error naming the tensor.
  case failure(String)
}

/// Checks of `external_data` locations, done before any resolver is asked.
enum ExternalLocation {
  /// The location as a normalised relative path, or why it is refused.
  static func normalized(_ location: String) -> Result<String, LocationRefusal>
  {
    if location.isEmpty {
      return .failure(.init(reason: "the location is empty"))
    }
    if location.unicodeScalars.contains("\0") {
      return .failure(.init(reason: "the location contains a NUL character"))
    }
    if location.contains("\\") {
      return .failure(.init(reason: "the location contains a backslash"))
    }
    if location.hasPrefix("/") || location.hasPrefix("~") {
      return .failure(.init(reason: "the location is an absolute path"))
    }
    let scalars = Array(location.unicodeScalars)
    if scalars.count >= 2, scalars[1] == ":", scalars[0].isASCII,
      scalars[0].properties.isAlphabetic
    {
      return .failure(.init(reason: "the location starts with a drive letter"))
    }
    var parts: [Substring] = []
    for part in location.split(separator: "/", omittingEmptySubsequences: true)
    {
      switch part {
      case ".": continue
      case "..":
        guard !parts.isEmpty else {
          return .failure(
            .init(reason: "the location escapes the model's folder"))
        }
        parts.removeLast()
      default: parts.append(part)
      }
    }
    guard !parts.isEmpty else {
      return .failure(
        .init(reason: "the location names the model's folder, not a file"))
    }
    return .success(parts.joined(separator: "/"))
  }
}

/// Why an external-data location was refused.
struct LocationRefusal: Error, Hashable {
  var reason: String
}
