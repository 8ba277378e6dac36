import Diagnostics
import HardwareModel
import Yams

/// Reads the `compute` section, whose keys depend on the device kind.
enum ComputeReader {
  /// Keys of the `compute` mapping for each kind.
  static let keys: [DeviceKind: [String]] = [
    .cpu: [
      "cores", "simd_width", "pipes", "macs_per_cycle", "mac_energy",
      "op_energy", "zeros", "decoder",
    ],
    .mcu: [
      "cores", "simd_width", "pipes", "macs_per_cycle", "mac_energy",
      "op_energy", "zeros", "decoder",
    ],
    .gpu: [
      "shader_cores", "alus_per_core", "macs_per_cycle", "mac_energy",
      "op_energy", "zeros", "decoder",
    ],
    .npu: [
      "array", "dataflow", "macs_per_cycle", "mac_energy", "op_energy", "zeros",
      "decoder",
    ],
    .fpga: [
      "dsp_slices", "macs_per_dsp", "organisation", "mac_energy", "op_energy",
      "zeros", "decoder",
    ],
  ]

  static func read(_ top: MappingReader, kind: DeviceKind) -> Compute? {
    guard
      let compute = top.mapping(
        "compute", required: true,
        hint: "describe the compute units; see Documentation/HardwareYAML.md")
    else { return nil }
    let own = keys[kind] ?? []
    compute.allow(own)
    // A key of another kind gets a message that says so.
    for (key, _) in compute.mapping {
      guard let name = key.string, !own.contains(name) else { continue }
      if let other = DeviceKind.allCases.first(where: {
        keys[$0]?.contains(name) == true
      }) {
        compute.document.error(
          "'\(name)' does not apply to kind \(kind.rawValue) (it describes \(other.rawValue) devices)",
          at: key,
          hint: "keys for \(kind.rawValue): \(own.joined(separator: ", "))")
        compute.allow([name])
      }
    }
    let organisation: ComputeOrganisation?
    switch kind {
    case .cpu, .mcu:
      let cores = compute.integer("cores", required: true, in: 1...4096)
      let simd = compute.quantity("simd_width", as: [.dataSize], required: true)
      let pipes = compute.integer("pipes", in: 1...64) ?? 1
      var simdBits: Int?
      if let simd, let node = compute.value("simd_width") {
        let bits = simd.value * 8
        if bits != bits.rounded() || bits > 4096 || bits < 8 {
          compute.document.error(
            "'simd_width' is \(UnitFormatter.trim(bits)) bits; expected a whole number of bits from 8 to 4096",
            at: node,
            hint: "write e.g. 128 bit (NEON) or 32 bit (Cortex-M DSP extension)"
          )
        } else {
          simdBits = Int(bits)
        }
      }
      organisation = cores.flatMap { c in
        simdBits.map {
          .vector(VectorCores(cores: c, simdWidthBits: $0, pipes: pipes))
        }
      }
    case .gpu:
      let cores = compute.integer("shader_cores", required: true, in: 1...4096)
      let alus = compute.integer("alus_per_core", required: true, in: 1...65536)
      organisation = cores.flatMap { c in
        alus.map { .shader(ShaderCores(cores: c, alusPerCore: $0)) }
      }
    case .npu:
      var rows: Int?
      var columns: Int?
      if let array = compute.mapping(
        "array", required: true, hint: "write array: {rows: 32, columns: 32}")
      {
        rows = array.integer("rows", required: true, in: 1...65536)
        columns = array.integer("columns", required: true, in: 1...65536)
        array.finish()
      }
      let dataflow = compute.choice(
        "dataflow", as: Dataflow.self, required: true)
      organisation = rows.flatMap { r in
        columns.flatMap { c in
          dataflow.map {
            .array(SystolicArray(rows: r, columns: c, dataflow: $0))
          }
        }
      }
    case .fpga:
      let dsp = compute.integer("dsp_slices", required: true, in: 1...1_000_000)
      var convolvers: ConvolverOrganisation?
      var organisationFailed = false
      if let org = compute.mapping("organisation") {
        let pes = org.integer(
          "processing_elements", required: true, in: 1...100_000)
        let perPE = org.integer(
          "convolvers_per_pe", required: true, in: 1...100_000)
        let kernel = org.integer("kernel", required: true, in: 1...64)
        org.finish()
        if let pes, let perPE, let kernel {
          convolvers = ConvolverOrganisation(
            processingElements: pes, convolversPerPE: perPE, kernel: kernel)
        } else {
          organisationFailed = true
        }
      }
      organisation =
        organisationFailed
        ? nil
        : dsp.map { .dsp(DSPArray(dspSlices: $0, organisation: convolvers)) }
    }
    let rateKey = kind == .fpga ? "macs_per_dsp" : "macs_per_cycle"
    let rates = readPrecisionTable(
      compute, key: rateKey,
      hint:
        "MACs per cycle per unit by precision, e.g. \(rateKey): {int8: 2, int16: 1}"
    ) { node, key in
      compute.number(node, key: key, in: 0...1e9, excludingLower: true)
    }
    let energies = readPrecisionTable(
      compute, key: "mac_energy",
      hint: "energy of one MAC by precision, e.g. mac_energy: {int8: 0.23 pJ}"
    ) { node, key in
      compute.quantity(node, key: key, as: [.energy])?.value
    }
    let opEnergy = compute.quantity("op_energy", as: [.energy])?.value
    var zeros = ZeroHandling.none
    if let table = compute.mapping(
      "zeros",
      hint:
        "write zeros: {weights: skip, activations: gate}; each none, gate or skip (weights also {structured: 2:4})"
    ) {
      if let node = table.value("weights") {
        if case .mapping = node {
          zeros.structuredWeights = structured(node, in: table)
        } else {
          zeros.weights =
            table.choice(node, key: "weights", as: ZeroPolicy.self) ?? .none
        }
      }
      zeros.activations =
        table.choice("activations", as: ZeroPolicy.self) ?? .none
      table.finish()
    }
    let decoder = self.decoder(in: compute)
    compute.finish()
    guard let organisation, let rates, let energies else { return nil }
    return Compute(
      organisation: organisation, macsPerCycle: rates, macEnergy: energies,
      opEnergy: opEnergy, zeros: zeros, decoder: decoder)
  }

  /// `decoder: {bits_per_cycle: 32, weights_per_cycle: 4, energy: 0.5 pJ}`:
  /// the decoder of coded weights (``WeightDecoder``); at least one rate.
  static func decoder(in compute: MappingReader) -> WeightDecoder? {
    let hint =
      "write decoder: {bits_per_cycle: 32, weights_per_cycle: 4, energy: 0.5 pJ} (coded bits in and stored weights out per cycle; energy per weight, optional)"
    guard let table = compute.mapping("decoder", hint: hint) else {
      return nil
    }
    defer { table.finish() }
    let bits = table.number(
      "bits_per_cycle", in: 0...1e9, excludingLower: true, hint: hint)
    let weights = table.number(
      "weights_per_cycle", in: 0...1e9, excludingLower: true, hint: hint)
    let energy = table.quantity("energy", as: [.energy], allowZero: true)
    guard bits != nil || weights != nil else {
      if table.value("bits_per_cycle") == nil,
        table.value("weights_per_cycle") == nil
      {
        compute.document.error(
          "'decoder' states no rate", at: table.node, hint: hint)
      }
      return nil
    }
    return WeightDecoder(
      bitsPerCycle: bits, weightsPerCycle: weights,
      energyPerWeight: energy?.value ?? 0)
  }

  /// `weights: {structured: N:M}`: N:M structured sparsity, 1 ≤ N < M ≤ 64.
  static func structured(_ node: Node, in zeros: MappingReader)
    -> StructuredSparsity?
  {
    let hint =
      "write weights: {structured: 2:4} (N of every M weights kept, 1 ≤ N < M ≤ 64)"
    guard
      let table = MappingReader(
        node, in: zeros.document, path: zeros.path.appending("weights"),
        what: "'weights'")
    else { return nil }
    defer { table.finish() }
    guard let value = table.required("structured", hint: hint),
      let text = table.scalarText(
        value, key: "structured", expected: "N:M such as 2:4")
    else { return nil }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, let n = Int(parts[0]), let m = Int(parts[1]),
      n >= 1, n < m, m <= 64
    else {
      zeros.document.error(
        "'structured' is '\(text.prefix(40))', not N:M with 1 ≤ N < M ≤ 64",
        at: value, hint: hint)
      return nil
    }
    return StructuredSparsity(kept: n, group: m)
  }

  /// A required, non-empty mapping from precision names to values.
  static func readPrecisionTable(
    _ compute: MappingReader, key: String, hint: String,
    value: (Node, String) -> Double?
  ) -> [Precision: Double]? {
    guard let table = compute.mapping(key, required: true, hint: hint) else {
      return nil
    }
    var result: [Precision: Double] = [:]
    var failed = false
    for precision in Precision.allCases {
      guard let node = table.value(precision.rawValue) else { continue }
      if let v = value(node, precision.rawValue) {
        result[precision] = v
      } else {
        failed = true
      }
    }
    table.finish()
    if result.isEmpty && !failed {
      compute.document.error(
        "'\(key)' names no precision", at: table.node, hint: hint)
      return nil
    }
    return failed ? nil : result
  }
}
