"""What the window does when a person tags, fixes or undoes: the edit commands.

Each command calls the :class:`Project` once; the project commits, then tells
every listener, and the window redraws from that notice. Nothing here writes
to the view directly, so what is shown is always what is stored.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.offsets import snap_selection, widen_to_characters
from annotator.ui.actions import make_action

if TYPE_CHECKING:
    from annotator.core.model import Span
    from annotator.core.project import Project
    from annotator.ui.article_view import ArticleView

T = TypeVar("T")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M"


def step_edge(text: str, position: int, direction: int, *, words: bool) -> int:
    """Where an edge at ``position`` moves one step left (-1) or right (+1).

    By words: white space is skipped, then a whole word (or one punctuation mark).
    By characters: one user-perceived character.
    """
    n = len(text)
    if not words:
        if direction < 0:
            return widen_to_characters(text, max(0, position - 1), max(0, position - 1))[0]
        return widen_to_characters(text, min(n, position + 1), min(n, position + 1))[1]
    p = position
    if direction > 0:
        while p < n and text[p].isspace():
            p += 1
        if p < n and _is_word_char(text[p]):
            while p < n and _is_word_char(text[p]):
                p += 1
        elif p < n:
            p += 1
    else:
        while p > 0 and text[p - 1].isspace():
            p -= 1
        if p > 0 and _is_word_char(text[p - 1]):
            while p > 0 and _is_word_char(text[p - 1]):
                p -= 1
        elif p > 0:
            p -= 1
    return (
        widen_to_characters(text, p, p)[0] if direction < 0 else widen_to_characters(text, p, p)[1]
    )


class EditController(QObject):
    """Tagging, relabelling, resizing, notes and undo, with the Edit menu's actions.

    It is given what it works on: the open project and document (as getters, since
    both change), the article view, a way to say something in the status bar and a
    way to open a document (undo shows the document its step belongs to).
    """

    snapChanged = Signal(bool)  # whole words (True) or characters

    def __init__(
        self,
        parent: QWidget,
        *,
        project: Callable[[], Project | None],
        document_id: Callable[[], int | None],
        view: ArticleView,
        say: Callable[[str], None],
        open_document: Callable[[int], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._project = project
        self._document_id = document_id
        self.view = view
        self.say = say
        self._open_document = open_document
        self.snap_words = True
        self.undo_action = make_action(parent, "Undo", self.undo, "Ctrl+Z")
        self.redo_action = make_action(parent, "Redo", self.redo, "Ctrl+Shift+Z", "Ctrl+Y")
        # Delete and Backspace are the article's own keys: the menu only names them.
        self.delete_action = make_action(parent, "Delete span\tDel", self.delete_selected_span)
        self.note_action = make_action(parent, "Note on span…", self.edit_note, "F2")
        self.snap_action = QAction(parent)  # with no icon: see make_action
        self.snap_action.setText("Snap selection to whole words")
        self.snap_action.setCheckable(True)
        self.snap_action.setChecked(self.snap_words)
        self.snap_action.setShortcut(QKeySequence("Ctrl+Shift+W"))
        self.snap_action.toggled.connect(self.toggle_snap)
        parent.addAction(self.snap_action)
        self.note_dialog: QWidget | None = None  # the open note dialog, for tests
        self.span_selected(None)

    @property
    def actions(self) -> list[QAction]:
        return [self.undo_action, self.redo_action, self.delete_action, self.note_action]

    def span_selected(self, span_id: int | None) -> None:
        """Actions on a span are offered only while one is selected."""
        self.delete_action.setEnabled(span_id is not None)
        self.note_action.setEnabled(span_id is not None)

    def toggle_snap(self, words: bool) -> None:
        self.snap_words = words
        if self.snap_action.isChecked() != words:
            self.snap_action.setChecked(words)
        self.snapChanged.emit(words)

    # --- the edits ---------------------------------------------------------------------

    def editable(self) -> bool:
        """Whether there is something to edit; says why not when there is not."""
        project = self._project()
        if project is None or self._document_id() is None:
            self.say("Open a project and a document first")
            return False
        if project.read_only:
            self.say("This project is open read-only: nothing can be changed")
            return False
        return True

    def _target(self) -> tuple[Project, int] | None:
        if not self.editable():
            return None
        project, document_id = self._project(), self._document_id()
        assert project is not None and document_id is not None
        return project, document_id

    def _run(self, what: str, action: Callable[[], T]) -> T | None:
        """Run one edit; a refusal of the core becomes a status-bar message."""
        try:
            return action()
        except (AnnotatorError, ValueError) as exc:
            self.say(f"Could not {what}: {exc}")
            return None
        finally:
            # The history takes the step after the change notice: name it now.
            self.update_history_actions()

    def apply_label(self, name: str) -> None:
        """Tag the selection with ``name``, or relabel the selected span: what a hotkey does."""
        target = self._target()
        if target is None:
            return
        project, document_id = target
        span_id = self.view.selected_span_id
        if span_id is not None and not self.view.textCursor().hasSelection():
            span = self._run("relabel", lambda: project.relabel_span(span_id, name))
            if span is not None:
                self.say(f"Relabelled as {name}")
            return
        start, end = self.view.selection()
        start, end = snap_selection(self.view.text, start, end, words=self.snap_words)
        if start == end:
            self.say("Select some text first (or click a span to relabel it)")
            return
        existing = project.find_span(document_id, start, end, name)
        if existing is not None:
            self.view.place_cursor(existing.end)
            self.view.set_selected_span(existing.id)
            self.say(f"Already tagged {name}")
            return
        added = self._run("tag", lambda: project.add_span(document_id, start, end, name))
        if added is not None:
            self.view.place_cursor(added.end)
            self.view.set_selected_span(added.id)
            self.say(f"Tagged {name}")

    def tag_all(self, extents: list[tuple[int, int]], name: str) -> int:
        """Tag every extent with ``name`` as one undoable step; how many were new."""
        target = self._target()
        if target is None:
            return 0
        project, document_id = target
        added = self._run("tag", lambda: project.add_spans(document_id, extents, name))
        if added is None:
            return 0
        already = len(extents) - len(added)
        note = f" ({already} already tagged)" if already else ""
        self.say(f"Tagged {len(added)} as {name}{note}")
        return len(added)

    def delete_selected_span(self) -> None:
        target = self._target()
        if target is None:
            return
        project, span_id = target[0], self.view.selected_span_id
        if span_id is None:
            self.say("Click a span (or press Tab) to select it first")
            return
        self._run("delete", lambda: project.delete_span(span_id))

    def move_edge(self, edge: str, direction: int) -> None:
        """Move the selected span's start or end one word (or character)."""
        if self._target() is None:
            return
        span = self.view.selected_span()
        if span is None:
            self.say("Select a span to move its edges (Tab, or click it)")
            return
        text = self.view.text
        start, end = span.start, span.end
        if edge == "start":
            start = step_edge(text, start, direction, words=self.snap_words)
            while start < end and text[start].isspace():
                start += 1
        else:
            end = step_edge(text, end, direction, words=self.snap_words)
            while end > start and text[end - 1].isspace():
                end -= 1
        if start >= end:
            self.say("A span cannot be shorter than one character")
            return
        self.resize_span(span.id, start, end)

    def snap_extent(self, start: int, end: int) -> tuple[int, int]:
        """Where a dragged edge lands: as a selection snaps (whole words or characters)."""
        return snap_selection(self.view.text, start, end, words=self.snap_words)

    def drag_span(self, span_id: int, start: int, end: int) -> None:
        """An edge dragged with the mouse: snapped as a selection snaps."""
        self.resize_span(span_id, *self.snap_extent(start, end))

    def resize_span(self, span_id: int, start: int, end: int) -> None:
        """Give a span new edges (whole characters, white space at the edges dropped)."""
        target = self._target()
        if target is None:
            return
        project = target[0]
        start, end = snap_selection(self.view.text, start, end, words=False)
        if start >= end:
            return
        self._run("resize", lambda: project.resize_span(span_id, start, end))

    def edit_note(self) -> None:
        """F2: a small dialog; Enter saves, Shift+Enter starts a new line, Esc cancels."""
        target = self._target()
        if target is None:
            return
        span = self.view.spans.get(self.view.selected_span_id or -1)
        if span is None:
            self.say("Select a span to add a note to it")
            return
        project = target[0]
        current = project.span(span.id).note
        from annotator.ui import dialogs  # loaded when first needed

        quote = dialogs.short_quote(self.view.text[span.start : span.end])
        dialog = dialogs.NoteDialog(f"Note on {span.label} “{quote}”", current, self._parent)
        self.note_dialog = dialog
        try:
            note = dialog.ask()
        finally:
            self.note_dialog = None
            self._parent.activateWindow()  # the keys go back to the article
            self.view.setFocus()
        if note is not None:
            self.set_note(note, span.id)

    def set_note(self, note: str, span_id: int | None = None) -> None:
        """Set the note of ``span_id`` (by default the selected span)."""
        target = self._target()
        if target is None:
            return
        project = target[0]
        span_id = self.view.selected_span_id if span_id is None else span_id
        if span_id is None:
            return
        saved: Span | None = self._run("set the note", lambda: project.set_note(span_id, note))
        if saved is not None:
            self.say("Note saved" if note else "Note removed")

    # --- history -----------------------------------------------------------------------

    def undo(self) -> None:
        self._step_history(redo=False)

    def redo(self) -> None:
        self._step_history(redo=True)

    def _step_history(self, *, redo: bool) -> None:
        project = self._project()
        if project is None or project.read_only:
            return
        history = project.history
        step = history.pop_redo() if redo else history.pop_undo()
        if step is None:
            self.say("Nothing to redo" if redo else "Nothing to undo")
            return
        # Show the document the step belongs to, so its effect is seen.
        if step.document_id is not None and step.document_id != self._document_id():
            self._open_document(step.document_id)
        done = self._run("undo", project.redo if redo else project.undo)
        if done is not None:
            self.say(("Redid " if redo else "Undid ") + step.description)
        self.update_history_actions()

    def update_history_actions(self) -> None:
        """Name the steps in the Edit menu: "Undo add PERSON 'Putin'"."""
        project = self._project()
        history = project.history if project is not None else None
        writable = project is not None and not project.read_only
        undo_text = history.undo_text if history else ""
        redo_text = history.redo_text if history else ""
        self.undo_action.setText(f"Undo {undo_text}" if undo_text else "Undo")
        self.redo_action.setText(f"Redo {redo_text}" if redo_text else "Redo")
        self.undo_action.setEnabled(writable and bool(undo_text))
        self.redo_action.setEnabled(writable and bool(redo_text))
