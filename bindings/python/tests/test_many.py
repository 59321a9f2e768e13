"""evaluate_many: order, error records, threads, laziness."""
import decimal
import itertools
import threading

import pytest

import civrules


def household(i):
    return {"id": f"H{i}", "residence": "urban",
            "members": [{"id": "a", "birth_date": "1970-01-01", "able_to_work": False,
                         "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
            "income": [{"member": "a", "kind": "pension", "monthly": str(i % 1500)}],
            "assets": {"financial": "0"}}


def expected(i):
    return decimal.Decimal(max(0, 1282 - i % 1500)) if i % 1500 < 1282 else decimal.Decimal("0")


def test_results_come_in_input_order_with_error_records(guangzhou):
    batch = [household(1), '{"id": "bad", "members": [', household(2),
             {"id": "H3", "members": [{"id": "a", "birth_date": "1970-02-30"}]}, {"id": "H4", "x": object()},
             household(5)]
    out = list(guangzhou.evaluate_many(batch, date="2024-08-01"))
    assert [r.get("household") for r in out] == ["H1", None, "H2", "H3", "H4", "H5"]
    assert [r["error"]["id"] if "error" in r else None for r in out] == [
        None, "CIVR-1002", None, "CIVR-2004", "CIVR-9025", None]
    assert out[0]["total_monthly"] == decimal.Decimal("1281.00")
    with pytest.raises(civrules.HouseholdDataError) as e:
        civrules.raise_for(out[3])
    # each error names its row in the input, and for a dict the key inside it
    assert e.value.id == "CIVR-2004" and e.value.file == 'households[3]["members"][0]["birth_date"]'
    assert (out[1]["error"]["source"], out[1]["error"]["line"], out[1]["error"]["column"]) == (
        "households[1]", 1, 27)
    assert out[4]["error"]["source"] == "households[4]"
    assert civrules.raise_for(out[0]) is out[0]


def test_error_records_keep_their_place_across_batches_and_threads(guangzhou):
    n = 5 * civrules._CHUNK + 3
    batch = [household(i) if i % 37 else "{not json" for i in range(n)]
    for threads in (1, 2):
        out = list(guangzhou.evaluate_many(batch, date="2024-08-01", threads=threads))
        assert len(out) == n
        for i, r in enumerate(out):
            if i % 37:
                assert r["household"] == f"H{i}" and r["total_monthly"] == expected(i)
            else:
                assert r["error"]["id"] == "CIVR-1015", i  # expected a string key


def test_bad_arguments_raise_at_the_call_not_at_the_first_result(guangzhou):
    with pytest.raises(civrules.HouseholdDataError):
        guangzhou.evaluate_many([household(1)], date="2024-02-30")
    with pytest.raises(civrules.UsageError):
        guangzhou.evaluate_many([household(1)], date="2024-08-01", threads=0)
    assert list(guangzhou.evaluate_many([], date="2024-08-01", threads=2)) == []


def test_two_threads_give_the_same_answers_in_order(guangzhou):
    n = 2000
    one = list(guangzhou.evaluate_many((household(i) for i in range(n)), date="2024-08-01"))
    two = list(guangzhou.evaluate_many((household(i) for i in range(n)), date="2024-08-01", threads=2))
    assert [r["household"] for r in two] == [f"H{i}" for i in range(n)]
    assert one == two
    assert [r["total_monthly"] for r in two[:3]] == [expected(0), expected(1), expected(2)]


def test_input_is_consumed_lazily(guangzhou):
    seen = []

    def source():
        for i in itertools.count():
            seen.append(i)
            yield household(i)

    results = guangzhou.evaluate_many(source(), date="2024-08-01", threads=2)
    first = [next(results) for _ in range(5)]
    assert [r["household"] for r in first] == ["H0", "H1", "H2", "H3", "H4"]
    # a bounded window (two batches per thread in flight), not the whole infinite input
    assert len(seen) <= (2 * 2 + 1) * civrules._CHUNK
    results.close()


def test_one_policy_many_threads(jinshi):
    errors = []
    want = jinshi.evaluate(household(7), date="2024-03-01")

    def work():
        try:
            for _ in range(200):
                assert jinshi.evaluate(household(7), date="2024-03-01") == want
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_a_bad_text_is_its_rows_error_record_never_the_batchs(guangzhou):
    # bytes that are not UTF-8, a number (not a mapping), an empty text: each its own row's record
    batch = [household(1), b"\xff\xfe{}", 42, "", household(2)]
    out = list(guangzhou.evaluate_many(batch, date="2024-08-01"))
    assert [r["error"]["id"] if "error" in r else None for r in out] == [
        None, "CIVR-1007", "CIVR-2002", out[3]["error"]["id"], None]
    assert "error" in out[3] and [r["error"]["source"] for r in out[1:4]] == [
        "households[1]", "households[2]", "households[3]"]
    assert out[4]["total_monthly"] == expected(2)


def test_characters_outside_the_bmp_survive(guangzhou):
    h = household(7)
    h["id"] = "户-𠀋-😀"
    (r,) = guangzhou.evaluate_many([h], date="2024-08-01")
    assert r["household"] == "户-𠀋-😀" and r["total_monthly"] == expected(7)
    assert guangzhou.evaluate(h, date="2024-08-01")["household"] == "户-𠀋-😀"


def test_summary_results_hold_the_same_answers(guangzhou):
    batch = [household(i) for i in range(0, 3000, 97)] + ['{"id": "bad", "members": [']
    full = list(guangzhou.evaluate_many(batch, date="2024-08-01"))
    short = list(guangzhou.evaluate_many(batch, date="2024-08-01", summary=True))
    assert len(full) == len(short)
    for f, s in zip(full, short):
        if "error" in f:
            assert s["error"] == f["error"]
            continue
        assert s["total_monthly"] == f["total_monthly"]
        assert [(p["program"], p["status"], p["monthly"], p["missing"]) for p in s["programs"]] == \
            [(p["program"], p["status"], p["monthly"], p["missing"]) for p in f["programs"]]
        assert all(set(p) <= {"program", "status", "monthly", "missing", "error"} for p in s["programs"])
    # the amounts themselves, worked from the rule (expected(): 1282 - income, 0 above it)
    assert [s["total_monthly"] for s in short[:3]] == [expected(0), expected(97), expected(194)]
