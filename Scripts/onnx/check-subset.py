#!/usr/bin/env python3
"""Checks Scripts/onnx/edgesim-onnx.proto against the reference ONNX schema.

Every message, field (name, number, type, label, packed option, oneof) and
enum value in our subset must exist, identically, in the `onnx.proto` that
ships with the installed PyPI `onnx` package; every enum must be complete.
Needs `protoc` and the `onnx` and `protobuf` Python packages.

Usage: Scripts/.venv/bin/python Scripts/onnx/check-subset.py
"""
import os
import subprocess
import sys
import tempfile

import onnx
from google.protobuf import descriptor_pb2

HERE = os.path.dirname(os.path.abspath(__file__))


def load(proto_dir, name):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        subprocess.run(["protoc", f"--proto_path={proto_dir}",
                        f"--descriptor_set_out={out}", name], check=True)
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    return fds.file[0]


def index(file):
    messages, enums = {}, {}

    def walk(msg, prefix):
        full = prefix + msg.name
        messages[full] = msg
        for e in msg.enum_type:
            enums[full + "." + e.name] = e
        for m in msg.nested_type:
            walk(m, full + ".")

    for m in file.message_type:
        walk(m, "")
    for e in file.enum_type:
        enums[e.name] = e
    return messages, enums


def main():
    ref_dir = os.path.dirname(onnx.__file__)
    ref = load(ref_dir, "onnx.proto")
    ours = load(HERE, "edgesim-onnx.proto")
    problems = []
    if ours.package != ref.package:
        problems.append(f"package {ours.package!r} != {ref.package!r}")
    if ours.syntax != ref.syntax:
        problems.append(f"syntax {ours.syntax!r} != {ref.syntax!r}")
    ref_msgs, ref_enums = index(ref)
    our_msgs, our_enums = index(ours)
    checked = 0
    for name, msg in our_msgs.items():
        rmsg = ref_msgs.get(name)
        if rmsg is None:
            problems.append(f"message {name} not in reference")
            continue
        rfields = {f.name: f for f in rmsg.field}
        for f in msg.field:
            rf = rfields.get(f.name)
            if rf is None:
                problems.append(f"{name}.{f.name} not in reference")
                continue
            checked += 1
            for attr in ("number", "type", "label", "type_name"):
                if getattr(f, attr) != getattr(rf, attr):
                    problems.append(
                        f"{name}.{f.name}: {attr} {getattr(f, attr)!r} "
                        f"!= reference {getattr(rf, attr)!r}")
            if f.options.packed != rf.options.packed:
                problems.append(f"{name}.{f.name}: packed differs")
            ours_oneof = (msg.oneof_decl[f.oneof_index].name
                          if f.HasField("oneof_index") else None)
            ref_oneof = (rmsg.oneof_decl[rf.oneof_index].name
                         if rf.HasField("oneof_index") else None)
            if ours_oneof != ref_oneof:
                problems.append(f"{name}.{f.name}: oneof {ours_oneof} "
                                f"!= reference {ref_oneof}")
    for name, enum in our_enums.items():
        renum = ref_enums.get(name)
        if renum is None:
            problems.append(f"enum {name} not in reference")
            continue
        ov = {(v.name, v.number) for v in enum.value}
        rv = {(v.name, v.number) for v in renum.value}
        if ov != rv:
            problems.append(f"enum {name}: missing {sorted(rv - ov)}, "
                            f"extra {sorted(ov - rv)}")
    for p in problems:
        print("error:", p)
    print(f"onnx {onnx.__version__}: {len(our_msgs)} messages, {checked} "
          f"fields, {len(our_enums)} enums checked; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
