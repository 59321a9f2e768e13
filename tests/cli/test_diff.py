#!/usr/bin/env python3
"""civrules diff (issue #10 §3): the rules that differ, a household worked
by hand, 100,000 generated Guangzhou households at 2023-08-01 and
2024-08-01 whose totals are the sums of their records, and the HTML page
opened in headless Chromium. Usage: test_diff.py CIVRULES OUTDIR"""
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

EXE, OUT = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
GZ = "policies/cn/guangdong/guangzhou"
failures = 0
count = 0


def run(*args, stdin=None, timeout=600):
    p = subprocess.run([EXE, *args], input=stdin, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    global failures, count
    count += 1
    print(f"ok - {name}" if cond else f"not ok - {name}")
    if not cond:
        failures += 1
        for line in str(detail).splitlines()[:40]:
            print(f"# {line}")


# ---- the rules that differ --------------------------------------------------------
rc, out, err = run("diff", "--date", "2023-08-01", "--date", "2024-08-01", "--format", "json", GZ)
rules = json.loads(out) if rc == 0 else {}
by = {(c["kind"], c["name"]): c for c in rules.get("changes", [])}
std = by.get(("parameter", "dibao.standard"), {})
# Guangzhou's standard 1238 from 2023-07-01, 1282 from 2024-07-01 (https://m.gz.bendibao.com/life/353104.html)
check("rules: the standard's change with its dates, layer, position and basis",
      std.get("change") == "changed" and std["old"]["text"] == "1238" and std["new"]["text"] == "1282"
      and std["old"]["from"] == "2023-07-01" and std["new"]["from"] == "2024-07-01"
      and std["new"]["layer"] == "cn/guangdong/guangzhou"
      and std["new"]["at"].startswith("policies/cn/guangdong/guangzhou/dibao.yaml:")
      and "bendibao" in std["new"]["basis"], out + err)
check("rules: the child rates 2875 -> 2976 too, nothing about tables at two dates",
      by.get(("parameter", "child_support.orphan_community_rate"), {}).get("new", {}).get("text") == "2976"
      and not any(k[0] != "parameter" for k in by), out)
rc, out, err = run("diff", "--date", "2024-08-01", "--format", "json", GZ, "policies/cn/hunan/changde/jinshi")
jr = json.loads(out) if rc == 0 else {}
kinds = collections.Counter(c["kind"] for c in jr.get("changes", []))
check("rules: two bundles differ in parameters, table rows and more",
      rc == 0 and kinds["parameter"] > 0 and kinds["table_row"] > 0, out + err)
rc, out, err = run("diff", "--date", "2023-08-01", "--date", "2024-08-01", "--lang", "en", GZ)
check("rules as text", rc == 0 and "~ parameter dibao.standard (changed)" in out and "4 differences" not in err, out + err)
rc, out, err = run("diff", GZ)
check("one bundle needs two dates", rc == 2 and "two dates" in err, err)

# ---- a household worked by hand -----------------------------------------------------
# one elder, pension 100: dibao pays the gap, 1238 - 100 = 1138 in 2023 and
# 1282 - 100 = 1182 in 2024 (民发〔2021〕57号, 补差): amount up by 44
HH = ('{"id": "H1", "region": "440106", "residence": "urban", "members": [{"id": "a", "birth_date": "1950-01-01", '
      '"able_to_work": false, "supporters": [{"relation": "child", "birth_date": "1975-01-01", '
      '"monthly_income": "9000", "property_within_limits": true}]}], '
      '"income": [{"member": "a", "kind": "pension", "monthly": "100"}], "assets": {"financial": "0"}}')
work = tempfile.mkdtemp()
one = os.path.join(work, "one.jsonl")
with open(one, "w") as f:
    f.write(HH + "\n\n")
recs = os.path.join(work, "one-records.jsonl")
rc, out, err = run("diff", "--date", "2023-08-01", "--date", "2024-08-01", "--format", "json", "--records", recs,
                   GZ, one)
summary = json.loads(out) if rc == 0 else {}
records = [json.loads(l) for l in open(recs)] if rc == 0 else []
dibao = [r for r in records if r["program"] == "dibao"]
check("a household by hand: dibao 1138 -> 1182, amount up",
      len(dibao) == 1 and dibao[0] == {"household": "H1", "region": "440106", "program": "dibao",
                                        "transition": "amount_up", "old_status": "eligible",
                                        "new_status": "eligible", "old_monthly": "1138.00",
                                        "new_monthly": "1182.00", "change": "44.00"}, records)
check("a household by hand: the summary", summary.get("households") == 1
      and summary["total"]["monthly_change"] == "44.00" and summary["total"]["annual_change"] == "528.00"
      and summary["regions"] == [{"region": "440106", "households": 1, "old_monthly": "1138.00",
                                  "new_monthly": "1182.00", "monthly_change": "44.00", "annual_change": "528.00"}]
      and summary["largest"][0]["household"] == "H1", out)

# ---- 100,000 generated households -------------------------------------------------------
N = 100000
cases = os.path.join(work, "caseload.jsonl")
with open(cases, "w") as f:
    subprocess.run([sys.executable, os.path.join(HERE, "caseload.py"), str(N)], stdout=f, check=True)
recs = os.path.join(work, "records.jsonl")
html = os.path.join(OUT, "diff-guangzhou.html")
start = time.monotonic()
rc, out, err = run("diff", "--date", "2023-08-01", "--date", "2024-08-01", "--format", "json", "--records", recs,
                   "--html", html, GZ, cases, timeout=1200)
seconds = time.monotonic() - start
summary = json.loads(out) if rc == 0 else {}
print(f"# diff of {N} households under two dates: {seconds:.1f} s")
check("100,000 households: every one answered", rc == 0 and summary.get("households") == N, err)
records = [json.loads(l) for l in open(recs)] if rc == 0 else []
errors = [r for r in records if r["transition"] == "error"]
good = [r for r in records if r["transition"] != "error"]
check("100,000 households: records for each household and program",
      len(good) == (N - len(errors)) * len(summary.get("programs", [])) and len(errors) == summary.get("errors"),
      (len(good), len(errors)))
fen = lambda s: int(Decimal(s) * 100)
ok = True
detail = []
for p in summary.get("programs", []):
    mine = [r for r in good if r["program"] == p["program"]]
    counts = collections.Counter(r["transition"] for r in mine)
    old = sum(fen(r["old_monthly"]) for r in mine)
    new = sum(fen(r["new_monthly"]) for r in mine)
    if (dict(counts) != {k: v for k, v in p["transitions"].items() if v} or old != fen(p["old_monthly"])
            or new != fen(p["new_monthly"]) or new - old != fen(p["monthly_change"])
            or 12 * (new - old) != fen(p["annual_change"])):
        ok = False
        detail.append((p["program"], dict(counts), p))
check("100,000 households: each program's totals are the sums of its records", ok and summary["programs"], detail)
old = sum(fen(r["old_monthly"]) for r in good)
new = sum(fen(r["new_monthly"]) for r in good)
check("100,000 households: the total is the sum of the records",
      fen(summary["total"]["old_monthly"]) == old and fen(summary["total"]["new_monthly"]) == new
      and fen(summary["total"]["monthly_change"]) == new - old and new > old, (summary.get("total"), old, new))
per_region = collections.defaultdict(lambda: [0, 0])
households = collections.defaultdict(set)
totals = collections.defaultdict(int)
for r in good:
    per_region[r["region"]][0] += fen(r["old_monthly"])
    per_region[r["region"]][1] += fen(r["new_monthly"])
    households[r["region"]].add(r["household"])
    totals[r["household"]] += fen(r["change"])
check("100,000 households: regions are the sums of their records",
      all(per_region[g["region"]] == [fen(g["old_monthly"]), fen(g["new_monthly"])]
          and len(households[g["region"]]) == g["households"] for g in summary["regions"])
      and len(summary["regions"]) == len(per_region) == 8, summary.get("regions"))
bounds = [-50000, -10000, -1, 0, 10000, 50000]
bands = [0] * 7
for change in totals.values():
    bands[sum(1 for b in bounds if change > b)] += 1
check("100,000 households: the bands count the households by their change",
      [b["households"] for b in summary["bands"]] == bands and sum(bands) == N - len(errors), (summary["bands"], bands))
largest = sorted(totals.values(), key=lambda c: -abs(c))[:10]
check("100,000 households: the largest changes are the largest",
      [fen(l["change"]) for l in summary["largest"]] == largest, (summary["largest"], largest))
rc2, out2, _ = run("diff", "--date", "2023-08-01", "--date", "2024-08-01", "--format", "json", GZ, cases,
                   timeout=1200)
check("100,000 households: the same input gives the same bytes", rc2 == 0 and out2 == out)

# ---- the page in headless Chromium ----------------------------------------------------------
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
check("chromium is installed (scripts/deps.sh)", chromium is not None)
if chromium:
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--user-data-dir={os.path.join(work, 'chromium')}"]
    dom = subprocess.run(base + ["--dump-dom", "file://" + os.path.abspath(html)], capture_output=True,
                         text=True, timeout=120).stdout
    check("the page: charts drawn with a bar per program, band and region",
          dom.count("<rect") == len(summary["programs"]) + 7 + 8 and 'id="chart-programs"' in dom
          and 'id="chart-bands"' in dom and 'id="chart-regions"' in dom, dom[:2000])
    change = "+" + summary["total"]["monthly_change"]
    check("the page: the totals and labels in Chinese and English",
          f'<b id="monthly-change">{change}</b>' in dom and f'<b id="households">{N}</b>' in dom
          and "最低生活保障" in dom and "Minimum living allowance" in dom and "金额增加" in dom
          and "amount up" in dom, dom[:3000])
    png = os.path.join(OUT, "diff-guangzhou.png")
    subprocess.run(base + ["--window-size=1100,2400", f"--screenshot={png}", "file://" + os.path.abspath(html)],
                   capture_output=True, timeout=120)
    check("the page: a screenshot", os.path.exists(png) and os.path.getsize(png) > 20000, png)
shutil.rmtree(work, ignore_errors=True)
print(f"1..{count}")
sys.exit(1 if failures else 0)
