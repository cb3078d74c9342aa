"""Relations drawn as arcs: found in the pixels of an offscreen article."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QTextCursor

from annotator.core.labels import default_labels
from annotator.core.model import Label, Relation, SpanExtent
from annotator.core.relation_types import NEWS_SCHEME
from annotator.ui.article_view import ArticleView

SAID_BY = NEWS_SCHEME[0].colour
COLOURS = {rtype.name: rtype.colour for rtype in NEWS_SCHEME}
TEXT = 'Kremlin spokesperson Dmitry Peskov said "the talks will go on" on Monday.'


def _view(qtbot, text: str, spans: list[SpanExtent], width: int = 640) -> ArticleView:
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(width, 320)
    labels = [
        Label(n, d["name"], d["colour"], d["hotkey"], "", n)
        for n, d in enumerate(default_labels(), start=1)
    ]
    view.set_labels(labels)
    view.set_document(text, spans)
    with qtbot.waitExposed(view):
        view.show()
    return view


def _span(text: str, span_id: int, words: str, label: str) -> SpanExtent:
    start = text.index(words)
    return SpanExtent(span_id, start, start + len(words), label)


def _rect(view: ArticleView, span: SpanExtent) -> QRect:
    first, last = QTextCursor(view.document()), QTextCursor(view.document())
    first.setPosition(view.view_map.to_view(span.start))
    last.setPosition(view.view_map.to_view(span.end))
    return view.cursorRect(first).united(view.cursorRect(last))


def _arc_columns(image: QImage, area: QRect, colour: str = SAID_BY) -> int:
    """Columns of ``area`` holding a pixel close to the arc's colour."""
    area = area.intersected(image.rect())
    return sum(
        1
        for x in range(area.left(), area.right() + 1)
        if _arc_pixels(image, QRect(x, area.top(), 1, area.height()), colour)
    )


def _arc_pixels(image: QImage, area: QRect, colour: str = SAID_BY) -> int:
    """Pixels in ``area`` close to the arc's colour (anti-aliasing lightens thin lines)."""
    target = QColor(colour)
    area = area.intersected(image.rect())
    count = 0
    for x in range(area.left(), area.right() + 1):
        for y in range(area.top(), area.bottom() + 1):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - target.red()) < 40
                and abs(pixel.green() - target.green()) < 40
                and abs(pixel.blue() - target.blue()) < 40
            ):
                count += 1
    return count


def test_an_arc_runs_above_the_line_between_two_related_spans(qtbot):
    quote = _span(TEXT, 2, '"the talks will go on"', "QUOTE")
    person = _span(TEXT, 1, "Dmitry Peskov", "PERSON")
    view = _view(qtbot, TEXT, [person, quote])
    head, child = _rect(view, quote), _rect(view, person)
    assert head.top() == child.top()  # one line
    line = view.fontMetrics().height()
    between = QRect(
        child.center().x() + 4,
        head.top() - line,
        head.center().x() - child.center().x() - 8,
        line,
    )
    beyond = QRect(head.right() + 30, head.top() - line, 120, line)
    assert _arc_pixels(view.viewport().grab().toImage(), between) == 0  # no relation yet

    view.set_relations([Relation(1, quote.id, person.id, "said-by")], COLOURS)
    image = view.viewport().grab().toImage()
    # A line across, broken only between the letters of its name.
    assert _arc_columns(image, between) >= 0.7 * between.width()
    assert _arc_pixels(image, beyond) == 0  # nothing past its ends
    # The two legs come down on the spans themselves.
    for rect in (head, child):
        leg = QRect(rect.center().x() - 3, rect.top() - line // 3, 7, line // 3)
        assert _arc_pixels(image, leg) > 0

    view.set_document(TEXT, [person, quote])  # another document: its own relations
    assert _arc_pixels(view.viewport().grab().toImage(), between) == 0


def test_an_end_off_screen_gets_a_stub_naming_it(qtbot):
    filler = "\n\n".join(f"Paragraph {n} is about something else." for n in range(120))
    text = f'"We will meet," the statement said.\n\n{filler}\n\nIt came from Dmitry Peskov.'
    quote = _span(text, 1, '"We will meet,"', "QUOTE")
    person = _span(text, 2, "Dmitry Peskov", "PERSON")
    view = _view(qtbot, text, [quote, person])
    view.set_relations([Relation(1, quote.id, person.id, "said-by")], COLOURS)
    head = _rect(view, quote)
    assert _rect(view, person).top() > view.viewport().height()  # off screen
    line = view.fontMetrics().height()
    stub = QRect(head.center().x() + 6, 0, 400, head.top() + 2)
    image = view.viewport().grab().toImage()
    assert _arc_pixels(image, stub) > 30  # the run, the arrowhead, "said-by ▼ Dmitry Peskov"
    arcs = view.relation_layer.arcs(view, view.spans, view.view_map, view.text)
    assert [(a.head.off, a.child.off, a.child.name) for a in arcs] == [(0, 1, "Dmitry Peskov")]

    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())  # now the other end
    arcs = view.relation_layer.arcs(view, view.spans, view.view_map, view.text)
    assert [(a.head.off, a.child.off, a.head.name) for a in arcs] == [(-1, 0, '"We will meet,"')]
    child = _rect(view, person)
    image = view.viewport().grab().toImage()
    assert _arc_pixels(image, QRect(child.center().x() - 4, child.top() - line, 400, line)) > 30


def test_ends_on_two_lines_get_a_half_each(qtbot):
    text = (
        'Peskov said on Monday that "the two leaders would hold talks one on one, '
        'if they found it necessary, in the coming days."'
    )
    person = _span(text, 1, "Peskov", "PERSON")
    quote = _span(text, 2, text[text.index('"') :], "QUOTE")
    view = _view(qtbot, text, [person, quote], width=260)
    view.set_relations([Relation(1, quote.id, person.id, "said-by")], COLOURS)
    head, child = _rect(view, quote), _rect(view, person)
    start_cursor = QTextCursor(view.document())
    start_cursor.setPosition(quote.start)
    quote_line = view.cursorRect(start_cursor)
    assert quote_line.top() > child.top()  # the quote starts on a later line
    line = view.fontMetrics().height()
    image = view.viewport().grab().toImage()
    for top, x in ((child.top(), child.center().x()), (quote_line.top(), quote_line.left())):
        assert _arc_pixels(image, QRect(x - 6, top - line, 40, line)) > 5, (top, x)
    del head
