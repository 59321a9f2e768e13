#!/usr/bin/env python3
"""The civrules command line: eval (JSON, JSON Lines with bad lines, YAML,
text), check (golden errors, exit codes) and test. Usage: test_cli.py CIVRULES"""
import json
import os
import subprocess
import sys
import tempfile
import time

EXE = sys.argv[1]
failures = 0
count = 0


def run(*args, stdin=None):
    p = subprocess.run([EXE, *args], input=stdin, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    global failures, count
    count += 1
    if cond:
        print(f"ok - {name}")
    else:
        failures += 1
        print(f"not ok - {name}")
        for line in str(detail).splitlines()[:40]:
            print(f"# {line}")


HH = ('{"id": "H%d", "region": "440106", "residence": "urban", "members": [{"id": "a", "birth_date": "1950-01-01", "able_to_work": false, '
      '"supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}], '
      '"income": [{"member": "a", "kind": "pension", "monthly": "%d"}], "assets": {"financial": "0"}}')

# one household, default (Guangzhou) policy
rc, out, err = run("eval", "--date", "2024-08-01", "examples/households/gz-family.json")
res = json.loads(out)
check("eval one household", rc == 0 and res["total_monthly"] == "2846.00"
      and res["programs"][0]["status"] == "eligible"
      and res["policy"]["id"] == "cn/guangdong/guangzhou", out + err)
check("same input, byte-identical output",
      run("eval", "--date", "2024-08-01", "examples/households/gz-family.json")[1] == out)

# JSON Lines with bad lines: one output line per input line, errors as records
lines = [HH % (1, 100), '{"id": "H2", "members": [', HH % (3, 200),
         '{"id": "H4", "region": "440106", "members": [{"id": "a", "birth_date": "1950-02-30"}]}',
         '{"id": "H5", "region": "440106", "members": [{"id": "a", "birth_date": "1950-01-01"}], "colour": "red"}',
         '[1, 2]', HH % (7, 300)]
rc, out, err = run("eval", "--date", "2024-08-01", "-", stdin="\n".join(lines) + "\n")
outs = out.splitlines()
check("JSON Lines: one line out per line in", len(outs) == len(lines), out)
recs = [json.loads(o) for o in outs]
check("JSON Lines: good records evaluated",
      [r.get("total_monthly") for r in recs] == ["1182.00", None, "1082.00", None, None, None, "982.00"], out)
check("JSON Lines: errors carry id, position and household",
      recs[1]["error"]["id"] == "CIVR-1002" and recs[1]["error"]["source"] == "<stdin>:2"
      and recs[3]["household"] == "H4" and recs[3]["error"]["id"] == "CIVR-2004"
      and recs[4]["error"]["id"] == "CIVR-2001" and recs[5]["error"]["id"] == "CIVR-2002", out)
check("JSON Lines: exit 1 when some records failed", rc == 1, str(rc))

# one program that cannot be evaluated on the date does not sink the others
# (tests/fixtures/bundles/late_care: no care-subsidy amount before 2025-01-01):
# dibao 700 - 100 = 600 (民发〔2021〕57号 第十四条), the living subsidy 100
# (国发〔2015〕52号), the care subsidy in error; exit 1, a policy error
CARE = ('{"id": "LC-1", "residence": "urban", "members": [{"id": "a", "birth_date": "1960-01-01", '
        '"disability": {"type": "physical", "grade": 1}, "self_care": "none", '
        '"supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}], '
        '"income": [{"member": "a", "kind": "pension", "monthly": "100"}], "assets": {"financial": "0"}}')
rc, out, err = run("eval", "--policy", "tests/fixtures/bundles/late_care", "--any-region", "--date", "2024-08-01",
                   "-", stdin=CARE)
res = json.loads(out)
by = {p["program"]: p for p in res["programs"]}
check("a program in error: the others decided",
      rc == 1 and res["total_monthly"] == "700.00" and by["dibao"]["monthly"] == "600.00"
      and by["disability_living"]["monthly"] == "100.00" and "error" not in res, out + err)
check("a program in error: its status, reason and position",
      by["disability_care"]["status"] == "error" and by["disability_care"]["error"] == {
          "id": "CIVR-5003", "code": "evaluation", "source": "policies/cn/disability.yaml", "line": 36, "column": 3,
          "message": "parameter 'disability_care.amount' has no value on 2024-08-01 (next value from 2025-01-01)"},
      out)
rc, out, err = run("eval", "--policy", "tests/fixtures/bundles/late_care", "--any-region", "--date", "2024-08-01",
                   "--format", "text", "--lang", "en", "-", stdin=CARE)
check("a program in error: the text explanation says so, with the position",
      rc == 1 and "Care subsidy for severely disabled people: error (the rules cannot be evaluated)\n" in out
      and "  Error: policies/cn/disability.yaml:36:3: error: [CIVR-5003] parameter 'disability_care.amount' "
          "has no value on 2024-08-01 (next value from 2025-01-01)\n" in out
      and "Total per month: 700.00 yuan" in out, out + err)

# a thousand lines, all answered, in order
many = "\n".join(HH % (i, i % 1500) for i in range(1000)) + "\n"
rc, out, err = run("eval", "--date", "2024-08-01", "--jsonl", "-", stdin=many)
ids = [json.loads(o)["household"] for o in out.splitlines()]
check("1000 households in order", rc == 0 and ids == ["H%d" % i for i in range(1000)], err)

# YAML input and text output in Chinese and English
with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    f.write("id: Y1\nregion: '440106'\nresidence: urban\nmembers:\n  - {id: a, birth_date: 1950-01-01, able_to_work: false, "
            "supporters: [{relation: child, birth_date: 1985-01-01}]}\nassets: {financial: '0'}\n")
rc, out, err = run("eval", "--date", "2024-08-01", "--format", "text", f.name)
check("text output in Chinese", rc == 0 and "最低生活保障：符合条件，每月 1282.00 元" in out
      and "合计每月：1282.00 元" in out, out + err)
rc, out, err = run("eval", "--date", "2024-08-01", "--format", "text", "--lang", "en", f.name)
check("text output in English", rc == 0 and "Minimum living allowance (dibao): eligible, monthly 1282.00 yuan" in out, out)
rc, out, err = run("eval", "--date", "2024-08-01", "--trace", f.name)
trace = json.loads(out)["trace"]
check("trace lists parameters with layer and position",
      any(t["step"] == "parameter" and t["name"] == "dibao.standard"
          and t["layer"] == "cn/guangdong/guangzhou" and t["at"].endswith("guangzhou/dibao.yaml:14:9")
          for t in trace), out)
os.unlink(f.name)

# other jurisdictions through --policy
rc, out, err = run("eval", "--policy", "policies/cn/hunan/changde/jinshi", "--any-region", "--date", "2024-03-01",
                   "-", stdin=HH % (1, 600))
# 700 - 600 + the 70+ increment 10% x 700 (the member is 74)
check("Jinshi policy", json.loads(out)["total_monthly"] == "170.00", out + err)

# each household's own bundle (issue #9): a Guangzhou household is not paid Jinshi's amounts
rc, out, err = run("eval", "--policy", "policies/cn/hunan/changde/jinshi", "--date", "2024-03-01", "-",
                   stdin=HH % (1, 600))
rec = json.loads(out)
check("--policy refuses a household outside its regions", rc == 1 and rec["household"] == "H1"
      and rec["error"]["id"] == "CIVR-7002" and "430781" in rec["error"]["message"], out + err)
js = (HH % (2, 600)).replace('"440106"', '"430781"')
no_region = (HH % (3, 600)).replace('"region": "440106", ', '')
beijing = (HH % (4, 600)).replace('"440106"', '"110101"')
rc, out, err = run("eval", "--date", "2024-03-01", "-", stdin="\n".join([HH % (1, 600), js, no_region, beijing]) + "\n")
recs = [json.loads(o) for o in out.splitlines()]
check("without --policy each household gets its own bundle",
      [r.get("policy", {}).get("id") for r in recs[:2]] == ["cn/guangdong/guangzhou", "cn/hunan/changde/jinshi"]
      and recs[1]["total_monthly"] == "170.00", out + err)
check("no region, or a region no bundle governs: error records",
      rc == 1 and recs[2]["household"] == "H3" and recs[2]["error"]["id"] == "CIVR-7001"
      and recs[3]["household"] == "H4" and recs[3]["error"]["id"] == "CIVR-7004", out)
rc, out, err = run("eval", "--policy-root", "policies/cn/hunan", "--date", "2024-03-01", "-", stdin=js)
check("--policy-root picks from that tree", rc == 0 and json.loads(out)["policy"]["id"] == "cn/hunan/changde/jinshi", out + err)
check("--any-region needs --policy", run("eval", "--any-region", "-d", "2024-03-01", "x")[0] == 2)
rc, out, err = run("version")
check("version names the policy root and its bundles' regions",
      "default policy root: " in out and "cn/hunan/changde/jinshi 2024.1, regions 430781" in out, out)

# month by month (issue #9): Guangzhou 1238 until 2024-06, 1282 from 2024-07 (illustrative dates);
# pension 100 for one 74-year-old: 1138 a month, then 1182
rc, out, err = run("eval", "--from", "2024-05", "--to", "2024-08", "-", stdin=HH % (1, 100))
rec = json.loads(out)
check("eval --from --to: each program's amount per month",
      rc == 0 and [(m["month"], m["programs"][0]["program"], m["programs"][0]["monthly"]) for m in rec["months"]]
      == [("2024-05", "dibao", "1138.00"), ("2024-06", "dibao", "1138.00"), ("2024-07", "dibao", "1182.00"),
          ("2024-08", "dibao", "1182.00")], out + err)
check("--from without --to is a usage error", run("eval", "--from", "2024-05", "-")[0] == 2)

# screen: one record per household, a summary on stderr, --summary JSON, --html
enrolled = (HH % (5, 100)).replace('"assets"', '"enrolment": {"dibao": {"since": "2024-01-01", "monthly": "1100"}}, "assets"')
with tempfile.TemporaryDirectory() as d:
    rc, out, err = run("screen", "--date", "2024-08-01", "--summary", d + "/s.json", "--html", d + "/r.html",
                       "-", stdin="\n".join([HH % (1, 100), enrolled, no_region]) + "\n")
    recs = [json.loads(o) for o in out.splitlines()]
    check("screen: one record per household", len(recs) == 3 and rc == 1, out + err)
    check("screen: missed, amount differs, error record",
          recs[0]["cases"][0]["category"] == "missed" and recs[0]["cases"][0]["due"] == "1182.00"
          and recs[1]["cases"][0]["category"] == "amount_differs"
          and recs[1]["cases"][0]["difference"] == "-82.00"
          and recs[2]["error"]["id"] == "CIVR-7001", out)
    summary = json.load(open(d + "/s.json"))
    check("screen: the summary counts them", summary["households"] == 3 and summary["errors"] == 1
          and summary["categories"]["missed"]["cases"] == 1
          and summary["categories"]["amount_differs"]["difference"] == "-82.00", json.dumps(summary))
    check("screen: text summary on stderr", "漏保" in err and "missed" in err, err)
    check("screen: an HTML report", "民政救助筛查报告" in open(d + "/r.html", encoding="utf-8").read())
check("screen needs --date", run("screen", "-")[0] == 2)

# stacking decisions are explained in Chinese, on the member's line
tekun_disabled = ('{"id": "S1", "region": "440106", "residence": "urban", "members": [{"id": "a", "birth_date": "1950-01-01", '
                  '"self_care": "none", "disability": {"type": "physical", "grade": 1}}], "assets": {"financial": "0"}}')
rc, out, err = run("eval", "--date", "2024-08-01", "--format", "text", "-", stdin=tekun_disabled)
check("text explains a stacking decision in Chinese",
      "a：不符合条件，0.00 元" in out
      and "已享受特困人员救助供养，不再享受残疾人两项补贴 [DISABILITY_EXCLUDED_TEKUN]" in out, out + err)

# check: exit codes and golden errors
rc, out, err = run("check", "policies/cn/guangdong/guangzhou", "policies/cn/hunan/changde/jinshi")
check("check passes on bundles", rc == 0 and out.count("ok: ") == 2, out + err)
rc, out, err = run("check", "tests/fixtures/broken/expr_type")
golden = open("tests/fixtures/broken/expr_type/expected.txt").read().strip()
check("check prints the golden error and exits 1", rc == 1 and err.splitlines()[0] == golden, err)

# test
rc, out, err = run("test", "policies/cn/guangdong/guangzhou")
check("test runs a bundle's cases", rc == 0 and out.strip().endswith(" passed, 0 failed"), out + err)
rc, out, err = run("test", "bench/bundles/peer-dibao")
check("the benchmark's one-rule bundle passes its hand-worked cases",
      rc == 0 and out.strip().endswith("5 passed, 0 failed"), out + err)

# a Lua hook that loops forever for half the households: every line is still
# answered, the bad ones as error records, in bounded time (issue: hooks)
with tempfile.TemporaryDirectory() as hooked:
    os.makedirs(f"{hooked}/hooks")
    with open(f"{hooked}/bundle.yaml", "w") as f:
        f.write(f"id: test/cli-hooks\ntitle: {{zh: 钩子, en: hooks}}\nversion: '1'\n"
                f"extends: {os.getcwd()}/policies/cn/guangdong/guangzhou\nfiles: [p.yaml]\n")
    with open(f"{hooked}/p.yaml", "w") as f:
        f.write("programs:\n  dibao:\n    hooks:\n      after_amount: {file: hooks/loop.lua, basis: test}\n")
    with open(f"{hooked}/hooks/loop.lua", "w") as f:
        f.write("local ctx = ...\nprint('seen', ctx.household.id)\n"
                "if ctx.household.income[1].monthly:fen() % 200 == 100 then\n  while true do end\nend\n")
    import time
    started = time.monotonic()
    many = "\n".join(HH % (i, i) for i in range(1000)) + "\n"
    rc, out, err = run("eval", "--policy", hooked, "--date", "2024-08-01", "--jsonl", "-", stdin=many)
    took = time.monotonic() - started
    recs = [json.loads(o) for o in out.splitlines()]
    check("endless-loop hook: 1000 lines out for 1000 in", len(recs) == 1000, err[-2000:])
    dibao = [next(p for p in r["programs"] if p["program"] == "dibao") for r in recs if "programs" in r]
    bad = [(r, p["error"]) for r, p in zip(recs, dibao) if p["status"] == "error"]
    check("endless-loop hook: the odd ones have dibao in error, naming the hook, file and line",
          len(dibao) == 1000 and len(bad) == 500
          and all(e["id"] == "CIVR-6003" and e["source"] == f"{hooked}/hooks/loop.lua"
                  and e["line"] == 4 and "dibao.after_amount" in e["message"] for r, e in bad)
          and [r["household"] for r, e in bad] == ["H%d" % i for i in range(1, 1000, 2)]
          and rc == 1, out[:2000])
    # 1282 - i for the even ones (GZ 2024, 民发〔2021〕57号 第十四条)
    check("endless-loop hook: the others are evaluated",
          all(r["total_monthly"] == "%d.00" % (1282 - i) for i, r in enumerate(recs) if i % 2 == 0), out[:2000])
    check("endless-loop hook: in bounded time (%.1f s)" % took, took < 90, str(took))
    check("hook print goes to standard error", "dibao.after_amount: seen\tH0" in err, err[:500])
    with open(f"{hooked}/hooks/loop.lua", "w") as f:
        f.write("local ctx = ...\nreturn {amount = }\n")
    rc, out, err = run("check", hooked)
    check("check reports a hook that does not compile, with the YAML and the Lua line",
          rc == 1 and f"{hooked}/p.yaml:4:28: error: [CIVR-6001] hook 'dibao.after_amount' does not compile: "
          f"{hooked}/hooks/loop.lua:2: unexpected symbol near '}}'" in err, err)

# getopt_long conventions: --opt=value, short options, options after operands
gz = run("eval", "--date", "2024-08-01", "examples/households/gz-family.json")[1]
check("--date=D is --date D", run("eval", "--date=2024-08-01", "examples/households/gz-family.json")[1] == gz)
check("-d D is --date D", run("eval", "-d", "2024-08-01", "examples/households/gz-family.json")[1] == gz)
check("options after the operands", run("eval", "examples/households/gz-family.json", "-d2024-08-01")[1] == gz)
rc, out, err = run("eval", "-d", "2024-08-01", "-ftext", "-l", "en", "examples/households/gz-family.json")
check("short -f and -l", rc == 0 and "Minimum living allowance (dibao): eligible, monthly 2846.00 yuan" in out, out + err)
rc, out, err = run("eval", "--policy=policies/cn/hunan/changde/jinshi", "--any-region", "--date=2024-03-01", "-", stdin=HH % (1, 600))
check("--policy=DIR", rc == 0 and json.loads(out)["total_monthly"] == "170.00", out + err)
rc, out, err = run("eval", "--date=2024-08-01", "--", "-", stdin=HH % (1, 600))
check("-- ends the options", rc == 0 and json.loads(out)["household"] == "H1", out + err)

# help and version
for verb in ("eval", "check", "test"):
    rc, out, err = run(verb, "--help")
    check(f"{verb} --help: usage, options and exit codes on stdout, exit 0",
          rc == 0 and out.startswith(f"usage: civrules {verb} ") and "Exit codes: 0" in out and err == "", out + err)
check("help eval is eval --help", run("help", "eval")[1] == run("eval", "-h")[1])
rc, out, err = run("--help")
check("--help lists every verb", rc == 0 and all(f"  {v} " in out for v in ("eval", "check", "test", "version")), out)
rc, out, err = run("--version")
check("--version names the engine and the default policy root",
      rc == 0 and out.startswith("civrules 0.") and "engine: libcivrules" in out
      and "cn/guangdong/guangzhou 2024.1, regions 440100" in out, out + err)

# an unreadable input is an error record in its place: outputs line up with inputs
rc, out, err = run("eval", "-d", "2024-08-01", "examples/households/gz-family.json", "no/such/file.json",
                   "examples/households/gz-marginal.json")
recs = [json.loads(o) for o in out.splitlines()]
check("unreadable file: an error record between the two results, exit 1",
      rc == 1 and len(recs) == 3 and recs[0]["household"] == "GZ-0001" and "error" not in recs[2]
      and recs[1]["error"]["id"] == "CIVR-4001" and recs[1]["error"]["code"] == "io"
      and recs[1]["error"]["source"] == "no/such/file.json"
      and recs[1]["policy"]["id"] == "cn/guangdong/guangzhou"
      and "no/such/file.json: error: [CIVR-4001] cannot read" in err, out + err)
rc, out, err = run("eval", "-q", "-d", "2024-08-01", "no/such/file.json")
check("--quiet: the record, nothing on stderr", rc == 1 and err == "" and "CIVR-4001" in out, out + err)
import pty
master, slave = pty.openpty()
p = subprocess.run([EXE, "eval", "--progress", "-d", "2024-08-01", "examples/households/gz-family.json"],
                   stdout=subprocess.PIPE, stderr=slave, timeout=60)
os.close(slave)
bar = os.read(master, 4096).decode()
os.close(master)
check("progress bar on a terminal: count, rate and ETA on stderr, stdout untouched",
      p.returncode == 0 and "civrules: 1 households" in bar and "/s" in bar and "100%  ETA 0:00" in bar
      and json.loads(p.stdout)["household"] == "GZ-0001", bar)
master, slave = pty.openpty()
p = subprocess.run([EXE, "eval", "-q", "--progress", "-d", "2024-08-01", "examples/households/gz-family.json"],
                   stdout=subprocess.PIPE, stderr=slave, timeout=60)
os.close(slave)
os.set_blocking(master, False)
try:
    quiet = os.read(master, 4096).decode()
except (BlockingIOError, OSError):
    quiet = ""
os.close(master)
check("--quiet: no progress bar even on a terminal", quiet == "", quiet)
check("no progress bar when stderr is not a terminal",
      "households" not in run("eval", "--progress", "-d", "2024-08-01", "examples/households/gz-family.json")[2])

# check --needs: the skeleton of a layer over the national baseline fails
# check as printed, and filled in it passes check and evaluates (issue #10)
import re
rc, skel, err = run("check", "--needs", "policies/cn")
check("check --needs prints a skeleton", rc == 0 and skel.startswith("# 在 cn") and "dibao.standard:" in skel
      and "urban: null" in skel and "# 低保标准 / dibao standard" in skel, skel + err)


def fill(line):
    m = re.match(r"^(\s*)(value:|[a-z_0-9]+:) null\s+# (.*)$", line)
    if not m:
        return line.replace("basis: null", "basis: test (skeleton filled by the CLI test)")
    hint = m.group(3)
    value = ("500" if hint.startswith("money") else "1" if hint.startswith(("rate", "integer"))
             else "false" if hint.startswith("bool") else "2021-07-01" if hint.startswith("date")
             else "[]" if hint.startswith("set") else hint.split(": ")[1].split(",")[0]
             if hint.startswith("enum") else "x")
    return f"{m.group(1)}{m.group(2)} {value}"


with tempfile.TemporaryDirectory() as d:
    bundle = ("id: test/skeleton\ntitle: {zh: 测试, en: test}\nversion: \"1\"\nextends: %s\n"
              "valid_from: 2021-07-01\nfiles: [policy.yaml]\n" % os.path.abspath("policies/cn"))
    with open(os.path.join(d, "bundle.yaml"), "w") as f:
        f.write(bundle)
    with open(os.path.join(d, "policy.yaml"), "w") as f:
        f.write(skel)
    rc, out, err = run("check", d)
    check("the skeleton as printed does not pass check", rc == 1 and "CIVR-4005" in err, out + err)
    with open(os.path.join(d, "policy.yaml"), "w") as f:
        f.write("\n".join(fill(l) for l in skel.splitlines()) + "\n")
    rc, out, err = run("check", d)
    check("the skeleton filled in passes check", rc == 0 and out.startswith("ok: test/skeleton"), out + err)
    rc, out, err = run("eval", "--policy", d, "--date", "2024-08-01", "-", stdin=HH % (1, 100))
    res = json.loads(out) if out else {}
    check("the skeleton filled in evaluates", rc == 0 and "error" not in res
          and res["programs"][0]["program"] == "dibao" and res["programs"][0]["facts"]["standard"] == "500.00",
          out + err)
    rc, out, err = run("check", "--needs", d)
    check("a complete layer needs nothing more", rc == 0 and "parameters: {}" in out, out + err)

# test --coverage: what a bundle's cases exercised, and --min-coverage (issue #10 §4)
with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "bundle.yaml"), "w") as f:
        f.write("id: test/coverage\ntitle: {zh: 测试, en: test}\nversion: \"1\"\nextends: %s\nfiles: [policy.yaml]\n"
                % os.path.abspath("policies/cn/guangdong/guangzhou"))
    with open(os.path.join(d, "policy.yaml"), "w") as f:
        f.write("""programs:
  probe:
    title: {zh: 测试, en: probe}
    basis: test
    facts:
      old: {expr: "any(age(m) >= 60 for m in members)"}
      young: {expr: "not old", fail: {code: PROBE_OLD, zh: 有老人, en: has an elder, basis: test}}
    outcomes:
      - {id: paid, when: old, status: eligible, amount: 10 yuan, reason: {code: PROBE_PAID, zh: 发放, en: paid, basis: test}}
      - {id: never_chosen_when_old, when: "not old", status: ineligible}
      - {id: rest, status: ineligible}
""")
    os.mkdir(os.path.join(d, "tests"))
    with open(os.path.join(d, "tests", "probe.yaml"), "w") as f:
        f.write("""cases:
  - name: an elder is paid 10
    basis: the probe's rule
    date: 2024-08-01
    household: {id: P1, residence: urban, members: [{id: a, birth_date: 1950-01-01, able_to_work: false}], assets: {financial: "0"}}
    expect: {programs: {probe: {status: eligible, monthly: "10.00"}}}
""")
    rc, out, err = run("test", "--coverage", d)
    check("test --coverage lists what no case touched", rc == 0 and "1 passed, 0 failed" in out
          and "  outcome   probe.never_chosen_when_old  " in out and "  outcome   probe.rest  " in out
          and "  outcome   probe.paid" not in out and "  check     probe.young" not in out
          and "  fact      probe.old" not in out, out + err)
    first = out.splitlines()[0] if out else ""
    covered, total = (int(x) for x in first.split(": ")[1].split(" (")[0].split(" of ")) if first.startswith("coverage") else (0, 1)
    check("test --coverage counts", covered < total and total > 100, first)
    rc, out, err = run("test", "--min-coverage", "100", d)
    check("--min-coverage 100 fails", rc == 1 and "is under the minimum of 100%" in out, out + err)
    rc, out, err = run("test", "--min-coverage", "20", d)
    check("--min-coverage 20 passes (one case over all of Guangzhou's rules: about a third)", rc == 0, out + err)
    rc, out, err = run("test", "--min-coverage", "101", d)
    check("--min-coverage out of range is a usage error", rc == 2, err)

# bash completion: verbs and options come from the program's own help
import re
import shlex


def complete(*words):
    script = ("source tools/civrules/civrules.bash; COMP_WORDS=(%s); COMP_CWORD=%d; _civrules 2>/dev/null; "
              'printf "%%s\\n" "${COMPREPLY[@]}"' % (" ".join(shlex.quote(w) for w in (EXE,) + words), len(words)))
    p = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    return [w for w in p.stdout.splitlines() if w]


# The verbs and each verb's options, from the program's own table
# (tools/civrules/main.c: `verbs[]` and the `struct option` arrays it names),
# independently of the help texts the completion reads: a verb or option
# added to the table and not to its help (or the reverse) fails here.
main_c = open("tools/civrules/main.c", encoding="utf-8").read()
table = main_c[main_c.index("static const verb verbs[] = {"):]
table = table[:table.index("\n};")]
table_verbs = re.findall(r'^    \{"([a-z]+)", "', table, re.M)
verb_options = dict(zip(table_verbs, re.findall(r"\b([a-z_]+_options), cmd_[a-z_]+\}", table)))
option_arrays = {name: body for name, body in
                 re.findall(r"static const struct option ([a-z_]+)\[\] = \{(.*?)\n\};", main_c, re.S)}


def table_options(verb):
    body = option_arrays[verb_options[verb]]
    opts = {f"--{n}=" if kind == "required_argument" else f"--{n}"
            for n, kind in re.findall(r'\{"([a-z-]+)", (no_argument|required_argument)', body)}
    return opts | ({"--help"} if "HELP_OPTION" in body else set())


help_text = run("--help")[1]
verbs = re.findall(r"^  ([a-z]+) ", help_text[:help_text.index("\n\n", help_text.index("\n\n") + 2)], re.M)
check("the verbs --help lists are the table's", verbs == table_verbs and {"screen", "diff"} <= set(verbs),
      (verbs, table_verbs))
check("completion: exactly the verbs", complete("") == table_verbs + ["--help", "--version"], complete(""))
for v in table_verbs:
    check(f"completion: the options of {v} are its table's", sorted(complete(v, "--")) == sorted(table_options(v)),
          (sorted(complete(v, "--")), sorted(table_options(v))))
# every option that takes a value names it in the help with a name the
# completion knows (DIR, FILE, DATE, MONTH; FORMAT and LANG by option; P a number)
specs = {v: re.findall(r"^ +(?:-[a-zA-Z], )?(--[a-z][a-z-]*=[A-Z]+)(?:, (--[a-z][a-z-]*=[A-Z]+))?",
                       run(v, "--help")[1], re.M) for v in table_verbs}
metas = {(v, spec.split("=")[0], spec.split("=")[1]) for v in table_verbs for pair in specs[v] for spec in pair
         if spec}
unknown = sorted(x for x in metas if x[2] not in ("DIR", "FILE", "DATE", "MONTH", "FORMAT", "LANG", "P"))
check("completion: every option value has a kind it completes", not unknown and len(metas) > 15, unknown)
missing = sorted(f"{v} {o}" for v in table_verbs for o in table_options(v)
                 if o.endswith("=") and not any(x[0] == v and x[1] == o[:-1] for x in metas))
check("every option that takes a value names it in the help", not missing, missing)
check("completion: an option of the verb", complete("eval", "--da") == ["--date="], complete("eval", "--da"))
check("completion: option values", complete("eval", "--format=") == ["json", "text"]
      and complete("eval", "-l", "e") == ["en"] and complete("diff", "--format", "t") == ["text"],
      complete("eval", "--format="))
check("completion: folders, files, dates and months by the help's names",
      complete("screen", "--policy-root=", "polic") == ["policies"]
      and complete("screen", "-p", "polic") == ["policies"]
      and complete("check", "--needs", "polic") == ["policies"]
      and complete("screen", "--summary=", "READ") == ["README.md"]
      and complete("diff", "--records", "READ") == ["README.md"]
      and complete("screen", "--to", "")[0] == time.strftime("%Y-%m")
      and complete("check", "--until=")[0] == time.strftime("%Y-%m-%d")
      and complete("test", "--min-coverage", "") == [],
      [complete("screen", "--policy-root=", "polic"), complete("screen", "--to", "")])

# the man page names every verb and every option the program's help lists
man = open("tools/civrules/civrules.1.scd", encoding="utf-8").read()
undocumented = [v for v in verbs if f"*{v}*" not in man]
for v in verbs:
    undocumented += [f"{v} {o}" for o in re.findall(r"(--[a-z][a-z-]*)", run(v, "--help")[1])
                     if f"*{o}*" not in man and f"*{o}=" not in man]
check("man page: every verb and option is documented", not undocumented, undocumented)

# Without --date the date is today, with a note on stderr only when the
# bundle's newest value is over a year older. A layer over Guangzhou whose
# only value after 2024 (the national 2026-01-01 list of income not counted,
# 民发〔2021〕57号) is replaced by its 2021 one: newest 2024-07-01 (Guangzhou's standard).
import datetime
today = datetime.date.today()
with tempfile.TemporaryDirectory() as d:
    with open(f"{d}/bundle.yaml", "w", encoding="utf-8") as f:
        f.write("id: test/stale\ntitle: {zh: 旧, en: stale}\nversion: \"1\"\n"
                f"extends: {os.path.abspath('policies/cn/guangdong/guangzhou')}\nfiles: [p.yaml]\n")
    with open(f"{d}/p.yaml", "w", encoding="utf-8") as f:
        f.write("parameters:\n  dibao.excluded_income_kinds:\n    values:\n      - from: 2021-07-01\n"
                "        value: [veteran_preferential]\n        basis: test\n")
    fam = "examples/households/gz-family.json"
    rc, out, err = run("eval", "-p", d, fam)
    stale = today > datetime.date(2025, 7, 1)
    check("no --date on a stale bundle: a note on stderr, the result on stdout",
          rc == 0 and json.loads(out)["date"] == today.isoformat()
          and ("newest value in test/stale takes effect on 2024-07-01, over a year earlier" in err) == stale
          and ("可能已过时" in err) == stale, err)
    rc, out, err = run("eval", "-p", d, "--date=2024-08-01", fam)
    check("with --date: no note", rc == 0 and err == "", err)
    rc, out, err = run("eval", "-p", d, "-q", fam)
    check("--quiet: no note", rc == 0 and err == "", err)
rc, out, err = run("eval", "examples/households/gz-family.json")
check("no --date on a bundle with a value within the year: no note",
      rc == 0 and ("note" in err) == (today > datetime.date(2027, 1, 1)), err)

# usage errors exit 2
check("unknown command", run("frobnicate")[0] == 2)
check("bad date", run("eval", "--date", "2024-13-01", "x")[0] == 2)
check("no input", run("eval")[0] == 2)
check("unknown option", run("eval", "--frobnicate", "x")[0] == 2)
check("option without its value", run("eval", "x", "--date")[0] == 2)
check("bad --format value", run("eval", "--format=xml", "x")[0] == 2)
check("bad --lang value", run("eval", "-l", "fr", "x")[0] == 2)
check("an option another verb has", run("check", "--date=2024-01-01", "x")[0] == 2)

print(f"1..{count}")
sys.exit(1 if failures else 0)
