"""What the window loads before its first paint: nothing of the label editor, the
statistics, the guidelines' Markdown, compare mode, suggestions, the find bar or
sqlite_utils (which brings NumPy)."""

from __future__ import annotations

import json

from ui_helpers import make_project, run_python

from annotator.core import check, schema

LATER = [
    "sqlite_utils",
    "numpy",
    "annotator.ui.label_editor",
    "annotator.ui.statistics_window",
    "annotator.ui.charts",
    "annotator.ui.guidelines_panel",
    "annotator.core.statistics",
    "annotator.ui.dialogs",
    "html",
    "annotator.ui.compare",
    "annotator.core.adjudication",
    "annotator.ui.suggestions",
    "annotator.core.suggest.live",
    "annotator.ui.find_bar",
]
# PySide6 makes a class (with all its enums) the first time it is named or an overload
# needs it; these serve only what comes later (icons, the find bar's highlights). It
# makes its fifty event classes (QMoveEvent among them) the first time Python code is
# handed a plain QEvent: nothing of ours is, before the first paint.
LATER_QT = [
    "PySide6.QtGui.QIcon",
    "PySide6.QtGui.QPixmap",
    "PySide6.QtGui.QTextCharFormat",
    "PySide6.QtGui.QMoveEvent",
]


def test_first_paint_loads_none_of_what_is_used_later(project_path):
    make_project(project_path, "Kim Jong Un met Putin.")
    script = (
        "import json, sys\n"
        "from annotator.app import application, create_window\n"
        "app = application()\n"
        f"window = create_window({str(project_path)!r})\n"
        "window.show()\n"
        "window.view.viewport().repaint()\n"  # the first paint, before the event loop runs
        f"print(json.dumps([name for name in {LATER!r} if name in sys.modules]"
        f" + [name for name in {LATER_QT!r}"
        " if name.rpartition('.')[2] in vars(sys.modules[name.rpartition('.')[0]])]))\n"
        "while not window.settled:\n"
        "    app.processEvents()\n"
        "print(json.dumps([name for name in ('annotator.ui.compare', 'annotator.ui.suggestions')"
        " if name in sys.modules]))\n"
        "window.tools.open_statistics()\n"
        "window.tools.open_label_editor()\n"
        "window.tools.toggle_guidelines()\n"
        "print(json.dumps([name for name in ('annotator.ui.charts',"
        " 'annotator.ui.guidelines_panel', 'annotator.ui.label_editor') if name in sys.modules]))\n"
    )
    done = run_python(script)
    assert done.returncode == 0, done.stderr
    before, settled, after = (json.loads(line) for line in done.stdout.splitlines()[-3:])
    assert before == []
    assert settled == ["annotator.ui.compare", "annotator.ui.suggestions"]  # once on screen
    assert after == [
        "annotator.ui.charts",
        "annotator.ui.guidelines_panel",
        "annotator.ui.label_editor",
    ]


def test_the_written_out_tables_are_those_the_migrations_build():
    assert check.CURRENT_VERSION == schema.SCHEMA_VERSION
    assert check.built_columns(schema.SCHEMA_VERSION) == check.CURRENT_COLUMNS


def test_a_second_start_on_the_same_project_writes_no_settings(qtbot, project_path):
    """A settings write makes Qt save and fsync the file from the event loop, before the
    first paint; a start that changes nothing must not wait for the disk."""
    import os
    from pathlib import Path

    from PySide6.QtWidgets import QApplication
    from ui_helpers import open_window

    make_project(project_path, "Kim Jong Un met Putin.")
    first = open_window(qtbot, project_path)
    first.set_zoom(2)
    first.close()
    ini = Path(os.environ["ANNOTATOR_CONFIG_DIR"]) / "annotator.ini"
    before = ini.stat().st_mtime_ns, ini.read_bytes()
    second = open_window(qtbot, project_path)
    for _ in range(3):
        QApplication.processEvents()
    assert second.zoom == 2
    assert (ini.stat().st_mtime_ns, ini.read_bytes()) == before
