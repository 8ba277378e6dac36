import Diagnostics

extension Device {
  /// Checks the rules that span fields: every problem, not just the first.
  ///
  /// Rules:
  /// - the memory list is non-empty, names are unique, only the first level
  ///   may be off-chip, and on-chip capacity does not grow inward (levels
  ///   are listed from the backing store inward);
  /// - every operand (weights, inputs, outputs) is held by some level;
  /// - a per-operand partition only names operands the level holds;
  /// - MAC rates fit the SIMD width (cpu, mcu) or the ALUs (gpu);
  /// - MAC energies are given only for precisions the device runs;
  /// - an FPGA design fits its part: DSP slices, block RAM and LUTs, with
  ///   the excess stated; its convolver organisation fits its DSP slices;
  /// - every figure lies within ``DeviceLimits``.
  ///
  /// The returned diagnostics carry paths into the document
  /// (`memory[2].size`), which the reader turns into file positions.
  ///
  /// - Returns: Every problem found, in document order.
  public func validate() -> [PathDiagnostic] {
    var problems: [PathDiagnostic] = []
    problems += validateRanges()
    problems += validateMemory()
    problems += validateCompute()
    problems += validateFabric()
    problems += validateRuntime()
    return problems
  }

  /// A `runtime` block times a processor's operators and replaces
  /// `efficiency`; on an accelerator it declares only `dispatch`.
  private func validateRuntime() -> [PathDiagnostic] {
    guard runtime != nil else { return [] }
    switch compute.organisation {
    case .vector, .shader:
      if !efficiency.isEmpty {
        return [
          .error(
            "a device with a 'runtime' block is timed by its kernel model; 'efficiency' would not apply",
            at: ["efficiency"],
            hint:
              "drop the 'efficiency' block (the runtime's 'dense', 'depthwise' and 'memory' fractions replace it)"
          )
        ]
      }
      return []
    case .array, .dsp:
      // An accelerator's array times its arithmetic and data movement; its
      // runtime adds only a fixed time per layer.
      return RuntimeParameter.allCases.compactMap { parameter in
        guard parameter != .dispatch, runtime?.parameters[parameter] != nil
        else { return nil }
        return .error(
          "'\(parameter.rawValue)' describes a processor's kernels (kind cpu, gpu or mcu); the runtime of kind \(kind.rawValue) declares only 'dispatch', its fixed time per layer",
          at: ["runtime", parameter.rawValue],
          hint:
            "remove '\(parameter.rawValue)' (the array models the arithmetic and data movement), or use 'efficiency' factors"
        )
      }
    }
  }

  private func validateMemory() -> [PathDiagnostic] {
    var problems: [PathDiagnostic] = []
    if memory.isEmpty {
      problems.append(
        .error(
          "the memory hierarchy is empty", at: ["memory"],
          hint:
            "list at least the backing store (dram, flash or link) and one on-chip level"
        ))
      return problems
    }
    var seen: [String: Int] = [:]
    for (index, level) in memory.enumerated() {
      if let first = seen[level.name] {
        problems.append(
          .error(
            "duplicate memory level name '\(level.name)'",
            at: ["memory", index, "name"],
            hint:
              "level \(first) already uses this name; give each level its own"))
      } else {
        seen[level.name] = index
      }
      if index > 0, level.kind.isOffChip {
        problems.append(
          .error(
            "memory levels out of order: off-chip level '\(level.name)' (\(level.kind.rawValue)) is listed after on-chip levels",
            at: ["memory", index, "kind"],
            hint:
              "list the backing store (dram, flash or link) first, then on-chip levels inward"
          ))
      }
      if case .partitioned(let parts) = level.capacity {
        for operand in parts.keys.sorted() where !level.holds.contains(operand)
        {
          problems.append(
            .error(
              "level '\(level.name)' has a size for \(operand.rawValue) but does not hold \(operand.rawValue)",
              at: ["memory", index, "holds"],
              hint:
                "add \(operand.rawValue) to holds, or remove its partition from size"
            ))
        }
      }
    }
    // On-chip capacity must not grow inward.
    var outer: (index: Int, level: MemoryLevel, bytes: Double)?
    for (index, level) in memory.enumerated() where !level.kind.isOffChip {
      guard let bytes = level.totalBytes else { continue }
      if let previous = outer, bytes > previous.bytes {
        problems.append(
          .error(
            "memory levels out of order: '\(level.name)' (\(describe(bytes)) in all) is larger than '\(previous.level.name)' (\(describe(previous.bytes)) in all), which is listed outside it",
            at: ["memory", index, "size"],
            hint:
              "list levels from the backing store inward, each no larger than the one before; size and bandwidth are per instance, times instances"
          ))
      }
      outer = (index, level, bytes)
    }
    for operand in Operand.allCases where home(of: operand) == nil {
      problems.append(
        .error(
          "operand '\(operand.rawValue)' has no home: no memory level holds it",
          at: ["memory"],
          hint:
            "add \(operand.rawValue) to the holds list of the backing store (or omit holds there: it defaults to all operands)"
        ))
    }
    return problems
  }

  private func validateCompute() -> [PathDiagnostic] {
    var problems: [PathDiagnostic] = []
    for precision in compute.macEnergy.keys.sorted()
    where compute.macsPerCycle[precision] == nil {
      problems.append(
        .error(
          "mac_energy is given for \(precision.rawValue), which the device does not compute in",
          at: ["compute", "mac_energy", precision.rawValue],
          hint:
            "add \(precision.rawValue) to macs_per_cycle, or remove it here; precisions run: \(compute.precisions.map(\.rawValue).joined(separator: ", "))"
        ))
    }
    let rateKey = kind == .fpga ? "macs_per_dsp" : "macs_per_cycle"
    switch compute.organisation {
    case .vector(let cores):
      for precision in compute.precisions {
        let capacity = Double(
          cores.pipes * cores.simdWidthBits / precision.bits)
        if let rate = compute.macsPerCycle[precision], rate > capacity {
          problems.append(
            .error(
              "\(rate.compact) \(precision.rawValue) MACs per cycle exceed what \(cores.pipes) × \(cores.simdWidthBits)-bit SIMD pipes can do (\(capacity.compact)) by \((rate - capacity).compact)",
              at: ["compute", rateKey, precision.rawValue],
              hint:
                "a core does at most pipes × simd_width / bits MACs per cycle; check simd_width and pipes"
            ))
        }
      }
    case .shader(let shader):
      for precision in compute.precisions {
        let capacity = Double(shader.alusPerCore * 32 / precision.bits)
        if let rate = compute.macsPerCycle[precision], rate > capacity {
          problems.append(
            .error(
              "\(rate.compact) \(precision.rawValue) MACs per cycle per core exceed \(shader.alusPerCore) fp32 ALUs packed at \(precision.bits) bits (\(capacity.compact)) by \((rate - capacity).compact)",
              at: ["compute", rateKey, precision.rawValue],
              hint:
                "a shader core does at most alus_per_core × 32 / bits MACs per cycle"
            ))
        }
      }
    case .array, .dsp:
      break
    }
    return problems
  }

  private func validateFabric() -> [PathDiagnostic] {
    var problems: [PathDiagnostic] = []
    guard case .dsp(let dsp) = compute.organisation else { return problems }
    guard let fabric else {
      problems.append(
        .error(
          "an fpga device needs a fabric section with the part's budget",
          at: [],
          hint: "add fabric: {part: XC7Z045, dsp: 900, bram_36k: 545}"))
      return problems
    }
    if dsp.dspSlices > fabric.dsp {
      let over = dsp.dspSlices - fabric.dsp
      problems.append(
        .error(
          "the design needs \(dsp.dspSlices) DSP slices but \(fabric.part) has \(fabric.dsp): over by \(over) (\(percent(over, of: fabric.dsp)))",
          at: ["compute", "dsp_slices"],
          hint: "use at most \(fabric.dsp) DSP slices, or a larger part"))
    }
    if let organisation = dsp.organisation {
      let perDSP = compute.macsPerCycle.values.max() ?? 1
      let available = Double(dsp.dspSlices) * perDSP
      if Double(organisation.multipliers) > available {
        problems.append(
          .error(
            "the organisation needs \(organisation.multipliers) multipliers (\(organisation.processingElements) PEs × \(organisation.convolversPerPE) convolvers × \(organisation.kernel)×\(organisation.kernel)) but \(dsp.dspSlices) DSP slices give \(available.compact): over by \((Double(organisation.multipliers) - available).compact)",
            at: ["compute", "organisation"],
            hint:
              "reduce processing_elements or convolvers_per_pe, or raise dsp_slices"
          ))
      }
    }
    var blocks = 0
    var firstBRAM: Int?
    for (index, level) in memory.enumerated() where level.kind == .bram {
      firstBRAM = firstBRAM ?? index
      let perInstance =
        (level.capacity.totalBytes ?? 0) / FPGAFabric.bram36Bytes
      blocks = Int(
        saturating: Double(blocks) + perInstance.rounded(.up)
          * Double(level.instances))
    }
    if let firstBRAM, blocks > fabric.bram36k {
      let over = blocks - fabric.bram36k
      problems.append(
        .error(
          "block RAM levels need \(blocks) BRAM36 blocks but \(fabric.part) has \(fabric.bram36k): over by \(over) blocks (\(percent(over, of: fabric.bram36k)), \(describe(Double(over) * FPGAFabric.bram36Bytes)))",
          at: ["memory", firstBRAM, "size"],
          hint:
            "shrink the bram levels to at most \(describe(Double(fabric.bram36k) * FPGAFabric.bram36Bytes)) in all"
        ))
    }
    if let used = fabric.usedLUT, let lut = fabric.lut, used > lut {
      problems.append(
        .error(
          "the design uses \(used) LUTs but \(fabric.part) has \(lut): over by \(used - lut) (\(percent(used - lut, of: lut)))",
          at: ["fabric", "used", "lut"], hint: "check the utilisation report"))
    }
    if let used = fabric.usedFF, let ff = fabric.ff, used > ff {
      problems.append(
        .error(
          "the design uses \(used) flip-flops but \(fabric.part) has \(ff): over by \(used - ff) (\(percent(used - ff, of: ff)))",
          at: ["fabric", "used", "ff"], hint: "check the utilisation report"))
    }
    return problems
  }

  private func describe(_ bytes: Double) -> String {
    UnitFormatter.format(Quantity(bytes, .dataSize))
  }

  private func percent(_ part: Int, of whole: Int) -> String {
    guard whole > 0 else { return "∞%" }
    return UnitFormatter.fixed(100 * Double(part) / Double(whole), decimals: 1)
      + "%"
  }
}

extension Double {
  /// The shortest faithful text for a count-like value (`780`, `2.5`).
  var compact: String { UnitFormatter.trim(self) }
}
