"""The label editor, the guidelines panel (F4), the label buttons' descriptions and the
statistics window, each used through the window."""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from pathlib import Path

import wcag_contrast_ratio
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPalette
from PySide6.QtWidgets import QApplication, QToolTip
from ui_helpers import find_in_view, open_window

from annotator.core import Project


def sample_window(qtbot, sample_project):
    path = sample_project.path
    sample_project.close()
    return open_window(qtbot, path)


def tag(qtbot, window, words: str, key: str) -> None:
    find_in_view(window, words)
    qtbot.keyClick(window.view, key)


def retype(qtbot, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(field, text)


def pick(qtbot, tab, name: str) -> None:
    """Click the row of ``name`` in the editor's list."""
    for row in range(tab.list.count()):
        item = tab.list.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == name:
            rect = tab.list.visualItemRect(item)
            qtbot.mouseClick(tab.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert tab.current_name() == name
            return
    raise AssertionError(name)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_label_editor_renames_rekeys_recolours_reorders_and_deletes(
    qtbot, sample_project, monkeypatch
):
    window = sample_window(qtbot, sample_project)
    tag(qtbot, window, "Russia", "l")
    tag(qtbot, window, "Kim Jong Un", "p")
    assert window.tools.labels_action in window.menus.document_menu.actions()
    window.tools.labels_action.trigger()
    editor = window.tools.label_editor
    qtbot.waitUntil(editor.isVisible)
    tab = editor.labels

    # Rename: the spans follow, the label bar and the article show the new name.
    pick(qtbot, tab, "PLACE")
    retype(qtbot, tab.name, "LOCATION")
    click(qtbot, tab.apply_button)
    assert "LOCATION" in window.label_bar.buttons and "PLACE" not in window.label_bar.buttons
    project = window.project
    mine = project.spans(window.document_id, [project.annotator])
    assert [s.label for s in mine if s.text == "Russia"] == ["LOCATION"]

    # Keys: a clash and the window's own keys are refused, in words, and change nothing.
    retype(qtbot, tab.hotkey, "p")
    click(qtbot, tab.apply_button)
    assert "taken by another label" in tab.message.text()
    retype(qtbot, tab.hotkey, "r")
    click(qtbot, tab.apply_button)
    assert "kept for the window" in tab.message.text()
    assert project.label("LOCATION").hotkey == "l"
    retype(qtbot, tab.hotkey, "o")
    click(qtbot, tab.apply_button)
    assert project.label("LOCATION").hotkey == "o"
    find_in_view(window, "Pyongyang")
    qtbot.keyClick(window.view, "o")
    assert "Pyongyang" in [s.text for s in project.spans(window.document_id)]

    # Colour: the palette's yellow is hard to see on white: a warning says so.
    yellow = tab.colour.findData("#F0E442")
    tab.colour.setCurrentIndex(yellow)
    page = tab.palette().color(QPalette.ColorRole.Base)
    expected = wcag_contrast_ratio.rgb((0xF0 / 255, 0xE4 / 255, 0x42 / 255), page.getRgbF()[:3])
    assert f"#F0E442 reads at {expected:.1f}:1 on the page" in tab.message.text()
    # Any colour, through the picker: here a green close to PERSON's blue for no one.
    monkeypatch.setattr("annotator.ui.label_editor.ask_colour", lambda parent, current: "#0073B3")
    other = tab.colour.count() - 1
    tab.colour.setCurrentIndex(other)
    tab.colour.activated.emit(other)
    assert tab.colour.colour() == "#0073B3"
    assert "LOCATION and PERSON look alike to anyone" in tab.message.text()
    retype(qtbot, tab.description, "A place: a <b>country</b>, a city.")
    click(qtbot, tab.apply_button)
    assert project.label("LOCATION").colour == "#0073B3"
    assert project.label("LOCATION").description == "A place: a <b>country</b>, a city."

    # Reorder: HEDGE up to first; the digits follow.
    pick(qtbot, tab, "HEDGE")
    for _ in range(3):
        click(qtbot, tab.up_button)
    assert [label.name for label in project.labels] == ["HEDGE", "PERSON", "LOCATION", "QUOTE"]
    assert window.label_bar.buttons["HEDGE"].text().startswith("HEDGE   1")
    click(qtbot, tab.down_button)
    assert [label.name for label in project.labels][:2] == ["PERSON", "HEDGE"]

    # Add a label from the form.
    retype(qtbot, tab.name, "ORG")
    retype(qtbot, tab.hotkey, "g")
    retype(qtbot, tab.description, "An organisation.")
    tab.colour.setCurrentIndex(tab.colour.findData("#D55E00"))
    click(qtbot, tab.add_button)
    assert project.label("ORG").hotkey == "g" and "ORG" in window.label_bar.buttons

    # Delete: the question names the spans that go; a backup is taken first.
    asked: list[str] = []

    def answer(parent, title, text):
        asked.append(text)
        return len(asked) > 1  # "No" the first time, "Yes" the second

    monkeypatch.setattr("annotator.ui.label_editor.ask_yes_no", answer)
    pick(qtbot, tab, "LOCATION")
    click(qtbot, tab.delete_button)
    assert "LOCATION" in [label.name for label in project.labels]
    # Every span of the label goes, suggestions proposed as one tagged included.
    going = [s for s in project.spans(window.document_id) if s.label == "LOCATION"]
    click(qtbot, tab.delete_button)
    assert asked[-1].startswith(f"Delete LOCATION and its {len(going)} spans?")
    assert "LOCATION" not in [label.name for label in project.labels]
    assert {s.text for s in project.spans(window.document_id)} == {"Kim Jong Un"}
    assert "LOCATION" not in window.label_bar.buttons
    backup = tab.message.text().split("kept as ")[1]
    assert "before-delete-label" in backup
    [kept] = Path(os.environ["ANNOTATOR_DATA_DIR"]).rglob(backup)
    with Project.open(kept, read_only=True) as before:
        assert "LOCATION" in [label.name for label in before.labels]


def test_relation_types_are_edited_in_the_second_tab(qtbot, sample_project, monkeypatch):
    window = sample_window(qtbot, sample_project)
    window.tools.labels_action.trigger()
    editor = window.tools.label_editor
    editor.tabs.setCurrentWidget(editor.relation_types)
    tab = editor.relation_types
    project = window.project
    pick(qtbot, tab, "hedges")
    assert tab.head.text() == "HEDGE" and tab.child.text() == "QUOTE"
    retype(qtbot, tab.name, "qualifies")
    retype(qtbot, tab.child, "QUOTE | PERSON")
    click(qtbot, tab.apply_button)
    rtype = project.relation_type_store.get("qualifies")
    assert rtype.child_labels == ("QUOTE", "PERSON")
    retype(qtbot, tab.name, "said-to")
    retype(qtbot, tab.hotkey, "s")  # said-by has it
    click(qtbot, tab.add_button)
    assert tab.message.text() == "key 's' is taken by another relation type"
    assert "said-to" not in [t.name for t in project.relation_types()]
    retype(qtbot, tab.hotkey, "t")
    retype(qtbot, tab.child, "ORG")
    click(qtbot, tab.add_button)
    assert "names labels the project does not have: ORG" in tab.message.text()
    retype(qtbot, tab.child, "*")
    click(qtbot, tab.add_button)
    assert project.relation_type_store.get("said-to").child_labels == ()
    monkeypatch.setattr("annotator.ui.label_editor.ask_yes_no", lambda *args: True)
    click(qtbot, tab.remove_button)
    assert "said-to" not in [t.name for t in project.relation_types()]
    assert tab.message.text() == "Removed said-to and its 0 relations"


def test_f4_shows_the_guidelines_rendered_with_links_that_open_outside(qtbot, project_path):
    with Project.create(project_path) as project:
        project.add_document("Kim Jong Un met Putin.", name="doc1")
        project.set_guidelines(
            "# Coding guide\n\nTag **PERSON** for people.\n\n"
            "- Quotes keep their marks\n\nSee [PARC](https://example.org/parc).\n"
        )
        project.describe_label("PERSON", "A named person, <i>not</i> a pronoun.")
    window = open_window(qtbot, project_path)
    qtbot.keyClick(window.view, Qt.Key.Key_F4)
    panel = window.tools.guidelines
    assert panel.isVisible()
    browser = panel.browser
    assert browser.openExternalLinks()
    shown = browser.toPlainText()
    assert "Coding guide" in shown and "**" not in shown and "#" not in shown
    assert 'href="https://example.org/parc"' in browser.document().toHtml()
    heading = browser.document().firstBlock()
    assert heading.blockFormat().headingLevel() == 1
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F4)
    assert not panel.isVisible()

    # A label's description shows when the pointer rests on its button, as written.
    button = window.label_bar.buttons["PERSON"]
    centre = button.rect().center()
    QApplication.sendEvent(
        button, QHelpEvent(QEvent.Type.ToolTip, centre, button.mapToGlobal(centre))
    )
    qtbot.waitUntil(QToolTip.isVisible)
    assert "&lt;i&gt;not&lt;/i&gt;" in QToolTip.text()
    assert "A named person," in QToolTip.text()
    QToolTip.hideText()

    # Guidelines set while the panel is open show at once.
    qtbot.keyClick(window.view, Qt.Key.Key_F4)
    window.project.set_guidelines("# New guide\n")
    assert panel.browser.toPlainText().strip() == "New guide"


def test_statistics_window_draws_the_figures_and_saves_png_and_csv(
    qtbot, sample_project, tmp_path, monkeypatch
):
    window = sample_window(qtbot, sample_project)
    tag(qtbot, window, "Russia", "l")
    tag(qtbot, window, "Kim Jong Un", "p")
    tag(qtbot, window, "Putin", "p")
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.tools.statistics_action in window.menus.document_menu.actions()
    window.tools.statistics_action.trigger()
    stats_window = window.tools.statistics
    qtbot.waitUntil(stats_window.isVisible)
    # People's spans only: suggestions proposed as one tags are not counted.
    spans = window.project.spans(window.document_id, window.project.human_layers())
    stats = stats_window.charts.stats
    assert stats is not None
    assert stats.by_label == {"PERSON": 2, "PLACE": 1, "QUOTE": 0, "HEDGE": 0}
    assert stats.by_annotator == dict(Counter(s.annotator for s in spans))
    assert [count for _, count in stats.done_per_day] == [1]
    picture = stats_window.charts.grab().toImage()
    seen = {
        QColor(picture.pixel(x, y)).name().upper()
        for x in range(0, picture.width(), 2)
        for y in range(0, picture.height(), 2)
    }
    assert {"#0072B2", "#009E73"} <= seen

    png, table = tmp_path / "charts.png", tmp_path / "figures.csv"
    answers = iter([png, table])
    monkeypatch.setattr("annotator.ui.statistics_window.ask_save_path", lambda *args: next(answers))
    click(qtbot, stats_window.png_button)
    click(qtbot, stats_window.csv_button)
    assert not QImage(str(png)).isNull()
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert ["spans per label", "PERSON", "PERSON", "2"] in rows
    assert window.statusBar().currentMessage() == "Saved the figures to figures.csv"

    # A new span shows after Refresh.
    window.activateWindow()
    tag(qtbot, window, "Pyongyang", "l")
    click(qtbot, stats_window.refresh_button)
    assert stats_window.charts.stats.by_label["PLACE"] == 2
