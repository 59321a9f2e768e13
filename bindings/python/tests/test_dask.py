"""civrules.dask on a distributed.LocalCluster with two worker processes:
the same bytes as one process, one policy loaded per worker."""
import json
import os

import pytest

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")

import civrules  # noqa: E402
import civrules.dask  # noqa: E402
from conftest import ROOT  # noqa: E402

GZ = str(ROOT / "policies/cn/guangdong/guangzhou")


def household(i):
    # one member of 74 with a pension of i % 1500 and a supporter elsewhere:
    # dibao pays max(0, 1282 - pension) (Guangzhou 2024, 民发〔2021〕57号 第十四条)
    return json.dumps({"id": f"H{i}", "residence": "urban",
                       "members": [{"id": "a", "birth_date": "1950-01-01", "able_to_work": False,
                                    "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
                       "income": [{"member": "a", "kind": "pension", "monthly": str(i % 1500)}],
                       "assets": {"financial": "0"}}, ensure_ascii=False)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=True,
                                       dashboard_address=None, silence_logs=50)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_two_workers_give_the_bytes_of_one_process(client, tmp_path):
    texts = [household(i) if i % 97 else '{"id": "bad", "members": [' for i in range(600)]
    frame = pd.DataFrame({"household": texts})
    out = civrules.dask.evaluate(dd.from_pandas(frame, npartitions=6), policy=GZ, date="2024-08-01").compute()
    # one process, one batch: the same rows, byte for byte, in the same order
    one = civrules.dask.evaluate_partition(frame, GZ, "2024-08-01")
    assert list(out.index) == list(range(600))
    assert out.equals(one)
    # and the bytes `civrules eval` writes (the CLI's JSON), amounts worked by hand
    policy = civrules.Policy.load(GZ)
    assert out.loc[5, "result"] == policy._engine().evaluate(texts[5], "2024-08-01", False)
    assert out.loc[1, "total_monthly"] == "1281.00" and out.loc[599, "total_monthly"] == "683.00"
    assert out.loc[97, "status"] == "error" and out.loc[97, "error"] == "CIVR-1002"
    assert json.loads(out.loc[97, "result"])["error"]["source"] == "households[97]"
    # the work ran on both workers, each with the policy loaded once
    loaded = client.run(civrules.dask.loaded_policies)
    assert len(loaded) == 2 and all(v == [GZ] for v in loaded.values()), loaded


def test_json_lines_files(client, tmp_path):
    path = tmp_path / "caseload.jsonl"
    path.write_text("\n".join(household(i) for i in range(50)) + "\n\n", encoding="utf-8")
    ddf = civrules.dask.read_jsonl(str(path), blocksize=1500)
    assert ddf.npartitions > 1
    out = civrules.dask.evaluate(ddf, policy=GZ, date="2024-08-01").compute()
    assert list(out.household) == [f"H{i}" for i in range(50)]
    assert list(out.total_monthly) == ["%d.00" % (1282 - i) for i in range(50)]


def test_a_bad_bundle_or_date_fails_before_any_work(client):
    with pytest.raises(FileNotFoundError):
        civrules.dask.evaluate(dd.from_pandas(pd.DataFrame({"household": []}), npartitions=1), policy="/no/such")
    with pytest.raises(civrules.Error):
        civrules.dask.evaluate(dd.from_pandas(pd.DataFrame({"household": [household(1)]}), npartitions=1),
                               policy=GZ, date="2024-13-01")


# ---- screening -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """A synthetic county (tools/generate/generate_caseload.py, seed 5): 400
    Guangzhou households with a year of payments and planted errors, plus
    two lines that are not households."""
    import subprocess
    import sys
    d = tmp_path_factory.mktemp("county")
    subprocess.run([sys.executable, str(ROOT / "tools/generate/generate_caseload.py"), "--households", "400",
                    "--seed", "5", "--date", "2024-12-01", "--from", "2024-01", "--to", "2024-12",
                    "--policy", GZ, "--out", str(d / "county.jsonl"), "--manifest", str(d / "manifest.json")],
                   check=True, cwd=ROOT,
                   capture_output=True)
    lines = (d / "county.jsonl").read_text(encoding="utf-8").splitlines()
    lines[123:123] = ['{"id": "broken", "members": [']
    jinshi = dict(json.loads(lines[0]), id="SYN-JINSHI", region="430781")
    lines[321:321] = [json.dumps(jinshi, ensure_ascii=False)]
    (d / "county.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d, lines, json.loads((d / "manifest.json").read_text(encoding="utf-8"))


def test_screening_on_two_workers_gives_the_bytes_of_one_process(client, county):
    d, lines, manifest = county
    assert manifest["policy"] == "cn/guangdong/guangzhou"
    frame = pd.DataFrame({"household": lines})
    ddf = dd.from_pandas(frame, npartitions=5)
    out = civrules.dask.screen(ddf, policy=GZ, date="2024-12-01", from_month="2024-01",
                               to_month="2024-12").compute()
    one = civrules.dask.screen_partition(frame, GZ, "2024-12-01", "2024-01", "2024-12")
    assert list(out.index) == list(range(402))
    assert out.equals(one)
    assert list(out.status).count("error") == 2
    assert out.loc[123, "error"] == "CIVR-1002"
    assert json.loads(out.loc[123, "record"])["error"]["source"] == "households[123]"
    assert out.loc[321, "error"] == "CIVR-7002"  # Jinshi's household is not Guangzhou's to screen
    # every other record is byte for byte what `civrules screen --policy` writes
    exe = os.environ.get("CIVRULES_EXE")
    if exe:
        import subprocess
        p = subprocess.run([exe, "screen", "-q", "--policy", GZ, "--date", "2024-12-01", "--from", "2024-01",
                            "--to", "2024-12", str(d / "county.jsonl")], capture_output=True, text=True)
        cli = p.stdout.splitlines()
        assert len(cli) == 402
        assert [line for i, line in enumerate(cli) if i not in (123, 321)] == \
            [r for i, r in enumerate(out.record) if i not in (123, 321)]
    # the workers each loaded the policy once
    loaded = client.run(civrules.dask.loaded_policies)
    assert len(loaded) == 2 and all(GZ in v for v in loaded.values()), loaded


def test_screened_cases_sum_exactly_to_what_was_planted(client, county):
    d, lines, manifest = county
    ddf = dd.from_pandas(pd.DataFrame({"household": lines}), npartitions=4)
    cases = civrules.dask.screen_cases(civrules.dask.screen(ddf, policy=GZ, date="2024-12-01",
                                                            from_month="2024-01", to_month="2024-12"))
    assert list(cases.columns) == civrules.dask.CASE_COLUMNS
    by_category = cases.groupby("category")[["due_fen", "paid_fen", "difference_fen"]].sum().compute()
    per_case = civrules.dask.screen_cases(civrules.dask.screen_partition(
        pd.DataFrame({"household": lines}), GZ, "2024-12-01", "2024-01", "2024-12"))
    # the distributed sums are the single-process sums, exactly, in fen
    assert by_category.sort_index().equals(
        per_case.groupby("category")[["due_fen", "paid_fen", "difference_fen"]].sum().sort_index())
    # every case not in agreement is one the generator planted and worked out
    # (from evaluations, independently of the screening code), with its amounts
    fen = civrules.dask._fen
    found = sorted((c.household, c.program, c.member or "", c.category, c.due_fen, c.arrears_fen, c.overpaid_fen)
                   for c in per_case.itertuples() if c.category != "agrees")
    expected = sorted((c["household"], c["program"], c["member"] or "", c["category"], fen(c["due"]),
                       fen(c["arrears"]), fen(c["overpaid"]))
                      for c in manifest["expected_cases"] if c["category"] != "agrees")
    assert found == expected
    assert (per_case.difference_fen == per_case.paid_fen - per_case.due_fen).all()
    assert by_category.loc["agrees", "difference_fen"] == 0


def test_screening_options_are_checked_before_any_work(client):
    empty = dd.from_pandas(pd.DataFrame({"household": []}), npartitions=1)
    with pytest.raises(civrules.UsageError):
        civrules.dask.screen(empty, policy=GZ, date="2024-12-01", from_month="2024-01")
    with pytest.raises(civrules.UsageError):
        civrules.dask.screen(empty, policy=GZ, date="2024-12-01", from_month="2024-12", to_month="2024-01")
    with pytest.raises(civrules.Error):
        civrules.dask.screen(empty, policy=GZ, date="2024-12-01", from_month="2024-13", to_month="2024-12")
    with pytest.raises(FileNotFoundError):
        civrules.dask.screen(empty, policy="/no/such", date="2024-12-01")
