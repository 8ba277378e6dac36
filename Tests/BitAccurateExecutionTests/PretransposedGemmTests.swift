import BitAccurateExecution
import NetworkGraph
import Testing

/// A Gemm whose B is a constant stored transposed runs on B transposed once
/// per executor (issue #19): the same bits as the Gemm of B stored as it
/// is multiplied, and B given live still wins over the constant.
@Suite struct PretransposedGemmTests {
  static let (m, k, n) = (3, 37, 5)

  static func values(_ count: Int, seed: Int) -> [Float] {
    (0..<count).map { Float(($0 * 7919 + seed) % 211) / 17 - 6.1 }
  }

  /// y = x · B' + c, with B stored `[N, K]` (`transB`) or `[K, N]`.
  static func network(transposed: Bool) throws -> Network {
    var net = Network(
      name: "linear", inputs: [GraphInput(name: "x", shape: [m, k])])
    let stored = values(n * k, seed: 3)
    var b = stored
    if !transposed {
      b = (0..<(k * n)).map { stored[($0 % n) * k + $0 / n] }
    }
    try net.addInitializer(
      Tensor(
        name: "b", shape: TensorShape(transposed ? [n, k] : [k, n]), values: b))
    try net.addInitializer(
      Tensor(name: "c", shape: TensorShape([n]), values: values(n, seed: 5)))
    net.nodes = [
      Node(
        name: "fc", op: .gemm(GemmAttributes(transB: transposed)),
        inputs: ["x", "b", "c"], outputs: ["y"])
    ]
    net.outputs = ["y"]
    return net
  }

  @Test func theSameBitsAsBStoredAsMultiplied() throws {
    let x = try FloatTensor(
      shape: [Self.m, Self.k], values: Self.values(Self.m * Self.k, seed: 1))
    let stored = try FloatExecutor(network: Self.network(transposed: true))
    let plain = try FloatExecutor(network: Self.network(transposed: false))
    let a = try stored.run(input: x).outputs[0]
    let b = try plain.run(input: x).outputs[0]
    #expect(a.shape == [Self.m, Self.n])
    #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
    // Not a product of zeros: the sums differ from the bias alone.
    #expect(a.values.contains { $0 != 0 })
  }

  @Test func aLiveBWinsOverTheConstant() throws {
    let x = try FloatTensor(
      shape: [Self.m, Self.k], values: Self.values(Self.m * Self.k, seed: 1))
    let executor = try FloatExecutor(network: Self.network(transposed: true))
    let zeros = try FloatTensor(
      shape: [Self.n, Self.k],
      values: [Float](repeating: 0, count: Self.n * Self.k))
    let y = try executor.run(inputs: ["x": x, "b": zeros]).outputs[0]
    let bias = Self.values(Self.n, seed: 5)
    #expect(y.values == (0..<(Self.m * Self.n)).map { bias[$0 % Self.n] })
  }
}
