#!/bin/sh
# Regenerates the validation table of Documentation/Validation.md: builds the
# release binary, runs `edgesim simulate --json` for every row of
# shared/data/validation-targets.md and prints a markdown table.
#
#   Scripts/validate-devices.sh                 # calibrated devices (Hardware/*.yaml)
#   Scripts/validate-devices.sh --uncalibrated  # the same with every `efficiency` and `runtime` block removed
#
# Environment: SCRATCH (default .build) is the SwiftPM scratch path; EDGESIM,
# when set, names an already built binary and skips the build.
# python3 parses the JSON (developer script only; EdgeSim itself needs none).
set -eu
cd "$(dirname "$0")/.."
SCRATCH="${SCRATCH:-.build}"
if [ -z "${EDGESIM:-}" ]; then
  swift build -c release --scratch-path "$SCRATCH" --product edgesim >&2
  EDGESIM="$SCRATCH/release/edgesim"
fi
EDGESIM="$EDGESIM" exec python3 - "$@" <<'PY'
import json, os, re, subprocess, sys, tempfile

edgesim = os.environ["EDGESIM"]
uncalibrated = "--uncalibrated" in sys.argv[1:]
tmp = tempfile.mkdtemp(prefix="edgesim-validate-")

def device(name):
    path = f"Hardware/{name}.yaml"
    if not uncalibrated:
        return path
    text = open(path).read()
    # Drop the top-level `efficiency:` and `runtime:` blocks (keys indented
    # below them): the loop-nest model at the modelled rate.
    text = re.sub(r"(?m)^(?:efficiency|runtime):\n(?:[ \t].*\n)*", "", text)
    out = os.path.join(tmp, f"{name}.yaml")
    open(out, "w").write(text)
    return out

def run(dev, model, *args):
    cmd = [edgesim, "simulate", "--hardware", device(dev), "--model", f"Workloads/{model}.yaml",
           "--json", "--no-trace", *args]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)

def conv(summary, names=None):
    layers = [l for l in summary["layers"] if l["op"] == "Conv" and (names is None or l["name"] in names)]
    t = sum(l["latency_s"] for l in layers)
    e = sum(l["energy_j"] for l in layers)
    d = sum(l["dram_bytes"] for l in layers)
    return t, e, d

rows = []
def row(device, network, precision, batch, metric, published, edgesim, unit, fitted):
    err = (edgesim - published) / published * 100
    rows.append((device, network, precision, batch, metric, published, edgesim, unit, err, fitted))

# Eyeriss v1, AlexNet CONV1-5, batch 4 (JSSC 2017 §VI-A, Table V).
ey = run("eyeriss-v1", "alexnet-conv", "--batch", "4", "--precision", "Scripts/validation/eyeriss-16bit.yaml")
t, e, d = conv(ey)
row("eyeriss-v1", "AlexNet CONV1-5 227x227", "16-bit (16-bit psums)", 4, "latency per batch", 115.3, t * 1e3, "ms", "predicted")
row("eyeriss-v1", "AlexNet CONV1-5 227x227", "16-bit (16-bit psums)", 4, "average power", 278, e / t * 1e3, "mW", "predicted (static 0.15 W set from this row's power)")
row("eyeriss-v1", "AlexNet CONV1-5 227x227", "16-bit (16-bit psums)", 4, "DRAM traffic", 15.4, d / 1e6, "MB", "predicted")
published = {"conv1": (20.9, 332, 5.0), "conv2": (41.9, 288, 4.0), "conv3": (23.6, 266, 3.0),
             "conv4": (18.4, 235, 2.1), "conv5": (10.5, 236, 1.3)}
for name, (ms, mw, mb) in published.items():
    t, e, d = conv(ey, {name})
    row("eyeriss-v1", f"AlexNet {name.upper()}", "16-bit (16-bit psums)", 4, "latency", ms, t * 1e3, "ms", "predicted")
    row("eyeriss-v1", f"AlexNet {name.upper()}", "16-bit (16-bit psums)", 4, "power", mw, e / t * 1e3, "mW", "predicted")
    row("eyeriss-v1", f"AlexNet {name.upper()}", "16-bit (16-bit psums)", 4, "DRAM traffic", mb, d / 1e6, "MB", "predicted")

# ZC706, Qiu et al. (FPGA 2016), VGG16-SVD, 16-bit, batch 1.
zc = run("zc706-qiu2016", "vgg16-svd", "--precision", "int16")
tot = zc["totals"]
t, e, d = conv(zc)
conv_ops = 2 * sum(l["macs"] for l in zc["layers"] if l["op"] == "Conv")
row("zc706-qiu2016", "VGG16-SVD 224x224", "int16", 1, "latency", 224.6, tot["latency_s"] * 1e3, "ms", "CONV part fitted (efficiency), FC part fitted (HP-port bandwidth)")
row("zc706-qiu2016", "VGG16-SVD 224x224", "int16", 1, "CONV GOP/s", 187.8, conv_ops / t / 1e9, "GOP/s", "fitted (efficiency 0.87)")
row("zc706-qiu2016", "VGG16-SVD 224x224", "int16", 1, "overall GOP/s", 136.97, 2 * tot["macs"] / tot["latency_s"] / 1e9, "GOP/s", "as latency")
row("zc706-qiu2016", "VGG16-SVD 224x224", "int16", 1, "board power", 9.63, tot["average_power_w"], "W", "predicted (static 9 W set from this row's power)")

# Coral USB Accelerator, MobileNet v1, int8: steady state (parameters cached
# on chip, as the device declares), simulate's default.
tpu = run("coral-edgetpu-usb", "mobilenet_v1", "--precision", "int8")
row("coral-edgetpu-usb", "MobileNet v1 1.0 224", "int8", 1, "latency", 2.4, tpu["totals"]["latency_s"] * 1e3, "ms", "in the per-layer dispatch fit (calibration set below); USB bandwidth fitted to other rows")

# Pixel 3 CPU (TFLite, 4 threads) and GPU delegate.
for prec, ms, fitted in (("fp32", 24.0, "in the runtime fit (calibration set below)"), ("int8", 13.0, "in the runtime fit (calibration set below)")):
    s = run("pixel3-cpu", "mobilenet_v1", "--precision", prec)
    row("pixel3-cpu", "MobileNet v1 1.0 224", prec, 1, "latency", ms, s["totals"]["latency_s"] * 1e3, "ms", fitted)
s = run("pixel3-gpu", "mobilenet_v1", "--precision", "fp16")
row("pixel3-gpu", "MobileNet v1 1.0 224", "fp16", 1, "latency", 6.5, s["totals"]["latency_s"] * 1e3, "ms", "in the runtime fit (calibration set below)")

# STM32L4R5, MLPerf Tiny VWW, TFLite Micro reference kernels.
s = run("stm32l4r5", "mobilenet_v1_025_96", "--precision", "int8")
row("stm32l4r5", "VWW MobileNetV1 0.25 96x96", "int8", 1, "latency", 600.6, s["totals"]["latency_s"] * 1e3, "ms", "in the runtime fit (calibration set below)")
row("stm32l4r5", "VWW MobileNetV1 0.25 96x96", "int8", 1, "energy", 24.31, s["totals"]["energy_j"] * 1e3, "mJ", "predicted (static 40 mW set from this row's power)")

print("| Device | Network | Precision | Batch | Figure | Published | EdgeSim | Error | Fitted or predicted |")
print("|---|---|---|---|---|---|---|---|---|")
for dev, net, prec, batch, metric, pub, sim, unit, err, fitted in rows:
    flag = "" if abs(err) <= 25 else " **(miss)**"
    if uncalibrated:
        fitted = "uncalibrated"
    print(f"| {dev} | {net} | {prec} | {batch} | {metric} | {pub:g} {unit} | {sim:.3g} {unit} | {err:+.1f}%{flag} | {fitted} |")
PY
