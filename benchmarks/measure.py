"""One measurement: run a command in a fresh process, return its wall time, cpu time and
peak memory.

The child is started with `subprocess.Popen` and reaped with `os.wait4`, whose resource
usage is the child's own plus that of every descendant it waited for (Pandoc's WeasyPrint,
for example): user + sys cpu time, and `ru_maxrss`, the peak resident set of the largest
process of that tree. That is what `getrusage(RUSAGE_CHILDREN)` gives a wrapper process
with one child, without the wrapper.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Sample:
    """What one run cost: seconds of wall and cpu time, peak RSS in MiB, the child's
    standard output (the floor prints its in-process timings there)."""

    wall: float
    cpu: float
    rss_mib: float
    stdout: str = ""


class CommandFailed(RuntimeError):
    """The measured command exited with a non-zero status."""


def _one_core() -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def run(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None,
        one_core: bool = False, log: Path | None = None) -> Sample:
    """Run `cmd` once and measure it. `one_core` pins the child (and so its descendants)
    to a single core. Standard error goes to `log` (else is discarded); a failure raises
    `CommandFailed` with the end of that log."""
    log = log or Path(os.devnull)
    with open(log, "wb") as err, tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                 stdout=out, stderr=err,
                                 preexec_fn=_one_core if one_core else None)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
    if child.returncode != 0:
        tail = "" if log == Path(os.devnull) else log.read_text("utf-8", "replace")[-2000:]
        last = next((line for line in reversed(tail.splitlines()) if line.strip()), "")
        raise CommandFailed(f"exit {child.returncode}: {last}\n{' '.join(map(str, cmd))}\n"
                            f"{tail}")
    return Sample(wall=wall, cpu=usage.ru_utime + usage.ru_stime,
                  rss_mib=usage.ru_maxrss / 1024, stdout=stdout)
