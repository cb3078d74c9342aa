"""The window edits one layer, the current annotator's; other people's layers are shown
read-only and dimmed when ticked in View › Layers; the annotator's name is changed
in the window (Edit › Annotator name…) and the window follows it."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QLineEdit
from ui_helpers import click_at, find_in_view, open_window, point_of

from annotator.core import Project, colours

TEXT = "Putin met Kim Jong Un in Vladivostok on Tuesday, the Kremlin said."


def layered_project(path) -> int:
    """Tester's PERSON on Putin; Olga's PERSON on Kim Jong Un and PLACE on Vladivostok;
    gold's PLACE; a suggestion (never listed with the layers)."""
    with Project.create(path) as project:
        document = project.add_document(TEXT, name="doc1")
        assert document is not None
        doc = document.id
        project.add_span(doc, 0, 5, "PERSON")  # the current annotator: tester
        project.add_span(doc, 10, 21, "PERSON", annotator="olga")
        project.add_span(doc, 25, 36, "PLACE", annotator="olga")
        project.add_span(doc, 25, 36, "PLACE", annotator="gold")
        project.add_span(doc, 40, 47, "PERSON", annotator="suggest:model")
        return doc


def tick(qtbot, window, layer: str) -> None:
    """Open View › Layers as a person would and click ``layer``'s entry."""
    menu = window.layer_toggles.menu
    menu.popup(window.mapToGlobal(QPoint(50, 50)))
    qtbot.waitUntil(menu.isVisible)
    [action] = [a for a in menu.actions() if a.text() == layer]
    action.trigger()
    menu.close()


def layer_entries(qtbot, window) -> list[tuple[str, bool]]:
    menu = window.layer_toggles.menu
    menu.popup(window.mapToGlobal(QPoint(50, 50)))
    qtbot.waitUntil(menu.isVisible)
    entries = [(a.text(), a.isChecked()) for a in menu.actions()]
    menu.close()
    return entries


def commonest(image, rect: QRect) -> str:
    counts = Counter(
        image.pixelColor(x, y).name()
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    )
    return counts.most_common(1)[0][0]


def span_rect(view, start: int, end: int) -> QRect:
    first, last = QTextCursor(view.document()), QTextCursor(view.document())
    first.setPosition(start)
    last.setPosition(end)
    return view.cursorRect(first).united(view.cursorRect(last))


def test_other_layers_are_listed_and_shown_dimmed_and_read_only(qtbot, project_path):
    doc = layered_project(project_path)
    window = open_window(qtbot, project_path)
    view = window.view
    assert window.document_id == doc
    assert sorted(view.spans) == [1]  # only tester's own span is editable
    # Suggestion layers have their own part: not in this menu.
    assert layer_entries(qtbot, window) == [("olga", False), ("gold", False)]
    assert len(view.others) == 0

    tick(qtbot, window, "olga")
    assert [view.others.layer_of(s.id) for s in view.others.items()] == ["olga", "olga"]
    assert layer_entries(qtbot, window) == [("olga", True), ("gold", False)]

    # Drawn differently from one's own spans: a fainter tint and a dotted underline.
    image = view.viewport().grab().toImage()
    base = view.palette().color(QPalette.ColorRole.Base).name()
    person = window.project.label("PERSON").colour
    own = commonest(image, span_rect(view, 0, 5).adjusted(3, 2, -3, -4))
    dimmed = commonest(image, span_rect(view, 10, 21).adjusted(3, 2, -3, -4))
    assert own == colours.span_tints(person, base)[0].lower()
    assert dimmed == colours.blend(person, base, colours.DIM_TINT).lower()
    assert colours.distance(own, dimmed) > 10
    rect = span_rect(view, 10, 21)
    bottom_rows = [
        image.pixelColor(x, y).name()
        for y in range(rect.bottom() - 4, rect.bottom() + 1)
        for x in range(rect.left() + 2, rect.right() - 2)
    ]
    dots = [c for c in bottom_rows if colours.distance(c, person) < 12]
    assert dots and len(dots) < len(bottom_rows) * 0.8  # dotted, in PERSON's colour

    # Not selectable, not deletable: a click, Tab and Delete reach only one's own spans.
    click_at(qtbot, view, 15)
    assert view.selected_span_id is None
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected_span_id is None  # no span of one's own after the cursor
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_span_id == 1
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected_span_id == 1  # Olga's spans are passed over
    olga = [(s.start, s.end, s.label) for s in window.project.spans(doc, ["olga"])]
    assert olga == [(10, 21, "PERSON"), (25, 36, "PLACE")]

    # Hovering says whose they are.
    assert "by olga (another layer: read-only)" in view.hover_text(point_of(view, 15))
    assert "by olga" not in view.hover_text(point_of(view, 2))

    # Tagging where Olga has a span makes one's own, shown as one's own.
    find_in_view(window, "Kim Jong Un")
    qtbot.keyClick(view, "p")
    mine = window.project.spans(doc, ["tester"])
    assert [(s.start, s.end) for s in mine] == [(0, 5), (10, 21)]
    assert sorted(view.spans) == sorted(s.id for s in mine)

    # A span added to Olga's layer elsewhere appears dimmed, never as one's own.
    added = window.project.add_span(doc, 49, 52, "PLACE", annotator="olga")
    assert window.view.others.layer_of(added.id) == "olga"
    assert added.id not in view.spans


def test_layer_toggles_are_remembered_per_project_and_redraw(qtbot, project_path, tmp_path):
    layered_project(project_path)
    window = open_window(qtbot, project_path)
    tick(qtbot, window, "gold")
    assert window.view.others.names() == ["gold"]
    window.close()

    again = open_window(qtbot, project_path)
    assert again.view.others.names() == ["gold"]
    assert layer_entries(qtbot, again) == [("olga", False), ("gold", True)]
    again.project.rename_label("PLACE", "LOCATION")  # the dimmed spans follow a rename
    assert [s.label for s in again.view.others.items()] == ["LOCATION"]
    again.view.viewport().repaint()
    tick(qtbot, again, "gold")  # off again: the dimmed spans go
    assert again.view.others.names() == []
    assert len(again.view.others) == 0

    other = tmp_path / "other.annotator"
    layered_project(other)
    again.open_project(other)  # another project: its own toggles (none ticked)
    assert again.view.others.names() == []


def ask_name(qtbot, window, name: str) -> None:
    """Edit › Annotator name…, type ``name`` into the dialog, press Enter."""
    done: dict[str, bool] = {}

    def answer(tries: int = 50) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if tries:
                QTimer.singleShot(20, lambda: answer(tries - 1))
            return
        edit = dialog.findChild(QLineEdit)
        edit.selectAll()
        qtbot.keyClicks(edit, name)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        done["yes"] = True

    QTimer.singleShot(0, answer)
    window.annotator_name.action.trigger()
    qtbot.waitUntil(lambda: "yes" in done)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # keys reach it again


def test_changing_the_annotator_name_switches_layer_status_and_history(qtbot, project_path):
    doc = layered_project(project_path)
    window = open_window(qtbot, project_path)
    view = window.view
    assert window.annotator_name.label.text() == "Labelling as tester"
    assert window.annotator_name.action in window.menus.edit_menu.actions()
    find_in_view(window, "Kremlin")
    qtbot.keyClick(view, "l")
    assert window.edits.undo_action.isEnabled()
    window.project.set_status(doc, "done")
    assert window.documents.model.summary(0).status == "done"

    ask_name(qtbot, window, "olga")
    assert window.project.annotator == "olga"
    assert window.annotator_name.label.text() == "Labelling as olga"
    assert "undo history was cleared" in window.statusBar().currentMessage()
    assert not window.edits.undo_action.isEnabled()  # tester's edits are not olga's to undo
    # The article, the span list and the document list are now Olga's.
    assert sorted((s.start, s.end) for s in view.spans.values()) == [(10, 21), (25, 36)]
    assert window.span_panel.table.model().rowCount() == 2
    assert window.documents.model.summary(0).status == "todo"
    assert "status: todo" in window.meta_label.text()
    assert ("tester", False) in layer_entries(qtbot, window)

    # Her edits go to her layer, and undo takes back only them.
    find_in_view(window, "Putin")
    qtbot.keyClick(view, "p")
    assert (0, 5) in [(s.start, s.end) for s in window.project.spans(doc, ["olga"])]
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (0, 5) not in [(s.start, s.end) for s in window.project.spans(doc, ["olga"])]
    assert (0, 5) in [(s.start, s.end) for s in window.project.spans(doc, ["tester"])]
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    kremlin = (TEXT.index("Kremlin"), TEXT.index("Kremlin") + len("Kremlin"))
    assert kremlin in [(s.start, s.end) for s in window.project.spans(doc, ["tester"])]
    assert not window.edits.undo_action.isEnabled()  # nothing of tester's to undo

    # A suggestion layer's name is refused, and the name stays.
    ask_name(qtbot, window, "suggest:model")
    assert window.project.annotator == "olga"
    assert "suggestion" in window.statusBar().currentMessage()

    # Remembered for the next window.
    window.close()
    again = open_window(qtbot, project_path)
    assert again.project.annotator == "olga"
    assert again.annotator_name.label.text() == "Labelling as olga"
    assert QColor(again.annotator_name.label.palette().color(QPalette.ColorRole.WindowText))


def test_a_long_article_shows_the_other_layers_first_screen_then_reads_the_rest(
    qtbot, project_path
):
    """Opening reads other layers only as far as the screen reaches; the rest follows
    once it is painted, and anything further down is never missing when looked at."""
    paragraph = "Putin met Kim Jong Un in Vladivostok on Tuesday, the Kremlin said.\n"
    text = paragraph * 400
    last = len(text) - len(paragraph)
    with Project.create(project_path) as project:
        document = project.add_document(text, name="long")
        assert document is not None
        for k in range(0, len(text), len(paragraph)):
            project.add_span(document.id, k + 10, k + 21, "PERSON", annotator="olga")
    window = open_window(qtbot, project_path)
    tick(qtbot, window, "olga")
    view = window.view
    window.open_document(document.id)  # as opened anew: only the first screen read
    ids = [s.id for s in window.project.span_extents(document.id, "olga")]
    assert not view.others.is_complete  # a prefix, not yet all 400
    assert 0 < view.others.in_hand() < 400
    view.viewport().repaint()
    qtbot.waitUntil(lambda: view.others.is_complete)  # the rest, once painted
    assert len(view.others) == 400

    window.open_document(document.id)
    assert view.others.layer_of(ids[-1]) == "olga"  # asked about the end: read then
    window.open_document(document.id)
    cursor = QTextCursor(view.document())
    cursor.setPosition(last + 15)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()  # straight to the end, before the rest was read
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    person = window.project.label("PERSON").colour
    base = view.palette().color(QPalette.ColorRole.Base).name()
    dimmed = commonest(image, span_rect(view, last + 10, last + 21).adjusted(3, 2, -3, -4))
    assert dimmed == colours.blend(person, base, colours.DIM_TINT).lower()
