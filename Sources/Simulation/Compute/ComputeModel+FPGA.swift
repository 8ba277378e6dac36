import HardwareModel
import Mapping

extension ComputeModel {
  /// An FPGA accelerator built of DSP slices.
  ///
  /// With an `organisation` (Qiu et al., FPGA 2016: processing elements,
  /// each with convolvers of k×k multipliers and an adder tree): a
  /// convolver computes one k×k window per cycle (a larger kernel takes
  /// ⌈R/k⌉·⌈S/k⌉ passes, a smaller one leaves multipliers idle), the
  /// convolvers of a PE take different input channels (summed by the adder
  /// tree) and PEs take different output channels. When operand packing
  /// gives more multipliers than the organisation needs (two int8 MACs per
  /// DSP48), the organisation is replicated over output channels.
  /// Depthwise layers spread channels over every convolver. One window per
  /// convolver per cycle is that organisation's model of operand delivery,
  /// so the engine does not time the datapath's on-chip accesses again.
  ///
  /// Without one: `U = slices × MACs per slice` multipliers unrolled as
  /// Tm output × Tn input channels (Zhang et al., FPGA 2015), the split
  /// chosen per layer among powers of two for Tn; depthwise layers unroll
  /// channels.
  static func fpga(
    nest: LoopNest, dsp: DSPArray, macsPerDSP: Double, depthwise: Bool
  ) -> ComputeEstimate {
    let multipliers = max(
      1, Int(saturating: (Double(dsp.dspSlices) * macsPerDSP).rounded(.down)))
    let macs = Double(nest.macs ?? Int.max)
    let outputs = nest.elements(.outputs)
    let pixels =
      Double(nest.groups) * Double(nest.batch) * Double(nest.outputRows)
      * Double(nest.outputColumns)
    let peak = Double(dsp.dspSlices) * macsPerDSP
    if let org = dsp.organisation, org.multipliers > 0 {
      let k = max(1, org.kernel)
      let replicas = max(1, multipliers / org.multipliers)
      let pes = org.processingElements * replicas
      let convolvers = max(1, org.convolversPerPE)
      let windows = Double(
        ceilDiv(nest.kernelRows, k) * ceilDiv(nest.kernelColumns, k))
      let channelSteps: Double
      if depthwise {
        channelSteps =
          Double(ceilDiv(nest.groups, pes * convolvers)) / Double(nest.groups)
      } else {
        channelSteps = Double(
          ceilDiv(nest.outputChannels, pes)
            * ceilDiv(nest.inputChannels, convolvers))
      }
      let cycles = pixels * windows * channelSteps
      let unrolling = SpatialUnrolling(
        axes: [
          SpatialAxis(
            name: "pes", size: pes,
            factors: depthwise
              ? [.g: min(pes, nest.groups)]
              : [.m: min(pes, nest.outputChannels)]),
          SpatialAxis(
            name: "convolvers", size: convolvers,
            factors: depthwise ? [:] : [.c: min(convolvers, nest.inputChannels)]
          ),
          SpatialAxis(
            name: "window", size: k * k,
            factors: [
              .r: min(k, nest.kernelRows), .s: min(k, nest.kernelColumns),
            ]),
        ],
        utilization: macs / max(1, cycles * Double(org.multipliers * replicas)))
      let accumulations =
        depthwise
        ? windows : Double(ceilDiv(nest.inputChannels, convolvers)) * windows
      return ComputeEstimate(
        cycles: cycles, unrolling: unrolling, peakMACsPerCycle: peak,
        reads: [
          .weights: macs / Double(max(1, min(k, nest.outputColumns))),
          .inputs: macs / unrolling.reuse(of: .inputs),
          .outputs: outputs * (accumulations - 1),
        ],
        writes: [.weights: 0, .inputs: 0, .outputs: outputs * accumulations],
        deliversOperands: true)
    }
    let (mDim, cDim) =
      depthwise ? (nest.groups, 1) : (nest.outputChannels, nest.inputChannels)
    var best: (tm: Int, tn: Int, steps: Double)?
    var tn = 1
    while tn <= multipliers {
      let tm = max(1, multipliers / tn)
      let steps = Double(ceilDiv(mDim, tm)) * Double(ceilDiv(cDim, tn))
      if best == nil || steps < (best?.steps ?? .infinity) {
        best = (tm, tn, steps)
      }
      if tn >= cDim { break }
      tn *= 2
    }
    let (tm, tnChosen, steps) = best ?? (multipliers, 1, Double(mDim))
    let temporalGroups = depthwise ? 1.0 : Double(nest.groups)
    let cycles =
      temporalGroups * Double(nest.batch) * Double(nest.outputRows)
      * Double(nest.outputColumns)
      * Double(nest.kernelRows * nest.kernelColumns) * steps
    let unrolling = SpatialUnrolling(
      axes: [
        SpatialAxis(
          name: "tm", size: tm,
          factors: depthwise ? [.g: min(tm, mDim)] : [.m: min(tm, mDim)]),
        SpatialAxis(
          name: "tn", size: tnChosen,
          factors: depthwise ? [:] : [.c: min(tnChosen, cDim)]),
      ], utilization: macs / max(1, cycles * Double(multipliers)))
    let accumulations = Double(ceilDiv(cDim, tnChosen))
    return ComputeEstimate(
      cycles: cycles, unrolling: unrolling, peakMACsPerCycle: peak,
      reads: [
        .weights: macs / Double(max(1, min(nest.outputColumns, 1))),
        .inputs: macs / unrolling.reuse(of: .inputs),
        .outputs: outputs * (accumulations - 1),
      ],
      writes: [.weights: 0, .inputs: 0, .outputs: outputs * accumulations])
  }
}
