import BitAccurateExecution
import HardwareModel
import NetworkGraph
import PrecisionModel
import Simulation

/// One evaluation: a model on a device with a precision, a DRAM coding and
/// a batch, and, with samples, the accuracy of the same precision.
///
/// `simulate` builds one from its options; a sweep point builds one per
/// point (``Evaluator/evaluate(_:)``).
public struct EvaluationRequest: Sendable {
  /// The network (shapes must infer).
  public var network: Network
  /// A validated device, with any overrides applied.
  public var device: Device
  /// Precision, batch, residency and DRAM coding.
  public var options: SimulationOptions
  /// The precision file's formats, when the precision came from one (the
  /// accuracy then runs them bit-accurately).
  public var resolved: ResolvedPrecision?
  /// Samples (and labels) to measure accuracy on, or `nil`.
  public var data: EvaluationData?
  /// Whether activation densities of the DRAM coding are measured on
  /// ``data`` (`density: measured`); densities the coding lists by name
  /// still win.
  public var measuresActivationDensities: Bool
  /// Batch slices the executors split over.
  public var concurrency: Int
  /// The network's inferred shapes, when the caller has them already.
  ///
  /// A model loader infers them once (`network.inferShapes()` of exactly
  /// ``network``), and the simulator need not again; `nil` infers them.
  public var shapes: InferredShapes?
  /// Whether the simulator's trace events are kept.
  ///
  /// They fill ``EvaluationOutcome/events``; a run whose trace nobody
  /// writes (`simulate --no-trace`) skips them. The summary is the same
  /// either way.
  public var recordsTrace = true
  /// The accuracy of this evaluation's precision as a judge shared by many
  /// evaluations measures it (a sweep's points share calibrations: see
  /// `AccuracyEvaluator` in DesignSpace), asked only when the simulation
  /// completes; `nil` measures on ``data`` when given.
  public var sharedAccuracy:
    (@Sendable () -> Result<MeasuredAccuracy, AccuracyProblem>)?

  /// Creates a request; by default no accuracy and one core.
  public init(
    network: Network, device: Device,
    options: SimulationOptions = SimulationOptions(),
    resolved: ResolvedPrecision? = nil, data: EvaluationData? = nil,
    measuresActivationDensities: Bool = false, concurrency: Int = 1,
    sharedAccuracy: (
      @Sendable () -> Result<MeasuredAccuracy, AccuracyProblem>
    )? = nil
  ) {
    self.network = network
    self.device = device
    self.options = options
    self.resolved = resolved
    self.data = data
    self.measuresActivationDensities = measuresActivationDensities
    self.concurrency = concurrency
    self.sharedAccuracy = sharedAccuracy
  }
}

/// What an evaluation gave.
public struct EvaluationOutcome: Sendable {
  /// The simulator's summary: every layer and the totals.
  public var summary: RunSummary
  /// The trace events of every tile group.
  public var events: [TraceEvent]
  /// The accuracy of the same precision, when samples were given.
  public var accuracy: MeasuredAccuracy?
}

/// Why an evaluation gave no outcome.
public enum EvaluationFailure: Error, Sendable {
  /// The network cannot run on the device (the simulator's reason, and the
  /// layer when it names one).
  case infeasible(reason: String, layer: String?)
  /// The executors failed (measuring densities or accuracy).
  case execution(ExecutionError)
  /// Densities are to be measured but no samples were given.
  case noSamplesToMeasure
  /// The shared accuracy judge could not measure this precision.
  case accuracy(AccuracyProblem)
}

/// Why an accuracy could not be measured.
public struct AccuracyProblem: Error, Hashable, Sendable {
  /// What is wrong, in a sentence.
  public var message: String

  /// Creates the problem.
  public init(_ message: String) { self.message = message }
}

/// The one evaluation pipeline: densities, simulation, accuracy.
public enum Evaluator {
  /// Evaluates a request.
  ///
  /// 1. With ``EvaluationRequest/measuresActivationDensities``, runs the
  ///    float model on the samples and codes activations at their measured
  ///    densities (listed densities win).
  /// 2. Simulates, recording trace events.
  /// 3. Measures the accuracy of the same precision: by the shared judge
  ///    when the request has one, else on the samples when given
  ///    (``MeasuredAccuracy/arithmetic(for:resolved:device:)``).
  ///
  /// Pure and deterministic.
  public static func evaluate(_ request: EvaluationRequest) -> Result<
    EvaluationOutcome, EvaluationFailure
  > {
    var options = request.options
    if request.measuresActivationDensities,
      var activations = options.compression?.activations
    {
      guard let data = request.data else {
        return .failure(.noSamplesToMeasure)
      }
      do {
        let measured = try ActivationDensities.measure(
          network: data.network, samples: data.samples)
        // The simulator looks a tensor up by its writers' names before its
        // own, so listed layer names keep their figures.
        activations.densities.merge(measured) { listed, _ in listed }
        activations.defaultDensity = 1
        options.compression?.activations = activations
      } catch {
        return .failure(.execution(error))
      }
    }
    var sink = RecordingTraceSink()
    var dropped = NullTraceSink()
    let simulated =
      request.recordsTrace
      ? Simulator.run(
        request.network, on: request.device, options: options,
        shapes: request.shapes, trace: &sink)
      : Simulator.run(
        request.network, on: request.device, options: options,
        shapes: request.shapes, trace: &dropped)
    let summary: RunSummary
    switch simulated {
    case .completed(let completed): summary = completed
    case .infeasible(let reason, let layer):
      return .failure(.infeasible(reason: reason, layer: layer))
    }
    var accuracy: MeasuredAccuracy?
    if let sharedAccuracy = request.sharedAccuracy {
      switch sharedAccuracy() {
      case .success(let measured): accuracy = measured
      case .failure(let problem): return .failure(.accuracy(problem))
      }
    } else if let data = request.data {
      do {
        accuracy = try MeasuredAccuracy.measure(
          data,
          arithmetic: MeasuredAccuracy.arithmetic(
            for: options.precision, resolved: request.resolved,
            device: request.device),
          concurrency: request.concurrency)
      } catch {
        return .failure(.execution(error))
      }
    }
    return .success(
      EvaluationOutcome(
        summary: summary, events: sink.events, accuracy: accuracy))
  }
}
