#!/usr/bin/env python3
"""Checks of the report set a real run writes (registered with CTest in reports/tests/CMakeLists.txt).

  report_checks.py files DIR                      the four report files and a replay file exist
  report_checks.py schema SCHEMA REPORT.json...   report.json validates against the JSON Schema
  report_checks.py html DIR...                    report.html in headless Chromium at 1400 px: no console
                                                  messages, findings linked at the top, links resolve,
                                                  diagram labels do not overlap; a screenshot beside it
  report_checks.py shards BGCONFORM OUT ARGS...   a run split in 3 shards, merged, has the verdicts of the
                                                  unsharded run (rule outcomes and exit code)
  report_checks.py repeat BGCONFORM OUT ARGS...   two runs of one seed write the same report.json, timings
                                                  aside
  report_checks.py ledger BGCONFORM OUT FAILING PASSING [RUN ARGS...]
                                                  `ledger --from` a failing target's report: with it the
                                                  failing target exits 0, a passing one exits 1
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check_files(d):
    for f in ("report.json", "junit.xml", "summary.md", "report.html"):
        if not os.path.isfile(os.path.join(d, f)):
            fail(f"{f} missing in {d}")
    if not any(f.startswith("replay-") for f in os.listdir(d)):
        fail("no replay file in " + d)
    md = open(os.path.join(d, "summary.md")).read()
    if "| **fail** |" not in md or "bgconform replay" not in md:
        fail("summary.md lacks the failing rule and its reproduce command:\n" + md)
    check_junit(d)
    print("ok: report.json, junit.xml, summary.md, report.html and replay files in " + d)


def check_junit(d):
    """junit.xml's test identity is the implementation's name, the same on every machine (not a
    plugin's path); its times are real: each rule's share of the run, summing to the run's time."""
    import xml.etree.ElementTree as ET
    doc = json.load(open(os.path.join(d, "report.json")))
    implementation = doc.get("implementation", "")
    if not implementation:
        fail("report.json names no implementation")
    suite = ET.parse(os.path.join(d, "junit.xml")).getroot().find("testsuite")
    cases = list(suite.iter("testcase"))
    wanted = "bgconform.%s.%s" % (doc["profile"], re.sub(r"[^A-Za-z0-9_-]", "_", implementation))
    for c in cases:
        if c.get("classname") != wanted:
            fail("testcase classname %r, expected %r (from the implementation's name)" % (c.get("classname"), wanted))
    times = [float(c.get("time")) for c in cases]
    total = float(suite.get("time"))
    if not any(t > 0 for t in times):
        fail("every testcase has time 0")
    if sum(times) > total + 0.002 * len(times):
        fail("the testcases' times (%.3f s) exceed the run's (%.3f s)" % (sum(times), total))


def check_schema(schema_path, reports):
    import jsonschema
    schema = json.load(open(schema_path))
    jsonschema.Draft7Validator.check_schema(schema)
    for r in reports:
        doc = json.load(open(r))
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
        for e in errors:
            print(f"{r}: {'/'.join(map(str, e.path))}: {e.message}")
        if errors:
            fail(f"{r} does not validate against {schema_path}")
        print(f"ok: {r} validates ({doc['outcome']}, {len(doc['rules'])} rules)")


# Injected into a copy of report.html (never into the report itself): what a reader's eye checks,
# measured by the browser that laid the page out. Every link inside the page leads somewhere, and the
# diagram's labels (transition labels, state names, the legend) cover no other label.
PAGE_PROBE = """<script>
(() => {
  const broken = [...document.querySelectorAll('a[href^="#"]')]
    .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id));
  const boxes = [...document.querySelectorAll('#state-diagram .label, #state-diagram .node text, #state-diagram text.legend-text')]
    .map(e => { const b = e.getBoundingClientRect(); return {e, x0: b.left, y0: b.top, x1: b.right, y1: b.bottom}; });
  const overlaps = [];
  for (let i = 0; i < boxes.length; ++i)
    for (let j = i + 1; j < boxes.length; ++j) {
      const a = boxes[i], b = boxes[j];
      if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
      if (a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5)
        overlaps.push(a.e.textContent + ' / ' + b.e.textContent);
    }
  const html = document.documentElement;
  html.setAttribute('data-broken-links', broken.join(' '));
  html.setAttribute('data-overlaps', overlaps.join(' | '));
  html.setAttribute('data-labels', String(document.querySelectorAll('#state-diagram .label').length));
  // The outcome filter, as a reader uses it: "pass" unticked hides the passing rules, and only them.
  const rows = () => [...document.querySelectorAll('#rules tr[data-outcome]')].filter(r => !r.hidden);
  const pass = document.querySelector('#rule-filter input[value="pass"]');
  const before = rows().length;
  if (pass) { pass.checked = false; pass.dispatchEvent(new Event('change')); }
  const after = rows();
  html.setAttribute('data-filter', pass ? after.filter(r => r.dataset.outcome === 'pass').length + ' ' +
    (before - after.length) + ' ' + document.querySelectorAll('#rules tr[data-outcome="pass"]').length : 'none');
  html.setAttribute('data-probed', 'yes');
})();
</script>"""


def chromium(args, what):
    with tempfile.TemporaryDirectory() as profile:
        cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
               "--hide-scrollbars", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"] + args
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=90)
        except subprocess.TimeoutExpired:
            fail(f"chromium did not finish {what} within 90 s")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        fail(path + " is not a PNG")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def check_html(d):
    """report.html as its first reader sees it, in headless Chromium at 1400 px: it loads without
    console messages and its script runs; at the top the new failures, each linking to its
    counterexample; every link inside the page resolves; the diagram's labels do not overlap; every
    rule row has its statement and documentation. The screenshot stays beside the report
    (report-1400px.png) for a person to look at."""
    if not shutil.which("chromium"):
        print("SKIP: chromium is not installed (quickstart.sh installs it)")
        sys.exit(77)
    page = os.path.abspath(os.path.join(d, "report.html"))
    html = open(page).read()
    if re.search(r"\bsrc\s*=\s*[\"']?(https?:)?//", html):
        fail("report.html loads something from the network")
    p = chromium(["--dump-dom", "file://" + page], "loading report.html")
    console = [l for l in p.stderr.splitlines() if ":CONSOLE" in l]
    if console:
        fail("console messages while loading report.html:\n" + "\n".join(console))
    dom = p.stdout
    m = re.search(r'<html[^>]*data-rendered="(\d+)"', dom)
    if not m:
        fail("the page's script did not run (no data-rendered on <html>):\n" + dom[:500])
    if int(m.group(1)) < 8:
        fail(f"the diagram shows {m.group(1)} states")
    if not re.search(r'<svg[^>]*id="state-diagram"', dom) or 'class="edge visited"' not in dom:
        fail("the DOM has no state diagram with visited transitions")
    if 'class="counterexample"' not in dom or 'class="failing-step"' not in dom:
        fail("the DOM has no counterexample step table")
    if 'class="edge failing"' not in dom and not re.search(r'class="node[^"]* failing', dom):
        fail("no failing transition or state is marked in the diagram")

    # The findings come first, each new failure a link to its counterexample.
    doc = json.load(open(os.path.join(d, "report.json")))
    failed = [r["id"] for r in doc["rules"] if r["outcome"] == "fail"]
    top = dom[:dom.index('id="state-diagram"')]
    if 'id="new-failures"' not in top:
        fail("no new-failures section above the diagram")
    for rule in failed:
        if f'href="#cex-{rule}"' not in top:
            fail(f"the failing rule {rule} is not linked to its counterexample above the diagram")
    for row in re.findall(r'<tr id="rule-[^"]+" data-outcome="[^"]+">.*?</tr>', dom, re.S):
        if "learn.microsoft.com" not in row and "github.com" not in row:
            fail("a rule row names no documentation: " + row[:200])
    if not re.search(r'<p id="rule-filter">.*type="checkbox"', dom):
        fail("no outcome filter above the rule table")

    # Links and labels, measured by the browser on a copy with the probe.
    with tempfile.TemporaryDirectory() as tmp:
        probed = os.path.join(tmp, "report.html")
        with open(probed, "w") as f:
            f.write(html.replace("</body>", PAGE_PROBE + "\n</body>"))
        dom = chromium(["--window-size=1400,1000", "--dump-dom", "file://" + probed], "probing report.html").stdout
    m = re.search(r'data-probed="yes"', dom)
    if not m:
        fail("the probe did not run")
    broken = re.search(r'data-broken-links="([^"]*)"', dom).group(1)
    if broken:
        fail("links inside report.html lead nowhere: #" + ", #".join(broken.split()))
    overlaps = re.search(r'data-overlaps="([^"]*)"', dom).group(1)
    if overlaps:
        fail("labels in the diagram overlap: " + overlaps)
    passing_shown, hidden, passing = re.search(r'data-filter="(\d+) (\d+) (\d+)"', dom).groups()
    if passing_shown != "0" or hidden != passing:
        fail(f"unticking 'pass' in the outcome filter left {passing_shown} passing rules shown and hid {hidden} "
             f"rows ({passing} pass)")
    labels = int(re.search(r'data-labels="(\d+)"', dom).group(1))
    if labels < 10:
        fail(f"the diagram has {labels} transition labels")

    shot = os.path.join(d, "report-1400px.png")
    chromium(["--window-size=1400,2400", "--screenshot=" + shot, "file://" + page], "taking the screenshot")
    if not os.path.isfile(shot):
        fail("chromium wrote no screenshot")
    width, height = png_size(shot)
    if width != 1400:
        fail(f"the screenshot is {width} px wide, not 1400")
    print(f"ok: report.html in headless Chromium: no console messages, {labels} diagram labels "
          f"without overlap, every link inside the page resolves; screenshot {shot} ({width}x{height})")


def outcomes(report):
    doc = json.load(open(report))
    return {r["id"]: r["outcome"] for r in doc["rules"]}, doc


def check_shards(bgconform, out, args):
    os.makedirs(out, exist_ok=True)
    whole = os.path.join(out, "whole")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GTEST_")}
    w = subprocess.run([bgconform, "run", *args, "--report-dir", whole], env=env, capture_output=True, text=True)
    dirs = []
    for i in range(3):
        d = os.path.join(out, f"shard{i}")
        e = dict(env, GTEST_TOTAL_SHARDS="3", GTEST_SHARD_INDEX=str(i))
        s = subprocess.run([bgconform, "run", *args, "--report-dir", d], env=e, capture_output=True, text=True)
        if s.returncode not in (0, 1, 3):
            fail(f"shard {i} exited {s.returncode}:\n{s.stdout}{s.stderr}")
        dirs.append(d)
    merged = os.path.join(out, "merged")
    m = subprocess.run([bgconform, "merge", *dirs, "--report-dir", merged], capture_output=True, text=True)
    if m.returncode != w.returncode:
        fail(f"merge exited {m.returncode}, the unsharded run {w.returncode}:\n{m.stdout}{m.stderr}")
    wo, wdoc = outcomes(os.path.join(whole, "report.json"))
    mo, mdoc = outcomes(os.path.join(merged, "report.json"))
    shard_cases = [json.load(open(os.path.join(d, "report.json")))["cases"]["run"] for d in dirs]
    if sum(shard_cases) != wdoc["cases"]["run"] or mdoc["cases"]["run"] != wdoc["cases"]["run"]:
        fail(f"cases: shards {shard_cases}, merged {mdoc['cases']['run']}, whole {wdoc['cases']['run']}")
    # The shards ran exactly the unsharded run's cases: the same steps, checks and coverage, and each
    # failing rule's counterexample from the same case, shrunk to the same steps.
    if mdoc["steps"] != wdoc["steps"]:
        fail(f"steps: merged {mdoc['steps']}, whole {wdoc['steps']}")
    for key in ("checks", "failures"):
        w_counts = {r["id"]: r.get(key) for r in wdoc["rules"]}
        m_counts = {r["id"]: r.get(key) for r in mdoc["rules"]}
        if w_counts != m_counts:
            fail(f"rule {key} differ: " + json.dumps({k: (w_counts[k], m_counts.get(k)) for k in w_counts if w_counts[k] != m_counts.get(k)}))
    if mdoc["coverage"]["bits"] != wdoc["coverage"]["bits"]:
        fail("coverage differs between the merged shards and the whole run")
    def cases_of(doc):
        return {c["rule"]: (c["case_index"], [s["stimulus"] for s in c["steps"]]) for c in doc["counterexamples"]}
    if cases_of(mdoc) != cases_of(wdoc):
        fail(f"counterexamples differ: merged {cases_of(mdoc)}, whole {cases_of(wdoc)}")
    diff = {k: (wo[k], mo.get(k)) for k in wo if wo[k] != mo.get(k)}
    if diff:
        fail("rule outcomes differ (whole, merged): " + json.dumps(diff))
    if mdoc["outcome"] != wdoc["outcome"]:
        fail(f"verdict {mdoc['outcome']} merged, {wdoc['outcome']} whole")
    failing = sorted(k for k, v in wo.items() if v == "fail")
    for k in failing:
        if not os.path.isfile(os.path.join(merged, f"replay-{k}.txt")):
            fail(f"merged report set lacks replay-{k}.txt")
    # A shard missing (its artifact lost) leaves cases unchecked: exit 2 whatever the others found.
    m = subprocess.run([bgconform, "merge", *dirs[1:]], capture_output=True, text=True)
    if m.returncode != 2 or "incomplete: shards 1, 2 of 3 only" not in m.stderr:
        fail(f"merge without shard 0 exited {m.returncode}, expected 2 (incomplete):\n{m.stdout}{m.stderr}")
    # A shard judged by another ledger: the verdict would depend on the order of the shards.
    ledger = os.path.join(out, "ledger.json")
    with open(ledger, "w") as f:
        json.dump({"known_deviations": [{"rule": failing[0] if failing else "E-2", "why": "shard test"}]}, f)
    judged = os.path.join(out, "shard0-ledger")
    e = dict(env, GTEST_TOTAL_SHARDS="3", GTEST_SHARD_INDEX="0")
    subprocess.run([bgconform, "run", *args, "--ledger", ledger, "--report-dir", judged], env=e, capture_output=True)
    m = subprocess.run([bgconform, "merge", judged, *dirs[1:]], capture_output=True, text=True)
    if m.returncode != 2 or "different ledgers" not in m.stderr:
        fail(f"merge of shards under different ledgers exited {m.returncode}, expected 2:\n{m.stdout}{m.stderr}")
    print(f"ok: 3 shards ({shard_cases} cases) merge into the unsharded verdicts: {wdoc['outcome']}, failing {failing}; "
          "a missing shard or another ledger is refused")


def without_timings(doc):
    """report.json without what the clock decides: the run's seconds (at every level)."""
    if isinstance(doc, dict):
        return {k: without_timings(v) for k, v in doc.items() if k not in ("seconds",)}
    if isinstance(doc, list):
        return [without_timings(v) for v in doc]
    return doc


def check_repeat(bgconform, out, args):
    """The same seed, target and options twice: the same report, timings aside (shrinking and the
    shortest-sequence searches of a violation are bounded by candidates, not by time)."""
    docs = []
    for k in range(2):
        d = out  # one report dir for both: the reproduce commands name it
        env = {key: v for key, v in os.environ.items() if not key.startswith("GTEST_")}
        p = subprocess.run([bgconform, "run", *args, "--report-dir", d], env=env, capture_output=True, text=True)
        if p.returncode not in (0, 1):
            fail(f"run {k} exited {p.returncode}:\n{p.stdout}{p.stderr}")
        docs.append(without_timings(json.load(open(os.path.join(d, "report.json")))))
    if docs[0] != docs[1]:
        a, b = json.dumps(docs[0], indent=1).splitlines(), json.dumps(docs[1], indent=1).splitlines()
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        fail("two runs of one seed differ, from line %d:\n%s\n---\n%s" % (first, "\n".join(a[first:first + 8]), "\n".join(b[first:first + 8])))
    print(f"ok: two runs of one seed give the same report.json ({len(docs[0]['counterexamples'])} counterexamples), timings aside")


def run(cmd, expect, what):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != expect:
        fail(f"{what}: exit {p.returncode}, expected {expect}: {' '.join(cmd)}\n{p.stdout}{p.stderr}")
    return p


def check_known_in_html(page, rules):
    """Known deviations in their own colour (class "known"), apart from new failures: listed under
    their heading at the top, their counterexamples and the diagram marked "known", nothing "new"."""
    html = open(page).read()
    top = html[:html.index('id="state-diagram"')]
    if 'id="known-deviations"' not in top or 'class="new"' in top:
        fail("report.html's findings do not show the known deviations apart (or call them new)")
    for rule in rules:
        if not re.search(r'<li class="known"><a href="#(cex|rule)-%s"' % re.escape(rule), top):
            fail(f"the known deviation {rule} is not listed with a link at the top of report.html")
    if not re.search(r'<h3 id="cex-[^"]+" class="known"', html) or re.search(r'<h3 id="cex-[^"]+" class="new"', html):
        fail("report.html's counterexamples of known deviations are not marked known")
    if not re.search(r'class="(edge|node[^"]*) known"', html) or 'class="edge failing"' in html:
        fail("the diagram does not draw the known deviations in their own colour")


def check_ledger(bgconform, out, failing, passing, amounts):
    first = os.path.join(out, "first")
    run([bgconform, "run", "--target", failing, *amounts, "--report-dir", first], 1, "the failing target without a ledger")
    ledger = os.path.join(out, "ledger.json")
    run([bgconform, "ledger", "--from", os.path.join(first, "report.json"), "-o", ledger], 0, "ledger --from")
    entries = json.load(open(ledger))["known_deviations"]
    if not entries:
        fail("the starting ledger is empty")
    rules = sorted(e["rule"] for e in entries)
    known = os.path.join(out, "known")
    p = run([bgconform, "run", "--target", failing, *amounts, "--ledger", ledger, "--report-dir", known], 0,
            "the failing target with its ledger")
    doc = json.load(open(os.path.join(known, "report.json")))
    got = sorted(r["id"] for r in doc["rules"] if r["outcome"] == "known-deviation")
    if got != rules or doc["outcome"] != "known-deviation":
        fail(f"known deviations {got} (run {doc['outcome']}), ledger {rules}")
    check_known_in_html(os.path.join(known, "report.html"), rules)
    fixed = os.path.join(out, "fixed")
    p = run([bgconform, "run", "--target", passing, *amounts, "--ledger", ledger, "--report-dir", fixed], 1,
            "a passing target with the ledger (unexpected pass)")
    doc = json.load(open(os.path.join(fixed, "report.json")))
    got = sorted(r["id"] for r in doc["rules"] if r["outcome"] == "unexpected-pass")
    if got != rules or "UNEXPECTED PASS" not in p.stdout:
        fail(f"unexpected passes {got}, ledger {rules}:\n{p.stdout}")
    print(f"ok: ledger {rules}: exit 0 for {failing}, exit 1 (unexpected-pass) for {passing}")


def main():
    if len(sys.argv) < 3:
        fail(__doc__)
    cmd = sys.argv[1]
    if cmd == "files":
        check_files(sys.argv[2])
    elif cmd == "schema":
        check_schema(sys.argv[2], sys.argv[3:])
    elif cmd == "html":
        for d in sys.argv[2:]:
            check_html(d)
    elif cmd == "repeat":
        check_repeat(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif cmd == "ledger":
        check_ledger(*sys.argv[2:6], sys.argv[6:])
    elif cmd == "shards":
        check_shards(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        fail("unknown check " + cmd)


if __name__ == "__main__":
    main()
