"""Relation types: the news scheme, checking a relation against its type, and
which types may link two labels."""

from __future__ import annotations

from itertools import combinations

import colorspacious
import numpy as np
import pytest
import wcag_contrast_ratio

from annotator.core import colours
from annotator.core.labels import default_labels
from annotator.core.relation_types import (
    NEWS_SCHEME,
    SAID_BY,
    RelationType,
    RelationTypeError,
    check_relation,
    check_scheme,
    find_type,
    from_dict,
    news_scheme,
    parse_spec,
    partners,
    relation_type,
    types_between,
)

LABELS = [label["name"] for label in default_labels()]


def test_the_news_scheme_links_a_quote_to_the_person_who_said_it():
    said_by = find_type(NEWS_SCHEME, "said-by")
    assert SAID_BY == "said-by"
    assert (said_by.head_labels, said_by.child_labels) == (("QUOTE",), ("PERSON",))
    check_relation(said_by, "QUOTE", "PERSON")
    with pytest.raises(RelationTypeError) as refused:
        check_relation(said_by, "PERSON", "QUOTE")
    assert str(refused.value) == "said-by links a QUOTE to a PERSON, not a PERSON to a QUOTE"
    check_scheme(NEWS_SCHEME, LABELS)  # every label it names is a default label


def test_types_between_two_labels_in_scheme_order():
    assert [t.name for t in types_between(NEWS_SCHEME, "QUOTE", "PERSON")] == ["said-by"]
    assert [t.name for t in types_between(NEWS_SCHEME, "HEDGE", "QUOTE")] == ["hedges"]
    assert [t.name for t in types_between(NEWS_SCHEME, "PERSON", "PLACE")] == ["located-in"]
    assert types_between(NEWS_SCHEME, "PLACE", "PERSON") == []
    anything = RelationType("related", "#404040")
    both = [*NEWS_SCHEME, anything]
    assert [t.name for t in types_between(both, "QUOTE", "PERSON")] == ["said-by", "related"]
    assert [t.name for t in types_between(both, "PLACE", "PLACE")] == ["related"]


def test_partners_offer_both_ends():
    """From a selected PERSON a chooser offers QUOTEs (said-by, the PERSON as child)
    and PLACEs (located-in, the PERSON as head)."""
    found = {
        (t.name, is_head, ends) for t, is_head, ends in partners(NEWS_SCHEME, "PERSON", LABELS)
    }
    assert found == {("said-by", False, ("QUOTE",)), ("located-in", True, ("PLACE",))}
    assert partners(NEWS_SCHEME, "PLACE", LABELS)[0][0].name == "located-in"


def test_a_scheme_for_other_labels_keeps_only_the_types_it_can_use():
    assert [t.name for t in news_scheme(["PERSON", "QUOTE"])] == ["said-by"]
    assert news_scheme(["ORG", "EVENT"]) == []
    assert news_scheme() == list(NEWS_SCHEME)


def test_relation_types_are_checked_like_labels():
    made = relation_type(" said-to ", "#aa3377", ["QUOTE", "QUOTE", ""], ["PERSON"], "T")
    assert made == RelationType("said-to", "#AA3377", ("QUOTE",), ("PERSON",), "t")
    for bad in (
        lambda: relation_type("said by", "#000000"),  # a space: brat's .ann cannot hold it
        lambda: relation_type("", "#000000"),
        lambda: relation_type("x", "red"),
        lambda: relation_type("x", "#000000", hotkey="12"),
    ):
        with pytest.raises(RelationTypeError):
            bad()
    with pytest.raises(RelationTypeError, match="two relation types are named 'said-by'"):
        check_scheme([*NEWS_SCHEME, NEWS_SCHEME[0]], LABELS)
    with pytest.raises(RelationTypeError, match="names labels the project does not have: ORG"):
        check_scheme([relation_type("works-for", "#000000", ["PERSON"], ["ORG"])], LABELS)
    with pytest.raises(RelationTypeError, match="share the key 's'"):
        check_scheme([*NEWS_SCHEME, relation_type("x", "#000000", hotkey="s")], LABELS)
    with pytest.raises(RelationTypeError, match="no relation type 'spoke'"):
        find_type(NEWS_SCHEME, "spoke")


def test_spec_and_json_shapes():
    parsed = parse_spec("said-by:QUOTE>PERSON:#005a8c:s")
    assert (parsed.name, parsed.colour, parsed.head_labels, parsed.child_labels, parsed.hotkey) == (
        "said-by",
        "#005A8C",
        ("QUOTE",),
        ("PERSON",),
        "s",
    )
    assert parse_spec("cites:QUOTE|HEDGE>").child_labels == ()
    with pytest.raises(RelationTypeError, match="NAME:HEAD>CHILD"):
        parse_spec("said-by:QUOTE")
    for rtype in NEWS_SCHEME:
        assert from_dict(rtype.as_dict()) == rtype
    assert from_dict({"name": "x", "color": "#123456", "head": [], "child": []}).colour == "#123456"


def test_arc_names_read_on_the_page_and_arcs_are_told_apart():
    """An arc's name is drawn in its type's colour on the page: 4.5:1 on white, and
    the types stay apart for protanopes and deuteranopes (colorspacious)."""
    for rtype in NEWS_SCHEME:
        ratio = wcag_contrast_ratio.rgb(colours.rgb(rtype.colour), (1.0, 1.0, 1.0))
        assert ratio >= 4.5, rtype.name
    for a, b in combinations(NEWS_SCHEME, 2):
        for kind in (None, "protanomaly", "deuteranomaly"):
            first, second = np.array(colours.rgb(a.colour)), np.array(colours.rgb(b.colour))
            if kind:
                space = {"name": "sRGB1+CVD", "cvd_type": kind, "severity": 100}
                first = np.clip(colorspacious.cspace_convert(first, space, "sRGB1"), 0, 1)
                second = np.clip(colorspacious.cspace_convert(second, space, "sRGB1"), 0, 1)
            assert colorspacious.deltaE(first, second, input_space="sRGB1") >= 10, (a, b, kind)
