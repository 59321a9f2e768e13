"""civrules.diff: two policies (or one at two dates) over a caseload, as
records ready for pandas and a summary whose totals are their sums; the
same numbers as `civrules diff --format json`."""
import collections
import decimal
import json
import pathlib
import subprocess
import sys

import pytest

import civrules
from conftest import ROOT

D = decimal.Decimal
ELDER = {"id": "H1", "region": "440106", "residence": "urban",
         "members": [{"id": "a", "birth_date": "1950-01-01", "able_to_work": False,
                      "supporters": [{"relation": "child", "birth_date": "1975-01-01", "monthly_income": "9000",
                                      "property_within_limits": True}]}],
         "income": [{"member": "a", "kind": "pension", "monthly": "100"}], "assets": {"financial": "0"}}


def caseload(n):
    out = subprocess.run([sys.executable, str(ROOT / "tests/cli/caseload.py"), str(n)], capture_output=True,
                         text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_one_household_by_hand(guangzhou):
    # dibao pays the gap: 1238 - 100 = 1138 in 2023, 1282 - 100 = 1182 in 2024 (民发〔2021〕57号, 补差;
    # Guangzhou's standards from https://m.gz.bendibao.com/life/353104.html)
    r = civrules.diff(guangzhou, guangzhou, [ELDER], date="2023-08-01", new_date="2024-08-01")
    dibao = [x for x in r["records"] if x["program"] == "dibao"]
    assert dibao == [{"household": "H1", "region": "440106", "program": "dibao", "transition": "amount_up",
                      "old_status": "eligible", "new_status": "eligible", "old_monthly": D("1138.00"),
                      "new_monthly": D("1182.00"), "change": D("44.00")}]
    assert r["summary"]["total"]["annual_change"] == D("528.00")
    names = {(c["kind"], c["name"]) for c in r["rules"]["changes"]}
    assert ("parameter", "dibao.standard") in names


def test_records_make_a_dataframe_whose_sums_are_the_summary(guangzhou):
    pandas = pytest.importorskip("pandas")
    r = civrules.diff(guangzhou, guangzhou, caseload(3000), date="2023-08-01", new_date="2024-08-01")
    frame = pandas.DataFrame(r["records"])
    frame = frame[frame["transition"] != "error"]
    by_program = frame.groupby("program")["change"].sum()
    for p in r["summary"]["programs"]:
        assert by_program[p["program"]] == p["monthly_change"]
        counts = collections.Counter(frame[frame["program"] == p["program"]]["transition"])
        assert {k: v for k, v in p["transitions"].items() if v} == dict(counts)
    assert frame["change"].sum() == r["summary"]["total"]["monthly_change"]
    assert r["summary"]["households"] == 3000


def test_the_same_as_the_command_line(guangzhou, tmp_path):
    households = caseload(500)
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(h, ensure_ascii=False) + "\n" for h in households))
    # the command line of the same build tree (build/bindings/python/civrules -> build/tools/civrules)
    exe = pathlib.Path(civrules.__file__).resolve().parents[3] / "tools/civrules/civrules"
    if not exe.exists():
        pytest.skip("the civrules command is not next to this build of the package")
    cli = subprocess.run([str(exe), "diff", "--date", "2023-08-01", "--date", "2024-08-01", "--format", "json",
                          "policies/cn/guangdong/guangzhou", str(path)], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    mine = civrules.diff(guangzhou, guangzhou, households, date="2023-08-01", new_date="2024-08-01", html=True)
    theirs = json.loads(cli, parse_float=D)
    assert json.dumps(mine["summary"], default=str, sort_keys=True) == json.dumps(
        civrules._diff_money(theirs), default=str, sort_keys=True)
    assert mine["html"].startswith("<!DOCTYPE html>") and 'id="chart-programs"' in mine["html"]


def test_a_household_that_fails_is_an_error_record(guangzhou):
    bad = {"id": "B", "members": [{"id": "a", "birth_date": "1950-13-01"}]}
    r = civrules.diff(guangzhou, guangzhou, [ELDER, bad], date="2024-08-01")
    errors = [x for x in r["records"] if x["transition"] == "error"]
    assert len(errors) == 1 and errors[0]["household"] == "B" and "CIVR-2004" in errors[0]["error"]
    assert r["summary"]["errors"] == 1 and r["summary"]["households"] == 2
    assert r["summary"]["total"]["monthly_change"] == D("0.00")
