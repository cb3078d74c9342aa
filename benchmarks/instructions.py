"""Figure 6 counted in instructions instead of milliseconds.

    python benchmarks/instructions.py

Start-up times on a shared machine move by a quarter from one minute to the next;
instruction counts do not move at all. This runs figure 6's two workers (ours,
``annotator PROJECT`` through ``annotator.launch``, and the bare QPlainTextEdit) once
each under valgrind's callgrind and prints the instructions each executes, from
nothing to its first paint, and their ratio. It needs valgrind (not installed with
annotator) and takes about half a minute. What it leaves out: the kernel's work (page
faults, reading files), which the milliseconds of figure 6 include.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from bench_window import SAMPLE_TEXT, make_sample_project  # noqa: E402
from common import Settings, worker_env  # noqa: E402


def _until_paint(worker: str, path: str) -> list[str]:
    """A fresh interpreter running figure 6's ``worker`` and ending at its first paint
    (Qt's teardown at exit is no part of starting)."""
    code = (
        f"import os, sys; sys.path[:0] = [{str(HERE)!r}]\n"
        "import bench_window\n"
        f"bench_window.{worker}({path!r})\n"
        "os._exit(0)\n"
    )
    return [sys.executable, "-c", code]


def instructions(env: dict[str, str], command: list[str]) -> int:
    """Instructions ``command`` executes, counted by callgrind."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"callgrind failed:\n{done.stderr[-3000:]}")
    return int(found.group(1))


def main() -> None:
    if shutil.which("valgrind") is None:
        sys.exit("instructions.py: valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory(prefix="annotator-instructions-") as folder:
        workdir = Path(folder)
        settings = Settings(workdir=workdir, quick=False, scale=1, repeats=1, verbose=False)
        sample = make_sample_project(settings)
        home = workdir / "home"
        env = worker_env(
            {
                "ANNOTATOR_CONFIG_DIR": str(home / "config"),
                "ANNOTATOR_DATA_DIR": str(home / "data"),
                "ANNOTATOR_NAME": "bench",
                "PYTHONPYCACHEPREFIX": str(workdir / "pycache"),
                "PYTHONHASHSEED": "0",
            }
        )
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        ours_run = _until_paint("startup_ours", str(sample))
        base_run = _until_paint("startup_base", str(SAMPLE_TEXT))
        for command in (ours_run, base_run):  # bytecode written, settings made: a 2nd start
            subprocess.run(command, env=env, capture_output=True, check=True)
        ours, base = instructions(env, ours_run), instructions(env, base_run)
    print(f"ours: {ours / 1e6:,.1f} M instructions")
    print(f"bare: {base / 1e6:,.1f} M instructions")
    print(f"ratio: {ours / base:.3f}")


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
