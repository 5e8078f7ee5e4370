"""Writing outputs: atomically (temporary file, then rename) and reproducibly (zip).

`write_atomic` never leaves a half-written file where a good one was: the bytes go to a
temporary file in the same folder, are flushed to disk, and replace the target in one
rename. `deterministic_zip` repacks an EPUB so that the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path

TEMP_PREFIX = ".warraq-tmp-"


def write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def clean_stale_temps(folder: Path) -> None:
    """Remove temporary files an interrupted build left behind."""
    if folder.is_dir():
        for stale in folder.glob(TEMP_PREFIX + "*"):
            try:
                stale.unlink()
            except OSError:
                pass


def deterministic_zip(data: bytes, when: dt.datetime, edit=None) -> bytes:
    """The same zip with fixed timestamps and attributes; `mimetype` first and stored.

    `edit(name, content) -> content` may rewrite an entry on the way.
    """
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc))
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
