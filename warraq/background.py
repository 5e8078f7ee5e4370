"""Work in another process, for the cores a build may use: `Background(target, *args)`
runs `target(send, *args)` in a child and hands its messages over in order.

The child is forked (it starts at once, sharing the loaded WeasyPrint and the `Book`
with its parent; it never touches the parent's terminal or threads: it computes and
sends); where the platform cannot fork (`CAN_FORK`), builds do not use this module.
`send(kind, value)` passes one picklable message up a pipe; when `target` returns, its
value arrives as `("done", value)`; when it raises, as `("error", exc)` if the exception
pickles (a `SourceError` does), else as `("fault", traceback text)`. `receive()` gives
the next message; `stop()` ends a child that is no longer wanted. Nothing here changes
the state of the parent process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import traceback
from typing import Any, Callable



def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


#: Whether this platform can fork (else a build stays in one process: a spawned child
#: would have to be sent the `Book`, which does not pickle).
CAN_FORK = "fork" in multiprocessing.get_all_start_methods()


def _context():
    return multiprocessing.get_context("fork" if CAN_FORK else "spawn")


class ChildFault(RuntimeError):
    """The child failed with an exception that could not be passed up (its traceback)."""


def _ended(signum, frame) -> None:
    """SIGTERM in a child (`Background.stop`): unwind, so that the child's own children
    are stopped by whoever started them (`warraq.pdf.mending`)."""
    raise SystemExit(1)


def _run(conn, target: Callable, args: tuple, tidy: bool = True) -> None:
    def send(kind: str, value: Any = None) -> None:
        conn.send((kind, value))
    signal.signal(signal.SIGTERM, _ended)
    try:
        value = target(send, *args)
        # A child ends without running finalisers: collect what the work left (WeasyPrint
        # removes its temporary font folders when its objects go) before it ends.
        if tidy:
            gc.collect()
    except BaseException as exc:  # noqa: BLE001 - everything goes to the parent
        gc.collect()
        try:
            pickle.loads(pickle.dumps(exc))
            conn.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            conn.send(("fault", "".join(traceback.format_exception(exc))))
    else:
        conn.send(("done", value))
    finally:
        conn.close()


class Background:
    """One child process running `target(send, *args)`. A child that starts children of
    its own must be made with `parents=True` (Python allows a daemonic process none):
    it is then not daemonic, and a build that ends early stops it itself (`stop`). A
    child that makes nothing that needs its finalisers (`tidy=False`: no WeasyPrint
    font configuration of its own) ends without collecting its garbage first, which
    takes a second in a child that inherited a laid-out book."""

    def __init__(self, target: Callable, *args: Any, parents: bool = False,
                 tidy: bool = True):
        context = _context()
        self._conn, child = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(child, target, args, tidy),
                                        daemon=not parents)
        self._process.start()
        child.close()
        self.finished = False

    def receive(self) -> tuple[str, Any]:
        """The child's next message, `(kind, value)`; an error it raised is raised here
        (as itself when it pickled, else as `ChildFault` with its traceback)."""
        try:
            kind, value = self._conn.recv()
        except EOFError:
            self._reap()
            raise ChildFault(f"the worker process ended without a result (exit status "
                             f"{self._process.exitcode})") from None
        if kind in ("done", "error", "fault"):
            self._reap()
        if kind == "error":
            raise value
        if kind == "fault":
            raise ChildFault(value)
        return kind, value

    def _reap(self) -> None:
        self.finished = True
        self._conn.close()
        self._process.join()

    def stop(self) -> None:
        """End the child if it still runs (its work is no longer wanted)."""
        if not self.finished:
            self._process.terminate()
            self._reap()
