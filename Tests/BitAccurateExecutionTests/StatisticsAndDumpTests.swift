import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import Testing

/// §9 statistics and the §11 raw dump on a real model.
@Suite struct StatisticsAndDumpTests {
  @Test func signalToNoiseRules() {
    #expect(SignalToNoise(signal: 0, noise: 1) == .undefined)
    #expect(SignalToNoise(signal: 0, noise: 0) == .undefined)
    #expect(SignalToNoise(signal: 4, noise: 0) == .infinite)
    guard case .decibels(let db) = SignalToNoise(signal: 100, noise: 1) else {
      Issue.record("expected a finite ratio")
      return
    }
    #expect(abs(db - 20) < 1e-9)
    #expect(SignalToNoise(signal: 1000, noise: 1).description == "30.00 dB")
  }

  /// The error of raws against a reference, formed without a Double copy,
  /// is the one of the dequantized copy bit for bit (every sum, the mean
  /// bias, NaN and infinite references included); likewise Float32 values.
  @Test func errorsWithoutACopyAreTheCopysErrors() throws {
    let format = try QFormat(bits: 12, fractionalLength: 5)
    var raws: [Int64] = (0..<5000).map { Int64(($0 * 7919) % 4096) - 2048 }
    raws += [format.rawMin, format.rawMax, 0]
    var reference: [Float] = raws.indices.map {
      Float(($0 * 104_729) % 8191) * 0.0173 - 70.9
    }
    reference[17] = .nan
    reference[18] = .infinity
    let copied = ErrorStatistics(
      quantized: raws.map { Double($0) * format.resolution },
      reference: reference, resolution: format.resolution)
    let direct = ErrorStatistics(
      raws: raws, format: format, reference: reference)
    for (a, b) in [
      (copied.signal, direct.signal), (copied.noise, direct.noise),
      (copied.l1, direct.l1), (copied.maxAbsError, direct.maxAbsError),
      (copied.meanErrorLSB, direct.meanErrorLSB),
    ] {
      #expect(a.bitPattern == b.bitPattern)
    }
    #expect(copied.count == direct.count)
    let finite = Array(reference[20...])
    let floats = raws[20...].map { Float($0) * 0.37 }
    #expect(
      ErrorStatistics(floats: floats, reference: finite)
        == ErrorStatistics(
          quantized: floats.map { Double($0) }, reference: finite,
          resolution: 1))
  }

  /// Slices measured on the cores at once are each what a run on that
  /// slice alone measures (weights and biases with the first only), in
  /// slice order (`quantize` merges them as `run --batch-size` does).
  @Test(arguments: [1, 3, 7])
  func slicesOnTheCoresAreEachSlicesOwnStatistics(size: Int) throws {
    let network = try Fixtures.model("digits-dwsep")
    let (images, labels) = try Fixtures.testSplit()
    let count = 11
    let per = images.values.count / images.shape[0]
    let data = try FloatTensor(
      shape: [count, 1, 8, 8], values: Array(images.values.prefix(count * per)))
    let plan = try Calibrator.calibrate(
      network: network, data: data,
      configuration: CalibrationConfiguration(method: .qiu), concurrency: 1
    ).plan
    let executor = try FixedPointExecutor(
      network: network, plan: plan, concurrency: 2)
    let ranges = stride(from: 0, to: count, by: size).map {
      $0..<min(count, $0 + size)
    }
    let parallel = try executor.statistics(
      slices: ranges, of: data, labels: Array(labels.prefix(count)),
      constants: true)
    #expect(parallel.count == ranges.count)
    for (index, range) in ranges.enumerated() where index < parallel.count {
      let piece = try FloatTensor(
        shape: [range.count, 1, 8, 8],
        values: Array(
          data.values[(range.lowerBound * per)..<(range.upperBound * per)]))
      let alone = try FixedPointExecutor(
        network: network, plan: plan, concurrency: 1)
      let run = try alone.run(
        input: piece, keepWide: true, firstSample: range.lowerBound)
      let float = try FloatExecutor(network: network).run(input: piece)
      let expected = try alone.statistics(
        of: run, input: piece, float: float,
        labels: Array(labels[range]), constants: index == 0)
      #expect(parallel[index] == expected, "slice \(index)")
    }
  }

  @Test func histogramAndRangeUseAreExact() throws {
    let format = try QFormat(bits: 8, fractionalLength: 4)
    let histogram = Log2Histogram(raws: [0, 1, 16, -17, 127], format: format)
    #expect(histogram.zeros == 1)
    #expect(histogram.bins.map(\.exponent) == [-4, 0, 2])
    #expect(histogram.bins.map(\.count) == [1, 2, 1])
    #expect(histogram.windowLow == -4)
    #expect(histogram.windowHigh == 2)
  }

  /// Statistics without the constants (what `quantize` asks of every slice
  /// after the first) leave out the weight and bias statistics and change
  /// nothing else.
  @Test func statisticsWithoutConstantsDifferOnlyInConstants() throws {
    let network = try Fixtures.model("digits-dwsep")
    let input = try Fixtures.tensor(
      "Tests/Fixtures/onnxruntime/digits-dwsep/input.npy")
    let calibration = try Calibrator.calibrate(
      network: network, data: input, configuration: CalibrationConfiguration())
    let executor = try FixedPointExecutor(
      network: network, plan: calibration.plan)
    let run = try executor.run(input: input, keepWide: true)
    let float = try FloatExecutor(network: network).run(input: input)
    let all = try executor.statistics(
      of: run, input: input, float: float, labels: nil)
    let some = try executor.statistics(
      of: run, input: input, float: float, labels: nil, constants: false)
    #expect(all.layers.contains { $0.weight != nil && $0.bias != nil })
    #expect(some.layers.allSatisfy { $0.weight == nil && $0.bias == nil })
    var stripped = all
    for index in stripped.layers.indices {
      stripped.layers[index].weight = nil
      stripped.layers[index].bias = nil
    }
    stripped.bitsMoved = all.bitsMoved.filter {
      network.initializer(named: $0.key) == nil
    }
    // The total counts the constants' overflows only where they are
    // included (merging recounts it from the merged layers).
    stripped.totalOverflows =
      run.inputEvents.total
      + stripped.layers.reduce(0) { $0 + $1.totalOverflows }
    #expect(stripped == some)
  }

  @Test func digitsPlainEightBitStatistics() throws {
    let network = try Fixtures.model("digits-plain")
    let input = try Fixtures.tensor(
      "Tests/Fixtures/onnxruntime/digits-plain/input.npy")
    let labels = try Fixtures.array(
      "Tests/Fixtures/onnxruntime/digits-plain/labels.npy")
    guard case .int64(let values) = labels.values else {
      throw TestFailure(message: "labels")
    }
    let calibration = try Calibrator.calibrate(
      network: network, data: input, configuration: CalibrationConfiguration())
    let executor = try FixedPointExecutor(
      network: network, plan: calibration.plan)
    let (run, statistics) = try executor.runWithStatistics(
      input: input, labels: values.map { Int($0) })
    #expect(statistics.samples == 16)
    #expect(statistics.top1 != nil)
    #expect(statistics.top1Agreement >= 0.9)
    let convs = statistics.layers.filter { $0.opType == "Conv" }
    #expect(convs.count == 2)
    // MACs: conv1 16·8·64·9, conv2 16·16·64·72, fc 16·10·256.
    #expect(
      statistics.layers.map(\.macs).filter { $0 > 0 } == [
        73_728, 1_179_648, 40_960,
      ])
    #expect(
      statistics.macs[
        MACFormat(weightBits: 8, inputBits: 8, accumulatorBits: 32)]
        == 1_294_336)
    for layer in statistics.layers {
      if let format = layer.output.format {
        // §9's bitlength(max|raw|) + 1 is B + 1 only when R_min occurs.
        #expect(layer.output.usedBits <= format.bits + 1)
        if layer.output.maxAbsRaw < -format.rawMin {
          #expect(layer.output.headroomBits >= 0)
        }
      }
      if layer.kind == .computing {
        #expect(layer.output.local != nil)
        if case .decibels(let db)? = layer.output.endToEnd?.sqnr {
          #expect(db > 15, "\(layer.name)")
        }
      }
    }
    #expect(statistics.input.format == calibration.input)
    #expect(statistics.bitsMoved["input"] == 8 * 16 * 64)

    let entries = run.dumpEntries(executor: executor, includeConstants: true)
    #expect(entries.first?.name == "input")
    #expect(
      entries.allSatisfy { entry in
        entry.fileName.unicodeScalars.allSatisfy {
          $0.properties.isASCIIHexDigit || ("a"..."z").contains($0)
            || ("A"..."Z").contains($0)
            || "._-".unicodeScalars.contains($0)
        }
      })
    #expect(
      DumpEntry.sanitized("/conv1/Conv_output_0") == "_conv1_Conv_output_0")
    let json = DumpEntry.formatsJSON(entries)
    #expect(
      json.contains(
        "\"input\": {\"bits\": 8, \"fl\": \(calibration.input.fractionalLength), \"signed\": true}"
      ))
    // One entry per node output plus the input, weights and biases.
    #expect(entries.count == 1 + network.nodes.count + 6)
  }
}
