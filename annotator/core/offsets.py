"""The one place where view positions and stored offsets meet.

Stored offsets are Python code points, end exclusive. A Qt text view counts
UTF-16 units (an astral character such as an emoji is two) and folds ``\\r\\n``
into one block break (a lone ``\\r``, U+2029 and U+FDD0/U+FDD1 also become a
break, but keep their length). Every conversion goes through :class:`ViewMap`;
nothing else may do this arithmetic.

Also here: how a raw selection becomes a span's extent (whole characters, and by
default whole words without surrounding white space).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_left, bisect_right

# One event per place where view and code-point counts drift apart.
_DRIFT = re.compile("[\U00010000-\U0010ffff]|\r\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def has_astral(text: str) -> bool:
    """Whether ``text`` holds a character beyond U+FFFF (two UTF-16 units).

    CPython keeps a string in 1, 2 or 4 bytes a character, 4 only when one of
    them is beyond U+FFFF, so a long text's size in memory answers without a pass
    over it; elsewhere, or for a short text, encoding it answers (1 ms a MB).
    """
    if text.isascii():
        return False
    if len(text) > 64 and sys.implementation.name == "cpython":
        return sys.getsizeof(text) >= 4 * len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


class ViewMap:
    """Maps code-point offsets of ``text`` to positions in a Qt view of it and back.

    Built once per document in one regex pass; each lookup is a binary search
    over the drift points (astral characters and CRLF pairs), so a 1 MB
    article of plain Latin text costs nothing to map.
    """

    __slots__ = ("_cum", "_index", "_kind", "_length", "_vend")

    def __init__(self, text: str, *, fold_crlf: bool = True) -> None:
        """With ``fold_crlf=False`` it maps plain UTF-16 offsets (doccano, browsers)."""
        self._length = len(text)
        index: list[int] = []
        kind: list[int] = []  # +1 astral (one more unit), -1 CRLF (one unit less)
        cum: list[int] = []
        vend: list[int] = []  # view position just after the event
        total = 0
        # Without astral characters UTF-16 has one unit per code point.
        plain = not has_astral(text)
        # A one-character search is a memchr; "\r\n" in text is a slower scan (1 ms a MB).
        if plain and not (fold_crlf and "\r" in text and "\r\n" in text):
            self._index, self._kind, self._cum, self._vend = index, kind, cum, vend
            return
        for match in (_DRIFT if fold_crlf else _ASTRAL).finditer(text):
            k = match.start()
            if match.group() == "\r\n":
                total -= 1
                index.append(k)
                kind.append(-1)
                cum.append(total)
                vend.append(k + 2 + total)
            else:
                total += 1
                index.append(k)
                kind.append(1)
                cum.append(total)
                vend.append(k + 1 + total)
        self._index, self._kind, self._cum, self._vend = index, kind, cum, vend

    @property
    def identity(self) -> bool:
        """Whether every offset is its own view position (no astral character, no CRLF)."""
        return not self._index

    @property
    def view_length(self) -> int:
        return self.to_view(self._length)

    def to_view(self, offset: int) -> int:
        """Code-point offset -> view position (UTF-16 units, CRLF folded)."""
        if offset < 0 or offset > self._length:
            raise ValueError(f"offset {offset} outside 0..{self._length}")
        j = bisect_left(self._index, offset)
        # An offset between the \r and \n of a pair is not a real boundary.
        if j < len(self._index) and self._kind[j] == -1 and self._index[j] + 1 == offset:
            offset -= 1
        return offset + (self._cum[j - 1] if j else 0)

    def from_view(self, position: int, *, round_up: bool = False) -> int:
        """View position -> code-point offset.

        A position inside a surrogate pair (which Qt can report) is rounded down,
        or up with ``round_up`` (use it for the end of a selection).
        """
        position = max(0, min(position, self.view_length))
        j = bisect_right(self._vend, position)
        offset = position - (self._cum[j - 1] if j else 0)
        if j < len(self._index) and offset > self._index[j]:
            # Inside the astral character at index[j].
            offset = self._index[j] + 1 if round_up else self._index[j]
        return min(offset, self._length)

    def to_view_range(self, start: int, end: int) -> tuple[int, int]:
        return self.to_view(start), self.to_view(end)

    def from_view_range(self, start: int, end: int) -> tuple[int, int]:
        if end < start:
            start, end = end, start
        return self.from_view(start), self.from_view(end, round_up=True)


# --- whole characters ---------------------------------------------------------

# Grapheme clusters (user-perceived characters) by the ``regex`` module's ``\X``,
# which follows Unicode's own rules (UAX #29: Hangul syllables, Indic conjuncts,
# emoji ZWJ sequences, flags, CRLF) and keeps up with new Unicode versions; an
# approximation of our own got Hangul jamo and Indic conjuncts wrong.
_ASCII_PAIR_SEARCH = 256  # how far back to look for a position that is surely a boundary


def _surely_boundary(text: str, j: int) -> bool:
    """Between two ASCII characters (not CR LF), or after a line feed: no rule joins."""
    if j <= 0:
        return True
    before, after = text[j - 1], text[j]
    return before == "\n" or (before < "\x80" and after < "\x80" and before + after != "\r\n")


def _at_boundary(text: str, i: int) -> bool:
    """Whether offset i falls between two grapheme clusters (user-perceived characters)."""
    if i <= 0 or i >= len(text):
        return True
    if _surely_boundary(text, i):
        return True
    start = i - 1
    floor = max(0, i - _ASCII_PAIR_SEARCH)
    while start > floor and not _surely_boundary(text, start):
        start -= 1
    if not _surely_boundary(text, start):
        start = 0  # a long run with no sure boundary: read from the top
    import regex

    for match in regex.finditer(r"\X", text, pos=start):
        if match.end() >= i:
            return match.end() == i
    return True


def widen_to_characters(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) so that it cuts no combining sequence, emoji sequence or CRLF."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start > 0 and not _at_boundary(text, start):
        start -= 1
    while end < len(text) and not _at_boundary(text, end):
        end += 1
    return start, end


# --- whole words ----------------------------------------------------------------


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M"


def snap_selection(text: str, start: int, end: int, *, words: bool = True) -> tuple[int, int]:
    """The extent a selection becomes when tagged.

    Always: whole characters, and white space at either edge dropped.
    With ``words`` (the default): a word cut by either edge is taken whole.
    Punctuation the user selected stays in; none is added.
    Returns (start, end) with start == end when nothing but white space was selected.
    """
    if end < start:
        start, end = end, start
    start, end = _strip(text, *widen_to_characters(text, start, end))
    if start == end:
        return start, end
    if words:
        while start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
            start -= 1
        while end < len(text) and _is_word_char(text[end - 1]) and _is_word_char(text[end]):
            end += 1
        # A word may begin with a mark that rides on a space: drop that space again.
        start, end = _strip(text, *widen_to_characters(text, start, end))
    return start, end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop white space at the edges a whole character at a time (a space may carry
    a combining mark)."""
    while start < end and text[start].isspace():
        start += 1
        while start < end and not _at_boundary(text, start):
            start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
        while end > start and not _at_boundary(text, end):
            end -= 1
    return start, end


def utf16_map(text: str) -> ViewMap:
    """Maps plain UTF-16 offsets (as doccano and browsers write them) to code points."""
    return ViewMap(text, fold_crlf=False)
