import Diagnostics
import NetworkGraph

extension ModelReader {
  /// The graph inputs that are not initializers (an initializer listed as an
  /// input, as exporters did before IR version 4, is a constant), with every
  /// symbolic dimension bound: a leading one to the batch size, others from
  /// ``ImportOptions/dimensions``.
  mutating func graphInputs(
    _ graph: Onnx_GraphProto, initializerNames: Set<String>
  ) -> [GraphInput] {
    let batch = options.batch ?? 1
    if batch < 1 {
      diagnostics.append(
        context.error(
          "the batch size must be at least 1, not \(batch)", entity: nil))
    }
    let values = graph.input.filter { !initializerNames.contains($0.name) }
    var batchSymbols: Set<String> = []
    for value in values {
      if case .tensorType(let type)? = value.type.value,
        let first = type.shape.dim.first,
        case .dimParam(let symbol)? = first.value
      {
        batchSymbols.insert(symbol)
      }
    }
    var inputs: [GraphInput] = []
    var sawSymbolicBatch = false
    for value in values {
      let entity = "input '\(value.name)'"
      guard case .tensorType(let type)? = value.type.value else {
        diagnostics.append(
          context.error(
            "graph input '\(value.name)' is not a tensor", entity: entity))
        continue
      }
      guard let elementType = ElementType(rawValue: Int(type.elemType)) else {
        diagnostics.append(
          context.error(
            "graph input '\(value.name)' has element type \(type.elemType), which EdgeSim "
              + "does not read", entity: entity))
        continue
      }
      guard type.hasShape else {
        diagnostics.append(
          context.error(
            "graph input '\(value.name)' has no shape; EdgeSim needs its rank and sizes",
            entity: entity))
        continue
      }
      var dims: [Int] = []
      var ok = true
      for (axis, dimension) in type.shape.dim.enumerated() {
        var symbol = ""
        switch dimension.value {
        case .dimValue(let size)?:
          guard size >= 0 else {
            diagnostics.append(
              context.error(
                "graph input '\(value.name)' has the negative dimension \(size) at axis \(axis)",
                entity: entity))
            ok = false
            continue
          }
          dims.append(Int(size))
          continue
        case .dimParam(let name)?: symbol = name
        case nil: symbol = ""
        }
        var bindable = options.dimensions
        for symbol in batchSymbols where bindable[symbol] == nil {
          bindable[symbol] = batch
        }
        if let bound = options.dimensions[symbol]
          ?? DimensionExpression.value(of: symbol, bound: bindable),
          !symbol.isEmpty
        {
          // Zero is a size ONNX allows: an empty KV cache before prefill.
          if bound < 0 {
            diagnostics.append(
              context.error(
                "dimension '\(symbol)' cannot be bound to \(bound); it must be at least 0",
                entity: entity))
            ok = false
          }
          dims.append(bound)
        } else if axis == 0
          || (!symbol.isEmpty && batchSymbols.contains(symbol))
        {
          sawSymbolicBatch = true
          dims.append(batch)
        } else {
          let shown =
            symbol.isEmpty
            ? "an unnamed symbolic dimension" : "symbolic dimension '\(symbol)'"
          diagnostics.append(
            context.error(
              "graph input '\(value.name)' has \(shown) at axis \(axis), which cannot be "
                + "bound: only a leading (batch) dimension binds to the batch size",
              entity: entity,
              hint: "export the model with fixed sizes"
                + (symbol.isEmpty
                  ? "" : ", or bind " + Self.bindingHint(symbol))))
          ok = false
        }
      }
      guard ok else { continue }
      do {
        _ = try TensorShape(dims)
      } catch .tooManyElements(let dims, _) {
        diagnostics.append(
          context.diagnostic(.tooManyElements(dims: dims, tensor: value.name)))
        continue
      } catch {
        diagnostics.append(context.diagnostic(error))
        continue
      }
      inputs.append(
        GraphInput(name: value.name, elementType: elementType, shape: dims))
    }
    checkDimensionNames(values)
    if sawSymbolicBatch { boundSymbolicBatch = batch }
    if let requested = options.batch, requested != 1, !sawSymbolicBatch,
      !values.isEmpty
    {
      diagnostics.append(
        context.warning(
          "the model's batch size is fixed, so the requested batch \(requested) is ignored",
          entity: values.first.map { "input '\($0.name)'" }))
    }
    return inputs
  }

  /// Reports every name in ``ImportOptions/dimensions`` that no graph input
  /// uses, as a symbol or inside an expression, with the names it does use.
  private mutating func checkDimensionNames(_ values: [Onnx_ValueInfoProto]) {
    guard !options.dimensions.isEmpty else { return }
    var used: [String] = []
    var seen: Set<String> = []
    for value in values {
      guard case .tensorType(let type)? = value.type.value else { continue }
      for dimension in type.shape.dim {
        guard case .dimParam(let name)? = dimension.value else { continue }
        for symbol in [name] + DimensionExpression.symbols(in: name)
        where seen.insert(symbol).inserted {
          used.append(symbol)
        }
      }
    }
    for name in options.dimensions.keys.sorted() where !seen.contains(name) {
      let known =
        used.isEmpty
        ? "the model's graph inputs have no symbolic dimensions"
        : "its symbolic dimensions are "
          + used.map { "'\($0)'" }.joined(separator: ", ")
      diagnostics.append(
        context.error(
          "the model has no symbolic dimension '\(name)' to bind", entity: nil,
          hint: known))
    }
  }

  /// How to bind a symbolic dimension: `--dim NAME=N`, or one such option
  /// per free symbol of an expression name.
  static func bindingHint(_ symbol: String) -> String {
    let free = DimensionExpression.symbols(in: symbol)
    let names = free.isEmpty ? [symbol] : free
    return names.map { "--dim \($0)=N" }.joined(separator: " ")
  }
}
