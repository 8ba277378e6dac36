extension Network {
  /// The symbolic dimension names of the graph inputs, in order of first
  /// appearance.
  public var symbolicDimensions: [String] {
    var seen: Set<String> = []
    var result: [String] = []
    for input in inputs {
      for case .symbolic(let name) in input.dimensions
      where seen.insert(name).inserted {
        result.append(name)
      }
    }
    return result
  }

  /// The network with the named symbolic dimensions replaced by values;
  /// symbols not in `values` stay symbolic.
  ///
  /// - Parameter values: Sizes by symbol, such as `["N": 8]`.
  /// - Returns: A copy of the network with the bound dimensions.
  /// - Throws: ``NetworkError/invalidBinding(symbol:value:)`` for a value
  ///   below 1.
  public func bindingDimensions(_ values: [String: Int]) throws(NetworkError)
    -> Network
  {
    for symbol in symbolicDimensions {
      if let value = values[symbol], value < 1 {
        throw .invalidBinding(symbol: symbol, value: value)
      }
    }
    var copy = self
    for index in copy.inputs.indices {
      copy.inputs[index].dimensions = copy.inputs[index].dimensions.map {
        dimension in
        if case .symbolic(let name) = dimension, let value = values[name] {
          return .fixed(value)
        }
        return dimension
      }
    }
    return copy
  }

  /// The network with the batch dimension bound to `batch`.
  ///
  /// Every symbol that appears as the first dimension of a graph input is
  /// the batch symbol (ONNX exports name it `N`, `batch` or `batch_size`); it
  /// is bound to `batch` wherever it appears. Use `1` for single inference.
  ///
  /// - Throws: ``NetworkError/invalidBinding(symbol:value:)`` for a batch
  ///   below 1.
  public func bindingBatch(_ batch: Int) throws(NetworkError) -> Network {
    var values: [String: Int] = [:]
    for input in inputs {
      if case .symbolic(let name)? = input.dimensions.first {
        values[name] = batch
      }
    }
    if batch < 1 {
      throw .invalidBinding(symbol: values.keys.min() ?? "batch", value: batch)
    }
    return try bindingDimensions(values)
  }
}
