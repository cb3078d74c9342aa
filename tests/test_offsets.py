"""Code points in the store, UTF-16 units and folded CRLF in the view: one mapping, tested hard."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.offsets import (
    ViewMap,
    has_astral,
    snap_selection,
    utf16_map,
    widen_to_characters,
)

# The hard cases: emoji with skin tone, ZWJ family, flag, astral CJK, combining marks,
# right-to-left script, non-breaking space, CRLF, lone CR, tabs.
PIECES = [
    "Kim",
    " ",
    "\u00a0",
    "\r\n",
    "\n",
    "\r",
    "\t",
    "😀",
    "👍🏽",
    "👨\u200d👩\u200d👧",
    "🇰🇷",
    "𠀋",
    "e\u0301",
    "ñ",
    "שלום",
    "مرحبا",
    "東京",
    '"',
    ".",
]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)


def reference_view_position(text: str, offset: int) -> int:
    """What Qt counts: UTF-16 units, with each CRLF one unit."""
    prefix = text[:offset]
    return len(prefix.encode("utf-16-le")) // 2 - prefix.count("\r\n")


@settings(max_examples=300, deadline=None)
@given(texts)
def test_to_view_matches_utf16_with_crlf_folded(text: str) -> None:
    view = ViewMap(text)
    for offset in range(len(text) + 1):
        if offset and text[offset - 1 : offset + 1] == "\r\n":
            continue  # between CR and LF is no boundary
        assert view.to_view(offset) == reference_view_position(text, offset)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_from_view_inverts_to_view_and_rounds_inside_pairs(text: str) -> None:
    view = ViewMap(text)
    previous = -1
    for position in range(view.view_length + 1):
        down = view.from_view(position)
        up = view.from_view(position, round_up=True)
        assert previous <= down <= up <= len(text)
        assert view.to_view(down) <= position <= view.to_view(up)
        previous = down
    for offset in range(len(text) + 1):
        if not (offset and text[offset - 1 : offset + 1] == "\r\n"):
            assert view.from_view(view.to_view(offset)) == offset


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(0, 200), st.integers(0, 200), st.booleans())
def test_snapped_selection_never_cuts_a_character(text: str, a: int, b: int, words: bool) -> None:
    start, end = snap_selection(text, min(a, len(text)), min(b, len(text)), words=words)
    assert 0 <= start <= end <= len(text)
    assert widen_to_characters(text, start, end) == (start, end)
    if start < end:
        assert not text[start].isspace() and not text[end - 1].isspace()


def test_view_map_against_a_real_qt_document() -> None:
    """Select through the mapping in a QTextDocument; the view shows the stored slice."""
    from PySide6 import QtGui as qtgui

    text = "Kim 😀 met\r\nPutin 👍🏽 in 東京 𠀋 — café\u00a0e\u0301 שלום 🇰🇷!"
    document = qtgui.QTextDocument()
    document.setPlainText(text)
    view = ViewMap(text)
    assert document.characterCount() - 1 == view.view_length
    for part in ["😀", "Putin", "👍🏽", "東京", "𠀋", "café\u00a0e\u0301", "שלום", "🇰🇷!"]:
        start = text.index(part)
        a, b = view.to_view_range(start, start + len(part))
        cursor = qtgui.QTextCursor(document)
        cursor.setPosition(a)
        cursor.setPosition(b, qtgui.QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == part
        assert view.from_view_range(a, b) == (start, start + len(part))


@pytest.mark.parametrize(
    ("text", "selection", "words", "expected"),
    [
        ("President Vladimir Putin met", ("Vlad", 14, 22), True, "Vladimir Putin"),
        ("  Kim Jong Un  ", ("", 0, 15), True, "Kim Jong Un"),
        ('he said "we will go" and', ("", 8, 20), True, '"we will go"'),
        ("President Vladimir Putin met", ("", 12, 14), False, "ad"),
        ("Kim's train", ("", 0, 3), True, "Kim"),
        ("caf\u00e9 e\u0301t\u00e9", ("", 5, 6), False, "e\u0301"),
        ("flag 🇰🇷 here", ("", 6, 7), False, "🇰🇷"),
        ("   ", ("", 0, 3), True, ""),
    ],
)
def test_snap_selection_cases(
    text: str, selection: tuple[str, int, int], words: bool, expected: str
) -> None:
    _, start, end = selection
    a, b = snap_selection(text, start, end, words=words)
    assert text[a:b] == expected


def test_utf16_map_reads_browser_offsets() -> None:
    text = "😀 Kim\r\nJong"
    mapping = utf16_map(text)
    assert mapping.from_view(3) == 2  # after the emoji and the space
    assert (
        mapping.to_view(text.index("Jong"))
        == len(text[: text.index("Jong")].encode("utf-16-le")) // 2
    )


def test_out_of_range_offsets_are_refused() -> None:
    with pytest.raises(ValueError):
        ViewMap("abc").to_view(4)


def test_whole_characters_follow_unicode_grapheme_rules() -> None:
    # Conjoining Hangul jamo (ᄀ + ᅡ + ᆨ) make one syllable; an earlier
    # approximation cut after the first.
    jamo = "x \u1100\u1161\u11a8 y"
    assert widen_to_characters(jamo, 3, 4) == (2, 5)
    # A flag (two regional indicators) and a ZWJ family stay whole.
    flags = "a 🇰🇷🇷🇺 b"
    assert widen_to_characters(flags, 3, 4) == (2, 4)
    family = "a 👩\u200d👩\u200d👧 b"
    assert widen_to_characters(family, 4, 5) == (2, 7)


def test_the_data_folder_follows_the_platform(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from annotator.core.paths import user_data_dir

    monkeypatch.delenv("ANNOTATOR_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    if sys.platform.startswith("linux"):
        assert user_data_dir() == tmp_path / "share" / "annotator"
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "mine"))
    assert user_data_dir() == tmp_path / "mine"


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(max_codepoint=0x10FFFF), max_size=200),
    st.integers(0, 3),
    st.sampled_from(["", "é", "€", "\ud800", "😀", "\U00010000"]),
)
def test_astral_characters_are_found_as_utf16_counts_them(
    text: str, copies: int, extra: str
) -> None:
    """Long and short texts, in every width CPython keeps them: against UTF-16 itself."""
    text = text * copies + extra + "x" * (70 * copies)
    utf16_units = len(text.encode("utf-16-le", "surrogatepass")) // 2
    assert has_astral(text) == (utf16_units != len(text))
