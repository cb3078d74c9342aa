"""One regular expression for many phrases, factored as a prefix trie, on word boundaries.

Python's ``re`` tries the branches of an alternation one after another, so
``Kim|Kimberley|Kraków|...`` costs one attempt per phrase at every position.
Factored (``K(?:im(?:berley)?|raków)``) it costs one attempt per character.
The top of the trie is a set of literal first characters, which lets ``re``
skip every position that cannot start a phrase without entering the pattern.

Word boundaries are checked at each phrase's end: ``(?!W)`` after it, and a
look-behind as long as the phrase for the character before it, so the
boundary test does not hide the literal first characters from ``re``.
Longer phrases are tried first, so the longest match that is a whole word wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A word character: what \w matches, plus combining marks (a name spelled with a
# combining accent is still one word).
WORD = r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_WORD_CHAR = re.compile(WORD)

_END = ""  # the key that marks "a phrase ends here" in a trie node

Trie = dict[str, "Trie"]


def is_word_char(char: str) -> bool:
    return _WORD_CHAR.match(char) is not None


def _boundaries(phrase: str) -> str:
    """The assertions that make ``phrase`` a whole word, placed just after it."""
    after = f"(?!{WORD})" if is_word_char(phrase[-1]) else ""
    before = f"(?<!{WORD}[\\s\\S]{{{len(phrase)}}})" if is_word_char(phrase[0]) else ""
    return after + before


def _insert(trie: Trie, phrase: str) -> None:
    node = trie
    for char in phrase:
        node = node.setdefault(char, {})
    node[_END] = {}


def _render(node: Trie, prefix: str, whole_words: bool) -> str:
    # A run of characters with no branch in it is one literal (and no recursion).
    run: list[str] = []
    while len(node) == 1 and _END not in node:
        ((char, node),) = node.items()
        run.append(char)
        prefix += char
    head = re.escape("".join(run))
    branches = [
        re.escape(char) + _render(child, prefix + char, whole_words)
        for char, child in sorted(node.items())
        if char != _END
    ]
    if _END in node:
        # Last, so that a longer phrase through this node is tried first.
        branches.append(_boundaries(prefix) if whole_words else "")
    if len(branches) == 1:
        return head + branches[0]
    return head + "(?:" + "|".join(branches) + ")"


def phrase_pattern(phrases: Iterable[str], *, whole_words: bool = True) -> re.Pattern[str] | None:
    """A compiled alternation of the (non-empty) phrases, or None when there is none."""
    trie: Trie = {}
    for phrase in phrases:
        if phrase:
            _insert(trie, phrase)
    if not trie:
        return None
    return re.compile(_render(trie, "", whole_words))
