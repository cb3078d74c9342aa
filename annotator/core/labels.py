"""Label schemas: the defaults every new project gets, and label files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError, LabelError

RESOURCES = Path(__file__).resolve().parents[2] / "resources"

# Okabe & Ito's palette: told apart by readers with any common colour-vision deficiency.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#009E73",
    "#E69F00",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#F0E442",
    "#7F7F7F",
    "#000000",
)

_BUILT_IN = [
    {"name": "PERSON", "colour": "#0072B2", "hotkey": "p", "description": "A named person."},
    {"name": "PLACE", "colour": "#009E73", "hotkey": "l", "description": "A named location."},
    {"name": "QUOTE", "colour": "#E69F00", "hotkey": "q", "description": "Reported words."},
    {"name": "HEDGE", "colour": "#CC79A7", "hotkey": "h", "description": "Softened certainty."},
]

_NAME = re.compile(r"^[^\s\x00-\x1f][^\x00-\x1f]{0,63}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def default_labels() -> list[dict[str, Any]]:
    """PERSON, PLACE, QUOTE, HEDGE from resources/labels.json (built-in copy if absent)."""
    path = RESOURCES / "labels.json"
    if path.is_file():
        return load_label_file(path)
    return [dict(label) for label in _BUILT_IN]


def check_label_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise LabelError(
            f"not a usable label name: {name!r} (1-64 characters, no control characters)"
        )
    return name


def check_colour(colour: str) -> str:
    if not _COLOUR.match(colour):
        raise LabelError(f"not a colour: {colour!r} (use #RRGGBB)")
    return colour.upper()


def check_hotkey(hotkey: str | None) -> str | None:
    if hotkey in (None, ""):
        return None
    if len(hotkey) != 1 or not hotkey.isalpha() or not hotkey.isascii():
        raise LabelError(f"not a hotkey: {hotkey!r} (one letter a-z; digits follow label order)")
    return hotkey.lower()


def parse_label_spec(spec: str) -> list[dict[str, Any]]:
    """``PERSON,ORG:#D55E00:o`` -> label dicts (name[:colour[:hotkey]], comma separated)."""
    labels = []
    for part in spec.split(","):
        if not part.strip():
            continue
        name, colour, hotkey, *_ = [*part.split(":"), None, None]
        labels.append({"name": check_label_name(name), "colour": colour, "hotkey": hotkey})
    return labels


def load_label_file(path: str | Path) -> list[dict[str, Any]]:
    """A JSON list of {name, colour?, hotkey?, description?}, or one label name a line."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the label file ({exc})") from exc
    if raw.lstrip().startswith("["):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON: {exc.msg}", exc.lineno) from exc
        if not isinstance(data, list) or not all(isinstance(x, dict | str) for x in data):
            raise InputError(path, "expected a list of label names or of objects with a 'name'")
        data = [{"name": x} if isinstance(x, str) else x for x in data]
        return [
            {
                "name": str(x.get("name", "")),
                "colour": x.get("colour") or x.get("color"),
                "hotkey": x.get("hotkey"),
                "description": str(x.get("description", "")),
            }
            for x in data
        ]
    return [
        {"name": line.strip(), "colour": None, "hotkey": None, "description": ""}
        for line in raw.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
