"""The publish journal (`.warraq-journal`): what a publish will do in the output folder,
committed to disk before it does it, so that a build killed half way is completed by the
next one (`roll_forward`, which every build runs first, under the folder's lock).

A journal is one line `warraq publish journal 1`, then one line per step in order
(`TEMP<TAB>NAME`: rename the temporary file onto the output; `-<TAB>NAME`: remove an
earlier output that failed its check), then `end`. It is written in place and flushed;
one without its `end` (a build killed while writing it) was never committed, and nothing
of it is done. Also here: the names a publish may use (`check_name`), its temporary files
(`TEMP_PREFIX`, `clean_stale_temps`) and "nothing was written" told apart from "some
outputs were replaced" (`partly_written`).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import SourceError, source_error

TEMP_PREFIX = ".warraq-tmp-"
JOURNAL = ".warraq-journal"
JOURNAL_HEAD, JOURNAL_END = "warraq publish journal 1", "end"
#: In place of a temporary file: the step removes the output instead.
REMOVE = "-"


def check_name(name: str) -> None:
    """An output's name is relative and stays in the output folder: `/`-separated parts,
    none empty, hidden (`.x`, so never a temporary file's) or holding a backslash."""
    parts = name.split("/")
    if any(not p or p.startswith(".") or "\\" in p or "\0" in p for p in parts):
        raise ValueError(f"output name {name!r} would leave the output folder")


def cannot_write(path: Path, exc: OSError) -> SourceError:
    reason = exc.strerror or str(exc)
    return source_error(str(path), None, "W500", f"cannot write here ({reason}): make the "
                        "folder writable, free some space, or choose another with --out")


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover  (some file systems cannot)
        pass
    finally:
        os.close(fd)


def commit(folder: Path, temps: dict[str, Path], removals: list[str] = ()) -> None:
    """Write the journal of these renames (in order) and removals, flushed to disk. On
    failure nothing is committed and the temporary files are removed."""
    # each temporary file is in its output's folder (`folder` may be relative, it absolute)
    lines = [f"{(Path(name).parent / tmp.name).as_posix()}\t{name}"
             for name, tmp in temps.items()]
    lines += [f"{REMOVE}\t{name}" for name in removals]
    data = ("\n".join([JOURNAL_HEAD, *lines, JOURNAL_END]) + "\n").encode()
    try:
        with open(folder / JOURNAL, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        fsync_dir(folder)
    except OSError as exc:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        (folder / JOURNAL).unlink(missing_ok=True)
        raise cannot_write(folder / JOURNAL, exc) from None


def apply(folder: Path, temps: dict[str, Path], removals: list[str] = ()) -> list[Path]:
    """Do what the journal says (the renames, the checksum file's last, then the
    removals), then drop it. Returns the paths written."""
    written, name = [], ""
    try:
        for name, tmp in temps.items():
            os.replace(tmp, folder / name)
            written.append(folder / name)
        for name in removals:
            (folder / name).unlink(missing_ok=True)
        for parent in dict.fromkeys((folder / n).parent for n in [*temps, *removals]):
            fsync_dir(parent)
        os.unlink(folder / JOURNAL)
        fsync_dir(folder)
    except OSError as exc:
        err = cannot_write(folder / name, exc)
        err.partly_written = True
        raise err from None
    except BaseException as exc:              # interrupted: say the set is not whole yet
        exc.partly_written = True
        raise
    return written


def read(folder: Path) -> list[tuple[Path | None, Path]] | None:
    """The steps of a committed journal ((temporary file, output), the file None for a
    removal), or None when it is torn or names anything outside the folder (then nothing
    of it is done)."""
    try:
        lines = (folder / JOURNAL).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if len(lines) < 2 or lines[0] != JOURNAL_HEAD or lines[-1] != JOURNAL_END:
        return None
    steps: list[tuple[Path | None, Path]] = []
    for line in lines[1:-1]:
        tmp, _, name = line.partition("\t")
        try:
            check_name(name)
        except ValueError:
            return None
        if tmp == REMOVE:
            steps.append((None, folder / name))
            continue
        if not Path(tmp).name.startswith(TEMP_PREFIX) or Path(tmp).parent != Path(name).parent:
            return None
        steps.append((folder / tmp, folder / name))
    return steps


def roll_forward(folder: Path) -> None:
    """With the folder's lock held: complete a committed journal (the steps not done
    yet), drop a torn one; then remove every temporary file left."""
    journal = folder / JOURNAL
    if journal.exists():
        steps = read(folder) or []
        try:
            for tmp, target in steps:
                if tmp is None:
                    target.unlink(missing_ok=True)
                elif tmp.exists():
                    os.replace(tmp, target)
            for parent in dict.fromkeys(target.parent for _, target in steps):
                fsync_dir(parent)
            journal.unlink()
            fsync_dir(folder)
        except OSError as exc:
            raise source_error(str(journal), None, "W500", "an interrupted build left its "
                               f"outputs half replaced and they cannot be completed "
                               f"({exc.strerror or exc}): fix the folder, or delete it and "
                               "build again") from None
    clean_stale_temps(folder)


def clean_stale_temps(folder: Path) -> None:
    """Remove temporary files an interrupted build left behind."""
    if folder.is_dir():
        for stale in folder.rglob(TEMP_PREFIX + "*"):
            try:
                stale.unlink()
            except OSError:
                pass


def partly_written(exc: BaseException) -> bool:
    """True when `exc` stopped a build after some outputs had been replaced (the journal
    it left lets the next build complete the set): "nothing was written" would be false."""
    return bool(getattr(exc, "partly_written", False))
