"""Compare mode and adjudication in the real window, driven with keys: two coders who
disagree in each of the four ways, adjudicated into gold and exported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox
from ui_helpers import find_in_view, open_window

from annotator.core import Project
from annotator.core.layers import GOLD

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

TEXT = "Kim Jong Un met Vladimir Putin in Vostochny on Wednesday, officials said."


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def two_coders(path: Path) -> Path:
    """maria (A) and olga (B): one span alike, and one disagreement of each kind."""
    with Project.create(path, annotator="lead") as project:
        document = project.add_document(TEXT, name="summit")
        assert document is not None
        spans = {
            "maria": [
                ("Kim Jong Un", "PERSON"),  # agreed
                ("Vladimir Putin", "PERSON"),  # boundary: olga has "Putin"
                ("Vostochny", "PLACE"),  # label: olga says PERSON
                ("officials said", "HEDGE"),  # only A
            ],
            "olga": [
                ("Kim Jong Un", "PERSON"),
                ("Putin", "PERSON"),
                ("Vostochny", "PERSON"),
                ("Wednesday", "PLACE"),  # only B
            ],
        }
        for coder, marks in spans.items():
            for word, label in marks:
                project.add_span(document.id, *_at(word), label, annotator=coder)
            project.set_status(document.id, "done", coder)
    return path


def gold(window) -> set[tuple[str, str]]:
    return {(s.label, s.text) for s in window.project.spans(window.document_id, [GOLD])}


def choose_in_dialog(qtbot, window, a: str, b: str) -> None:
    """Ctrl+Shift+C, then pick A and B in the dialog as a person would, and Enter."""
    seen: dict[str, object] = {}

    def in_dialog(tries: int = 50) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if tries:
                QTimer.singleShot(20, lambda: in_dialog(tries - 1))
            return
        boxes = dialog.findChildren(QComboBox)
        seen["choices"] = [boxes[0].itemText(i) for i in range(boxes[0].count())]
        for box, name in zip(boxes, (a, b), strict=True):
            box.setCurrentIndex(box.findText(name))
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        seen["done"] = True

    QTimer.singleShot(0, in_dialog)
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL | SHIFT)
    qtbot.waitUntil(lambda: "done" in seen)
    assert seen["choices"] == ["maria", "olga"]  # people's layers, not lead's empty one
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_compare_adjudicate_undo_done_and_export_gold(qtbot, tmp_path: Path) -> None:
    path = two_coders(tmp_path / "team.annotator")
    window = open_window(qtbot, path)
    view, mode = window.view, window.compare
    choose_in_dialog(qtbot, window, "maria", "olga")

    assert mode.active and mode.panel.isVisible()
    assert window.project.annotator == GOLD  # the window edits gold now
    kinds = [(d.kind, (d.a or d.b).text) for d in mode.disagreements]
    assert kinds == [
        ("boundary", "Vladimir Putin"),
        ("label", "Vostochny"),
        ("only B", "Wednesday"),
        ("only A", "officials said"),
    ]
    assert mode.panel.list.count() == 4
    assert "Compare: A maria · B olga" in mode.mode_label.text()
    assert "4 open" in mode.mode_label.text()

    # n and Shift+N move through them (the first is where the mode starts).
    assert mode.current == 0
    qtbot.keyClick(view, "n")
    assert mode.current == 1
    assert "label: A has PLACE 'Vostochny', B has PERSON 'Vostochny'" in (
        window.statusBar().currentMessage()
    )
    assert view.selection() == (TEXT.index("Vostochny"),) * 2  # the cursor went there
    qtbot.keyClick(view, "n")
    assert mode.current == 2
    qtbot.keyClick(view, Qt.Key.Key_N, SHIFT)
    qtbot.keyClick(view, Qt.Key.Key_N, SHIFT)
    assert mode.current == 0
    assert mode.panel.list.currentRow() == 0
    assert gold(window) == set()  # moving changes nothing

    # b on the boundary, a on the label: taken, and on to the next open one.
    qtbot.keyClick(view, "b")
    assert gold(window) == {("PERSON", "Putin")}
    assert mode.current == 1
    qtbot.keyClick(view, "a")
    assert gold(window) == {("PERSON", "Putin"), ("PLACE", "Vostochny")}
    assert mode.states[:2] == ["B", "A"]

    # 0 takes neither: settled, nothing added; undo and redo it.
    assert mode.current == 2
    qtbot.keyClick(view, "0")
    assert mode.states[2] == "neither"
    assert ("PLACE", "Wednesday") not in gold(window)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert mode.states[2] is None
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert mode.states[2] == "neither"

    # Edit: gold is what the label keys tag now; "said" alone as the hedge.
    assert mode.current == 3
    find_in_view(window, "said")
    qtbot.keyClick(view, "h")
    assert ("HEDGE", "said") in gold(window)
    assert mode.states[3] == "edited"
    assert "0 open" in mode.mode_label.text()

    # c copies what both made alike, as one step.
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # lets go of the new span, stays in the mode
    assert mode.active
    qtbot.keyClick(view, "c")
    assert ("PERSON", "Kim Jong Un") in gold(window)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert ("PERSON", "Kim Jong Un") not in gold(window)
    qtbot.keyClick(view, "c")

    # Taking the other side swaps them in one step, which one Ctrl+Z takes back.
    qtbot.keyClick(view, "n")  # wraps to the boundary
    assert mode.current == 0
    qtbot.keyClick(view, "a")
    assert ("PERSON", "Vladimir Putin") in gold(window)
    assert ("PERSON", "Putin") not in gold(window)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert ("PERSON", "Putin") in gold(window)
    assert ("PERSON", "Vladimir Putin") not in gold(window)

    # Ctrl+Enter: the adjudication of this document is done (gold's status only).
    document_id = window.document_id
    qtbot.keyClick(view, Qt.Key.Key_Return, CTRL)
    assert window.project.status(document_id, GOLD) == "done"
    assert window.project.status(document_id, "maria") == "done"
    assert "Adjudication done" in window.statusBar().currentMessage()

    # Esc with nothing selected leaves the mode: back to the person's own layer.
    view.let_go()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not mode.active and not mode.panel.isVisible()
    assert window.project.annotator == "tester"
    qtbot.keyClick(view, "n")  # an ordinary key again: nothing to move to
    assert mode.current is None
    window.close()

    out = tmp_path / "gold.jsonl"
    command = ["export", str(path), "--annotator", "gold", "-o", str(out)]
    done = subprocess.run(
        [sys.executable, "-m", "annotator", *command],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    [line] = out.read_text(encoding="utf-8").splitlines()
    record = orjson.loads(line)
    exported = {(s["label"], s["start"], s["end"]) for s in record["spans"]}
    assert exported == {
        ("PERSON", *_at("Kim Jong Un")),
        ("PERSON", *_at("Putin")),
        ("PLACE", *_at("Vostochny")),
        ("HEDGE", *_at("said")),
    }
    assert {s["annotator"] for s in record["spans"]} == {"gold"}
    assert record["status"] == "done"  # gold's status: adjudicated


def test_the_mode_keys_come_before_a_label_with_the_same_key(qtbot, tmp_path: Path) -> None:
    """A label whose key is b: outside the mode it tags, in the mode it takes B."""
    path = two_coders(tmp_path / "team.annotator")
    with Project.open(path) as project:
        project.add_label("BRAND", hotkey="b")
    window = open_window(qtbot, path)
    view = window.view
    find_in_view(window, "Wednesday")
    qtbot.keyClick(view, "b")
    assert [(s.label, s.text) for s in window.project.spans(window.document_id, ["tester"])] == [
        ("BRAND", "Wednesday")
    ]
    window.compare.start("maria", "olga")
    assert window.compare.current == 0
    qtbot.keyClick(view, "b")
    assert gold(window) == {("PERSON", "Putin")}
    # The span list of the mode answers to the same keys.
    window.compare.panel.list.setFocus()
    qtbot.keyClick(window.compare.panel.list, "n")
    assert window.compare.current == 2
    qtbot.keyClick(window.compare.panel.list, "b")
    assert ("PLACE", "Wednesday") in gold(window)
    qtbot.keyClick(window.compare.panel.list, Qt.Key.Key_Escape)
    assert view.hasFocus() and window.compare.active
