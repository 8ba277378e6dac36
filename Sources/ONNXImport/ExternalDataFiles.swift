/// A convenience resolver for external data built from a function that reads
/// a whole file by its path relative to the model's folder.
///
/// It reads each file once, keeps its bytes, and answers requests by slicing
/// `offset..<offset + length`, checking the bounds. Use it from the resolver
/// closure the importer takes:
///
/// ```swift
/// var files = ExternalDataFiles { relativePath in try? readFile(folder + "/" + relativePath) }
/// let result = ONNXImporter.read(
///   bytes: model, fileName: "resnet18.onnx", externalData: { files.resolve($0) })
/// ```
///
/// The function receives only locations the importer has already checked
/// lexically (relative, inside the folder); it returns `nil` when the file
/// does not exist. Whether a symbolic link leads out of the folder is for
/// the function to check, on the real file system: use ``init(load:)`` to
/// refuse such a file with a reason.
public struct ExternalDataFiles {
  /// What the caller's function found at a location.
  public enum File: Hashable, Sendable {
    /// The whole file.
    case bytes([UInt8])
    /// Nothing is there; the tensors become shape-only, with a warning.
    case notFound
    /// Something is there but may not or cannot be read (a symbolic link
    /// out of the model's folder, a named pipe); why. An error naming the
    /// tensor.
    case refused(String)
  }

  private let load: (String) -> File
  private var cache: [String: File] = [:]

  /// Creates a resolver from a function that returns a file's bytes, or
  /// `nil` when it does not exist.
  public init(read: @escaping (String) -> [UInt8]?) {
    self.load = { read($0).map(File.bytes) ?? .notFound }
  }

  /// Creates a resolver from a function that returns a file's bytes, or
  /// says that it does not exist or why it is refused.
  public init(load: @escaping (String) -> File) {
    self.load = load
  }

  /// Answers one request: the requested slice, ``ExternalDataResult/notFound``
  /// when the file is missing, or ``ExternalDataResult/failure(_:)`` when the
  /// file is refused or the slice lies outside it.
  public mutating func resolve(_ request: ExternalDataRequest)
    -> ExternalDataResult
  {
    let found: File
    if let cached = cache[request.location] {
      found = cached
    } else {
      found = load(request.location)
      cache[request.location] = found
    }
    let file: [UInt8]
    switch found {
    case .bytes(let bytes): file = bytes
    case .notFound: return .notFound
    case .refused(let reason): return .failure(reason)
    }
    let (end, overflow) = request.offset.addingReportingOverflow(request.length)
    guard request.offset >= 0, request.length >= 0, !overflow, end <= file.count
    else {
      return .failure(
        "bytes \(request.offset)..<\(request.offset) + \(request.length) lie outside "
          + "'\(request.location)', which has \(file.count) bytes")
    }
    return .bytes(Array(file[request.offset..<end]))
  }
}
