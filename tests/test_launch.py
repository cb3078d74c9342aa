"""``annotator`` straight to the window, and the collector paused until it is painted."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from ui_helpers import make_project, run_python

from annotator import app, launch


def _launched(project_path: Path, then: str) -> str:
    """A script that starts the window as ``annotator PROJECT`` does, waits until it
    has settled (``paused``: whether the collector was off meanwhile), then runs ``then``."""
    return (
        "import gc, json\n"
        "from annotator.launch import show_window\n"
        f"window = show_window({str(project_path)!r})\n"
        "paused = not gc.isenabled()\n"
        "from PySide6.QtWidgets import QApplication\n"
        "while not window.settled:\n"
        "    QApplication.processEvents()\n" + then
    )


def test_only_a_request_for_the_window_skips_the_command_line():
    assert launch.window_project([]) == ""
    assert launch.window_project(["study.annotator"]) == "study.annotator"
    assert launch.window_project(["open", "study.annotator"]) is None
    assert launch.window_project(["export", "study.annotator"]) is None
    assert launch.window_project(["--version"]) is None
    assert launch.window_project(["-x.annotator"]) is None
    assert launch.window_project(["notes.txt"]) is None  # the command line says what is wrong


def test_the_collector_waits_for_the_first_paint_then_runs_without_the_start_up_objects(
    project_path,
):
    make_project(project_path, "Kim Jong Un met Putin.")
    script = _launched(
        project_path, "print(json.dumps([paused, gc.isenabled(), gc.get_freeze_count()]))\n"
    )
    done = run_python(script)
    assert done.returncode == 0, done.stderr
    paused, running, frozen = json.loads(done.stdout.splitlines()[-1])
    assert paused and running
    assert frozen > 10_000  # the modules, classes and window, out of the collector's way


def test_a_window_that_cannot_be_made_leaves_the_collector_running(monkeypatch, qapp):
    def broken(project_path: object) -> None:
        raise RuntimeError("no window")

    monkeypatch.setattr(app, "create_window", broken)
    assert gc.isenabled()
    with pytest.raises(RuntimeError, match="no window"):
        launch.show_window("nowhere.annotator")
    assert gc.isenabled()


def test_pyside_reads_no_source_file_of_ours_as_the_window_starts_and_features_still_work(
    project_path,
):
    """PySide6 reads (into linecache) the source of each module imported after it, to
    look for ``from __feature__ import``; the start tells it up front instead."""
    make_project(project_path, "Kim Jong Un met Putin.")
    script = _launched(
        project_path,
        "import linecache\n"
        "print(json.dumps(sorted(name for name in linecache.cache if 'annotator' in name)))\n"
        "from __feature__ import snake_case\n"
        "from PySide6.QtWidgets import QLabel\n"
        "print(json.dumps(hasattr(QLabel('x'), 'set_text')))\n",
    )
    done = run_python(script)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line[:1] in "[tf"]
    assert lines[0] == []
    assert done.returncode == 0, done.stderr
    assert lines[1] is True  # a module that asks for snake_case still gets it
