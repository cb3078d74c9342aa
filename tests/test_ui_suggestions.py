"""Suggestions in the window, on the sample article: proposed as you tag, drawn as
dashed outlines, answered from the keyboard, kept across a reopen, undone."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from test_cli import run
from test_ui_traps import sample_window, status_message, tag
from ui_helpers import open_window, stored

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def whole_words(text: str, words: str) -> list[tuple[int, int]]:
    """Every whole-word occurrence, found here with a plain regular expression."""
    return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(words)}(?!\w)", text)]


def pending(window, label: str | None = None) -> list[tuple[int, int, str]]:
    spans = window.project.suggestions(window.document_id)
    return [(s.start, s.end, s.annotator) for s in spans if label in (None, s.label)]


def cursor_at(window) -> int:
    return window.view.view_map.from_view(window.view.textCursor().position())


def test_one_tag_proposes_every_other_whole_word_occurrence(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    text = window.view.text
    tag(qtbot, window, "Kim Jong Un", "p")
    kims = whole_words(text, "Kim Jong Un")
    assert len(kims) >= 5
    assert pending(window, "PERSON") == [(s, e, "suggest:propagate") for s, e in kims[1:]]
    qtbot.waitUntil(
        lambda: f"{len(kims) - 1} other occurrences suggested" in status_message(window)
    )
    tag(qtbot, window, "Russia", "l")
    russias = whole_words(text, "Russia")
    assert len(re.findall("Russian", text)) == 3  # never proposed: not whole words
    assert pending(window, "PLACE") == [(s, e, "suggest:propagate") for s, e in russias[1:]]
    # Drawn: every suggestion is in the overlay's index, none among the person's spans.
    assert len(window.suggestions.index) == len(kims) - 1 + len(russias) - 1
    assert [label for label, *_ in stored(window)] == ["PERSON", "PLACE"]
    assert len(window.view.spans) == 2


def test_a_suggestion_is_a_dashed_outline_not_a_tint(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    tag(qtbot, window, "Vladimir Putin", "p")  # no other "Vladimir Putin": nothing new
    assert pending(window) == []
    tag(qtbot, window, "Putin", "p", occurrence=1)  # "President Putin's invitation"
    view = window.view
    start, end, _ = pending(window)[0]
    window.suggestions.go_to(window.project.suggestions(window.document_id)[0])
    view.ensureCursorVisible()
    view.viewport().repaint()
    image: QImage = view.viewport().grab().toImage()
    rect, first, last = view.extent_rects(view.view_map.to_view(start), view.view_map.to_view(end))[
        0
    ]
    assert first and last
    outline = QColor(window.view.colours["PERSON"]).darker(120).rgb()
    xs = range(int(rect.left()) + 3, int(rect.right()) - 3)
    rows = [[image.pixel(x, y) for x in xs] for y in range(int(rect.top()), int(rect.top()) + 5)]
    edge = max(rows, key=lambda row: row.count(outline))  # the top edge
    # Dashes in the label's own colour, with gaps between them: not a solid line.
    assert len(edge) // 4 < edge.count(outline) < len(edge)
    page = view.palette().color(view.palette().ColorRole.Base).rgb()
    # Inside, the page shows through: no tint as a span has.
    inside = [
        image.pixel(x, int(rect.top()) + 4)
        for x in range(int(rect.left()) + 3, int(rect.right()) - 3)
    ]
    assert inside.count(page) > len(inside) // 2


def test_the_quote_rule_finds_both_quotations(qtbot, sample_project, tmp_path: Path):
    path = sample_project.path
    sample_project.close()
    out = run("suggest", path, "--source", "quotes")
    assert "quotes  QUOTE" in out
    window = open_window(qtbot, path)
    text = window.view.text
    quotes = [text[s:e] for s, e, _ in pending(window, "QUOTE")]
    assert quotes == [
        "\"North Korea's Kim Jong Un is believed to have arrived in Russia early this"
        ' morning via a private train."',
        '"in the coming days."',
    ]
    # n moves through them from the cursor, Shift+N back; nothing else is stepped on.
    window.view.place_cursor(0)
    qtbot.keyClick(window.view, "n")
    first = text.index(quotes[0])
    assert cursor_at(window) == first
    qtbot.keyClick(window.view, "n")
    assert cursor_at(window) == text.index(quotes[1])
    qtbot.keyClick(window.view, "n")
    assert "No more suggestions" in status_message(window)
    qtbot.keyClick(window.view, "N", SHIFT)
    assert cursor_at(window) == first


def test_accept_reject_accept_all_from_the_keyboard_survive_a_reopen_and_undo(
    qtbot, sample_project
):
    path = sample_project.path
    window = sample_window(qtbot, sample_project)
    view = window.view
    text = view.text
    kims = whole_words(text, "Kim Jong Un")
    tag(qtbot, window, "Kim Jong Un", "p")
    view.place_cursor(0)
    qtbot.keyClick(view, "n")  # the first suggestion: the second "Kim Jong Un"
    assert cursor_at(window) == kims[1][0]
    qtbot.keyClick(view, "a")
    assert ("PERSON", "Kim Jong Un", *kims[1]) in stored(window)
    assert cursor_at(window) == kims[2][0]  # on to the next one
    qtbot.keyClick(view, "x")
    assert kims[2] not in [(s, e) for s, e, _ in pending(window)]
    assert ("PERSON", "Kim Jong Un", *kims[2]) not in stored(window)
    assert cursor_at(window) == kims[3][0]
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter accepts too
    assert ("PERSON", "Kim Jong Un", *kims[3]) in stored(window)
    qtbot.keyClick(view, "A", SHIFT)  # every other one of propagate, one step
    person = [(s, e) for label, _, s, e in stored(window) if label == "PERSON"]
    assert person == [k for k in kims if k != kims[2]]
    assert pending(window) == []
    assert window.edits.undo_action.text().startswith("Undo accept")

    qtbot.keyClick(view, "z", CTRL)  # accept-all undone
    assert [(s, e) for s, e, _ in pending(window)] == kims[4:]
    qtbot.keyClick(view, "z", CTRL)  # Enter's accept undone
    qtbot.keyClick(view, "z", CTRL)  # the rejection undone
    assert [(s, e) for s, e, _ in pending(window)] == kims[2:]
    assert window.suggestions.index.get(window.project.suggestions(window.document_id)[0].id)
    for _ in range(3):
        qtbot.keyClick(view, "z", CTRL | SHIFT)  # redo all three
    assert pending(window) == []
    window.close()

    window = open_window(qtbot, path)
    person = [(s, e) for label, _, s, e in stored(window) if label == "PERSON"]
    assert person == [k for k in kims if k != kims[2]]
    assert pending(window) == []  # the rejection is remembered
    # Proposing it again does not bring the rejected one back.
    window.project.fill_suggestions(window.document_id, "propagate", [(*kims[2], "PERSON")])
    window.suggestions.reload()
    assert pending(window) == []


def test_a_source_can_be_hidden_and_its_keys_skip_it(qtbot, sample_project):
    path = sample_project.path
    sample_project.close()
    run("suggest", path, "--source", "quotes,hedges")
    window = open_window(qtbot, path)
    menu = window.suggestions.menu
    menu.aboutToShow.emit()
    actions = {a.text(): a for a in menu.actions()}
    assert set(actions) == {"Show quotes", "Show hedges"}
    actions["Show hedges"].trigger()  # hidden
    shown = {window.project.span(e.id).annotator for e in window.suggestions.index.entries()}
    assert shown == {"suggest:quotes"}
    window.view.place_cursor(0)
    for _ in range(2):
        qtbot.keyClick(window.view, "n")
        span = window.project.span(window.suggestions.current)
        assert span.annotator == "suggest:quotes"
    menu.aboutToShow.emit()
    {a.text(): a for a in menu.actions()}["Show hedges"].trigger()
    assert len(window.suggestions.index) == len(pending(window))


def test_an_older_label_on_a_suggestion_letter_keeps_its_digit_and_the_window_says_so(
    qtbot, sample_project
):
    path = sample_project.path
    sample_project.close()
    with sqlite3.connect(path) as conn:  # as an older version let a label take "a"
        conn.execute("UPDATE labels SET hotkey = 'a' WHERE name = 'PERSON'")
    conn.close()
    window = open_window(qtbot, path)
    # Said once the window is on screen (the suggestion part is made then).
    qtbot.waitUntil(lambda: "PERSON no longer answers to a (still to 1)" in status_message(window))
    assert window.view.hotkeys["1"] == "PERSON" and "a" not in window.view.hotkeys
    assert window.label_bar.buttons["PERSON"].text() == "PERSON   1"
    tag(qtbot, window, "Kim Jong Un", "a")  # a is the suggestion key now
    assert stored(window) == []
    tag(qtbot, window, "Kim Jong Un", "1")
    assert [label for label, *_ in stored(window)] == ["PERSON"]
    window.close()
    window = open_window(qtbot, path)
    assert window.suggestions.menu is not None  # the part is made (as after the paint)
    assert "no longer answers" not in status_message(window)  # said once
