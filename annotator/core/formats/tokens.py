"""A small tokenizer and sentence splitter for the token-based formats
(Prodigy, CoNLL, spaCy), so they work without spaCy installed.

Tokens: a number (``3.5``, ``1,000``), a word with inner apostrophes or hyphens
(``don't``, ``Kim-Jong``), or any other single character that is not white
space; a token never ends inside a user-perceived character, so ``é`` written
as e + U+0301, ``👍🏽`` and ``🇰🇷`` stay whole. White space follows spaCy's
convention: one plain space after a token is its ``ws``; any other run of white
space (newlines, CRLF, several spaces) is a token of its own, so joining the
tokens' text and spaces gives back the document exactly.

Sentences end after ``.``, ``!``, ``?`` or ``…`` (and closing quotes or
brackets after them), and at every line break.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from annotator.core.offsets import widen_to_characters

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['’\-]\w+)*|\S")
_SPACE = re.compile(r"\s+")
_END = frozenset(".!?…")
_CLOSE = frozenset("\"'”’)]»")


class Token(NamedTuple):
    text: str
    start: int
    end: int
    ws: bool  # followed by one plain space, which is not part of the next token

    @property
    def is_space(self) -> bool:
        return self.text.isspace()


def tokenize(text: str) -> list[Token]:
    """Tokens covering ``text``: ''.join(t.text + ' ' * t.ws) == text."""
    tokens: list[Token] = []
    add = tokens.append
    cur_start = cur_end = -1  # the token being built, emitted once we see what follows it
    gap_from = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if start == cur_end and _joins(text, cur_start, start):
            cur_end = end
            continue
        if cur_start >= 0:
            ws = start > cur_end and text[cur_end] == " "
            add(Token(text[cur_start:cur_end], cur_start, cur_end, ws))
            gap_from = cur_end + ws
        if gap_from < start:
            add(Token(text[gap_from:start], gap_from, start, False))
        cur_start, cur_end = start, end
    if cur_start >= 0:
        ws = cur_end < len(text) and text[cur_end] == " "
        add(Token(text[cur_start:cur_end], cur_start, cur_end, ws))
        gap_from = cur_end + ws
    if gap_from < len(text):
        add(Token(text[gap_from:], gap_from, len(text), False))
    return tokens


def _joins(text: str, prev_start: int, start: int) -> bool:
    """Whether the token at ``start`` continues the one before it: a combining mark,
    emoji modifier or second flag letter (same character), or a word going on
    after a combining mark (``cafe\u0301s``)."""
    ch, prev = text[start], text[start - 1]
    # Below U+0300 nothing combines with what precedes it, unless that is a joiner.
    if (ch >= "\u0300" or prev == "\u200d") and widen_to_characters(text, start, start)[0] != start:
        return True
    return (
        unicodedata.category(prev)[0] == "M"
        and text[prev_start].isalnum()
        and (ch.isalnum() or ch == "_")
    )


def sentences(tokens: Sequence[Token]) -> list[list[Token]]:
    """Tokens grouped into sentences; white-space tokens are left out."""
    result: list[list[Token]] = []
    current: list[Token] = []
    for i, token in enumerate(tokens):
        if token.is_space:
            if "\n" in token.text or "\r" in token.text or "\u2029" in token.text:
                _close(result, current)
                current = []
            continue
        current.append(token)
        following = tokens[i + 1].text if i + 1 < len(tokens) else ""
        ends = token.text in _END or (
            token.text in _CLOSE and len(current) > 1 and current[-2].text in _END
        )
        if ends and following not in _END and following not in _CLOSE:
            _close(result, current)
            current = []
    _close(result, current)
    return result


def _close(result: list[list[Token]], current: list[Token]) -> None:
    if current:
        result.append(current)


class Aligner:
    """Token indices of spans of one document: ``aligner(start, end)`` gives the
    (first, last) tokens the span overlaps, last inclusive, and whether the span
    falls exactly on their boundaries."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self._starts = [t.start for t in tokens]
        self._ends = [t.end for t in tokens]

    def __call__(self, start: int, end: int) -> tuple[int, int, bool]:
        first = bisect_right(self._ends, start)  # first token ending after start
        last = bisect_left(self._starts, end) - 1  # last token starting before end
        if first > last:
            raise ValueError(f"span {start}-{end} covers no token")
        exact = self._starts[first] == start and self._ends[last] == end
        return first, last, exact
