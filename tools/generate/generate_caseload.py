#!/usr/bin/env python3
"""Generate a SYNTHETIC county caseload with planted errors, for screening.

Every household here is invented: names are ids, numbers come from a seeded
pseudo-random generator, nothing describes a real person. The caseload is
shaped like a county's (household sizes, ages, hukou, disabilities, illness,
incomes and assets, children's parents, elderly people's supporters,
enrolments, reviews and payment histories) so that `civrules screen` has
something realistic to work on, and it carries a known number of planted
errors of each kind:

  missed              due under a program, not enrolled (漏保)
  wrongly_enrolled    enrolled and paid, nothing due (错保)
  amount_differs      enrolled, paid another amount than is due
  death_still_paid    a member died some months ago; payments go on unchanged
  review_overdue      the periodic review is past due
  application_overdue an application waits longer than the processing limit
  undetermined        a fact the rules need is left out (not an error: to collect)

Truth comes from the bundle itself: each household is evaluated with the
civrules library (the Python binding) and enrolled exactly as the rules say,
then the planted changes are made and each is checked to produce what it
was planted for. The manifest lists every case screening must report (any
category but "agrees", every overdue review, every overdue application),
worked out here independently of the C screening code, so a test can check
that `civrules screen` finds exactly these.

    generate_caseload.py --households 1000 --seed 7 --date 2024-12-01 \\
        --policy policies/cn/guangdong/guangzhou --region 440106 \\
        --out caseload.jsonl --manifest manifest.json [--from 2024-01 --to 2024-12]

Same arguments, same bytes.
"""
import argparse
import datetime
import json
import random
import sys
from typing import Any, Dict, List, Optional, Tuple

import civrules

PAYS = ("eligible", "individual", "phase_out")
KINDS = ("missed", "wrongly_enrolled", "amount_differs", "death_still_paid", "review_overdue",
         "application_overdue", "undetermined")
# share of households planted with each kind, per thousand
RATES = {"missed": 20, "wrongly_enrolled": 10, "amount_differs": 20, "death_still_paid": 5,
         "review_overdue": 20, "application_overdue": 5, "undetermined": 5}


def fen(text: Any) -> int:
    s = str(text)
    neg = s.startswith("-")
    s = s.lstrip("-")
    whole, _, frac = s.partition(".")
    v = int(whole) * 100 + int((frac + "00")[:2])
    return -v if neg else v


def yuan(f: int) -> str:
    sign = "-" if f < 0 else ""
    f = abs(f)
    return f"{sign}{f // 100}.{f % 100:02d}"


def add_months(d: datetime.date, n: int) -> datetime.date:
    total = d.year * 12 + (d.month - 1) + n
    y, m = divmod(total, 12)
    day = d.day
    while True:
        try:
            return datetime.date(y, m + 1, day)
        except ValueError:
            day -= 1


def month_list(first: datetime.date, last: datetime.date) -> List[datetime.date]:
    out, d = [], first.replace(day=1)
    while d <= last:
        out.append(d)
        d = add_months(d, 1)
    return out


# ---- households -------------------------------------------------------------------------

def birth(rng: random.Random, on: datetime.date, lo: int, hi: int) -> str:
    age = rng.randint(lo, hi)
    return (on.replace(year=on.year - age) - datetime.timedelta(days=rng.randint(1, 360))).isoformat()


def make_household(rng: random.Random, n: int, region: str, on: datetime.date) -> Dict[str, Any]:
    hukou = "urban" if rng.random() < 0.6 else "rural"
    shape = rng.choices(["single_elder", "couple_elder", "family", "single_parent", "single_adult"],
                        [18, 12, 40, 15, 15])[0]
    members: List[Dict[str, Any]] = []
    income: List[Dict[str, Any]] = []

    def adult(mid: str, relation: str, lo: int, hi: int) -> Dict[str, Any]:
        m = {"id": mid, "relation": relation, "birth_date": birth(rng, on, lo, hi),
             "sex": rng.choice(["male", "female"]), "hukou": hukou}
        r = rng.random()
        if r < 0.10:
            grade = rng.choices([1, 2, 3, 4], [2, 3, 3, 2])[0]
            m["disability"] = {"type": rng.choice(["physical", "visual", "hearing", "intellectual",
                                                   "mental", "speech"]), "grade": grade}
        m["serious_illness"] = rng.random() < 0.06
        m["self_care"] = rng.choices(["full", "partial", "none"], [85, 10, 5])[0]
        return m

    if shape in ("single_elder", "couple_elder"):
        a = adult("m1", "applicant", 60, 92)
        a["able_to_work"] = False
        members.append(a)
        if shape == "couple_elder":
            b = adult("m2", "spouse", 60, 90)
            b["able_to_work"] = False
            members.append(b)
        for m in members:
            if rng.random() < 0.7:
                income.append({"member": m["id"], "kind": "pension",
                               "monthly": yuan(rng.randint(20, 300) * 1000)})
            # a child living elsewhere: working age, earning, property within the limits
            # (able to support, 民发〔2021〕43号 第十条), or none
            m["supporters"] = [{"relation": "child", "birth_date": birth(rng, on, 30, 55),
                                "monthly_income": yuan(rng.randint(30, 90) * 10000),
                                "property_within_limits": True}] if rng.random() < 0.5 else []
    else:
        a = adult("m1", "applicant", 25, 58)
        a["able_to_work"] = "disability" not in a and not a["serious_illness"]
        members.append(a)
        if shape == "family":
            b = adult("m2", "spouse", 25, 58)
            b["able_to_work"] = "disability" not in b and not b["serious_illness"]
            members.append(b)
        if shape in ("family", "single_parent"):
            for k in range(rng.choices([1, 2, 3], [55, 35, 10])[0]):
                c = {"id": f"c{k + 1}", "relation": "child", "birth_date": birth(rng, on, 1, 16),
                     "sex": rng.choice(["male", "female"]), "hukou": hukou, "self_care": "full",
                     "student": "full_time"}
                if rng.random() < 0.04:
                    c["disability"] = {"type": rng.choice(["intellectual", "physical"]),
                                       "grade": rng.choice([1, 2, 3])}
                parents = [{"role": "father" if a["sex"] == "male" else "mother", "member": "m1"}]
                other = "mother" if a["sex"] == "male" else "father"
                if shape == "family":
                    parents.append({"role": other, "member": "m2"})
                else:
                    kind = rng.choice([None, None, "deceased", "in_prison"])
                    since = add_months(on, -rng.randint(7, 90)).isoformat()
                    sit = {"kind": kind, "since": since}
                    if kind == "in_prison":
                        sit["term_months"] = rng.choice([12, 36, 60, 120])  # the sentence
                    parents.append({"role": other, "situations": [sit] if kind else []})
                c["parents"] = parents
                members.append(c)
        for m in members:
            if m["relation"] != "child" and m.get("able_to_work"):
                if rng.random() < 0.9:
                    income.append({"member": m["id"], "kind": "wages",
                                   "monthly": yuan(rng.randint(3, 40) * 10000)})
    financial = rng.choices([0, rng.randint(1, 30) * 100000, rng.randint(50, 300) * 100000],
                            [50, 40, 10])[0]
    assets: Dict[str, Any] = {"financial": yuan(financial)}
    if rng.random() < 0.05:
        assets["vehicles"] = [{"kind": "car", "value": yuan(rng.randint(20, 150) * 100000),
                               "registered": add_months(on, -rng.randint(3, 60)).isoformat()}]
    return {"id": f"SYN-{n:06d}", "region": region, "residence": hukou, "members": members,
            "income": income, "assets": assets}


# ---- expected screening, from evaluation results ---------------------------------------------

class Truth:
    def __init__(self, policy: civrules.Policy):
        self.policy = policy
        self.scope = {p["id"]: p["scope"] for p in policy.describe()["programs"]}
        self.order = [p["id"] for p in policy.describe()["programs"]]

    def evaluate(self, households: List[Dict[str, Any]], day: datetime.date) -> List[Dict]:
        """Each household's lines (see `lines`), evaluated in batches by the library."""
        out = []
        for i in range(0, len(households), 5000):
            chunk = households[i:i + 5000]
            for h, r in zip(chunk, self.policy.evaluate_many([json.dumps(h) for h in chunk], date=day)):
                if "error" in r:
                    raise SystemExit(f"generator: {h['id']} does not evaluate: {r['error']}")
                out.append(self.lines(h, r))
        return out

    def lines(self, h: Dict[str, Any], r: Dict[str, Any]) -> Dict[Tuple[str, Optional[str]], Tuple[str, int]]:
        """(program, member) -> (status, due fen) for every program (× member)."""
        out = {}
        for p in r["programs"]:
            if self.scope[p["program"]] == "household":
                due = fen(p["monthly"]) if p["status"] in PAYS else 0
                out[(p["program"], None)] = (p["status"], due)
            elif self.scope[p["program"]] == "member":
                for m in p["members"]:
                    st = m.get("status", p["status"])
                    out[(p["program"], m["member"])] = (st, fen(m["monthly"]) if st in PAYS else 0)
        return out

    @staticmethod
    def enrolment(h: Dict[str, Any], program: str, member: Optional[str]) -> Optional[Dict[str, Any]]:
        if member is None:
            return h.get("enrolment", {}).get(program)
        for m in h["members"]:
            if m["id"] == member:
                return m.get("enrolment", {}).get(program)
        return None

    def classify(self, h: Dict[str, Any], r: Dict[str, Any], day: datetime.date,
                 months: Optional[List[Dict[str, Any]]] = None) -> List[Dict[str, Any]]:
        """The cases `civrules screen` must give, as the manifest states them."""
        now = r
        month_lines = months or []
        apps = h.get("applications", [])
        cases = []
        for prog in self.order:
            members = [None] if self.scope[prog] == "household" else [m["id"] for m in h["members"]]
            for mid in members:
                enrol = self.enrolment(h, prog, mid)
                status, due = now.get((prog, mid), ("ineligible", 0))
                if not (enrol or due > 0 or status == "undetermined"):
                    continue
                if not enrol and status != "undetermined" and due > 0 and any(
                        a["program"] == prog and (a.get("member") is None or a.get("member") == mid)
                        for a in apps):
                    continue
                paid = fen(enrol["monthly"]) if enrol and "monthly" in enrol else None
                if status == "undetermined":
                    cat = "undetermined"
                elif not enrol:
                    cat = "missed"
                elif due == 0:
                    cat = "wrongly_enrolled"
                elif paid is not None and paid != due:
                    cat = "amount_differs"
                else:
                    cat = "agrees"
                case = {"household": h["id"], "program": prog, "member": mid, "category": cat,
                        "due": yuan(due), "paid": yuan(paid) if paid is not None else None,
                        "review": self.review(enrol, prog, day) if enrol else "none"}
                if months:
                    arrears = over = 0
                    pays = {p["month"][:7]: fen(p["amount"]) for p in (enrol or {}).get("payments", [])}
                    for mr_day, ml in zip(self.month_days, month_lines):
                        st, d = ml.get((prog, mid), ("ineligible", 0))
                        pd = pays.get(mr_day.isoformat()[:7], 0)
                        # owed or recovered only while enrolled, from the month of `since`
                        if st == "undetermined" or not enrol or not enrol.get("payments") or \
                                mr_day.isoformat()[:7] < enrol["since"][:7]:
                            continue
                        arrears += max(d - pd, 0)
                        over += max(pd - d, 0)
                    case["arrears"], case["overpaid"] = yuan(arrears), yuan(over)
                cases.append(case)
        return cases

    def review(self, enrol: Dict[str, Any], prog: str, day: datetime.date) -> str:
        cycle = self.cycles.get((prog, enrol.get("income_stable", True)))
        last = enrol.get("last_review") or enrol.get("since")
        if not cycle or not last:
            return "none"
        nxt = add_months(datetime.date.fromisoformat(last), cycle)
        if nxt < day:
            return "overdue"
        return "due" if (nxt.year, nxt.month) == (day.year, day.month) else "ok"


def params(policy: civrules.Policy, programs: List[str]) -> Tuple[Dict[Tuple[str, bool], int], set]:
    """The review cycles the bundle sets, and the programs with a processing limit
    (as policies/cn/screening.yaml states them)."""
    import yaml  # Debian python3-yaml
    import os
    cycles, limits = {}, set()
    root = policy.path
    while True:  # up to the national bundle, which holds screening.yaml
        path = os.path.join(root, "screening.yaml")
        if os.path.exists(path):
            doc = yaml.safe_load(open(path, encoding="utf-8"))
            for name, p in doc.get("parameters", {}).items():
                for prog in programs:
                    for stable, suffix in ((True, "review_months_stable"), (False, "review_months_unstable")):
                        if name == f"{prog}.{suffix}" and p.get("values"):
                            cycles[(prog, stable)] = int(p["values"][-1]["value"])
                    if name == f"{prog}.processing_working_days" and p.get("values"):
                        limits.add(prog)
            break
        parent = os.path.dirname(root.rstrip("/"))
        if parent == root or not parent:
            break
        root = parent
    return cycles, limits


# ---- planting --------------------------------------------------------------------------------

def enrol_truthfully(rng, truth: Truth, h, r, day: datetime.date) -> None:
    for (prog, mid), (status, due) in r.items():
        if due <= 0:
            continue
        stable = rng.random() < 0.8
        cycle = truth.cycles.get((prog, stable), 12)
        last = add_months(day, -rng.randint(0, max(cycle - 2, 0)))
        since = add_months(last, -rng.randint(0, 30))
        e = {"kind": "household", "since": since.isoformat(), "monthly": yuan(due)}
        if (prog, stable) in truth.cycles:
            e["last_review"] = last.isoformat()
            e["income_stable"] = stable
        if status == "phase_out":
            continue  # a gradual exit needs its own history: leave such cases out
        if mid is None:
            h.setdefault("enrolment", {})[prog] = e
        else:
            for m in h["members"]:
                if m["id"] == mid:
                    m.setdefault("enrolment", {})[prog] = e


def enrolled_cases(h) -> List[Tuple[str, Optional[str]]]:
    out = [(p, None) for p in h.get("enrolment", {})]
    for m in h["members"]:
        out += [(p, m["id"]) for p in m.get("enrolment", {})]
    return out


def remove_enrolment(h, prog, mid):
    if mid is None:
        del h["enrolment"][prog]
        if not h["enrolment"]:
            del h["enrolment"]
    else:
        for m in h["members"]:
            if m["id"] == mid:
                del m["enrolment"][prog]
                if not m["enrolment"]:
                    del m["enrolment"]


def plant(kind: str, rng, truth: Truth, h, r, day) -> bool:
    """Change `h` so that it carries an error of `kind`; False when it cannot."""
    cases = enrolled_cases(h)
    if kind == "missed":
        if not cases:
            return False
        prog, mid = rng.choice(sorted(cases, key=str))
        remove_enrolment(h, prog, mid)
        return True
    if kind == "application_overdue":
        limited = [c for c in cases if c[0] in truth.limits]
        if not limited:
            return False
        prog, mid = rng.choice(sorted(limited, key=str))
        remove_enrolment(h, prog, mid)
        app = {"program": prog, "received": (day - datetime.timedelta(days=rng.randint(45, 120))).isoformat()}
        if mid:
            app["member"] = mid
        h["applications"] = [app]
        return True
    if kind == "amount_differs":
        if not cases:
            return False
        prog, mid = rng.choice(sorted(cases, key=str))
        e = Truth.enrolment(h, prog, mid)
        delta = rng.choice([-1, 1]) * rng.randint(1, 30) * 1000
        if fen(e["monthly"]) + delta <= 0:
            delta = -delta
        e["monthly"] = yuan(fen(e["monthly"]) + delta)
        return True
    if kind == "wrongly_enrolled":
        if cases or "dibao" not in truth.scope and not truth.order:
            return False
        prog = next((p for p in truth.order if truth.scope[p] == "household"), None)
        status, due = r.get((prog, None), ("", 0))
        if prog is None or due != 0 or status == "undetermined":
            return False
        since = add_months(day, -rng.randint(2, 9))
        h.setdefault("enrolment", {})[prog] = {"kind": "household", "since": since.isoformat(),
                                               "monthly": yuan(rng.randint(3, 15) * 10000),
                                               "last_review": since.isoformat()}
        return True
    if kind == "death_still_paid":
        member_cases = [c for c in cases if c[1] is not None]
        household_cases = [c for c in cases if c[1] is None]
        if member_cases:
            mid = rng.choice(sorted(member_cases, key=str))[1]
        elif household_cases and len(h["members"]) >= 2:
            mid = rng.choice([m["id"] for m in h["members"]])
        else:
            return False
        died = add_months(day, -rng.randint(1, 6)) - datetime.timedelta(days=rng.randint(0, 20))
        for m in h["members"]:
            if m["id"] == mid:
                m.setdefault("situations", []).append({"kind": "deceased", "since": died.isoformat()})
        return True
    if kind == "review_overdue":
        reviewed = [(p, m) for p, m in cases if "last_review" in (Truth.enrolment(h, p, m) or {})]
        if not reviewed:
            return False
        prog, mid = rng.choice(sorted(reviewed, key=str))
        e = Truth.enrolment(h, prog, mid)
        cycle = truth.cycles[(prog, e.get("income_stable", True))]
        last = add_months(day, -(cycle + rng.randint(1, 8)))
        e["last_review"] = last.isoformat()
        if e["since"] > e["last_review"]:
            e["since"] = e["last_review"]
        return True
    if kind == "undetermined":
        adults = [m for m in h["members"] if "self_care" in m]
        if not adults:
            return False
        del rng.choice(adults)["self_care"]
        return True
    raise ValueError(kind)


def planted_shows(kind: str, before: List[Dict], after: List[Dict], h) -> bool:
    """Whether the planted change gives what it was planted for."""
    cats = [c["category"] for c in after]
    if kind in ("missed", "wrongly_enrolled", "amount_differs", "undetermined"):
        return kind in cats and sum(c != "agrees" for c in cats) == 1
    if kind == "death_still_paid":
        return any(c in ("wrongly_enrolled", "amount_differs") for c in cats) and "undetermined" not in cats \
            and "missed" not in cats
    if kind == "review_overdue":
        return all(c == "agrees" for c in cats) and sum(c["review"] == "overdue" for c in after) == 1
    if kind == "application_overdue":
        return all(c == "agrees" for c in cats)
    return False


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic county caseload with planted errors.")
    ap.add_argument("--households", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--date", default="2024-12-01", help="the screening date")
    ap.add_argument("--from", dest="first", help="first month of a payment history (YYYY-MM)")
    ap.add_argument("--to", dest="last", help="last month of a payment history (YYYY-MM)")
    ap.add_argument("--policy", default="policies/cn/guangdong/guangzhou")
    ap.add_argument("--region", default="440106")
    ap.add_argument("--out", required=True, help="caseload, JSON Lines")
    ap.add_argument("--manifest", required=True, help="what screening must find, JSON")
    a = ap.parse_args(argv)
    day = datetime.date.fromisoformat(a.date)
    rng = random.Random(a.seed)
    policy = civrules.Policy.load(a.policy)
    truth = Truth(policy)
    truth.cycles, truth.limits = params(policy, truth.order)
    households = [make_household(rng, i + 1, a.region, day) for i in range(a.households)]
    results = truth.evaluate(households, day)
    for h, r in zip(households, results):
        enrol_truthfully(rng, truth, h, r, day)
    # plant: each kind on its own households, drawn in order, each change checked
    order = list(range(len(households)))
    rng.shuffle(order)
    used = set()
    planted = {k: [] for k in KINDS}
    want = {k: max(1, a.households * RATES[k] // 1000) for k in KINDS}
    for kind in KINDS:
        for i in order:
            if len(planted[kind]) >= want[kind]:
                break
            if i in used:
                continue
            h = households[i]
            baseline = truth.classify(h, results[i], day)
            if any(c["category"] != "agrees" or c["review"] != "ok" and c["review"] != "none" for c in baseline):
                used.add(i)  # not a clean household: leave it as it is
                continue
            saved = json.dumps(h)
            if not plant(kind, rng, truth, h, results[i], day):
                continue
            after_r = truth.evaluate([h], day)[0]
            after = truth.classify(h, after_r, day)
            if not planted_shows(kind, baseline, after, h):
                households[i] = json.loads(saved)
                continue
            results[i] = after_r
            used.add(i)
            planted[kind].append(h["id"])
    # payment histories over a period: what the bureau paid, from its own (stale) records
    months_results: Dict[int, List[Dict]] = {}
    if a.first:
        first = datetime.date.fromisoformat(a.first + "-01")
        last = datetime.date.fromisoformat(a.last + "-01")
        truth.month_days = month_list(first, last)
        per_month = [truth.evaluate(households, d) for d in truth.month_days]
        for i, h in enumerate(households):
            months_results[i] = [pm[i] for pm in per_month]
            dead = {s["since"] for m in h["members"] for s in m.get("situations", [])
                    if isinstance(s, dict) and s.get("kind") == "deceased"}
            for prog, mid in enrolled_cases(h):
                e = Truth.enrolment(h, prog, mid)
                since = datetime.date.fromisoformat(e["since"])
                pays = []
                for d, mr in zip(truth.month_days, months_results[i]):
                    if d < since.replace(day=1):
                        continue
                    # the bureau pays what its records say: the enrolment's monthly amount,
                    # unchanged by a death it has not heard of; before a change of standard
                    # it paid what the rules then said
                    st, due = mr.get((prog, mid), ("", 0))
                    amount = fen(e["monthly"]) if (dead or h["id"] in planted["amount_differs"] or
                                                  h["id"] in planted["wrongly_enrolled"]) else due
                    if amount:
                        pays.append({"month": d.isoformat(), "amount": yuan(amount)})
                e["payments"] = pays
    else:
        truth.month_days = []
    with open(a.out, "w", encoding="utf-8") as f:
        for h in households:
            f.write(json.dumps(h, ensure_ascii=False, sort_keys=False) + "\n")
    expected, reviews, apps = [], [], []
    final = truth.evaluate(households, day)
    for i, (h, r) in enumerate(zip(households, final)):
        for c in truth.classify(h, r, day, months_results.get(i)):
            if c["category"] != "agrees" or (a.first and (c["arrears"] != "0.00" or c["overpaid"] != "0.00")):
                expected.append(c)
            if c["review"] in ("due", "overdue"):
                reviews.append({"household": h["id"], "program": c["program"], "member": c["member"],
                                "review": c["review"]})
        for app in h.get("applications", []):
            # received 45 days or more before the date: past any 15-working-day limit
            apps.append({"household": h["id"], "program": app["program"], "member": app.get("member"),
                         "received": app["received"], "status": "overdue"})
    counts: Dict[str, int] = {}
    for c in expected:
        counts[c["category"]] = counts.get(c["category"], 0) + 1
    manifest = {
        "synthetic": True,
        "note": "Invented households for testing civrules screen; no real person is described.",
        "seed": a.seed, "households": a.households, "date": a.date, "region": a.region,
        "policy": policy.id, "digest": policy.digest,
        "period": {"from": a.first, "to": a.last} if a.first else None,
        "planted": {k: len(v) for k, v in planted.items()},
        "planted_households": planted,
        "expected_counts": dict(sorted(counts.items())),
        "expected_cases": expected,
        "expected_reviews": reviews,
        "applications": apps,
    }
    with open(a.manifest, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{a.households} synthetic households -> {a.out}; planted " +
          ", ".join(f"{k} {len(v)}" for k, v in planted.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
