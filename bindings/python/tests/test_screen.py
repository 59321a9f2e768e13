"""Policy.screen, screen_records and evaluate_period (issue #9), worked by hand.

Guangzhou (440106): a parent earning 1000 and a child; dibao is the gap
2 x standard - 1000, rounded up to the yuan. The standard is 1238 until
2024-06-30 and 1282 from 2024-07-01 (illustrative dates in the bundle):
1476 a month, then 1564.
"""
import decimal
import os

import pytest

import civrules

ROOT = os.environ.get("CIVRULES_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
pd = pytest.importorskip("pandas")


def family(hid, enrolment=None, region="440106"):
    h = {"id": hid, "region": region, "residence": "urban",
         "members": [{"id": "p", "relation": "applicant", "birth_date": "1985-03-01", "hukou": "urban",
                      "able_to_work": True},
                     {"id": "c", "relation": "child", "birth_date": "2015-06-01", "hukou": "urban",
                      "student": "full_time",
                      "parents": [{"role": "father", "member": "p"}, {"role": "mother", "situations": []}]}],
         "income": [{"member": "p", "kind": "wages", "monthly": "1000"}],
         "assets": {"financial": "0"}}
    if enrolment:
        h["enrolment"] = enrolment
    return h


@pytest.fixture(scope="module")
def gz():
    return civrules.Policy.load(os.path.join(ROOT, "policies/cn/guangdong/guangzhou"))


def test_screen_frame(gz):
    paid = [{"month": f"2024-{m:02d}-01", "amount": "1476"} for m in range(1, 13)]
    households = [
        family("A", {"dibao": {"since": "2023-10-01", "monthly": "1476", "last_review": "2024-10-01",
                               "payments": paid}}),
        family("B"),
        family("C", region="430781"),  # Jinshi: not Guangzhou's to pay
    ]
    df = gz.screen(households, "2024-12-15", "2024-01", "2024-12")
    a = df[df.household == "A"].iloc[0]
    assert (a.program, a.category, a.due, a.paid) == ("dibao", "amount_differs", decimal.Decimal("1564.00"),
                                                      decimal.Decimal("1476.00"))
    assert a.difference == decimal.Decimal("-88.00")
    assert a.arrears == decimal.Decimal("528.00")  # 6 x 88 from July
    b = df[df.household == "B"].iloc[0]
    assert (b.category, b.since, b.enrolled) == ("missed", "2024-01", False)
    c = df[df.household == "C"].iloc[0]
    assert "CIVR-7002" in c.error
    # without the region check the Jinshi household would be screened with Guangzhou's amounts
    assert gz.screen([households[2]], "2024-12-15", check_region=False).iloc[0].category == "missed"


def test_screen_records_and_a_frame_of_households(gz):
    frame = pd.DataFrame({"household": [family("A"), family("B")]})
    records = list(gz.screen_records(frame, "2024-08-01"))
    assert [r["household"] for r in records] == ["A", "B"]
    assert records[0]["cases"][0]["due"] == "1564.00"


def test_evaluate_period(gz):
    df = gz.evaluate_period([family("A")], "2024-05", "2024-08")
    totals = df[(df.program == "dibao") & df.member.isna()]
    assert list(totals.month) == ["2024-05", "2024-06", "2024-07", "2024-08"]
    assert list(totals.monthly) == [decimal.Decimal("1476.00")] * 2 + [decimal.Decimal("1564.00")] * 2
    with pytest.raises(civrules.Error):
        gz.evaluate_period([family("A")], "2024-13", "2024-08")
