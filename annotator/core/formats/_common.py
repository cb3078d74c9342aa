"""Helpers the format modules share: checking spans, reading offsets other tools
wrote, reading JSON arrays with line numbers, stable hashes.

Every reader turns foreign offsets into code points here, so the arithmetic and
the error messages are the same whichever tool wrote the file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError
from annotator.core.offsets import ViewMap, utf16_map, widen_to_characters

OFFSET_MODES = ("codepoints", "utf16")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def check_offsets_option(offsets: str | None) -> str | None:
    if offsets is not None and offsets not in OFFSET_MODES:
        raise ValueError(f"--offsets must be one of {', '.join(OFFSET_MODES)}, not {offsets!r}")
    return offsets


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _clean(text: str, start: int, end: int) -> bool:
    """Whether [start, end) is a plausible span: whole characters, no word cut in two."""
    if not 0 <= start < end <= len(text):
        return False
    if widen_to_characters(text, start, end) != (start, end):
        return False
    cuts_start = start > 0 and _word(text[start - 1]) and _word(text[start])
    cuts_end = end < len(text) and _word(text[end - 1]) and _word(text[end])
    return not (cuts_start or cuts_end)


@functools.lru_cache(maxsize=4)
def _map(text: str) -> ViewMap:
    """One map per document, however many spans it has."""
    return utf16_map(text)


def _from_utf16(text: str, start: int, end: int) -> tuple[int, int] | None:
    """UTF-16 offsets -> code points, or None when they do not fit or cut a surrogate pair."""
    view = _map(text)
    if not 0 <= start < end <= view.view_length:
        return None
    cp_start, cp_end = view.from_view(start), view.from_view(end, round_up=True)
    if view.to_view(cp_start) != start or view.to_view(cp_end) != end:
        return None
    return cp_start, cp_end


def resolve_offsets(
    text: str,
    start: Any,
    end: Any,
    *,
    offsets: str | None,
    expected: str | None,
    path: Path,
    line: int,
    what: str,
) -> tuple[int, int]:
    """A foreign span's (start, end) as code points, or InputError naming the file and line.

    ``offsets``: "codepoints" (trust them), "utf16" (convert), or None: code
    points, but refuse offsets that only make sense as UTF-16 units (doccano and
    browser-based tools count an emoji as two), saying so.
    """
    if not (type(start) is int and type(end) is int):
        raise InputError(path, f"{what} needs whole-number offsets, not {start!r}-{end!r}", line)
    if offsets == "utf16":
        converted = _from_utf16(text, start, end)
        if converted is None:
            raise InputError(
                path,
                f"{what} ({start}-{end}) does not fit the text as UTF-16 offsets "
                f"(length {_map(text).view_length} units)",
                line,
            )
        start, end = converted
    elif offsets is None and _ASTRAL.search(text, 0, min(max(end, 0), len(text))):
        as_utf16 = _from_utf16(text, start, end)
        fits_cp = 0 <= start < end <= len(text) and (
            text[start:end] == expected if expected is not None else _clean(text, start, end)
        )
        fits_utf16 = as_utf16 is not None and (
            text[as_utf16[0] : as_utf16[1]] == expected
            if expected is not None
            else _clean(text, *as_utf16)
        )
        if fits_utf16 and not fits_cp:
            raise InputError(
                path,
                f"{what} ({start}-{end}) only fits the text as UTF-16 offsets (an emoji or other "
                "character outside the Basic Multilingual Plane counted as two): import again "
                "with --offsets utf16",
                line,
            )
    if not 0 <= start < end <= len(text):
        hint = ""
        if offsets is None and _from_utf16(text, start, end) is not None:
            hint = "; they fit as UTF-16 offsets: import again with --offsets utf16"
        raise InputError(
            path, f"{what} ({start}-{end}) does not fit the text (length {len(text)}){hint}", line
        )
    if expected is not None and text[start:end] != expected:
        raise InputError(
            path,
            f"{what} ({start}-{end}) says {expected!r} but the text there is {text[start:end]!r}",
            line,
        )
    return start, end


def to_utf16(text: str, start: int, end: int) -> tuple[int, int]:
    """Code points -> UTF-16 offsets, for tools that count that way."""
    view = _map(text)
    return view.to_view(start), view.to_view(end)


def label_name(value: Any, path: Path, line: int, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(path, f"{what} needs a label", line)
    return value.strip()


def stable_hash(*parts: str) -> int:
    """A signed 32-bit hash that is the same on every run (Prodigy's hashes are such ints)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:4], "little", signed=True)


def read_utf8(path: Path, data: bytes | None = None) -> str:
    """File bytes as UTF-8 text, unchanged: no newline translation, so offsets count
    every code point."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(path, f"cannot be read ({exc.strerror})") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, f"is not UTF-8 text (byte 0x{data[exc.start]:02x})", line) from None


def iter_json_array(path: Path) -> Iterator[tuple[int, Any]]:
    """Items of a JSON array file with the line each starts on, for messages."""
    text = read_utf8(path).removeprefix("\ufeff")
    decoder = json.JSONDecoder()
    lines = _LineCounter(text)
    pos = _skip_ws(text, 0)
    if pos >= len(text) or text[pos] != "[":
        found = "JSON lines" if text[pos : pos + 1] == "{" else "something else"
        raise InputError(path, f"expected a JSON list of tasks, found {found}", lines.at(pos))
    pos = _skip_ws(text, pos + 1)
    if text[pos : pos + 1] == "]":
        return
    while True:
        line = lines.at(pos)
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON ({exc.msg})", exc.lineno) from None
        except RecursionError:
            raise InputError(path, "JSON nested too deeply", line) from None
        yield line, item
        pos = _skip_ws(text, pos)
        if text[pos : pos + 1] == ",":
            pos = _skip_ws(text, pos + 1)
        elif text[pos : pos + 1] == "]":
            return
        else:
            raise InputError(path, "not valid JSON (expected ',' or ']')", lines.at(pos))


class _LineCounter:
    """Line numbers of positions met in increasing order, counted once."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def json_object(path: Path, number: int, line: bytes) -> dict[str, Any]:
    """One JSON-lines record, or InputError naming the line."""
    import orjson

    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        hint = ""
        if line.lstrip()[:1] not in (b"{", b"["):
            hint = " (this does not look like JSON lines: is it the right --format?)"
        raise InputError(path, f"not valid JSON ({exc.msg}){hint}", number) from None
    except RecursionError:
        raise InputError(path, "JSON nested too deeply", number) from None
    if not isinstance(record, dict):
        raise InputError(path, 'expected a JSON object with a "text"', number)
    return record


def record_text(record: dict[str, Any], path: Path, number: int, key: str = "text") -> str:
    text = record.get(key)
    if not isinstance(text, str) or not text:
        raise InputError(path, f'missing a non-empty "{key}" string', number)
    if "\x00" in text:
        raise InputError(path, "text contains a NUL character", number)
    return text
