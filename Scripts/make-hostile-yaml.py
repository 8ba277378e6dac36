#!/usr/bin/env python3
"""Write the hostile YAML inputs used in BENCHMARKS.md into a folder.

Usage: python3 Scripts/make-hostile-yaml.py /tmp
"""
import os
import sys

folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
files = {
    "long.yaml": "name: " + "x" * 3_000_000 + "\n",
    "deep.yaml": "[" * 20_000 + "]" * 20_000 + "\n",
    "deepblock.yaml": "- " * 20_000 + "x\n",
}
bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
previous = "a"
for name in "bcdefghi":
    bomb += f"{name}: &{name} [" + ", ".join(["*" + previous] * 9) + "]\n"
    previous = name
files["bomb.yaml"] = bomb + "source: *i\n"
for name, text in files.items():
    with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
        f.write(text)
with open(os.path.join(folder, "garbage.yaml"), "wb") as f:
    f.write(os.urandom(1 << 20))
print("wrote", ", ".join(sorted(list(files) + ["garbage.yaml"])), "to", folder)
