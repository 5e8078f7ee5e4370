"""warraq.background: a function run in a worker process hands its messages and its
result back in order, its errors come back as themselves (a SourceError whole) or as a
traceback, and a worker no longer wanted is ended."""

import os
import time

import pytest

from warraq.background import Background, ChildFault, cores
from warraq.errors import Diagnostic, SourceError


def _count(send, n):
    for i in range(n):
        send("step", i)
    return os.getpid()


def _fail(send):
    send("step", 0)
    raise SourceError([Diagnostic("b.md", 4, 2, "W501", "bad"),
                       Diagnostic("a.md", 1, None, "W307", "worse")],
                      more=3, order=["b.md", "a.md"], notes=["a note"])


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("no")


def _fault(send):
    raise _Unpicklable("deep down")


def _sleep(send):
    send("started")
    time.sleep(60)


def _die(send):
    os._exit(3)


def test_messages_then_the_result_come_back_in_order():
    worker = Background(_count, 3)
    got = [worker.receive() for _ in range(4)]
    assert got[:3] == [("step", 0), ("step", 1), ("step", 2)]
    kind, pid = got[3]
    assert kind == "done" and pid != os.getpid()
    assert worker.finished


def test_a_source_error_comes_back_whole():
    worker = Background(_fail)
    assert worker.receive() == ("step", 0)
    with pytest.raises(SourceError) as err:
        worker.receive()
    assert [(d.file, d.line, d.code) for d in err.value.diagnostics] == [
        ("b.md", 4, "W501"), ("a.md", 1, "W307")]
    assert err.value.more == 3 and err.value.notes == ["a note"]


def test_an_error_that_cannot_travel_comes_back_as_its_traceback():
    with pytest.raises(ChildFault, match="deep down"):
        Background(_fault).receive()


def test_a_worker_that_dies_is_a_fault_not_a_hang():
    with pytest.raises(ChildFault, match="exit status 3"):
        Background(_die).receive()


def test_stop_ends_a_worker_that_is_no_longer_wanted():
    worker = Background(_sleep)
    assert worker.receive() == ("started", None)
    worker.stop()
    assert worker.finished and not worker._process.is_alive()


def test_cores_is_at_least_one():
    assert cores() >= 1
