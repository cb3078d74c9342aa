"""What the window does when a person tags, fixes or undoes: the edit commands.

Each command calls the :class:`Project` once; the project commits, then tells
every listener, and the window redraws from that notice. Nothing here writes
to the view directly, so what is shown is always what is stored.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.core.offsets import snap_selection, widen_to_characters

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


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


class EditCommands:
    """Mixed into :class:`MainWindow`: tagging, relabelling, resizing, notes, undo."""

    def _editable(self: MainWindow) -> bool:
        if self.project is None or self.document_id is None:
            self.say("Open a project and a document first")
            return False
        if self.project.read_only:
            self.say("This project is open read-only: nothing can be changed")
            return False
        return True

    def _run(self: MainWindow, what: str, action: object) -> object:
        """Run one edit; a refusal of the core becomes a status-bar message."""
        try:
            return action()  # type: ignore[operator]
        except (AnnotatorError, ValueError) as exc:
            self.say(f"Could not {what}: {exc}")
            return None
        finally:
            # The history takes the step after the change notice: name it now.
            self.update_history_actions()

    def apply_label(self: MainWindow, name: str) -> None:
        """Tag the selection with ``name``, or relabel the selected span: what a hotkey does."""
        if not self._editable():
            return
        assert self.project is not None and self.document_id is not None
        project, document_id = self.project, self.document_id
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
        span = self._run("tag", lambda: project.add_span(document_id, start, end, name))
        if span is not None:
            cursor = self.view.textCursor()
            cursor.setPosition(self.view.view_map.to_view(span.end))  # type: ignore[attr-defined]
            self.view.setTextCursor(cursor)
            self.view.set_selected_span(span.id)  # type: ignore[attr-defined]
            self.say(f"Tagged {name}")

    def delete_selected_span(self: MainWindow) -> None:
        if not self._editable():
            return
        assert self.project is not None
        project, span_id = self.project, self.view.selected_span_id
        if span_id is None:
            self.say("Click a span (or press Tab) to select it first")
            return
        self._run("delete", lambda: project.delete_span(span_id))

    def move_edge(self: MainWindow, edge: str, direction: int) -> None:
        """Move the selected span's start or end one word (or character)."""
        if not self._editable():
            return
        assert self.project is not None
        span = self.view.spans.get(self.view.selected_span_id or -1)
        if span is None:
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

    def resize_span(self: MainWindow, span_id: int, start: int, end: int) -> None:
        """Give a span new edges (whole characters, white space at the edges dropped)."""
        if not self._editable():
            return
        assert self.project is not None
        project = self.project
        start, end = snap_selection(self.view.text, start, end, words=False)
        if start >= end:
            return
        self._run("resize", lambda: project.resize_span(span_id, start, end))

    def edit_note(self: MainWindow) -> None:
        if not self._editable():
            return
        span = self.view.spans.get(self.view.selected_span_id or -1)
        if span is None:
            self.say("Select a span to add a note to it")
            return
        assert self.project is not None
        current = self.project.span(span.id).note
        words = self.view.text[span.start : span.end][:60]
        from annotator.ui import dialogs  # loaded when first needed

        note = dialogs.ask_note(self, f"Note on {span.label} “{words}”", current)
        if note is not None:
            self.set_note(note)

    def set_note(self: MainWindow, note: str) -> None:
        """Set the note of the selected span."""
        if not self._editable():
            return
        assert self.project is not None
        project, span_id = self.project, self.view.selected_span_id
        if span_id is not None:
            self._run("set the note", lambda: project.set_note(span_id, note))

    def undo(self: MainWindow) -> None:
        self._step_history(redo=False)

    def redo(self: MainWindow) -> None:
        self._step_history(redo=True)

    def _step_history(self: MainWindow, *, redo: bool) -> None:
        if self.project is None or self.project.read_only:
            return
        history = self.project.history
        step = history.pop_redo() if redo else history.pop_undo()
        if step is None:
            self.say("Nothing to redo" if redo else "Nothing to undo")
            return
        # Show the document the step belongs to, so its effect is seen.
        if step.document_id is not None and step.document_id != self.document_id:
            self.open_document(step.document_id)
        project = self.project
        done = self._run("undo", project.redo if redo else project.undo)
        if done is not None:
            self.say(("Redid " if redo else "Undid ") + step.description)
        self.update_history_actions()
