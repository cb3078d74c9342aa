"""Suggestions in the window: dashed outlines in their label's colour, answered from
the keyboard.

``a`` or Enter accepts the suggestion under the cursor (or else the next one), ``x``
rejects it, ``n`` / Shift+N move to the next / previous suggestion from the cursor,
Shift+A accepts every suggestion of that one's source in the document as one
step. View › Suggestions shows or hides each source. As you tag, the new span's
other occurrences in the document are proposed at once (``suggest:propagate``).

The part keeps the open document's pending suggestions, in reading order and in
code points, and follows the project's change notices: an accepted or tagged
extent leaves the list at once, anything undone or rejected reads it again.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QMenu, QWidget

from annotator.core.errors import AnnotatorError, SpanError
from annotator.core.layers import is_suggestion
from annotator.core.model import Label, Span, SpanExtent
from annotator.core.records import Change
from annotator.core.spanindex import SpanIndex
from annotator.core.suggest.live import propagate_tag
from annotator.ui.arcs import visible_range
from annotator.ui.keys import letters_lost
from annotator.ui.settings import project_key

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.ui.article_view import ArticleView

Key = tuple[int, int, str]
HIDDEN_KEY = "suggestions/hidden"  # sources not shown, in the window's settings


def source_of(span: Span) -> str:
    return span.annotator.removeprefix("suggest:")


def _key(span: Span) -> Key:
    return (span.start, span.end, span.label)


class SuggestionPart(QObject):
    """The open document's suggestions: drawn, stepped through, accepted, rejected."""

    def __init__(
        self,
        parent: QWidget,
        *,
        project: Callable[[], Project | None],
        document_id: Callable[[], int | None],
        view: ArticleView,
        say: Callable[[str], None],
        settings: QSettings,
        menu: QMenu,
    ) -> None:
        """``menu`` is View › Suggestions, made by the window before the part (whose
        module loads when first used): filled each time it opens."""
        super().__init__(parent)
        self._project = project
        self._document_id = document_id
        self.view = view
        self.say = say
        self.settings = settings
        self.pending: list[Span] = []  # every source's, in reading order
        hidden = settings.value(HIDDEN_KEY)
        self.hidden: set[str] = set(hidden) if isinstance(hidden, list) else set()
        self.index = SpanIndex()  # the shown ones, in view positions, for painting
        self.current: int | None = None  # where n last went
        self._unsubscribe: Callable[[], None] | None = None
        self.propagate_as_you_tag = True
        view.overlays.append(self.paint)
        view.commands.update(
            {
                "a": self.accept,
                "Return": self.accept,
                "Enter": self.accept,
                "x": self.reject,
                "n": lambda: self.move(1),
                "Shift+N": lambda: self.move(-1),
                "Shift+A": self.accept_all,
            }
        )
        self.menu = menu
        self.menu.aboutToShow.connect(self._fill_menu)

    # --- following the project ----------------------------------------------------------

    def project_changed(self, project: Project | None) -> None:
        """Listen to the project now shown; say once if its labels lost their letter."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if project is None:
            self.pending = []
            self._reindex()
            return
        self._unsubscribe = project.subscribe(self.on_change)
        self.reload()
        lost = letters_lost(project.labels)
        said = project_key(project.path, "suggestions/letters_said")
        if lost and not self.settings.value(said):
            self.settings.setValue(said, True)
            self.say(letters_notice(lost, project))

    def reload(self) -> None:
        """The open document's pending suggestions, read anew."""
        project, document_id = self._project(), self._document_id()
        if project is None or document_id is None:
            self.pending = []
        else:
            self.pending = project.suggestions(document_id)
        if self.current is not None and all(s.id != self.current for s in self.pending):
            self.current = None
        self._reindex()

    def document_opened(self, _document_id: int) -> None:
        self.current = None
        self.reload()

    def on_change(self, change: Change) -> None:
        """A committed change: proposals for a new tag, answers, undos."""
        project = self._project()
        if project is None:
            return
        if change.kind == "labels":
            self.reload()
            return
        if change.kind != "spans" or change.document_id != self._document_id():
            return
        if change.relations_only:  # the spans stay as they were: nothing to answer
            return
        mine: list[Span] = []
        read_again = not change.span_ids
        for span_id in change.span_ids:
            try:
                span = project.span(span_id)
            except SpanError:  # removed (an undo, a deletion): it may be pending again
                read_again = True
                continue
            if is_suggestion(span.annotator):  # rejected, or the rejection undone
                read_again = True
            elif span.annotator == project.annotator:
                mine.append(span)
        if read_again:
            self.reload()
            return
        answered = {_key(s) for s in mine}
        gone = [s for s in self.pending if _key(s) in answered]
        if gone:
            self.pending = [s for s in self.pending if _key(s) not in answered]
        new: list[Span] = []
        if len(mine) == 1 and not gone and self.propagate_as_you_tag:
            new = self._propagate(project, mine[0])
        if gone or new:
            self._redraw(gone, new)

    def _propagate(self, project: Project, span: Span) -> list[Span]:
        """A person tagged ``span``: its text's other occurrences become suggestions."""
        same = [
            (s.start, s.end, s.label) for s in self.view.spans.values() if s.label == span.label
        ]
        try:
            new = propagate_tag(
                project,
                span.document_id,
                self.view.text,
                _key(span),
                same,
                {_key(s) for s in self.pending},
            )
        except AnnotatorError as exc:
            self.say(f"Could not propose its other occurrences: {exc}")
            return []
        if new:
            self.pending = list(heapq.merge(self.pending, new, key=self._order))
            message = f"Tagged {span.label}; {_count(len(new), 'other occurrence')} suggested"
            QTimer.singleShot(0, lambda: self.say(message))  # after the edit's own message
        return new

    def _order(self, span: Span) -> tuple[int, int, int]:
        return (span.start, -span.end, self.view.label_order.get(span.label, 0))

    # --- what is shown -------------------------------------------------------------------

    def shown(self) -> list[Span]:
        return [s for s in self.pending if source_of(s) not in self.hidden]

    def _in_view(self, span: Span) -> SpanExtent:
        to_view = self.view.view_map.to_view
        return SpanExtent(span.id, to_view(span.start), to_view(span.end), span.label)

    def _reindex(self) -> None:
        """Every shown suggestion indexed anew, and the article repainted."""
        self.index = SpanIndex(map(self._in_view, self.shown()), self.view.label_order)
        self.view.viewport().update()

    def _redraw(self, removed: list[Span], added: list[Span]) -> None:
        """Take in an edit's effect; repaint only the lines it touched (as spans do)."""
        if len(removed) + len(added) > 64:  # many, all over the article: index anew
            self._reindex()
            return
        hidden = self.hidden
        region = self.index.update(
            [s.id for s in removed],
            [self._in_view(s) for s in added if source_of(s) not in hidden],
        )
        if region is not None:
            self.view.repaint_region(*region)

    def set_source_shown(self, source: str, shown: bool) -> None:
        """View › Suggestions: show or hide one source's suggestions (kept for next time)."""
        (self.hidden.discard if shown else self.hidden.add)(source)
        self.settings.setValue(HIDDEN_KEY, sorted(self.hidden))
        self._reindex()
        self.say(f"Suggestions of {source} {'shown' if shown else 'hidden'}")

    def _fill_menu(self) -> None:
        self.menu.clear()
        project = self._project()
        sources = project.suggestion_sources() if project is not None else []
        if not sources:
            self.menu.addAction("(no suggestions in this project)").setEnabled(False)
        for source in sources:
            action = self.menu.addAction(f"Show {source}")
            action.setCheckable(True)
            action.setChecked(source not in self.hidden)
            action.toggled.connect(lambda on, s=source: self.set_source_shown(s, on))

    def paint(self, painter: QPainter, area: QRect) -> None:
        """Dashed outlines in the label's colour: never a tint, so never taken for a span.
        The one ``n`` went to is drawn thicker; nested ones inset by depth."""
        if not len(self.index):
            return
        first, last = visible_range(self.view)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for entry in self.index.overlapping(first, max(last, first + 1)):
            colour = self.view.colours.get(entry.label, QColor("#555555"))
            current = entry.id == self.current
            pen = QPen(colour.darker(120), 2.0 if current else 1.0, Qt.PenStyle.CustomDashLine)
            pen.setDashPattern([4.0, 3.0] if current else [5.0, 3.0])
            painter.setPen(pen)
            inset = 1.0 + min(entry.track, 3) * 2.0
            for rect, first_line, last_line in self.view.extent_rects(entry.start, entry.end):
                _outline(painter, rect, inset, first_line, last_line)

    # --- the keys ------------------------------------------------------------------------

    def _cursor(self) -> int:
        cursor = self.view.textCursor()
        return self.view.view_map.from_view(cursor.selectionStart())

    def target(self) -> Span | None:
        """The suggestion under the cursor (the one ``n`` went to, else the innermost),
        or else the next one after it."""
        shown = self.shown()
        position = self._cursor()
        for span in shown:
            if span.id == self.current and span.start <= position < span.end:
                return span
        under = [s for s in shown if s.start <= position < s.end]
        if under:
            return max(under, key=lambda s: (s.start, -s.end))
        return next((s for s in shown if s.start >= position), None)

    def _editable(self) -> Project | None:
        project = self._project()
        if project is None or self._document_id() is None:
            self.say("Open a project and a document first")
            return None
        if project.read_only:
            self.say("This project is open read-only: nothing can be changed")
            return None
        return project

    def accept(self) -> None:
        """a / Enter: the suggestion becomes a span of yours (one undo step)."""
        self._answer("accept", lambda project, span_id: project.accept_suggestion(span_id))

    def reject(self) -> None:
        """x: the suggestion is wrong here, and is not proposed again (one undo step)."""
        self._answer("reject", lambda project, span_id: project.reject_suggestion(span_id))

    def _answer(self, verb: str, answer: Callable[[Project, int], object]) -> None:
        """Answer the suggestion under the cursor (or the next one), then move past it."""
        project = self._editable()
        if project is None:
            return
        target = self.target()
        if target is None:
            self.say("No suggestion under the cursor or after it")
            return
        try:
            answer(project, target.id)
        except AnnotatorError as exc:
            self.say(f"Could not {verb}: {exc}")
            return
        self._go_past(target, f"{verb.capitalize()}ed {target.label} {_quote(target.text)}")

    def accept_all(self) -> None:
        """Shift+A: every suggestion in the document from the source of the one under
        the cursor (or the next one), as one undo step."""
        project, document_id = self._editable(), self._document_id()
        if project is None or document_id is None:
            return
        target = self.target() or next(iter(self.shown()), None)
        if target is None:
            self.say("No suggestions in this document")
            return
        source = source_of(target)
        try:
            added = project.accept_all_suggestions(document_id, source)
        except AnnotatorError as exc:
            self.say(f"Could not accept: {exc}")
            return
        self.current = None
        self.say(f"Accepted {_count(len(added), 'suggestion')} of {source}")

    def move(self, step: int) -> None:
        """n / Shift+N: the next / previous suggestion from the cursor, in reading order."""
        shown = self.shown()
        if not shown:
            self.say("No suggestions in this document")
            return
        position = self._cursor()
        at = next(
            (i for i, s in enumerate(shown) if s.id == self.current and s.start == position),
            None,
        )
        found: Span | None
        if at is not None:
            index = at + step
            found = shown[index] if 0 <= index < len(shown) else None
        elif step > 0:
            found = next((s for s in shown if s.start >= position), None)
        else:
            found = next((s for s in reversed(shown) if s.start < position), None)
        if found is None:
            self.say("No more suggestions after the cursor" if step > 0 else "No suggestion before")
            return
        self.go_to(found)
        self.say(f"Suggestion: {found.label} {_quote(found.text)} from {source_of(found)}")

    def go_to(self, span: Span) -> None:
        """Put the cursor at the suggestion's start, in sight, and mark it."""
        self.view.set_selected_span(None)
        self.current = span.id
        self.view.place_cursor(span.start)
        self.view.ensureCursorVisible()
        self.view.viewport().update()

    def _go_past(self, answered: Span, message: str) -> None:
        """After an answer: on to the next suggestion, so a, a, x, a walks the document."""
        after = (answered.start, -answered.end)
        following = next((s for s in self.shown() if (s.start, -s.end) > after), None)
        if following is None:
            self.current = None
            self.view.place_cursor(answered.end)
            self.say(message + "; no more suggestions after it")
            return
        self.go_to(following)
        self.say(message)


def letters_notice(lost: list[Label], project: Project) -> str:
    """Said once per project: which labels answer to their digit only now."""
    digits = {label.name: n for n, label in enumerate(project.labels[:9], start=1)}
    parts = [
        f"{label.name} no longer answers to {label.hotkey}"
        + (f" (still to {digits[label.name]})" if label.name in digits else "")
        for label in lost
    ]
    return (
        "; ".join(parts)
        + ": a, x and n now accept, reject and move between suggestions, and r links spans"
    )


def _outline(painter: QPainter, rect: QRectF, inset: float, first: bool, last: bool) -> None:
    """Top and bottom on every line; the left side on the first, the right on the last."""
    left = rect.left() + (inset if first else 0.0)
    right = rect.right() - (inset if last else 0.0)
    top, bottom = rect.top() + inset, rect.bottom() - inset
    painter.drawLine(QPointF(left, top), QPointF(right, top))
    painter.drawLine(QPointF(left, bottom), QPointF(right, bottom))
    if first:
        painter.drawLine(QPointF(left, top), QPointF(left, bottom))
    if last:
        painter.drawLine(QPointF(right, top), QPointF(right, bottom))


def _quote(text: str) -> str:
    words = " ".join(text.split())
    return f"“{words if len(words) <= 40 else words[:39] + '…'}”"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"
