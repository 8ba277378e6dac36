/// One run of the precision search: a study's model, device, batch and
/// hardware setting, over which the search moves the precision and
/// compression axes.
public struct SearchContext: Hashable, Sendable {
  /// The study's number in the plan.
  public var study: Int
  /// The chosen value of each non-precision position: model, device,
  /// batch, then each hardware axis.
  var digits: [Int]
  /// The context's parameters as text (a point's canonical text without
  /// its precision and compression settings), the key its outcome is
  /// stored under.
  public var name: String
}

extension SweepPlan {
  /// The search contexts of every study, in plan order (models, devices,
  /// batches, hardware values; the last changing fastest), dealt to one
  /// shard.
  public func searchContexts(in shard: Shard = .whole) -> [SearchContext] {
    var contexts: [SearchContext] = []
    var position = 0
    for (studyIndex, study) in studies.enumerated() {
      var radices = [
        study.models.count, study.devices.count, study.batches.count,
      ]
      radices += study.hardwareAxes.map(\.values.count)
      guard radices.allSatisfy({ $0 > 0 }) else { continue }
      var digits = Array(repeating: 0, count: radices.count)
      while true {
        if position % shard.count == shard.index - 1 {
          var context = SearchContext(
            study: studyIndex, digits: digits, name: "")
          let first = point(
            in: context,
            settings: Array(
              repeating: 0,
              count: study.precisionAxes.count + study.compressionAxes.count))
          var bare = first
          bare.precision = []
          bare.compression = []
          context.name = bare.canonical
          contexts.append(context)
        }
        position += 1
        // Odometer, the last position fastest.
        var carry = digits.count - 1
        while carry >= 0 {
          digits[carry] += 1
          if digits[carry] < radices[carry] { break }
          digits[carry] = 0
          carry -= 1
        }
        if carry < 0 { break }
      }
    }
    return contexts
  }

  /// The point of a context with one setting index per precision axis,
  /// then one level index per compression axis.
  public func point(in context: SearchContext, settings: [Int]) -> DesignPoint {
    var offset = 0
    for study in studies.prefix(context.study) { offset += study.count ?? 0 }
    let study = studies[context.study]
    let hardwareDigits = Array(context.digits.dropFirst(3))
    let digits = Array(context.digits.prefix(3)) + settings + hardwareDigits
    var radices = [
      study.models.count, study.devices.count, study.batches.count,
    ]
    radices += study.precisionAxes.map(\.settings.count)
    radices += study.compressionAxes.map(\.levels.count)
    radices += study.hardwareAxes.map(\.values.count)
    var local = 0
    for (digit, radix) in zip(digits, radices) { local = local * radix + digit }
    return point(at: offset + local)
  }
}
