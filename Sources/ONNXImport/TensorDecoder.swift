import Diagnostics
import Foundation
import NetworkGraph

/// A decoded initializer, and the external file it needed when that file was
/// missing (the tensor is then shape-only).
struct DecodedTensor {
  var tensor: Tensor
  var missingFile: String?
}

/// Turns `TensorProto`s into ``NetworkGraph/Tensor``s: typed fields,
/// little-endian `raw_data`, or external data through the caller's resolver.
///
/// Every size is checked before anything is allocated: the shape against
/// 2^40 elements (``NetworkGraph/TensorShape``), then the bytes or values
/// actually present against the shape, so a tensor that claims more data than
/// the file holds fails at once.
struct TensorDecoder {
  let context: ImportContext
  let maximumExternalTensorBytes: Int

  /// Decodes `proto`, naming it `name` (the initializer's name, or a Constant
  /// node's output).
  func decode(
    _ proto: Onnx_TensorProto, name: String,
    externalData: (ExternalDataRequest) -> ExternalDataResult
  ) throws(Diagnostic) -> DecodedTensor {
    let entity = tensorEntity(name)
    guard let type = ElementType(rawValue: Int(proto.dataType)) else {
      let typeName =
        Onnx_TensorProto.DataType(rawValue: Int(proto.dataType))
        .map { "\($0)".uppercased() } ?? "unknown"
      throw context.error(
        "tensor '\(name)' has element type \(typeName) (\(proto.dataType)), which EdgeSim "
          + "does not read", entity: entity,
        hint: "supported element types: "
          + ElementType.allCases.map(\.description).joined(separator: ", "))
    }
    let shape: TensorShape
    do {
      shape = try TensorShape(proto.dims.map { Int($0) })
    } catch .negativeDimension(let dims, _) {
      throw context.diagnostic(.negativeDimension(dims: dims, tensor: name))
    } catch .tooManyElements(let dims, _) {
      throw context.diagnostic(.tooManyElements(dims: dims, tensor: name))
    } catch {
      throw context.diagnostic(error)
    }
    if proto.hasSegment {
      throw context.error(
        "tensor '\(name)' is split into segments, which EdgeSim does not read",
        entity: entity)
    }
    // ≤ 2^43: cannot overflow.
    let byteCount = shape.elementCount * type.byteSize
    if proto.dataLocation == .external {
      return try decodeExternal(
        proto, name: name, type: type, shape: shape, byteCount: byteCount,
        externalData: externalData)
    }
    if proto.hasRawData {
      guard proto.rawData.count == byteCount else {
        throw context.error(
          "tensor '\(name)' has \(proto.rawData.count) bytes of raw_data, but shape "
            + "\(shape) of \(type) needs \(byteCount)", entity: entity)
      }
      let values = proto.rawData.withUnsafeBytes { raw in
        LittleEndian.decode(raw, type: type, count: shape.elementCount)
      }
      return DecodedTensor(tensor: try make(name, type, shape, values))
    }
    return DecodedTensor(
      tensor: try decodeTyped(proto, name: name, type: type, shape: shape))
  }

  private func decodeTyped(
    _ proto: Onnx_TensorProto, name: String, type: ElementType,
    shape: TensorShape
  ) throws(Diagnostic) -> Tensor {
    let count = shape.elementCount
    func check(_ present: Int, _ field: String) throws(Diagnostic) {
      guard present == count else {
        throw context.error(
          "tensor '\(name)' has shape \(shape) (\(count) elements) but its \(field) "
            + "holds \(present) values", entity: tensorEntity(name))
      }
    }
    switch type {
    case .float32:
      try check(proto.floatData.count, "float_data")
      return try make(name, type, shape, .floats(proto.floatData))
    case .float64:
      try check(proto.doubleData.count, "double_data")
      return try make(
        name, type, shape, .floats(proto.doubleData.map { Float($0) }))
    case .float16:
      try check(proto.int32Data.count, "int32_data")
      return try make(
        name, type, shape,
        .floats(
          proto.int32Data.map {
            Half.float(bits: UInt16(truncatingIfNeeded: $0))
          }))
    case .int8, .uint8, .int16, .int32, .bool:
      try check(proto.int32Data.count, "int32_data")
      return try make(
        name, type, shape, .integers(proto.int32Data.map { Int64($0) }))
    case .int64:
      try check(proto.int64Data.count, "int64_data")
      return try make(name, type, shape, .integers(proto.int64Data))
    }
  }

  private func decodeExternal(
    _ proto: Onnx_TensorProto, name: String, type: ElementType,
    shape: TensorShape,
    byteCount: Int, externalData: (ExternalDataRequest) -> ExternalDataResult
  ) throws(Diagnostic) -> DecodedTensor {
    let entity = tensorEntity(name)
    var location: String?
    var offset = 0
    var length: Int?
    for entry in proto.externalData {
      switch entry.key {
      case "location": location = entry.value
      case "offset", "length":
        guard let value = Int(entry.value), value >= 0 else {
          throw context.error(
            "tensor '\(name)' has external data \(entry.key) '\(entry.value)', "
              + "which is not a non-negative integer", entity: entity)
        }
        if entry.key == "offset" { offset = value } else { length = value }
      default: continue
      }
    }
    guard let location else {
      throw context.error(
        "tensor '\(name)' is stored externally but names no location",
        entity: entity)
    }
    let path: String
    switch ExternalLocation.normalized(location) {
    case .success(let normalized): path = normalized
    case .failure(let refusal):
      throw context.error(
        "tensor '\(name)': external data location '\(Self.printable(location))' is refused: "
          + refusal.reason, entity: entity,
        hint: "external data must be a relative path inside the model's folder")
    }
    if let length, length != byteCount {
      throw context.error(
        "tensor '\(name)' declares \(length) bytes of external data, but shape \(shape) "
          + "of \(type) needs \(byteCount)", entity: entity)
    }
    guard byteCount <= maximumExternalTensorBytes else {
      throw context.error(
        "tensor '\(name)' needs \(byteCount) bytes of external data, more than the "
          + "limit of \(maximumExternalTensorBytes)", entity: entity)
    }
    let request = ExternalDataRequest(
      tensorName: name, location: path, offset: offset, length: byteCount)
    switch externalData(request) {
    case .notFound:
      return DecodedTensor(
        tensor: Tensor(absentDataNamed: name, elementType: type, shape: shape),
        missingFile: path)
    case .failure(let message):
      throw context.error(
        "tensor '\(name)': cannot read external data from '\(path)': \(message)",
        entity: entity)
    case .bytes(let bytes):
      guard bytes.count == byteCount else {
        throw context.error(
          "tensor '\(name)': '\(path)' gave \(bytes.count) bytes at offset \(offset), "
            + "but shape \(shape) of \(type) needs \(byteCount)", entity: entity
        )
      }
      let values = bytes.withUnsafeBytes {
        LittleEndian.decode($0, type: type, count: shape.elementCount)
      }
      return DecodedTensor(tensor: try make(name, type, shape, values))
    }
  }

  private func make(
    _ name: String, _ type: ElementType, _ shape: TensorShape,
    _ values: DecodedValues
  ) throws(Diagnostic) -> Tensor {
    do {
      switch values {
      case .floats(let floats):
        return try Tensor(
          name: name, elementType: type, shape: shape, values: floats)
      case .integers(let integers):
        return try Tensor(
          name: name, elementType: type, shape: shape, integers: integers)
      }
    } catch {
      throw context.diagnostic(error)
    }
  }

  /// The location with control characters escaped, for messages.
  static func printable(_ text: String) -> String {
    String(
      text.unicodeScalars.map { scalar in
        scalar.value < 0x20
          ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
      }.joined())
  }
}
