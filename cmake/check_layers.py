#!/usr/bin/env python3
"""The layer order of the source tree: no file includes a header of a layer above its own.

  check_layers.py SOURCE_DIR

Layers, lowest first (docs/architecture.md): the model; the Runner with the Target interface; the
targets, one folder per kind; the reports; the drivers, the tool, the fuzzers, the examples and every
test suite. A file may include headers of its own layer and of the layers below; the reports only of
their own and of the model's (they render result types and run nothing). Within the targets'
layer each kind keeps to itself and to the layers below (the vendor ABI and the reference service aside,
which the other kinds build on). Quoted includes are resolved the way the build finds them: beside the
including file, else the one header of that path in the tree; system headers are not looked at.
"""
import os
import re
import sys

SOURCES = (".h", ".c", ".cpp", ".def")
TOP_FOLDERS = ("models", "harness", "reports", "conformance", "fuzz", "examples")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# (name, path prefixes), lowest first. A path under a `tests/` folder is a suite: the top layer.
LAYERS = [
    ("model", ("models/",)),
    ("runner", ("harness/include/", "harness/src/")),
    ("targets", ("harness/",)),
    ("reports", ("reports/",)),
    ("drivers, tool, fuzzers, suites", ("conformance/", "fuzz/", "examples/")),
]
# Layers that may not build on every layer below: the reports render the model's result types and run
# nothing, so they see the model alone (not the Runner, not a target).
ONLY_ON = {"reports": ("model",)}
# Kinds of target other kinds may build on: the reference service (fault wrappers wrap it, the
# reference plugin exports it) and the vendor ABI's loader (the COM agent's client speaks its codes).
SHARED_KINDS = ("reference", "vendor")


def layer_of(path):
    if "/tests/" in path:
        return len(LAYERS) - 1
    for index, (_, prefixes) in enumerate(LAYERS):
        if path.startswith(prefixes):
            return index
    return None


def kind_of(path):
    """The target kind of a path in the targets' layer (harness/KIND/...)."""
    return path.split("/")[1]


def main():
    root = os.path.abspath(sys.argv[1])
    files = []
    for top in TOP_FOLDERS:
        for folder, _, names in os.walk(os.path.join(root, top)):
            files += [os.path.relpath(os.path.join(folder, n), root) for n in names if n.endswith(SOURCES)]
    by_suffix = {}
    for f in files:
        parts = f.split("/")
        for k in range(1, len(parts)):
            by_suffix.setdefault("/".join(parts[k:]), []).append(f)

    def resolve(including, name):
        beside = os.path.normpath(os.path.join(os.path.dirname(including), name))
        if beside in files:
            return beside
        found = by_suffix.get(name, [])
        return found[0] if len(found) == 1 else None

    broken = []
    for f in sorted(files):
        mine = layer_of(f)
        if mine is None:
            continue
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as text:
            names = INCLUDE.findall(text.read())
        for name in names:
            header = resolve(f, name)
            theirs = layer_of(header) if header else None
            if theirs is None:
                continue
            if theirs > mine:
                broken.append(f"{f} ({LAYERS[mine][0]}) includes {header} ({LAYERS[theirs][0]}), a layer above")
            elif theirs < mine and LAYERS[mine][0] in ONLY_ON and LAYERS[theirs][0] not in ONLY_ON[LAYERS[mine][0]]:
                broken.append(f"{f} ({LAYERS[mine][0]}) includes {header} ({LAYERS[theirs][0]}): it builds on "
                              + ", ".join(ONLY_ON[LAYERS[mine][0]]) + " only")
            elif theirs == mine == 2 and kind_of(f) != kind_of(header) and kind_of(header) not in SHARED_KINDS:
                broken.append(f"{f} (target kind {kind_of(f)}) includes {header} of the kind {kind_of(header)}")
    if broken:
        print("FAIL: includes against the layer order (docs/architecture.md):\n  " + "\n  ".join(broken))
        sys.exit(1)
    print(f"PASS: {len(files)} files keep the layer order")


if __name__ == "__main__":
    main()
