import FixedPointArithmetic
import NetworkGraph
import PrecisionModel

/// A run of one batch under the plan a sweep varies around (its calibrated
/// plan), fingerprinted at every node boundary of every chunk of samples,
/// so that a point's run can stop as soon as its live tensors become those
/// of this run.
///
/// A point that changes layer k runs the nodes from k on; once the nodes
/// still to run are prepared alike in both executors
/// (``FixedPointExecutor/convergence(from:)``) and its live tensors at a
/// boundary equal this run's at the same boundary, the rest of its run is
/// this run's rest, so its outputs are this run's outputs. The fingerprint
/// (``StateDigest``) only selects the boundaries worth comparing: a match
/// is confirmed by running the reference plan from the point's own state
/// before k to that boundary and comparing every live tensor, raw for raw,
/// so the outputs are those of a whole run of the point bit for bit.
///
/// ```swift
/// let reference = try SuffixReference(executor: base, input: batch, ranges: chunks)
/// reference.outputs        // the base plan's graph outputs
/// ```
public struct SuffixReference: Sendable {
  /// The executor of the reference plan.
  public let executor: FixedPointExecutor
  /// The chunks of the batch, as ``PrefixCache/chunkRanges(_:)`` gives them.
  let ranges: [Range<Int>]
  /// For each chunk, the digest of the live tensors at each position
  /// (index p: before node p; the last index is the node count).
  let digests: [[UInt64]]
  /// For each chunk, the graph outputs.
  let chunkOutputs: [[TensorValue]]
  /// The graph outputs of the whole batch.
  public let outputs: [TensorValue]

  /// Runs `executor` on every chunk of `input`, one chunk per core.
  ///
  /// - Returns: `nil` when a chunk fails (the caller's whole-batch run
  ///   reports the error) or the chunks' outputs do not join.
  public init?(
    executor: FixedPointExecutor, input: FloatTensor, ranges: [Range<Int>]
  ) {
    var single = executor
    if ranges.count > 1 { single.concurrency = 1 }
    let runner = single
    let pieces = Parallel.map(ranges.count) {
      index -> (digests: [UInt64], outputs: [TensorValue])? in
      let range = ranges[index]
      do throws(ExecutionError) {
        var state = try runner.start(
          input: ranges.count > 1 ? input.samples(range) : input,
          firstSample: range.lowerBound)
        var digest = StateDigest()
        var digests = [digest.of(state)]
        while state.position < runner.prepared.count {
          try runner.advance(&state, to: state.position + 1, fusing: true)
          digests.append(digest.of(state))
        }
        let outputs = try runner.finish(state)
        guard
          ranges.count == 1
            || outputs.allSatisfy({ $0.shape.first == range.count })
        else { return nil }
        return (digests, outputs)
      } catch {
        return nil
      }
    }
    var digests: [[UInt64]] = []
    var outputs: [[TensorValue]] = []
    for piece in pieces {
      guard let piece else { return nil }
      digests.append(piece.digests)
      outputs.append(piece.outputs)
    }
    guard
      let joined = outputs.count == 1
        ? outputs[0] : TensorValue.joiningChunks(outputs)
    else { return nil }
    self.executor = executor
    self.ranges = ranges
    self.digests = digests
    self.chunkOutputs = outputs
    self.outputs = joined
  }

  /// Continues a point's run of chunk `chunk` from its state before the
  /// first node where it departs from the reference plan, comparing its
  /// live tensors with the reference run's at each boundary from `from`
  /// on.
  ///
  /// - Parameters:
  ///   - runner: The point's executor (one core).
  ///   - state: The point's state, at or before `departure`; on return,
  ///     where the run stopped.
  ///   - from: The first boundary after which both executors run the
  ///     same nodes (``FixedPointExecutor/convergence(from:)``).
  ///   - departure: The first node where the point's precision departs
  ///     from the reference plan's
  ///     (``FixedPointExecutor/firstDifference(from:)-(FixedPointExecutor)``).
  ///   - chunk: The chunk's index in ``ranges``.
  /// - Returns: The reference run's outputs of the chunk and the boundary
  ///   where the live tensors met, or `nil` (the state is then at the end
  ///   of the network).
  /// - Throws: Any error of the nodes run.
  func converge(
    _ runner: FixedPointExecutor, state: inout FixedPointState, from: Int,
    departure: Int, chunk: Int
  ) throws(ExecutionError) -> (outputs: [TensorValue], at: Int)? {
    let count = runner.prepared.count
    guard chunk < digests.count, from < count, state.position <= departure
    else { return nil }
    var base = executor
    base.concurrency = runner.concurrency
    // The reference plan's state, advanced only to boundaries whose digest
    // matches (the point's state before it departs is the reference's).
    var reference = state
    var digest = StateDigest()
    while state.position < count {
      if state.position >= from,
        digest.of(state) == digests[chunk][state.position]
      {
        try base.advance(&reference, to: state.position, fusing: true)
        if reference.position == state.position,
          reference.values == state.values,
          reference.clamped.intersection(reference.values.keys)
            == state.clamped.intersection(state.values.keys)
        {
          return (chunkOutputs[chunk], state.position)
        }
      }
      try runner.advance(&state, to: state.position + 1, fusing: true)
    }
    return nil
  }
}

extension FixedPointExecutor {
  /// The first boundary from which this executor and `other` (of the same
  /// network) run the same nodes.
  ///
  /// Every later node has the same resolved layer, the same formats of its
  /// inputs and outputs and the same fused clamp, so equal live tensors
  /// there give equal outputs. The node count when the last node differs
  /// (or the seeds do); 0 when no node differs.
  public func convergence(from other: FixedPointExecutor) -> Int {
    let count = prepared.count
    guard other.prepared.count == count, precision.seed == other.precision.seed
    else { return count }
    var position = count
    while position > 0 {
      let node = prepared[position - 1].node
      let name = node.name
      let same =
        other.prepared[position - 1].node.name == name
        && precision.layers[name] == other.precision.layers[name]
        && fusedClamps[position - 1] == other.fusedClamps[position - 1]
        && (node.inputs + node.outputs).allSatisfy {
          precision.tensorFormats[$0] == other.precision.tensorFormats[$0]
        }
      guard same else { break }
      position -= 1
    }
    return position
  }
}

/// A fast fingerprint of a run's live tensors: names, formats, shapes and
/// every raw or float bit, with each tensor's part computed once (a tensor
/// never changes after its producer made it).
///
/// Equal states give equal digests; unequal states almost always differ,
/// and a caller confirms a match by comparing the tensors themselves.
struct StateDigest {
  private var tensors: [String: UInt64] = [:]

  /// The digest of a state's live tensors and of which of them were
  /// clamped by their producer.
  mutating func of(_ state: FixedPointState) -> UInt64 {
    var total: UInt64 = 0x9E37_79B9_7F4A_7C15
    var live: [String: UInt64] = [:]
    for (name, value) in state.values {
      let part = tensors[name] ?? Self.digest(value)
      live[name] = part
      // Order-independent: the dictionary's order is not the same in two
      // states.
      var mixed = Self.mix(Self.digest(name) ^ part)
      if state.clamped.contains(name) { mixed = Self.mix(mixed ^ 0x5F) }
      total &+= mixed
    }
    tensors = live
    return Self.mix(total ^ UInt64(state.position))
  }

  /// A tensor's digest: its kind, format, shape and values.
  static func digest(_ value: TensorValue) -> UInt64 {
    var hash: UInt64
    switch value {
    case .fixed(let tensor):
      let format = tensor.format
      let fl = UInt64(bitPattern: Int64(format.fractionalLength))
      let flags: UInt64 =
        (format.isSigned ? 1 : 0) | (format.isSymmetric ? 2 : 0)
      hash = mix(UInt64(format.bits) << 40 ^ fl << 8 ^ flags)
      hash = tensor.raws.withUnsafeBufferPointer {
        lanes($0, seed: hash) { UInt64(bitPattern: $0) }
      }
    case .float(let tensor):
      hash = tensor.values.withUnsafeBufferPointer {
        lanes($0, seed: 0xF1_0A7) { UInt64($0.bitPattern) }
      }
    }
    for dimension in value.shape {
      hash = mix(hash ^ UInt64(bitPattern: Int64(dimension)))
    }
    return hash
  }

  /// Four independent multiply–xor lanes over the elements, folded.
  static func lanes<T>(
    _ values: UnsafeBufferPointer<T>, seed: UInt64, _ bits: (T) -> UInt64
  ) -> UInt64 {
    let prime: UInt64 = 0x1000_0000_01B3
    var a = seed ^ 0x243F_6A88_85A3_08D3
    var b = seed ^ 0x1319_8A2E_0370_7344
    var c = seed ^ 0xA409_3822_299F_31D0
    var d = seed ^ 0x082E_FA98_EC4E_6C89
    var index = 0
    let count = values.count
    while index + 4 <= count {
      a = (a ^ bits(values[index])) &* prime
      b = (b ^ bits(values[index + 1])) &* prime
      c = (c ^ bits(values[index + 2])) &* prime
      d = (d ^ bits(values[index + 3])) &* prime
      index += 4
    }
    while index < count {
      a = (a ^ bits(values[index])) &* prime
      index += 1
    }
    return mix(mix(mix(a ^ UInt64(count)) ^ b) ^ mix(c ^ mix(d)))
  }

  /// A name's digest (FNV-1a over its UTF-8 bytes).
  static func digest(_ name: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in name.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x1000_0000_01B3
    }
    return hash
  }

  /// A 64-bit finaliser (SplitMix64's).
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
