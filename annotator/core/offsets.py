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
import unicodedata
from bisect import bisect_left, bisect_right

# One event per place where view and code-point counts drift apart.
_DRIFT = re.compile("[\U00010000-\U0010ffff]|\r\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


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
        # Without astral characters UTF-16 has one unit per code point; encoding
        # to check is far quicker than a regex pass over a long article.
        plain = text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)
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

_ZWJ = "\u200d"


def _extends_previous(ch: str) -> bool:
    """True for code points that belong to the character before them."""
    o = ord(ch)
    if unicodedata.category(ch) in ("Mn", "Mc", "Me"):
        return True
    return (
        ch == _ZWJ
        or 0xFE00 <= o <= 0xFE0F  # variation selectors
        or 0xE0100 <= o <= 0xE01EF
        or 0x1F3FB <= o <= 0x1F3FF  # skin-tone modifiers
        or 0xE0020 <= o <= 0xE007F  # tag characters (subdivision flags)
    )


def _is_regional_indicator(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _is_control(ch: str) -> bool:
    return ch in "\r\n\u2028\u2029" or unicodedata.category(ch) == "Cc"


def _at_boundary(text: str, i: int) -> bool:
    """Whether offset i falls between two user-perceived characters (approximately
    the extended grapheme cluster rules: combining marks, ZWJ sequences, emoji
    modifiers, regional-indicator pairs, CRLF)."""
    if i <= 0 or i >= len(text):
        return True
    prev, cur = text[i - 1], text[i]
    if prev == "\r" and cur == "\n":
        return False
    if _is_control(prev) or _is_control(cur):
        return True  # nothing joins a line break or control character
    if _extends_previous(cur):
        return False
    if prev == _ZWJ and not cur.isspace():
        return False
    if _is_regional_indicator(prev) and _is_regional_indicator(cur):
        # Pairs count from the start of the run.
        run = 0
        j = i - 1
        while j >= 0 and _is_regional_indicator(text[j]):
            run += 1
            j -= 1
        return run % 2 == 0
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
