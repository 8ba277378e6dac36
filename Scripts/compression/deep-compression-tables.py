#!/usr/bin/env python3
"""AlexNet and VGG-16 storage ratios under COMPRESSION.md with Deep
Compression's per-layer densities and bits (Han, Mao, Dally, ICLR 2016,
arXiv:1510.00149v5, Tables 4 and 5), on synthetic weights.

Real AlexNet/VGG-16 weights are not available offline. For each network the
script writes one ONNX model holding every layer's weight tensor at the
paper's size (Caffe's AlexNet, two towers: conv2, conv4, conv5 grouped; VGG-16)
as a Gemm node of its own (M × C·R·S), with seeded Gaussian weights (He
scaling; numpy default_rng(16)), then runs `edgesim compress` twice with the
paper's weights-kept fraction, weight bits (8 CONV, 5 FC) and index bits
(4 AlexNet, 5 VGG-16) per layer: without Huffman (the paper's P+Q column)
and with it (P+Q+H). It prints a Markdown table of both against the paper.

What this can reproduce: the P+Q sizes follow from the density, the bits and
the positions of the kept weights (fillers); magnitude pruning of i.i.d.
weights keeps uniformly random positions, so fillers are those of randomly
placed nonzeros, which trained, pruned layers need not be. What it cannot:
the Huffman stage depends on the distribution of trained, fine-tuned
centroid indices and gaps, which synthetic weights do not have.

  /tmp/venv/bin/python Scripts/compression/deep-compression-tables.py EDGESIM WORKDIR
"""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# name, weight shape (M, C/g, R, S) or (M, K), kept %, weight bits,
# paper P+Q %, paper P+Q+H %.
ALEXNET = [
    ("conv1", (96, 3, 11, 11), 84, 8, 32.6, 20.53),
    ("conv2", (256, 48, 5, 5), 38, 8, 14.5, 9.43),
    ("conv3", (384, 256, 3, 3), 35, 8, 13.1, 8.44),
    ("conv4", (384, 192, 3, 3), 37, 8, 14.1, 9.11),
    ("conv5", (256, 192, 3, 3), 37, 8, 14.0, 9.43),
    ("fc6", (4096, 9216), 9, 5, 3.0, 2.39),
    ("fc7", (4096, 4096), 9, 5, 3.0, 2.46),
    ("fc8", (1000, 4096), 25, 5, 7.3, 5.85),
]
ALEXNET_TOTAL = (11, 3.7, 2.88)
VGG16 = [
    ("conv1_1", (64, 3, 3, 3), 58, 8, 40.0, 29.97),
    ("conv1_2", (64, 64, 3, 3), 22, 8, 9.8, 6.99),
    ("conv2_1", (128, 64, 3, 3), 34, 8, 14.3, 8.91),
    ("conv2_2", (128, 128, 3, 3), 36, 8, 14.7, 9.31),
    ("conv3_1", (256, 128, 3, 3), 53, 8, 21.7, 11.15),
    ("conv3_2", (256, 256, 3, 3), 24, 8, 9.7, 5.67),
    ("conv3_3", (256, 256, 3, 3), 42, 8, 17.0, 8.96),
    ("conv4_1", (512, 256, 3, 3), 32, 8, 13.1, 7.29),
    ("conv4_2", (512, 512, 3, 3), 27, 8, 10.9, 5.93),
    ("conv4_3", (512, 512, 3, 3), 34, 8, 14.0, 7.47),
    ("conv5_1", (512, 512, 3, 3), 35, 8, 14.3, 8.00),
    ("conv5_2", (512, 512, 3, 3), 29, 8, 11.7, 6.52),
    ("conv5_3", (512, 512, 3, 3), 36, 8, 14.8, 7.79),
    ("fc6", (4096, 25088), 4, 5, 1.6, 1.10),
    ("fc7", (4096, 4096), 4, 5, 1.5, 1.25),
    ("fc8", (1000, 4096), 23, 5, 7.1, 5.24),
]
VGG16_TOTAL = (7.5, 3.2, 2.05)


# edgesim reads files of at most 256 MiB: layers go into models of at most
# this many weights, and a larger layer (VGG-16's fc6, 103 M weights) is
# split into blocks of whole rows, each compressed as a layer of its own
# (its own pruning threshold, codebook and Huffman tables: with i.i.d.
# weights the same density and statistics; the extra codebooks and tables
# are a few thousand bits of 3.3 G).
PART = 40_000_000


def parts(layers):
    """(part name, layer name, rows, columns) blocks of every layer."""
    for name, shape, *_ in layers:
        m, k = shape[0], int(np.prod(shape[1:]))
        rows = max(1, min(m, PART // k))
        for start in range(0, m, rows):
            block = name if rows >= m else f"{name}.part{start // rows}"
            yield block, name, min(rows, m - start), k


def write_models(layers, stem, work, rng):
    """Writes the models; returns their paths."""
    paths, nodes, inits, inputs, outputs, count = [], [], [], [], [], 0

    def flush():
        nonlocal nodes, inits, inputs, outputs, count
        if not nodes:
            return
        path = work / f"{stem}-{len(paths)}.onnx"
        graph = helper.make_graph(nodes, path.stem, inputs, outputs, inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        onnx.save(model, str(path))
        paths.append(path)
        nodes, inits, inputs, outputs, count = [], [], [], [], 0

    for block, _, m, k in parts(layers):
        if count + m * k > PART:
            flush()
        w = rng.standard_normal((m, k), dtype=np.float32) * np.float32(np.sqrt(2 / k))
        inits.append(numpy_helper.from_array(w, block + ".weight"))
        inputs.append(helper.make_tensor_value_info(block + "_in", TensorProto.FLOAT, [1, k]))
        outputs.append(helper.make_tensor_value_info(block + "_out", TensorProto.FLOAT, [1, m]))
        nodes.append(helper.make_node(
            "Gemm", [block + "_in", block + ".weight"], [block + "_out"], name=block, transB=1))
        count += m * k
    flush()
    return paths


def plan(layers, names, index_bits, huffman):
    settings = {name: (kept, bits) for name, _, kept, bits, *_ in layers}
    lines = ["layers:"]
    for block, name in names:
        kept, bits = settings[name]
        lines.append(f"  {block}: {{density: {kept / 100}, cluster_bits: {bits}, "
                     f"index_bits: {index_bits}, huffman: {'true' if huffman else 'false'}}}")
    return "\n".join(lines) + "\n"


def compress(edgesim, model, plan_text, work, tag):
    """The report's layers by name."""
    plan_path = work / f"{tag}.yaml"
    plan_path.write_text(plan_text)
    out = work / f"{tag}-out"
    result = subprocess.run(
        [edgesim, "compress", "--model", str(model), "--plan", str(plan_path),
         "--out", str(out), "--json"], check=True, capture_output=True, text=True)
    shutil.rmtree(out)
    return {layer["name"]: layer for layer in json.loads(result.stdout)["layers"]}


def table(title, layers, total, index_bits, edgesim, work, rng):
    pq, pqh = {}, {}
    blocks = [(block, name) for block, name, _, _ in parts(layers)]
    for index, model in enumerate(write_models(layers, title, work, rng)):
        inside = [(b, n) for b, n in blocks if (b + ".weight") in
                  {t.name for t in onnx.load(str(model), load_external_data=False).graph.initializer}]
        for target, huffman in ((pq, False), (pqh, True)):
            tag = f"{title}-{index}-{'pqh' if huffman else 'pq'}"
            report = compress(edgesim, model, plan(layers, inside, index_bits, huffman), work, tag)
            for block, name in inside:
                entry = target.setdefault(name, {"raw_bits": 0, "stored_bits": 0, "nonzeros": 0,
                                                 "weights": 0, "fillers": 0})
                for key in entry:
                    entry[key] += report[block][key]
        model.unlink()
    print(f"\n{title}: index bits {index_bits}\n")
    print("| layer | weights | kept (paper) | bits | fillers | P+Q ours | P+Q paper | P+Q+H ours | P+Q+H paper |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    sums = [0, 0, 0, 0]
    for name, shape, kept, bits, paper_pq, paper_pqh in layers:
        a, b = pq[name], pqh[name]
        raw = a["raw_bits"]
        sums[0] += raw
        sums[1] += a["stored_bits"]
        sums[2] += b["stored_bits"]
        sums[3] += a["nonzeros"]
        print(f"| {name} | {a['weights']:,} | {100 * a['nonzeros'] / a['weights']:.1f}% ({kept}%) | {bits} "
              f"| {a['fillers']:,} | {100 * a['stored_bits'] / raw:.2f}% | {paper_pq}% "
              f"| {100 * b['stored_bits'] / raw:.2f}% | {paper_pqh}% |")
    raw, s_pq, s_pqh, nz = sums
    print(f"| total | {raw // 32:,} | {100 * nz / (raw // 32):.1f}% ({total[0]}%) | "
          f"| | {100 * s_pq / raw:.2f}% ({raw / s_pq:.1f}×) | {total[1]}% "
          f"| {100 * s_pqh / raw:.2f}% ({raw / s_pqh:.1f}×) | {total[2]}% |")


def main():
    edgesim, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(16)
    table("alexnet", ALEXNET, ALEXNET_TOTAL, 4, edgesim, work, rng)
    table("vgg16", VGG16, VGG16_TOTAL, 5, edgesim, work, rng)


main()
