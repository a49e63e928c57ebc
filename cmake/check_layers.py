#!/usr/bin/env python3
"""The layer order of the source tree: no file includes a header of a layer above its own.

  check_layers.py SOURCE_DIR              check the includes, and that docs/architecture.md's picture is current
  check_layers.py SOURCE_DIR --picture    write the picture (a Mermaid flowchart) into docs/architecture.md

Layers, lowest first (docs/architecture.md): the model, and the vendor C ABI's headers beside it; the
Runner with the Target interface; the targets, one folder per kind (harness/targets/KIND), with what a
vendor builds against (harness/sdk: the reference plugin, the mutants); the reports; the drivers, the
tool, the fuzzers, the examples and every test suite. A file may include headers of its own layer and of
the layers below; the reports only of their own and of the model's (they render result types and run
nothing). Within the targets' layer each kind keeps to itself, to the layers below and to the kinds it
is said to build on (KIND_BUILDS_ON). Quoted includes are resolved the way the build finds them: beside the
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
    ("model", ("models/", "harness/sdk/include/")),
    ("runner", ("harness/runner/",)),
    ("targets", ("harness/targets/", "harness/sdk/")),
    ("reports", ("reports/",)),
    ("drivers, tool, fuzzers, suites", ("conformance/", "fuzz/", "examples/")),
]
# Layers that may not build on every layer below: the reports render the model's result types and run
# nothing, so they see the model alone (not the Runner, not a target).
ONLY_ON = {"reports": ("model",)}
# What each kind of target may build on besides itself: fault wrappers wrap the reference, the isolated
# host runs a plugin, com: targets run their agent as an isolated process, and the SDK's reference plugin
# and mutants export the reference service.
KIND_BUILDS_ON = {
    "reference": (),
    "faults": ("reference",),
    "plugin": (),
    "isolated": ("plugin",),
    "com": ("isolated", "plugin"),
    "sdk": ("reference",),
}


def layer_of(path):
    if "/tests/" in path:
        return len(LAYERS) - 1
    for index, (_, prefixes) in enumerate(LAYERS):
        if path.startswith(prefixes):
            return index
    return None


def kind_of(path):
    """The target kind of a path in the targets' layer: harness/targets/KIND/..., or sdk."""
    parts = path.split("/")
    return parts[2] if parts[1] == "targets" else parts[1]


def include_graph(root):
    """Every source file of the tree (paths relative to root) with the files its quoted includes name."""
    files = []
    for top in TOP_FOLDERS:
        for folder, _, names in os.walk(os.path.join(root, top)):
            files += [os.path.relpath(os.path.join(folder, n), root) for n in names if n.endswith(SOURCES)]
    known = set(files)
    by_suffix = {}
    for f in files:
        parts = f.split("/")
        for k in range(1, len(parts)):
            by_suffix.setdefault("/".join(parts[k:]), []).append(f)

    def resolve(including, name):
        beside = os.path.normpath(os.path.join(os.path.dirname(including), name))
        if beside in known:
            return beside
        found = by_suffix.get(name, [])
        return found[0] if len(found) == 1 else None

    graph = {}
    for f in sorted(files):
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as text:
            names = INCLUDE.findall(text.read())
        graph[f] = [h for h in (resolve(f, n) for n in names) if h]
    return graph


def broken_includes(graph):
    broken = []
    for f, headers in graph.items():
        mine = layer_of(f)
        if mine is None:
            continue
        if mine == 2 and "/tests/" not in f and kind_of(f) not in KIND_BUILDS_ON:
            broken.append(f"{f}: the target kind {kind_of(f)} is not in KIND_BUILDS_ON (say what it builds on)")
        for header in headers:
            theirs = layer_of(header)
            if theirs is None:
                continue
            if theirs > mine:
                broken.append(f"{f} ({LAYERS[mine][0]}) includes {header} ({LAYERS[theirs][0]}), a layer above")
            elif theirs < mine and LAYERS[mine][0] in ONLY_ON and LAYERS[theirs][0] not in ONLY_ON[LAYERS[mine][0]]:
                broken.append(f"{f} ({LAYERS[mine][0]}) includes {header} ({LAYERS[theirs][0]}): it builds on "
                              + ", ".join(ONLY_ON[LAYERS[mine][0]]) + " only")
            elif (theirs == mine == 2 and kind_of(f) != kind_of(header)
                  and kind_of(header) not in KIND_BUILDS_ON.get(kind_of(f), ())):
                broken.append(f"{f} (target kind {kind_of(f)}) includes {header} of the kind {kind_of(header)}")
    return broken


# The picture's boxes: a folder of the tree each (the first prefix that matches; tests are left out).
BOXES = [
    ("vendor ABI", "harness/sdk/include/"),
    ("models", "models/"),
    ("runner", "harness/runner/"),
    ("reference", "harness/targets/reference/"),
    ("faults", "harness/targets/faults/"),
    ("plugin", "harness/targets/plugin/"),
    ("isolated", "harness/targets/isolated/"),
    ("COM agent", "harness/targets/com/agent/"),
    ("com", "harness/targets/com/"),
    ("sdk", "harness/sdk/"),
    ("reports", "reports/"),
    ("drivers", "conformance/src/"),
    ("tool", "conformance/tool/"),
    ("bench", "conformance/bench/"),
    ("fuzz", "fuzz/"),
    ("examples", "examples/"),
]
PICTURE_BEGIN = "<!-- the picture: made by cmake/check_layers.py --picture; do not edit by hand -->"
PICTURE_END = "<!-- end of the picture -->"


def box_of(path):
    if "/tests/" in path:
        return None
    return next((name for name, prefix in BOXES if path.startswith(prefix)), None)


def picture(graph):
    """A Mermaid flowchart of who builds on whom, box by box, drawn from the includes; an arrow a box
    would get through another box anyway is left out, so the picture shows the layers and not a web."""
    edges = set()
    for f, headers in graph.items():
        for h in headers:
            a, b = box_of(f), box_of(h)
            if a and b and a != b:
                edges.add((a, b))

    def reaches(a, b, skipping):
        seen, todo = set(), [a]
        while todo:
            x = todo.pop()
            for (u, v) in edges:
                if u == x and (u, v) != skipping and v not in seen:
                    if v == b:
                        return True
                    seen.add(v)
                    todo.append(v)
        return False

    kept = sorted(e for e in edges if not reaches(e[0], e[1], e))
    order = [name for name, _ in BOXES]
    ident = {name: f"n{i}" for i, name in enumerate(order)}
    lines = ["```mermaid", "flowchart BT"]
    for name, prefix in BOXES:
        lines.append(f'  {ident[name]}["{name}<br/><code>{prefix}</code>"]')
    for a, b in sorted(kept, key=lambda e: (order.index(e[0]), order.index(e[1]))):
        lines.append(f"  {ident[a]} --> {ident[b]}")
    lines.append("```")
    return "\n".join(lines)


def split_at_picture(doc):
    """docs/architecture.md as (text before the picture, the picture, text after), or None without markers."""
    with open(doc, encoding="utf-8") as text:
        body = text.read()
    if PICTURE_BEGIN not in body or PICTURE_END not in body:
        return None
    start, end = body.index(PICTURE_BEGIN) + len(PICTURE_BEGIN), body.index(PICTURE_END)
    return body[:start], body[start:end].strip(), body[end:]


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) > 1 else 2)
    root = os.path.abspath(sys.argv[1])
    graph = include_graph(root)
    doc = os.path.join(root, "docs", "architecture.md")
    drawn = picture(graph)
    parts = split_at_picture(doc)
    if parts is None:
        print(f"FAIL: {doc} has no place for the picture (the lines {PICTURE_BEGIN} and {PICTURE_END})")
        sys.exit(1)
    before, kept, after = parts
    if "--picture" in sys.argv[2:]:
        with open(doc, "w", encoding="utf-8") as text:
            text.write(before + "\n" + drawn + "\n" + after)
        print(f"wrote the picture into {doc}")
        return
    broken = broken_includes(graph)
    if kept != drawn:
        broken.append("the picture in docs/architecture.md is not the tree's (write it anew: "
                      "python3 cmake/check_layers.py . --picture)")
    if broken:
        print("FAIL: includes against the layer order (docs/architecture.md):\n  " + "\n  ".join(broken))
        sys.exit(1)
    print(f"PASS: {len(graph)} files keep the layer order, and the picture of docs/architecture.md is theirs")


if __name__ == "__main__":
    main()
