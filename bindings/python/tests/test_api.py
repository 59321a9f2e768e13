"""The Pythonic surface: versions, identity, types of values, traces."""
import datetime
import decimal
import fractions
import pathlib
import re

import civrules
from civrules import native
from conftest import ROOT

FAMILY = {"id": "GZ-P1", "residence": "urban",
          "members": [{"id": "m1", "birth_date": datetime.date(1970, 5, 1), "sex": "male", "able_to_work": False},
                      {"id": "m2", "birth_date": "1972-09-12", "sex": "female", "able_to_work": False}],
          "income": [{"member": "m1", "kind": "pension", "monthly": decimal.Decimal("1000.50")}],
          "assets": {"financial": 0}}


def test_version_is_the_c_librarys():
    assert civrules.__version__ == native.civr_version()
    assert civrules.__version__.count(".") == 2


def test_policy_identity(guangzhou):
    assert guangzhou.id == "cn/guangdong/guangzhou"
    assert guangzhou.version == "2024.1"
    assert len(guangzhou.digest) == 64
    assert guangzhou.layers == ["cn", "cn/guangdong", "cn/guangdong/guangzhou"]
    assert guangzhou.programs == ["dibao", "tekun", "child_support", "disability_living", "disability_care"]
    facts = {f["name"]: f["type"] for f in guangzhou.describe()["programs"][0]["facts"]}
    assert facts["standard"] == "money" and facts["size"] == "integer"
    assert guangzhou.check() == []


def test_values_are_exact_python_types(guangzhou):
    r = guangzhou.evaluate(FAMILY, date=datetime.date(2024, 8, 1))
    assert r["date"] == datetime.date(2024, 8, 1)
    dibao = r["programs"][0]
    # 1282 x 2 - 1000.50 = 1563.50, rounded up to 1564 (Guangzhou)
    assert dibao["monthly"] == decimal.Decimal("1564.00")
    assert isinstance(dibao["facts"]["standard"], decimal.Decimal)
    assert dibao["facts"]["per_capita_income"] == decimal.Decimal("500.25")
    assert r["total_monthly"] == decimal.Decimal("1564.00")
    three = dict(FAMILY, members=FAMILY["members"] + [{"id": "m3", "birth_date": "2010-02-03", "student": "full_time",
                                                      "parents": [{"role": "father", "member": "m1"},
                                                                  {"role": "mother", "member": "m2"}]}])
    r = guangzhou.evaluate(three, date="2024-08-01")
    assert r["programs"][0]["facts"]["per_capita_income"] == fractions.Fraction(100050, 300)


def test_json_and_yaml_text_are_accepted(guangzhou):
    yaml_text = ("id: Y\nresidence: urban\nmembers:\n  - {id: a, birth_date: 1970-01-01, able_to_work: false, "
                 "supporters: [{relation: child, birth_date: 1985-01-01}]}\nassets: {financial: '0'}\n")
    assert guangzhou.evaluate(yaml_text, date="2024-08-01")["total_monthly"] == decimal.Decimal("1282.00")


def test_trace_money_is_decimal(guangzhou):
    r = guangzhou.evaluate(FAMILY, date="2024-08-01", trace=True)
    rounding = [s for s in r["trace"] if s["step"] == "round" and s["program"] == "dibao"]
    assert rounding[0]["exact"] == decimal.Decimal("1563.5") and rounding[0]["value"] == decimal.Decimal("1564")
    params = [s for s in r["trace"] if s["step"] == "parameter" and s["name"] == "dibao.standard"]
    assert params[0]["layer"] == "cn/guangdong/guangzhou" and params[0]["illustrative"] is True


def test_default_date_is_today(guangzhou):
    assert guangzhou.evaluate(FAMILY)["date"] == datetime.date.today()


def test_every_public_name_has_a_docstring_and_a_stub():
    import ast
    import inspect
    stub = ast.parse((pathlib.Path(civrules.__file__).parent / "__init__.pyi").read_text(encoding="utf-8"))
    stubbed = set()
    for node in ast.walk(stub):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stubbed.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            stubbed.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            stubbed.update(alias.asname or alias.name for alias in node.names)
    for name in civrules.__all__:
        assert name in stubbed, f"{name} is not in __init__.pyi"
        obj = getattr(civrules, name)
        if name != "__version__":
            assert inspect.getdoc(obj), f"civrules.{name} has no docstring"
    for name, member in vars(civrules.Policy).items():
        if name.startswith("_"):
            continue
        assert name in stubbed, f"Policy.{name} is not in __init__.pyi"
        assert inspect.getdoc(getattr(member, "__func__", member)), f"Policy.{name} has no docstring"


def test_the_default_policy_is_found_without_a_path(monkeypatch):
    monkeypatch.delenv("CIVRULES_POLICY", raising=False)
    assert civrules.Policy.load().id == "cn/guangdong/guangzhou"
    monkeypatch.setenv("CIVRULES_POLICY", str(ROOT / "policies/cn/hunan/changde/jinshi"))
    assert civrules.default_policy_path() == str(ROOT / "policies/cn/hunan/changde/jinshi")


def test_absent_members_and_choices_are_typed(guangzhou):
    # A disabled orphan in Guangzhou 2024 who also meets the 特困 conditions
    # (民发〔2021〕43号): the child-allowance route pays the household 3751
    # (dibao 1064 + orphan top-up 2444 + care subsidy 243) against 2627 on
    # the 特困 route (2052 + 575); a great-uncle who died in June is out of
    # the household from July (民发〔2021〕57号: 自次月起).
    h = {"id": "GZ-P9", "residence": "urban",
         "members": [{"id": "g", "relation": "applicant", "birth_date": "1950-01-01", "self_care": "full"},
                     {"id": "c", "relation": "grandchild", "birth_date": "2014-03-01", "self_care": "partial",
                      "disability": {"type": "physical", "grade": 1},
                      "parents": [{"role": "father", "situations": ["deceased"]},
                                  {"role": "mother", "situations": ["deceased"]}]},
                     {"id": "u", "relation": "other", "birth_date": "1945-01-01",
                      "situations": [{"kind": "deceased", "since": "2024-06-20"}]}],
         "income": [{"member": "g", "kind": "pension", "monthly": "1500"}],
         "assets": {"financial": "0"}}
    r = guangzhou.evaluate(h, date="2024-08-01")
    assert r["total_monthly"] == decimal.Decimal("3751.00")
    assert r["absent"] == [{"member": "u", "rule": "died", "since": datetime.date(2024, 6, 20),
                            "reason": r["absent"][0]["reason"]}]
    assert r["absent"][0]["reason"]["code"] == "MEMBER_DIED"
    (choice,) = r["choices"]
    assert (choice["member"], choice["taken"], choice["why"]) == ("c", "child_support", "pays_more")
    assert [(x["program"], x["total_monthly"]) for x in choice["routes"]] == [
        ("child_support", decimal.Decimal("3751.00")), ("tekun", decimal.Decimal("2627.00"))]


def test_a_path_holding_a_nul_is_refused():
    """Issue 11 #9: C would read the path only up to the NUL and load or
    check the prefix."""
    import pytest
    path = str(ROOT / "policies" / "cn") + "\0/guangdong"
    with pytest.raises(civrules.UsageError, match="NUL"):
        civrules.Policy.load(path)
    with pytest.raises(civrules.UsageError, match="NUL"):
        civrules.check(path)


def test_one_text_that_cannot_be_utf8_is_that_households_error(guangzhou):
    """Issue 11 #9: a lone surrogate in one household raised for the whole batch."""
    bad = dict(FAMILY, id="GZ-\ud800")
    results = list(guangzhou.evaluate_many([FAMILY, bad, "id: x\ud800\n", FAMILY], date="2024-08-01"))
    assert len(results) == 4
    assert "error" not in results[0] and "error" not in results[3]
    assert results[0]["total_monthly"] == results[3]["total_monthly"]
    for r in results[1:3]:
        assert r["error"]["id"] == "CIVR-9025"
        assert "surrogate" in r["error"]["message"]
