"""The same per-book task on a Dask cluster: a LocalCluster of two worker processes
builds the library byte for byte as the local process pool did."""

from __future__ import annotations

import pytest

from warraq.cli import main
from warraq.errors import SourceError
from warraq.library.runner import run_dask
from warraq.library.task import BookTask

from .conftest import mtimes

distributed = pytest.importorskip("distributed")


@pytest.fixture
def cluster():
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        yield cluster


@pytest.mark.slow
def test_a_dask_cluster_builds_the_same_bytes(built, cluster, tmp_path, capsys):
    src, dist, _ = built
    out = tmp_path / "dask-dist"
    status = main([str(src), "--out", str(out), "--scheduler", cluster.scheduler_address])
    err = capsys.readouterr().err
    assert status == 2 and "11 built, 0 unchanged, 1 failed" in err
    assert "2024-06-01-broken/text.md:3: error W304" in err
    local, remote = mtimes(dist), mtimes(out)
    assert sorted(local) == sorted(remote)
    for name in local:
        assert (out / name).read_bytes() == (dist / name).read_bytes(), name


def test_an_unreachable_scheduler_is_w607(tmp_path):
    task = BookTask("x", str(tmp_path), str(tmp_path), str(tmp_path), ("epub",), ("print",),
                    None, "0")
    with pytest.raises(SourceError) as info:
        run_dask([task], "tcp://127.0.0.1:9", timeout="1s")
    (diag,) = info.value.diagnostics
    assert diag.code == "W607" and "tcp://127.0.0.1:9" in diag.message
