"""Searching a project: which documents hold a phrase, where, and whether it is tagged.

The full-text index (:meth:`Project.search`, FTS5) finds the documents; the hits
are then placed in each document's text here, in code points, so the window can
open a document at its hit and the command line can show a line of context.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.core.project import Project

CONTEXT = 48  # characters of context either side of a hit
OPERATORS = frozenset(("AND", "OR", "NOT", "NEAR"))


class SearchError(AnnotatorError):
    """A query the full-text index cannot read."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A document that matched, with its first hit (not yet tagged, when asked)."""

    document_id: int
    name: str
    status: str
    start: int  # the hit in the document's text (code points); 0, 0 when not placed
    end: int
    context: str  # one line around the hit, white space collapsed
    hit_start: int  # the hit within ``context``
    hit_end: int
    hits: int  # how many places in the document match the query's words

    def marked(self, left: str = "[", right: str = "]") -> str:
        """The context with the hit between ``left`` and ``right``."""
        c, s, e = self.context, self.hit_start, self.hit_end
        return f"{c[:s]}{left}{c[s:e]}{right}{c[e:]}" if e > s else c


def search_project(
    project: Project,
    query: str,
    *,
    status: str | None = None,
    not_tagged: str | None = None,
    limit: int = 500,
) -> list[Hit]:
    """Documents matching ``query`` (FTS5 syntax; a plain phrase is a phrase), in list
    order. ``status`` keeps documents of that status; ``not_tagged`` keeps documents
    where some hit is not yet a span of that label, and points at the first such hit."""
    query = query.strip()
    if not query:
        return []
    if not_tagged is not None:
        project.label(not_tagged)  # an unknown label is refused by name
    try:
        ids = project.search(query)
    except sqlite3.OperationalError as exc:
        raise SearchError(
            f"cannot search for {query!r}: {exc}. Put a phrase in double quotes; "
            'AND, OR, NOT and a trailing * work as in SQLite FTS5 ("Kim Jong*" OR Putin).'
        ) from None
    pattern = hit_pattern(query)
    found: list[Hit] = []
    for summary in project.summaries(ids):
        if status is not None and summary.status != status:
            continue
        text = project.document_text(summary.id)
        places = [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []
        if not_tagged is not None:
            tagged = {
                (span.start, span.end)
                for span in project.span_extents(summary.id)
                if span.label == not_tagged
            }
            places = [place for place in places if place not in tagged]
            if not places:
                continue
        start, end = places[0] if places else (0, 0)
        context, hit_start, hit_end = context_line(text, start, end)
        found.append(
            Hit(
                summary.id,
                summary.name,
                summary.status,
                start,
                end,
                context,
                hit_start,
                hit_end,
                len(places),
            )
        )
        if len(found) >= limit:
            break
    return found


def hit_pattern(query: str) -> re.Pattern[str] | None:
    """A regular expression for the words and phrases of an FTS5 query (operators and
    column names left out; ``word*`` matches words that begin so)."""
    if not any(op in query for op in ('"', " OR ", " AND ", "*")):
        query = f'"{query}"'  # as Project.search reads it: a plain query is a phrase
    parts = []
    for phrase, word in re.findall(r'"([^"]*)"|([^\s()"]+)', query):
        if phrase.strip():
            words = [re.escape(w) for w in phrase.split()]
            parts.append(r"\b" + r"\W+".join(words) + r"\b")
        elif word and word not in OPERATORS:
            word = word.split(":", 1)[-1]  # a column filter ("text:Putin")
            prefix = word.endswith("*")
            word = word.rstrip("*").lstrip("^+-")
            if word:
                parts.append(r"\b" + re.escape(word) + (r"\w*" if prefix else r"\b"))
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def context_line(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The line around text[start:end], cut to about CONTEXT characters either side
    (at spaces), white space collapsed; with where the hit is in it."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - CONTEXT)
    line_end = text.find("\n", end)
    line_end = min(len(text) if line_end < 0 else line_end, end + CONTEXT)
    before = text[line_start:start]
    after = text[end:line_end]
    if line_start > 0 and text[line_start - 1] not in "\n" and " " in before:
        before = "…" + before.split(" ", 1)[1]
    if line_end < len(text) and text[line_end] != "\n" and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    before, hit, after = (" ".join(part.split()) for part in (before, text[start:end], after))
    if text[line_start:start][-1:].isspace() and before:
        before += " "
    if text[end:line_end][:1].isspace() and after:
        after = " " + after
    return before + hit + after, len(before), len(before) + len(hit)
