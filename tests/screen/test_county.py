#!/usr/bin/env python3
"""Screen a generated (synthetic) county and check that `civrules screen`
finds exactly the planted errors and no other, and that its summary totals
equal the sums of its per-household records.

    test_county.py CIVRULES_EXE HOUSEHOLDS [--from 2024-01 --to 2024-12]

Prints TAP. The caseload comes from tools/generate/generate_caseload.py
(deterministic by seed); its manifest lists every case screening must
report, worked out by the generator from evaluations, independently of the
screening code in C.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

exe, n = sys.argv[1], int(sys.argv[2])
period = sys.argv[3:]  # e.g. --from 2024-01 --to 2024-12
root = os.environ.get("CIVRULES_SOURCE_ROOT", ".")
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}")
    if not ok and detail:
        for line in str(detail)[:3000].splitlines():
            print(f"# {line}")


def fen(s):
    if s is None:
        return None
    neg = s.startswith("-")
    w, _, f = s.lstrip("-").partition(".")
    v = int(w) * 100 + int((f + "00")[:2])
    return -v if neg else v


with tempfile.TemporaryDirectory() as d:
    caseload, manifest_path = f"{d}/county.jsonl", f"{d}/manifest.json"
    summary_path, html_path = f"{d}/summary.json", f"{d}/report.html"
    t0 = time.monotonic()
    gen = [sys.executable, f"{root}/tools/generate/generate_caseload.py", "--households", str(n),
           "--seed", "11", "--date", "2024-12-01", "--out", caseload, "--manifest", manifest_path] + period
    p = subprocess.run(gen, capture_output=True, text=True)
    t1 = time.monotonic()
    check(f"generate {n} synthetic households ({t1 - t0:.1f} s)", p.returncode == 0, p.stderr)
    if p.returncode:
        print(f"1..{len(results)}")
        sys.exit(1)
    # same seed, same bytes
    if n <= 5000:
        gen2 = [f"{d}/again.jsonl" if a == caseload else f"{d}/again.json" if a == manifest_path else a
                for a in gen]
        again = subprocess.run(gen2, capture_output=True, text=True)
        check("the generator is deterministic",
              again.returncode == 0 and open(caseload, "rb").read() == open(f"{d}/again.jsonl", "rb").read()
              and open(manifest_path, "rb").read() == open(f"{d}/again.json", "rb").read(), again.stderr)
    manifest = json.load(open(manifest_path, encoding="utf-8"))
    cmd = [exe, "screen", "--date", "2024-12-01", "--summary", summary_path, "--html", html_path,
           caseload] + period
    t2 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    t3 = time.monotonic()
    check(f"screen {n} households ({t3 - t2:.1f} s)", p.returncode == 0, p.stderr)
    lines = p.stdout.splitlines()
    check("one record per household, in order", len(lines) == n)
    records = [json.loads(l) for l in lines]
    check("no error records", all("error" not in r for r in records),
          [r for r in records if "error" in r][:3])
    check("each household screened with its own bundle",
          all(r["policy"]["id"] == manifest["policy"] and r["policy"]["digest"] == manifest["digest"]
              for r in records))

    # every planted kind was planted
    for kind, count in manifest["planted"].items():
        check(f"planted {kind}: {count}", count > 0)

    # exactly the expected cases
    def key(h, c):
        return (h, c["program"], c["member"], c["category"])

    found = {}
    for r in records:
        for c in r["cases"]:
            if c["category"] != "agrees" or (period and (c["arrears"] != "0.00" or c["overpaid"] != "0.00")):
                found[key(r["household"], c)] = c
    expected = {key(c["household"], c): c for c in manifest["expected_cases"]}
    missing = sorted(set(expected) - set(found), key=str)
    extra = sorted(set(found) - set(expected), key=str)
    check(f"every expected case found ({len(expected)})", not missing, missing[:10])
    check("no case beyond the expected ones", not extra, extra[:10])
    wrong = [k for k in expected.keys() & found.keys()
             if (fen(expected[k]["due"]), fen(expected[k]["paid"])) !=
             (fen(found[k]["due"]), fen(found[k]["paid"]) if found[k]["enrolled"] else None)]
    check("due and paid as expected", not wrong, wrong[:10])
    if period:
        wrong = [k for k in expected.keys() & found.keys()
                 if (expected[k]["arrears"], expected[k]["overpaid"]) != (found[k]["arrears"], found[k]["overpaid"])]
        check("arrears and overpayments as expected", not wrong,
              [(k, expected[k]["arrears"], found[k]["arrears"], expected[k]["overpaid"], found[k]["overpaid"])
               for k in wrong[:10]])
    for kind in ("missed", "wrongly_enrolled", "amount_differs", "undetermined"):
        hs = set(manifest["planted_households"][kind])
        got = {k[0] for k in found if k[3] == kind}
        check(f"every household planted {kind} is found so", hs <= got, sorted(hs - got)[:10])
    dead = set(manifest["planted_households"]["death_still_paid"])
    got = {k[0] for k in found if k[3] in ("wrongly_enrolled", "amount_differs")}
    check(f"every death still paid is found ({len(dead)})", dead <= got, sorted(dead - got)[:10])

    # reviews
    want = {(v["household"], v["program"], v["member"], v["review"]) for v in manifest["expected_reviews"]}
    got = {(r["household"], c["program"], c["member"], c["review"]) for r in records for c in r["cases"]
           if c["review"] in ("due", "overdue")}
    check(f"exactly the expected reviews due or overdue ({len(want)})", want == got,
          (sorted(want - got, key=str)[:5], sorted(got - want, key=str)[:5]))
    check("every planted overdue review is found",
          set(manifest["planted_households"]["review_overdue"]) <= {k[0] for k in got if k[3] == "overdue"})
    # applications
    want = {(a["household"], a["program"], a["member"], a["status"]) for a in manifest["applications"]}
    got = {(r["household"], a["program"], a["member"], a["status"]) for r in records for a in r["applications"]}
    check(f"exactly the expected applications, overdue ({len(want)})", want == got,
          (sorted(want - got, key=str)[:5], sorted(got - want, key=str)[:5]))

    # summary totals = sums of the per-household records
    s = json.load(open(summary_path, encoding="utf-8"))
    sums = {}
    for r in records:
        for c in r["cases"]:
            t = sums.setdefault(c["category"], [0, 0, 0, 0])
            t[0] += 1
            t[1] += fen(c["due"])
            t[2] += fen(c["paid"]) if c["paid"] is not None else 0
            t[3] += fen(c["difference"]) if c["difference"] is not None else 0
    ok = s["households"] == n and s["errors"] == 0
    for cat, v in s["categories"].items():
        if cat in ("arrears", "overpaid"):
            continue
        got = [v["cases"], fen(v["due"]), fen(v["paid"]), fen(v["difference"])]
        ok = ok and got == sums.get(cat, [0, 0, 0, 0])
    ok = ok and s["cases"] == sum(len(r["cases"]) for r in records)
    ok = ok and fen(s["categories"]["arrears"]) == sum(fen(c.get("arrears", "0")) for r in records for c in r["cases"])
    ok = ok and fen(s["categories"]["overpaid"]) == sum(fen(c.get("overpaid", "0")) for r in records for c in r["cases"])
    ok = ok and s["reviews"]["overdue"] == sum(c["review"] == "overdue" for r in records for c in r["cases"])
    ok = ok and s["applications"]["overdue"] == sum(a["status"] == "overdue" for r in records for a in r["applications"])
    progs = {}
    for r in records:
        for c in r["cases"]:
            progs[c["program"]] = progs.get(c["program"], 0) + 1
    ok = ok and {p: sum(v[c]["cases"] for c in v if c not in ("arrears", "overpaid"))
                 for p, v in s["programs"].items()} == progs
    check("summary totals equal the sums of the per-household records", ok, json.dumps(s)[:2000])
    html = open(html_path, encoding="utf-8").read()
    check("the HTML report is written, in Chinese, self-contained",
          html.startswith("<!DOCTYPE html>") and "民政救助筛查报告" in html and "漏保" in html
          and "<script" not in html and "http" not in html.split("</style>")[0])

    # the report in headless Chromium: what it shows, and a screenshot
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    check("chromium is installed (scripts/deps.sh)", chromium is not None)
    if chromium and not period:
        base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                f"--user-data-dir={d}/chromium"]
        # the browser is not ours to sanitize: without the sanitizer runtimes a sanitized build preloads
        env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS")}
        dom = subprocess.run(base + ["--dump-dom", "file://" + html_path], capture_output=True, text=True,
                             timeout=180, env=env).stdout
        cats = s["categories"]
        check("the report in Chromium: the counts of the summary",
              f'<b id="households">{n}</b>' in dom
              and f'<b id="missed">{cats["missed"]["cases"]}</b>' in dom
              and f'<b id="wrongly-enrolled">{cats["wrongly_enrolled"]["cases"]}</b>' in dom
              and f'<b id="reviews-overdue">{s["reviews"]["overdue"]}</b>' in dom
              and f'<b id="applications-overdue">{s["applications"]["overdue"]}</b>' in dom, dom[:3000])
        check("the report in Chromium: the cases to act on first, with their reasons and basis",
              "优先处理：多发金额最大的案件" in dom and "优先处理：漏保时间最长的家庭" in dom
              and dom.count("<tr>") > 40 and "民发〔2021〕57号" in dom, dom[-3000:])
        check("the report in Chromium: programs by their Chinese titles",
              "最低生活保障 <span class=\"note\">dibao</span>" in dom, dom[:3000])
        out_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(exe)))),
                               "meson-logs")
        png = os.path.join(out_dir if os.path.isdir(out_dir) else d, f"screen-county-{n}.png")
        subprocess.run(base + ["--window-size=1280,2000", f"--screenshot={png}", "file://" + html_path],
                       capture_output=True, timeout=180, env=env)
        check(f"the report in Chromium: a screenshot ({png})", os.path.exists(png) and os.path.getsize(png) > 30000)

print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
