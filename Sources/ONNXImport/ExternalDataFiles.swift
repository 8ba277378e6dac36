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
/// (relative, inside the folder); it returns `nil` when the file does not
/// exist.
public struct ExternalDataFiles {
  private let read: (String) -> [UInt8]?
  private var cache: [String: [UInt8]?] = [:]

  /// Creates a resolver from a function that returns a file's bytes, or
  /// `nil` when it does not exist.
  public init(read: @escaping (String) -> [UInt8]?) {
    self.read = read
  }

  /// Answers one request: the requested slice, ``ExternalDataResult/notFound``
  /// when the file is missing, or ``ExternalDataResult/failure(_:)`` when the
  /// slice lies outside the file.
  public mutating func resolve(_ request: ExternalDataRequest)
    -> ExternalDataResult
  {
    let file: [UInt8]?
    if let cached = cache[request.location] {
      file = cached
    } else {
      file = read(request.location)
      cache[request.location] = .some(file)
    }
    guard let file else { return .notFound }
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
