/// How tensors are coded between the backing store (DRAM) and the chip.
///
/// Coding changes only what crosses the backing-store port: DRAM bytes, the
/// transfer times they cause and their energy. Tiles on chip hold decoded
/// values (Eyeriss decodes at the DRAM interface, JSSC 2017 §V-C), so
/// buffer footprints and on-chip traffic are those of the raw tensors. A
/// tensor whose code would be larger than its raw form is sent raw (a
/// coder falls back to the dense form), so coding never adds traffic.
public struct DRAMCompression: Hashable, Sendable {
  /// Sparse, weight-shared storage of the weights, or `nil` for raw weights.
  public var weights: SparseWeightCoding?
  /// Run-length coding of activations, or `nil` for raw activations.
  public var activations: RunLengthCoding?

  /// Creates a description.
  public init(
    weights: SparseWeightCoding? = nil, activations: RunLengthCoding? = nil
  ) {
    self.weights = weights
    self.activations = activations
  }

  /// A short label for reports: `weights sparse, activations RLC`.
  public var label: String {
    var parts: [String] = []
    if weights != nil { parts.append("weights sparse") }
    if activations != nil { parts.append("activations RLC") }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
  }
}

/// Deep Compression's storage of pruned, weight-shared layers (Han, Mao,
/// Dally, ICLR 2016): each kept weight is a cluster index of `clusterBits`
/// into a per-layer codebook, stored with a relative index of `indexBits`
/// (fillers for longer gaps, ``SparseCoding``); Huffman coding of both
/// streams shrinks them by a further factor; the codebook (`2^clusterBits`
/// values at the layer's weight width) is read with the layer.
public struct SparseWeightCoding: Hashable, Sendable {
  /// The coding of one layer.
  public struct Parameters: Hashable, Sendable {
    /// Fraction of weights kept by pruning, in [0, 1].
    public var density: Double
    /// Bits of the relative index (Deep Compression: 8 for CONV, 5 for FC).
    public var indexBits: Int
    /// Bits of a shared-weight (cluster) index, or `nil` when weights are
    /// not shared and each kept weight is stored at the layer's width.
    public var clusterBits: Int?
    /// Size after Huffman coding as a fraction of before, in (0, 1]
    /// (1: no Huffman stage; Deep Compression reports 0.7–0.8).
    public var huffman: Double
    /// The layer's coded weight bits as measured by `edgesim compress`.
    ///
    /// `stored_bits` replaces the estimate from the figures above when
    /// given. They count float32 values (or codebook indices) as
    /// COMPRESSION.md §4 does, whatever the simulated weight width.
    public var storedBits: Int?

    /// Creates the parameters.
    public init(
      density: Double, indexBits: Int, clusterBits: Int? = nil,
      huffman: Double = 1, storedBits: Int? = nil
    ) {
      self.density = density
      self.indexBits = indexBits
      self.clusterBits = clusterBits
      self.huffman = huffman
      self.storedBits = storedBits
    }
  }

  /// The parameters of layers not listed.
  public var defaults: Parameters
  /// Parameters per layer name.
  public var layers: [String: Parameters]

  /// Creates a coding.
  public init(defaults: Parameters, layers: [String: Parameters] = [:]) {
    self.defaults = defaults
    self.layers = layers
  }

  /// The parameters of a layer.
  public func parameters(for layer: String) -> Parameters {
    layers[layer] ?? defaults
  }

  /// Bits `elements` weights of `weightBits` each take in the code: the
  /// measured ``Parameters/storedBits`` when the layer has them, else the
  /// estimate from its density, widths and Huffman factor.
  public func codedBits(elements: Int, weightBits: Int, layer: String)
    -> Double
  {
    let p = parameters(for: layer)
    let n = Double(max(0, elements))
    guard n > 0 else { return 0 }
    if let stored = p.storedBits { return Double(stored) }
    let entries =
      n
      * SparseCoding.entriesPerElement(
        density: p.density, fieldBits: p.indexBits)
    let valueBits = Double(p.clusterBits ?? weightBits)
    let codebook =
      p.clusterBits.map {
        Double(UInt64(1) << UInt64(min(max(0, $0), 62))) * Double(weightBits)
      } ?? 0
    return entries * (valueBits + Double(p.indexBits)) * p.huffman + codebook
  }
}

/// Run-length coding of activations between DRAM and the chip (Eyeriss,
/// Chen et al., JSSC 2017 §V-C): each nonzero value (its `levelBits`) goes
/// with the count of zeros before it (`runBits`), `pairsPerWord` pairs per
/// `wordBits`-bit word (Eyeriss: 5-bit runs, 16-bit levels, three pairs and
/// a last-word flag in 64 bits).
///
/// The savings depend on the data: `densities` gives the fraction of
/// nonzero values of the tensor each layer writes (after a fused ReLU), by
/// layer name, and `defaultDensity` the rest. The network's own inputs are
/// dense unless listed by their tensor name.
public struct RunLengthCoding: Hashable, Sendable {
  /// Bits of the zero-run field.
  public var runBits: Int
  /// Bits of a value, or `nil` for the activation width of the layer.
  public var levelBits: Int?
  /// Pairs packed in one word.
  public var pairsPerWord: Int
  /// Bits of a word.
  public var wordBits: Int
  /// Nonzero fraction of activations not listed, in [0, 1].
  public var defaultDensity: Double
  /// Nonzero fraction per producing layer (or input tensor) name.
  public var densities: [String: Double]

  /// Creates a coding; the defaults are Eyeriss'.
  public init(
    runBits: Int = 5, levelBits: Int? = nil, pairsPerWord: Int = 3,
    wordBits: Int = 64, defaultDensity: Double,
    densities: [String: Double] = [:]
  ) {
    self.runBits = runBits
    self.levelBits = levelBits
    self.pairsPerWord = pairsPerWord
    self.wordBits = wordBits
    self.defaultDensity = defaultDensity
    self.densities = densities
  }

  /// The density of a tensor known by any of `names` (first listed wins),
  /// or `fallback` when none is listed.
  public func density(forAny names: [String], fallback: Double) -> Double {
    for name in names { if let d = densities[name] { return d } }
    return fallback
  }

  /// Why values of `bits` bits cannot be coded (pairs overflow the word),
  /// or `nil` when they can.
  public func problem(activationBits bits: Int) -> String? {
    let level = levelBits ?? bits
    guard level >= bits else {
      return
        "run-length levels of \(level) bits cannot hold \(bits)-bit activations"
    }
    let used = (runBits + level) * pairsPerWord
    guard used <= wordBits else {
      return
        "\(pairsPerWord) run-length pairs of \(runBits) + \(level) bits need \(used) bits, more than the \(wordBits)-bit word"
    }
    return nil
  }

  /// Bits `elements` activations take in the code at nonzero density
  /// `density`.
  public func codedBits(
    elements: Int, activationBits bits: Int, density: Double
  )
    -> Double
  {
    let n = Double(max(0, elements))
    guard n > 0 else { return 0 }
    let pairs =
      n * SparseCoding.entriesPerElement(density: density, fieldBits: runBits)
    return pairs * Double(wordBits) / Double(max(1, pairsPerWord))
  }
}
