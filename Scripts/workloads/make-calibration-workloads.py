#!/usr/bin/env python3
"""Write the shape-only workloads of the calibration set (issue 15, item 5).

Hardware/measurements/published.csv names, in its `model` column, the network
each published latency was measured on. This script writes one layer-list
workload (Documentation/WorkloadYAML.md) per network that is not hand-written
in Workloads/, named exactly as the CSV's `model` column, so that
`edgesim calibrate Hardware/measurements/published.csv --hardware DEVICE`
finds it by name (bundled workloads are embedded into the binary by
Scripts/embed-bundled.py). It also writes Workloads/published-counts.csv: for
every generated file, the MACs this script counts by its own shape arithmetic
(independent of EdgeSim's shape inference), the published MAC figure where one
exists, its source and a tolerance; Tests/SpecFormatsTests/WorkloadLibraryTests
checks EdgeSim's count of every file against that table.

Every file's head comment states the source of the architecture, the
published MAC and parameter figures and EdgeSim's count. Parameters are the
deployed count EdgeSim's `inspect` prints: batch norm folded into the
preceding convolution (one bias per channel), as TFLite deploys it.

Python 3 standard library only. Usage:

    python3 Scripts/workloads/make-calibration-workloads.py          # write
    python3 Scripts/workloads/make-calibration-workloads.py --check  # write, then
        compare every count with `edgesim inspect --json` (EDGESIM=/path/to/edgesim,
        default: .build/debug/edgesim, then /work/bin/edgesim)
"""
import json
import math
import os
import pathlib
import subprocess
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
WORKLOADS = ROOT / "Workloads"

# ---------------------------------------------------------------------------
# A tiny builder: tracks shapes (C, H, W) or (F,), counts MACs and deployed
# parameters, and emits YAML flow mappings in the style of Workloads/*.yaml.


def out_size(size, kernel, stride, padding, dilation=1, ceil_mode=False):
    """Output length on one axis; padding is 'same', 'valid' or (begin, end)."""
    if padding == "same":
        return -(-size // stride)
    if padding == "valid":
        padding = (0, 0)
    span = dilation * (kernel - 1) + 1
    total = size + padding[0] + padding[1] - span
    if ceil_mode:
        return -(-total // stride) + 1
    return total // stride + 1


def pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


class Net:
    def __init__(self, name, shape):
        self.name = name
        self.input_shape = shape  # (C, H, W) or (F,)
        self.shapes = {"input": shape}
        self.lines = []
        self.macs = 0
        self.params = 0
        self.last = "input"
        self.counter = 0

    # -- helpers
    def _name(self, name, op):
        self.counter += 1
        return name or f"{op}_{self.counter}"

    def _emit(self, name, op, attrs, inputs, default_input):
        parts = [f"name: {name}", f"op: {op}"]
        for key, value in attrs:
            if value is None:
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, (list, tuple)):
                value = "[" + ", ".join(str(v) for v in value) + "]"
            parts.append(f"{key}: {value}")
        if inputs != [default_input]:
            parts.append("inputs: [" + ", ".join(inputs) + "]")
        self.lines.append("  - {" + ", ".join(parts) + "}")

    def comment(self, text):
        self.lines.append(f"  # {text}")

    @staticmethod
    def _padding_value(padding):
        if isinstance(padding, str):
            return padding
        if isinstance(padding, int):
            return padding
        return list(padding)

    @staticmethod
    def _pads(padding):
        """(top, bottom), (left, right) for the shape arithmetic."""
        if isinstance(padding, str):
            return padding, padding
        if isinstance(padding, int):
            return (padding, padding), (padding, padding)
        if len(padding) == 2:
            return (padding[0], padding[0]), (padding[1], padding[1])
        top, left, bottom, right = padding
        return (top, bottom), (left, right)

    # -- layers
    def conv(self, filters=None, kernel=1, stride=1, padding="same", name=None,
             inputs=None, depthwise=False, groups=1, bn=True, act="relu",
             bias=None, dilation=1):
        inputs = inputs or [self.last]
        c, h, w = self.shapes[inputs[0]]
        if depthwise:
            groups = c
            filters = filters or c
        kh, kw = pair(kernel)
        sh, sw = pair(stride)
        ph, pw = self._pads(padding)
        oh = out_size(h, kh, sh, ph, dilation)
        ow = out_size(w, kw, sw, pw, dilation)
        assert c % groups == 0 and filters % groups == 0, (self.name, name)
        self.macs += oh * ow * filters * (c // groups) * kh * kw
        has_bias = (not bn) if bias is None else bias
        self.params += filters * (c // groups) * kh * kw + (filters if (has_bias or bn) else 0)
        name = self._name(name, "conv")
        attrs = [("depthwise", True) if depthwise else ("filters", filters)]
        if depthwise and filters != c:
            attrs.append(("filters", filters))
        attrs += [("kernel", kernel if isinstance(kernel, int) else list(kernel)),
                  ("stride", None if stride == 1 else stride),
                  ("padding", self._padding_value(padding)),
                  ("dilation", None if dilation == 1 else dilation),
                  ("groups", groups if (groups > 1 and not depthwise) else None),
                  ("bias", (True if has_bias else None) if bn else (None if has_bias else False)),
                  ("batch_norm", True if bn else None),
                  ("activation", act)]
        self._emit(name, "conv", attrs, inputs, self.last)
        self.shapes[name] = (filters, oh, ow)
        self.last = name
        return name

    def pool(self, op, kernel, stride=None, padding="valid", name=None, inputs=None,
             ceil_mode=False, count_include_pad=None):
        inputs = inputs or [self.last]
        c, h, w = self.shapes[inputs[0]]
        kh, kw = pair(kernel)
        stride = kernel if stride is None else stride
        sh, sw = pair(stride)
        ph, pw = self._pads(padding)
        oh = out_size(h, kh, sh, ph, 1, ceil_mode)
        ow = out_size(w, kw, sw, pw, 1, ceil_mode)
        name = self._name(name, op)
        attrs = [("kernel", kernel), ("stride", stride),
                 ("padding", None if padding == "valid" else self._padding_value(padding)),
                 ("ceil_mode", True if ceil_mode else None),
                 ("count_include_pad", count_include_pad)]
        self._emit(name, op, attrs, inputs, self.last)
        self.shapes[name] = (c, oh, ow)
        self.last = name
        return name

    def max_pool(self, kernel, stride=None, padding="valid", **kw):
        return self.pool("max_pool", kernel, stride, padding, **kw)

    def avg_pool(self, kernel, stride=None, padding="valid", **kw):
        return self.pool("avg_pool", kernel, stride, padding, **kw)

    def gap(self, name="avgpool", inputs=None):
        inputs = inputs or [self.last]
        c = self.shapes[inputs[0]][0]
        self._emit(name, "global_avg_pool", [], inputs, self.last)
        self.shapes[name] = (c, 1, 1)
        self.last = name
        return name

    def flatten(self, name="flatten"):
        shape = self.shapes[self.last]
        self._emit(name, "flatten", [], [self.last], self.last)
        self.shapes[name] = (math.prod(shape),)
        self.last = name
        return name

    def fc(self, units, name=None, bn=False, act=None, inputs=None):
        inputs = inputs or [self.last]
        (k,) = self.shapes[inputs[0]]
        self.macs += k * units
        self.params += k * units + units
        name = self._name(name, "fc")
        attrs = [("units", units), ("batch_norm", True if bn else None), ("activation", act)]
        self._emit(name, "fc", attrs, inputs, self.last)
        self.shapes[name] = (units,)
        self.last = name
        return name

    def add(self, a, b, name=None, act=None):
        assert self.shapes[a] == self.shapes[b], (self.name, name, self.shapes[a], self.shapes[b])
        name = self._name(name, "add")
        self._emit(name, "add", [("activation", act)], [a, b], None)
        self.shapes[name] = self.shapes[a]
        self.last = name
        return name

    def mul(self, a, b, name=None):
        name = self._name(name, "mul")
        self._emit(name, "mul", [], [a, b], None)
        self.shapes[name] = self.shapes[a]
        self.last = name
        return name

    def act(self, op, name=None, inputs=None):
        inputs = inputs or [self.last]
        name = self._name(name, op)
        self._emit(name, op, [], inputs, self.last)
        self.shapes[name] = self.shapes[inputs[0]]
        self.last = name
        return name

    def batch_norm(self, name, act=None, inputs=None):
        """A standalone BatchNormalization (pre-activation networks): scale and
        shift per channel stay as parameters when there is no conv to fold into."""
        inputs = inputs or [self.last]
        c = self.shapes[inputs[0]][0]
        self.params += 2 * c
        self._emit(name, "batch_norm", [("activation", act)], inputs, self.last)
        self.shapes[name] = self.shapes[inputs[0]]
        self.last = name
        return name

    def concat(self, inputs, name=None):
        c = sum(self.shapes[i][0] for i in inputs)
        hw = {self.shapes[i][1:] for i in inputs}
        assert len(hw) == 1, (self.name, name, [self.shapes[i] for i in inputs])
        name = self._name(name, "concat")
        self._emit(name, "concat", [], inputs, None)
        self.shapes[name] = (c,) + hw.pop()
        self.last = name
        return name

    def conv_transpose(self, filters, kernel, stride, name, bn=True, act="relu", bias=None):
        """A transposed convolution with SAME padding (Keras Conv2DTranspose): the
        output is the input times the stride; MACs = input pixels x C x filters x k x k
        (Documentation/Counting.md, ConvTranspose)."""
        c, h, w = self.shapes[self.last]
        self.macs += h * w * c * filters * kernel * kernel
        has_bias = (not bn) if bias is None else bias
        # EdgeSim folds batch norm into Conv and Gemm only: after a transposed conv its
        # scale and shift stay (2 per channel), as `edgesim inspect` counts them.
        self.params += c * filters * kernel * kernel + (filters if has_bias else 0) + (2 * filters if bn else 0)
        attrs = [("filters", filters), ("kernel", kernel), ("stride", stride),
                 ("padding", "same"), ("transposed", True),
                 ("bias", (True if has_bias else None) if bn else (None if has_bias else False)),
                 ("batch_norm", True if bn else None), ("activation", act)]
        self._emit(name, "conv", attrs, [self.last], self.last)
        self.shapes[name] = (filters, h * stride, w * stride)
        self.last = name
        return name

    def leaky_relu(self, alpha, name, inputs=None):
        inputs = inputs or [self.last]
        self._emit(name, "leaky_relu", [("alpha", alpha)], inputs, self.last)
        self.shapes[name] = self.shapes[inputs[0]]
        self.last = name
        return name

    def resize(self, name, scale=None, size=None, mode="linear", inputs=None):
        inputs = inputs or [self.last]
        c, h, w = self.shapes[inputs[0]]
        if scale is not None:
            oh, ow = h * scale, w * scale
            attrs = [("scale", scale), ("mode", mode)]
        else:
            oh, ow = size
            attrs = [("size", [oh, ow]), ("mode", mode)]
        self._emit(name, "resize", attrs, inputs, self.last)
        self.shapes[name] = (c, oh, ow)
        self.last = name
        return name

    def argmax(self, name, inputs=None):
        """ArgMax over the channels (axis 1): [N, C, H, W] -> [N, H, W]."""
        inputs = inputs or [self.last]
        c, h, w = self.shapes[inputs[0]]
        self._emit(name, "argmax", [("axis", 1)], inputs, self.last)
        self.shapes[name] = (1, h, w)
        self.last = name
        return name

    def detection_postprocess(self, name, boxes, scores, anchors, classes, max_detections=10):
        """TFLite_Detection_PostProcess: box encodings and class scores -> [N, max_detections, 6]."""
        self._emit(name, "detection_postprocess",
                   [("anchors", anchors), ("classes", classes), ("max_detections", max_detections)],
                   [boxes, scores], self.last)
        self.shapes[name] = (max_detections, 6)
        self.last = name
        return name

    def space_to_depth(self, block, name, inputs=None):
        inputs = inputs or [self.last]
        c, h, w = self.shapes[inputs[0]]
        self._emit(name, "space_to_depth", [("block", block)], inputs, self.last)
        self.shapes[name] = (c * block * block, h // block, w // block)
        self.last = name
        return name

    def concat1d(self, inputs, name):
        total = sum(self.shapes[i][0] for i in inputs)
        self._emit(name, "concat", [], inputs, None)
        self.shapes[name] = (total,)
        self.last = name
        return name

    def softmax(self, name="softmax"):
        self._emit(name, "softmax", [], [self.last], self.last)
        self.shapes[name] = self.shapes[self.last]
        self.last = name
        return name


# ---------------------------------------------------------------------------
# Sources, cited in the files and in published-counts.csv.

SLIM_MOBILENET_V1_MD = (
    "tensorflow/models research/slim/nets/mobilenet_v1.md at commit "
    "02c04f49a188ba9a515100a3375a6359f3fffef1, pre-trained models table "
    "(Million MACs, Million Parameters)")
SLIM_MOBILENET_V1_PY = (
    "TF-Slim research/slim/nets/mobilenet_v1.py (tensorflow/models): "
    "depth(d) = max(int(d * depth_multiplier), min_depth), min_depth 8; "
    "SAME padding; 1x1 conv logits with 1001 classes")
KERAS_MOBILENET_TABLE = (
    "tf.compat.v1.keras.applications.mobilenet API page (TF 2.4), width table: "
    "0.75 MobileNet-224 325 M multiply-adds, 0.50 149 M, 0.25 41 M (Howard et al. Table 6)")
TF_MNASNET = (
    "tensorflow/tpu models/official/mnasnet/mnasnet_models.py, mnasnet_b1: "
    "blocks r1_k3_s11_e1_i32_o16_noskip, r3_k3_s22_e3_i16_o24, r3_k5_s22_e3_i24_o40, "
    "r3_k5_s22_e6_i40_o80, r2_k3_s11_e6_i80_o96, r4_k5_s22_e6_i96_o192, "
    "r1_k3_s11_e6_i192_o320_noskip; stem 32, depth_divisor 8; 1280-channel head")
TORCHVISION_MNASNET = {
    0.5: ("torchvision.models.mnasnet0_5 (MNASNet0_5_Weights card: 2,218,512 params, 0.10 GFLOPS)", 0.10e9, 2_218_512),
    0.75: ("torchvision.models.mnasnet0_75 (MNASNet0_75_Weights card: 3,170,208 params, 0.21 GFLOPS)", 0.21e9, 3_170_208),
    1.0: ("torchvision.models.mnasnet1_0 (MNASNet1_0_Weights card: 4,383,312 params, 0.31 GFLOPS)", 0.31e9, 4_383_312),
}


def fmt(n):
    return f"{n:,}"


# ---------------------------------------------------------------------------
# Models. Each returns (Net, header lines, sources, description, published).
# `published` is None or (macs, tolerance, source text) for published-counts.csv.


def slim_depth(d, alpha, min_depth=8):
    return max(int(d * alpha), min_depth)


def mobilenet_v1(alpha, res):
    name = f"mobilenet_v1_{round(alpha * 100):03d}_{res}"
    net = Net(name, (3, res, res))
    d = lambda c: slim_depth(c, alpha)
    net.conv(d(32), 3, 2, name="conv0", act="relu6")
    plan = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]
    for i, (c, s) in enumerate(plan, start=1):
        net.conv(None, 3, s, name=f"dw{i}", depthwise=True, act="relu6")
        net.conv(d(c), 1, name=f"pw{i}", act="relu6")
    net.gap()
    net.conv(1001, 1, name="logits", bn=False, act=None)
    net.flatten()
    net.softmax()
    table = {  # Million MACs, Million Parameters (SLIM_MOBILENET_V1_MD)
        (1.0, 224): (569, 4.24), (1.0, 192): (418, 4.24), (1.0, 160): (291, 4.24), (1.0, 128): (186, 4.24),
        (0.75, 224): (317, 2.59), (0.75, 192): (233, 2.59), (0.75, 160): (162, 2.59), (0.75, 128): (104, 2.59),
        (0.5, 224): (150, 1.34), (0.5, 192): (110, 1.34), (0.5, 160): (77, 1.34), (0.5, 128): (49, 1.34),
        (0.25, 224): (41, 0.47), (0.25, 192): (34, 0.47), (0.25, 160): (21, 0.47), (0.25, 128): (14, 0.47),
    }
    mmacs, mparams = table[(alpha, res)]
    header = [
        f"MobileNetV1 {alpha:g} at {res}x{res} (Howard et al., arXiv:1704.04861), as TF-Slim",
        "defines it and TFLite's hosted models deploy it (Mobilenet_V1_"
        f"{alpha:.2f}_{res} and _quant).",
        "Width: TF-Slim's depth(d) = max(int(d * alpha), 8). Padding SAME (TF), ReLU6 after",
        "every conv and batch norm; global average pool, a 1x1 conv to 1001 classes",
        "(background + ImageNet-1k) with bias, softmax.",
        f"Published: {mmacs} million MACs, {mparams} million parameters (tensorflow/models",
        "research/slim/nets/mobilenet_v1.md at commit 02c04f49a188, pre-trained models table).",
    ]
    sources = [
        "Howard et al., arXiv:1704.04861, Table 1 (layer list) and Table 6 (width, resolution)",
        SLIM_MOBILENET_V1_PY,
        SLIM_MOBILENET_V1_MD,
    ]
    tolerance = 0.5 / mmacs  # the table rounds to whole millions
    source = SLIM_MOBILENET_V1_MD
    if alpha == 0.75 and res == 224:
        # The TF-Slim table's 0.75 row (317) is 2.6% below the paper's 325 M;
        # the paper's figure (as Keras quotes it) is the count of this definition.
        mmacs, source = 325, KERAS_MOBILENET_TABLE
        tolerance = 0.5 / mmacs
        header.append("The TF-Slim table's 317 M for 0.75 at 224 is 2.6% below the paper's 325 M")
        header.append(f"(Table 6, quoted in {KERAS_MOBILENET_TABLE}); this file's count agrees with the paper.")
    elif alpha == 0.75:
        tolerance = 0.03
        header.append("The TF-Slim table's 0.75 rows are all 2.6% below this count, as its 224 row (317 M)")
        header.append("is below the paper's 325 M (Table 6): tolerance 3% in Workloads/published-counts.csv.")
    elif (alpha, res) == (0.25, 192):
        tolerance = 0.12
        header.append("The TF-Slim table's 34 M for 0.25 at 192 does not scale with resolution like its")
        header.append("neighbours (14, 21, 41 M at 128, 160, 224: 41 x (192/224)^2 = 30 M); this count is")
        header.append("30.2 M: tolerance 12% in Workloads/published-counts.csv.")
    published = (mmacs * 1_000_000, tolerance, source, mparams * 1_000_000)
    return net, header, sources, f"MobileNetV1 {alpha:g}, {res}x{res}, 1001 classes (TF-Slim / TFLite hosted)", published


def round_filters(filters, alpha, divisor=8):
    """TF mnasnet_model.round_filters (and torchvision's _round_to_multiple_of)."""
    filters *= alpha
    new = max(divisor, int(filters + divisor / 2) // divisor * divisor)
    if new < 0.9 * filters:
        new += divisor
    return int(new)


def mnasnet(alpha, res):
    name = f"mnasnet_{round(alpha * 100):03d}_{res}"
    net = Net(name, (3, res, res))
    net.conv(round_filters(32, alpha), 3, 2, name="stem")
    blocks = [  # repeats, kernel, stride, expand, in, out, skip
        (1, 3, 1, 1, 32, 16, False), (3, 3, 2, 3, 16, 24, True), (3, 5, 2, 3, 24, 40, True),
        (3, 5, 2, 6, 40, 80, True), (2, 3, 1, 6, 80, 96, True), (4, 5, 2, 6, 96, 192, True),
        (1, 3, 1, 6, 192, 320, False),
    ]
    index = 0
    for r, k, s, e, cin, cout, skip in blocks:
        cin, cout = round_filters(cin, alpha), round_filters(cout, alpha)
        for j in range(r):
            stride = s if j == 0 else 1
            block_in = net.last
            inp = cin if j == 0 else cout
            p = f"blocks.{index}"
            if e != 1:
                net.conv(inp * e, 1, name=f"{p}.expand")
            net.conv(None, k, stride, name=f"{p}.dw", depthwise=True)
            net.conv(cout, 1, name=f"{p}.project", act=None)
            if skip and stride == 1 and inp == cout:
                net.add(net.last, block_in, name=f"{p}.add")
            index += 1
    net.conv(1280, 1, name="head")
    net.gap()
    net.flatten()
    net.fc(1000, name="fc")
    net.softmax()
    header = [
        f"MnasNet-B1 (Tan et al., \"MnasNet: Platform-Aware Neural Architecture Search for",
        f"Mobile\", CVPR 2019) with depth multiplier {alpha:g} at {res}x{res}, the network of",
        f"TFLite's hosted AutoML model mnasnet_{alpha:.2f}_{res} (2018). Architecture from",
        "tensorflow/tpu mnasnet_models.py mnasnet_b1 (no squeeze-excite; TFLite's hosted",
        "models predate MnasNet-A1's release and their size, 17 MB float at 1.0, matches B1's",
        "4.4 M parameters, not A1's 3.9 M): channels round_filters(c * alpha) to a multiple",
        "of 8 (never below 90% of c * alpha); SAME padding; batch norm and ReLU after every",
        "conv but the linear projections; residual add where stride 1 and in == out (not in",
        "the first and last blocks); 1280-channel 1x1 head, global pool, 1000-class FC.",
    ]
    sources = ["Tan et al., CVPR 2019 (arXiv:1807.11626)", TF_MNASNET]
    published = None
    if res == 224 and alpha in TORCHVISION_MNASNET:
        text, macs, params = TORCHVISION_MNASNET[alpha]
        header.append(f"Published: {text} (same B1 definition and rounding).")
        sources.append(text)
        tolerance = 0.005e9 / macs  # the card rounds GFLOPS to 0.01
        if alpha == 0.75:
            tolerance = 0.03
            header.append("This count is 0.2155 G, 2.6% above the card's 0.21 (which rounds to 0.01 G);")
            header.append("the difference is not explained: tolerance 3% in published-counts.csv.")
        published = (int(macs), tolerance, text, params)
    else:
        header.append("Published: no MAC figure for this width and resolution was found; the")
        header.append("1.0, 0.75 and 0.5 variants at 224 are checked against torchvision's cards.")
    return net, header, sources, f"MnasNet-B1 {alpha:g}, {res}x{res}", published


def ds_cnn_kws():
    net = Net("ds_cnn_kws", (1, 49, 10))
    net.conv(64, (10, 4), 2, name="conv1", bias=True)
    for i in range(1, 5):
        net.conv(None, 3, name=f"dw{i}", depthwise=True, bias=True)
        net.conv(64, 1, name=f"pw{i}", bias=True)
    net.avg_pool((25, 5), name="avgpool")
    net.flatten()
    net.fc(12, name="fc")
    net.softmax()
    header = [
        "MLPerf Tiny keyword spotting: DS-CNN (small) on 49x10 MFCC features, 12 classes,",
        "as the reference Keras model defines it (mlcommons/tiny benchmark/training/",
        "keyword_spotting/keras_model.py, after Zhang et al., \"Hello Edge: Keyword Spotting",
        "on Microcontrollers\", arXiv:1711.07128, DS-CNN S): Conv2D 64 (10x4) stride 2 SAME",
        "with bias, batch norm, ReLU; four blocks of depthwise 3x3 SAME and pointwise 64,",
        "each with bias, batch norm and ReLU; average pool (25x5) over the 25x5 map; Dense 12",
        "with softmax. Dropout (identity at inference) is left out.",
        "Published: model size 53 KB int8 (Linley, \"MLPerf Gets Tiny\", 2021); no MAC",
        "figure of the reference model was found in the stored sources. Hand count:",
        "conv1 25*5*64*40 = 320,000; each dw 25*5*64*9 = 72,000 and pw 25*5*64*64 = 512,000;",
        "fc 768: 2,656,768 MACs.",
    ]
    sources = ["MLPerf Tiny v0.5 keyword spotting reference model (mlcommons/tiny)",
               "Zhang et al., arXiv:1711.07128 (DS-CNN)"]
    return net, header, sources, "MLPerf Tiny KWS DS-CNN, 49x10x1 MFCC input, 12 classes", None


def resnet8_cifar10():
    net = Net("resnet8_cifar10", (3, 32, 32))
    net.conv(16, 3, name="conv1", bias=True)
    x = net.last
    for stage, (f, s) in enumerate([(16, 1), (32, 2), (64, 2)], start=1):
        net.conv(f, 3, s, name=f"stack{stage}.conv1", inputs=[x], bias=True)
        y = net.conv(f, 3, name=f"stack{stage}.conv2", act=None, bias=True)
        if s != 1:
            shortcut = net.conv(f, 1, s, name=f"stack{stage}.shortcut", inputs=[x], bn=False, act=None)
        else:
            shortcut = x
        x = net.add(y, shortcut, name=f"stack{stage}.add", act="relu")
    net.avg_pool(8, name="avgpool")
    net.flatten()
    net.fc(10, name="fc")
    net.softmax()
    header = [
        "MLPerf Tiny image classification: ResNet-8 on CIFAR-10 (32x32x3, 10 classes), as",
        "the reference Keras model defines it (mlcommons/tiny benchmark/training/",
        "image_classification/keras_model.py, resnet_v1_eembc): Conv2D 16 3x3 SAME, batch",
        "norm, ReLU; three stacks (16, 32 stride 2, 64 stride 2) of two 3x3 convs with batch",
        "norm (ReLU after the first) plus a shortcut (identity in the first stack, a 1x1",
        "stride-2 conv without batch norm in the others), add, ReLU; average pool 8x8; Dense",
        "10 with softmax. Keras convs keep their bias (use_bias default).",
        "Published: model size 96 KB int8 (Linley, \"MLPerf Gets Tiny\", 2021); no MAC figure",
        "of the reference model was found in the stored sources. Hand count: conv1 442,368;",
        "stack1 2 x 2,359,296; stack2 1,179,648 + 2,359,296 + 131,072; stack3 1,179,648 +",
        "2,359,296 + 131,072; fc 640: 12,501,632 MACs.",
    ]
    sources = ["MLPerf Tiny v0.5 image classification reference model (mlcommons/tiny)",
               "He et al., CVPR 2016 (ResNet v1)"]
    return net, header, sources, "MLPerf Tiny IC ResNet-8, CIFAR-10 32x32x3, 10 classes", None


def fc_autoencoder_toycar():
    net = Net("fc_autoencoder_toycar", (640,))
    units = [128, 128, 128, 128, 8, 128, 128, 128, 128]
    for i, u in enumerate(units, start=1):
        net.fc(u, name=f"dense{i}", bn=True, act="relu")
    net.fc(640, name="output")
    header = [
        "MLPerf Tiny anomaly detection: the fully connected autoencoder of the ToyADMOS toy",
        "car task (640 = 5 frames x 128 log-mel bins in, 640 out), as the reference Keras",
        "model defines it (mlcommons/tiny benchmark/training/anomaly_detection/keras_model.py,",
        "from the DCASE 2020 task 2 baseline): Dense 640-128-128-128-128-8-128-128-128-128-640,",
        "batch norm and ReLU after every Dense but the last.",
        "Published: model size 270 KB int8 (Linley, \"MLPerf Gets Tiny\", 2021). Hand count:",
        "640*128 + 3*128*128 + 128*8 + 8*128 + 3*128*128 + 128*640 = 264,192 MACs; 264,192",
        "weights + 1,928 biases after folding = 266,120 parameters (~270 K).",
    ]
    sources = ["MLPerf Tiny v0.5 anomaly detection reference model (mlcommons/tiny)",
               "DCASE 2020 task 2 baseline autoencoder (Koizumi et al., arXiv:2006.05822)"]
    return net, header, sources, "MLPerf Tiny AD FC autoencoder, 640 inputs", None


# -- Inception family (TF-Slim definitions: SAME padding unless VALID is named;
# batch norm without bias after every conv; ReLU).


def slim_head(net, classes=1001, pool=True, fc=False):
    if pool:
        net.gap()
    if fc:
        net.flatten()
        net.fc(classes, name="logits")
    else:
        net.conv(classes, 1, name="logits", bn=False, act=None)
        net.flatten()
    net.softmax()


def inception_v3():
    net = Net("inception_v3_299", (3, 299, 299))
    c = net.conv
    c(32, 3, 2, "valid", name="Conv2d_1a_3x3")
    c(32, 3, 1, "valid", name="Conv2d_2a_3x3")
    c(64, 3, name="Conv2d_2b_3x3")
    net.max_pool(3, 2, name="MaxPool_3a_3x3")
    c(80, 1, 1, "valid", name="Conv2d_3b_1x1")
    c(192, 3, 1, "valid", name="Conv2d_4a_3x3")
    x = net.max_pool(3, 2, name="MaxPool_5a_3x3")
    for m, pool_filters in (("Mixed_5b", 32), ("Mixed_5c", 64), ("Mixed_5d", 64)):
        b0 = c(64, 1, name=f"{m}.b0", inputs=[x])
        c(48, 1, name=f"{m}.b1a", inputs=[x])
        b1 = c(64, 5, name=f"{m}.b1b")
        c(64, 1, name=f"{m}.b2a", inputs=[x])
        c(96, 3, name=f"{m}.b2b")
        b2 = c(96, 3, name=f"{m}.b2c")
        net.avg_pool(3, 1, "same", name=f"{m}.b3pool", inputs=[x])
        b3 = c(pool_filters, 1, name=f"{m}.b3")
        x = net.concat([b0, b1, b2, b3], name=m)
    m = "Mixed_6a"
    b0 = c(384, 3, 2, "valid", name=f"{m}.b0", inputs=[x])
    c(64, 1, name=f"{m}.b1a", inputs=[x])
    c(96, 3, name=f"{m}.b1b")
    b1 = c(96, 3, 2, "valid", name=f"{m}.b1c")
    b2 = net.max_pool(3, 2, name=f"{m}.b2pool", inputs=[x])
    x = net.concat([b0, b1, b2], name=m)
    for m, w in (("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160), ("Mixed_6e", 192)):
        b0 = c(192, 1, name=f"{m}.b0", inputs=[x])
        c(w, 1, name=f"{m}.b1a", inputs=[x])
        c(w, (1, 7), name=f"{m}.b1b")
        b1 = c(192, (7, 1), name=f"{m}.b1c")
        c(w, 1, name=f"{m}.b2a", inputs=[x])
        c(w, (7, 1), name=f"{m}.b2b")
        c(w, (1, 7), name=f"{m}.b2c")
        c(w, (7, 1), name=f"{m}.b2d")
        b2 = c(192, (1, 7), name=f"{m}.b2e")
        net.avg_pool(3, 1, "same", name=f"{m}.b3pool", inputs=[x])
        b3 = c(192, 1, name=f"{m}.b3")
        x = net.concat([b0, b1, b2, b3], name=m)
    m = "Mixed_7a"
    c(192, 1, name=f"{m}.b0a", inputs=[x])
    b0 = c(320, 3, 2, "valid", name=f"{m}.b0b")
    c(192, 1, name=f"{m}.b1a", inputs=[x])
    c(192, (1, 7), name=f"{m}.b1b")
    c(192, (7, 1), name=f"{m}.b1c")
    b1 = c(192, 3, 2, "valid", name=f"{m}.b1d")
    b2 = net.max_pool(3, 2, name=f"{m}.b2pool", inputs=[x])
    x = net.concat([b0, b1, b2], name=m)
    for m in ("Mixed_7b", "Mixed_7c"):
        b0 = c(320, 1, name=f"{m}.b0", inputs=[x])
        a = c(384, 1, name=f"{m}.b1a", inputs=[x])
        b1 = net.concat([c(384, (1, 3), name=f"{m}.b1b", inputs=[a]),
                         c(384, (3, 1), name=f"{m}.b1c", inputs=[a])], name=f"{m}.b1")
        c(448, 1, name=f"{m}.b2a", inputs=[x])
        a = c(384, 3, name=f"{m}.b2b")
        b2 = net.concat([c(384, (1, 3), name=f"{m}.b2c", inputs=[a]),
                         c(384, (3, 1), name=f"{m}.b2d", inputs=[a])], name=f"{m}.b2")
        net.avg_pool(3, 1, "same", name=f"{m}.b3pool", inputs=[x])
        b3 = c(192, 1, name=f"{m}.b3")
        x = net.concat([b0, b1, b2, b3], name=m)
    slim_head(net)
    text = "torchvision.models.inception_v3 (Inception_V3_Weights card: 27,161,264 params with the auxiliary head, 5.71 GFLOPS at 299x299)"
    header = [
        "Inception v3 at 299x299 (Szegedy et al., \"Rethinking the Inception Architecture",
        "for Computer Vision\", CVPR 2016), as TF-Slim's inception_v3 defines it (the",
        "network of TFLite's hosted inception_v3 and inception_v3_quant): SAME padding unless",
        "the layer is named VALID in TF-Slim, batch norm and ReLU after every conv, average",
        "pool 8x8, a 1x1 conv to 1001 classes. The auxiliary classifier (training only) is",
        "left out.",
        f"Published: {text}; the same layer shapes (1000 classes).",
    ]
    sources = ["Szegedy et al., CVPR 2016 (arXiv:1512.00567)",
               "TF-Slim research/slim/nets/inception_v3.py (tensorflow/models)", text]
    return net, header, sources, "Inception v3, 299x299, 1001 classes (TF-Slim / TFLite hosted)", (5_710_000_000, 0.005 / 5.71, text, None)


def inception_v1():
    net = Net("inception_v1_224", (3, 224, 224))
    c = net.conv
    c(64, 7, 2, name="Conv2d_1a_7x7")
    net.max_pool(3, 2, "same", name="MaxPool_2a_3x3")
    c(64, 1, name="Conv2d_2b_1x1")
    c(192, 3, name="Conv2d_2c_3x3")
    x = net.max_pool(3, 2, "same", name="MaxPool_3a_3x3")
    table = [
        ("Mixed_3b", 64, 96, 128, 16, 32, 32), ("Mixed_3c", 128, 128, 192, 32, 96, 64), "MaxPool_4a_3x3",
        ("Mixed_4b", 192, 96, 208, 16, 48, 64), ("Mixed_4c", 160, 112, 224, 24, 64, 64),
        ("Mixed_4d", 128, 128, 256, 24, 64, 64), ("Mixed_4e", 112, 144, 288, 32, 64, 64),
        ("Mixed_4f", 256, 160, 320, 32, 128, 128), "MaxPool_5a_2x2",
        ("Mixed_5b", 256, 160, 320, 32, 128, 128), ("Mixed_5c", 384, 192, 384, 48, 128, 128),
    ]
    for entry in table:
        if isinstance(entry, str):
            k = 2 if entry.endswith("2x2") else 3
            x = net.max_pool(k, 2, "same", name=entry, inputs=[x])
            continue
        m, f0, f1a, f1b, f2a, f2b, f3 = entry
        b0 = c(f0, 1, name=f"{m}.b0", inputs=[x])
        c(f1a, 1, name=f"{m}.b1a", inputs=[x])
        b1 = c(f1b, 3, name=f"{m}.b1b")
        c(f2a, 1, name=f"{m}.b2a", inputs=[x])
        b2 = c(f2b, 3, name=f"{m}.b2b")
        net.max_pool(3, 1, "same", name=f"{m}.b3pool", inputs=[x])
        b3 = c(f3, 1, name=f"{m}.b3")
        x = net.concat([b0, b1, b2, b3], name=m)
    slim_head(net)
    header = [
        "Inception v1 (GoogLeNet; Szegedy et al., \"Going Deeper with Convolutions\", CVPR",
        "2015) at 224x224 as TF-Slim's inception_v1 defines it (the network of TFLite's",
        "hosted inception_v1_224_quant): batch norm and ReLU after every conv, SAME padding;",
        "TF-Slim's branch 2 uses a 3x3 conv where the paper has 5x5, and there are no",
        "auxiliary classifiers; average pool 7x7 and a 1x1 conv to 1001 classes.",
        "Published: the paper's 1.5 billion multiply-adds are for the 5x5 form; no figure for",
        "TF-Slim's 3x3 form was found, so no published MAC figure is checked.",
    ]
    sources = ["Szegedy et al., CVPR 2015 (arXiv:1409.4842)",
               "TF-Slim research/slim/nets/inception_v1.py (tensorflow/models)"]
    return net, header, sources, "Inception v1, 224x224, 1001 classes (TF-Slim / TFLite hosted)", None


def inception_v2():
    net = Net("inception_v2_224", (3, 224, 224))
    c = net.conv
    c(24, 7, 2, name="Conv2d_1a_7x7.depthwise", depthwise=True, bn=False, bias=False, act=None)
    c(64, 1, name="Conv2d_1a_7x7.pointwise")
    net.max_pool(3, 2, "same", name="MaxPool_2a_3x3")
    c(64, 1, name="Conv2d_2b_1x1")
    c(192, 3, name="Conv2d_2c_3x3")
    x = net.max_pool(3, 2, "same", name="MaxPool_3a_3x3")
    table = [  # b0, b1 (1x1, 3x3), b2 (1x1, 3x3, 3x3), pool kind, b3
        ("Mixed_3b", 64, (64, 64), (64, 96, 96), "avg", 32),
        ("Mixed_3c", 64, (64, 96), (64, 96, 96), "avg", 64),
        ("Mixed_4a", (128, 160), (64, 96, 96)),
        ("Mixed_4b", 224, (64, 96), (96, 128, 128), "avg", 128),
        ("Mixed_4c", 192, (96, 128), (96, 128, 128), "avg", 128),
        ("Mixed_4d", 160, (128, 160), (128, 160, 160), "avg", 96),
        ("Mixed_4e", 96, (128, 192), (160, 192, 192), "avg", 96),
        ("Mixed_5a", (128, 192), (192, 256, 256)),
        ("Mixed_5b", 352, (192, 320), (160, 224, 224), "avg", 128),
        ("Mixed_5c", 352, (192, 320), (192, 224, 224), "max", 128),
    ]
    for entry in table:
        m = entry[0]
        if len(entry) == 3:  # reduction: stride-2 branches and a max pool
            _, (a0, b0f), (a1, b1f, c1f) = entry
            c(a0, 1, name=f"{m}.b0a", inputs=[x])
            b0 = c(b0f, 3, 2, name=f"{m}.b0b")
            c(a1, 1, name=f"{m}.b1a", inputs=[x])
            c(b1f, 3, name=f"{m}.b1b")
            b1 = c(c1f, 3, 2, name=f"{m}.b1c")
            b2 = net.max_pool(3, 2, "same", name=f"{m}.b2", inputs=[x])
            x = net.concat([b0, b1, b2], name=m)
            continue
        _, f0, (f1a, f1b), (f2a, f2b, f2c), pool, f3 = entry
        b0 = c(f0, 1, name=f"{m}.b0", inputs=[x])
        c(f1a, 1, name=f"{m}.b1a", inputs=[x])
        b1 = c(f1b, 3, name=f"{m}.b1b")
        c(f2a, 1, name=f"{m}.b2a", inputs=[x])
        c(f2b, 3, name=f"{m}.b2b")
        b2 = c(f2c, 3, name=f"{m}.b2c")
        net.pool(f"{pool}_pool", 3, 1, "same", name=f"{m}.b3pool", inputs=[x])
        b3 = c(f3, 1, name=f"{m}.b3")
        x = net.concat([b0, b1, b2, b3], name=m)
    slim_head(net)
    header = [
        "Inception v2 at 224x224 (the BN-Inception network of Ioffe and Szegedy, \"Batch",
        "Normalization\", ICML 2015, Figure 5), as TF-Slim's inception_v2 defines it (the",
        "network of TFLite's hosted inception_v2_224_quant): the first conv is separable",
        "(depthwise 7x7 stride 2 with multiplier 8, 3 -> 24 channels, then a 1x1 to 64 with",
        "batch norm and ReLU), SAME padding throughout, batch norm and ReLU after every",
        "conv, Mixed_3b to Mixed_5c with 3x3 pairs in place of 5x5; average pool 7x7 and a",
        "1x1 conv to 1001 classes.",
        "Published: no MAC figure for TF-Slim's form was found in the stored sources; none is",
        "checked.",
    ]
    sources = ["Ioffe and Szegedy, ICML 2015 (arXiv:1502.03167), Figure 5",
               "TF-Slim research/slim/nets/inception_v2.py (tensorflow/models)"]
    return net, header, sources, "Inception v2, 224x224, 1001 classes (TF-Slim / TFLite hosted)", None


def vgg(name, plan, convs_only, classes=1000):
    net = Net(name, (3, 224, 224))
    for i, block in enumerate(plan, start=1):
        for j, f in enumerate(block, start=1):
            net.conv(f, 3, padding=1, name=f"conv{i}_{j}", bn=False)
        net.max_pool(2, 2, name=f"pool{i}")
    if not convs_only:
        net.flatten()
        net.fc(4096, name="fc6", act="relu")
        net.fc(4096, name="fc7", act="relu")
        net.fc(classes, name="fc8")
        net.softmax()
    return net


def vgg19():
    net = vgg("vgg19_224", [[64] * 2, [128] * 2, [256] * 4, [512] * 4, [512] * 4], False)
    text = "torchvision.models.vgg19 (VGG19_Weights card: 143,667,240 params, 19.63 GFLOPS)"
    header = [
        "VGG-19 at 224x224 (Simonyan and Zisserman, ICLR 2015, configuration E), as Keras",
        "and torchvision define it: 3x3 convs with bias and ReLU, 2x2 max pools, FC",
        "4096-4096-1000 (dropout left out; the Edge TPU model of Coral's table is Keras').",
        f"Published: {text}.",
    ]
    sources = ["Simonyan and Zisserman, arXiv:1409.1556, Table 1 (E)", text]
    return net, header, sources, "VGG-19, 224x224, 1000 classes", (19_630_000_000, 0.005 / 19.63, text, 143_667_240)


def vgg16_conv():
    net = vgg("vgg16-conv", [[64] * 2, [128] * 2, [256] * 3, [512] * 3, [512] * 3], True)
    header = [
        "The 13 CONV layers of VGG-16 (Simonyan and Zisserman, configuration D) at 224x224,",
        "as Eyeriss ran them (Chen et al., JSSC 2017: VGG-16 CONV layers at 0.7 frames/s):",
        "Workloads/vgg16.yaml without the classifier (3x3 convs with bias and ReLU, 2x2 max",
        "pools after each block).",
        "Published: torchvision's VGG16 15,470,264,320 MACs minus the classifier's",
        "25088*4096 + 4096*4096 + 4096*1000 = 123,633,664: 15,346,630,656 MACs (JSSC 2017",
        "gives 15.3 G MACs for the CONV layers).",
    ]
    sources = ["Simonyan and Zisserman, arXiv:1409.1556, Table 1 (D)",
               "Chen et al., IEEE JSSC 52(1), 2017 (VGG-16 CONV layers)"]
    return net, header, sources, "VGG-16 CONV1-CONV5 (no classifier), 224x224", (15_346_630_656, 0.0, "torchvision vgg16 (15,470,264,320 MACs) minus its classifier (123,633,664)", None)


def densenet121(name, note):
    net = Net(name, (3, 224, 224))
    net.conv(64, 7, 2, 3, name="conv0")
    x = net.max_pool(3, 2, 1, name="pool0")
    channels = 64
    for b, layers in enumerate((6, 12, 24, 16), start=1):
        for i in range(1, layers + 1):
            p = f"block{b}.layer{i}"
            net.batch_norm(f"{p}.norm1", act="relu", inputs=[x])
            net.conv(128, 1, name=f"{p}.conv1")
            new = net.conv(32, 3, padding=1, name=f"{p}.conv2", bn=False, bias=False, act=None)
            x = net.concat([x, new], name=f"{p}.concat")
            channels += 32
        if b < 4:
            p = f"transition{b}"
            net.batch_norm(f"{p}.norm", act="relu", inputs=[x])
            channels //= 2
            net.conv(channels, 1, name=f"{p}.conv", bn=False, bias=False, act=None)
            x = net.avg_pool(2, 2, name=f"{p}.pool")
    net.batch_norm("norm5", act="relu", inputs=[x])
    net.gap()
    net.flatten()
    net.fc(1000, name="classifier")
    net.softmax()
    text = "torchvision.models.densenet121 (DenseNet121_Weights card: 7,978,856 params, 2.83 GFLOPS)"
    header = [
        "DenseNet-121 at 224x224 (Huang et al., \"Densely Connected Convolutional",
        "Networks\", CVPR 2017), as torchvision and Keras define it: growth rate 32,",
        "bottleneck 4x32, blocks of 6, 12, 24 and 16 layers (pre-activation: batch norm and",
        "ReLU before each conv; the batch norm after the 1x1 conv folds into it, the others",
        "stay as BatchNormalization nodes), transitions halving channels with a 2x2 average",
        "pool, 1000-class FC. A growing Concat stands for each block's dense connectivity.",
    ] + note + [f"Published: {text}."]
    sources = ["Huang et al., CVPR 2017 (arXiv:1608.06993), Table 1", text]
    return net, header, sources, "DenseNet-121, 224x224, 1000 classes", (2_830_000_000, 0.005 / 2.83, text, 7_978_856)


def resnet_v2(name, units, res=299):
    """TF-Slim resnet_v2 (pre-activation; stride in the last unit of blocks 1-3)."""
    net = Net(name, (3, res, res))
    net.conv(64, 7, 2, 3, name="conv1", bn=False, act=None)
    x = net.max_pool(3, 2, "same", name="pool1")
    depth_in = 64
    for b, (n, base) in enumerate(zip(units, (64, 128, 256, 512)), start=1):
        for u in range(1, n + 1):
            stride = 2 if (u == n and b < 4) else 1
            depth = base * 4
            p = f"block{b}.unit{u}"
            pre = net.batch_norm(f"{p}.preact", act="relu", inputs=[x])
            if depth == depth_in:
                shortcut = x if stride == 1 else net.max_pool(1, stride, "same", name=f"{p}.shortcut", inputs=[x])
            else:
                shortcut = net.conv(depth, 1, stride, name=f"{p}.shortcut", inputs=[pre], bn=False, act=None)
            net.conv(base, 1, name=f"{p}.conv1", inputs=[pre])
            net.conv(base, 3, stride, 1 if stride > 1 else "same", name=f"{p}.conv2")
            r = net.conv(depth, 1, name=f"{p}.conv3", bn=False, act=None)
            x = net.add(shortcut, r, name=f"{p}.add")
            depth_in = depth
    net.batch_norm("postnorm", act="relu", inputs=[x])
    slim_head(net)
    return net


def resnet_v2_101():
    net = resnet_v2("resnet_v2_101_299", (3, 4, 23, 3))
    header = [
        "ResNet v2 101 at 299x299 (He et al., \"Identity Mappings in Deep Residual",
        "Networks\", ECCV 2016), as TF-Slim's resnet_v2_101 defines it (the network of",
        "TFLite's hosted resnet_v2_101_299): conv1 7x7 stride 2 with bias (no batch norm),",
        "max pool 3x3 stride 2 SAME; bottleneck units (batch norm and ReLU before them, a",
        "1x1 projection shortcut from the pre-activation where depth changes, otherwise the",
        "input, max-pooled 1x1 where the unit strides); stride 2 in the last unit of blocks",
        "1-3 (TF-Slim's placement); post-norm, global average pool, 1x1 conv to 1001 classes.",
        "Published: no MAC figure for TF-Slim's 299x299 ResNet v2 101 was found; none is checked.",
    ]
    sources = ["He et al., ECCV 2016 (arXiv:1603.05027)",
               "TF-Slim research/slim/nets/resnet_v2.py (tensorflow/models)"]
    return net, header, sources, "ResNet v2 101, 299x299, 1001 classes (TF-Slim / TFLite hosted)", None


def inception_v4():
    net = Net("inception_v4_299", (3, 299, 299))
    c = net.conv
    c(32, 3, 2, "valid", name="Conv2d_1a_3x3")
    c(32, 3, 1, "valid", name="Conv2d_2a_3x3")
    x = c(64, 3, name="Conv2d_2b_3x3")
    b0 = net.max_pool(3, 2, name="Mixed_3a.b0", inputs=[x])
    b1 = c(96, 3, 2, "valid", name="Mixed_3a.b1", inputs=[x])
    x = net.concat([b0, b1], name="Mixed_3a")
    c(64, 1, name="Mixed_4a.b0a", inputs=[x])
    b0 = c(96, 3, 1, "valid", name="Mixed_4a.b0b")
    c(64, 1, name="Mixed_4a.b1a", inputs=[x])
    c(64, (1, 7), name="Mixed_4a.b1b")
    c(64, (7, 1), name="Mixed_4a.b1c")
    b1 = c(96, 3, 1, "valid", name="Mixed_4a.b1d")
    x = net.concat([b0, b1], name="Mixed_4a")
    b0 = c(192, 3, 2, "valid", name="Mixed_5a.b0", inputs=[x])
    b1 = net.max_pool(3, 2, name="Mixed_5a.b1", inputs=[x])
    x = net.concat([b0, b1], name="Mixed_5a")
    for i in range(4):
        m = f"Mixed_5{'bcde'[i]}"
        b0 = c(96, 1, name=f"{m}.b0", inputs=[x])
        c(64, 1, name=f"{m}.b1a", inputs=[x])
        b1 = c(96, 3, name=f"{m}.b1b")
        c(64, 1, name=f"{m}.b2a", inputs=[x])
        c(96, 3, name=f"{m}.b2b")
        b2 = c(96, 3, name=f"{m}.b2c")
        net.avg_pool(3, 1, "same", name=f"{m}.b3pool", inputs=[x])
        b3 = c(96, 1, name=f"{m}.b3")
        x = net.concat([b0, b1, b2, b3], name=m)
    m = "Mixed_6a"
    b0 = c(384, 3, 2, "valid", name=f"{m}.b0", inputs=[x])
    c(192, 1, name=f"{m}.b1a", inputs=[x])
    c(224, 3, name=f"{m}.b1b")
    b1 = c(256, 3, 2, "valid", name=f"{m}.b1c")
    b2 = net.max_pool(3, 2, name=f"{m}.b2", inputs=[x])
    x = net.concat([b0, b1, b2], name=m)
    for i in range(7):
        m = f"Mixed_6{'bcdefgh'[i]}"
        b0 = c(384, 1, name=f"{m}.b0", inputs=[x])
        c(192, 1, name=f"{m}.b1a", inputs=[x])
        c(224, (1, 7), name=f"{m}.b1b")
        b1 = c(256, (7, 1), name=f"{m}.b1c")
        c(192, 1, name=f"{m}.b2a", inputs=[x])
        c(192, (7, 1), name=f"{m}.b2b")
        c(224, (1, 7), name=f"{m}.b2c")
        c(224, (7, 1), name=f"{m}.b2d")
        b2 = c(256, (1, 7), name=f"{m}.b2e")
        net.avg_pool(3, 1, "same", name=f"{m}.b3pool", inputs=[x])
        b3 = c(128, 1, name=f"{m}.b3")
        x = net.concat([b0, b1, b2, b3], name=m)
    m = "Mixed_7a"
    c(192, 1, name=f"{m}.b0a", inputs=[x])
    b0 = c(192, 3, 2, "valid", name=f"{m}.b0b")
    c(256, 1, name=f"{m}.b1a", inputs=[x])
    c(256, (1, 7), name=f"{m}.b1b")
    c(320, (7, 1), name=f"{m}.b1c")
    b1 = c(320, 3, 2, "valid", name=f"{m}.b1d")
    b2 = net.max_pool(3, 2, name=f"{m}.b2", inputs=[x])
    x = net.concat([b0, b1, b2], name=m)
    for i in range(3):
        m = f"Mixed_7{'bcd'[i]}"
        b0 = c(256, 1, name=f"{m}.b0", inputs=[x])
        a = c(384, 1, name=f"{m}.b1a", inputs=[x])
        b1 = net.concat([c(256, (1, 3), name=f"{m}.b1b", inputs=[a]),
                         c(256, (3, 1), name=f"{m}.b1c", inputs=[a])], name=f"{m}.b1")
        c(384, 1, name=f"{m}.b2a", inputs=[x])
        c(448, (3, 1), name=f"{m}.b2b")
        a = c(512, (1, 3), name=f"{m}.b2c")
        b2 = net.concat([c(256, (1, 3), name=f"{m}.b2d", inputs=[a]),
                         c(256, (3, 1), name=f"{m}.b2e", inputs=[a])], name=f"{m}.b2")
        net.avg_pool(3, 1, "same", name=f"{m}.b3pool", inputs=[x])
        b3 = c(256, 1, name=f"{m}.b3")
        x = net.concat([b0, b1, b2, b3], name=m)
    slim_head(net, fc=True)
    header = [
        "Inception v4 at 299x299 (Szegedy et al., \"Inception-v4, Inception-ResNet and the",
        "Impact of Residual Connections on Learning\", AAAI 2017, Figures 3-9), as TF-Slim's",
        "inception_v4 defines it (the network of TFLite's hosted inception_v4 and",
        "inception_v4_299_quant, and of Coral's Inception v4): stem, 4 Inception-A,",
        "Reduction-A, 7 Inception-B, Reduction-B, 3 Inception-C, batch norm and ReLU after",
        "every conv, average pool 8x8 and a 1001-class FC (auxiliary head left out).",
        "Published: no MAC figure was found in the stored sources; none is checked.",
    ]
    sources = ["Szegedy et al., AAAI 2017 (arXiv:1602.07261)",
               "TF-Slim research/slim/nets/inception_v4.py (tensorflow/models)"]
    return net, header, sources, "Inception v4, 299x299, 1001 classes (TF-Slim / TFLite hosted)", None


def inception_resnet_v2():
    net = Net("inception_resnet_v2_299", (3, 299, 299))
    c = net.conv
    c(32, 3, 2, "valid", name="Conv2d_1a_3x3")
    c(32, 3, 1, "valid", name="Conv2d_2a_3x3")
    c(64, 3, name="Conv2d_2b_3x3")
    net.max_pool(3, 2, name="MaxPool_3a_3x3")
    c(80, 1, 1, "valid", name="Conv2d_3b_1x1")
    c(192, 3, 1, "valid", name="Conv2d_4a_3x3")
    x = net.max_pool(3, 2, name="MaxPool_5a_3x3")
    m = "Mixed_5b"
    b0 = c(96, 1, name=f"{m}.b0", inputs=[x])
    c(48, 1, name=f"{m}.b1a", inputs=[x])
    b1 = c(64, 5, name=f"{m}.b1b")
    c(64, 1, name=f"{m}.b2a", inputs=[x])
    c(96, 3, name=f"{m}.b2b")
    b2 = c(96, 3, name=f"{m}.b2c")
    net.avg_pool(3, 1, "same", name=f"{m}.b3pool", inputs=[x])
    b3 = c(64, 1, name=f"{m}.b3")
    x = net.concat([b0, b1, b2, b3], name=m)

    def residual(m, branches, width, relu=True):
        up = c(width, 1, name=f"{m}.up", inputs=[net.concat(branches, name=f"{m}.mixed")], bn=False, act=None)
        return net.add(x, up, name=f"{m}.add", act="relu" if relu else None)

    for i in range(1, 11):
        m = f"block35_{i}"
        b0 = c(32, 1, name=f"{m}.b0", inputs=[x])
        c(32, 1, name=f"{m}.b1a", inputs=[x])
        b1 = c(32, 3, name=f"{m}.b1b")
        c(32, 1, name=f"{m}.b2a", inputs=[x])
        c(48, 3, name=f"{m}.b2b")
        b2 = c(64, 3, name=f"{m}.b2c")
        x = residual(m, [b0, b1, b2], 320)
    m = "Mixed_6a"
    b0 = c(384, 3, 2, "valid", name=f"{m}.b0", inputs=[x])
    c(256, 1, name=f"{m}.b1a", inputs=[x])
    c(256, 3, name=f"{m}.b1b")
    b1 = c(384, 3, 2, "valid", name=f"{m}.b1c")
    b2 = net.max_pool(3, 2, name=f"{m}.b2", inputs=[x])
    x = net.concat([b0, b1, b2], name=m)
    for i in range(1, 21):
        m = f"block17_{i}"
        b0 = c(192, 1, name=f"{m}.b0", inputs=[x])
        c(128, 1, name=f"{m}.b1a", inputs=[x])
        c(160, (1, 7), name=f"{m}.b1b")
        b1 = c(192, (7, 1), name=f"{m}.b1c")
        x = residual(m, [b0, b1], 1088)
    m = "Mixed_7a"
    c(256, 1, name=f"{m}.b0a", inputs=[x])
    b0 = c(384, 3, 2, "valid", name=f"{m}.b0b")
    c(256, 1, name=f"{m}.b1a", inputs=[x])
    b1 = c(288, 3, 2, "valid", name=f"{m}.b1b")
    c(256, 1, name=f"{m}.b2a", inputs=[x])
    c(288, 3, name=f"{m}.b2b")
    b2 = c(320, 3, 2, "valid", name=f"{m}.b2c")
    b3 = net.max_pool(3, 2, name=f"{m}.b3", inputs=[x])
    x = net.concat([b0, b1, b2, b3], name=m)
    for i in range(1, 11):
        m = f"block8_{i}"
        b0 = c(192, 1, name=f"{m}.b0", inputs=[x])
        c(192, 1, name=f"{m}.b1a", inputs=[x])
        c(224, (1, 3), name=f"{m}.b1b")
        b1 = c(256, (3, 1), name=f"{m}.b1c")
        x = residual(m, [b0, b1], 2080, relu=i < 10)
    c(1536, 1, name="Conv2d_7b_1x1", inputs=[x])
    slim_head(net, fc=True)
    header = [
        "Inception-ResNet v2 at 299x299 (Szegedy et al., AAAI 2017, Figures 3 and 15-19), as",
        "TF-Slim's inception_resnet_v2 defines it (the network of TFLite's hosted",
        "inception_resnet_v2 and of Coral's Inception-ResNet v2): stem with Mixed_5b,",
        "10 x block35, Mixed_6a, 20 x block17, Mixed_7a, 10 x block8 (the last without",
        "ReLU), 1x1 conv 1536, average pool and a 1001-class FC. Each block's 1x1 'up'",
        "conv has a bias and no batch norm; its residual scale (0.17, 0.10, 0.20) is a",
        "constant multiply that folds into the up conv's weights, so it is left out.",
        "Published: no MAC figure was found in the stored sources; none is checked.",
    ]
    sources = ["Szegedy et al., AAAI 2017 (arXiv:1602.07261)",
               "TF-Slim research/slim/nets/inception_resnet_v2.py (tensorflow/models)"]
    return net, header, sources, "Inception-ResNet v2, 299x299, 1001 classes (TF-Slim)", None


def resnet_v1_slim(name, units, res=299):
    """TF-Slim resnet_v1 (stride on the 3x3 conv of the last unit of blocks 1-3)."""
    net = Net(name, (3, res, res))
    net.conv(64, 7, 2, 3, name="conv1")
    x = net.max_pool(3, 2, "same", name="pool1")
    depth_in = 64
    for b, (n, base) in enumerate(zip(units, (64, 128, 256, 512)), start=1):
        for u in range(1, n + 1):
            stride = 2 if (u == n and b < 4) else 1
            depth = base * 4
            p = f"block{b}.unit{u}"
            if depth == depth_in:
                shortcut = x if stride == 1 else net.max_pool(1, stride, "same", name=f"{p}.shortcut", inputs=[x])
            else:
                shortcut = net.conv(depth, 1, stride, name=f"{p}.shortcut", inputs=[x], act=None)
            net.conv(base, 1, name=f"{p}.conv1", inputs=[x])
            net.conv(base, 3, stride, 1 if stride > 1 else "same", name=f"{p}.conv2")
            r = net.conv(depth, 1, name=f"{p}.conv3", act=None)
            x = net.add(shortcut, r, name=f"{p}.add", act="relu")
            depth_in = depth
    slim_head(net)
    return net


def coral_resnet(version, depth):
    units = {50: (3, 4, 6, 3), 152: (3, 8, 36, 3)}[depth]
    name = f"resnet{depth}_{version}_299"
    if version == "v1":
        net = resnet_v1_slim(name, units)
        paper = "He et al., \"Deep Residual Learning for Image Recognition\", CVPR 2016"
        form = ("post-activation bottlenecks with a batch-normalized 1x1 projection where the "
                "depth changes")
    else:
        net = resnet_v2(name, units)
        paper = "He et al., \"Identity Mappings in Deep Residual Networks\", ECCV 2016"
        form = "pre-activation bottlenecks (as resnet_v2_101_299.yaml)"
    header = [
        f"ResNet-{depth} {version} at 299x299 ({paper}), as TF-Slim's resnet_{version}_{depth}",
        f"defines it (Coral's table names \"ResNet-{depth} {version.upper()} (299x299)\" and not the",
        f"definition; TF-Slim's, which has 299x299 checkpoints, is assumed): {form}; conv1 7x7 stride 2,",
        "max pool 3x3 stride 2 SAME; stride 2 in the 3x3 conv of the last unit of blocks 1-3",
        "(TF-Slim's placement); global average pool, 1x1 conv to 1001 classes.",
        "Published: no MAC figure for the 299x299 TF-Slim form was found; none is checked.",
    ]
    sources = [paper, f"TF-Slim research/slim/nets/resnet_{version}.py (tensorflow/models)"]
    return net, header, sources, f"ResNet-{depth} {version}, 299x299, 1001 classes (TF-Slim)", None


def squeezenet1_0(name, note):
    net = Net(name, (3, 224, 224))
    net.conv(96, 7, 2, 0, name="conv1", bn=False)
    net.max_pool(3, 2, name="pool1", ceil_mode=True)
    fires = [(2, 16, 64), (3, 16, 64), (4, 32, 128), "pool4", (5, 32, 128), (6, 48, 192),
             (7, 48, 192), (8, 64, 256), "pool8", (9, 64, 256)]
    for f in fires:
        if isinstance(f, str):
            net.max_pool(3, 2, name=f, ceil_mode=True)
            continue
        i, sq, ex = f
        s = net.conv(sq, 1, padding=0, name=f"fire{i}.squeeze", bn=False)
        a = net.conv(ex, 1, padding=0, name=f"fire{i}.expand1x1", bn=False)
        b = net.conv(ex, 3, padding=1, name=f"fire{i}.expand3x3", bn=False, inputs=[s])
        net.concat([a, b], name=f"fire{i}.concat")
    net.conv(1000, 1, padding=0, name="conv10", bn=False)
    net.gap()
    net.flatten()
    net.softmax()
    text = "torchvision.models.squeezenet1_0 (SqueezeNet1_0_Weights card: 1,248,424 params, 0.82 GFLOPS)"
    header = [
        "SqueezeNet 1.0 (Iandola et al., arXiv:1602.07360, Table 1: the version the paper",
        "defines; 1.1 exists only in the authors' repository) at 224x224, as torchvision's",
        "squeezenet1_0 defines it: conv1 96 7x7 stride 2, max pools 3x3 stride 2 (ceil mode)",
        "after conv1, fire4 and fire8, eight fire modules (squeeze 1x1, expand 1x1 and 3x3,",
        "concat), conv10 1x1 to 1000 classes with ReLU, global average pool. No batch norm.",
    ] + note + [f"Published: {text}."]
    sources = ["Iandola et al., arXiv:1602.07360, Table 1", text]
    return net, header, sources, "SqueezeNet 1.0, 224x224, 1000 classes", (820_000_000, 0.005 / 0.82, text, 1_248_424)


def efficientnet_edgetpu(size):
    width, depth_coefficient, res = {"s": (1.0, 1.0, 224), "m": (1.0, 1.1, 240),
                                     "l": (1.2, 1.4, 300)}[size]
    f = lambda c: round_filters(c, width)
    net = Net(f"efficientnet_edgetpu_{size}", (3, res, res))
    net.conv(f(32), 3, 2, name="stem")
    blocks = [  # repeats, kernel, stride, expand, in, out, fused, skip
        (1, 3, 1, 4, 24, 24, True, False), (2, 3, 2, 8, 24, 32, True, True),
        (4, 3, 2, 8, 32, 48, True, True), (5, 5, 2, 8, 48, 96, False, True),
        (4, 5, 1, 8, 96, 144, False, True), (2, 5, 2, 8, 144, 192, False, True),
    ]
    index = 0
    for r, k, s, e, cin, cout, fused, skip in blocks:
        cin, cout = f(cin), f(cout)
        for j in range(math.ceil(depth_coefficient * r)):
            stride = s if j == 0 else 1
            inp = cin if j == 0 else cout
            block_in = net.last
            p = f"blocks.{index}"
            if fused:
                net.conv(inp * e, k, stride, name=f"{p}.fused")
            else:
                net.conv(inp * e, 1, name=f"{p}.expand")
                net.conv(None, k, stride, name=f"{p}.dw", depthwise=True)
            net.conv(cout, 1, name=f"{p}.project", act=None)
            if skip and stride == 1 and inp == cout and net.shapes[block_in][0] == cout:
                net.add(net.last, block_in, name=f"{p}.add")
            index += 1
    net.conv(f(1280), 1, name="head")
    net.gap()
    net.flatten()
    net.fc(1001, name="fc")
    net.softmax()
    header = [
        f"EfficientNet-EdgeTPU-{size.upper()} at {res}x{res} (Gupta and Tan, Google AI blog, Aug",
        "2019), as tensorflow/tpu models/official/efficientnet/edgetpu/",
        "efficientnet_edgetpu_builder.py defines it: blocks r1_k3_s11_e4_i24_o24_c1_noskip,",
        "r2_k3_s22_e8_i24_o32_c1, r4_k3_s22_e8_i32_o48_c1, r5_k5_s22_e8_i48_o96,",
        "r4_k5_s11_e8_i96_o144, r2_k5_s22_e8_i144_o192 (c1: fused MBConv, a k x k expansion",
        "conv instead of 1x1 + depthwise), no squeeze-excite, ReLU; depth",
        f"coefficient {depth_coefficient} (repeats rounded up), SAME padding, stem 32, head 1280,",
        f"width coefficient {width} (channels times it, rounded to a multiple of 8 as",
        "efficientnet_model.round_filters does; L: width 1.2, depth 1.4, 300x300 in the builder),",
        "1001-class FC. The first block's expansion reads the stem's 32 channels (its 'i24'",
        "only sets the expansion width, 24 x 4 = 96).",
        "Published: no MAC figure was found in the stored sources; none is checked.",
    ]
    sources = ["tensorflow/tpu models/official/efficientnet/edgetpu/efficientnet_edgetpu_builder.py",
               "tensorflow/tpu models/official/efficientnet/efficientnet_model.py (MBConvBlock, round_repeats)"]
    return net, header, sources, f"EfficientNet-EdgeTPU-{size.upper()}, {res}x{res}, 1001 classes", None


DARKNET_YOLOV2_CFG = (
    "pjreddie/darknet cfg/yolov2.cfg (COCO, 416x416): 3x3 and 1x1 convs with batch norm and "
    "leaky ReLU (0.1), 2x2/2 max pools, route 16 -> 1x1 conv 64 -> reorg 2 -> route with "
    "conv 24, 3x3 conv 1024, 1x1 conv 425 (5 anchors x 85) with bias")
DARKNET_YOLOV2_TABLE = (
    "pjreddie.com/darknet/yolo (YOLOv2 table: YOLOv2 608x608 COCO 62.94 Bn FLOPS); "
    "yolov2_xilinx_fpga README (commit 6f6fd3ae): 29.47 GOP for the 416x416 network "
    "(darknet counts 2 operations per MAC)")


def yolov2():
    net = Net("yolov2_416", (3, 416, 416))

    def cbl(filters, kernel, name, inputs=None):
        net.conv(filters, kernel, padding=kernel // 2, name=name, act=None, inputs=inputs)
        return net.leaky_relu(0.1, name=f"{name}.leaky")

    plan = [(32, 3), "M", (64, 3), "M", (128, 3), (64, 1), (128, 3), "M",
            (256, 3), (128, 1), (256, 3), "M", (512, 3), (256, 1), (512, 3), (256, 1), (512, 3),
            "M", (1024, 3), (512, 1), (1024, 3), (512, 1), (1024, 3), (1024, 3), (1024, 3)]
    index = 0
    for item in plan:
        if item == "M":
            net.max_pool(2, 2, name=f"pool{index}")
        else:
            out = cbl(item[0], item[1], f"conv{index}")
            if index == 16:
                route16 = out
        index += 1
    conv24 = net.last
    cbl(64, 1, "conv26", inputs=[route16])
    net.space_to_depth(2, name="reorg27")
    net.concat([net.last, conv24], name="route28")
    cbl(1024, 3, "conv29")
    net.conv(425, 1, name="conv30", bn=False, act=None)
    header = [
        "YOLOv2 (Redmon and Farhadi, \"YOLO9000\", CVPR 2017), darknet's yolov2.cfg for COCO at",
        "416x416, the network of the dhm2013724/yolov2_xilinx_fpga accelerator (PYNQ, Fixed-16).",
        "Darknet's convolutions pad k/2; every conv but the last has batch norm (folded) and a",
        "leaky ReLU (slope 0.1); the reorg layer is a space-to-depth with block 2 (darknet's",
        "channel order differs, the shape and the bytes moved do not). The region layer",
        "(anchor decoding, on the ARM in the measured runs) is left out.",
        "Published: 29.47 GOP (the accelerator's README; darknet's table gives 62.94 Bn for",
        "608x608, x (416/608)^2 = 29.46), counting 2 operations per MAC: 14.74 G MACs.",
    ]
    sources = ["Redmon and Farhadi, CVPR 2017 (arXiv:1612.08242)", DARKNET_YOLOV2_CFG, DARKNET_YOLOV2_TABLE]
    published = (int(29.47e9 / 2), 0.005 / 29.47, DARKNET_YOLOV2_TABLE, None)
    return net, header, sources, "YOLOv2 (darknet yolov2.cfg, COCO), 416x416", published


SLIM_NASNET = (
    "TF-Slim research/slim/nets/nasnet/nasnet.py and nasnet_utils.py (tensorflow/models): "
    "NasNetANormalCell / NasNetAReductionCell operations and hidden-state indices, "
    "_cell_base, _reduce_prev_layer, factorized_reduction, _stacked_separable_conv, "
    "_imagenet_stem, build_nasnet_mobile / build_nasnet_large hyperparameters")
NASNET_PUBLISHED = {  # Zoph et al., CVPR 2018, Table 2 (ImageNet): mult-adds, parameters
    "mobile": (564e6, 5.3e6, "NASNet-A (4 @ 1056)"),
    "large": (23.8e9, 88.9e6, "NASNet-A (6 @ 4032)"),
}


def nasnet(size):
    """NASNet-A for ImageNet as TF-Slim builds it (SLIM_NASNET)."""
    cells, filters0, stem_multiplier, res, skip_reduction_input = {
        "mobile": (12, 44, 1.0, 224, False), "large": (18, 168, 3.0, 331, True)}[size]
    net = Net(f"nasnet_{size}", (3, res, res))
    relus = {}

    def relu(tensor):
        # One ReLU per tensor: TF's graph optimiser merges the identical ReLUs that
        # several branches apply to the same hidden state (assumption, stated).
        if tensor not in relus:
            relus[tensor] = net.act("relu", name=f"{tensor}.relu", inputs=[tensor])
        return relus[tensor]

    def factorized_reduction(x, filters, stride, p):
        if stride == 1:
            return net.conv(filters, 1, name=f"{p}.path_conv", inputs=[x], act=None)
        a = net.avg_pool(1, 2, name=f"{p}.path1_pool", inputs=[x])
        a = net.conv(filters // 2, 1, name=f"{p}.path1_conv", bn=False, bias=False, act=None)
        # path 2 shifts the map by one pixel (pad, slice) before the same pooling
        b = net.avg_pool(1, 2, name=f"{p}.path2_pool", inputs=[x])
        b = net.conv(filters - filters // 2, 1, name=f"{p}.path2_conv", bn=False, bias=False, act=None)
        net.concat([a, b], name=f"{p}.concat")
        return net.batch_norm(f"{p}.bn")

    def sep_stack(x, kernel, stride, filters, p):
        for layer in range(2):
            x = relu(x)
            net.conv(None, kernel, stride, name=f"{p}.sep{layer}.dw", depthwise=True, inputs=[x],
                     bn=False, bias=False, act=None)
            x = net.conv(filters, 1, name=f"{p}.sep{layer}.pw", act=None)
            stride = 1
        return x

    def apply(x, op, stride, original, filters, p):
        if stride > 1 and not original:
            stride = 1
        c = net.shapes[x][0]
        if op.startswith("separable"):
            return sep_stack(x, int(op.split("_")[1][0]), stride, filters, p)
        if op == "none":
            if stride > 1 or c != filters:
                return net.conv(filters, 1, stride, name=f"{p}.1x1", inputs=[relu(x)], act=None)
            return x
        pool = net.max_pool if op.startswith("max") else net.avg_pool
        y = pool(3, stride, padding="same", name=f"{p}.{op.split('_')[0]}pool", inputs=[x],
                 count_include_pad=False if op.startswith("avg") else None)
        if c != filters:
            y = net.conv(filters, 1, name=f"{p}.pool_1x1", inputs=[y], act=None)
        return y

    normal = (["separable_5x5_2", "separable_3x3_2", "separable_5x5_2", "separable_3x3_2",
               "avg_pool_3x3", "none", "avg_pool_3x3", "avg_pool_3x3", "separable_3x3_2", "none"],
              [0, 1, 1, 1, 0, 1, 1, 1, 0, 0], [1, 0, 0, 0, 0, 0, 0])
    reduction = (["separable_5x5_2", "separable_7x7_2", "max_pool_3x3", "separable_7x7_2",
                  "avg_pool_3x3", "separable_5x5_2", "none", "avg_pool_3x3", "separable_3x3_2",
                  "max_pool_3x3"],
                 [0, 1, 0, 1, 0, 1, 3, 2, 2, 0], [1, 1, 1, 0, 0, 0, 0])

    def cell(kind, x, prev, scaling, stride, p):
        ops, indices, used = kind
        filters = int(filters0 * scaling)
        if prev is None:
            prev = x
        elif net.shapes[prev][1] != net.shapes[x][1]:
            prev = factorized_reduction(relu(prev), filters, 2, f"{p}.prev_reduce")
        elif net.shapes[prev][0] != filters:
            prev = net.conv(filters, 1, name=f"{p}.prev_1x1", inputs=[relu(prev)], act=None)
        cur = net.conv(filters, 1, name=f"{p}.1x1", inputs=[relu(x)], act=None)
        states = [cur, prev]
        for block in range(5):
            li, ri = indices[2 * block], indices[2 * block + 1]
            h1 = apply(states[li], ops[2 * block], stride, li < 2, filters, f"{p}.b{block}.left")
            h2 = apply(states[ri], ops[2 * block + 1], stride, ri < 2, filters, f"{p}.b{block}.right")
            states.append(net.add(h1, h2, name=f"{p}.b{block}.add"))
        final = net.shapes[states[-1]]
        outputs = []
        for index, (state, is_used) in enumerate(zip(states, used)):
            if is_used:
                continue
            shape = net.shapes[state]
            if shape[1] != final[1] or shape[0] != final[0]:
                state = factorized_reduction(state, final[0], 2 if shape[1] != final[1] else 1,
                                             f"{p}.out_reduce{index}")
            outputs.append(state)
        return net.concat(outputs, name=f"{p}.concat")

    # _imagenet_stem: a VALID 3x3/2 conv, then two reduction cells at scaling 1/4, 1/2
    stem = net.conv(int(32 * stem_multiplier), 3, 2, padding="valid", name="conv0", act=None)
    outputs = [None, stem]
    scaling = 0.25
    for index in range(2):
        outputs.append(cell(reduction, net.last, outputs[-2], scaling, 2, f"stem{index}"))
        scaling *= 2
    reductions = [int(k / 3 * cells) for k in (1, 2)]
    scaling = 1.0
    reduction_index = 0
    prev = None
    for index in range(cells):
        if skip_reduction_input:
            prev = outputs[-2]
        if index in reductions:
            scaling *= 2
            outputs.append(cell(reduction, net.last, outputs[-2], scaling, 2, f"reduction{reduction_index}"))
            reduction_index += 1
        if not skip_reduction_input:
            prev = outputs[-2]
        outputs.append(cell(normal, net.last, prev, scaling, 1, f"cell{index}"))
    net.act("relu", name="final_relu")
    net.gap()
    net.flatten()
    net.fc(1001, name="logits")
    net.softmax()
    macs, params, label = NASNET_PUBLISHED[size]
    text = f"Zoph et al., CVPR 2018 (arXiv:1707.07012), Table 2: {label}, {macs / 1e6:,.0f} M mult-adds, {params / 1e6:g} M parameters"
    header = [
        f"NASNet-A {size} for ImageNet at {res}x{res} ({label}; Zoph et al., \"Learning",
        "Transferable Architectures for Scalable Image Recognition\", CVPR 2018), as TF-Slim's",
        f"nasnet.py builds it and TFLite's hosted NASNet {size} deploys it: the ImageNet stem (a",
        "VALID 3x3/2 conv and two reduction cells), "
        f"{cells} normal cells in 3 stacks with 2 reduction",
        f"cells between them, {filters0} filters at the first stack, doubling at each reduction;",
        "separable convs are ReLU, depthwise kxk, pointwise 1x1, batch norm (folded), twice;",
        "factorized reductions (two 1x1/2 paths, concat, batch norm) where a previous hidden",
        "state has another size; SAME padding; a 1001-class FC. The auxiliary head (training",
        "only) and drop-path are left out. Assumed: one ReLU per hidden state, shared by its",
        "branches (TF's graph optimiser merges identical ReLUs), and the path-2 pixel shift",
        "of a factorized reduction costs no separate layer.",
        f"Published: {text}.",
    ]
    sources = ["Zoph et al., CVPR 2018 (arXiv:1707.07012)", SLIM_NASNET, text]
    published = (int(macs), 0.02, text, int(params))
    return net, header, sources, f"NASNet-A {size} ({label}), {res}x{res}, 1001 classes", published


MOBILENET_V2_BLOCKS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                       (6, 160, 3, 2), (6, 320, 1, 1)]  # t, c, n, s (Sandler et al., Table 2)


def mobilenet_v2_features(net, output_stride=32, alpha=1.0, divisor=8):
    """MobileNetV2 1.0 without its 1280-channel head (Sandler et al., arXiv:1801.04381,
    Table 2), named as Keras' MobileNetV2 names its layers. With an output stride below
    32 a stride-2 block that would pass it keeps stride 1 and every later depthwise conv
    dilates by the product of the strides dropped before it, as TF-Slim's
    mobilenet.py applies output_stride (DeepLab's atrous MobileNetV2: at 16, block 13
    keeps stride 1 and blocks 14-16 dilate by 2; at 8, block 6 too, blocks 7-13 dilate
    by 2 and 14-16 by 4). Widths are round_filters(c, alpha, divisor): divisor 8 as
    TF-Slim by default, 1 where DeepLab's feature_extractor.py sets divisible_by = 1
    (depth multiplier other than 1.0). Returns the Keras layer names of every block's
    expansion output and the last projection."""
    net.conv(round_filters(32, alpha, divisor), 3, 2, name="Conv1", act="relu6")
    points = {}
    stride_so_far = 2
    rate = 1
    index = 0
    for t, c, n, s in MOBILENET_V2_BLOCKS:
        c = round_filters(c, alpha, divisor)
        for j in range(n):
            stride = s if j == 0 else 1
            dilation = 1
            if stride_so_far >= output_stride:  # TF-Slim: layer_rate = rate; rate *= stride
                dilation, rate, stride = rate, rate * stride, 1
            stride_so_far *= stride
            block_in = net.last
            p = "expanded_conv" if index == 0 else f"block_{index}"
            inp = net.shapes[block_in][0]
            if t != 1:
                points[f"{p}_expand_relu"] = net.conv(inp * t, 1, name=f"{p}_expand", act="relu6")
            net.conv(None, 3, stride, name=f"{p}_depthwise", depthwise=True, act="relu6",
                     dilation=dilation)
            points[f"{p}_project"] = net.conv(c, 1, name=f"{p}_project", act=None)
            if stride == 1 and inp == c:
                net.add(net.last, block_in, name=f"{p}_add")
            index += 1
    return points


DEEPLAB_MODEL_ZOO = (
    "tensorflow/models research/deeplab/g3doc/model_zoo.md, PASCAL VOC table, row "
    "mobilenetv2_coco_voc_trainaug: eval output stride 16, 2.75B multiply-adds at 513x513")


def deeplab_mobilenet_head(net, res, identity_resize=False, coral=False):
    """DeepLab v3's head for a MobileNet backbone (tensorflow/models research/deeplab):
    image pooling (global pool, 1x1 conv 256, bilinear resize back) beside a 1x1 conv
    256, concat, 1x1 projection 256, 1x1 logits (21 PASCAL classes) and a bilinear
    resize to the input size; identity_resize adds the bilinear resize of the logits to
    their own size that TFLite's deeplabv3_257_mv_gpu.tflite runs before that one.
    coral: in the order of Coral's deeplabv3_mnv2_*pascal_quant.tflite files (aspp0 and
    the image-pooling conv before the image-pooling resize, where the Edge TPU custom op
    of the compiled twins ends) and with their final ArgMax over the 21 classes."""
    features = net.last
    c, h, w = net.shapes[features]
    net.gap(name="image_pooling", inputs=[features])
    pooled_conv = net.conv(256, 1, name="image_pooling_conv")
    if coral:
        aspp0 = net.conv(256, 1, name="aspp0", inputs=[features])
        pooled = net.resize("image_pooling_resize", size=(h, w), mode="linear",
                            inputs=[pooled_conv])
    else:
        pooled = net.resize("image_pooling_resize", size=(h, w), mode="linear")
        aspp0 = net.conv(256, 1, name="aspp0", inputs=[features])
    net.concat([pooled, aspp0], name="aspp_concat")
    net.conv(256, 1, name="concat_projection")
    logits = net.conv(21, 1, name="logits", bn=False, act=None)
    if identity_resize:
        net.resize("logits_resize_identity", size=net.shapes[logits][1:], mode="linear")
    net.resize("logits_resize", size=(res, res), mode="linear")
    if coral:
        net.argmax("argmax")


def deeplab_v3_513():
    net = Net("deeplab_v3_513", (3, 513, 513))
    mobilenet_v2_features(net, output_stride=16)
    deeplab_mobilenet_head(net, 513, identity_resize=True, coral=True)
    header = [
        "DeepLab v3 with a MobileNetV2 1.0 backbone at 513x513 (Chen et al., arXiv:1706.05587;",
        "Sandler et al., arXiv:1801.04381 section 6.3), the network of Coral's \"DeepLab V3",
        "(513x513)\" (deeplabv3_mnv2_pascal; Coral's table does not name the depth multiplier:",
        "1.0, the model zoo's, is assumed). As tensorflow/models research/deeplab builds it:",
        "MobileNetV2 to layer_18 (320 channels, no 1280 head) at output stride 16 (the last",
        "stride-2 block keeps stride 1; later depthwise convs dilate by 2); ASPP without",
        "atrous branches (as for MobileNet): image pooling (global pool, 1x1 conv 256,",
        "bilinear resize back) beside a 1x1 conv 256, concat, 1x1 projection 256; 1x1 logits",
        "(21 PASCAL classes) and a bilinear resize to 513x513. Batch norm folded, ReLU6 in the",
        "backbone, ReLU in ASPP. In the order of Coral's deeplabv3_mnv2_pascal_quant.tflite",
        "(google-coral/test_data at 104342d): aspp0 before the image-pooling resize, the resize",
        "of the logits to their own size before the one to 513x513, and the final ArgMax over",
        "the 21 classes (513x513 int64 labels), which the Edge TPU leaves to the host.",
        "Published: 2.75 G multiply-adds (" + DEEPLAB_MODEL_ZOO + ").",
    ]
    sources = ["Chen et al., arXiv:1706.05587", "Sandler et al., arXiv:1801.04381",
               "tensorflow/models research/deeplab/core/feature_extractor.py and model.py "
               "(mobilenet_v2 to layer_18, image pooling + 1x1 ASPP, concat_projection)",
               DEEPLAB_MODEL_ZOO]
    # The zoo rounds to 0.01 G; this count is 0.34% below it (the zoo may count the
    # bilinear resizes or the ArgMax): tolerance 1%.
    published = (2_750_000_000, 0.01, DEEPLAB_MODEL_ZOO, None)
    return net, header, sources, "DeepLab v3, MobileNetV2 1.0 backbone, output stride 16, 513x513", published


TF_UNET_TUTORIAL = (
    "TensorFlow tutorial 'Image segmentation' (tensorflow/docs site/en/tutorials/images/"
    "segmentation.ipynb): Keras MobileNetV2 encoder at 128x128 (block_1/3/6/13_expand_relu, "
    "block_16_project), pix2pix.upsample(512/256/128/64, 3) decoder (Conv2DTranspose, "
    "batch norm, ReLU), concat skips, a final Conv2DTranspose(3, 3, strides=2)")


def unet_mobilenet_v2_128():
    return unet_mobilenet_v2(128, [
        "U-Net with a MobileNetV2 encoder at 128x128, the network of Coral's \"Unet Mv2",
        "(128x128)\" (keras_post_training_unet_mv2_128: TensorFlow's image segmentation",
        "tutorial model, 3 classes)."])


def unet_mobilenet_v2(res, intro):
    net = Net(f"unet_mobilenet_v2_{res}", (3, res, res))
    points = mobilenet_v2_features(net)
    skips = [points[k] for k in ("block_1_expand_relu", "block_3_expand_relu",
                                 "block_6_expand_relu", "block_13_expand_relu")]
    net.last = points["block_16_project"]
    for filters, skip in zip((512, 256, 128, 64), reversed(skips)):
        net.conv_transpose(filters, 3, 2, name=f"up{filters}")
        net.concat([net.last, skip], name=f"up{filters}_concat")
    net.conv_transpose(3, 3, 2, name="output", bn=False, act=None)
    header = intro + [
        "Encoder: Keras MobileNetV2 1.0 up to block_16_project;",
        "skips from block_1, 3, 6 and 13's expansion ReLU6. Decoder: four pix2pix upsample",
        "blocks (3x3 stride-2 transposed conv without bias, batch norm folded, ReLU), each",
        "concatenated with its skip, and a 3x3 stride-2 transposed conv to 3 channels with",
        "bias. The encoder layers after block_16_project are not used and not listed.",
        "Published: no MAC figure for this network was found; none is checked.",
    ]
    sources = ["Ronneberger et al., MICCAI 2015 (arXiv:1505.04597)", "Sandler et al., arXiv:1801.04381",
               TF_UNET_TUTORIAL]
    return net, header, sources, f"U-Net, MobileNetV2 encoder, pix2pix decoder, {res}x{res}, 3 classes", None


TF_OD_SSD = (
    "tensorflow/models research/object_detection: ssd_mobilenet_v1_feature_extractor.py and "
    "ssd_mobilenet_v2_feature_extractor.py (feature maps Conv2d_11_pointwise + "
    "Conv2d_13_pointwise, or layer_15/expansion_output + layer_19, then four extra maps "
    "of depth 512, 256, 256, 128, each a 1x1 conv to half the depth and a 3x3/2 conv), "
    "samples/configs/ssd_mobilenet_v1_coco.config (90 classes + background, 1x1 box "
    "predictor, 3 anchors on the first map and 6 on the others)")
MOBILENET_SSD_PUBLISHED = (
    "Howard et al., arXiv:1704.04861, Table 13: SSD 300 with MobileNet, 1.2 B mult-adds, "
    "6.8 M parameters")


def ssd_net(version, res):
    net = Net(f"ssd_mobilenet_{version}_{res}", (3, res, res))
    if version == "v1":
        net.conv(32, 3, 2, name="Conv2d_0", act="relu6")
        plan = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]
        for i, (c, s) in enumerate(plan, start=1):
            net.conv(None, 3, s, name=f"Conv2d_{i}_depthwise", depthwise=True, act="relu6")
            net.conv(c, 1, name=f"Conv2d_{i}_pointwise", act="relu6")
        maps = ["Conv2d_11_pointwise", "Conv2d_13_pointwise"]
    else:
        points = mobilenet_v2_features(net)
        net.conv(1280, 1, name="Conv_1", act="relu6")
        maps = [points["block_13_expand_relu"], "Conv_1"]
    for depth in (512, 256, 256, 128):
        net.conv(depth // 2, 1, name=f"extra_{depth}_{len(maps)}_1x1", act="relu6")
        maps.append(net.conv(depth, 3, 2, name=f"extra_{depth}_{len(maps)}_3x3", act="relu6"))
    boxes, classes = [], []
    total_anchors = 0
    for index, feature in enumerate(maps):
        anchors = 3 if index == 0 else 6
        _, h, w = net.shapes[feature]
        total_anchors += anchors * h * w
        net.conv(anchors * 4, 1, name=f"box{index}", inputs=[feature], bn=False, act=None)
        boxes.append(net.flatten(name=f"box{index}_flat"))
        net.conv(anchors * 91, 1, name=f"class{index}", inputs=[feature], bn=False, act=None)
        classes.append(net.flatten(name=f"class{index}_flat"))
    net.concat1d(boxes, name="box_encodings")
    net.concat1d(classes, name="class_logits")
    net.act("sigmoid", name="class_scores")
    # TFLite_Detection_PostProcess with the exported models' options
    # (max_detections 10, one class per detection, 90 classes + background);
    # 1917 anchors at 300x300 (19x19x3 + 10x10x6 + 5x5x6 + 3x3x6 + 2x2x6 + 1x1x6).
    if res == 300:
        assert total_anchors == 1917, total_anchors
    net.detection_postprocess("detections", "box_encodings", "class_scores", total_anchors, 91)
    return net


def ssd_mobilenet(version, res):
    net = ssd_net(version, res)
    backbone = ("MobileNetV1 1.0 to Conv2d_13_pointwise" if version == "v1" else
                "MobileNetV2 1.0 with its 1280-channel 1x1 conv (feature maps block_13's expansion "
                "output, layer_15/expansion_output in TF's names, and Conv_1)")
    header = [
        f"SSD with a {backbone} at {res}x{res} (Liu et al., ECCV 2016; TF Object Detection",
        f"API), the network of Coral's \"MobileNet {version} SSD ({res}x{res})\" row (the table states",
        "the input size; it is used as stated). Six feature maps: two from the backbone and four",
        "extra (1x1 conv to half the depth, 3x3 stride-2 conv; depths 512, 256, 256, 128;",
        "ReLU6, batch norm folded); on each a 1x1 box conv (4 per anchor) and a 1x1 class conv",
        "(91 per anchor: 90 COCO classes + background), 3 anchors on the first map and 6 on",
        "the others; flattened, concatenated, sigmoid scores; then the detection",
        "post-processing (TFLite_Detection_PostProcess: anchor decoding, best class per anchor,",
        "non-maximum suppression; max_detections 10, one class per detection), which the Edge",
        "TPU compiler leaves to the host CPU. Its anchors are the feature maps' cells times",
        "their anchors (1917 at 300x300).",
    ]
    sources = ["Liu et al., ECCV 2016 (arXiv:1512.02325)", TF_OD_SSD]
    published = None
    if version == "v1":
        reference = ssd_net("v1", 300)
        check = (reference.macs, reference.params)
        header.append(
            f"Published: {MOBILENET_SSD_PUBLISHED}; this definition at 300x300 counts "
            f"{check[0] / 1e9:.3f} G MACs and {check[1] / 1e6:.2f} M parameters (checked by the "
            "generator); the file at 224 has no published figure of its own.")
        sources.append(MOBILENET_SSD_PUBLISHED)
    else:
        header.append("Published: no MAC figure for this network was found; none is checked.")
    return net, header, sources, f"SSD MobileNet {version} (COCO), {res}x{res}", published


# ---------------------------------------------------------------------------
# Workloads of the held-out set (Hardware/measurements/held-out.csv): networks
# with a published time on a bundled device that no row of published.csv
# measures. `edgesim calibrate` never fits them.

TFLITE_POSENET_PAGE = (
    "tensorflow/tensorflow tensorflow/lite/g3doc/models/pose_estimation/overview.md (commit "
    "09860328f1ce): starter model posenet_mobilenet_v1_100_257x257_multi_kpt_stripped.tflite, "
    "12.7 Mb")
TFLITE_SEGMENTATION_PAGE = (
    "tensorflow/tensorflow tensorflow/lite/g3doc/models/segmentation/overview.md (commit "
    "09860328f1ce): starter model deeplabv3_257_mv_gpu.tflite, 2.7 Mb")


def posenet_mobilenet_v1_100_257():
    net = Net("posenet_mobilenet_v1_100_257", (3, 257, 257))
    net.conv(32, 3, 2, name="conv0", act="relu6")
    plan = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]
    for i, (c, s) in enumerate(plan, start=1):
        net.conv(None, 3, s, name=f"dw{i}", depthwise=True, act="relu6")
        net.conv(c, 1, name=f"pw{i}", act="relu6")
    body = net.last
    for head, channels in (("heatmap", 17), ("offset", 34), ("displacement_fwd", 32),
                           ("displacement_bwd", 32)):
        net.conv(channels, 1, name=head, inputs=[body], bn=False, act=None)
    header = [
        "PoseNet (multi-person, MobileNetV1 1.0 at 257x257, output stride 32), the TFLite",
        "pose-estimation starter model: TF-Slim MobileNetV1 1.0 conv body to Conv2d_13_pointwise",
        "(SAME padding, ReLU6; 257 -> 129 -> 65 -> 33 -> 17 -> 9) and four 1x1 heads with bias",
        "on its 9x9x1024 output: 17 keypoint heatmaps, 34 offsets, 32 forward and 32 backward",
        "displacements (the output shapes 1x9x9x17/34/32/32 of the TFLite model, as the TFLite",
        "Android PoseNet example reads them). Its 3.33 M float parameters are 13.3 MB = 12.7",
        "MiB, the page's '12.7 Mb'. Key-point decoding runs on the host and is not a layer.",
        "Published: no MAC figure found; none is checked.",
    ]
    sources = ["Papandreou et al., PersonLab, ECCV 2018 (arXiv:1803.08225)", SLIM_MOBILENET_V1_PY,
               TFLITE_POSENET_PAGE]
    return net, header, sources, "PoseNet MobileNetV1 1.0, 257x257, output stride 32 (TFLite starter model)", None


DEEPLAB_257_FILE = (
    "the file deeplabv3_257_mv_gpu.tflite (2,779,264 bytes; the copy committed in floe/deepseg, "
    "models/deeplabv3_257_mv_gpu.tflite at commit c003ad7128c3, read with the tflite "
    "flatbuffer reader): 70 operators, output stride 8, 725,849,344 convolution MACs, "
    "688,363 constant elements: weights, biases and the three resizes' 2-element sizes")


def deeplab_v3_mnv2_dm05_257():
    net = Net("deeplab_v3_mnv2_dm05_257", (3, 257, 257))
    mobilenet_v2_features(net, output_stride=8, alpha=0.5, divisor=1)
    deeplab_mobilenet_head(net, 257, identity_resize=True)
    header = [
        "DeepLab v3 with a MobileNetV2 backbone at depth multiplier 0.5, 257x257: the TFLite",
        "segmentation starter model deeplabv3_257_mv_gpu.tflite, layer for layer as the file",
        "has it (" + DEEPLAB_257_FILE + "). Output stride 8:",
        "blocks 3-16 run at 33x33; block 6 keeps stride 1, the depthwise convs of blocks 7-13",
        "dilate by 2 and of blocks 14-16 by 4 (TF-Slim's output_stride, and the default 8 of",
        "research/deeplab's export_model.py). Widths are exact halves (16, 8, 12, 16, 32, 48,",
        "80, 160; expansions 6x: 48, 72, 96, 192, 288, 480), as research/deeplab's",
        "feature_extractor.py sets divisible_by = 1 for a depth multiplier other than 1.0.",
        "Head: image pooling (average pool, 1x1 conv 256, bilinear resize to 33x33) beside a",
        "1x1 conv 256, concat, 1x1 projection 256, 1x1 logits (21 classes), a bilinear resize",
        "of the logits to 33x33 (the file's ResizeBilinear_2) and one to 257x257",
        "(ResizeBilinear_3, the output). No ArgMax: the output is 1x257x257x21 float.",
        "Published: no MAC figure found; the count is checked against the file's.",
    ]
    sources = ["Chen et al., arXiv:1706.05587", "Sandler et al., arXiv:1801.04381",
               TFLITE_SEGMENTATION_PAGE, DEEPLAB_257_FILE,
               "tensorflow/models research/deeplab/core/feature_extractor.py (_mobilenet_v2: "
               "divisible_by = 8 if depth_multiplier == 1.0 else 1) and export_model.py "
               "(output_stride default 8)"]
    # The count equals the file's convolution MACs exactly; the resizes and pooling add none.
    published = (725_849_344, 0.0, DEEPLAB_257_FILE, None)
    return net, header, sources, "DeepLab v3, MobileNetV2 0.5 backbone, output stride 8, 257x257", published


def held_out_ssd_mobilenet_v1_300():
    net = ssd_net("v1", 300)
    header = [
        "SSD MobileNetV1 1.0 at 300x300 (COCO), the network of the TFLite object-detection",
        "page's benchmark row 'COCO SSD MobileNet v1 (27 Mb)': 27 Mb is this network's 6.8 M",
        "float parameters. Built as ssd_mobilenet_v1_224 at 300x300 (six feature maps, 3 then",
        "6 anchors, 91 classes). The page's quantized starter file",
        "(coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.zip, detect.tflite, 4,183,312 bytes) is",
        "another network despite its name: read layer by layer it is SSD MobileNetV1 at depth",
        "0.75 (first conv 24 channels, 728,036,496 convolution MACs, 4.1 M parameters). The",
        "last layer is the detection post-processing (TFLite_Detection_PostProcess: anchor",
        "decoding, best class per anchor, non-maximum suppression over 1917 anchors), which the",
        "GPU delegate leaves to the CPU.",
        f"Published: {MOBILENET_SSD_PUBLISHED}.",
    ]
    sources = ["Liu et al., ECCV 2016 (arXiv:1512.02325)", TF_OD_SSD, MOBILENET_SSD_PUBLISHED]
    return net, header, sources, "SSD MobileNet v1 (COCO), 300x300", None


CORAL_POSE_PAGE = (
    "Coral, 'Pose estimation' models page (https://coral.ai/models/pose-estimation, stored copy "
    "read through the search tool): PoseNet MobileNet V1, 17 body points, output stride 16, "
    "input 353x481x3 (5.8 ms, 1.5 MB), 481x641x3 (10.3 ms, 1.7 MB), 721x1281x3 (32.4 ms, 2.5 MB)")
CORAL_POSENET_FILES = (
    "google-coral/project-posenet and the Coral C++ benchmark (BM_PoseNet_MobileNetV1_075_"
    "WithDecoder): posenet_mobilenet_v1_075_<height>_<width>_quant_decoder_edgetpu.tflite, "
    "depth multiplier 0.75, with the PosenetDecoderOp custom op run on the host CPU")
CORAL_SEGMENTATION_PAGE = (
    "Coral, 'Semantic segmentation' models page (https://coral.ai/models/semantic-segmentation, "
    "stored copy read through the search tool): U-Net MobileNet v2 256x256x3 (29.0 ms, 7.3 MB); "
    "MobileNet v2 DeepLab v3 513x513x3, depth multiplier 0.5 (36.8 ms, 1.1 MB)")


def posenet_mobilenet_v1_075(height, width):
    net = Net(f"posenet_mobilenet_v1_075_{height}_{width}", (3, height, width))
    d = lambda c: slim_depth(c, 0.75)
    net.conv(d(32), 3, 2, name="conv0", act="relu6")
    plan = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]
    stride_so_far, rate = 2, 1
    for i, (c, s) in enumerate(plan, start=1):
        dilation = 1
        if stride_so_far == 16:  # output stride 16: stride 1, later layers dilated
            dilation, rate = rate, rate * s
            s = 1
        stride_so_far *= s
        net.conv(None, 3, s, name=f"dw{i}", depthwise=True, act="relu6", dilation=dilation)
        net.conv(d(c), 1, name=f"pw{i}", act="relu6")
    body = net.last
    for head, channels in (("heatmap", 17), ("offset", 34), ("displacement_fwd", 32),
                           ("displacement_bwd", 32)):
        net.conv(channels, 1, name=head, inputs=[body], bn=False, act=None)
    header = [
        f"PoseNet (multi-person, MobileNetV1 0.75, output stride 16) at {height}x{width}, the",
        "network of Coral's pose-estimation page (posenet_mobilenet_v1_075_"
        f"{height}_{width}_quant_decoder_edgetpu.tflite). TF-Slim MobileNetV1 0.75 conv body",
        "(depth(d) = max(int(0.75 d), 8), SAME padding, ReLU6) to Conv2d_13_pointwise; output",
        "stride 16 as PoseNet's toOutputStridedLayers sets it: the 12th depthwise conv keeps",
        "stride 1 and the 13th dilates by 2. Four 1x1 heads with bias: 17 keypoint heatmaps,",
        "34 offsets, 32 forward and 32 backward displacements (as the 257x257 PoseNet). The",
        "multi-pose decoder (a TFLite custom op on the host CPU) is not a layer.",
        "Published: no MAC figure found; none is checked.",
    ]
    sources = ["Papandreou et al., PersonLab, ECCV 2018 (arXiv:1803.08225)", SLIM_MOBILENET_V1_PY,
               CORAL_POSENET_FILES, CORAL_POSE_PAGE]
    return net, header, sources, f"PoseNet MobileNetV1 0.75, {height}x{width}, output stride 16 (Coral)", None


def held_out_unet_mobilenet_v2_256():
    net, header, sources, description, published = unet_mobilenet_v2(256, [
        "U-Net with a MobileNetV2 encoder at 256x256, the network of Coral's semantic",
        "segmentation page \"U-Net MobileNet v2, 256x256x3\" (the 128x128 network's",
        "definition at twice the resolution; Coral names no other change)."])
    return net, header, sources + [CORAL_SEGMENTATION_PAGE], description, published


CORAL_DM05_513_FILE = (
    "google-coral/test_data deeplabv3_mnv2_dm05_pascal_quant.tflite (760,904 bytes, commit "
    "104342d; read with Scripts/workloads/tflite-layers.py): 72 operators, output stride 16, "
    "867,496,704 convolution MACs, 688,361 constant elements")


def deeplab_v3_mnv2_dm05_513():
    net = Net("deeplab_v3_mnv2_dm05_513", (3, 513, 513))
    mobilenet_v2_features(net, output_stride=16, alpha=0.5, divisor=1)
    deeplab_mobilenet_head(net, 513, identity_resize=True, coral=True)
    header = [
        "DeepLab v3 with a MobileNetV2 backbone at depth multiplier 0.5, 513x513, the network",
        "of Coral's semantic segmentation page \"MobileNet v2 DeepLab v3, depth mul. 0.5\",",
        "layer for layer as Coral's file deeplabv3_mnv2_dm05_pascal_quant.tflite runs it: output",
        "stride 16 (block 13 keeps stride 1, blocks 14-16 dilate by 2), widths exact halves",
        "(16, 8, 12, 16, 32, 48, 80, 160; expansions 6x: 48, 72, 96, 192, 288, 480) as",
        "research/deeplab's feature_extractor.py sets divisible_by = 1 below depth 1.0, the head",
        "of deeplab_v3_513 at full width (256) with the bilinear resize of the logits to their",
        "own size that the file runs before the one to 513x513, in the file's order (aspp0",
        "before the image-pooling resize) and with its final ArgMax over the 21 classes.",
        "Published: 867,496,704 convolution MACs, counted in that file (" + CORAL_DM05_513_FILE + ").",
    ]
    sources = ["Chen et al., arXiv:1706.05587", "Sandler et al., arXiv:1801.04381",
               "tensorflow/models research/deeplab/core/feature_extractor.py (_mobilenet_v2: "
               "divisible_by = 1 when depth_multiplier != 1.0)",
               CORAL_DM05_513_FILE, CORAL_SEGMENTATION_PAGE]
    published = (867_496_704, 0.0, CORAL_DM05_513_FILE, None)
    return net, header, sources, "DeepLab v3, MobileNetV2 0.5 backbone, output stride 16, 513x513", published


def efficientnet_edgetpu_l():
    return efficientnet_edgetpu("l")


# ---------------------------------------------------------------------------


def models():
    for alpha in (0.25, 0.5, 0.75, 1.0):
        for res in (128, 160, 192, 224):
            if (alpha, res) == (1.0, 224):
                continue  # Workloads/mobilenet_v1.yaml (hand-written, 1000 classes)
            yield mobilenet_v1(alpha, res)
    for alpha, res in [(0.5, 224), (0.75, 224), (1.0, 96), (1.0, 128), (1.0, 160), (1.0, 192),
                       (1.0, 224), (1.3, 224)]:
        yield mnasnet(alpha, res)
    yield inception_v1()
    yield inception_v2()
    yield inception_v3()
    yield resnet_v2_101()
    yield densenet121("densenet_2018_04_27", [
        "TFLite's hosted densenet_2018_04_27 does not name its depth; DenseNet-121 is assumed.",
        "Its table gives a 43.6 MB model (about 10.9 M float parameters, more than",
        "DenseNet-121's 8.0 M) and 64.2% top-1 (DenseNet-121: 74.4%), so the assumption is",
        "uncertain."])
    yield densenet121("densenet_224", [
        "Coral's table names \"DenseNet (224x224)\" without the depth; DenseNet-121 (the",
        "smallest of Keras' and torchvision's DenseNets) is assumed."])
    yield inception_v4()
    yield inception_resnet_v2()
    yield coral_resnet("v1", 50)
    yield coral_resnet("v2", 50)
    yield coral_resnet("v2", 152)
    yield squeezenet1_0("squeezenet_tflite_2018_04_27", [
        "Which version TFLite's hosted squeezenet_2018_04_27 is, is not stated; its table",
        "links the paper (which defines 1.0) and gives 5.0 MB, which fits 1.0's 1,248,424",
        "float parameters (4.99 MB) better than 1.1's 1,235,496 (4.94 MB). Assumed: 1.0."])
    yield squeezenet1_0("squeezenet_224", [
        "Coral's benchmark table does not say which SqueezeNet version its Edge TPU model is;",
        "assumed: 1.0, the paper's (Workloads/squeezenet1_1.yaml has 1.1)."])
    yield efficientnet_edgetpu("s")
    yield efficientnet_edgetpu("m")
    yield vgg19()
    yield vgg16_conv()
    yield ds_cnn_kws()
    yield resnet8_cifar10()
    yield fc_autoencoder_toycar()
    yield yolov2()
    yield nasnet("mobile")
    yield nasnet("large")
    yield deeplab_v3_513()
    yield unet_mobilenet_v2_128()
    yield ssd_mobilenet("v1", 224)
    yield ssd_mobilenet("v2", 224)
    # The held-out set (never fitted).
    yield posenet_mobilenet_v1_100_257()
    yield deeplab_v3_mnv2_dm05_257()
    yield held_out_ssd_mobilenet_v1_300()
    yield efficientnet_edgetpu_l()
    for height, width in ((353, 481), (481, 641), (721, 1281)):
        yield posenet_mobilenet_v1_075(height, width)
    yield held_out_unet_mobilenet_v2_256()
    yield deeplab_v3_mnv2_dm05_513()


def write(net, header, sources, description, published):
    lines = []
    paragraphs = " ".join(header).replace(" Published:", "\nPublished:").split("\n")
    for paragraph in paragraphs:
        lines.extend("# " + part for part in textwrap.wrap(paragraph, 86, break_on_hyphens=False))
    lines.append(f"# EdgeSim counts: {fmt(net.macs)} MACs; {fmt(net.params)} parameters after")
    lines.append("# batch-norm folding (what `edgesim inspect` prints).")
    lines.append("# Generated by Scripts/workloads/make-calibration-workloads.py: do not edit.")
    lines.append(f"name: {net.name}")
    lines.append(f"description: \"{description}\"")
    lines.append("source:")
    for s in sources:
        lines.append("  - \"" + s.replace('"', '\\"') + "\"")
    shape = [1] + list(net.input_shape)
    lines.append(f"input: {{name: input, shape: [{', '.join(str(v) for v in shape)}]}}")
    lines.append("layers:")
    lines.extend(net.lines)
    (WORKLOADS / f"{net.name}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def csv_field(text):
    text = str(text)
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def main():
    check = "--check" in sys.argv[1:]
    rows = []
    nets = []
    for net, header, sources, description, published in models():
        write(net, header, sources, description, published)
        nets.append(net)
        if published:
            macs, tolerance, source, _ = published
            rows.append((net.name, net.macs, macs, f"{math.ceil(tolerance * 1000) / 1000:.3f}", source))
        else:
            rows.append((net.name, net.macs, "", "", "no published MAC figure found; expected_macs is the generator's count"))
    out = ["model,expected_macs,published_macs,tolerance,source"]
    for row in rows:
        out.append(",".join(csv_field(v) for v in row))
    (WORKLOADS / "published-counts.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {len(nets)} workloads and Workloads/published-counts.csv")
    bad = 0
    for name, mine, published, tolerance, _ in rows:
        if published != "" and abs(mine - published) > float(tolerance) * published:
            print(f"  {name}: {fmt(mine)} MACs, published {fmt(published)} (tolerance {tolerance})")
            bad += 1
    if check:
        edgesim = os.environ.get("EDGESIM") or next(
            (p for p in (str(ROOT / ".build/debug/edgesim"), "/work/bin/edgesim") if os.path.exists(p)), "edgesim")
        for net in nets:
            result = subprocess.run([edgesim, "inspect", str(WORKLOADS / f"{net.name}.yaml"), "--json"],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                print(f"  {net.name}: edgesim inspect failed:\n{result.stderr}")
                bad += 1
                continue
            totals = json.loads(result.stdout)["totals"]
            if (totals["macs"], totals["params"]) != (net.macs, net.params):
                print(f"  {net.name}: edgesim {fmt(totals['macs'])} MACs {fmt(totals['params'])} params; "
                      f"generator {fmt(net.macs)} {fmt(net.params)}")
                bad += 1
        print(f"checked {len(nets)} workloads with {edgesim}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
