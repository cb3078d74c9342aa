"""``quotes``: text in quotation marks becomes QUOTE, the marks included.

Handled: straight "…", curly “…” and ‘…’, « guillemets » (spaces inside or
not) and »reversed« ones, German „…“ (and „…” as in Polish), and a quotation
over several paragraphs where each paragraph reopens the quote: a paragraph
that ends while a quote is open, followed by one that begins with the same
opening mark, continues it. A quote still open at a paragraph's end with no
reopening is dropped: an unmatched mark proposes nothing.

Straight double quotes say nothing about their direction, so their place
decides: one opens after a space, a line start or an opening bracket and
before a non-space; one closes after a non-space and before anything but a
letter or digit. An inch mark (``a 27" screen``) is after a digit, so it never
opens a quote. Apostrophes are ``’`` or ``'`` inside or at the end of words:
straight single quotes are not quotation marks here at all, and a curly ``’``
closes a ``‘`` only when no letter follows it (``Korea’s`` does not close).

Quotes inside quotes are not proposed on their own: the outer quotation is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.suggest.model import Suggestion

SOURCE = "quotes"
LABEL = "QUOTE"

# Opening mark -> the marks that close it.
CLOSERS = {
    '"': '"',
    "\u201c": "\u201d",  # “ ”
    "\u201e": "\u201c\u201d",  # „ “ (German), „ ” (Polish, Hungarian)
    "\u00ab": "\u00bb",  # « »
    "\u00bb": "\u00ab",  # » « (German, Danish)
    "\u201d": "\u201d",  # ” ” (Swedish, Finnish)
    "\u2018": "\u2019",  # ‘ ’
}
# Opening mark -> the marks that may reopen it at the start of a continuing paragraph.
REOPENERS = {"\u00ab": "\u00ab\u00bb"}  # French continues with « or »

_MARKS = re.compile('["\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019]')
_BREAK = re.compile("[\n\r\u2028\u2029\x85]")
_OPEN_AFTER = "([{\u2014\u2013-/:"  # what may stand right before an opening mark
_SPACE = re.compile(r"\s*")


@dataclass(slots=True)
class _Open:
    mark: str
    start: int


def _can_open(text: str, pos: int, mark: str) -> bool:
    """Whether a mark that opens only in some places (straight, ”, », ‘) opens here:
    after a space, a line start, an opening bracket or mark, and before a non-space."""
    before = text[pos - 1] if pos else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if not (before.isspace() or before in _OPEN_AFTER or before in CLOSERS):
        return False
    if after.isspace():
        return False
    return not (mark == "\u2018" and not after.isalpha())


def _can_close(text: str, pos: int, mark: str) -> bool:
    """A straight mark or ’ closes after a non-space and before no letter or digit
    (so ``Korea’s`` does not close); every other closing mark closes."""
    before = text[pos - 1] if pos else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return not (mark in '"\u2019' and (before.isspace() or after.isalnum()))


def find_quotes(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost quotation in ``text``, marks included."""
    found: list[tuple[int, int]] = []
    stack: list[_Open] = []
    last = 0  # where the text after the previous mark starts
    for match in _MARKS.finditer(text):
        pos = match.start()
        if stack:
            last, reopens = _paragraph_ends(text, stack, last, pos)
            if reopens:
                continue  # the mark that reopens a quote running on from the last paragraph
        last = pos + 1
        mark = match.group()
        top = stack[-1] if stack else None
        if top is not None and mark in CLOSERS[top.mark] and _can_close(text, pos, mark):
            stack.pop()
            if not stack:
                found.append((top.start, pos + 1))
            continue
        if mark in "\u201c\u201e\u00ab" or (mark in CLOSERS and _can_open(text, pos, mark)):
            if mark == '"' and top is not None and top.mark == '"':
                continue  # no straight quote inside a straight quote
            if mark == "\u201d" and top is not None:
                continue  # ” opens only where nothing is open (Swedish style)
            stack.append(_Open(mark, pos))
    return found


def _paragraph_ends(text: str, stack: list[_Open], last: int, pos: int) -> tuple[int, bool]:
    """Handle the line breaks between ``last`` and the mark at ``pos`` while a quote is open.

    A quote continues when the next paragraph opens with its reopening mark;
    otherwise it is dropped (the stack emptied). Returns where to look for the
    next break, and whether the mark at ``pos`` is such a reopening mark.
    """
    while stack and (brk := _BREAK.search(text, last, pos)) is not None:
        after = _SPACE.match(text, brk.end()).end()  # type: ignore[union-attr]
        outer = stack[0]
        if after < len(text) and text[after] in REOPENERS.get(outer.mark, outer.mark):
            del stack[1:]
            if after == pos:
                return pos + 1, True
            last = after + 1
        else:
            stack.clear()  # never closed and not continued: propose nothing
    return last, False


def suggest_quotes(text: str, label: str = LABEL, source: str = SOURCE) -> list[Suggestion]:
    """Each outermost quotation in ``text`` as a ``label`` suggestion."""
    return [Suggestion(start, end, label, source) for start, end in find_quotes(text)]
