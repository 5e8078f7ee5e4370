"""One measurement: run a command in a fresh process, return its wall time, cpu time and
peak memory.

`run` starts a small wrapper process (benchmarks/spawn.py) that spawns the command and
reports its wall time, user + sys cpu time and peak RSS, each for the command and every
descendant it waited for (Pandoc's WeasyPrint, for example).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SPAWN = Path(__file__).resolve().parent / "spawn.py"


@dataclass
class Sample:
    """What one run cost: seconds of wall and cpu time, peak RSS in MiB, the command's
    standard output (the floor prints its in-process timings there)."""

    wall: float
    cpu: float
    rss_mib: float
    stdout: str = ""


class CommandFailed(RuntimeError):
    """The measured command exited with a non-zero status."""


def run(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None,
        one_core: bool = False, log: Path | None = None) -> Sample:
    """Run `cmd` once, through the wrapper, and measure it. `one_core` pins it (and so its
    descendants) to one core. Standard error goes to `log` (else is discarded); a
    failure raises `CommandFailed` with the end of that log."""
    log = log or Path(os.devnull)
    options = (["--one-core"] if one_core else []) + (["--cwd", str(cwd)] if cwd else [])
    with tempfile.TemporaryDirectory() as tmp, open(log, "wb") as err, \
            tempfile.TemporaryFile() as out:
        result = Path(tmp) / "result.json"
        subprocess.run([sys.executable, "-S", str(SPAWN), str(result), *options, "--",
                        *map(str, cmd)], env=env, stdin=subprocess.DEVNULL, stdout=out,
                       stderr=err, check=True)
        cost = json.loads(result.read_text("utf-8"))
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
    if cost["status"] != 0:
        tail = "" if log == Path(os.devnull) else log.read_text("utf-8", "replace")[-2000:]
        last = next((line for line in reversed(tail.splitlines()) if line.strip()), "")
        raise CommandFailed(f"exit {cost['status']}: {last}\n{' '.join(map(str, cmd))}\n"
                            f"{tail}")
    return Sample(wall=cost["wall"], cpu=cost["cpu"], rss_mib=cost["rss_mib"], stdout=stdout)
