"""Moving between documents, marking them done, and the lazy document list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_helpers import find_in_view, make_project, open_window, selected, stored

from annotator.core import NewDocument, Project


def test_ctrl_enter_marks_done_and_opens_the_next_not_done(qtbot, project_path):
    make_project(project_path, "First text about Putin.", "Second text.", "Third text.")
    with Project.open(project_path) as project:
        ids = project.document_ids()
        project.set_status(ids[1], "done")
    window = open_window(qtbot, project_path)
    assert window.document_id == ids[0]
    assert window.documents.progress_text.text() == "1 / 3 done"
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.project.document(ids[0]).status == "done"
    assert window.document_id == ids[2]  # the done one is skipped
    assert window.documents.progress_text.text() == "2 / 3 done"
    assert window.documents.progress.value() == 2
    assert window.view.toPlainText() == "Third text."
    assert window.view.hasFocus()


def test_alt_arrows_and_ctrl_page_keys_move_between_documents(qtbot, project_path):
    make_project(project_path, "One.", "Two.", "Three.")
    window = open_window(qtbot, project_path)
    ids = window.project.document_ids()
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.document_id == ids[1]
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.document_id == ids[2]
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.document_id == ids[2]
    assert "last document" in window.statusBar().currentMessage()
    qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.document_id == ids[0]
    assert window.documents.table.currentIndex().row() == 0


def test_clicking_the_list_opens_a_document_and_spans_follow(qtbot, project_path):
    make_project(project_path, "Putin spoke.", "Kim listened.")
    window = open_window(qtbot, project_path)
    find_in_view(window, "Putin")
    qtbot.keyClick(window.view, "p")
    table = window.documents.table
    rect = table.visualRect(window.documents.model.index(1, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.view.toPlainText() == "Kim listened."
    assert window.span_panel.model.rowCount() == 0
    assert window.documents.model.index(0, 2).data() == 1  # span count of the first
    # Undo from the second document brings the first back into view and reverts there.
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.view.toPlainText() == "Putin spoke."
    assert stored(window) == []


def test_span_list_click_selects_the_span_in_the_article(qtbot, project_path):
    make_project(project_path, "Putin met Kim in Russia.")
    window = open_window(qtbot, project_path)
    for words, key in (("Putin", "p"), ("Russia", "l")):
        find_in_view(window, words)
        qtbot.keyClick(window.view, key)
    panel = window.span_panel
    panel.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by label: PERSON, PLACE
    rect = panel.table.visualRect(panel.model.index(1, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert selected(window) == ("PLACE", "Russia")
    assert window.view.hasFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert [s[1] for s in stored(window)] == ["Putin"]


def test_status_filter_lists_only_that_status(qtbot, project_path):
    make_project(project_path, "One.", "Two.", "Three.")
    window = open_window(qtbot, project_path)
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    window.documents.filter.setCurrentIndex(window.documents.filter.findData("todo"))
    model = window.documents.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["doc2", "doc3"]
    window.documents.filter.setCurrentIndex(window.documents.filter.findData("done"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["doc1"]


def test_a_large_project_opens_reading_only_the_rows_shown(qtbot, project_path, monkeypatch):
    with Project.create(project_path) as project:
        project.add_documents(
            NewDocument(text=f"Article number {n} about nothing much.", name=f"article {n}")
            for n in range(20_000)
        )
    asked: list[int] = []
    original = Project.summaries_page

    def counting(self, offset, limit, status=None):
        rows = original(self, offset, limit, status)
        asked.extend(row.id for row in rows)
        return rows

    def whole_list(self, status=None):
        raise AssertionError("the window read every document id")

    # Undone at the end of the block only: monkeypatch.undo() would also undo the
    # conftest's isolation of the user's folders.
    with monkeypatch.context() as patch:
        patch.setattr(Project, "summaries_page", counting)
        patch.setattr(Project, "document_ids", whole_list)
        window = open_window(qtbot, project_path)
        assert window.documents.model.rowCount() == 20_000
        assert window.documents.progress_text.text() == "0 / 20000 done"
        assert len(asked) <= 400  # a page or two, never the whole list
        window.documents.table.scrollToBottom()
        assert window.documents.model.index(19_999, 0).data() == "article 19999"
    window.open_document(window.project.search("19998")[0])
    assert window.documents.table.currentIndex().row() == 19_998


def test_span_list_and_tab_follow_the_same_reading_order(qtbot, project_path):
    """Equal extents rank by label order (PLACE before HEDGE), not by name, in the
    list as in the article, whether the spans were just read or just added."""
    make_project(project_path, "Putin met Kim in Russia.", "Another article.")
    window = open_window(qtbot, project_path)
    for words, key in (("Russia", "h"), ("Russia", "l"), ("Putin met Kim", "q"), ("Putin", "p")):
        find_in_view(window, words)
        qtbot.keyClick(window.view, key)
    model = window.span_panel.model

    def rows() -> list[tuple[str, str]]:
        return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(4)]

    expected = [
        ("QUOTE", "Putin met Kim"),
        ("PERSON", "Putin"),
        ("PLACE", "Russia"),
        ("HEDGE", "Russia"),
    ]
    assert rows() == expected
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.view.text.startswith("Putin met Kim")
    assert rows() == expected
    tabbed = []
    for _ in range(4):
        qtbot.keyClick(window.view, Qt.Key.Key_Tab)
        tabbed.append(selected(window))
    assert tabbed == expected


def test_f6_reaches_the_lists_so_a_document_is_picked_without_a_mouse(qtbot, project_path):
    make_project(project_path, "Putin met Kim.", "Seoul answered.", "Moscow agreed.")
    window = open_window(qtbot, project_path)
    find_in_view(window, "Putin")
    qtbot.keyClick(window.view, "p")
    qtbot.keyClick(window.view, Qt.Key.Key_F6)
    table = window.documents.table
    assert table.hasFocus()
    assert table.currentIndex().row() == 0  # the open document's row
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert window.view.text.startswith("Putin")  # moving in the list opens nothing
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.view.text == "Moscow agreed."
    assert window.view.hasFocus()
    # Backwards: the relation list (the last pane), then the span list.
    qtbot.keyClick(window.view, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert window.relations.panel.table.hasFocus()
    qtbot.keyClick(window.relations.panel.table, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert window.span_panel.table.hasFocus()
    qtbot.keyClick(window.span_panel.table, Qt.Key.Key_Escape)
    assert window.view.hasFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.relations.panel.table, Qt.Key.Key_F6)
    assert window.view.hasFocus()


def test_the_lists_span_count_follows_every_edit_of_the_open_document(qtbot, project_path):
    """Kept from the window's own count as edits come (no count in SQLite an edit),
    checked against the store's count after each: tag, relabel, delete, undo, another
    person's span, a relation."""
    make_project(project_path, "Putin met Kim in Moscow, the Kremlin said.")
    window = open_window(qtbot, project_path)
    doc = window.document_id
    model = window.documents.model

    def shown_and_stored() -> tuple[int, int]:
        return model.index(0, 2).data(), window.project.summaries([doc])[0].span_count

    find_in_view(window, "Putin")
    qtbot.keyClick(window.view, "p")
    assert shown_and_stored() == (1, 1)
    find_in_view(window, "Moscow")
    qtbot.keyClick(window.view, "l")
    assert shown_and_stored() == (2, 2)
    qtbot.keyClick(window.view, "p")  # relabel the selected span: the count stays
    assert shown_and_stored() == (2, 2)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert shown_and_stored() == (1, 1)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown_and_stored() == (2, 2)
    window.project.add_span(doc, 10, 13, "PERSON", annotator="olga")  # not one's own
    assert shown_and_stored() == (2, 2)
    kim = window.project.add_span(doc, 10, 13, "PERSON")
    assert shown_and_stored() == (3, 3)
    start = window.view.text.index("Kremlin")
    kremlin = window.project.add_span(doc, start, start + len("Kremlin"), "PLACE")
    window.project.add_relation(kim.id, kremlin.id, "located-in")  # spans as they were
    assert shown_and_stored() == (4, 4)
