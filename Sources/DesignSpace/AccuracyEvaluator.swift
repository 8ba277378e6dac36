import BitAccurateExecution
import Evaluation
import NetworkGraph
import PrecisionModel
import Synchronization

/// Measures the top-1 accuracy of design points of one model with the
/// bit-accurate executor.
///
/// A point's widths are calibrated on the calibration samples (once per
/// distinct set of widths, shared by every point and task that needs it),
/// the fractional lengths the point fixes replace the calibrated ones, and
/// the plan runs on the evaluation samples. Safe to call from many tasks at
/// once; the same point always gives the same figure.
///
/// Three exact shortcuts, each off or on without changing a figure
/// (``AccuracyReuse``): a run resumes from the live tensors an earlier
/// point left before the first layer where it departs (``PrefixCache``);
/// a point whose resolved precision was measured already (the calibrated
/// plan itself included) is not run again; and a run stops a chunk of
/// samples once its live tensors equal the calibrated plan's run at the
/// same node boundary (``SuffixReference``), taking that run's outputs.
///
/// ```swift
/// let judge = try AccuracyEvaluator(network: net, evaluation: x, labels: y, calibration: x)
/// let top1 = try judge.top1(of: point).get()
/// ```
public final class AccuracyEvaluator: Sendable {
  /// The model.
  public let network: Network
  let evaluation: FloatTensor
  let labels: [Int]
  let calibrationData: FloatTensor
  let method: CalibrationMethod
  let concurrency: Int
  /// The float model's top-1 on the evaluation samples, in [0, 1] (for a
  /// compressed model's evaluator, the original model's).
  public let floatTop1: Double
  /// Whether ``network`` is a compressed model: then a point without
  /// precision settings or default bits is measured in float.
  public let isCompressed: Bool
  private let plans = Mutex<[String: CalibratedPlan]>([:])
  /// The executor of each calibrated plan (by widths), which points'
  /// executors revise.
  private let bases = Mutex<[String: FixedPointExecutor]>([:])
  /// Live tensors of earlier points' runs, which later points resume from.
  let prefixes: PrefixCache
  /// Which exact shortcuts are on.
  public let reuse: AccuracyReuse
  /// The top-1 of each resolved precision measured (with
  /// ``AccuracyReuse/repeatedPlans``).
  private let measuredPlans = Mutex<[ResolvedPrecision: Double]>([:])
  /// Points answered from ``measuredPlans`` or a reference run.
  private let repeats = Mutex(0)
  /// The fingerprinted run of each calibrated plan (by widths; with
  /// ``AccuracyReuse/suffixConvergence``).
  private let references = Mutex<[String: ReferenceCell]>([:])

  /// Runs the float model on the evaluation samples.
  ///
  /// - Parameters:
  ///   - network: The model, with its weights.
  ///   - evaluation: The evaluation samples `[N, …]`.
  ///   - labels: One class per evaluation sample.
  ///   - calibration: The calibration samples `[M, …]`.
  ///   - method: How fractional lengths left open are chosen.
  ///   - concurrency: Batch slices each run splits over (1 when many points
  ///     run at once).
  ///   - reuse: The exact shortcuts to take (the figures never depend on
  ///     them); ``AccuracyReuse/none`` runs every point from the input.
  /// - Throws: An execution error of the float model, or
  ///   ``ExecutionError/invalidInput(message:)`` when labels and samples
  ///   disagree in number.
  public init(
    network: Network, evaluation: FloatTensor, labels: [Int],
    calibration: FloatTensor,
    method: CalibrationMethod = .qiu, concurrency: Int = 1,
    reuse: AccuracyReuse = AccuracyReuse()
  ) throws(ExecutionError) {
    guard let count = evaluation.shape.first, count > 0, count == labels.count
    else {
      throw .invalidInput(
        message:
          "\(labels.count) labels for \(evaluation.shape.first ?? 0) evaluation samples"
      )
    }
    self.network = network
    self.evaluation = evaluation
    self.labels = labels
    self.calibrationData = calibration
    self.method = method
    self.concurrency = max(1, concurrency)
    self.reuse = reuse
    self.prefixes = PrefixCache(
      input: evaluation, budget: reuse.prefixCacheBytes)
    // Outputs only: the whole batch's intermediate tensors are not kept.
    let float = try FloatExecutor(
      network: network, concurrency: self.concurrency
    ).outputs(input: evaluation)
    guard let scores = float.first else {
      throw .invalidInput(message: "the network has no output")
    }
    floatTop1 = Classification.accuracy(scores, labels: labels, k: 1)
    isCompressed = false
  }

  /// An evaluator of a compressed point's decoded network.
  ///
  /// It uses the same samples, labels and calibration, and keeps this
  /// one's ``floatTop1`` (the budget of a search is measured from the
  /// original model; COMPRESSION.md §7). Its calibrations are its own.
  public func compressed(_ network: Network) -> AccuracyEvaluator {
    AccuracyEvaluator(sibling: self, network: network)
  }

  private init(sibling: AccuracyEvaluator, network: Network) {
    self.network = network
    evaluation = sibling.evaluation
    labels = sibling.labels
    calibrationData = sibling.calibrationData
    method = sibling.method
    concurrency = sibling.concurrency
    floatTop1 = sibling.floatTop1
    isCompressed = true
    reuse = sibling.reuse
    // Other weights: live tensors of the original model's runs never apply.
    prefixes = PrefixCache(
      input: sibling.evaluation, budget: sibling.prefixes.budget)
  }

  /// Whether a point is measured in float: a compressed model's point
  /// without precision settings or default bits.
  func measuresInFloat(_ point: DesignPoint) -> Bool {
    isCompressed && point.precision.isEmpty && point.defaultBits == nil
  }

  /// The accuracy of a point as an evaluation reports it
  /// (``EvaluationRequest/sharedAccuracy``): its top-1 with the float
  /// model's.
  public func measured(of point: DesignPoint) -> Result<
    MeasuredAccuracy, AccuracyProblem
  > {
    let description =
      measuresInFloat(point)
      ? "float32 reference executor on the compressed model"
      : "bit-accurate, widths calibrated on the calibration samples (\(method.rawValue))"
    return top1(of: point).map {
      MeasuredAccuracy(
        top1: $0, floatTop1: floatTop1, samples: labels.count,
        description: description)
    }
  }

  /// The top-1 accuracy of a point, in [0, 1].
  public func top1(of point: DesignPoint) -> Result<Double, AccuracyProblem> {
    if measuresInFloat(point) {
      do {
        let outputs = try FloatExecutor(
          network: network, concurrency: concurrency
        ).outputs(input: evaluation)
        guard let scores = outputs.first else {
          return .failure(AccuracyProblem("the network has no output"))
        }
        return .success(Classification.accuracy(scores, labels: labels, k: 1))
      } catch {
        return .failure(AccuracyProblem(error.description))
      }
    }
    let calibration: PointCalibration
    switch point.calibration(for: network, method: method) {
    case .success(let c): calibration = c
    case .failure(let problem):
      return .failure(AccuracyProblem(problem.message))
    }
    let calibrated: PrecisionPlan
    switch plan(for: calibration) {
    case .success(let p): calibrated = p
    case .failure(let problem): return .failure(problem)
    }
    do {
      // The point's executor revises the calibrated plan's; its run resumes
      // from the live tensors before the first layer it changes, when an
      // earlier point left them.
      let plan = calibrated.fixing(calibration.settings)
      let outputs: [TensorValue]
      if let base = try? baseExecutor(calibrated, key: calibration.widthsKey) {
        let executor = try base.revised(plan: plan)
        if reuse.repeatedPlans,
          let known = measuredPlans.withLock({ $0[executor.precision] })
        {
          repeats.withLock { $0 += 1 }
          return .success(known)
        }
        let reference =
          reuse.suffixConvergence
          ? self.reference(base, key: calibration.widthsKey) : nil
        if reuse.repeatedPlans, let reference,
          executor.precision == base.precision
        {
          // The calibrated plan itself: the reference run measured it.
          repeats.withLock { $0 += 1 }
          outputs = reference.outputs
        } else {
          outputs = try prefixes.outputs(
            of: executor, keepingStateAt: executor.firstDifference(from: base),
            convergingTo: reference)
        }
        guard let scores = outputs.first?.floatTensor else {
          return .failure(AccuracyProblem("the network has no output"))
        }
        let top1 = Classification.accuracy(scores, labels: labels, k: 1)
        if reuse.repeatedPlans {
          measuredPlans.withLock { $0[executor.precision] = top1 }
        }
        return .success(top1)
      } else {
        outputs = try FixedPointExecutor(
          network: network, plan: plan, concurrency: concurrency
        ).run(input: evaluation, retaining: .outputs).outputs
      }
      guard let scores = outputs.first?.floatTensor else {
        return .failure(AccuracyProblem("the network has no output"))
      }
      return .success(Classification.accuracy(scores, labels: labels, k: 1))
    } catch {
      return .failure(AccuracyProblem(error.description))
    }
  }

  /// How often each shortcut was taken so far.
  public var reuseCounts: AccuracyReuseCounts {
    let (hits, misses) = prefixes.counts
    var layers: [(layer: String, tally: ConvergenceTally)] = []
    if let base = bases.withLock({ $0.values.first }) {
      let names = base.network.nodes.map(\.name)
      for (position, tally) in prefixes.convergence.sorted(by: {
        $0.key < $1.key
      }) {
        layers.append(
          (position < names.count ? names[position] : "(end)", tally))
      }
    }
    return AccuracyReuseCounts(
      prefixHits: hits, prefixMisses: misses,
      repeatedPlans: repeats.withLock { $0 }, convergence: layers)
  }

  /// The fingerprinted run of a calibrated plan on the evaluation samples,
  /// made once per set of widths (`nil` when the batch does not split into
  /// chunks that run alone, or a chunk fails: points then run to the end).
  func reference(_ base: FixedPointExecutor, key: String) -> SuffixReference? {
    let cell = references.withLock { cells in
      if let cell = cells[key] { return cell }
      let cell = ReferenceCell()
      cells[key] = cell
      return cell
    }
    return cell.value {
      SuffixReference(
        executor: base, input: evaluation,
        ranges: prefixes.chunkRanges(base))
    }
  }

  /// The executor of a calibrated plan, made once per set of widths.
  func baseExecutor(_ plan: PrecisionPlan, key: String) throws(ExecutionError)
    -> FixedPointExecutor
  {
    if let base = bases.withLock({ $0[key] }) { return base }
    let base = try FixedPointExecutor(
      network: network, plan: plan, concurrency: concurrency)
    bases.withLock { $0[key] = $0[key] ?? base }
    return base
  }

  /// The calibrated plan of a set of widths, computed once: the first
  /// caller calibrates while later callers with the same widths wait.
  func plan(for calibration: PointCalibration) -> Result<
    PrecisionPlan, AccuracyProblem
  > {
    let cell = plans.withLock { cells in
      if let cell = cells[calibration.widthsKey] { return cell }
      let cell = CalibratedPlan()
      cells[calibration.widthsKey] = cell
      return cell
    }
    return cell.value {
      do throws(ExecutionError) {
        let result = try Calibrator.calibrate(
          network: network, data: calibrationData,
          configuration: calibration.configuration,
          concurrency: concurrency)
        return .success(result.plan)
      } catch {
        return .failure(AccuracyProblem("calibration: \(error.description)"))
      }
    }
  }
}

/// A calibration computed at most once.
final class CalibratedPlan: Sendable {
  private let state = Mutex<Result<PrecisionPlan, AccuracyProblem>?>(nil)

  /// The value, computing it under the lock the first time.
  func value(_ compute: () -> Result<PrecisionPlan, AccuracyProblem>) -> Result<
    PrecisionPlan, AccuracyProblem
  > {
    state.withLock { state in
      if let state { return state }
      let computed = compute()
      state = computed
      return computed
    }
  }
}

/// A reference run computed at most once.
final class ReferenceCell: Sendable {
  private let state = Mutex<SuffixReference??>(nil)

  /// The value, computing it under the lock the first time.
  func value(_ compute: () -> SuffixReference?) -> SuffixReference? {
    state.withLock { state in
      if let state { return state }
      let computed = compute()
      state = .some(computed)
      return computed
    }
  }
}
