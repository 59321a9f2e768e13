"""Every exception type, with its id and position fields."""
import decimal

import pytest

import civrules
from civrules import errors
from conftest import ROOT

ONE = {"id": "H", "residence": "urban",
       "members": [{"id": "a", "birth_date": "1970-01-01", "able_to_work": True}],
       "assets": {"financial": "0"}}


def test_codes_come_from_the_header():
    from civrules import native
    assert errors.CODES[native.CIVR_EDATA] == "CIVR_EDATA"
    assert native.CIVR_OK == 0 and native.CIVR_EHOOK == -11


def test_parse_error_in_a_household(guangzhou):
    with pytest.raises(civrules.ParseError) as e:
        guangzhou.evaluate('{"id": "H", "members": [', date="2024-08-01")
    # 24 characters: the error is one past the end
    assert (e.value.id, e.value.file, e.value.line, e.value.column) == ("CIVR-1002", "<household>", 1, 25)
    assert isinstance(e.value, civrules.Error)


def test_schema_error(guangzhou):
    with pytest.raises(civrules.SchemaError) as e:
        guangzhou.evaluate({**ONE, "colour": "red"}, date="2024-08-01")
    # a dict household: the error points at its key, not at a serialisation
    assert (e.value.id, e.value.file, e.value.line, e.value.column) == ("CIVR-2001", 'household["colour"]', 0, 0)
    assert "unknown field 'colour'" in e.value.message
    # the same household as text: line and column in that text
    with pytest.raises(civrules.SchemaError) as e:
        guangzhou.evaluate('{"id": "H", "members": [], "colour": "red"}', date="2024-08-01")
    assert (e.value.file, e.value.line, e.value.column) == ("<household>", 1, 28)


def test_household_data_error(guangzhou):
    bad = {**ONE, "members": [{"id": "a", "birth_date": "1970-02-30"}]}
    with pytest.raises(civrules.HouseholdDataError) as e:
        guangzhou.evaluate(bad, date="2024-08-01")
    assert e.value.id == "CIVR-2004" and "members[a].birth_date" in e.value.message
    assert e.value.file == 'household["members"][0]["birth_date"]'
    assert str(e.value).startswith('household["members"][0]["birth_date"]: error: [CIVR-2004] ')


def test_expression_error_points_into_the_policy():
    with pytest.raises(civrules.ExpressionError) as e:
        civrules.Policy.load(ROOT / "tests/fixtures/broken/expr_type")
    golden = (ROOT / "tests/fixtures/broken/expr_type/expected.txt").read_text().strip()
    assert str(e.value) == str(ROOT / golden)  # loaded by absolute path
    assert (e.value.file, e.value.line, e.value.column) == (
        str(ROOT / "tests/fixtures/broken/expr_type/policy.yaml"), 5, 32)


def test_policy_errors():
    with pytest.raises(civrules.PolicyError) as e:
        civrules.Policy.load(ROOT / "tests/fixtures/broken/fact_cycle")
    assert e.value.id == "CIVR-4010" and e.value.line == 7
    with pytest.raises(FileNotFoundError) as e:
        civrules.Policy.load(ROOT / "no/such/bundle")
    assert isinstance(e.value, civrules.PolicyError) and e.value.id == "CIVR-4001"
    assert e.value.filename == str(ROOT / "no/such/bundle") and e.value.errno == 2


def test_policy_parse_error():
    with pytest.raises(civrules.ParseError) as e:
        civrules.Policy.load(ROOT / "tests/fixtures/broken/yaml_syntax")
    assert (e.value.id, e.value.line, e.value.column) == ("CIVR-1001", 5, 8)


# One member, 64, grade-1 physical disability, fully dependent on care, a
# pension of 100 a month and a son able to support her (so not 特困).
CARE = {"id": "LC-1", "residence": "urban",
        "members": [{"id": "a", "birth_date": "1960-01-01", "disability": {"type": "physical", "grade": 1},
                     "self_care": "none", "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
        "income": [{"member": "a", "kind": "pension", "monthly": "100"}], "assets": {"financial": "0"}}


def test_a_program_that_cannot_be_evaluated_does_not_sink_the_others():
    # tests/fixtures/bundles/late_care: no care-subsidy amount before 2025-01-01
    late = civrules.Policy.load(ROOT / "tests/fixtures/bundles/late_care")
    r = late.evaluate(CARE, date="2024-08-01")
    by = {p["program"]: p for p in r["programs"]}
    # dibao: standard 700 − income 100 = 600 (民发〔2021〕57号 第十四条); the living
    # subsidy: the fixed 100 for a certificate holder in a dibao household (国发〔2015〕52号)
    assert (by["dibao"]["status"], by["dibao"]["monthly"]) == ("eligible", decimal.Decimal("600.00"))
    assert (by["disability_living"]["status"], by["disability_living"]["monthly"]) == ("eligible", decimal.Decimal("100.00"))
    assert "error" not in by["dibao"]
    care = by["disability_care"]
    assert care["status"] == "error" and care["monthly"] == 0
    assert care["members"] == [{"member": "a", "status": "error", "monthly": decimal.Decimal("0.00")}]
    e = errors.from_record(care["error"])
    assert isinstance(e, civrules.EvaluationError) and e.id == "CIVR-5003"
    assert e.message == "parameter 'disability_care.amount' has no value on 2024-08-01 (next value from 2025-01-01)"
    assert (e.file, e.line) == (str(ROOT / "policies/cn/disability.yaml"), 36)
    assert r["total_monthly"] == decimal.Decimal("700.00")


def test_a_program_reading_one_in_error_names_it(jinshi):
    # Jinshi's figures start 2024-01-01: 特困 reads the dibao standard, dibao reads 特困
    r = jinshi.evaluate(ONE, date="2023-06-01")
    by = {p["program"]: p for p in r["programs"]}
    assert by["tekun"]["error"]["id"] == "CIVR-5003"
    assert "'dibao.standard' has no value on 2023-06-01" in by["tekun"]["error"]["message"]
    assert by["dibao"]["status"] == "error" and by["dibao"]["error"]["id"] == "CIVR-5008"
    assert by["dibao"]["error"]["message"].startswith("program 'dibao' reads program 'tekun', which could not be evaluated")
    assert by["disability_living"]["status"] == "ineligible"  # no certificate: decided all the same


def test_evaluation_error():
    # before 2021-07-01 no program of the late_care fixture can be evaluated: an exception
    late = civrules.Policy.load(ROOT / "tests/fixtures/bundles/late_care")
    with pytest.raises(civrules.EvaluationError) as e:
        late.evaluate(CARE, date="2021-06-01")
    assert e.value.id == "CIVR-5003" and "has no value on 2021-06-01" in e.value.message
    assert e.value.file.startswith(str(ROOT / "policies/cn")) and e.value.line > 0


def test_limit_error(guangzhou):
    many = {**ONE, "members": [{"id": f"m{i}", "birth_date": "1970-01-01"} for i in range(65)]}
    with pytest.raises(civrules.LimitError) as e:
        guangzhou.evaluate(many, date="2024-08-01")
    assert e.value.id == "CIVR-2010"


def test_usage_errors(guangzhou):
    with pytest.raises(civrules.UsageError):
        list(guangzhou.evaluate_many([ONE], date="2024-08-01", threads=0))
    with pytest.raises(civrules.HouseholdDataError) as e:
        guangzhou.evaluate(ONE, date="2024-13-01")
    assert e.value.id == "CIVR-2004"
    with pytest.raises(TypeError):
        guangzhou.evaluate({**ONE, "note": object()}, date="2024-08-01")


def test_hook_and_memory_codes_map():
    assert isinstance(errors.from_c(-11, 6001, "h.lua", 3, 1, "boom"), civrules.HookError)
    assert isinstance(errors.from_c(-1, 9002, "", 0, 0, "out of memory"), MemoryError)
    e = errors.from_record({"id": "CIVR-2004", "code": "data", "source": "x.jsonl:3", "line": 1,
                            "column": 9, "message": "m"})
    assert isinstance(e, civrules.HouseholdDataError) and (e.file, e.line, e.column) == ("x.jsonl:3", 1, 9)


def test_check_reports_everything_without_raising(root):
    found = civrules.check(root / "tests/fixtures/broken/missing_file")
    assert [d.id for d in found] == ["CIVR-4001"]
    assert found[0].line == 5 and found[0].column == 22
    assert str(found[0]) == (root / "tests/fixtures/broken/missing_file/expected.txt").read_text().strip().replace(
        "tests/fixtures", str(root / "tests/fixtures"))
    assert civrules.check(root / "policies/cn/guangdong/guangzhou") == []


# a household Guangzhou's dibao pays (1282), so that its after_amount hook runs
PAID = {**ONE, "members": [{"id": "a", "birth_date": "1970-01-01", "able_to_work": False,
                            "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}]}


def hooked_bundle(tmp_path, lua):
    (tmp_path / "hooks").mkdir()
    (tmp_path / "bundle.yaml").write_text(
        "id: test/py-hooks\ntitle: {zh: 钩子, en: hooks}\nversion: '1'\n"
        f"extends: {ROOT}/policies/cn/guangdong/guangzhou\nfiles: [p.yaml]\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text(
        "programs:\n  dibao:\n    hooks:\n      after_amount: {file: hooks/h.lua, basis: test}\n")
    (tmp_path / "hooks/h.lua").write_text(lua, encoding="utf-8")
    return tmp_path


def program_error(result, program):
    """The exception of a program that could not be evaluated."""
    return errors.from_record(next(p for p in result["programs"] if p["program"] == program)["error"])


def test_hook_errors_carry_the_lua_position(tmp_path):
    # the hook fails dibao (and the child allowance, which reads dibao); 特困 and
    # the disability subsidies are still decided
    policy = civrules.Policy.load(hooked_bundle(tmp_path, "local ctx = ...\n\nerror('no')\n"))
    r = policy.evaluate(PAID, date="2024-08-01")
    e = program_error(r, "dibao")
    assert isinstance(e, civrules.HookError)
    assert (e.id, e.file, e.line) == ("CIVR-6002", str(tmp_path / "hooks/h.lua"), 3)
    assert "hook 'dibao.after_amount' failed: no" in e.message
    assert program_error(r, "child_support").id == "CIVR-5008"
    assert [p["status"] for p in r["programs"] if p["program"] == "tekun"] == ["ineligible"]
    # in a batch the failure is in its record, and the batch goes on
    out = list(policy.evaluate_many([PAID, "{"], date="2024-08-01"))
    assert [program_error(out[0], "dibao").id, out[1]["error"]["id"]] == ["CIVR-6002", "CIVR-1015"]


def test_hook_budgets_give_limit_errors(tmp_path):
    policy = civrules.Policy.load(hooked_bundle(tmp_path, "while true do end\n"))
    e = program_error(policy.evaluate(PAID, date="2024-08-01"), "dibao")
    assert isinstance(e, civrules.LimitError) and e.id == "CIVR-6003" and e.line == 1


def test_a_hook_that_does_not_compile_fails_loading(tmp_path):
    with pytest.raises(civrules.HookError) as e:
        civrules.Policy.load(hooked_bundle(tmp_path, "return {amount = }\n"))
    assert (e.value.id, e.value.file, e.value.line) == ("CIVR-6001", str(tmp_path / "p.yaml"), 4)
    assert f"{tmp_path}/hooks/h.lua:1: unexpected symbol near '}}'" in e.value.message
