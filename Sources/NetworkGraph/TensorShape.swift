/// The dimensions of a tensor, with an element count that is checked on
/// creation.
///
/// A shape is validated once, when it is made: every dimension is at least
/// zero and the product is at most ``maximumElementCount`` (2^40, about a
/// trillion elements, far beyond any edge workload). Past that point every
/// count derived from a shape fits comfortably in `Int`, and an absurd shape in
/// a hostile file is an error rather than a trap or an unbounded allocation.
///
/// ```swift
/// let shape = try TensorShape([1, 3, 224, 224])
/// shape.elementCount  // 150_528
/// ```
public struct TensorShape: Hashable, Sendable, CustomStringConvertible {
  /// The largest element count a shape may have: 2^40.
  public static let maximumElementCount = 1 << 40

  /// The dimensions, outermost first (row-major, C order).
  public let dims: [Int]
  /// The number of elements: the product of ``dims`` (1 for a scalar).
  public let elementCount: Int

  /// Creates a shape, checking its dimensions and element count.
  ///
  /// - Parameter dims: The dimensions; `[]` is a scalar.
  /// - Throws: ``NetworkError/negativeDimension(dims:tensor:)`` or
  ///   ``NetworkError/tooManyElements(dims:tensor:)``.
  /// - Complexity: O(rank).
  public init(_ dims: [Int]) throws(NetworkError) {
    var count = 1
    var zero = false
    for dim in dims {
      if dim < 0 { throw .negativeDimension(dims: dims, tensor: nil) }
      if dim > Self.maximumElementCount {
        throw .tooManyElements(dims: dims, tensor: nil)
      }
      if dim == 0 { zero = true }
      if zero { continue }
      let (product, overflow) = count.multipliedReportingOverflow(by: dim)
      if overflow || product > Self.maximumElementCount {
        throw .tooManyElements(dims: dims, tensor: nil)
      }
      count = product
    }
    self.dims = dims
    self.elementCount = zero ? 0 : count
  }

  /// The shape of a scalar (rank 0, one element).
  public static let scalar = TensorShape(uncheckedDims: [], elementCount: 1)

  init(uncheckedDims dims: [Int], elementCount: Int) {
    self.dims = dims
    self.elementCount = elementCount
  }

  /// The number of dimensions.
  public var rank: Int { dims.count }

  /// The dimension at `index` (0-based, outermost first).
  public subscript(index: Int) -> Int { dims[index] }

  /// `[1, 3, 224, 224]`.
  public var description: String { NetworkError.list(dims) }
}

extension TensorShape {
  /// Creates a shape and names `tensor` in any error.
  init(_ dims: [Int], tensor: String) throws(NetworkError) {
    do {
      try self.init(dims)
    } catch .negativeDimension(let dims, _) {
      throw .negativeDimension(dims: dims, tensor: tensor)
    } catch .tooManyElements(let dims, _) {
      throw .tooManyElements(dims: dims, tensor: tensor)
    } catch {
      throw error
    }
  }

  /// Creates an output shape and reports a bad one as an error of `node`.
  init(_ dims: [Int], output node: NodeReference) throws(NetworkError) {
    do {
      try self.init(dims)
    } catch .negativeDimension(let dims, _) {
      throw .shapeMismatch(
        node: node,
        message:
          "output shape \(NetworkError.list(dims)) has a negative dimension")
    } catch {
      throw .shapeMismatch(
        node: node,
        message:
          "output shape \(NetworkError.list(dims)) has more than 2^40 elements")
    }
  }
}
