"""The attribution table (export only): who is quoted, with what hedging, as CSV.

One row per QUOTE span, for a media researcher's pandas or R:

``document, date, annotator, quote_start, quote_end, quote, speaker,
speaker_start, hedges``

- ``speaker``: the texts of the spans the QUOTE is ``said-by`` (the PERSONs of
  the news scheme, docs/relations.md), in text order, joined by ``; ``;
  ``speaker_start`` is the first one's start.
- ``hedges``: the HEDGE spans inside the quote (by the same annotator) or linked
  to it by any relation, in text order, joined by ``; ``.
- Offsets are code points, end exclusive: ``text[quote_start:quote_end] == quote``.

UTF-8 with a header row and no byte-order mark, which pandas, R and Python's
``csv`` read as they are; ``excel=True`` (``--excel``) adds the mark so that
Excel shows accents, and starts a cell that Excel would run as a formula
(``=``, ``+``, ``-``, ``@``) with an apostrophe, which Excel hides.
"""

from __future__ import annotations

import csv
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from annotator.core.exporting import atomic_output
from annotator.core.formats import Format, WriteReport, register
from annotator.core.model import Document, Relation, Span
from annotator.core.project import Project
from annotator.core.relation_types import SAID_BY

COLUMNS = (
    "document",
    "date",
    "annotator",
    "quote_start",
    "quote_end",
    "quote",
    "speaker",
    "speaker_start",
    "hedges",
)
QUOTE, HEDGE = "QUOTE", "HEDGE"
JOIN = "; "
NO_SPEAKER = "(no speaker)"
BACKWARDS = "said-by relations not from a QUOTE left out"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _links(
    spans: Sequence[Span], relations: Sequence[Relation], report: WriteReport
) -> tuple[dict[int, list[Span]], dict[int, list[Span]]]:
    """By QUOTE span id: the spans it is ``said-by``, and the HEDGE spans linked to it."""
    by_id = {span.id: span for span in spans}
    speakers: dict[int, list[Span]] = {}
    linked: dict[int, list[Span]] = {}
    for relation in relations:
        head, child = by_id.get(relation.head), by_id.get(relation.child)
        if head is None or child is None:
            continue
        if relation.label == SAID_BY:
            if head.label != QUOTE:
                report.lose(BACKWARDS)
                continue
            speakers.setdefault(head.id, []).append(child)
            report.relations += 1
        for quote, other in ((head, child), (child, head)):
            if quote.label == QUOTE and other.label == HEDGE:
                linked.setdefault(quote.id, []).append(other)
    return speakers, linked


def attribution_rows(
    document: Document, spans: Sequence[Span], relations: Sequence[Relation], report: WriteReport
) -> Iterator[list[str | int]]:
    """The table's rows for one document, in reading order of its quotes."""
    speakers, linked = _links(spans, relations, report)
    hedges = sorted((span for span in spans if span.label == HEDGE), key=_order)
    hedge_starts = [hedge.start for hedge in hedges]
    date = document.meta.get("date", "")
    for quote in spans:
        if quote.label != QUOTE:
            continue
        said = sorted(speakers.get(quote.id, []), key=_order)
        first = bisect_left(hedge_starts, quote.start)
        inside = [
            hedge
            for hedge in hedges[first : bisect_left(hedge_starts, quote.end, first)]
            if hedge.end <= quote.end and hedge.annotator == quote.annotator
        ]
        both = {hedge.id: hedge for hedge in (*inside, *linked.get(quote.id, []))}
        qualifying = sorted(both.values(), key=_order)
        report.spans += 1
        yield [
            document.name,
            date if isinstance(date, str) else str(date),
            quote.annotator,
            quote.start,
            quote.end,
            quote.text,
            JOIN.join(span.text for span in said),
            said[0].start if said else "",
            JOIN.join(span.text for span in qualifying),
        ]


def _order(span: Span) -> tuple[int, int, int]:
    return (span.start, -span.end, span.id)


def _for_excel(cell: str | int) -> str | int:
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def _check_labels(project: Project) -> None:
    if QUOTE not in {label.name for label in project.labels}:
        raise ValueError(
            "the project has no QUOTE label, and the attribution table has one row per QUOTE span"
        )


def write(
    project: Project,
    output: str | Path,
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    excel: bool | None = None,
    **_options: object,
) -> WriteReport:
    _check_labels(project)
    report = WriteReport()
    with atomic_output(output, "w") as stream:
        if excel:
            stream.write("\ufeff")
        writer = csv.writer(stream)  # RFC 4180: quoted where needed, CRLF line ends
        writer.writerow(COLUMNS)
        for document, spans, relations in project.iter_annotated(
            status=status, labels=labels, layers=layers
        ):
            report.documents += 1
            for row in attribution_rows(document, spans, relations, report):
                writer.writerow([_for_excel(cell) for cell in row] if excel else row)
    return report


def quotes_by_speaker(
    project: Project, status: str | None = None
) -> tuple[int, list[tuple[str, int]]]:
    """How many quotes there are, and how many each speaker has (by the speaker's
    text, spaces folded), most first; quotes with no ``said-by`` count under
    ``(no speaker)``, last. A quote said by two people counts for each."""
    _check_labels(project)
    counts: Counter[str] = Counter()
    quotes = 0
    report = WriteReport()  # what the table would count; not shown here
    for _document, spans, relations in project.iter_annotated(status=status):
        speakers, _linked = _links(spans, relations, report)
        for quote in spans:
            if quote.label == QUOTE:
                quotes += 1
                names = {" ".join(span.text.split()) for span in speakers.get(quote.id, [])}
                counts.update(names or {NO_SPEAKER})
    unattributed = counts.pop(NO_SPEAKER, 0)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    return quotes, ranked + ([(NO_SPEAKER, unattributed)] if unattributed else [])


FORMAT = register(
    Format(
        name="attribution",
        title="Attribution table (CSV)",
        extensions=(".csv",),
        write=write,
        keeps="one row per QUOTE: document, date, annotator, offsets, text, speaker(s) by "
        "said-by, hedges inside or linked",
        loses="every span that is not a QUOTE except as a speaker or hedge; notes, status",
        options=("excel",),
        keeps_annotators=True,
    )
)
