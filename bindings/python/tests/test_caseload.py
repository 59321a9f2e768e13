"""civrules.caseload (CSV, JSON Lines and DataFrames, parents and supporters
included) and examples/python/caseload.py."""
import decimal
import subprocess
import sys

import pytest

import civrules
from civrules import caseload
from conftest import ROOT


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "examples/python/caseload.py"), *args],
                          capture_output=True, text=True, timeout=120)


def test_csv_summary(guangzhou):
    households, problems = caseload.read_caseload(str(ROOT / "examples/python/caseload.csv"))
    assert problems == []
    table, errors = caseload.summarise(guangzhou.evaluate_many(households, date="2024-08-01"))
    assert errors == []
    # GZ-C1: 1282 x 2 - 1000 = 1564 dibao; GZ-C2: 特困 1.6 x 1282 -> 2052; GZ-C3: care 243
    assert table["dibao"] == {"households": 1, "members": 2, "undetermined": 1, "monthly": decimal.Decimal("1564.00")}
    assert table["tekun"]["monthly"] == decimal.Decimal("2052.00")
    assert table["disability_care"]["monthly"] == decimal.Decimal("243.00")


def test_command_line_with_jsonl_and_errors():
    p = run("--date", "2024-08-01", "--threads", "2", str(ROOT / "examples/households/batch.jsonl"))
    assert p.returncode == 1  # one record cannot be evaluated
    assert "error: GZ-1002: [CIVR-2004]" in p.stdout
    assert "tekun" in p.stdout and "2052.00" in p.stdout


def test_a_bad_row_leaves_its_whole_household_out_and_says_where(tmp_path):
    text = (ROOT / "examples/python/caseload.csv").read_text(encoding="utf-8").splitlines()
    header, rows = text[0], text[1:]
    # GZ-C1's second member gets able_to_work "maybe"; a row without a household id
    bad = [r.replace(",false,", ",maybe,", 1) if i == 1 else r for i, r in enumerate(rows)]
    bad.append("," + ",".join([""] * (header.count(","))))
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([header] + bad) + "\n", encoding="utf-8")
    households, problems = caseload.read_caseload(str(path))
    assert "GZ-C1" not in [h["id"] for h in households]
    assert problems[0][0] == "GZ-C1" and problems[0][1] == 3 and "maybe" in problems[0][2]
    assert problems[1][2] == "no household_id"
    p = run("--date", "2024-08-01", str(path))
    assert p.returncode == 1
    assert f"error: {path}:3: household GZ-C1 left out: able_to_work: 'maybe'" in p.stdout


def test_dataframes():
    pd = pytest.importorskip("pandas")
    # read_csv's defaults: empty cells become NaN, which count as empty
    frame = pd.read_csv(ROOT / "examples/python/caseload.csv")
    out = civrules_policy().evaluate_frame(frame, date="2024-08-01", threads=2)
    dibao = out[out.program == "dibao"].set_index("household")
    assert dibao.loc["GZ-C1", "monthly"] == decimal.Decimal("1564.00")
    assert list(out.columns) == ["household", "program", "status", "monthly", "missing", "error"]
    assert (out.status != "error").all()


# An orphan of 9 living alone in Guangzhou, 2024-08-01: the child-allowance
# route (2976 a month) pays more than 特困 (1.6 x 1282 = 2052) and is taken
# (民发〔2021〕43号); on it dibao pays 1282 and child support tops up to the
# child rate, 2976 - 1282 = 1694.00 (民发〔2019〕62号 第三条; rate:
# https://m.gz.bendibao.com/life/353104.html).
ORPHAN = {"household_id": "O1", "residence": "urban", "financial_assets": "0", "member_id": "c",
          "birth_date": "2015-01-01", "self_care": "full"}


def test_parents_from_columns_decide_child_support():
    frame = [{**ORPHAN, "father_situations": "deceased", "mother_situations": "deceased"}]
    rows = list(caseload.frame_rows(civrules_policy(), frame, date="2024-08-01"))
    child = [r for r in rows if r["program"] == "child_support"][0]
    assert (child["status"], child["monthly"], child["missing"]) == ("eligible", decimal.Decimal("1694.00"), None)
    # the same child without parents on record: undetermined and saying why, never a silent 0.00
    rows = list(caseload.frame_rows(civrules_policy(), [ORPHAN], date="2024-08-01"))
    child = [r for r in rows if r["program"] == "child_support"][0]
    assert (child["status"], child["missing"]) == ("undetermined", "members[c].parents")


def test_parents_and_supporters_nested_or_flat():
    rows = [{"household_id": "F", "member_id": "m1", "birth_date": "1985-01-01", "relation": "applicant"},
            {"household_id": "F", "member_id": "c", "birth_date": "2015-01-01", "father_situations": "deceased",
             "mother": "m1", "situations": "in_prison ; lost_contact"},
            {"household_id": "F", "member_id": "g", "birth_date": "1940-01-01",
             "supporters": '[{"relation": "child", "birth_date": "1965-01-01"}]',
             "parents": [{"role": "father", "situations": ["deceased"]}],
             "supporter_relation": "grandchild", "supporter_birth_date": "1990-05-01",
             "supporter_monthly_income": "3000"}]
    (h,), problems = caseload.households_from_rows(rows)
    assert problems == []
    c, g = h["members"][1], h["members"][2]
    assert c["parents"] == [{"role": "father", "situations": ["deceased"]}, {"role": "mother", "member": "m1"}]
    assert c["situations"] == ["in_prison", "lost_contact"]
    assert g["supporters"] == [{"relation": "grandchild", "birth_date": "1990-05-01", "monthly_income": "3000"},
                               {"relation": "child", "birth_date": "1965-01-01"}]
    assert g["parents"] == [{"role": "father", "situations": ["deceased"]}]
    # a nested column that is not a list: that household is left out, saying where
    (_, problems) = caseload.households_from_rows([{**rows[0], "supporters": "{oops"}])
    assert problems[0][0] == "F" and problems[0][1] == 2 and "supporters: not a JSON list" in problems[0][2]


def test_a_second_row_of_a_member_adds_income():
    rows = [{**ORPHAN, "member_id": "a", "birth_date": "1950-01-01", "income_kind": "pension", "income_monthly": "100"},
            {**ORPHAN, "member_id": "a", "birth_date": "1950-01-01", "income_kind": "wages", "income_monthly": "50"}]
    (h,), _ = caseload.households_from_rows(rows)
    assert len(h["members"]) == 1
    assert h["income"] == [{"member": "a", "kind": "pension", "monthly": "100"},
                           {"member": "a", "kind": "wages", "monthly": "50"}]


def civrules_policy():
    return civrules.Policy.load(ROOT / "policies/cn/guangdong/guangzhou")
