"""The per-measurement wrapper process: `python -S spawn.py RESULT.json [--one-core]
[--cwd DIR] -- CMD...` spawns CMD, reaps it with `os.wait4` and writes to RESULT.json its
wall seconds, user + sys cpu seconds, peak RSS (MiB) and exit status. The usage is the
command's plus that of every descendant it waited for, as `getrusage(RUSAGE_CHILDREN)`
gives a process with one child.

Why a wrapper: Linux counts in a child's peak RSS the memory of the process it was
forked from, up to its `exec`; a command spawned straight from the benchmark (which has
read PDFs) would report the benchmark's size. This process imports almost nothing, so its
own few MiB are far below any command measured.
"""

import json
import os
import sys
import time


def _wrapper(argv: list[str]) -> int:
    result, rest = argv[0], argv[1:]
    split = rest.index("--")
    options, cmd = rest[:split], rest[split + 1:]
    if "--one-core" in options:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    if "--cwd" in options:
        os.chdir(options[options.index("--cwd") + 1])
    start = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    with open(result, "w", encoding="utf-8") as out:
        json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                   "rss_mib": usage.ru_maxrss / 1024,
                   "status": os.waitstatus_to_exitcode(status)}, out)
    return 0


if __name__ == "__main__":
    sys.exit(_wrapper(sys.argv[1:]))
