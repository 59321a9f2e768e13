"""evaluate_columns: the batch path from Python (civrules.columns)."""
import array
import decimal
import random

import pytest

import civrules
from civrules.columns import STATUS_NAMES


@pytest.fixture(scope="module")
def peer(root):
    return civrules.Policy.load(root / "bench/bundles/peer-dibao")


@pytest.fixture(scope="module")
def fixture(root):
    return civrules.Policy.load(root / "tests/fixtures/bundles/batch")


def test_peer_rule_worked_by_hand(peer):
    # ../shared/peers/exact_reference.py: standard 800 urban / 620 rural, eligible when
    # income / size < standard, (standard - income / size) x size half up to the yuan
    out = peer.evaluate_columns({"size": [3, 3, 3, 6, 7], "income": [100001, 239950, 240000, 100000, 1],
                                 "urban": [True, True, True, False, False]}, date="2024-01-01")
    assert out["programs"] == ["dibao"]
    assert list(out["monthly"]["dibao"]) == [140000, 100, 0, 272000, 434000]
    assert [STATUS_NAMES[s] for s in out["status"]["dibao"]] == [
        "eligible", "eligible", "ineligible", "eligible", "eligible"]


def test_array_columns_without_numpy_types(peer):
    out = peer.evaluate_columns({"size": array.array("q", [3]), "income": array.array("q", [100001]),
                                 "urban": bytes([1])}, date="2024-01-01")
    assert list(out["monthly"]["dibao"]) == [140000]


def _json(cols, i):
    h = {"id": f"h{i}"}
    for name, values in cols.items():
        v = values[i]
        if v is None:
            continue
        h[name] = f"{v // 100}.{v % 100:02d}" if name in ("income", "savings", "debt", "adjustment") else v
    return h


def test_same_answers_as_evaluate_many_with_absent_values(fixture):
    rnd = random.Random(5)
    n = 3000

    def maybe(v):
        return None if rnd.random() < 0.1 else v
    cols = {
        "size": [maybe(rnd.randrange(-1, 7)) for _ in range(n)],
        "income": [rnd.randrange(0, 700000) for _ in range(n)],
        "savings": [maybe(rnd.randrange(0, 3000000)) for _ in range(n)],
        "debt": [maybe(rnd.randrange(0, 500000)) for _ in range(n)],
        "urban": [maybe(rnd.random() < 0.5) for _ in range(n)],
        "zone": [maybe(rnd.choice(["urban", "rural"])) for _ in range(n)],
        "housing": [maybe(rnd.choice(["owned", "rented", "public", "none"])) for _ in range(n)],
        "disabled": [maybe(rnd.random() < 0.3) for _ in range(n)],
        "adjustment": [maybe(rnd.randrange(0, 10000)) for _ in range(n)],
        "age": [maybe(rnd.randrange(0, 100)) for _ in range(n)],
    }
    for date in ("2023-06-01", "2024-06-01"):
        out = fixture.evaluate_columns(cols, date=date, threads=2)
        many = list(fixture.evaluate_many([_json(cols, i) for i in range(n)], date=date))
        seen = set()
        for i, r in enumerate(many):
            for p in out["programs"]:
                status = STATUS_NAMES[out["status"][p][i]]
                monthly = int(out["monthly"][p][i])
                if "error" in r:
                    assert status == "failed", (i, r)
                    continue
                pr = next(x for x in r["programs"] if x["program"] == p)
                assert (status, monthly) == (pr["status"], int(decimal.Decimal(str(pr["monthly"])) * 100)), (i, r)
                seen.add(status)
        assert {"eligible", "ineligible", "undetermined"} <= seen  # every kind of answer compared
        assert any("error" in r for r in many)  # and failures (a division by zero, a missing value)


def test_policies_it_does_not_cover_raise_with_the_reason(guangzhou):
    with pytest.raises(civrules.Error) as e:
        guangzhou.evaluate_columns({"residence": ["urban"]}, date="2024-08-01")
    assert e.value.id == "CIVR-8001" and "civr_engine_eval" in str(e.value)


def test_column_mistakes(peer):
    with pytest.raises(KeyError, match="urban"):
        peer.evaluate_columns({"size": [1], "income": [1]}, date="2024-01-01")
    with pytest.raises(ValueError, match="values"):
        peer.evaluate_columns({"size": [1, 2], "income": [1], "urban": [True]}, date="2024-01-01")
