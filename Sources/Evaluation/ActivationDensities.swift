import BitAccurateExecution
import NetworkGraph

/// An executable model with samples and, optionally, their labels (what
/// `--data` and `--labels` give).
public struct EvaluationData: Sendable {
  /// The model, with its weights.
  public var network: Network
  /// The samples `[N, …]`.
  public var samples: FloatTensor
  /// One class per sample, or `nil`.
  public var labels: [Int]?

  /// Creates the data.
  public init(network: Network, samples: FloatTensor, labels: [Int]?) {
    self.network = network
    self.samples = samples
    self.labels = labels
  }
}

/// The fraction of nonzero values of every activation tensor, measured by
/// running the float model on samples (`density: measured` in a DRAM-coding
/// file).
public enum ActivationDensities {
  /// Nonzero fraction per tensor name (the network's inputs included,
  /// constants left out), over every sample.
  public static func measure(network: Network, samples: FloatTensor)
    throws(ExecutionError) -> [String: Double]
  {
    let run = try FloatExecutor(network: network).run(input: samples)
    var densities: [String: Double] = [:]
    for (name, tensor) in run.tensors
    where network.initializer(named: name) == nil && !tensor.values.isEmpty {
      var nonzero = 0
      for value in tensor.values where value != 0 { nonzero += 1 }
      densities[name] = Double(nonzero) / Double(tensor.values.count)
    }
    return densities
  }
}
