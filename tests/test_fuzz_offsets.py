"""Fuzzing the offset conversions with any text at all, not only the known hard pieces.

Each test prints how many examples it tried. ANNOTATOR_FUZZ_EXAMPLES (default
300) sets the count; the deadline suits a slow CI machine.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.offsets import (
    ViewMap,
    _at_boundary,
    snap_selection,
    utf16_map,
    widen_to_characters,
)

EXAMPLES = int(os.environ.get("ANNOTATOR_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=2), database=None)

# Any code point but lone surrogates (a stored text never holds one), weighted
# towards the characters where counts drift or clusters form.
TRICKY = st.sampled_from(
    [
        "\r\n",
        "\r",
        "\n",
        "\u2029",
        "\ufdd0",
        "\u200d",
        "\u0301",
        "\ufe0f",
        "\U0001f3fd",
        "\U0001f1f0",
        "\U0001f1f7",
        "\U0001f600",
        "\U0001f468",
        "\U000e0067",
        " ",
        "\u00a0",
        "\t",
        "a",
        "Z",
        "1",
        "_",
        ".",
        "\u05e9",
        "\u0645",
        "\u6771",
        "\U0002000b",
    ]
)
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
TEXTS = st.lists(st.one_of(TRICKY, ANY_CHAR), max_size=60).map("".join)


def _inside_crlf(text: str, offset: int) -> bool:
    return 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n"


def _reference(text: str, offset: int) -> int:
    prefix = text[:offset]
    return len(prefix.encode("utf-16-le")) // 2 - prefix.count("\r\n")


def test_fuzz_view_map(capsys: pytest.CaptureFixture[str]) -> None:
    tried = []

    @FUZZ
    @given(TEXTS)
    def check(text: str) -> None:
        tried.append(len(text))
        view = ViewMap(text)
        positions = [view.to_view(i) for i in range(len(text) + 1)]
        assert positions == sorted(positions)  # monotonic
        assert view.view_length == _reference(text, len(text))
        for i, position in enumerate(positions):
            if _inside_crlf(text, i):
                assert position == positions[i - 1]
                continue
            assert position == _reference(text, i)
            assert view.from_view(position) == i  # every boundary comes back
            assert view.from_view(position, round_up=True) == i
        for position in range(view.view_length + 1):
            down = view.from_view(position)
            up = view.from_view(position, round_up=True)
            assert down <= up <= down + 1
            assert view.to_view(down) <= position <= view.to_view(up)
            if up != down:  # only inside a surrogate pair
                assert ord(text[down]) > 0xFFFF
        # Positions outside the view are clamped, never raised.
        assert view.from_view(-5) == 0 and view.from_view(view.view_length + 5) == len(text)
        plain = utf16_map(text)
        for i in range(len(text) + 1):
            assert plain.to_view(i) == len(text[:i].encode("utf-16-le")) // 2

    check()
    with capsys.disabled():  # the figures belong in the CI log
        print(f"\nfuzz view map: {len(tried)} texts, {sum(tried)} boundaries each way")
    assert len(tried) >= min(EXAMPLES, 50)


def test_fuzz_snap_and_widen(capsys: pytest.CaptureFixture[str]) -> None:
    tried = []

    @FUZZ
    @given(TEXTS, st.integers(-5, 70), st.integers(-5, 70), st.booleans())
    def check(text: str, a: int, b: int, words: bool) -> None:
        tried.append(1)
        start, end = widen_to_characters(text, a, b)
        assert 0 <= start <= end <= len(text)
        assert widen_to_characters(text, start, end) == (start, end)  # a fixed point
        lo, hi = max(0, min(a, len(text))), max(0, min(b, len(text)))
        if lo <= hi:
            assert start <= lo and hi <= end  # only ever widens
        s, e = snap_selection(text, lo, hi, words=words)
        assert 0 <= s <= e <= len(text)
        assert widen_to_characters(text, s, e) == (s, e), "a snapped span cuts a character"
        if s < e:
            assert not text[s].isspace() and not text[e - 1].isspace()
            kept = set(range(s, e))
            first, last = min(lo, hi), max(lo, hi)
            # Every selected character is kept but white space, and marks riding on it.
            assert all(
                i in kept or text[i].isspace() or not _at_boundary(text, i)
                for i in range(first, last)
            )
            assert snap_selection(text, s, e, words=words) == (s, e)  # stable

    check()
    with capsys.disabled():  # the figures belong in the CI log
        print(f"\nfuzz snap/widen: {len(tried)} selections")
    assert len(tried) >= min(EXAMPLES, 50)
