"""What a policy's Lua hooks print is in each result's "log" (docs/result.md),
without any callback. The fixture bundle tests/fixtures/bundles/textbook/printing
prints the dibao amount and the household's size from an after_amount hook;
its amounts are the textbook's (standard 700, 民发〔2021〕57号 第十四条):
one member with a pension of 300 gets 700 - 300 = 400.00."""
import decimal

import pytest

import civrules
from conftest import ROOT

ONE = {"id": "H1", "residence": "urban",
       "members": [{"id": "a", "birth_date": "1970-01-01", "able_to_work": False,
                    "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
       "income": [{"member": "a", "kind": "pension", "monthly": "300"}],
       "assets": {"financial": "0"}}


@pytest.fixture(scope="module")
def printing():
    return civrules.Policy.load(ROOT / "tests/fixtures/bundles/textbook/printing")


def test_what_a_hook_prints_is_in_the_result(printing):
    r = printing.evaluate(ONE, date="2024-08-01")
    assert r["total_monthly"] == decimal.Decimal("400.00")
    assert r["log"] == [{"program": "dibao", "hook": "dibao.after_amount", "text": "amount\t400.00\tsize\t1"}]
    assert "log_dropped" not in r


def test_bytes_that_are_not_utf8_arrive_as_replacement_characters(printing):
    r = printing.evaluate(dict(ONE, id="H1!"), date="2024-08-01")
    assert [line["text"] for line in r["log"]] == ["amount\t400.00\tsize\t1", "odd \ufffd bytes\t\U0001d11e"]


def test_a_result_without_prints_has_no_log(root):
    plain = civrules.Policy.load(root / "tests/fixtures/bundles/textbook")
    assert "log" not in plain.evaluate(ONE, date="2024-08-01")


def test_each_record_of_a_batch_has_its_own_log(printing):
    two = dict(ONE, id="H2", members=ONE["members"] + [
        {"id": "b", "birth_date": "1972-01-01", "able_to_work": False,
         "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}])
    # two members, pension 300: 700 x 2 - 300 = 1100.00
    records = list(printing.evaluate_many([ONE, two, "{not json"], date="2024-08-01", threads=2))
    assert [r.get("log") for r in records[:2]] == [
        [{"program": "dibao", "hook": "dibao.after_amount", "text": "amount\t400.00\tsize\t1"}],
        [{"program": "dibao", "hook": "dibao.after_amount", "text": "amount\t1100.00\tsize\t2"}]]
    assert "error" in records[2] and "log" not in records[2]
