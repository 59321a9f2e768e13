"""Every bundle's policy test cases, evaluated through Python.

The cases are the YAML files under each bundle's tests/ folder that the C
suite runs (one shared set, not a copy); this checks that the binding gives
the same statuses, amounts, categories, reasons and missing facts.
"""
import datetime
import decimal

import pytest
import yaml

import civrules
from conftest import ROOT

BUNDLES = [
    "policies/cn/guangdong/guangzhou",
    "policies/cn/hunan/changde/jinshi",
    "policies/cn/zhejiang/jinhua/yiwu",
    "tests/fixtures/bundles/textbook",
    "tests/fixtures/bundles/textbook/floor",
    "tests/fixtures/bundles/textbook/tiers",
    "tests/fixtures/bundles/textbook/increments",
    "tests/fixtures/bundles/textbook/deductions",
    "tests/fixtures/bundles/textbook/children",
]


def cases():
    for bundle in BUNDLES:
        for path in sorted((ROOT / bundle / "tests").glob("*.yaml")):
            for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
                yield pytest.param(bundle, case, id=f"{bundle.split('/')[-1]}:{case['household']['id']}")


_policies = {}


def policy(bundle):
    if bundle not in _policies:
        _policies[bundle] = civrules.Policy.load(ROOT / bundle)
    return _policies[bundle]


def money(value):
    return decimal.Decimal(str(value))


def same(expected, actual):
    """An expected YAML value against a typed result value."""
    if expected is None:
        return actual is None
    if isinstance(actual, (decimal.Decimal,)) or (actual is not None and type(actual).__name__ == "Fraction"):
        try:
            return money(expected) == actual
        except decimal.InvalidOperation:
            return str(expected) == str(actual)
    if isinstance(actual, datetime.date):
        return str(expected) == actual.isoformat()
    return expected == actual


@pytest.mark.parametrize("bundle,case", cases())
def test_policy_case(bundle, case):
    expect = case["expect"]
    date = case["date"]
    if "error" in expect:
        with pytest.raises(civrules.Error) as info:
            policy(bundle).evaluate(case["household"], date=date)
        assert info.value.id == expect["error"]
        return
    result = policy(bundle).evaluate(case["household"], date=date)
    assert isinstance(result["date"], datetime.date)
    if "total_monthly" in expect:
        assert result["total_monthly"] == money(expect["total_monthly"])
    programs = {p["program"]: p for p in result["programs"]}
    for name, want in expect.get("programs", {}).items():
        got = programs[name]
        if "status" in want:
            assert got["status"] == want["status"], name
        if "monthly" in want:
            assert got["monthly"] == money(want["monthly"]), name
        for fact, value in want.get("facts", {}).items():
            assert same(value, got["facts"][fact]), (name, fact, got["facts"][fact])
        if "members" in want:
            lines = {m["member"]: m for m in got["members"]}
            assert set(want["members"]) <= set(lines), name
            for member, line in lines.items():  # members not listed are not paid
                if member not in want["members"]:
                    assert line["monthly"] == 0 and line.get("status") not in PAYS, (name, member)
            for member, value in want["members"].items():
                line = lines[member]
                if isinstance(value, dict):
                    if "monthly" in value:
                        assert line["monthly"] == money(value["monthly"])
                    if "category" in value:
                        assert line.get("category") == value["category"]
                    if "status" in value:
                        assert line["status"] == value["status"]
                    codes = {r["code"] for r in line.get("reasons", ())}
                    assert set(value.get("reasons", ())) <= codes
                else:
                    assert line["monthly"] == money(value)
        codes = {r["code"] for r in got["reasons"]}
        assert set(want.get("reasons", ())) <= codes, name
        if "missing" in want:
            assert got["missing"] == want["missing"], name


PAYS = {"eligible", "individual", "phase_out"}


def test_every_bundle_has_cases():
    assert sum(1 for _ in cases()) >= 90
