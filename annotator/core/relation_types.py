"""Relation types: which links a project allows, between which labels, in which colour.

A relation type is data (:class:`RelationType`), like a label. A new project
gets :data:`NEWS_SCHEME`, which follows the source–cue–content model of
attribution of the PARC corpus: a QUOTE (the content) is ``said-by`` a PERSON
(the source). docs/relations.md says why each type is there and what was
left out.

Nothing here reads or writes the project file: the store keeps the types, and
calls :func:`check_relation` before it stores a relation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from annotator.core.errors import LabelError
from annotator.core.labels import check_colour, check_hotkey

# Exports and the attribution table look for exactly this name.
SAID_BY = "said-by"
HEDGES = "hedges"
LOCATED_IN = "located-in"

_NAME = re.compile(r"^[^\s\x00-\x1f]{1,64}$")


class RelationTypeError(LabelError):
    """A relation type that cannot be used, or a relation its type does not allow."""


class RelationType(NamedTuple):
    """A kind of link from a head span to a child span.

    ``head_labels`` and ``child_labels`` name the labels allowed at each end;
    an empty tuple allows any label. ``hotkey`` picks the type when more than
    one fits the two spans being linked.
    """

    name: str
    colour: str
    head_labels: tuple[str, ...] = ()
    child_labels: tuple[str, ...] = ()
    hotkey: str | None = None
    description: str = ""

    def allows(self, head_label: str, child_label: str) -> bool:
        """Whether a span labelled ``head_label`` may link to one labelled ``child_label``."""
        return (not self.head_labels or head_label in self.head_labels) and (
            not self.child_labels or child_label in self.child_labels
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of a label file's ``relations`` list."""
        return {
            "name": self.name,
            "colour": self.colour,
            "head": list(self.head_labels),
            "child": list(self.child_labels),
            "hotkey": self.hotkey,
            "description": self.description,
        }


# An arc's colour is a dark shade of the hue of the label it points at (its
# child): its name, drawn in that colour on the page, reads at >= 4.5:1, and the
# three stay apart for protanopes and deuteranopes (tests/test_relation_types.py).
NEWS_SCHEME: tuple[RelationType, ...] = (
    RelationType(
        SAID_BY,
        "#005A8C",
        ("QUOTE",),
        ("PERSON",),
        "s",
        "The person who said or wrote the quoted words (PARC: content -> source).",
    ),
    RelationType(
        HEDGES,
        "#986900",
        ("HEDGE",),
        ("QUOTE",),
        "h",
        "Wording outside a quote that softens it: reportedly, allegedly, is believed to.",
    ),
    RelationType(
        LOCATED_IN,
        "#00694D",
        ("PERSON",),
        ("PLACE",),
        "l",
        "Where a source is based or speaks from (domestic or foreign sources).",
    ),
)


def news_scheme(label_names: Iterable[str] | None = None) -> list[RelationType]:
    """The default types; given a project's labels, only those whose labels it has."""
    if label_names is None:
        return list(NEWS_SCHEME)
    names = set(label_names)
    return [
        rtype
        for rtype in NEWS_SCHEME
        if set(rtype.head_labels) <= names and set(rtype.child_labels) <= names
    ]


def relation_type(
    name: str,
    colour: str,
    head_labels: Sequence[str] = (),
    child_labels: Sequence[str] = (),
    hotkey: str | None = None,
    description: str = "",
) -> RelationType:
    """A checked :class:`RelationType` (colour upper-cased, hotkey lower-cased)."""
    name = name.strip()
    if not _NAME.match(name):
        raise RelationTypeError(
            f"not a usable relation type name: {name!r} (1-64 characters, no spaces)"
        )
    try:
        checked_colour, checked_hotkey = check_colour(colour), check_hotkey(hotkey)
    except LabelError as exc:
        raise RelationTypeError(f"relation type {name!r}: {exc}") from None
    return RelationType(
        name=name,
        colour=checked_colour,
        head_labels=_label_list(head_labels),
        child_labels=_label_list(child_labels),
        hotkey=checked_hotkey,
        description=" ".join(description.split()),
    )


def _label_list(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name.strip() for name in names if name.strip()))


def from_dict(data: Mapping[str, Any]) -> RelationType:
    """A relation type from a label file's JSON ({name, colour, head, child, hotkey?,
    description?}); "color" is taken for "colour"."""
    head, child = data.get("head", []), data.get("child", [])
    if not isinstance(head, list) or not isinstance(child, list):
        raise RelationTypeError(f"relation type {data.get('name')!r}: head and child are lists")
    return relation_type(
        name=str(data.get("name", "")),
        colour=str(data.get("colour") or data.get("color") or ""),
        head_labels=[str(label) for label in head],
        child_labels=[str(label) for label in child],
        hotkey=data.get("hotkey"),
        description=str(data.get("description", "")),
    )


def parse_spec(spec: str) -> RelationType:
    """``said-by:QUOTE>PERSON:#005A8C:s`` -> a type (labels joined by ``|``; an end
    left empty allows any label), for the command line."""
    name, ends, colour, hotkey, *_ = [*spec.split(":"), "", "", ""]
    if ">" not in ends:
        raise RelationTypeError(
            f"not a relation type: {spec!r} (use NAME:HEAD>CHILD[:#RRGGBB[:key]], "
            "e.g. said-by:QUOTE>PERSON)"
        )
    head, child = ends.split(">", 1)
    return relation_type(
        name,
        colour or "#404040",
        head.split("|") if head else (),
        child.split("|") if child else (),
        hotkey or None,
    )


def check_scheme(types: Sequence[RelationType], label_names: Iterable[str]) -> None:
    """Refuse a scheme with two types of one name or hotkey, or naming unknown labels."""
    known = set(label_names)
    seen: set[str] = set()
    for rtype in types:
        if rtype.name in seen:
            raise RelationTypeError(f"two relation types are named {rtype.name!r}")
        seen.add(rtype.name)
        unknown = [
            label for label in (*rtype.head_labels, *rtype.child_labels) if label not in known
        ]
        if unknown:
            raise RelationTypeError(
                f"relation type {rtype.name!r} names labels the project does not have: "
                f"{', '.join(dict.fromkeys(unknown))}"
            )
    keys = [rtype.hotkey for rtype in types if rtype.hotkey]
    doubled = sorted({key for key in keys if keys.count(key) > 1})
    if doubled:
        raise RelationTypeError(f"two relation types share the key {doubled[0]!r}")


def find_type(types: Iterable[RelationType], name: str) -> RelationType:
    for rtype in types:
        if rtype.name == name:
            return rtype
    known = ", ".join(rtype.name for rtype in types) or "none"
    raise RelationTypeError(f"no relation type {name!r} (the project has: {known})")


def check_relation(rtype: RelationType, head_label: str, child_label: str) -> None:
    """Refuse a relation its type does not allow, saying what the type links."""
    if rtype.allows(head_label, child_label):
        return
    raise RelationTypeError(
        f"{rtype.name} links {_ends(rtype.head_labels)} to {_ends(rtype.child_labels)}, "
        f"not {_article(head_label)} to {_article(child_label)}"
    )


def types_between(
    types: Iterable[RelationType], head_label: str, child_label: str
) -> list[RelationType]:
    """The types that may link a ``head_label`` span to a ``child_label`` span, in
    scheme order (the first is the one to offer first)."""
    return [rtype for rtype in types if rtype.allows(head_label, child_label)]


def partners(
    types: Iterable[RelationType], label: str, all_labels: Sequence[str]
) -> list[tuple[RelationType, bool, tuple[str, ...]]]:
    """What a span of ``label`` can be linked to: (type, whether the span is the
    head, the labels allowed at the other end), for a chooser's candidates.

    A QUOTE can be the head of ``said-by`` (towards a PERSON); a PERSON can be
    its child, so from a selected PERSON the chooser offers QUOTEs too.
    """
    found: list[tuple[RelationType, bool, tuple[str, ...]]] = []
    for rtype in types:
        if not rtype.head_labels or label in rtype.head_labels:
            found.append((rtype, True, rtype.child_labels or tuple(all_labels)))
        if not rtype.child_labels or label in rtype.child_labels:
            found.append((rtype, False, rtype.head_labels or tuple(all_labels)))
    return found


def _ends(labels: tuple[str, ...]) -> str:
    if not labels:
        return "any span"
    return " or ".join(_article(label) for label in labels)


def _article(label: str) -> str:
    return f"{'an' if label[:1].upper() in 'AEIOU' else 'a'} {label}"
