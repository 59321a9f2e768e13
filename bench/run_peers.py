#!/usr/bin/python3
"""civrules beside the peer rules engines on the same inputs, and the CLI's
throughput: one interleaved run, medians and ratios, exactness.

    /usr/bin/python3 bench/run_peers.py [--build build-release] [--rounds 3]
        [--n 100000] [--gz-lines 1000000] [--no-peers] [--keep DIR] [--compare EXE]

Run from the source root with a release build (bench/README.md). It

1. copies ../shared/peers (read-only in CI) into a temporary folder and
   runs `npm install` there (not `npm ci`: Zen's lock file records only some
   platforms' builds). Without npm, or when the install fails, it says so
   and runs the rest (plain Python and numpy, and civrules);
2. generates the peers' inputs, `node gen_inputs.js N 12345` and `--fen`
   (without Node, the same numbers from a port of its generator), and the
   same households as civrules reads them (`{"id", "size", "income",
   "urban"}`, one JSON line each) for bench/bundles/peer-dibao;
3. generates N_GZ Guangzhou households (tests/cli/caseload.py) as JSON Lines;
4. in each round runs every engine once, in turn: GoRules Zen (256 and 4096
   in flight, one sync expression), json-rules-engine, json-logic-js, plain
   JS, plain Python and numpy (each the peers' own program, one timed pass
   after its warm-up), civrules' C API (bench_peers: the hand-written C floor,
   civr_engine_eval on parsed households, civr_engine_eval_text), and the
   civrules CLI over the one-rule JSON Lines and over the Guangzhou stream
   (wall time, MB/s of input, peak RSS from wait4);
5. prints min / median / max over the rounds, ratios to the floor and to
   civrules' C API, and per engine the answers that differ from exact
   integer arithmetic on whole-yuan and on fen incomes.

Engines are rows of ENGINES (a program printing the peers' report lines)
and CLI_RUNS (a civrules command over a generated file): a new civrules
mode is one row, or one row of `modes` in bench_peers.c.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(r"^(\S.*?)\s+median\s+([\d,.]+) evals/s")


def log(msg):
    print(msg, flush=True)


# ---- inputs -----------------------------------------------------------------------

def gen_inputs_py(folder, n, seed, fen):
    """gen_inputs.js in Python (mulberry32, the same numbers), for machines without Node."""
    s = (seed & 0xFFFFFFFF) or 1
    M = 0xFFFFFFFF

    def rnd():
        nonlocal s
        s = (s + 0x6D2B79F5) & M
        t = s
        t = ((t ^ (t >> 15)) * (t | 1)) & M
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & M)) & M)) & M
        return ((t ^ (t >> 14)) & M) / 4294967296

    rows = []
    for _ in range(n):
        size = 1 + int(rnd() * 6)
        urban = rnd() < 0.5
        cap = size * 1200
        if fen:
            k = int(rnd() * cap * 100)
            income = k // 100 if k % 100 == 0 else k / 100
        else:
            income = int(rnd() * cap)
        rows.append({"householdSize": size, "monthlyIncomeTotal": income, "urban": urban})
    base = os.path.join(folder, "inputs_fen" if fen else "inputs")
    with open(base + ".json", "w") as f:
        json.dump(rows, f, separators=(",", ":"))
    with open(base + ".csv", "w") as f:
        f.write("householdSize,monthlyIncomeTotal,urban\n")
        f.writelines(f"{r['householdSize']},{r['monthlyIncomeTotal']},{1 if r['urban'] else 0}\n" for r in rows)


def read_csv(path):
    with open(path) as f:
        next(f)
        return [(int(a), b, c.strip() == "1") for a, b, c in (line.split(",") for line in f)]


def exact_amounts(rows):
    """The rule in exact arithmetic: (standard - income/size) * size, half-up to the yuan."""
    out = []
    for size, income, urban in rows:
        std = 800 if urban else 620
        pc = Fraction(income) / size
        out.append(int((std - pc) * size + Fraction(1, 2)) if pc < std else 0)
    return out


def write_households(rows, path):
    with open(path, "w") as f:
        for i, (size, income, urban) in enumerate(rows):
            f.write(f'{{"id":"P{i}","size":{size},"income":"{income}","urban":{"true" if urban else "false"}}}\n')


# ---- running ------------------------------------------------------------------------

def run_reporting(argv, cwd, env):
    """A program printing the peers' report lines: {label: evals/s}."""
    p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        log(f"  ! {' '.join(argv)} failed ({p.returncode}): {p.stderr.strip()[:300]}")
        return {}
    rates = {}
    for line in p.stdout.splitlines():
        m = LINE.match(line)
        if m:
            rates[m.group(1).strip()] = float(m.group(2).replace(",", ""))
    return rates


def watch_hwm(pid, peak, stop):
    """The process's own peak RSS (VmHWM, KiB), read every 20 ms while it runs.
    (ru_maxrss from wait4 would also count this Python's memory: Linux keeps the
    high-water mark of the forked copy across exec.)"""
    while not stop.is_set():
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak[0] = max(peak[0], int(line.split()[1]))
        except OSError:
            return
        stop.wait(0.02)


def run_cli(argv, path, out_path=None):
    """civrules over a file: wall seconds, CPU seconds, peak RSS in KiB."""
    import threading
    with open(out_path or os.devnull, "wb") as out:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv + [path], stdout=out, stderr=subprocess.PIPE)
        peak, stop = [0], threading.Event()
        watcher = threading.Thread(target=watch_hwm, args=(p.pid, peak, stop))
        watcher.start()
        err = p.stderr.read()
        stop.set()
        watcher.join()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):
        log(f"  ! {' '.join(argv)} {path} failed ({p.returncode}): {err.decode()[:300]}")
        return None
    return wall, ru.ru_utime + ru.ru_stime, peak[0] or ru.ru_maxrss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build-release")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--n", type=int, default=100000, help="peer inputs")
    ap.add_argument("--gz-lines", type=int, default=1000000, help="Guangzhou stream (0: skip)")
    ap.add_argument("--peers", default=next((d for d in (os.path.join(ROOT, "..", "shared", "peers"),
                                                       os.path.join(ROOT, "..", "..", "shared", "peers"))
                                             if os.path.isdir(d)), os.path.join(ROOT, "..", "shared", "peers")),
                    help="the peers' harness (default ../shared/peers, or ../../shared/peers from a worktree)")
    ap.add_argument("--no-peers", action="store_true", help="civrules only")
    ap.add_argument("--keep", help="work in DIR and keep it (else a temporary folder)")
    ap.add_argument("--no-nice", action="store_true", help="keep the priority (else nice 10: a shared machine)")
    ap.add_argument("--compare", metavar="EXE",
                    help="another civrules command (an older build) run beside this one on the same CLI inputs")
    a = ap.parse_args()
    if not a.no_nice:
        os.nice(10)  # every engine alike, children included
    os.chdir(ROOT)
    exe = os.path.join(a.build, "tools", "civrules", "civrules")
    bench_peers = os.path.join(a.build, "bench", "bench_peers")
    for f in (exe, bench_peers):
        if not os.path.exists(f):
            sys.exit(f"{f} missing: meson setup {a.build} --buildtype=release -Dtests=false && "
                     f"ninja -C {a.build} tools/civrules/civrules bench/bench_peers")
    work = a.keep or tempfile.mkdtemp(prefix="civrules-bench-")
    os.makedirs(work, exist_ok=True)
    peers = os.path.join(work, "peers")
    load = os.getloadavg()
    log(f"# {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}  {platform.machine()} cpus={os.cpu_count()} "
        f"load={load[0]:.1f},{load[1]:.1f},{load[2]:.1f}  work={work}")

    # 1. the peers, copied and installed
    node = shutil.which("node")
    have_npm = False
    if os.path.isdir(a.peers):
        if not os.path.isdir(peers):
            shutil.copytree(a.peers, peers, ignore=shutil.ignore_patterns("node_modules", "out", "inputs*"))
        if a.no_peers:
            log("# --no-peers: civrules only")
        elif not shutil.which("npm") or not node:
            log("# npm or node not found: the Node peers (Zen, json-rules-engine, json-logic-js, plain JS) are skipped")
        else:
            p = subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=peers, capture_output=True, text=True)
            have_npm = p.returncode == 0
            if not have_npm:
                log(f"# npm install failed (registry not reachable?): the Node peers are skipped\n#   {p.stderr.strip()[-300:]}")
    else:
        os.makedirs(peers, exist_ok=True)
        log(f"# {a.peers} not found: no peers, civrules only")
    have_peer_py = os.path.exists(os.path.join(peers, "bench_py.py")) and not a.no_peers

    # 2. the inputs
    for fen in (False, True):
        base = os.path.join(peers, "inputs_fen" if fen else "inputs")
        if not os.path.exists(base + ".csv"):
            if node and os.path.exists(os.path.join(peers, "gen_inputs.js")):
                subprocess.run(["node", "gen_inputs.js", str(a.n), "12345"] + (["--fen"] if fen else []),
                               cwd=peers, check=True, capture_output=True)
            else:
                gen_inputs_py(peers, a.n, 12345, fen)
    rows = {t: read_csv(os.path.join(peers, t + ".csv")) for t in ("inputs", "inputs_fen")}
    exact = {t: exact_amounts(r) for t, r in rows.items()}
    for t, r in rows.items():
        write_households(r, os.path.join(work, f"peer-{t}.jsonl"))
    gz = os.path.join(work, f"guangzhou-{a.gz_lines}.jsonl")
    if a.gz_lines and not os.path.exists(gz):
        with open(gz, "w") as f:
            subprocess.run([sys.executable, "tests/cli/caseload.py", str(a.gz_lines)], stdout=f, check=True)

    # the engines: (name, argv, cwd, extra environment), each printing report lines
    fen_json = os.path.join(peers, "inputs_fen.json")
    fen_csv = os.path.join(peers, "inputs_fen.csv")
    ENGINES = []
    if have_npm:
        ENGINES += [
            ("zen", ["node", "bench_zen.js"], peers, {"ZEN_MODES": "conc,exprsync"}),
            ("json-rules-engine", ["node", "bench_jre.js"], peers, {}),
            ("json-logic-js", ["node", "bench_jsonlogic.js"], peers, {}),
            ("plain JS", ["node", "bench_plainjs.js"], peers, {}),
        ]
    if have_peer_py:
        ENGINES += [("python", ["/usr/bin/python3", "bench_py.py"], peers, {})]
    ENGINES += [("civrules C API", [os.path.abspath(bench_peers), fen_csv, "bench/bundles/peer-dibao"], ROOT, {})]
    one_rule = [exe, "eval", "-q", "--policy", "bench/bundles/peer-dibao", "--any-region", "-d", "2024-01-01"]
    CLI_RUNS = [  # (label, argv, input file): civrules eval over JSON Lines
        ("civrules CLI eval, one-rule JSON Lines", one_rule, os.path.join(work, "peer-inputs_fen.jsonl")),
    ]
    if a.gz_lines:
        CLI_RUNS.append((f"civrules CLI eval, Guangzhou {a.gz_lines:,} lines", [exe, "eval", "-q", "-d", "2024-08-01"], gz))
    if a.compare:  # the same runs with the other command, each right after this one's
        CLI_RUNS = [row for label, argv, path in CLI_RUNS
                    for row in ((label, argv, path),
                                (label.replace("civrules CLI", "compared CLI"),
                                 [os.path.abspath(a.compare)] + [os.path.abspath(x) if x.startswith("bench/") else x
                                                                 for x in argv[1:]], path))]

    # 3. interleaved rounds
    rates, cli = {}, {}
    for r in range(a.rounds):
        log(f"# round {r + 1}/{a.rounds}")
        for name, argv, cwd, extra in ENGINES:
            env = dict(os.environ, INPUTS=fen_json, RUNS="1", **extra)
            env.pop("DUMP", None)
            for label, v in run_reporting(argv, cwd, env).items():
                rates.setdefault(label, []).append(v)
        for label, argv, path in CLI_RUNS:
            got = run_cli(argv, path)
            if got:
                cli.setdefault(label, []).append((got, os.path.getsize(path), sum(1 for _ in open(path, "rb")) if r == 0 else None))

    # 4. exactness: each engine's answers on whole-yuan and fen incomes against exact integers
    inexact = {}
    for t in ("inputs", "inputs_fen"):
        dump = os.path.join(work, "out", t)
        os.makedirs(os.path.dirname(dump), exist_ok=True)
        for name, argv, cwd, extra in ENGINES:
            argv = [os.path.join(peers, f"{t}.csv") if x == fen_csv else x for x in argv]
            env = dict(os.environ, INPUTS=os.path.join(peers, f"{t}.json"), RUNS="1", DUMP=dump, **extra)
            if name == "zen":
                env["ZEN_MODES"] = "conc,exprsync"
            run_reporting(argv, cwd, env)
        for f in os.listdir(os.path.dirname(dump)):
            if f.startswith(t + ".") and f.endswith(".txt"):
                got = [int(float(x)) for x in open(os.path.join(os.path.dirname(dump), f)).read().split()]
                n_bad = sum(1 for x, y in zip(got, exact[t]) if x != y) + abs(len(got) - len(exact[t]))
                inexact.setdefault(re.sub(r"_+", "_", f[len(t) + 1:-4]), {})[t] = n_bad
        out = os.path.join(work, f"cli-{t}.jsonl")
        if run_cli(one_rule, os.path.join(work, f"peer-{t}.jsonl"), out):
            got = [int(Fraction(json.loads(line)["programs"][0]["monthly"])) for line in open(out)]
            inexact.setdefault("civrules_CLI_eval_one_rule_JSON_Lines", {})[t] = sum(
                1 for x, y in zip(got, exact[t]) if x != y) + abs(len(got) - len(exact[t]))

    # 5. the report
    def key(label):  # as the dump files are named (runs of other characters: one _)
        return re.sub(r"_+", "_", "".join(c if c.isalnum() else "_" for c in label))

    floor = statistics.median(rates.get("hand-written C (integer fen)", [0])) or None
    capi = statistics.median(rates.get("civrules C API civr_engine_eval (parsed)", [0])) or None
    log(f"\n## the peers' dibao rule, {a.n:,} households (fen incomes), {a.rounds} rounds, evaluations per second")
    log(f"{'engine / mode':<46} {'min':>12} {'median':>12} {'max':>12} {'floor / it':>11} {'vs C API':>9} "
        f"{'inexact yuan':>12} {'inexact fen':>11}")
    for label, v in sorted(rates.items(), key=lambda kv: -statistics.median(kv[1])):
        med = statistics.median(v)
        bad = inexact.get(key(label), {})
        log(f"{label:<46} {min(v):>12,.0f} {med:>12,.0f} {max(v):>12,.0f} "
            f"{(floor / med if floor else 0):>10,.1f}x {(med / capi if capi else 0):>8.2f}x "
            f"{bad.get('inputs', '-'):>12} {bad.get('inputs_fen', '-'):>11}")
    log("(floor / it: how many times slower than the hand-written C function; vs C API: speed relative to "
        "civr_engine_eval; inexact: answers that differ from exact integer arithmetic, half-up to the yuan)")

    log(f"\n## civrules CLI over JSON Lines ({a.rounds} rounds; stdout to /dev/null)")
    log(f"{'run':<46} {'MB/s min':>9} {'median':>9} {'max':>9} {'households/s':>13} {'CPU MB/s':>9} {'peak RSS':>10}")
    for label, v in cli.items():
        size = v[0][1]
        lines = v[0][2]
        mbs = [size / 1e6 / w for (w, c, rss), _, _ in v]
        cpu = statistics.median(size / 1e6 / c for (w, c, rss), _, _ in v)
        rss = max(rss for (w, c, rss), _, _ in v)
        med_wall = statistics.median(w for (w, c, rss), _, _ in v)
        bad = inexact.get(key(label), {})
        log(f"{label:<46} {min(mbs):>9.1f} {statistics.median(mbs):>9.1f} {max(mbs):>9.1f} "
            f"{lines / med_wall:>13,.0f} {cpu:>9.1f} {rss / 1024:>7.1f} MiB"
            + (f"   inexact: {bad.get('inputs', '-')} yuan, {bad.get('inputs_fen', '-')} fen" if bad else ""))
    log("(MB/s of input over wall time, and over the process's CPU time, which a loaded machine disturbs less; "
        "peak RSS: the largest VmHWM over the rounds)")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
