"""Relations drawn over the article as brat draws them: a labelled arc from head to child.

An arc rises from the head span, runs above the line and comes down on the
child with an arrowhead, its type's name in the middle, all in the type's
colour. Two ends on different lines get one half on each line, running out to
the side towards the other end. Where one end is off screen, the visible end
gets a stub with an arrowhead pointing up or down and the other end's text.

:class:`RelationLayer` holds the open document's relations; the view calls
:meth:`RelationLayer.paint` after painting its text. Only relations with an end
on screen are measured, so 2,000 relations cost a loop over integers per paint.

Every line has the same band above it for arcs (``band``, kept by the article's
layout, :mod:`annotator.ui.spacing`, whether the line has arcs or not): arcs that
stack deeper than it holds are flattened into it, so they never cross the text
of the line above.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.colours import readable_on, with_contrast
from annotator.core.model import Relation, SpanExtent
from annotator.core.offsets import ViewMap
from annotator.core.spancolumns import SpansById

STUB_PX = 28.0  # length of the stub's run before its arrowhead
NAME_CHARS = 24  # of the other end's text, on a stub


class End(NamedTuple):
    """One end of an arc: where its span starts on screen, or which way it lies off it."""

    x: float  # anchor on the span's first line (viewport coordinates)
    top: float  # top of that line
    off: int  # 0 on screen, -1 above it, +1 below it
    name: str  # the span's text, for a stub at the other end


class Arc(NamedTuple):
    label: str
    colour: QColor
    head: End
    child: End
    strong: bool = False  # touches the selected span


class RelationLayer:
    """The open document's relations and their colours; paints them over a text view."""

    def __init__(self) -> None:
        self.relations: list[Relation] = []
        self.colours: dict[str, QColor] = {}
        self._by_id: dict[int, Relation] = {}
        self._end_ids: set[int] = set()
        # (start of an end, id of its relation), sorted: the relations with an end on
        # screen are found by bisection, not by a loop over all of them each paint.
        self._starts: list[tuple[int, int]] | None = None
        self._spans: SpansById | None = None  # what _starts was made from
        # The room kept above a line for what is drawn under the arcs there (label
        # tags), in heights of the article's font: the lowest arc runs above it.
        self.lift = 0.0

    def set_relations(self, relations: Iterable[Relation], colours: Mapping[str, str]) -> None:
        """``colours``: relation type name -> ``#RRGGBB`` (others are drawn dark grey)."""
        self.relations = list(relations)
        self.colours = {name: QColor(colour) for name, colour in colours.items()}
        old, self._by_id = self._by_id, {r.id: r for r in self.relations}
        self._end_ids = {i for r in self.relations for i in (r.head, r.child)}
        if self._starts is None or self._spans is None:
            return
        # A relation or two made or dropped: the index follows them.
        # (By identity: relations kept are the same objects, and == on them is slow.)
        new = self._by_id
        removed = {i for i, r in old.items() if new.get(i) is not r}
        added = [r for i, r in new.items() if old.get(i) is not r]
        if len(removed) + len(added) > 64:
            self._starts = None
            return
        if removed:
            self._starts = [entry for entry in self._starts if entry[1] not in removed]
        get = self._spans.get
        for relation in added:
            for end in (get(relation.head), get(relation.child)):
                if end is not None:
                    insort(self._starts, (end.start, relation.id))

    def ends_none_of(self, span_ids: Iterable[int]) -> bool:
        """Whether no relation shown has one of ``span_ids`` at an end."""
        return self._end_ids.isdisjoint(span_ids)

    def clear(self) -> None:
        self.relations = []
        self._by_id = {}
        self._end_ids = set()
        self._starts = None

    def spans_moved(self, span_ids: Iterable[int]) -> None:
        """Spans changed (moved, removed, put back): forget where arcs start if an end did."""
        if self._starts is not None and not self._end_ids.isdisjoint(span_ids):
            self._starts = None

    def _starts_for(self, spans: SpansById) -> list[tuple[int, int]]:
        if self._starts is None or spans is not self._spans:
            owners = [i for relation in self.relations for i in (relation.id, relation.id)]
            span_ids = [i for relation in self.relations for i in (relation.head, relation.child)]
            found = spans.starts_of(span_ids)  # read from the view's columns
            starts = [
                (start, rid) for start, rid in zip(found, owners, strict=True) if start is not None
            ]
            starts.sort()
            self._starts, self._spans = starts, spans
        return self._starts

    def arcs(
        self,
        view: QPlainTextEdit,
        spans: SpansById,
        view_map: ViewMap,
        text: str,
        selected: int | None = None,
        *,
        also: frozenset[int] = frozenset(),
        chosen: int | None = None,
        area: QRect | None = None,
    ) -> list[Arc]:
        """The arcs with at least one end on screen, measured in viewport coordinates.

        Drawn stronger: those touching ``selected`` or a span of ``also`` (the one
        under the pointer), and the relation ``chosen`` (in the list). With ``area``
        (the part of the viewport being repainted), only arcs with an end on a line
        that reaches into it: an edit repaints a few lines, and measures their arcs only.
        """
        first, last = visible_range(view)
        # Compared in code points: two conversions a paint, not two a relation.
        low, high = view_map.from_view(first), view_map.from_view(last, round_up=True)
        if area is not None:
            low, high = _lines_reaching(view, view_map, area, low, high)
        get = spans.get
        arcs = []
        starts = self._starts_for(spans)
        lo = bisect_left(starts, (low, -1))
        hi = bisect_right(starts, (high + 1, -1))
        shown = sorted({i for _, i in starts[lo:hi]})
        by_id = self._by_id
        for relation in (by_id[i] for i in shown):
            head, child = get(relation.head), get(relation.child)
            if head is None or child is None:
                continue
            if not (low <= head.start <= high or low <= child.start <= high):
                continue
            colour = self.colours.get(relation.label, QColor("#404040"))
            arcs.append(
                Arc(
                    relation.label,
                    colour,
                    _end(view, view_map, text, head, first, last),
                    _end(view, view_map, text, child, first, last),
                    strong=selected in (head.id, child.id)
                    or head.id in also
                    or child.id in also
                    or relation.id == chosen,
                )
            )
        return arcs

    def paint(
        self,
        view: QPlainTextEdit,
        spans: SpansById,
        view_map: ViewMap,
        text: str,
        selected: int | None = None,
        *,
        also: frozenset[int] = frozenset(),
        chosen: int | None = None,
        area: QRect | None = None,
        band: float = 0.0,
    ) -> None:
        """Draw the relations over ``view``'s viewport (call after the text is painted),
        in the ``band`` of pixels above each line (0: no room kept, arcs rise freely)."""
        if not self.relations:
            return
        arcs = self.arcs(view, spans, view_map, text, selected, also=also, chosen=chosen, area=area)
        if not arcs:
            return
        painter = QPainter(view.viewport())
        try:
            paint_arcs(
                painter,
                arcs,
                view.font(),
                view.viewport().rect(),
                view.palette(),
                band=band,
                lift=self.lift * view.fontMetrics().height(),
            )
        finally:
            painter.end()


def visible_range(view: QPlainTextEdit) -> tuple[int, int]:
    """The first and last view positions on screen (whole blocks, a little generous)."""
    first = view.firstVisibleBlock().position()
    last = view.cursorForPosition(view.viewport().rect().bottomRight()).position()
    # The line under the bottom edge may be partly shown: take its block whole.
    found = view.document().findBlock(last)
    if found.isValid():
        last = found.position() + found.length()
    return first, last


def _lines_reaching(
    view: QPlainTextEdit, view_map: ViewMap, area: QRect, low: int, high: int
) -> tuple[int, int]:
    """Code points of the lines whose arcs can reach into ``area``: an arc rises from
    its line's top by up to about two lines, and its arrowhead comes down on the line."""
    if area.contains(view.viewport().rect()):
        return low, high
    line = view.fontMetrics().height()
    doc = view.document()
    top = view.cursorForPosition(QPoint(0, max(area.top() - line, 0))).position()
    bottom = view.cursorForPosition(QPoint(area.right(), area.bottom() + 2 * line)).position()
    first, last = doc.findBlock(top), doc.findBlock(bottom)
    start = first.position() if first.isValid() else top
    end = last.position() + last.length() if last.isValid() else bottom
    return (
        max(low, view_map.from_view(start)),
        min(high, view_map.from_view(min(end, doc.characterCount() - 1), round_up=True)),
    )


def _end(
    view: QPlainTextEdit,
    view_map: ViewMap,
    text: str,
    span: SpanExtent,
    first: int,
    last: int,
) -> End:
    words = " ".join(text[span.start : span.end].split())
    name = words if len(words) <= NAME_CHARS else words[: NAME_CHARS - 1] + "…"
    vstart, vend = view_map.to_view(span.start), view_map.to_view(span.end)
    if vstart < first:
        return End(0.0, 0.0, -1, name)
    if vstart > last:
        return End(0.0, 0.0, 1, name)
    # From the block's own layout (one geometry look-up), not two cursorRect calls,
    # each of which asks the layout for every block from the top of the screen.
    block = view.document().findBlock(vstart)
    layout = block.layout()
    base = block.position()
    line = layout.lineForTextPosition(vstart - base) if layout is not None else None
    if line is None or not line.isValid():
        return End(0.0, 0.0, 1, name)
    corner = view.blockBoundingGeometry(block).translated(view.contentOffset()).topLeft()
    top = corner.y() + line.y()
    if top + line.height() <= 0:
        return End(0.0, 0.0, -1, name)
    if top > view.viewport().height():
        return End(0.0, 0.0, 1, name)
    x_start = corner.x() + _x(line.cursorToX(vstart - base))
    if vend - base <= line.textStart() + line.textLength():  # on one line: its middle
        x_end = corner.x() + _x(line.cursorToX(vend - base))
    else:  # wrapped: near its start
        x_end = x_start + 12.0
    x = (x_start + x_end) / 2
    return End(x, float(int(top)), 0, name)


def _x(found: object) -> float:
    """The x of ``QTextLine.cursorToX``, which PySide6 returns as (x, position)."""
    value = found[0] if isinstance(found, tuple) else found
    assert isinstance(value, int | float)
    return float(value)


def paint_arcs(
    painter: QPainter,
    arcs: Sequence[Arc],
    font: QFont,
    area: QRect,
    palette: QPalette,
    *,
    band: float = 0.0,
    lift: float = 0.0,
) -> None:
    """Draw ``arcs``: brackets above the line, names in the middle, stubs off screen.

    ``band``: the pixels clear of text above each line. The lowest arc runs ``lift``
    + 4 pixels above its line, each stacked one a little higher, and no arc's name
    rises out of the band: deeper stacks are flattened onto the highest level that
    fits. Without a band (0), arcs stack up to four deep over the line above.
    """
    small = QFont(font)
    small.setPointSizeF(max(font.pointSizeF() * 0.7, 7.0))
    metrics = QFontMetricsF(small)
    half = metrics.height() / 2  # an arc's name is centred on its run
    low, step = 4.0 + lift, metrics.height() * 0.6
    deepest = 3
    if band > 0:
        low = max(min(low, band - half), 1.0)
        deepest = max(int((band - low - half) // step), 0)
    page = palette.color(QPalette.ColorRole.Base)
    # Straight lines on whole pixels, crisp in the type's own colour; arrowheads and
    # names are smoothed (_arrow, _name).
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setFont(small)
    levels: dict[float, list[tuple[float, float]]] = {}  # line top -> x ranges in use

    def level_for(top: float, left: float, right: float) -> float:
        used = levels.setdefault(top, [])
        level = sum(1 for a, b in used if a < right + 4 and left < b + 4)
        used.append((left, right))
        return low + min(level, deepest) * step

    for arc in sorted(arcs, key=lambda a: (a.head.top, abs(a.child.x - a.head.x))):
        pen = QPen(arc.colour, 2 if arc.strong else 1)
        painter.setPen(pen)
        head, child = arc.head, arc.child
        if head.off == 0 and child.off == 0 and head.top == child.top:
            left, right = sorted((head.x, child.x))
            y = round(head.top - level_for(head.top, left, right))
            _bracket(painter, head.x, child.x, head.top, y, arrow_at_end=True)
            _name(painter, metrics, arc, arc.label, (left + right) / 2, y, page, area)
            continue
        for here, there, is_head in ((head, child, True), (child, head, False)):
            if here.off != 0:
                continue
            if there.off != 0:  # a stub towards the end off screen
                toward = 1.0 if there.off > 0 else -1.0
                tip_x = here.x + STUB_PX
                y = round(here.top - level_for(here.top, here.x, tip_x))
                painter.drawLine(QPointF(here.x, here.top), QPointF(here.x, y))
                painter.drawLine(QPointF(here.x, y), QPointF(tip_x, y))
                _arrow(painter, arc.colour, tip_x, y, up=toward < 0)
                if not is_head:
                    _arrow(painter, arc.colour, here.x, here.top, up=False)
                mark = "▲" if toward < 0 else "▼"
                _name(
                    painter,
                    metrics,
                    arc,
                    f"{arc.label} {mark} {there.name}",
                    tip_x + 8,
                    y,
                    page,
                    area,
                    anchor_left=True,
                )
                continue
            # Both on screen, on different lines: run out to the side where the text
            # goes on to the other end (right when it comes later, left when earlier).
            later = (there.top, there.x) > (here.top, here.x)
            edge = area.right() - 4.0 if later else area.left() + 4.0
            left, right = sorted((here.x, edge))
            y = round(here.top - level_for(here.top, left, right))
            painter.drawLine(QPointF(here.x, here.top), QPointF(here.x, y))
            painter.drawLine(QPointF(here.x, y), QPointF(edge, y))
            if not is_head:
                _arrow(painter, arc.colour, here.x, here.top, up=False)
            other_run = abs((area.right() - 4.0 if not later else area.left() + 4.0) - there.x)
            if right - left >= other_run:  # the name once, on the longer half
                _name(painter, metrics, arc, arc.label, (left + right) / 2, y, page, area)


def _bracket(
    painter: QPainter, x1: float, x2: float, top: float, y: float, *, arrow_at_end: bool
) -> None:
    painter.drawLine(QPointF(x1, top), QPointF(x1, y))
    painter.drawLine(QPointF(x1, y), QPointF(x2, y))
    painter.drawLine(QPointF(x2, y), QPointF(x2, top))
    if arrow_at_end:
        _arrow(painter, painter.pen().color(), x2, top, up=False)


def _arrow(painter: QPainter, colour: QColor, x: float, y: float, *, up: bool) -> None:
    """A small filled arrowhead with its tip at (x, y)."""
    size = 4.5
    back = size if up else -size
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(colour)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawPolygon(
        QPolygonF([QPointF(x, y), QPointF(x - size, y + back), QPointF(x + size, y + back)])
    )
    painter.restore()


def _name(
    painter: QPainter,
    metrics: QFontMetricsF,
    arc: Arc,
    words: str,
    x: float,
    y: float,
    page: QColor,
    area: QRect,
    *,
    anchor_left: bool = False,
) -> None:
    """The arc's name on a patch of the page's colour, so it reads over text and lines."""
    width = metrics.horizontalAdvance(words) + 6
    height = metrics.height()
    left = x if anchor_left else x - width / 2
    left = max(float(area.left()), min(left, area.right() - width))  # on screen whole
    box = QRectF(left, y - height / 2, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(page)
    painter.drawRoundedRect(box, 3, 3)
    painter.setPen(readable_name(arc.colour, page))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, words)
    painter.restore()


_READABLE: dict[tuple[int, int], QColor] = {}


def readable_name(colour: QColor, page: QColor) -> QColor:
    """The type's colour for its name, moved toward black or white just enough to read
    at 4.5:1 on the page (a dark blue type keeps its hue on a dark theme)."""
    key = (colour.rgb(), page.rgb())
    found = _READABLE.get(key)
    if found is None:
        toward = readable_on(page.name())
        found = _READABLE[key] = QColor(with_contrast(colour.name(), [page.name()], toward))
    return found
