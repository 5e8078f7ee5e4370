"""`--watch`: one change, one rebuild; an error is reported and the watch goes on; the
next fix rebuilds; the build's own outputs never trigger a rebuild."""

from __future__ import annotations

import threading
import time

from warraq.errors import SourceError
from warraq.pipeline import build
from warraq.watch import watch


def _wait(predicate, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_each_change_rebuilds_once_and_errors_do_not_stop_the_watch(make_source, tmp_path):
    src = make_source({"title": "Watched", "contents": ["a.md"]}, {"a.md": "# A\n\nOne.\n"})
    out = tmp_path / "dist"
    statuses: list[int] = []
    errors: list[str] = []

    def rebuild() -> int:
        try:
            build(src, out, ("epub",))
            statuses.append(0)
        except SourceError as err:
            errors.extend(err.report())
            statuses.append(2)
        return statuses[-1]

    stop = threading.Event()
    thread = threading.Thread(target=watch, args=([src], rebuild),
                              kwargs={"out_dir": out, "stop": stop, "debounce_ms": 100})
    thread.start()
    try:
        assert _wait(lambda: statuses == [0])          # the first build, at once
        time.sleep(0.5)                                # its outputs trigger nothing
        assert statuses == [0]
        epub = out / "watched.epub"
        first = epub.read_bytes()

        (src / "a.md").write_text("# A\n\nTwo.\n", encoding="utf-8")
        assert _wait(lambda: len(statuses) == 2)
        time.sleep(0.6)
        assert statuses == [0, 0]                      # exactly one rebuild
        assert epub.read_bytes() != first

        (src / "a.md").write_text("# A\n\nBroken[^x].\n", encoding="utf-8")
        assert _wait(lambda: len(statuses) == 3)
        assert statuses[-1] == 2 and any("W304" in e for e in errors)
        assert thread.is_alive()                       # the error did not end the watch

        (src / "a.md").write_text("# A\n\nFixed.\n", encoding="utf-8")
        assert _wait(lambda: len(statuses) == 4)
        assert statuses[-1] == 0
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_an_edit_saved_during_the_first_build_is_built_and_the_cache_triggers_nothing(
        make_source, tmp_path):
    """The watcher starts before the first build: CI once saved the edit just as the
    first build ended, before the watcher ran, and no second build ever came. Writes
    into a `.warraq-cache/` inside the source folder (an output folder inside it) are
    the build's own and start nothing."""
    src = make_source({"title": "Watched", "contents": ["a.md"]}, {"a.md": "# A\n\nOne.\n"})
    statuses: list[str] = []

    def rebuild() -> int:
        text = (src / "a.md").read_text(encoding="utf-8")
        statuses.append(text)
        if len(statuses) == 1:      # the author saves while the first build runs
            (src / "a.md").write_text("# A\n\nTwo.\n", encoding="utf-8")
            (src / ".warraq-cache").mkdir(exist_ok=True)
            time.sleep(0.5)
        else:                       # a later build writes into the cache: nothing follows
            (src / ".warraq-cache" / f"entry{len(statuses)}").write_bytes(b"x")
        return 0

    stop = threading.Event()
    thread = threading.Thread(target=watch, args=([src], rebuild),
                              kwargs={"stop": stop, "debounce_ms": 100})
    thread.start()
    try:
        assert _wait(lambda: len(statuses) == 2)
        assert "Two." in statuses[1]
        time.sleep(1.0)
        assert len(statuses) == 2       # exactly one rebuild, none from the cache
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
