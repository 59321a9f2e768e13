"""examples/python/caseload.py: CSV and JSON Lines caseloads, and DataFrames."""
import decimal
import importlib.util
import subprocess
import sys

import pytest

from conftest import ROOT

SPEC = importlib.util.spec_from_file_location("caseload", ROOT / "examples/python/caseload.py")
caseload = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(caseload)


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
    out = caseload.evaluate_frame(civrules_policy(), frame, date="2024-08-01", threads=2)
    dibao = out[out.program == "dibao"].set_index("household")
    assert dibao.loc["GZ-C1", "monthly"] == decimal.Decimal("1564.00")
    assert list(out.columns) == ["household", "program", "status", "monthly", "error"]
    assert (out.status != "error").all()


def civrules_policy():
    import civrules
    return civrules.Policy.load(ROOT / "policies/cn/guangdong/guangzhou")
