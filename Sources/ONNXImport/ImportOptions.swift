/// Choices that change how a model is imported.
public struct ImportOptions: Hashable, Sendable {
  /// The value of the batch dimension: every symbolic leading dimension of a
  /// graph input (`N`, `batch_size`, or an unnamed one) binds to it.
  ///
  /// `nil` means 1 (single inference); a value given for a model whose batch is
  /// fixed draws a warning and is ignored.
  public var batch: Int?
  /// Values for other symbolic dimensions, by name (`["seq": 128]`).
  ///
  /// A symbolic dimension that is neither a leading batch dimension nor listed
  /// here is an error naming the input.
  public var dimensions: [String: Int]
  /// The largest tensor, in bytes, that the importer asks an external-data
  /// resolver for; larger declarations are errors naming the tensor.
  public var maximumExternalTensorBytes: Int
  /// How deeply protobuf messages may nest before decoding stops with an
  /// error (SwiftProtobuf's `messageDepthLimit`); ONNX models need about 6
  /// levels unless they carry nested subgraphs.
  public var messageDepthLimit: Int

  /// Creates options; every argument has a default.
  public init(
    batch: Int? = nil, dimensions: [String: Int] = [:],
    maximumExternalTensorBytes: Int = 1 << 34, messageDepthLimit: Int = 64
  ) {
    self.batch = batch
    self.dimensions = dimensions
    self.maximumExternalTensorBytes = maximumExternalTensorBytes
    self.messageDepthLimit = messageDepthLimit
  }
}
