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


# --- a warm child: forked before the work, handed it pickled -----------------------

def _where(send, value):
    import sys
    import types
    send("step", "tabnanny" in sys.modules)
    held = value["held"][0]     # (results go up as before: a read-only mapping does not)
    return os.getpid(), isinstance(held, types.MappingProxyType), dict(held)


def test_a_warm_child_imports_first_then_runs_the_work_it_is_handed():
    import types

    import sys

    from warraq.background import Warm
    assert "tabnanny" not in sys.modules
    warm = Warm(("tabnanny",))
    # a read-only mapping, as the immutable Book holds (pickle has no way of its own)
    value = {"held": [types.MappingProxyType({"a": (1, 2)})]}
    worker = Background(_where, value, parents=True, warm=warm)
    assert warm.taken
    assert worker.receive() == ("step", True)               # imported while it waited
    kind, (pid, proxy, held) = worker.receive()
    assert kind == "done" and pid == warm._process.pid and pid != os.getpid()
    assert proxy and held == {"a": (1, 2)}
    warm.close()                                             # (taken: nothing to end)


_PRIMED: list[int] = []


def _prime(stop):
    _PRIMED.append((os.getpid(), type(stop())))


def _primed(send):
    return list(_PRIMED)


def test_a_warm_child_primes_itself_before_the_work_and_leaves_its_parent_as_it_was():
    from warraq.background import Warm
    warm = Warm((), prime=f"{__name__}:_prime")
    worker = Background(_primed, parents=True, warm=warm)
    # once, in the child, with a way to ask whether the work has come
    assert worker.receive() == ("done", [(warm._process.pid, bool)])
    assert _PRIMED == []


def test_work_that_does_not_pickle_is_forked_as_before_and_an_unused_warm_child_ends():
    from warraq.background import Warm
    warm = Warm(())
    local = []          # a closure's target: it does not pickle
    worker = Background(lambda send: (local.append(1), os.getpid())[1], parents=True,
                        warm=warm)
    assert not warm.taken
    kind, pid = worker.receive()
    assert kind == "done" and pid not in (os.getpid(), warm._process.pid)
    start = time.monotonic()
    warm.close()
    assert not warm._process.is_alive() and time.monotonic() - start < 5
    # a daemonic child (it may start none of its own) is never the warm one
    other = Warm(())
    assert Background(_count, 2, warm=other).receive() == ("step", 0) and not other.taken
    other.close()


def _unloadable():
    raise ImportError("gone")


class _Gone:
    def __reduce__(self):
        return (_unloadable, ())


def test_work_a_warm_child_cannot_unpickle_comes_back_as_a_fault():
    from warraq.background import Warm
    warm = Warm(())
    worker = Background(_count, _Gone(), parents=True, warm=warm)
    assert warm.taken
    with pytest.raises(ChildFault, match="ImportError: gone"):
        worker.receive()


def _echo(send, times):
    for _ in range(times):
        kind, value = send.ask()
        send("heard", (kind, value * 2))
    return "asked out"


def test_a_child_made_to_be_asked_hears_what_it_is_told_in_order():
    worker = Background(_echo, 2, asks=True)
    worker.tell("twice", 21)
    worker.tell("twice", 5)
    assert worker.receive() == ("heard", ("twice", 42))
    assert worker.receive() == ("heard", ("twice", 10))
    assert worker.receive() == ("done", "asked out")
    worker.tell("late", 1)      # (it has ended: nothing is told, nothing raised)


def _asks_once(send):
    return send.ask()


def test_a_child_whose_parent_tells_nothing_more_hears_the_end():
    worker = Background(_asks_once, asks=True)
    worker._tell.close()        # (as when the parent goes)
    assert worker.receive() == ("done", ("end", None))


def test_a_child_not_made_to_be_asked_cannot_be_told():
    worker = Background(_count, 1)
    with pytest.raises(RuntimeError):
        worker.tell("anything", 1)
    while not worker.finished:
        worker.receive()
