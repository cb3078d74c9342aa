"""The window's longest pause while the first backup of a large project is taken.

    python benchmarks/bench_backup_pause.py                 # a 1 GiB project
    python benchmarks/bench_backup_pause.py --size-mb 200   # quicker

Makes a project of the size asked for (documents of random text written
straight into the file, then opened once so that the window's open skips the
quick check), opens the window on it offscreen and measures, with a 1 ms timer,
the longest gap between two turns of the event loop while the backup taken on
open runs (on its worker thread). Then, for comparison, the same copy taken the
way it was before: on the window's thread.

Prints one JSON object: sizes, the backup's duration, and the longest pause
each way. Time is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROW_CHARS = 100_000  # one document: 100,000 characters of hex in short words and lines


def make_project(path: Path, size_mb: int) -> None:
    from annotator.core import Project

    Project.create(path).close()
    conn = sqlite3.connect(path)
    rows = max(1, size_mb * 2**20 // ROW_CHARS)
    with conn:
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            " INSERT INTO documents (name, text, meta, status, hash, position, created, updated)"
            " SELECT 'doc ' || i, replace(replace(hex(randomblob(?)), 'A', ' '), 'B', char(10)),"
            " '{}', 'todo', hex(randomblob(16)), i,"
            " '2026-01-01', '2026-01-01' FROM n",
            (rows, ROW_CHARS // 2),
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    Project.open(path).close()  # checked once here, so the window's open skips the check


class PauseMeter:
    """The longest gap between two ticks of a 1 ms timer: how long the loop stalled."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.longest, self.last = 0.0, time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.longest


def spin_until(app: object, done: object, limit: float = 600.0) -> None:
    end = time.perf_counter() + limit
    while not done() and time.perf_counter() < end:  # type: ignore[operator]
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.0005)


def measure(path: Path) -> dict[str, float]:
    from annotator.app import application, create_window
    from annotator.core.backup import Backups

    app = application()
    meter = PauseMeter()
    meter.start()
    began = time.perf_counter()
    window = create_window(path)
    window.show()
    spin_until(app, lambda: window.backups is not None)
    opened = time.perf_counter()
    meter.start()  # the open is another figure: count from the backup's start
    store = window.backups
    assert store is not None and store._worker is not None, "no backup was started on open"
    spin_until(app, lambda: not store._worker.is_alive())  # type: ignore[union-attr]
    backup_seconds = time.perf_counter() - opened
    worker_pause = meter.stop()
    window.close()
    # Before: the same copy on the window's thread, as a timer callback would make it.
    project = window.project
    old_store = Backups(path)
    meter.start()
    from PySide6.QtCore import QTimer

    finished: list[float] = []

    def copy_on_the_window_thread() -> None:
        start = time.perf_counter()
        if project is not None:
            old_store.take(project)
        else:
            old_store.take(path)
        finished.append(time.perf_counter() - start)

    QTimer.singleShot(0, copy_on_the_window_thread)
    spin_until(app, lambda: bool(finished))
    spin_until(app, lambda: False, limit=0.05)
    thread_pause = meter.stop()
    return {
        "open_seconds": round(opened - began, 3),
        "backup_seconds_worker": round(backup_seconds, 3),
        "longest_pause_ms_worker": round(worker_pause * 1000, 1),
        "backup_seconds_window_thread": round(finished[0], 3),
        "longest_pause_ms_window_thread": round(thread_pause * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="annotator-bench-backup-"))
    os.environ["ANNOTATOR_DATA_DIR"] = str(workdir / "data")
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(workdir / "config")
    try:
        path = workdir / "large.annotator"
        if not path.exists():
            began = time.perf_counter()
            make_project(path, args.size_mb)
            print(f"made {path} in {time.perf_counter() - began:.1f} s", file=sys.stderr)
        figures = {"project_mb": round(path.stat().st_size / 2**20), **measure(path)}
        print(json.dumps(figures))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
