import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import PrecisionModel

/// The accuracy comparison of `Documentation/Quantization.md`: test top-1 on
/// the digits models for float and each precision configuration.
enum QuantizationTable {
  /// One configuration: a label and how to calibrate it.
  struct Row: Sendable {
    var label: String
    var method: CalibrationMethod
    var bits: Int
    var fcWeightBits: Int?
  }

  static let rows: [Row] = [
    Row(label: "16-bit dynamic (qiu)", method: .qiu, bits: 16),
    Row(label: "8-bit static", method: .static, bits: 8),
    Row(label: "8-bit dynamic (qiu)", method: .qiu, bits: 8),
    Row(label: "8-bit dynamic (ristretto)", method: .ristretto, bits: 8),
    Row(label: "6-bit dynamic (qiu)", method: .qiu, bits: 6),
    Row(label: "4-bit dynamic (qiu)", method: .qiu, bits: 4),
    Row(
      label: "mixed conv 8 / fc 4 (qiu)", method: .qiu, bits: 8, fcWeightBits: 4
    ),
  ]

  /// The number of test images calibration sees (the first ones).
  static let calibrationCount = 100

  /// Calibrates on the first ``calibrationCount`` test images and returns
  /// top-1 on all 540 and the calibration result.
  static func measure(
    _ row: Row, network: Network, images: FloatTensor, labels: [Int]
  )
    throws -> (top1: Double, result: CalibrationResult)
  {
    let calibration = try FloatTensor(
      shape: [calibrationCount] + Array(images.shape.dropFirst()),
      values: Array(
        images.values.prefix(
          calibrationCount * (images.values.count / images.shape[0]))))
    var layerBits: [String: LayerBits] = [:]
    if let fc = row.fcWeightBits {
      for node in network.nodes {
        switch node.op {
        case .gemm, .matMul: layerBits[node.name] = LayerBits(weight: fc)
        default: break
        }
      }
    }
    let configuration = CalibrationConfiguration(
      method: row.method, weightBits: row.bits, activationBits: row.bits,
      layerBits: layerBits)
    let result = try Calibrator.calibrate(
      network: network, data: calibration, configuration: configuration)
    let executor = try FixedPointExecutor(network: network, plan: result.plan)
    let run = try executor.run(input: images)
    let top1 = Classification.accuracy(
      run.outputs[0].floatTensor, labels: labels, k: 1)
    return (top1, result)
  }

  static func floatTop1(network: Network, images: FloatTensor, labels: [Int])
    throws -> Double
  {
    let run = try FloatExecutor(network: network).run(input: images)
    return Classification.accuracy(run.outputs[0], labels: labels, k: 1)
  }
}
