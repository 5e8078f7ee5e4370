"""WeasyPrint imported without its slow search for libraries.

WeasyPrint's FFI (`weasyprint.text.ffi`) opens each of its libraries (GObject, Pango,
HarfBuzz, fontconfig, ...) by trying several names in turn, and cffi hands every name
that does not open as it is to `ctypes.util.find_library`, which on Linux runs
`ldconfig -p`, then the C compiler, then `ld`, for each one: 22 names, about 0.2 s of
every process that prints (a third of importing WeasyPrint). While WeasyPrint is
imported here, `find_library` answers from one `ldconfig -p` listing (the first of
ctypes' own ways to look, with its filter for this machine's kind of library); the
names WeasyPrint tries include each library's own file name (`libpango-1.0.so.0`),
which opens without any search. The function is put back as soon as the import ends.

Every module of `warraq.pdf` that imports WeasyPrint imports this module first.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import struct
import subprocess
import sys
import threading

_LOCK = threading.Lock()
#: ctypes' names for this machine's kind of library in `ldconfig -p` (`ctypes.util`)
_ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}


def _listing() -> bytes:
    try:
        return subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL,
                              capture_output=True, env={"LC_ALL": "C", "LANG": "C"},
                              timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return b""


def listed(listing: bytes):
    """`find_library` answering from an `ldconfig -p` listing, as ctypes' first way."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = re.escape(_ABI.get(machine, "libc6")).encode()

    def find_library(name: str) -> str | None:
        found = re.search(rb"\s+(lib" + re.escape(os.fsencode(name)) + rb"\.[^\s]+)\s+\("
                          + abi, listing)
        return os.fsdecode(found.group(1)) if found else None
    return find_library


def load() -> None:
    """Import WeasyPrint (once), `find_library` answering from one listing meanwhile."""
    if "weasyprint.text.ffi" in sys.modules or not sys.platform.startswith("linux"):
        return
    with _LOCK:
        if "weasyprint.text.ffi" in sys.modules:
            return
        real = ctypes.util.find_library
        ctypes.util.find_library = listed(_listing())
        try:
            import weasyprint.text.ffi  # noqa: F401
        finally:
            ctypes.util.find_library = real


load()
