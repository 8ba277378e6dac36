import BitAccurateExecution
import NetworkGraph

/// An executable model with the samples and labels of `--data`.
struct ExecutionData {
  var network: Network
  var samples: FloatTensor
  var labels: [Int]?
}

/// The fraction of nonzero values of every activation tensor, measured by
/// running the float model on samples (`density: measured` in a DRAM-coding
/// file).
enum ActivationDensities {
  /// Nonzero fraction per tensor name (the network's inputs included,
  /// constants left out), over every sample.
  static func measure(network: Network, samples: FloatTensor)
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
