"""civrules.dask on a distributed.LocalCluster with two worker processes:
the same bytes as one process, one policy loaded per worker."""
import json

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
