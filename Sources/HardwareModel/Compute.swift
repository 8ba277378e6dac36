/// CPU or microcontroller cores with SIMD pipes.
public struct VectorCores: Hashable, Sendable {
  /// Cores used for inference.
  public var cores: Int
  /// SIMD register width in bits (128 for NEON, 32 for Cortex-M DSP extensions).
  public var simdWidthBits: Int
  /// SIMD instructions issued per cycle per core.
  public var pipes: Int

  /// Creates the description.
  public init(cores: Int, simdWidthBits: Int, pipes: Int) {
    self.cores = cores
    self.simdWidthBits = simdWidthBits
    self.pipes = pipes
  }
}

/// GPU shader cores (compute units) with ALUs.
public struct ShaderCores: Hashable, Sendable {
  /// Shader cores (compute units, SMs).
  public var cores: Int
  /// fp32 ALU lanes per core.
  public var alusPerCore: Int

  /// Creates the description.
  public init(cores: Int, alusPerCore: Int) {
    self.cores = cores
    self.alusPerCore = alusPerCore
  }
}

/// A two-dimensional array of processing elements (PEs).
public struct SystolicArray: Hashable, Sendable {
  /// PE rows (SCALE-Sim's ArrayHeight).
  public var rows: Int
  /// PE columns (SCALE-Sim's ArrayWidth).
  public var columns: Int
  /// How operands stay in the PEs.
  public var dataflow: Dataflow

  /// Creates the description.
  public init(rows: Int, columns: Int, dataflow: Dataflow) {
    self.rows = rows
    self.columns = columns
    self.dataflow = dataflow
  }
}

/// How an FPGA accelerator groups its multipliers.
///
/// After Qiu and colleagues (FPGA 2016): processing elements, each with
/// convolvers of k×k multipliers.
public struct ConvolverOrganisation: Hashable, Sendable {
  /// Processing elements.
  public var processingElements: Int
  /// Convolvers in each processing element.
  public var convolversPerPE: Int
  /// The convolver's kernel side k (a k×k window per cycle).
  public var kernel: Int

  /// Creates the description.
  public init(processingElements: Int, convolversPerPE: Int, kernel: Int) {
    self.processingElements = processingElements
    self.convolversPerPE = convolversPerPE
    self.kernel = kernel
  }

  /// Multipliers the organisation needs: PEs × convolvers × k².
  public var multipliers: Int {
    processingElements * convolversPerPE * kernel * kernel
  }
}

/// DSP slices of an FPGA design doing MACs.
public struct DSPArray: Hashable, Sendable {
  /// DSP slices the design uses for MACs.
  public var dspSlices: Int
  /// Optional PE/convolver structure.
  public var organisation: ConvolverOrganisation?

  /// Creates the description.
  public init(dspSlices: Int, organisation: ConvolverOrganisation? = nil) {
    self.dspSlices = dspSlices
    self.organisation = organisation
  }
}

/// The compute resources of a device, by kind.
public enum ComputeOrganisation: Hashable, Sendable {
  /// CPU or MCU cores.
  case vector(VectorCores)
  /// GPU shader cores.
  case shader(ShaderCores)
  /// NPU array.
  case array(SystolicArray)
  /// FPGA DSP slices.
  case dsp(DSPArray)

  /// How many units `macsPerCycle` is counted per: cores, shader cores, PEs or
  /// DSP slices.
  public var units: Int {
    switch self {
    case .vector(let v): v.cores
    case .shader(let s): s.cores
    case .array(let a): a.rows * a.columns
    case .dsp(let d): d.dspSlices
    }
  }
}

/// What a device computes with and at what rate and energy.
public struct Compute: Hashable, Sendable {
  /// The units.
  public var organisation: ComputeOrganisation
  /// MACs per cycle of one unit, by precision.
  ///
  /// The precisions listed are the ones the device runs.
  public var macsPerCycle: [Precision: Double]
  /// Energy of one MAC at a precision, joules (at least one anchor; others
  /// are scaled by operand width, see ``EnergyScaling``).
  public var macEnergy: [Precision: Double]
  /// Energy of one non-MAC element operation (add, compare, activation),
  /// joules, or `nil` to derive it from the MAC energy.
  public var opEnergy: Double?
  /// What the datapath does with zero weights and activations (`zeros`).
  public var zeros: ZeroHandling
  /// The decoder of coded weights on their way from the backing store
  /// (`decoder`), or `nil` when the device has none.
  public var decoder: WeightDecoder?

  /// Creates the description.
  public init(
    organisation: ComputeOrganisation, macsPerCycle: [Precision: Double],
    macEnergy: [Precision: Double], opEnergy: Double? = nil,
    zeros: ZeroHandling = .none, decoder: WeightDecoder? = nil
  ) {
    self.organisation = organisation
    self.macsPerCycle = macsPerCycle
    self.macEnergy = macEnergy
    self.opEnergy = opEnergy
    self.zeros = zeros
    self.decoder = decoder
  }

  /// MACs per cycle of the whole device at a precision, or `nil` when the
  /// device does not run that precision.
  public func peakMACsPerCycle(_ precision: Precision) -> Double? {
    macsPerCycle[precision].map { $0 * Double(organisation.units) }
  }

  /// The precisions the device runs, narrowest first.
  public var precisions: [Precision] { macsPerCycle.keys.sorted() }

  /// The precision with the highest MAC rate (ties: the narrowest), used when
  /// a run names none.
  public var nativePrecision: Precision? {
    var best: (Precision, Double)?
    for precision in precisions {
      let rate = macsPerCycle[precision] ?? 0
      if rate > (best?.1 ?? 0) { best = (precision, rate) }
    }
    return best?.0
  }
}
