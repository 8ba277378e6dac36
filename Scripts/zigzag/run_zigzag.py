"""Runs ZigZag (zigzag-dse 3.9.1) on its own tpu_like example and ResNet-18 and prints the
energy per memory level, the MAC energy and the latency as JSON (developer script; EdgeSim
itself needs no Python). Used by Scripts/zigzag/compare.sh.

    python3 run_zigzag.py OUT.json
"""

import json
import logging
import os
import sys

import zigzag
from zigzag.api import get_hardware_performance_zigzag

logging.disable(logging.CRITICAL)
root = os.path.dirname(zigzag.__file__)
inputs = os.path.join(root, "inputs")
energy, latency, cmes = get_hardware_performance_zigzag(
    workload=os.path.join(inputs, "workload", "resnet18.onnx"),
    accelerator=os.path.join(inputs, "hardware", "tpu_like.yaml"),
    mapping=os.path.join(inputs, "mapping", "tpu_like.yaml"),
    opt="latency",
    dump_folder=os.path.join(os.environ.get("TMPDIR", "/tmp"), "zigzag-out"),
    loma_show_progress_bar=False,
)
total = cmes[0][0]
# Each layer operand's levels, innermost first, in tpu_like (memory_operand_links: W -> I2,
# I -> I1, O -> O): weights rf_128B, dram; inputs sram_2MB, dram; outputs rf_2B, sram_2MB, dram.
names = {"W": ["rf_128B", "dram"], "I": ["sram_2MB", "dram"], "O": ["rf_2B", "sram_2MB", "dram"]}
levels: dict[str, float] = {}
by_operand: dict[str, dict[str, float]] = {}
for operand, energies in total.mem_energy_breakdown.items():
    key = str(operand)
    for name, joules in zip(names.get(key, [f"{key}{i}" for i in range(len(energies))]), energies):
        levels[name] = levels.get(name, 0.0) + joules * 1e-12
        by_operand.setdefault(key, {})[name] = joules * 1e-12
layers = []
for cme, _ in cmes[0][1]:
    layers.append({"name": str(cme.layer), "energy_j": cme.energy_total * 1e-12, "cycles": cme.latency_total2})
result = {
    "tool": f"zigzag {getattr(zigzag, '__version__', '3.9.1')}",
    "energy_j": energy * 1e-12,
    "cycles": latency,
    "mac_j": total.mac_energy * 1e-12,
    "levels_j": levels,
    "by_operand_j": by_operand,
    "layers": layers,
}
json.dump(result, open(sys.argv[1], "w"), indent=1)
