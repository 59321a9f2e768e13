#!/usr/bin/env python3
"""A deterministic synthetic caseload for tests: N households as JSON Lines,
spread over Guangzhou's district codes, with one to five members of all
ages, incomes around the dibao standard, some disabilities, illnesses and
supporters. The same N gives the same bytes (a fixed linear congruential
generator, no randomness from the machine).

    caseload.py N > caseload.jsonl
"""
import json
import sys

REGIONS = ["440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114"]


class Lcg:
    def __init__(self, seed):
        self.x = seed & 0xFFFFFFFFFFFFFFFF

    def next(self, n):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.x >> 33) % n


def household(i, r):
    n = 1 + r.next(5)
    members, income = [], []
    for k in range(n):
        m = {"id": f"m{k + 1}"}
        if k == 0:
            year = 1940 + r.next(50)
        elif k == 1:
            year = 1945 + r.next(50)
        else:
            year = 2004 + r.next(20)
        m["birth_date"] = f"{year}-{1 + r.next(12):02d}-{1 + r.next(28):02d}"
        m["sex"] = "male" if r.next(2) else "female"
        adult = year < 2005
        m["able_to_work"] = adult and year > 1965 and r.next(3) != 0
        if r.next(9) == 0:
            m["disability"] = {"type": ["physical", "visual", "intellectual", "mental"][r.next(4)],
                               "grade": 1 + r.next(4)}
            m["self_care"] = ["full", "partial", "none"][r.next(3)]
        if r.next(15) == 0:
            m["serious_illness"] = True
        if not adult:
            m["student"] = "full_time" if year < 2019 else "none"
            m["parents"] = [{"role": "father", "member": "m1"}] if k >= 2 else []
        if year < 1965 and r.next(2):
            m["supporters"] = [{"relation": "child", "birth_date": "1975-01-01",
                                "monthly_income": str(2000 + 500 * r.next(10))}]
        members.append(m)
        if adult and r.next(3):
            kind = "wages" if m["able_to_work"] else "pension"
            income.append({"member": m["id"], "kind": kind, "monthly": str(100 * r.next(30))})
    return {"id": f"GZ-{i:06d}", "region": REGIONS[r.next(len(REGIONS))],
            "residence": "urban" if r.next(4) else "rural", "members": members, "income": income,
            "assets": {"financial": str(1000 * r.next(40))}}


def main():
    n = int(sys.argv[1])
    r = Lcg(20240801)
    out = sys.stdout
    for i in range(n):
        out.write(json.dumps(household(i, r), ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
