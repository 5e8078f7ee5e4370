"""Writing outputs: checked, atomic, one build at a time; and reproducible zips.

`publish` is the only code that writes into the output folder, and it writes nowhere
else. For each output it
1. checks the bytes in memory (an EPUB is a sound zip with `mimetype` first, a PDF has
   its header and trailer, the checksum file lists every output),
2. writes them to a temporary file (`.warraq-tmp-*`) in the output folder itself, flushes
   it to disk and reads it back (the same SHA-256, or the write is refused: W501),
3. checks that no folder stands where an output goes (all of them, before any rename),
4. commits a journal (`warraq.journal`: the renames to do, in order, flushed to disk),
5. renames them into place, the checksum file last, and removes the journal.
A failed build never leaves a torn file where a good one was. A build killed before the
journal is complete leaves the previous outputs (and temporary files, removed next time);
one killed between the renames leaves the journal, and the next build (`recover`, the
first thing `pipeline.build` does) completes the renames before anything else, so the
set and its `.sha256` agree again. "Nothing was written" is said only when it is true
(`partly_written` tells the other case).

The checksum file lists exactly the book's outputs in the folder: a build of fewer
formats or profiles than the last keeps the earlier outputs it did not rebuild (those
the previous checksum file listed), reads them back, checks them like its own and lists
them with their sums. An earlier output that fails its check (a torn file) is removed,
as a step of the journal after the new checksum file is in place, so at no instant does a
checksum file list a file that is not there.

Two builds of the same book into the same folder may run at once: each renders in memory
on its own, but the writing (steps 2-3, and the removal of temporary files an interrupted
build left behind) happens under an exclusive `flock` on the output folder itself, so the
outputs and the `.sha256` next to them always come from one and the same build. The lock
is the kernel's, so a killed build cannot leave a stale one behind.

Every failure to write (a folder that cannot be made or written, a full disk) is a
`SourceError` W500 naming the path and what to change, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import os
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from .errors import source_error
from .journal import (JOURNAL, TEMP_PREFIX, apply, cannot_write as _cannot_write,
                      check_name as _check_name, clean_stale_temps, commit,
                      partly_written, roll_forward)

__all__ = ["JOURNAL", "TEMP_PREFIX", "check_output", "checksums", "clean_stale_temps",
           "deterministic_zip", "listed", "partly_written", "publish", "recover"]

try:  # POSIX; elsewhere builds into one folder are not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

class OutputCheckError(ValueError):
    """The bytes of an output are not what their kind requires."""


def check_output(name: str, data: bytes) -> None:
    """Raise `OutputCheckError` unless `data` is a sound file of the kind `name` says."""
    if name.endswith(".epub"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = zf.infolist()
                if not infos or infos[0].filename != "mimetype" or (
                        infos[0].compress_type != zipfile.ZIP_STORED):
                    raise OutputCheckError("the EPUB does not start with a stored `mimetype`")
                if zf.read("mimetype") != b"application/epub+zip":
                    raise OutputCheckError("the EPUB's `mimetype` is wrong")
                bad = zf.testzip()
                if bad is not None:
                    raise OutputCheckError(f"the EPUB entry {bad} is corrupt")
                if "META-INF/container.xml" not in zf.namelist():
                    raise OutputCheckError("the EPUB has no META-INF/container.xml")
        except zipfile.BadZipFile as exc:
            raise OutputCheckError(f"the EPUB is not a zip file ({exc})") from None
    elif name.endswith(".pdf"):
        if not data.startswith(b"%PDF-") or not data.rstrip().endswith(b"%%EOF"):
            raise OutputCheckError("the PDF lacks its header or its %%EOF trailer")
        if b"startxref" not in data[-1024:]:
            raise OutputCheckError("the PDF has no cross-reference offset")


def checksums(outputs: dict[str, bytes]) -> bytes:
    """`sha256sum`-compatible lines for the outputs."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                   for name, data in sorted(outputs.items())).encode()


@contextmanager
def _locked(folder: Path):
    """Hold an exclusive lock on `folder` (an flock on the directory itself)."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)          # closing the descriptor releases the lock


def _write_temp(folder: Path, name: str, data: bytes) -> Path:
    """`data` in a new temporary file of `folder`, flushed to disk and read back."""
    target = folder / name
    if target.parent != folder:             # a file in a sub-folder: inside `folder` only
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.resolve().is_relative_to(folder.resolve()):
            raise OSError(errno.EXDEV, "a sub-folder of the output folder leads outside it")
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix="-" + target.name,
                               dir=target.parent)
    path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(path, 0o644)
        if hashlib.sha256(path.read_bytes()).digest() != hashlib.sha256(data).digest():
            raise OutputCheckError("the file on disk differs from what was written")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _check_targets(folder: Path, names) -> None:
    """Every output can go where it goes: no folder (or file) stands in its way. Checked
    for all of them before anything is written, so a refusal is always whole."""
    for name in names:
        target = folder / name
        if target.is_dir() and not target.is_symlink():
            raise source_error(str(target), None, "W500", "a folder stands where this output "
                               "goes: remove it or choose another folder with --out; nothing "
                               "was written")
        for parent in target.parents:
            if parent == folder:
                break
            if parent.exists() and not parent.is_dir():
                raise source_error(str(parent), None, "W500", "a file stands where a folder "
                                   "of outputs goes: remove it or choose another folder with "
                                   "--out; nothing was written")


def publish(folder: Path, outputs: dict[str, bytes], sums_name: str | None = None,
            notes: list[str] | None = None) -> list[Path]:
    """Check and write every output atomically, then `sums_name` (their SHA-256 sums).

    The checksum file lists exactly the book's outputs in `folder`: the new ones, and
    those the previous `sums_name` listed that this build did not rebuild (another
    format or profile): these are left in place, read back under the lock, checked like
    new outputs and listed with their sums. One that fails its check (a torn file) is
    removed, with a line in `notes`; one that is gone is no longer listed.

    Returns the paths written, in order. Raises `SourceError` (W500 cannot write, W501
    failed its check); then nothing in `folder` has changed but stale temporary files,
    unless the error says otherwise (`partly_written`: the renames themselves failed, and
    the journal left behind lets the next build complete them).
    """
    for name, data in outputs.items():
        _check_new(folder, name, data)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    if not folder.is_dir():
        raise source_error(str(folder), None, "W500", "the output folder is a file: choose "
                           "another with --out")
    with _locked(folder):
        roll_forward(folder)
        files, torn = dict(outputs), []
        if sums_name:
            _check_name(sums_name)
            kept = _kept(folder, [n for n in listed(folder / sums_name) if n not in outputs
                                  and n != sums_name], torn, notes)
            files[sums_name] = checksums({**outputs, **kept})
        _check_targets(folder, files)
        temps = _write_temps(folder, files)
        commit(folder, temps, torn)
        return apply(folder, temps, torn)


def _write_temps(folder: Path, files: dict[str, bytes]) -> dict[str, Path]:
    """Every file in a temporary file of its folder; on failure none is left."""
    temps: dict[str, Path] = {}
    name = ""
    try:
        for name, data in files.items():
            temps[name] = _write_temp(folder, name, data)
    except OSError as exc:
        raise _cannot_write(folder / name, exc) from None
    except OutputCheckError as exc:
        raise source_error(str(folder / name), None, "W501", f"{exc}: check the disk; "
                           "nothing was written") from None
    finally:
        if len(temps) < len(files):
            for tmp in temps.values():
                tmp.unlink(missing_ok=True)
    return temps


def recover(folder: str | Path) -> None:
    """Complete a publish that was interrupted between its first and last step (its
    journal is still there), and remove stale temporary files. Every build calls this
    first, so the outputs and the `.sha256` agree again before anything else happens."""
    folder = Path(folder)
    if folder.is_dir():
        with _locked(folder):
            roll_forward(folder)


def _check_new(folder: Path, name: str, data: bytes) -> None:
    _check_name(name)
    try:
        check_output(name, data)
    except OutputCheckError as exc:
        raise source_error(str(folder / name), None, "W501", f"{exc}; nothing was "
                           "written (this is a bug in warraq: please report it)") from None


def listed(sums: Path) -> list[str]:
    """The names a checksum file lists (`sha256sum` lines), those that are sound names of
    outputs; none when it is missing or unreadable."""
    try:
        lines = sums.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    names = []
    for line in lines:
        digest, sep, name = line.partition("  ")
        try:
            _check_name(name)
        except ValueError:
            continue
        if sep and len(digest) == 64 and name not in names:
            names.append(name)
    return names


def _kept(folder: Path, names: list[str], torn: list[str],
          notes: list[str] | None) -> dict[str, bytes]:
    """The earlier outputs named `names` still in `folder` (regular files inside it, not
    symlinks), checked; a torn one is not listed but added to `torn`, which the publish
    removes once the new checksum file is in place."""
    kept: dict[str, bytes] = {}
    root = folder.resolve()
    for name in names:
        path = folder / name
        if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(root):
            continue
        try:
            data = path.read_bytes()
            check_output(name, data)
        except (OSError, OutputCheckError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            torn.append(name)
            if notes is not None:
                notes.append(f"{path}: removed an earlier output that failed its check "
                             f"({reason})")
            continue
        kept[name] = data
    return kept


def deterministic_zip(data: bytes, when: dt.datetime, edit=None) -> bytes:
    """The same zip with fixed timestamps and attributes; `mimetype` first and stored.

    `edit(name, content) -> content` may rewrite an entry on the way.
    """
    # A zip's timestamps run from 1980 to 2107 only: a date outside is set at the edge.
    stamp = min(max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)),
                dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.timezone.utc))
    date_time = stamp.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        order = ["mimetype"] + [n for n in names if n != "mimetype"]
        for name in order:
            content = src.read(name)
            if edit is not None:
                content = edit(name, content)
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                dst.writestr(info, content)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(info, content, compresslevel=9)
    return out.getvalue()
