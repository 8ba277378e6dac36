import DesignSpace
import Diagnostics
import PrecisionModel
import Yams

/// Reads a study's `accuracy` mapping: where top-1 is measured.
///
/// ```yaml
/// accuracy:
///   evaluation: {data: ../digits/test-images.npy, labels: ../digits/test-labels.npy, samples: 140..539}
///   calibration: {data: ../digits/test-images.npy, samples: 0..139}   # optional
///   method: qiu                                                        # optional: qiu, ristretto, static
/// ```
enum AccuracyReader {
  static func read(_ accuracy: MappingReader) -> AccuracySpec? {
    let document = accuracy.document
    let method = accuracy.choice("method", as: CalibrationMethod.self)
    let badMethod = accuracy.has("method") && method == nil
    accuracy.allow(["calibration"])
    guard
      let evaluation = accuracy.mapping(
        "evaluation", required: true,
        hint: "write evaluation: {data: images.npy, labels: labels.npy}")
    else { return nil }
    defer { evaluation.finish() }
    let data = evaluation.string(
      "data", required: true, hint: "a float32 .npy of samples [N, …]")
    let labels = evaluation.string(
      "labels", required: true, hint: "an integer .npy of N class labels")
    let samples = samplesRange(evaluation, document: document)
    var calibrationData: String?
    var calibrationSamples: ClosedRange<Int>?
    var failed = badMethod || (evaluation.has("samples") && samples == nil)
    if let calibration = accuracy.mapping("calibration") {
      calibrationData = calibration.string("data")
      calibrationSamples = samplesRange(calibration, document: document)
      if calibration.has("samples"), calibrationSamples == nil { failed = true }
      if calibration.has("data"), calibrationData == nil { failed = true }
      calibration.finish()
    } else if accuracy.has("calibration") {
      failed = true
    }
    guard let data, let labels, !failed else { return nil }
    return AccuracySpec(
      data: data, labels: labels, samples: samples,
      calibrationData: calibrationData,
      calibrationSamples: calibrationSamples, method: method ?? .qiu)
  }

  /// `samples`: `N` (the first N) or `A..B` (samples A through B, counted
  /// from 0, both included).
  static func samplesRange(_ reader: MappingReader, document: YAMLDocument)
    -> ClosedRange<Int>?
  {
    guard let node = reader.value("samples") else { return nil }
    let hint =
      "write samples: 100 (the first 100) or samples: 100..539 (from 0, both ends included)"
    guard case .scalar(let scalar) = node else {
      document.error(
        "'samples' must be a number or a range, but is \(node.kindPhrase)",
        at: node, hint: hint)
      return nil
    }
    let text = scalar.string.trimmingCharacters(in: .whitespaces)
    if let count = Int(text) {
      guard count >= 1 else {
        document.error(
          "'samples' must be at least 1, but is \(count)", at: node, hint: hint)
        return nil
      }
      return 0...(count - 1)
    }
    let ends = text.components(separatedBy: "..")
    guard ends.count == 2, let low = Int(ends[0]), let high = Int(ends[1])
    else {
      document.error(
        "'samples' must be N or A..B, but is '\(text.prefix(40))'", at: node,
        hint: hint)
      return nil
    }
    guard low >= 0, low <= high else {
      document.error(
        "'samples' \(low)..\(high) is empty or negative", at: node, hint: hint)
      return nil
    }
    return low...high
  }
}
