/// Expands a ``DecoderSpec`` into the network of one forward pass, from
/// the IR's operators (shape-only: every weight is absent).
///
/// `tokens` new tokens are processed over `cached` tokens already in the KV
/// cache: prefill is `tokens = prompt, cached = 0`; a decode step is
/// `tokens = 1, cached = t`. Per block, Llama-style:
///
/// - RMSNorm as LayerNormalization over the hidden axis with a scale (one
///   reduction pass more than RMSNorm needs: a slight overestimate);
/// - the Q, K and V projections (MatMul with a weight), K and V to
///   `kv_heads` heads (grouped-query attention);
/// - rotary position embedding on Q and K as `x·cos + x·sin` from the
///   graph inputs `rope_cos`, `rope_sin` (the tables of this pass's
///   positions, shared by all blocks; the half-rotation of `x` is a view);
/// - the new K and V are graph outputs (`l<i>.k_new`, `l<i>.v_new`):
///   written to the cache in DRAM;
/// - attention over `cached + tokens` positions as two MatMuls of
///   activations grouped by KV head (the `heads / kv_heads` queries of a
///   group share its K and V, no copies): `Q·Kᵀ`, Softmax, `P·V`. In
///   decode, K and V are the graph inputs `l<i>.k_cache` and `l<i>.v_cache`
///   (the cache in DRAM, this step's entry included); in prefill, the
///   projections' outputs. The causal mask is applied inside the softmax
///   (the full score matrix is computed, as non-fused kernels do);
/// - the output projection and the residual Add; the SwiGLU FFN
///   (`down(silu(gate(x)) · up(x))`, SiLU as Sigmoid then Mul) and its
///   residual Add.
///
/// The embedding lookup is a Gather from the table by the graph input
/// `tokens`; after the final norm only the last position's logits are
/// computed (a Gather by the input `last`), through the LM head, a Gemm
/// with the embedding table itself when tied.
public enum DecoderNetwork {
  /// The name of block `i`'s attention MatMul `Q·Kᵀ`.
  public static func scoresName(_ block: Int) -> String { "l\(block).scores" }
  /// The name of block `i`'s attention MatMul `P·V`.
  public static func contextName(_ block: Int) -> String { "l\(block).context" }
  /// The names of the layers that write the new K and V.
  public static func cacheWriterNames(_ block: Int) -> [String] {
    ["l\(block).k_rope", "l\(block).v_proj"]
  }

  /// Builds the network.
  ///
  /// - Throws: a shape error when a tensor would exceed the IR's limits.
  public static func build(
    _ spec: DecoderSpec, tokens: Int, cached: Int
  ) throws(NetworkError) -> Network {
    var b = Builder(spec: spec, tokens: tokens, cached: cached)
    try b.build()
    return b.network
  }

  private struct Builder {
    let spec: DecoderSpec
    let tokens: Int
    let cached: Int
    var network: Network

    init(spec: DecoderSpec, tokens: Int, cached: Int) {
      self.spec = spec
      self.tokens = tokens
      self.cached = cached
      let hd = spec.headDimension
      var inputs = [
        GraphInput(name: "tokens", elementType: .int64, shape: [tokens]),
        GraphInput(name: "rope_cos", shape: [tokens, 1, hd]),
        GraphInput(name: "rope_sin", shape: [tokens, 1, hd]),
        GraphInput(name: "last", elementType: .int64, shape: [1]),
      ]
      if cached > 0 {
        let length = cached + tokens
        for i in 0..<spec.layers {
          inputs.append(
            GraphInput(
              name: "l\(i).k_cache", shape: [spec.kvHeads, hd, length]))
          inputs.append(
            GraphInput(
              name: "l\(i).v_cache", shape: [spec.kvHeads, length, hd]))
        }
      }
      network = Network(name: spec.name, inputs: inputs)
    }

    mutating func weight(_ name: String, _ shape: [Int]) throws(NetworkError)
      -> String
    {
      try network.addInitializer(
        Tensor(
          absentDataNamed: name, elementType: .float32,
          shape: TensorShape(shape, tensor: name)))
      return name
    }

    mutating func node(
      _ name: String, _ op: Operator, _ inputs: [String]
    ) -> String {
      network.nodes.append(
        Node(name: name, op: op, inputs: inputs, outputs: [name]))
      return name
    }

    mutating func shape(_ name: String, _ dims: [Int]) throws(NetworkError)
      -> String
    {
      try network.addInitializer(
        try Tensor(
          name: name, shape: TensorShape([dims.count], tensor: name),
          integers: dims.map(Int64.init)))
      return name
    }

    mutating func reshape(_ name: String, _ x: String, _ dims: [Int])
      throws(NetworkError) -> String
    {
      let target = try shape(name + ".shape", dims)
      return node(name, .reshape(allowZero: false), [x, target])
    }

    mutating func norm(_ name: String, _ x: String) throws(NetworkError)
      -> String
    {
      let scale = try weight(name + ".weight", [spec.dModel])
      return node(
        name,
        .extended(.layerNormalization(axis: -1, epsilon: 1e-5)),
        [x, scale])
    }

    mutating func rotary(_ name: String, _ x: String) -> String {
      let c = node(name + ".cos", .mul, [x, "rope_cos"])
      let s = node(name + ".sin", .mul, [x, "rope_sin"])
      return node(name, .add, [c, s])
    }

    mutating func build() throws(NetworkError) {
      let d = spec.dModel
      let hd = spec.headDimension
      let kv = spec.kvHeads * hd
      let group = spec.heads / spec.kvHeads
      let table = try weight("embed.weight", [spec.vocab, d])
      var h = node("embed", .extended(.gather(axis: 0)), [table, "tokens"])
      for i in 0..<spec.layers {
        let p = "l\(i)"
        let n1 = try norm(p + ".attn_norm", h)
        let q = node(
          p + ".q_proj", .matMul, [n1, try weight(p + ".wq", [d, d])])
        let k = node(
          p + ".k_proj", .matMul, [n1, try weight(p + ".wk", [d, kv])])
        let v = node(
          p + ".v_proj", .matMul, [n1, try weight(p + ".wv", [d, kv])])
        let q3 = try reshape(p + ".q_heads", q, [tokens, spec.heads, hd])
        let k3 = try reshape(p + ".k_heads", k, [tokens, spec.kvHeads, hd])
        let qr = rotary(p + ".q_rope", q3)
        let kr = rotary(p + ".k_rope", k3)
        network.outputs.append(kr)
        network.outputs.append(v)
        // Queries grouped by KV head: [kv_heads, group * tokens, hd].
        let qt = node(p + ".q_t", .transpose(perm: [1, 0, 2]), [qr])
        let qg = try reshape(
          p + ".q_group", qt, [spec.kvHeads, group * tokens, hd])
        let keys: String
        let values: String
        if cached > 0 {
          keys = p + ".k_cache"
          values = p + ".v_cache"
        } else {
          keys = node(p + ".k_t", .transpose(perm: [1, 2, 0]), [kr])
          let v3 = try reshape(p + ".v_heads", v, [tokens, spec.kvHeads, hd])
          values = node(p + ".v_t", .transpose(perm: [1, 0, 2]), [v3])
        }
        let scores = node(DecoderNetwork.scoresName(i), .matMul, [qg, keys])
        let probs = node(p + ".softmax", .softmax(axis: -1), [scores])
        let context = node(
          DecoderNetwork.contextName(i), .matMul, [probs, values])
        let ch = try reshape(
          p + ".ctx_heads", context, [spec.heads, tokens, hd])
        let ct = node(p + ".ctx_t", .transpose(perm: [1, 0, 2]), [ch])
        let c2 = try reshape(p + ".ctx", ct, [tokens, d])
        let o = node(
          p + ".o_proj", .matMul, [c2, try weight(p + ".wo", [d, d])])
        let h2 = node(p + ".attn_residual", .add, [h, o])
        let n2 = try norm(p + ".ffn_norm", h2)
        let gate = node(
          p + ".gate_proj", .matMul,
          [n2, try weight(p + ".w_gate", [d, spec.ffn])])
        let up = node(
          p + ".up_proj", .matMul,
          [n2, try weight(p + ".w_up", [d, spec.ffn])])
        let sig = node(p + ".sigmoid", .activation(.sigmoid), [gate])
        let silu = node(p + ".silu", .mul, [gate, sig])
        let m = node(p + ".swiglu", .mul, [silu, up])
        let down = node(
          p + ".down_proj", .matMul,
          [m, try weight(p + ".w_down", [spec.ffn, d])])
        h = node(p + ".ffn_residual", .add, [h2, down])
      }
      let nf = try norm("final_norm", h)
      let last = node("last_token", .extended(.gather(axis: 0)), [nf, "last"])
      let head =
        spec.tiedEmbeddings
        ? table : try weight("lm_head.weight", [spec.vocab, d])
      let logits = node(
        "lm_head", .gemm(GemmAttributes(transB: true)), [last, head])
      network.outputs.insert(logits, at: 0)
    }
  }
}
