"""What every benchmark shares: the settings of a run, a row of the table, workers.

A worker is one function of a benchmark module run in a fresh interpreter
(``python benchmarks/bench_x.py NAME ARGS...``); it prints one JSON object as
its last line. Memory figures come from workers, so each counts only itself.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass
class Settings:
    """One run: ``scale`` multiplies the full sizes, ``repeats`` runs of each figure."""

    workdir: Path
    quick: bool = False
    scale: float = 1.0
    repeats: int = 5
    seed: int = 20240912
    verbose: bool = False
    shared: dict[str, Any] = field(default_factory=dict)  # what one group leaves for the next

    def size(self, full: int, quick: int) -> int:
        return quick if self.quick else max(1, int(full * self.scale))

    def at_least(self, runs: int) -> int:
        """Runs of a cheap figure: more than ``repeats`` for a steadier median, one when quick."""
        return 1 if self.quick else max(runs, self.repeats)

    def log(self, message: str) -> None:
        if self.verbose:
            print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Row:
    """One line of the table. ``ratio`` is ours / baseline, of the unit shown."""

    figure: str
    ours: str
    baseline: str
    ratio: float | None
    target: str
    met: bool | None
    notes: list[str] = field(default_factory=list)


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra or {})
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), str(HERE), *filter(None, [env.get("PYTHONPATH")])]
    )
    return env


def run_worker(
    script: Path,
    name: str,
    *args: Any,
    timeout: float = 1800,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run ``name`` of ``script`` in a fresh interpreter; its last printed line, parsed."""
    command = [sys.executable, str(script), name, *map(str, args)]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=worker_env(env), cwd=ROOT
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"worker {script.name} {name} failed ({done.returncode}):\n{done.stderr[-4000:]}"
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"worker {script.name} {name} printed nothing:\n{done.stderr[-4000:]}")
    return json.loads(lines[-1])


def worker_main(functions: dict[str, Callable[..., dict[str, Any]]]) -> None:
    """The ``__main__`` of a benchmark module: run the named worker, print its result."""
    name, *args = sys.argv[1:]
    result = functions[name](*args)
    result.setdefault("rss_mb", peak_rss_mb())
    print(json.dumps(result), flush=True)


def interleave(repeats: int, *steps: Callable[[], Any]) -> list[list[Any]]:
    """Run the steps in turn, ``repeats`` times over: ours and the baseline see the same machine."""
    results: list[list[Any]] = [[] for _ in steps]
    for _ in range(repeats):
        for i, step in enumerate(steps):
            results[i].append(step())
    return results


def timed(function: Callable[[], Any]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def fmt_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"
