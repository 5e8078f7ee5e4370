"""Work in another process, for the cores a build may use: `Background(target, *args)`
runs `target(send, *args)` in a child and hands its messages over in order.

The child is forked (it starts at once, sharing the loaded WeasyPrint and the `Book`
with its parent; it never touches the parent's terminal or threads: it computes and
sends); where the platform cannot fork (`CAN_FORK`), builds do not use this module.
`send(kind, value)` passes one picklable message up a pipe; when `target` returns, its
value arrives as `("done", value)`; when it raises, as `("error", exc)` if the exception
pickles (a `SourceError` does), else as `("fault", traceback text)`. `receive()` gives
the next message; `stop()` ends a child that is no longer wanted. A child made with
`asks=True` can also be told things after it starts: `tell(kind, value)` in the parent,
`send.ask()` in the child (the next thing told, `("end", None)` if the parent has gone).
Nothing here changes the state of the parent process.

A `Warm` child is forked before the work exists (before the source is read) and imports
what the work needs meanwhile (WeasyPrint takes about 0.3 s), then primes itself until
the work comes (`warraq.pdf.warmup`); `Background(...,
warm=...)` then hands it `target` and its arguments pickled, the `Book` with them
(`dumps`), instead of forking, and it goes on as any child.
"""

from __future__ import annotations

import copyreg
import gc
import importlib
import io
import multiprocessing
import os
import pickle
import signal
import traceback
import types
from typing import Any, Callable



def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


#: Whether this platform can fork (else a build stays in one process: a spawned child
#: would start from nothing).
CAN_FORK = "fork" in multiprocessing.get_all_start_methods()


def _context():
    return multiprocessing.get_context("fork" if CAN_FORK else "spawn")


class ChildFault(RuntimeError):
    """The child failed with an exception that could not be passed up (its traceback)."""


def _ended(signum, frame) -> None:
    """SIGTERM in a child (`Background.stop`): unwind, so that the child's own children
    are stopped by whoever started them (`warraq.pdf.mending`)."""
    raise SystemExit(1)


class _Send:
    """A child's `send(kind, value)`, and `ask()`: what its parent tells it next."""

    def __init__(self, conn, asks=None):
        self._conn, self._asks = conn, asks

    def __call__(self, kind: str, value: Any = None) -> None:
        self._conn.send((kind, value))

    def ask(self) -> tuple[str, Any]:
        if self._asks is None:
            raise RuntimeError("this child was not made to be asked (asks=True)")
        try:
            return self._asks.recv()
        except (EOFError, OSError):
            return ("end", None)


def _run(conn, target: Callable, args: tuple, tidy: bool = True, asks=None,
         theirs: tuple = ()) -> None:
    for end in theirs:      # (the parent's ends of the pipes: so that their close is seen)
        end.close()
    send = _Send(conn, asks)
    signal.signal(signal.SIGTERM, _ended)
    try:
        value = target(send, *args)
    except BaseException as exc:  # noqa: BLE001 - everything goes to the parent
        gc.collect()
        try:
            pickle.loads(pickle.dumps(exc))
            conn.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            conn.send(("fault", "".join(traceback.format_exception(exc))))
    else:
        conn.send(("done", value))
        # A child ends without running finalisers: collect what the work left (WeasyPrint
        # removes its temporary font folders when its objects go) before it ends; after
        # the result has gone (up to 0.15 s for a laid-out book: a non-daemonic child's
        # parent does not wait for it, `_reap`)
        if tidy:
            gc.collect()
    finally:
        conn.close()


def _proxy(items: dict) -> types.MappingProxyType:
    return types.MappingProxyType(items)


def dumps(value: Any) -> bytes:
    """`value` pickled, the read-only mappings of the immutable `Book` with it (pickle
    has no way of its own for them; this pickler's table, not copyreg's, gives one)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table,
                              types.MappingProxyType: lambda m: (_proxy, (dict(m),))}
    pickler.dump(value)
    return out.getvalue()


def _wait(work, conn, unused, modules: tuple[str, ...], prime: str | None) -> None:
    """A warm child: import `modules`, call `prime` ("module:function"), then run the
    work it is handed (none: end)."""
    unused.close()          # (the parent's end: so that its end is seen, should it end)
    signal.signal(signal.SIGTERM, _ended)
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:   # noqa: BLE001 - the work imports it again, and says why not
            prime = None
            break
    if prime:               # (told to stop as soon as the work is there)
        module, _, function = prime.partition(":")
        getattr(importlib.import_module(module), function)(work.poll)
    try:
        data = work.recv_bytes()
    except (EOFError, OSError):
        return
    finally:
        work.close()
    try:
        target, args, tidy = pickle.loads(data)
    except BaseException as exc:  # noqa: BLE001 - to the parent, as `_run` would
        conn.send(("fault", "".join(traceback.format_exception(exc))))
        conn.close()
        return
    _run(conn, target, args, tidy)


class Warm:
    """A child forked now, importing `modules` (then calling `prime`, "module:function",
    with a function telling whether the work has come: for what the work pays once per
    process, until it comes) while it waits for work; `take` hands it
    the work (once), `close` ends it if it was never given any. It may start children
    of its own (it is not daemonic): whoever makes one closes it."""

    def __init__(self, modules: tuple[str, ...], prime: str | None = None):
        context = _context()
        work, self._work = context.Pipe(duplex=False)
        self._conn, child = context.Pipe(duplex=False)
        self._process = context.Process(target=_wait, args=(work, child, self._work,
                                                            modules, prime), daemon=False)
        self._process.start()
        work.close()
        child.close()
        self.taken = False

    def take(self, target: Callable, args: tuple, tidy: bool):
        """Hand over `target(send, *args)`: the child's pipe and process, or None when it
        cannot be (taken already, ended, or the arguments do not pickle)."""
        if self.taken or not self._process.is_alive():
            return None
        try:
            data = dumps((target, args, tidy))
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        try:
            self._work.send_bytes(data)
        except OSError:
            return None
        self.taken = True
        self._work.close()
        return self._conn, self._process

    def close(self) -> None:
        """End the child if no work was handed to it (its wait sees the pipe close)."""
        if self.taken:
            return
        self.taken = True
        self._work.close()
        self._conn.close()
        self._process.terminate()       # (it holds nothing: at most an import half done)
        self._process.join()


class Background:
    """One child process running `target(send, *args)`. A child that starts children of
    its own must be made with `parents=True` (Python allows a daemonic process none):
    it is then not daemonic, and a build that ends early stops it itself (`stop`). A
    child that makes nothing that needs its finalisers (`tidy=False`: no WeasyPrint
    font configuration of its own) ends without collecting its garbage first, which
    takes a second in a child that inherited a laid-out book. With `warm` (a `Warm`
    not yet taken, and `parents=True`), the work goes to that child instead."""

    def __init__(self, target: Callable, *args: Any, parents: bool = False,
                 tidy: bool = True, warm: Warm | None = None, asks: bool = False):
        self.finished = False
        self._tell = None
        taken = warm.take(target, args, tidy) if (
            warm is not None and parents and not asks) else None
        if taken is not None:
            self._conn, self._process = taken
            return
        context = _context()
        self._conn, child = context.Pipe(duplex=False)
        heard = None
        if asks:
            heard, self._tell = context.Pipe(duplex=False)
        theirs = (self._tell,) if self._tell is not None else ()
        self._process = context.Process(target=_run, args=(child, target, args, tidy, heard,
                                                           theirs), daemon=not parents)
        self._process.start()
        child.close()
        if heard is not None:
            heard.close()

    def tell(self, kind: str, value: Any = None) -> None:
        """Tell a child made with `asks=True` something (its `send.ask()` gets it)."""
        if self._tell is None:
            raise RuntimeError("this child was not made to be asked (asks=True)")
        if not self.finished:
            try:
                self._tell.send((kind, value))
            except OSError:     # (it has ended: what it sent says how, `receive`)
                pass

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
            self._reap(wait=kind != "done" or self._process.daemon)
        if kind == "error":
            raise value
        if kind == "fault":
            raise ChildFault(value)
        return kind, value

    def _reap(self, wait: bool = True) -> None:
        """Done with the child: with `wait`, once it has ended (a non-daemonic child
        that sent its result is left to tidy up and end: Python joins it at the latest
        when this process ends, and reaps it when the next child starts)."""
        self.finished = True
        self._conn.close()
        if self._tell is not None:
            self._tell.close()
        if wait:
            self._process.join()

    def stop(self) -> None:
        """End the child if it still runs (its work is no longer wanted)."""
        if not self.finished:
            self._process.terminate()
            self._reap()
