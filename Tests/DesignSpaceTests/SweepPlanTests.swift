import DesignSpace
import PrecisionModel
import Testing

@Suite struct SweepPlanTests {
  static let study = Study(
    models: ["a", "b"], devices: ["d"], batches: [1, 4], defaultBits: 8,
    precisionAxes: [
      PrecisionAxis(
        label: "conv1", layers: .named(["conv1"]),
        settings: (2...7).map {
          PrecisionSetting(bits: 8, fractionalLength: $0)
        })
    ],
    hardwareAxes: [HardwareAxis(parameter: .arraySize, values: [8, 16, 32])])

  @Test func countsAndEnumeratesTheGridLastAxisFastest() throws {
    let plan = SweepPlan(
      name: "t", studies: [Self.study, Study(models: ["c"], devices: ["e"])])
    #expect(try plan.totalCount() == 2 * 2 * 6 * 3 + 1)
    let points = Array(try plan.points(in: .whole))
    #expect(points.count == 73)
    #expect(points.map(\.index) == Array(0..<73))
    #expect(
      points[0].canonical
        == "model=a;device=d;batch=1;default_bits=8;precision[conv1]=8/fl2;hardware[array_size]=8"
    )
    #expect(
      points[1].canonical
        == "model=a;device=d;batch=1;default_bits=8;precision[conv1]=8/fl2;hardware[array_size]=16"
    )
    #expect(
      points[3].precision.first?.setting
        == PrecisionSetting(bits: 8, fractionalLength: 3))
    #expect(points[18].batch == 4)
    #expect(points[36].model == "b")
    #expect(points[72].canonical == "model=c;device=e;batch=1")
    // Every point is distinct, so are the identifiers.
    #expect(Set(points.map(\.id)).count == points.count)
  }

  @Test func pointIdentifiersDependOnlyOnParameters() throws {
    // Fixed by FNV-1a of the canonical text: a golden value, so a change of
    // the derivation (which would orphan every stored result) fails here.
    let point = DesignPoint(index: 5, model: "c", device: "e", batch: 1)
    #expect(point.canonical == "model=c;device=e;batch=1")
    #expect(
      point.id == StableHash.hex(StableHash.fnv1a("model=c;device=e;batch=1")))
    #expect(StableHash.hex(StableHash.fnv1a("")) == "cbf29ce484222325")
    #expect(StableHash.hex(StableHash.fnv1a("a")) == "af63dc4c8601ec8c")
    var moved = point
    moved.index = 99
    #expect(moved.id == point.id)
    // Reordering studies moves plan numbers, not identifiers.
    let one = SweepPlan(
      name: "t", studies: [Self.study, Study(models: ["c"], devices: ["e"])])
    let two = SweepPlan(
      name: "t", studies: [Study(models: ["c"], devices: ["e"]), Self.study])
    #expect(
      Set(try one.points(in: .whole).map(\.id))
        == Set(try two.points(in: .whole).map(\.id)))
  }

  @Test(arguments: [1, 2, 3, 7, 100])
  func shardsPartitionTheSweep(parts: Int) throws {
    for strategy in [SweepStrategy.grid, .random(count: 40, seed: 9)] {
      let plan = SweepPlan(name: "t", studies: [Self.study], strategy: strategy)
      let whole = Array(try plan.selectedIndices(in: .whole))
      var union: [Int] = []
      for k in 1...parts {
        let shard = try #require(Shard(index: k, count: parts))
        let indices = try plan.selectedIndices(in: shard)
        #expect(Array(indices).count == indices.count)
        #expect(abs(indices.count - whole.count / parts) <= 1)
        union += indices
      }
      #expect(union.sorted() == whole, "\(strategy) in \(parts) parts")
    }
  }

  @Test func parsesShards() {
    #expect(Shard(parsing: "3/8") == Shard(index: 3, count: 8))
    #expect(Shard(parsing: "0/8") == nil)
    #expect(Shard(parsing: "9/8") == nil)
    #expect(Shard(parsing: "1/0") == nil)
    #expect(Shard(parsing: "x") == nil)
    #expect(Shard(parsing: "1/2/3") == nil)
  }

  @Test func randomSamplesAreSeededDistinctAndSorted() throws {
    let plan = SweepPlan(
      name: "t", studies: [Self.study], strategy: .random(count: 30, seed: 42))
    let first = Array(try plan.selectedIndices(in: .whole))
    let again = Array(try plan.selectedIndices(in: .whole))
    #expect(first == again)
    #expect(first.count == 30)
    #expect(first == first.sorted())
    #expect(Set(first).count == 30)
    #expect(first.allSatisfy { (0..<72).contains($0) })
    let other = SweepPlan(
      name: "t", studies: [Self.study], strategy: .random(count: 30, seed: 43))
    #expect(Array(try other.selectedIndices(in: .whole)) != first)
    // Asking for more than there are gives them all.
    let all = SweepPlan(
      name: "t", studies: [Self.study], strategy: .random(count: 1000, seed: 1))
    #expect(Array(try all.selectedIndices(in: .whole)) == Array(0..<72))
  }

  @Test func overflowingGridsAreRefused() {
    let huge = HardwareAxis(
      parameter: .clock, values: Array(repeating: 1, count: 1 << 20))
    let study = Study(
      models: ["m"], devices: ["d"], hardwareAxes: [huge, huge, huge, huge])
    #expect(throws: SweepPlanError.tooManyPoints) {
      try SweepPlan(name: "t", studies: [study]).totalCount()
    }
  }
}
