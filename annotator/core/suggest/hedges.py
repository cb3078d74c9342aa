"""``hedges``: a lexicon of hedges and unnamed sources becomes HEDGE.

The lexicon is one plain-text file a researcher edits (``resources/hedges.txt``
is the default; a project may carry its own copy and pass its path):

- one entry a line, words separated by spaces: ``according to sources``;
- ``#`` starts a comment, to the end of the line; blank lines are skipped;
- ``stem{a,b}`` stands for ``stem``, ``stema`` and ``stemb``: ``believe{s,d}``
  is believe, believes, believed; ``{,}`` forms may stand in several words of
  one entry and every combination is taken (``{|}`` is not special);
- entries match case-sensitively as written, on whole words, and an entry that
  begins with a small letter also matches capitalised at a sentence's start
  ("Presumably, ..."), but not in the middle of one ("May" the month is not "may").

Where entries overlap the longest wins ("is believed to" over "believed").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from pathlib import Path

from annotator.core.suggest.model import SuggestError, Suggestion
from annotator.core.suggest.wordtrie import phrase_pattern

SOURCE = "hedges"
LABEL = "HEDGE"
DEFAULT_LEXICON = Path(__file__).resolve().parents[3] / "resources" / "hedges.txt"

_BRACES = re.compile(r"\{([^{}]*)\}")
# What may stand between a sentence's end and its next word: spaces, opening marks.
_LEAD_IN = " \t\u00a0\u202f\"'\u201c\u201e\u00ab\u2018([\u2014\u2013-"
_CLOSING = "\"'\u201d\u00bb\u2019)]"
_SENTENCE_END = ".!?\u2026:;"


def expand(entry: str) -> list[str]:
    """``believe{s,d}`` -> ``["believe", "believes", "believed"]``; several braces combine."""
    pieces = _BRACES.split(entry)
    # pieces: text, suffixes, text, suffixes, ..., text
    choices: list[list[str]] = []
    for index, piece in enumerate(pieces):
        if index % 2:
            choices.append(["", *(s for s in piece.split(",") if s)])
        else:
            choices.append([piece])
    return [" ".join("".join(parts).split()) for parts in itertools.product(*choices)]


def read_lexicon(path: str | Path = DEFAULT_LEXICON) -> list[str]:
    """The lexicon's entries, expanded, in file order; a bad line names the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SuggestError(f"{path}: cannot read the hedge lexicon ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise SuggestError(f"{path}: the hedge lexicon is not UTF-8 text") from None
    return parse_lexicon(text, str(path))


def parse_lexicon(text: str, where: str) -> list[str]:
    """A lexicon's entries from its text (a file's, or the copy a project carries);
    ``where`` names it in the message about a bad line."""
    entries: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.count("{") != line.count("}") or re.search(r"\{[^}]*\{", line):
            raise SuggestError(f"{where}, line {number}: unbalanced braces in {raw.strip()!r}")
        entries.extend(expand(line))
    return list(dict.fromkeys(entries))


def sentence_start(text: str, pos: int) -> bool:
    """Whether ``pos`` begins a sentence: the text's or a line's start, or after ``.!?…:;``
    (and any closing mark), spaces and opening marks between."""
    i = pos - 1
    while i >= 0 and text[i] in _LEAD_IN:
        i -= 1
    if i < 0 or text[i] in "\n\r\u2028\u2029":
        return True
    while i >= 0 and text[i] in _CLOSING:
        i -= 1
    return i >= 0 and text[i] in _SENTENCE_END and i < pos - 1


class HedgeLexicon:
    """A lexicon compiled once into one alternation, to be run over many documents."""

    def __init__(self, entries: Iterable[str], label: str = LABEL, source: str = SOURCE) -> None:
        self.entries = [entry for entry in entries if entry]
        self.label = label
        self.source = source
        # Capitalised forms, allowed only at a sentence's start.
        self.capitalised = {
            entry[0].upper() + entry[1:] for entry in self.entries if entry[0].islower()
        } - set(self.entries)
        self.pattern = phrase_pattern([*self.entries, *self.capitalised])

    @classmethod
    def load(cls, path: str | Path = DEFAULT_LEXICON) -> HedgeLexicon:
        return cls(read_lexicon(path))

    def run(self, text: str) -> list[Suggestion]:
        if self.pattern is None:
            return []
        label, source, capitalised = self.label, self.source, self.capitalised
        out: list[Suggestion] = []
        pos = 0
        search = self.pattern.search
        while (match := search(text, pos)) is not None:
            start, end = match.span()
            if match.group() in capitalised and not sentence_start(text, start):
                pos = start + 1  # a shorter entry may still begin here in small letters
                continue
            out.append(Suggestion(start, end, label, source))
            pos = end
        return out


def suggest_hedges(text: str, lexicon: HedgeLexicon | None = None) -> list[Suggestion]:
    """HEDGE suggestions in ``text`` from ``lexicon`` (the default one if not given)."""
    return (lexicon or default_lexicon()).run(text)


_DEFAULT: list[HedgeLexicon] = []


def default_lexicon() -> HedgeLexicon:
    """``resources/hedges.txt``, read once."""
    if not _DEFAULT:
        _DEFAULT.append(HedgeLexicon.load())
    return _DEFAULT[0]
