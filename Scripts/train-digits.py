#!/usr/bin/env python3
"""Trains EdgeSim's two bundled digit classifiers and exports them to ONNX.

The data set is scikit-learn's `load_digits` (1,797 8x8 grey images of
handwritten digits, shipped inside the package), scaled to [0, 1] by dividing
by 16, split with `train_test_split(test_size=0.3, random_state=0)`.

Networks (no BatchNormalization, so the ONNX graphs hold only the operators
the fixed-point executor runs):

* `digits-plain`: conv3x3 8ch pad1 - relu - conv3x3 16ch pad1 - relu -
  maxpool2 - flatten - fc 10.
* `digits-dwsep`: conv3x3 16ch pad1 - relu (r1) - depthwise conv3x3
  (groups=16) pad1 - relu - pointwise conv1x1 16ch - add r1 - relu -
  maxpool2 - flatten - fc 10.

Training is on the CPU with fixed seeds, one thread and deterministic
algorithms, so rerunning the script reproduces the same weights.

Outputs, in `Workloads/digits/`:
  digits-plain.onnx, digits-dwsep.onnx   opset 13, input "input" N x 1 x 8 x 8
                                         float32 (batch dimension "N"),
                                         output "logits" N x 10
  test-images.npy                        540 x 1 x 8 x 8 float32
  test-labels.npy                        540 int64
  README.md                              accuracies and how they were made

Usage (from the repository root; see Scripts/README.md for the venv):

    Scripts/.venv/bin/python Scripts/train-digits.py
"""
import os
import random
import warnings

import numpy as np
import onnx
import onnxruntime as ort
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

SEED = 0
EPOCHS = 60
BATCH = 32
LR = 3e-3
OPSET = 13

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Workloads", "digits")


class DigitsPlain(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        x = self.pool(x)
        return self.fc(torch.flatten(x, 1))


class DigitsDWSep(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.depthwise = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.pointwise = nn.Conv2d(16, 16, 1)
        # A global average pool leaves only 16 features and reached about
        # 77% test accuracy; a 2x2 max pool keeps 256 and reaches > 95%.
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        r1 = torch.relu(self.conv1(x))
        y = torch.relu(self.depthwise(r1))
        y = torch.relu(self.pointwise(y) + r1)
        y = self.pool(y)
        return self.fc(torch.flatten(y, 1))


MODELS = {"digits-plain": DigitsPlain, "digits-dwsep": DigitsDWSep}


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def load_data():
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    y = digits.target.astype(np.int64)
    return train_test_split(x, y, test_size=0.3, random_state=0)


def accuracy(logits, labels):
    return float((np.argmax(logits, axis=1) == labels).mean())


def train(name, x_train, y_train):
    seed_everything(SEED)
    model = MODELS[name]()
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, EPOCHS)
    xs, ys = torch.from_numpy(x_train), torch.from_numpy(y_train)
    generator = torch.Generator().manual_seed(SEED)
    for _ in range(EPOCHS):
        model.train()
        order = torch.randperm(len(xs), generator=generator)
        for start in range(0, len(xs), BATCH):
            idx = order[start:start + BATCH]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(xs[idx]), ys[idx])
            loss.backward()
            optimizer.step()
        scheduler.step()
    return model.eval()


def export(model, name, example):
    path = os.path.join(OUT_DIR, f"{name}.onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, (example,), path, dynamo=False, opset_version=OPSET,
            input_names=["input"], output_names=["logits"],
            dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
            do_constant_folding=True)
    proto = onnx.load(path)
    proto.producer_name = "EdgeSim Scripts/train-digits.py"
    proto.producer_version = f"torch {torch.__version__}"
    proto.doc_string = (
        f"{name}: trained on sklearn load_digits (x/16, "
        f"train_test_split(test_size=0.3, random_state=0)); input N x 1 x 8 "
        f"x 8 float32 in [0, 1], output logits N x 10.")
    onnx.checker.check_model(proto, full_check=True)
    onnx.save_model(proto, path)
    return path


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT_DIR, exist_ok=True)
    x_train, x_test, y_train, y_test = load_data()
    np.save(os.path.join(OUT_DIR, "test-images.npy"), x_test)
    np.save(os.path.join(OUT_DIR, "test-labels.npy"), y_test)

    results = {}
    for name in MODELS:
        model = train(name, x_train, y_train)
        with torch.no_grad():
            torch_logits = model(torch.from_numpy(x_test)).numpy()
            train_logits = model(torch.from_numpy(x_train)).numpy()
        path = export(model, name, torch.from_numpy(x_test[:1]))
        session = ort.InferenceSession(path,
                                       providers=["CPUExecutionProvider"])
        ort_logits = session.run(["logits"], {"input": x_test})[0]
        max_diff = float(np.abs(ort_logits - torch_logits).max())
        ops = sorted({n.op_type for n in onnx.load(path).graph.node})
        params = sum(p.numel() for p in model.parameters())
        results[name] = dict(
            train=accuracy(train_logits, y_train),
            torch=accuracy(torch_logits, y_test),
            ort=accuracy(ort_logits, y_test),
            diff=max_diff, ops=ops, params=params,
            size=os.path.getsize(path))
        print(f"{name}: train {results[name]['train']:.4f}, test "
              f"{results[name]['torch']:.4f} (onnxruntime "
              f"{results[name]['ort']:.4f}, max |diff| {max_diff:.2e}), "
              f"{params} parameters, ops {', '.join(ops)}")
        if results[name]["torch"] < 0.95:
            raise SystemExit(f"{name}: test accuracy below 95%")
    write_readme(results, len(x_train), len(x_test))


def write_readme(results, n_train, n_test):
    rows = "\n".join(
        f"| `{name}.onnx` | {r['params']:,} | {', '.join(r['ops'])} | "
        f"{r['train'] * 100:.2f}% | **{r['torch'] * 100:.2f}%** | "
        f"{r['ort'] * 100:.2f}% | {r['diff']:.1e} | {r['size']:,} |"
        for name, r in results.items())
    text = f"""# Trained digit classifiers

Small CNNs with real weights, for the float and bit-accurate fixed-point
executors (and the precision search). Made, deterministically, by

    Scripts/.venv/bin/python Scripts/train-digits.py

(see `Scripts/README.md` for the virtualenv; torch {torch.__version__},
onnxruntime {ort.__version__}). Do not edit these files by hand; rerun the
script.

Data: scikit-learn's `load_digits` (8x8 grey images, values 0..16 divided
by 16 so inputs are in [0, 1]), split by
`train_test_split(test_size=0.3, random_state=0)`: {n_train} training and
{n_test} test images.

| file | parameters | ONNX ops | train acc. | float test acc. | onnxruntime test acc. | max abs logit diff torch vs onnxruntime | bytes |
| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |
{rows}

- `digits-plain`: conv3x3 8ch pad1, relu, conv3x3 16ch pad1, relu, maxpool 2,
  flatten, fc 10.
- `digits-dwsep`: conv3x3 16ch pad1, relu (r1), depthwise conv3x3 (group 16)
  pad1, relu, pointwise conv1x1 16ch, add r1, relu, maxpool 2, flatten,
  fc 10. (A global average pool here reached only about 77%.)
- Both: opset 13, no BatchNormalization, input `input` float32
  `[N, 1, 8, 8]` with a symbolic batch dimension `N`, output `logits`
  `[N, 10]` (no softmax; top-1 is the argmax).
- `test-images.npy`: the {n_test} test images, float32 `[{n_test}, 1, 8, 8]`.
  `test-labels.npy`: their labels, int64 `[{n_test}]`.
- Training: Adam (lr {LR}, cosine schedule), {EPOCHS} epochs, batch {BATCH},
  cross-entropy, seed {SEED}, one thread, deterministic algorithms.
"""
    with open(os.path.join(OUT_DIR, "README.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
