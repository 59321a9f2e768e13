#!/usr/bin/env python3
"""Evaluate a whole caseload and print a summary per program.

    caseload.py [--policy DIR] [--date YYYY-MM-DD] [--threads N] CASELOAD
    caseload.py --screen [--from YYYY-MM --to YYYY-MM] [--policy DIR] --date D CASELOAD.jsonl

CASELOAD is JSON Lines (one household per line, as `civrules eval` reads)
or CSV with one row per member (the columns of `civrules.caseload`, parents
and supporters included; a household's rows share `household_id`). Prints,
per program: households paid, members paid and the monthly total, then the
records that could not be evaluated. With pandas, `policy.evaluate_frame(df)`
does the same for a DataFrame.

With --screen (needs pandas), the caseload's enrolments are compared with
what is due (`policy.screen`, one DataFrame row per household x program x
member): cases per category and program, and the money involved; with
--from/--to also arrears (补发) and overpayments (追缴) from the payment
history. `policy.evaluate_period` gives every month's amounts.
"""

import argparse
import decimal
import sys

import civrules
from civrules.caseload import read_caseload, summarise


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--policy", default=None, help="bundle folder (default: the installed Guangzhou bundle)")
    ap.add_argument("--date", default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--screen", action="store_true", help="compare enrolments with what is due")
    ap.add_argument("--from", dest="first", default=None, help="with --screen: first month, YYYY-MM")
    ap.add_argument("--to", dest="last", default=None, help="with --screen: last month, YYYY-MM")
    ap.add_argument("caseload")
    args = ap.parse_args()
    policy = civrules.Policy.load(args.policy)
    if args.screen:
        return screen(policy, args)
    households, problems = read_caseload(args.caseload)
    results = policy.evaluate_many(households, date=args.date, threads=args.threads)
    table, errors = summarise(results)
    print(f"policy {policy.id} {policy.version}  date {args.date or 'today'}")
    print(f"{'program':<20} {'households':>10} {'members':>8} {'undetermined':>12} {'monthly (yuan)':>16}")
    for name, s in table.items():
        print(f"{name:<20} {s['households']:>10} {s['members']:>8} {s['undetermined']:>12} {s['monthly']:>16}")
    total = sum((s["monthly"] for s in table.values()), decimal.Decimal("0.00"))
    print(f"{'total':<20} {'':>10} {'':>8} {'':>12} {total:>16}")
    for hid, line, why in problems:
        print(f"error: {args.caseload}:{line}: household {hid} left out: {why}")
    for e in errors:
        print(f"error: {e.get('household')}: [{e['error']['id']}] {e['error']['message']}")
    return 1 if errors or problems else 0


def screen(policy, args):
    households, problems = read_caseload(args.caseload)
    df = policy.screen(households, args.date, args.first, args.last)
    cases = df[df.error.isna()]
    print(f"policy {policy.id} {policy.version}  screened on {args.date}: {len(households)} households, "
          f"{df.household.nunique()} with a case")
    table = cases.pivot_table(index="program", columns="category", values="household", aggfunc="count", fill_value=0)
    print(table.to_string())
    money = cases.groupby("category")[["due", "paid", "difference"]].sum()
    print(money.to_string())
    if args.first:
        print(f"arrears (补发) {cases.arrears.sum()}  overpaid (追缴) {cases.overpaid.sum()}")
    for _, row in df[df.error.notna()].iterrows():
        print(f"error: {row.household}: {row.error}")
    return 1 if problems or df.error.notna().any() else 0


if __name__ == "__main__":
    sys.exit(main())
