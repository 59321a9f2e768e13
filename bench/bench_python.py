#!/usr/bin/env python3
"""bench_python: what the Python binding costs over the C API, how many
households a second evaluate_many gets through with 1 and 2 threads (whole
results and summaries), and the batch path's evaluate_columns on the peers'
one-rule bundle (bench/bundles/peer-dibao) with 1 and 2 threads.

    PYTHONPATH=build-release/bindings/python python3 bench/bench_python.py \
        [--rounds R] [--n N] [--c-bench build-release/bench/bench_eval]

Run from the source root. Each round times, interleaved, N calls of:
  crossing    a SWIG call that does almost nothing (checks a date string)
  native      the SWIG layer alone: JSON text in, result JSON text out
              (C parse + evaluate + render, plus crossing into C)
  text        Policy.evaluate(json_text): adds the dict and Decimal results
  dict        Policy.evaluate(dict): adds json.dumps of the household
and evaluate_many over N dicts with threads=1 and threads=2, whole and
summary=True, and evaluate_columns over 1,000,000 households of columns
(numpy when installed) with threads=1 and 2. The C API's
cost for the same work (parse JSON + eval, and render) comes from running
bench_eval; the report gives medians over the rounds and the ratios.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

import civrules
from civrules import native as capi

DATE = "2024-08-01"
POLICY = "policies/cn/guangdong/guangzhou"
HOUSEHOLD = "bench/households/guangzhou-typical.json"


def per_call_ns(fn, n):
    t0 = time.perf_counter_ns()
    for _ in range(n):
        fn()
    return (time.perf_counter_ns() - t0) / n


def many_per_s(policy, households, threads, summary=False):
    t0 = time.perf_counter_ns()
    count = sum(1 for r in policy.evaluate_many(households, date=DATE, threads=threads, summary=summary)
                if "error" not in r)
    if count != len(households):
        sys.exit("evaluate_many returned error records")
    return len(households) / ((time.perf_counter_ns() - t0) / 1e9)


def peer_columns(n):
    """The peers' rule and n households as columns (the peers' generator,
    gen_inputs.js --fen, mulberry32 seed 12345), numpy arrays when numpy is
    installed. Incomes in fen."""
    peer = civrules.Policy.load("bench/bundles/peer-dibao")
    s = 12345
    size, income, urban = [], [], []

    def rnd():
        nonlocal s
        s = (s + 0x6D2B79F5) & 0xFFFFFFFF
        t = s
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296
    for _ in range(n):
        k = 1 + int(rnd() * 6)
        size.append(k)
        urban.append(rnd() < 0.5)
        income.append(int(rnd() * k * 1200 * 100))
    try:
        import numpy as np
        columns = {"size": np.array(size, dtype="int64"), "income": np.array(income, dtype="int64"),
                   "urban": np.array(urban, dtype="bool")}
    except ImportError:
        columns = {"size": size, "income": income, "urban": urban}
    return peer, columns, n


def c_api_ns(path, rounds):
    """(parse JSON + eval, render) medians in ns from bench_eval, or None."""
    if not path or not os.access(path, os.X_OK):
        return None
    out = subprocess.run([path, "--rounds", str(rounds), "--n", "8000"], check=True,
                         capture_output=True, text=True).stdout

    def grab(label):
        m = re.search(re.escape(label) + r"\s+([0-9.]+) ns", out)
        if not m:
            sys.exit(f"bench_eval printed no line '{label}'")
        return float(m.group(1))
    return grab("parse JSON + eval, Guangzhou typical"), grab("render result JSON, Guangzhou typical")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--c-bench", default="build-release/bench/bench_eval")
    args = ap.parse_args()

    with open(HOUSEHOLD, encoding="utf-8") as f:
        text = f.read()
    household = json.loads(text)
    policy = civrules.Policy.load(POLICY)
    engine = policy._engine()
    # dibao 3 x 1282 - 1000.50 = 2845.50, rounded up to the yuan
    if policy.evaluate(household, date=DATE)["total_monthly"] != 2846:
        sys.exit("unexpected amount")

    calls = {
        "crossing": lambda: capi.civr_date_parse(DATE),
        "native": lambda: capi.civr_engine_eval_json(engine.engine, text, capi.CIVR_FORMAT_JSON, "b", DATE, 0,
                                                     engine.result),
        "text": lambda: policy.evaluate(text, date=DATE),
        "dict": lambda: policy.evaluate(household, date=DATE),
    }
    batch = [dict(household, id=f"B-{i}") for i in range(args.n)]
    times = {k: [] for k in calls}
    rates = {(t, s): [] for s in (False, True) for t in (1, 2)}
    peer, columns, width = peer_columns(1000000)
    col_rates = {1: [], 2: []}
    for _ in range(args.rounds):
        for name, fn in calls.items():
            times[name].append(per_call_ns(fn, args.n))
        for threads, summary in rates:
            rates[(threads, summary)].append(many_per_s(policy, batch, threads, summary))
        for threads in col_rates:
            t0 = time.perf_counter_ns()
            out = peer.evaluate_columns(columns, date="2024-01-01", threads=threads)
            col_rates[threads].append(width / ((time.perf_counter_ns() - t0) / 1e9))
            if sum(out["monthly"]["dibao"][:1000]) == 0:
                sys.exit("evaluate_columns paid nothing")
    med = {k: statistics.median(v) for k, v in times.items()}
    c = c_api_ns(args.c_bench, max(3, args.rounds // 2))

    print(f"civrules {civrules.__version__}, Python {sys.version.split()[0]}, "
          f"{args.rounds} rounds of {args.n} calls, medians; household {HOUSEHOLD}")
    print()
    if c:
        c_total = c[0] + c[1]
        print(f"{'C API: parse JSON + eval + render (bench_eval)':<52} {c_total / 1000:8.1f} µs")
    print(f"{'one call into C and back (SWIG, GIL released)':<52} {med['crossing'] / 1000:8.2f} µs")
    labels = {"native": "SWIG layer (text in, JSON out)",
              "text": "Policy.evaluate(json_text)",
              "dict": "Policy.evaluate(dict)"}
    for name, label in labels.items():
        extra = f"   overhead {(med[name] - c_total) / 1000:5.1f} µs, {med[name] / c_total:4.2f}x C" if c else ""
        print(f"{label:<52} {med[name] / 1000:8.1f} µs{extra}")
    print()
    for summary in (False, True):
        one, two = statistics.median(rates[(1, summary)]), statistics.median(rates[(2, summary)])
        kind = ", summary" if summary else ""
        print(f"{'evaluate_many' + kind + ', threads=1':<52} {one:8.0f} households/s")
        print(f"{'evaluate_many' + kind + ', threads=2':<52} {two:8.0f} households/s   {two / one:4.2f}x threads=1")
    one, two = statistics.median(col_rates[1]), statistics.median(col_rates[2])
    print(f"{'evaluate_columns, peer one-rule bundle, threads=1':<52} {one:8.0f} households/s")
    print(f"{'evaluate_columns, peer one-rule bundle, threads=2':<52} {two:8.0f} households/s   {two / one:4.2f}x threads=1")
    if not c:
        print(f"\n(no C figure: build {args.c_bench} with `ninja -C build-release bench/bench_eval`)")


if __name__ == "__main__":
    main()
