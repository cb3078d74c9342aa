"""Relations in the window: drawn, made from the keyboard or the mouse, listed, removed.

:class:`RelationController` owns what the window does with relations: it reads
the open document's relations (of the current layer) after every change that
can touch them, runs the chooser that ``r`` opens (candidates numbered nearest
first; Tab, a digit, Enter, Esc), links spans Alt+dragged onto each other, and
paints over the article what arcs alone do not show: the spans at the other
end of the selected or hovered span's relations, the chooser's numbers and,
when asked for, each span's label as a small tag.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from itertools import compress
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import QHeaderView, QMenu, QWidget

from annotator.core.colours import readable_on
from annotator.core.errors import AnnotatorError
from annotator.core.model import Relation, SpanExtent
from annotator.core.relation_types import RelationType, partners
from annotator.core.spancolumns import SpansById
from annotator.ui.actions import make_action
from annotator.ui.arcs import visible_range
from annotator.ui.side_panels import colour_icon
from annotator.ui.tables import HeaderedTableModel, caption, captioned_table, row_table

if TYPE_CHECKING:
    from annotator.core.project import Change, Project
    from annotator.ui.article_view import ArticleView

Index = QModelIndex | QPersistentModelIndex
NUMBERED = 9  # candidates a digit picks
TAG_SCALE = 0.5  # a label tag's font, of the article's


class Candidate(NamedTuple):
    """A span the chooser offers, with the ways it may be linked to the source:
    (type, whether the source is the head)."""

    span_id: int
    options: tuple[tuple[RelationType, bool], ...]


def link_candidates(
    types: Sequence[RelationType],
    label_names: Sequence[str],
    source: SpanExtent,
    spans: Iterable[SpanExtent],
    existing: Iterable[Relation] = (),
) -> list[Candidate]:
    """The spans ``source`` may be linked to, nearest first (by the characters between
    them, then by their starts); a link that exists already is not offered again."""
    allowed: dict[str, list[tuple[RelationType, bool]]] = {}
    for rtype, is_head, others in partners(types, source.label, label_names):
        for label in others:
            allowed.setdefault(label, []).append((rtype, is_head))
    options_of = {label: tuple(options) for label, options in allowed.items()}
    sid, s_start, s_end = source.id, source.start, source.end
    have = {(r.head, r.child, r.label) for r in existing if sid in (r.head, r.child)}
    linked = {head for head, _, _ in have} | {child for _, child, _ in have}
    # Plain tuples sorted in C: a document may hold thousands of candidates.
    found: list[tuple[int, int, int, tuple[tuple[RelationType, bool], ...]]] = []
    for span in spans:
        options = options_of.get(span.label)
        if options is None or span.id == sid:
            continue
        if span.id in linked:
            options = tuple(
                (rtype, is_head)
                for rtype, is_head in options
                if ((sid, span.id) if is_head else (span.id, sid)) + (rtype.name,) not in have
            )
            if not options:
                continue
        start = span.start
        gap = start - s_end if start >= s_end else max(s_start - span.end, 0)
        found.append((gap, abs(start - s_start), span.id, options))
    found.sort()  # span ids are unique: the options are never compared
    return [Candidate(span_id, options) for _, _, span_id, options in found]


class Chooser:
    """The chooser's state: whom it links from, what it offers, which is highlighted;
    ``typing`` once a candidate is confirmed and more than one type fits."""

    def __init__(self, source: int, candidates: list[Candidate]) -> None:
        self.source = source
        self.candidates = candidates
        self.current = 0
        self.typing: Candidate | None = None


class RelationController(QObject):
    """Relations of the open document in the article and in :class:`RelationPanel`."""

    relationsChanged = Signal()

    def __init__(
        self,
        parent: QWidget,
        *,
        project: Callable[[], Project | None],
        document_id: Callable[[], int | None],
        view: ArticleView,
        say: Callable[[str], None],
        edited: Callable[[], None],
        editable: Callable[[], bool],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._project = project
        self._document_id = document_id
        self.view = view
        self.say = say
        self._edited = edited  # names the new step in the Edit menu
        self._editable = editable
        self._relations: list[Relation] = []
        # Set while only the relations touching the first screen are in: reads the rest.
        self._read_rest: Callable[[], list[Relation]] | None = None
        self.types: list[RelationType] = []
        self.chooser: Chooser | None = None
        self.panel = RelationPanel(parent)
        self.panel.relationActivated.connect(self.select_relation)
        self.panel.deleteRequested.connect(self.delete_relation)
        self.panel.retypeRequested.connect(self.retype_by_key)
        # The article's own key (labels may not take it): see the F1 sheet.
        view.commands["R"] = self.start_link
        view.linkDragged.connect(self.link_dragged)
        view.overlays.append(self._paint)
        self.link_action = make_action(parent, "Link to…\tR", self.start_link)
        self.delete_action = make_action(parent, "Delete relation", self.delete_chosen)
        self.tags_action = make_action(
            parent, "Show label names on spans", self._tags_toggled, "Ctrl+Shift+L"
        )
        self.tags_action.setCheckable(True)
        self.show_tags = False

    # --- reading ---------------------------------------------------------------------

    @property
    def relations(self) -> list[Relation]:
        """The open document's relations (current layer), all of them: read now if only
        those touching the first screen are in yet."""
        self.complete()
        return self._relations

    @relations.setter
    def relations(self, relations: list[Relation]) -> None:
        self._read_rest = None
        self._relations = relations

    @property
    def is_complete(self) -> bool:
        """Whether every relation of the open document is read (not only the first
        screen's)."""
        return self._read_rest is None

    def refresh(self) -> None:
        """Read the open document's relations (current layer) and their colours again.

        A document shown from its top gets the relations with an end on its first
        screen now, for the first paint, and the rest (for the list) once painted.
        """
        project, document_id = self._project(), self._document_id()
        self._read_rest = None
        self.types = [] if project is None else project.relation_types()
        # Room for arcs above every line while the project has relation types, arcs
        # or none: making the first relation does not move the text.
        self.view.set_arc_room(bool(self.types))
        if project is None or document_id is None:
            self._relations = []
        else:
            layers = [project.annotator]
            reach = self.view.screen_reach()
            before = None if reach is None else self.view.view_map.from_view(reach, round_up=True)
            self._relations = project.relations(document_id, layers, touching_before=before)
            if before is not None:
                self._read_rest = lambda: project.relations(document_id, layers)
                self.view.after_next_paint(self.complete)
        self._show(reset=True)

    def complete(self) -> None:
        """Read the rest of the open document's relations, where only the first
        screen's are in: the list shows them all, the arcs follow."""
        if self._read_rest is None:
            return
        read, self._read_rest = self._read_rest, None
        self._relations = read()
        self._show(reset=True)

    def _show(
        self,
        *,
        reset: bool,
        removed: Iterable[int] = (),
        added: Sequence[Relation] = (),
        touched: Iterable[int] = (),
    ) -> None:
        """The article and the list take in the relations read: anew, or by the change."""
        colours = {rtype.name: rtype.colour for rtype in self.types}
        chosen = self.view.chosen_relation
        dropped = reset or chosen in set(removed)
        relations = self._relations
        if chosen is not None and dropped and chosen not in {r.id for r in relations}:
            self.view.chosen_relation = None
        self.view.set_relations(relations, colours, None if reset else touched)
        if reset:
            self.panel.set_relations(relations, self.view.text, self.view.spans, colours)
        else:
            self.panel.apply(list(removed), list(added))
        self.relationsChanged.emit()

    def document_opened(self) -> None:
        self.cancel(quiet=True)
        self.refresh()

    def on_change(self, change: Change) -> None:
        """After the window has taken in a change: the relations of the spans it touched
        are read again (a relation made, deleted or retyped names its two spans; a span
        deleted takes its relations along, and brings them back when put back). One
        look-up a span: a document's 2,000 relations are not read again for one edit."""
        project = self._project()
        if project is None or change.document_id != self._document_id():
            return
        if change.kind == "labels":
            self.refresh()
            return
        if change.kind != "spans" or not change.span_ids:
            return
        touched = set(change.span_ids)
        spans = self.view.spans  # the current layer's, the change taken in already
        found: dict[int, Relation] = {}
        for span_id in touched:
            for relation in project.relations_of(span_id):
                if relation.head in spans and relation.child in spans:
                    found[relation.id] = relation
        if not found and self.view.relation_layer.ends_none_of(touched):
            return  # a span with no relations, before or after (the usual edit)
        removed_relations = [r for r in self.relations if r.head in touched or r.child in touched]
        gone = [r.id for r in removed_relations]
        if set(removed_relations) == set(found.values()):
            return  # a span relabelled, resized or noted: its relations are as they were
        gone_ids = set(gone)
        kept = [r for r in self.relations if r.id not in gone_ids]
        added = sorted(found.values(), key=lambda r: r.id)
        self.relations = sorted([*kept, *added], key=lambda r: r.id)
        # Both ends of every relation made or dropped: an arc runs from one to the other.
        ends = touched | {i for r in added for i in (r.head, r.child)}
        ends |= {i for r in removed_relations for i in (r.head, r.child)}
        self._show(reset=False, removed=gone, added=added, touched=ends)

    # --- the chooser -----------------------------------------------------------------

    def start_link(self) -> None:
        """``r``: offer the spans the selected span may be linked to, nearest first."""
        if not self._editable():
            return
        project = self._project()
        assert project is not None
        source = self.view.selected_span()
        if source is None:
            self.say("Select a span first (Tab, or click it), then press r to link it")
            return
        labels = [label.name for label in project.labels]
        found = link_candidates(
            self.types, labels, source, self._spans_that_may_link(source, labels), self.relations
        )
        if not found:
            self.say(f"Nothing to link a {source.label} to in this document")
            return
        self.chooser = Chooser(source.id, found)
        self.view.installEventFilter(self)
        self._show_current()

    def _spans_that_may_link(
        self, source: SpanExtent, labels: Sequence[str]
    ) -> Iterable[SpanExtent]:
        """The open document's spans of a label some relation type lets ``source`` link to."""
        partner_labels = {
            label for _, _, others in partners(self.types, source.label, labels) for label in others
        }
        return self.view.spans.of_labels(partner_labels)

    def cancel(self, *, quiet: bool = False) -> None:
        if self.chooser is None:
            return
        self.chooser = None
        self.view.removeEventFilter(self)
        self.view.viewport().update()
        if not quiet:
            self.say("Link cancelled")

    def move(self, step: int) -> None:
        chooser = self.chooser
        if chooser is None or chooser.typing is not None:
            return
        chooser.current = (chooser.current + step) % len(chooser.candidates)
        self._show_current()

    def pick(self, number: int) -> None:
        """A digit: the candidate numbered so (1 is the nearest)."""
        chooser = self.chooser
        if chooser is None or not 1 <= number <= min(NUMBERED, len(chooser.candidates)):
            return
        chooser.current = number - 1
        self.confirm()

    def confirm(self) -> None:
        """Enter: link to the highlighted candidate, or ask for the type if several fit."""
        chooser = self.chooser
        if chooser is None:
            return
        candidate = chooser.candidates[chooser.current]
        if len(candidate.options) == 1:
            self._finish(candidate.options[0], candidate)
            return
        chooser.typing = candidate
        choices = ", ".join(
            f"{rtype.name} ({rtype.hotkey or n})"
            for n, (rtype, _) in enumerate(candidate.options, start=1)
        )
        self.say(f"Link as: {choices}. Press its key; Esc cancels")
        self.view.viewport().update()

    def pick_type(self, key: str) -> bool:
        chooser = self.chooser
        if chooser is None or chooser.typing is None:
            return False
        for n, option in enumerate(chooser.typing.options, start=1):
            if key in (option[0].hotkey, str(n)):
                self._finish(option, chooser.typing)
                return True
        return False

    def _finish(self, option: tuple[RelationType, bool], candidate: Candidate) -> None:
        chooser = self.chooser
        assert chooser is not None
        source = chooser.source
        self.cancel(quiet=True)
        rtype, source_is_head = option
        head, child = (source, candidate.span_id) if source_is_head else (candidate.span_id, source)
        self.link(head, child, rtype.name)
        self.view.set_selected_span(source)

    def _show_current(self) -> None:
        chooser = self.chooser
        assert chooser is not None
        candidate = chooser.candidates[chooser.current]
        span = self.view.spans.get(candidate.span_id)
        if span is not None:
            self.view.show_position(span.start)
            words = " ".join(self.view.text[span.start : span.end].split())
            words = words if len(words) <= 40 else words[:39] + "…"
            total = len(chooser.candidates)
            self.say(
                f"Link to {span.label} “{words}” ({chooser.current + 1} of {total}): "
                "Enter links, Tab / Shift+Tab move, a digit picks, Esc cancels"
            )
        self.view.viewport().update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """While choosing, the article's keys are the chooser's."""
        if self.chooser is None or watched is not self.view:
            return False
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            if kind == QEvent.Type.FocusOut:
                self.cancel()
            return False
        assert isinstance(event, QKeyEvent)
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # no window shortcut runs while choosing
            return True
        key, text = event.key(), event.text()
        if key == Qt.Key.Key_Escape:
            self.cancel()
        elif self.chooser.typing is not None:
            if not self.pick_type(text.lower()):
                self.say("Press the key of the relation type; Esc cancels")
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.move(-1 if key == Qt.Key.Key_Backtab or shift else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm()
        elif text.isdigit() and text != "0":
            self.pick(int(text))
        else:
            self.say("Choosing a span to link: Tab, a digit or Enter; Esc cancels")
        return True

    # --- edits -----------------------------------------------------------------------

    def link(self, head: int, child: int, type_name: str) -> Relation | None:
        """Make one relation (one undoable step)."""
        project = self._project()
        if project is None or not self._editable():
            return None
        try:
            relation = project.add_relation(head, child, type_name)
        except (AnnotatorError, ValueError) as exc:
            self.say(f"Could not link: {exc}")
            return None
        finally:
            self._edited()
        self.say(f"Linked: {type_name}")
        return relation

    def link_dragged(self, first: int, second: int) -> None:
        """Alt+drag from one span onto another: linked whichever way a type allows."""
        a, b = self.view.spans.get(first), self.view.spans.get(second)
        project = self._project()
        if a is None or b is None or project is None:
            return
        labels = [label.name for label in project.labels]
        found = link_candidates(project.relation_types(), labels, a, [b], self.relations)
        if not found:
            self.say(f"No relation type links a {a.label} and a {b.label} (or they are linked)")
            return
        options = found[0].options
        # The direction the drag went first (head -> child), then the other.
        options = tuple(sorted(options, key=lambda option: not option[1]))
        if len(options) > 1 and options[0][1] == options[1][1]:
            menu = QMenu(self._parent)
            for option in options:
                action = menu.addAction(option[0].name)
                action.triggered.connect(
                    lambda _=False, o=option: self._link_option(first, second, o)
                )
            menu.popup(self.view.mapToGlobal(self.view.rect().center()))
            return
        self._link_option(first, second, options[0])

    def _link_option(self, source: int, other: int, option: tuple[RelationType, bool]) -> None:
        rtype, source_is_head = option
        head, child = (source, other) if source_is_head else (other, source)
        self.link(head, child, rtype.name)

    def delete_relation(self, relation_id: int) -> None:
        project = self._project()
        if project is None or not self._editable():
            return
        try:
            project.delete_relation(relation_id)
        except (AnnotatorError, ValueError) as exc:
            self.say(f"Could not delete the relation: {exc}")
            return
        finally:
            self._edited()
        self.say("Relation deleted")

    def retype_by_key(self, relation_id: int, key: str) -> None:
        """A type's key on a row of the list: the relation becomes of that type."""
        project = self._project()
        if project is None or not self._editable():
            return
        rtype = next((t for t in project.relation_types() if t.hotkey == key), None)
        if rtype is None:
            keys = ", ".join(f"{t.hotkey} {t.name}" for t in project.relation_types() if t.hotkey)
            self.say(f"No relation type has the key {key!r} ({keys})")
            return
        try:
            project.retype_relation(relation_id, rtype.name)
        except (AnnotatorError, ValueError) as exc:
            self.say(f"Could not retype: {exc}")
            return
        finally:
            self._edited()
        self.say(f"Retyped as {rtype.name}")

    def delete_chosen(self) -> None:
        chosen = self.panel.current_relation()
        if chosen is None:
            self.say("Pick a relation in the relation list first")
            return
        self.delete_relation(chosen)

    def select_relation(self, relation_id: int) -> None:
        """A row of the list: the relation drawn strong, its head selected and in sight."""
        relation = next((r for r in self.relations if r.id == relation_id), None)
        if relation is None:
            return
        self.view.chosen_relation = relation_id
        self.view.set_selected_span(relation.head, scroll=True)
        self.view.viewport().update()

    def _tags_toggled(self) -> None:
        self.show_tags = self.tags_action.isChecked()
        # The tags sit at the foot of the room above a line; the arcs run above them.
        _, metrics = self._small_font(TAG_SCALE)
        tag = max(metrics.height() - 3, 0.0) / self.view.fontMetrics().height()
        self.view.relation_layer.lift = tag if self.show_tags else 0.0
        self.view.viewport().update()

    def set_show_tags(self, show: bool) -> None:
        self.tags_action.setChecked(show)
        self._tags_toggled()

    # --- painting over the article ---------------------------------------------------

    def _paint(self, painter: QPainter, _area: QRect) -> None:
        view = self.view
        focus = view.hovered_span_id if view.hovered_span_id is not None else None
        others: set[int] = set()
        ids = {i for i in (view.selected_span_id, focus) if i is not None}
        if ids:  # a loop over the relations is cheaper than keeping a map up to date
            for relation in self.relations:
                if relation.head in ids:
                    others.add(relation.child)
                elif relation.child in ids:
                    others.add(relation.head)
        for span_id in others:
            self._outline(painter, span_id, Qt.PenStyle.DashLine, 2)
        if self.show_tags:
            self._paint_tags(painter)
        if self.chooser is not None:
            self._paint_chooser(painter, self.chooser)

    def _outline(self, painter: QPainter, span_id: int, style: Qt.PenStyle, width: int) -> None:
        span = self.view.spans.get(span_id)
        if span is None:
            return
        colour = self.view.colours.get(span.label, QColor("#444444")).darker(170)
        pen = QPen(colour, width)
        pen.setStyle(style)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for rect in self.view.span_rects(span_id):
            painter.drawRect(rect.adjusted(-1, 0, 1, 0))

    def _small_font(self, scale: float = 0.62) -> tuple[QFont, QFontMetricsF]:
        font = QFont(self.view.font())
        font.setPointSizeF(max(font.pointSizeF() * scale, 6.5))
        font.setBold(True)
        return font, QFontMetricsF(font)

    def _chip(
        self,
        painter: QPainter,
        metrics: QFontMetricsF,
        x: float,
        bottom: float,
        words: str,
        colour: QColor,
    ) -> float:
        """A filled tag with ``words`` whose bottom-left is (x, bottom); returns its width."""
        width = metrics.horizontalAdvance(words) + 6
        box = QRectF(x, bottom - metrics.height(), width, metrics.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QColor(readable_on(colour.name())))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, words)
        return width

    def _paint_chooser(self, painter: QPainter, chooser: Chooser) -> None:
        font, metrics = self._small_font()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        source = chooser.source
        self._outline(painter, source, Qt.PenStyle.SolidLine, 2)
        for n, candidate in enumerate(chooser.candidates):
            current = n == chooser.current
            if n >= NUMBERED and not current:
                continue
            rects = self.view.span_rects(candidate.span_id)
            if not rects:
                continue
            colour = QColor(candidate.options[0][0].colour)
            if current:
                painter.setPen(QPen(colour, 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                for rect in rects:
                    painter.drawRect(rect.adjusted(-2, -1, 2, 1))
            words = str(n + 1) if n < NUMBERED else "↵"
            if current:
                words += " ↵"
            first = rects[0]
            bottom = max(first.top() + 1, metrics.height())  # on screen on the top line too
            self._chip(painter, metrics, first.left() - 2, bottom, words, colour)
        painter.restore()

    def _paint_tags(self, painter: QPainter) -> None:
        view = self.view
        first, last = visible_range(view)
        # A small tag at the foot of the room above the line (RelationLayer.lift keeps
        # the arcs above it); without room, over the foot of the line above, where
        # only descenders reach.
        font, metrics = self._small_font(TAG_SCALE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        used: dict[float, float] = {}  # line top -> right end of the last tag on it
        for entry in view.index.overlapping(first, max(last, first + 1)):
            rects = view.span_rects(entry.id)
            if not rects:
                continue
            rect = rects[0]
            x = max(rect.left(), used.get(rect.top(), -1e9) + 2)
            colour = view.colours.get(entry.label, QColor("#7F7F7F"))
            width = self._chip(painter, metrics, x, rect.top() + 3, entry.label, colour)
            used[rect.top()] = x + width
        painter.restore()


class RelationTableModel(HeaderedTableModel):
    """The open document's relations: type, head text, child text."""

    HEADERS = ("Type", "Head", "Child")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.relations: list[Relation] = []
        self.text = ""
        self.spans = SpansById()
        self.colours: dict[str, str] = {}
        self.icons: dict[str, Any] = {}  # a type's swatch, made when its first row is drawn

    def set_relations(
        self,
        relations: list[Relation],
        text: str,
        spans: SpansById,
        colours: dict[str, str],
    ) -> None:
        self.beginResetModel()
        self.text, self.spans = text, spans  # the view's: kept current by the window
        self.relations = _with_both_ends(relations, spans)
        self.colours, self.icons = colours, {}
        self.endResetModel()

    def _icon(self, label: str) -> Any:
        if label not in self.icons and label in self.colours:
            self.icons[label] = colour_icon(QColor(self.colours[label]))
        return self.icons.get(label)

    def apply(self, removed: list[int], added: list[Relation]) -> None:
        """Take in one edit row by row (rows stay in the order relations were made)."""
        gone = set(removed)
        for row in reversed(range(len(self.relations))):
            if self.relations[row].id in gone:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.relations[row]
                self.endRemoveRows()
        ids = [r.id for r in self.relations]
        for relation in added:
            row = bisect_left(ids, relation.id)
            self.beginInsertRows(QModelIndex(), row, row)
            self.relations.insert(row, relation)
            ids.insert(row, relation.id)
            self.endInsertRows()

    def words(self, span_id: int) -> str:
        span = self.spans.get(span_id)
        return "" if span is None else " ".join(self.text[span.start : span.end].split())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.relations)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        relation = self.relations[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return relation.label
            return self.words(relation.head if column == 1 else relation.child)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._icon(relation.label)
        if role == Qt.ItemDataRole.UserRole:
            return relation.id
        return None


class RelationPanel(QWidget):
    """The relation list beside the span list; a row selects the relation, Delete removes it."""

    relationActivated = Signal(int)
    deleteRequested = Signal(int)
    retypeRequested = Signal(int, str)  # relation id, the key of its new type

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RelationTableModel(self)
        self.table = row_table(self, self.model, keys=self._key)
        header = self.table.horizontalHeader()
        # Fixed widths: sizing to contents would measure every row on every change.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, self.fontMetrics().horizontalAdvance("located-in") + 36)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._activated(current)
        )
        self.title = caption(self, "Relations")
        captioned_table(self, self.title, self.table)

    def set_relations(
        self,
        relations: list[Relation],
        text: str,
        spans: SpansById,
        colours: dict[str, str],
    ) -> None:
        chosen = self.current_relation()
        self.model.set_relations(relations, text, spans, colours)
        self.title.setText(f"Relations ({self.model.rowCount()})")
        for row, relation in enumerate(self.model.relations):
            if relation.id == chosen:
                self.table.selectRow(row)

    def apply(self, removed: list[int], added: list[Relation]) -> None:
        self.model.apply(removed, added)
        self.title.setText(f"Relations ({self.model.rowCount()})")

    def current_relation(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(Qt.ItemDataRole.UserRole)
        return None if value is None else int(value)

    def _activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        value = index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        if value is not None:
            self.relationActivated.emit(int(value))

    def _key(self, event: QKeyEvent) -> bool:
        """Delete (or Backspace) on a row removes that relation; a type's key retypes it."""
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            chosen = self.current_relation()
            if chosen is not None:
                self.deleteRequested.emit(chosen)
            return True
        plain = not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        chosen = self.current_relation()
        if plain and event.text().isalpha() and chosen is not None:
            self.retypeRequested.emit(chosen, event.text().lower())
            return True
        return False


def _with_both_ends(relations: list[Relation], spans: SpansById) -> list[Relation]:
    """The relations whose two spans are in ``spans`` (looked up in one pass over the
    view's columns: a document's 2,000 relations are listed as it opens)."""
    starts = spans.starts_of(i for r in relations for i in (r.head, r.child))
    both = [a is not None and b is not None for a, b in zip(starts[::2], starts[1::2], strict=True)]
    return list(compress(relations, both))
