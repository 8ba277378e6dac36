import HardwareModel
import Mapping
import PrecisionModel

/// What a layer's simulation knows before any mapping: its widths, rate,
/// DRAM coding and whether its inputs are on chip.
struct PreparedLayer {
  var widths: LayerWidths
  var bits: OperandBits
  var rate: ExecutionRate
  var efficiency: Double
  /// Whether every input of the nest's input operand is on chip.
  var inputsOnChip: Bool
  /// Whether an attention MatMul's second activation is on chip.
  var secondOperandOnChip: Bool
  var outputBits: Double
  var dram: DRAMScale
}

/// The contexts a layer with work is evaluated in: the one that keeps its
/// output on chip when it may, else the base one.
struct LayerContexts {
  var base: LayerContext
  var keeping: LayerContext?
  /// The bits the output takes on chip when kept (one band's, if banded).
  var keptBits: Double
  var band: RowBand?
}

extension RunEngine {
  /// Everything `simulate` reads before it maps `layer`.
  func prepare(_ layer: Layer) throws -> PreparedLayer {
    let widths = try widths(of: layer)
    // Attention's MatMuls: the second operand is an activation.
    let bits = OperandBits(
      weights: layer.weightOperandIsActivation
        ? widths.inputBits : widths.weightBits,
      inputs: widths.inputBits,
      outputs: widths.outputBits,
      partialSumBits: widths.accumulatorBits)
    let rate: ExecutionRate
    switch ExecutionRate.resolve(widths, on: device) {
    case .success(let r): rate = r
    case .failure(var failure):
      failure.layer = layer.name
      throw failure
    }
    let efficiency =
      layer.operatorClass.flatMap { device.efficiency[$0]?.value } ?? 1
    // An attention MatMul's second activation is the nest's weight
    // operand: on chip when its producer kept it there.
    let operandInputs =
      layer.weightOperandIsActivation
      ? Array(layer.inputs.prefix(1)) : layer.inputs
    let inputsOnChip =
      !operandInputs.isEmpty
      && operandInputs.allSatisfy { resident[$0.name] != nil }
    let secondOperandOnChip =
      layer.weightOperandIsActivation && layer.inputs.count >= 2
      && resident[layer.inputs[1].name] != nil
    return PreparedLayer(
      widths: widths, bits: bits, rate: rate, efficiency: efficiency,
      inputsOnChip: inputsOnChip, secondOperandOnChip: secondOperandOnChip,
      outputBits: Double(layer.output.elements) * Double(bits.outputs),
      dram: try dramScale(of: layer, bits: bits))
  }

  /// A view layer's effect on residency: a Concat of tensors on chip is on
  /// chip; its inputs are released.
  mutating func advance(pastView layer: Layer, inputsOnChip: Bool) {
    if layer.opType == "Concat", inputsOnChip, layer.fusedInto == nil {
      let total = layer.inputs.reduce(0.0) { $0 + (resident[$1.name] ?? 0) }
      release(after: layer)
      resident[layer.output.name] = total
    } else {
      release(after: layer)
    }
  }

  /// The contexts a layer with work is evaluated in, given the run's
  /// residency now.
  func contexts(of layer: Layer, prepared: PreparedLayer) -> LayerContexts {
    var base = LayerContext(
      layer: layer, widths: prepared.widths, bits: prepared.bits,
      rate: prepared.rate, efficiency: prepared.efficiency,
      resident: residentWeights.contains(layer.name)
        || prepared.secondOperandOnChip
        ? [.weights] : [],
      reservedBits: reservedBits,
      dram: prepared.dram, computeShare: zeroShares(of: layer).cycles)
    if prepared.inputsOnChip || plan.homeOnChip[.inputs] == true {
      base.resident.insert(.inputs)
    }
    let mustKeep = plan.homeOnChip[.outputs] == true
    // An output too large for the resident level stays on it in row bands
    // where the level declares them (``outputBand(of:outputBits:)``).
    let band = outputBand(of: layer, outputBits: prepared.outputBits)
    let keptBits = band?.bits ?? prepared.outputBits
    let mayKeep =
      layer.fusedInto == nil && plan.residentLevel != nil
      && (mustKeep
        || (options.keepOutputsOnChip
          && !graphOutputs.contains(layer.output.name)))
      && reservedBits + keptBits <= (plan.residentLevel?.bits ?? 0)
    var keeping: LayerContext?
    if mayKeep {
      var context = base
      context.resident.insert(.outputs)
      context.reservedBits += keptBits
      context.computeShare *= band?.recompute ?? 1
      keeping = context
    }
    return LayerContexts(
      base: base, keeping: keeping, keptBits: keptBits, band: band)
  }

  /// The MAC layers' mapping searches the run will ask for from here on,
  /// in the order it asks, predicted by walking the layers' residency as
  /// `simulate` does on the assumption that every mapping succeeds.
  ///
  /// A mapping that fails (no tile fits beside a kept output) changes the
  /// residency after it, so a later prediction can be wrong; a consumer
  /// must use a prediction only for an exactly equal key. Stops at the
  /// first layer `simulate` would refuse.
  func predictedSearches() -> [(key: MACEvaluationKey, context: LayerContext)] {
    var walk = self
    var searches: [(key: MACEvaluationKey, context: LayerContext)] = []
    for layer in layers {
      guard let prepared = try? walk.prepare(layer) else { break }
      if case .view = layer.work {
        walk.advance(pastView: layer, inputsOnChip: prepared.inputsOnChip)
        continue
      }
      let contexts = walk.contexts(of: layer, prepared: prepared)
      let context: LayerContext
      if let keeping = contexts.keeping {
        context = keeping
      } else {
        if plan.homeOnChip[.outputs] == true, layer.fusedInto == nil {
          guard
            (try? walk.keep(
              layer.output.name, bits: prepared.outputBits, layer: layer.name))
              != nil
          else { break }
        }
        context = contexts.base
      }
      if case .mac(let nest) = layer.work {
        searches.append(
          (MACEvaluationKey(context, nest: nest, plan: plan), context))
      }
      walk.release(after: layer)
      if contexts.keeping != nil {
        walk.resident[layer.output.name] = contexts.keptBits
      }
    }
    return searches
  }
}
