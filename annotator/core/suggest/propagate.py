"""``propagate``: every span a person made proposes its exact text wherever else it stands.

Case-sensitive and on whole words only: "Russia" is proposed in "Russia's"
but not inside "Russian". Where phrases overlap the longest whole-word match
wins ("Kim Jong Un" over "Kim"). A spot that a span of the same label already
overlaps is passed over, so nothing a person tagged is proposed again.

:func:`propagate` handles all of a document's spans with one compiled
alternation; :func:`propagate_one` is the "as you tag" form, one new span
against one document; :func:`candidate_documents` narrows a project-wide run
to the documents whose full-text index holds a phrase.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from operator import itemgetter

from annotator.core.suggest.model import (
    Coverage,
    SpanTuple,
    Suggestion,
    coverage_by_label,
)
from annotator.core.suggest.wordtrie import phrase_pattern

SOURCE = "propagate"


class Propagator:
    """Phrases and their labels compiled once, to be run over many documents.

    ``seeds`` are (phrase, label) pairs: the texts of the spans people made,
    from one document or from the whole project. Each label gets one
    alternation of its phrases: the longest match wins within a label, while
    labels do not hide one another ("Georgia" as PERSON is still proposed
    inside a QUOTE whose text was tagged elsewhere).
    """

    def __init__(self, seeds: Iterable[tuple[str, str]], source: str = SOURCE) -> None:
        phrases: dict[str, dict[str, None]] = {}
        for phrase, label in seeds:
            if phrase.strip():
                phrases.setdefault(label, {})[phrase] = None
        self.source = source
        self.patterns: list[tuple[str, re.Pattern[str]]] = []
        for label, of_label in phrases.items():
            pattern = phrase_pattern(of_label)
            if pattern is not None:
                self.patterns.append((label, pattern))

    def run(self, text: str, spans: Iterable[SpanTuple] = ()) -> list[Suggestion]:
        """Proposals in ``text`` by start, none where ``spans`` already cover the spot
        with that label."""
        covered = coverage_by_label(spans)
        source = self.source
        out: list[Suggestion] = []
        for label, pattern in self.patterns:
            coverage = covered.get(label)
            if coverage is None:
                # No span of this label here: every match stands (the common case of a
                # project-wide run), made without a Python call per suggestion.
                out.extend(
                    [_new(Suggestion, (*m.span(), label, source)) for m in pattern.finditer(text)]
                )
                continue
            for match in pattern.finditer(text):
                start, end = match.span()
                if not coverage.overlaps(start, end):
                    out.append(Suggestion(start, end, label, source))
        if len(self.patterns) > 1:
            out.sort(key=_START)  # stable: at one start, labels keep their order
        return out


_new = tuple.__new__
_START = itemgetter(0)


def propagate(text: str, spans: Sequence[SpanTuple], source: str = SOURCE) -> list[Suggestion]:
    """Every other whole-word occurrence of each span's text in ``text``, with its label."""
    seeds = [(text[start:end], label) for start, end, label in spans]
    return Propagator(seeds, source).run(text, spans)


def propagate_one(
    text: str,
    span: SpanTuple,
    spans: Iterable[SpanTuple] = (),
    source: str = SOURCE,
) -> list[Suggestion]:
    """The occurrences that one new ``span`` proposes, as you tag.

    ``spans`` are the document's other spans (the new one may be among them);
    only those of the new span's label are read.
    """
    start, end, label = span
    phrase = text[start:end]
    pattern = phrase_pattern([phrase])
    if pattern is None or not phrase.strip():
        return []
    coverage = Coverage([(s, e) for s, e, other in spans if other == label] + [(start, end)])
    return [
        Suggestion(match.start(), match.end(), label, source)
        for match in pattern.finditer(text)
        if not coverage.overlaps(match.start(), match.end())
    ]


def fts_phrase(phrase: str) -> str | None:
    """``phrase`` as one FTS5 phrase query, or None when it holds no word to look up."""
    if not re.search(r"\w", phrase):
        return None
    return '"' + phrase.replace('"', '""') + '"'


def candidate_documents(
    conn: sqlite3.Connection,
    phrases: Iterable[str],
    table: str = "documents_fts",
    chunk: int = 200,
) -> list[int]:
    """Ids of the documents whose full-text index holds any of ``phrases``, sorted.

    The index folds case and accents and splits words at punctuation, so this
    is a superset of the documents where a phrase stands as a whole word;
    :class:`Propagator` decides. A phrase with no word in it ("—") cannot be
    looked up, so then every document is a candidate.
    """
    queries: list[str] = []
    for phrase in dict.fromkeys(phrases):
        query = fts_phrase(phrase)
        if query is None:
            return [row[0] for row in conn.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]
        queries.append(query)
    found: set[int] = set()
    for first in range(0, len(queries), chunk):
        match = " OR ".join(queries[first : first + chunk])
        found.update(
            row[0]
            for row in conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (match,))
        )
    return sorted(found)
