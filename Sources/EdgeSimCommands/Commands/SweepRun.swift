import ArgumentParser
import DesignSpace
import Diagnostics
import Foundation
import HardwareModel
import NetworkGraph
import ResultsStore
import SpecFormats
import TraceFormats

/// `edgesim sweep SPEC.yaml --db RESULTS.sqlite`: evaluates every point of
/// a sweep (or of one shard) on every core, resumably.
struct SweepRun: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract:
      "Evaluate a sweep's design points into a SQLite results file (resumable).",
    discussion: """
      Each point is committed in its own transaction, so a sweep killed at \
      any moment (SIGKILL included) resumes when the same command is run \
      again: recorded points are skipped and the results are those of an \
      uninterrupted run. --shard K/N runs the K-th of N deterministic parts \
      (for a Slurm job array or a Kubernetes indexed job); join the parts \
      with edgesim sweep merge. A progress bar with rate and ETA is shown \
      when standard error is a terminal.

      Example:
        edgesim sweep Workloads/sweeps/example.yaml --db results.sqlite
        edgesim sweep Workloads/sweeps/example.yaml --db part-3.sqlite --shard 3/8 --jobs 2
        edgesim sweep Workloads/sweeps/compression.yaml --db compression.sqlite
      """)

  @Argument(help: "The sweep file (.yaml).")
  var spec: String

  @Option(
    help: "The SQLite results file (created if absent; resumed if present).")
  var db: String

  @Option(help: "Simulations in flight at once (default: every core).")
  var jobs: Int?

  @Option(help: "Run only part K of N (1 ≤ K ≤ N), e.g. 3/8.")
  var shard: String?

  @Flag(
    help: "Show no progress and no summary (errors and warnings still print).")
  var quiet = false

  @Option(
    help: ArgumentHelp(
      "Seconds between progress lines when standard error is not a terminal (a Slurm or Kubernetes log).",
      valueName: "seconds"))
  var progressEvery: Double = 30

  @Option(
    help: ArgumentHelp(
      "Megabytes of a run's intermediate tensors kept so that accuracy points differing only in later layers resume from them (0: run every point from its input; results are the same).",
      valueName: "MB"))
  var prefixCache: Int = 1024

  @Flag(
    inversion: .prefixedNo,
    help:
      "Measure a precision that resolves like an earlier point's (the calibrated plan included) once (results are the same)."
  )
  var reusePlans = true

  @Flag(
    inversion: .prefixedNo,
    help:
      "Stop an accuracy run's chunk of samples once its tensors equal the calibrated plan's run at the same layer, and take that run's outputs (results are the same; off by default: on MobileNetV2 fl sweeps no chunk met it, and the fingerprints cost about 17 %)."
  )
  var suffixConvergence = false

  @OptionGroup var format: OutputOptions

  func validate() throws {
    if !(0...1_048_576).contains(prefixCache) {
      throw ValidationError("--prefix-cache must be from 0 to 1048576 MB.")
    }
    if let jobs, jobs < 1 || jobs > 4096 {
      throw ValidationError("--jobs must be from 1 to 4096.")
    }
    if !(progressEvery >= 0.1 && progressEvery <= 86_400) {
      throw ValidationError(
        "--progress-every must be from 0.1 to 86400 seconds.")
    }
    if let shard, Shard(parsing: shard) == nil {
      throw ValidationError(
        "--shard must be K/N with 1 ≤ K ≤ N, e.g. 3/8; got '\(shard)'.")
    }
  }

  func run() async throws {
    var printer = DiagnosticPrinter()
    let bytes = try printer.read(spec)
    let result = SweepReader.read(bytes: bytes, fileName: spec)
    printer.print(result.diagnostics)
    guard let plan = result.value else { throw ExitCode(EdgeSimMain.failure) }
    let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let inputs = try SweepInputs.load(
      plan, specPath: spec, executorConcurrency: max(1, cores / jobs),
      reuse: AccuracyReuse(
        prefixCacheBytes: prefixCache << 20, repeatedPlans: reusePlans,
        suffixConvergence: suffixConvergence),
      printer: &printer)

    let part = shard.flatMap { Shard(parsing: $0) } ?? .whole
    let store = try openStore(
      for: plan, text: String(decoding: bytes, as: UTF8.self),
      printer: &printer)
    let worker = SweepWorker.current()
    let lease = SweepLease(store: store, worker: worker)
    do {
      try await run(
        plan, part: part, inputs: inputs, jobs: jobs, store: store,
        worker: worker)
      lease.stop()
      try store.close()
    } catch {
      // A run that stored nothing leaves no file it made behind.
      lease.stop()
      store.removeIfUnused()
      throw error
    }
  }

  /// The results file, opened (created when absent) once every input is
  /// read: it may be none of them, and must be a regular file (SQLite would
  /// wait on a named pipe).
  ///
  /// The sweep file's text, path and this EdgeSim's
  /// version are recorded in it, so any point can be rebuilt later
  /// (``StoredSweep``).
  func openStore(
    for plan: SweepPlan, text: String, printer: inout DiagnosticPrinter
  ) throws -> ResultsStore {
    do throws(CommandFailure) {
      try OutputPath.check([(db, "--db", .database)])
    } catch {
      throw error.print(with: &printer)
    }
    do throws(ResultsStoreError) {
      let store = try ResultsStore(path: db)
      try store.setInfoIfAbsent("sweep", plan.name)
      try StoredSweep.record(text: text, path: spec, in: store)
      return store
    } catch {
      printer.print([
        .error(
          error.problem, at: SourceLocation(file: db),
          hint: error.hint
            ?? "name a new file, or a results file of edgesim sweep")
      ])
      throw ExitCode(EdgeSimMain.failure)
    }
  }

  /// Evaluates the plan's points (or runs its searches) into the store,
  /// sharing them with any other worker on the same file, and prints the
  /// summary line.
  func run(
    _ plan: SweepPlan, part: Shard, inputs: SweepInputs, jobs: Int,
    store: ResultsStore, worker: SweepWorker
  ) async throws {
    if case .search(let goal) = plan.strategy {
      let start = Date()
      let outcomes = try await SweepSearch.run(
        plan, goal: goal, shard: part, inputs: inputs, store: store,
        worker: worker, jobs: jobs)
      let evaluated = outcomes.reduce(0) { $0 + $1.evaluations }
      let seconds = Date().timeIntervalSince(start)
      summarize(
        "\(plan.name): \(outcomes.count) searches, \(evaluated) points evaluated in "
          + String(format: "%.2f s", seconds) + " with \(jobs) jobs -> \(db)",
        json: [
          "sweep": .string(plan.name), "searches": .int(outcomes.count),
          "evaluated": .int(evaluated), "seconds": .number(seconds),
          "jobs": .int(jobs), "db": .string(db),
        ])
      return
    }
    let indices = try plan.selectedIndices(in: part)
    let points = indices.lazy.map { plan.point(at: $0) }
    var recorded = 0
    for point in points where try store.contains(point.id) { recorded += 1 }
    let total = indices.count
    let recorder = SweepRecorder(
      store: store, worker: worker, pending: total - recorded,
      progress: quiet
        ? .quiet : .automatic(interval: progressEvery))
    let start = Date()
    // Points differing only in later layers follow each other, so accuracy
    // runs resume from the tensors earlier points left (same results).
    let order = plan.reuseOrder(indices) { study, axis in
      inputs.firstLayerPosition(study: plan.studies[study], axis: axis)
    }
    let evaluated = try await SweepRunner.run(
      order.lazy.map { plan.point(at: $0) }, jobs: jobs,
      claim: { try await recorder.claim($0) },
      evaluate: { inputs.evaluate($0) },
      record: { try await recorder.record($0) },
      waitForOthers: { try await Task.sleep(for: .milliseconds(200)) })
    await recorder.finish()
    let seconds = Date().timeIntervalSince(start)
    let counts = await recorder.counts
    let rate = seconds > 0 ? Double(evaluated) / seconds : 0
    let shardLabel = part == .whole ? "" : " shard \(part)"
    let statuses =
      "\(counts["done"] ?? 0) done, \(counts["infeasible"] ?? 0) infeasible, \(counts["failed"] ?? 0) failed"
    // Every point is recorded now; those this worker neither found nor
    // evaluated were evaluated by other workers on the same file.
    let others = max(0, total - recorded - evaluated)
    let shared = others > 0 ? ", \(others) by other workers" : ""
    let timing = String(format: "%.2f s, %.1f points/s", seconds, rate)
    summarize(
      "\(plan.name)\(shardLabel): \(total) points, \(recorded) already recorded, \(evaluated) evaluated ("
        + statuses + ")\(shared) in \(timing) with \(jobs) jobs -> \(db)",
      json: [
        "sweep": .string(plan.name),
        "shard": part == .whole ? .null : .string("\(part)"),
        "points": .int(total), "already_recorded": .int(recorded),
        "evaluated": .int(evaluated), "by_other_workers": .int(others),
        "done": .int(counts["done"] ?? 0),
        "infeasible": .int(counts["infeasible"] ?? 0),
        "failed": .int(counts["failed"] ?? 0), "seconds": .number(seconds),
        "jobs": .int(jobs), "db": .string(db),
        "reuse": Self.reuseJSON(inputs),
      ])
  }

  /// The shortcuts the accuracy evaluators took, summed over them, with
  /// the chunks that met the calibrated plan's run by the layer where runs
  /// departed from it.
  static func reuseJSON(_ inputs: SweepInputs) -> JSONValue {
    var hits = 0
    var misses = 0
    var repeats = 0
    var checked = 0
    var converged = 0
    var layers: [JSONValue] = []
    var seen: Set<ObjectIdentifier> = []
    for key in inputs.accuracy.keys.sorted() {
      // Studies of one model on the same samples share an evaluator.
      guard let evaluator = inputs.accuracy[key],
        seen.insert(ObjectIdentifier(evaluator)).inserted
      else { continue }
      let counts = evaluator.reuseCounts
      hits += counts.prefixHits
      misses += counts.prefixMisses
      repeats += counts.repeatedPlans
      checked += counts.chunks.checked
      converged += counts.chunks.converged
      for (layer, tally) in counts.convergence {
        layers.append(
          .object([
            "layer": .string(layer), "chunks": .int(tally.chunks),
            "converged": .int(tally.converged),
            "suffix_nodes": .int(tally.suffixNodes),
            "skipped_nodes": .int(tally.skippedNodes),
          ]))
      }
    }
    return .object([
      "prefix_hits": .int(hits), "prefix_misses": .int(misses),
      "repeated_plans": .int(repeats), "checked_chunks": .int(checked),
      "converged_chunks": .int(converged),
      "convergence_by_layer": .array(layers),
    ])
  }

  /// The run's summary: a line on standard error, or with `--json` an
  /// object on standard output; nothing with `--quiet`.
  func summarize(_ line: String, json: [String: JSONValue]) {
    if format.json {
      Terminal.standardOutput(JSONValue.object(json).rendered)
    } else if !quiet {
      Terminal.standardError(line)
    }
  }
}
