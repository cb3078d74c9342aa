"""Find in the article (Ctrl+F), search the project (Ctrl+Shift+F) and `annotator search`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import orjson
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import make_project, open_window, stored

from annotator.core import Project

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_find_bar_marks_every_hit_moves_and_tags_all_as_one_step(qtbot, sample_project):
    path = sample_project.path
    sample_project.close()
    window = open_window(qtbot, path)
    view, bar = window.view, window.find_bar
    text = view.text
    expected = [(m.start(), m.end()) for m in re.finditer("(?i)kim jong un", text)]
    assert len(expected) == 6
    qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "kim jong un")
    assert bar.count.text() == f"1 of {len(expected)}"
    assert len(view.extraSelections()) == len(expected)  # every hit marked
    assert view.selection() == expected[0]
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.count.text() == f"3 of {len(expected)}"
    assert view.selection() == expected[2]
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)
    assert bar.count.text() == f"2 of {len(expected)}"
    assert view.selection() == expected[1]

    # Tag all as PERSON: Ctrl+T, then the label's key.
    qtbot.keyClick(bar.field, Qt.Key.Key_T, CTRL)
    assert "press a label's key" in bar.count.text()
    qtbot.keyClick(bar.field, "p")
    assert stored(window) == [("PERSON", text[s:e], s, e) for s, e in expected]
    assert window.statusBar().currentMessage() == f"Tagged {len(expected)} as PERSON"
    assert bar.field.text() == "kim jong un"  # nothing typed into the field

    # One undoable step: Esc closes the bar, Ctrl+Z takes every hit's span away.
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and view.hasFocus()
    assert view.extraSelections() == []
    assert window.edits.undo_action.text() == "Undo add PERSON 6 × 'Kim Jong Un'"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(window) == []
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert len(stored(window)) == len(expected)


def test_find_bar_tags_only_hits_not_yet_tagged_and_says_so(qtbot, project_path):
    text = "Putin met Kim. Later Putin left, and putin was gone."
    window = open_window(qtbot, make_project(project_path, text))
    view, bar = window.view, window.find_bar
    window.select_range(0, 5)
    qtbot.keyClick(view, "p")
    window.select_range(0, 5)  # a selection becomes the query
    qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
    assert bar.field.text() == "Putin"
    assert bar.count.text() == "1 of 3"
    qtbot.mouseClick(bar.tag_button, Qt.MouseButton.LeftButton)  # "Tag all as…"
    assert bar.field.hasFocus()
    qtbot.keyClick(bar.field, "1")
    assert [s[:2] for s in stored(window)] == [
        ("PERSON", "Putin"),
        ("PERSON", "Putin"),
        ("PERSON", "putin"),
    ]
    assert window.statusBar().currentMessage() == "Tagged 2 as PERSON (1 already tagged)"
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert [s[:2] for s in stored(window)] == [("PERSON", "Putin")]


def search_project_file(tmp_path: Path) -> Path:
    path = tmp_path / "news.annotator"
    with Project.create(path) as project:
        first = project.add_document("Kim met Putin in Moscow.", name="moscow")
        text = "Talks went on.\nPutin spoke. Putin left."
        second = project.add_document(text, name="talks", status="done")
        project.add_document("Nothing to see here.", name="quiet")
        assert first is not None and second is not None
        project.add_span(first.id, 8, 13, "PERSON")
    return path


def test_project_search_filters_and_opens_the_document_at_the_hit(qtbot, tmp_path):
    window = open_window(qtbot, search_project_file(tmp_path))
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL | SHIFT)
    search = window.project_search
    assert search.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is search)
    qtbot.keyClicks(search.query, "putin")
    model = search.model
    rows = [[model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())]
    assert rows == [
        ["moscow", "○ todo", "Kim met »Putin« in Moscow."],
        ["talks", "✓ done", "»Putin« spoke. Putin left."],
    ]
    assert search.message.text() == "2 documents"
    # Where Putin is not yet tagged PERSON: only "talks".
    search.not_tagged.setCurrentIndex(search.not_tagged.findData("PERSON"))
    assert [hit.name for hit in model.hits] == ["talks"]
    search.not_tagged.setCurrentIndex(0)
    search.status.setCurrentIndex(search.status.findData("todo"))
    assert [hit.name for hit in model.hits] == ["moscow"]
    search.status.setCurrentIndex(0)
    # Down to the results, Down to the second, Enter opens it with the hit selected.
    qtbot.keyClick(search.query, Qt.Key.Key_Down)
    qtbot.keyClick(search.table, Qt.Key.Key_Down)
    qtbot.keyClick(search.table, Qt.Key.Key_Return)
    assert window.title_label.text() == "talks"
    start, end = window.view.selection()
    assert window.view.text[start:end] == "Putin" and start == len("Talks went on.\n")
    # A bad query is a message, not an error from SQLite.
    search.query.setText('"Putin')
    assert model.rowCount() == 0
    assert search.message.text().startswith("cannot search for '\"Putin'")
    assert "OperationalError" not in search.message.text()


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_search_on_the_command_line(tmp_path):
    path = search_project_file(tmp_path)
    before = path.read_bytes()
    done = run_cli("search", path, "Putin")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "     1  todo    moscow",
        "        Kim met [Putin] in Moscow.",
        "     2  done    talks",
        "        [Putin] spoke. Putin left.",
    ]
    assert done.stderr.strip() == "2 documents"
    done = run_cli("search", path, "Putin", "--not-tagged", "PERSON", "--json")
    [record] = [orjson.loads(line) for line in done.stdout.splitlines()]
    text = "Talks went on.\nPutin spoke. Putin left."
    assert record["name"] == "talks" and record["hits"] == 2
    assert text[record["start"] : record["end"]] == "Putin"
    assert record["status"] == "done"
    done = run_cli("search", path, "Putin OR OR")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: cannot search for 'Putin OR OR'")
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before
