"""`python -m tests.perf.peak_rss OUT benchmark-args...`: run the `benchmark` command line in
this process and write its peak RSS in MiB (VmHWM) to OUT when it exits.

Why not `ru_maxrss` from wait4: on Linux, exec keeps the high-water mark of the image it
replaces (`exec_mmap` → `setmax_mm_hiwater_rss`), and a child forked from the benchmark's
own process starts as a copy of it, so the child's `ru_maxrss` is at least the benchmark
process's RSS at the fork (238 MiB for a 135-city export that peaks at ~125 MiB). VmHWM is
the high-water mark of this process's own memory since exec.
"""

from __future__ import annotations

import atexit
import sys
from pathlib import Path


def peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


if __name__ == "__main__":
    out = Path(sys.argv[1])
    atexit.register(lambda: out.write_text(f"{peak_mib():.1f}\n"))
    sys.argv = ["benchmark", *sys.argv[2:]]
    from benchmark.cli import main

    main()
