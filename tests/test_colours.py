"""Colour arithmetic checked against published implementations, and the default
palette checked as colour-blind readers see it (docs/colours.md)."""

from __future__ import annotations

from itertools import combinations

import colorspacious
import numpy as np
import pytest
import wcag_contrast_ratio
from hypothesis import given
from hypothesis import strategies as st

from annotator.core import colours
from annotator.core.labels import PALETTE, default_labels

hex_colours = st.integers(0, 0xFFFFFF).map(lambda value: f"#{value:06X}")

# colorspacious names the full-severity simulation by the anomaly at severity 100.
CVD_SPACES = {
    kind: {"name": "sRGB1+CVD", "cvd_type": kind.replace("opia", "omaly"), "severity": 100}
    for kind in colours.DEFICIENCIES
}


def seen(colour: str, kind: str | None) -> np.ndarray:
    """``colour`` as sRGB1, simulated by colorspacious (not by our code)."""
    value = np.array(colours.rgb(colour))
    if kind is None:
        return value
    return np.clip(colorspacious.cspace_convert(value, CVD_SPACES[kind], "sRGB1"), 0, 1)


def cam_distance(a: str, b: str, kind: str | None) -> float:
    """Perceptual distance (CAM02-UCS) as colorspacious computes it."""
    return float(colorspacious.deltaE(seen(a, kind), seen(b, kind), input_space="sRGB1"))


@given(hex_colours, hex_colours)
def test_contrast_ratio_is_wcags(first, second):
    expected = wcag_contrast_ratio.rgb(colours.rgb(first), colours.rgb(second))
    assert colours.contrast_ratio(first, second) == pytest.approx(expected, rel=1e-9)


def test_contrast_ratio_extremes():
    assert colours.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert colours.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@given(hex_colours, st.sampled_from(colours.DEFICIENCIES))
def test_simulation_matches_colorspacious(colour, kind):
    ours = np.array(colours.rgb(colours.simulate(colour, kind)))
    assert np.abs(ours - seen(colour, kind)).max() <= 0.5 / 255 + 1e-9


@given(hex_colours, hex_colours)
def test_distance_is_cie76_as_colorspacious_computes_it(first, second):
    expected = colorspacious.deltaE(
        colours.rgb(first), colours.rgb(second), input_space="sRGB1", uniform_space="CIELab"
    )
    assert colours.distance(first, second) == pytest.approx(float(expected), abs=0.05)


@given(hex_colours, hex_colours, st.floats(0, 1))
def test_blend_lies_between_its_colours(colour, background, amount):
    mixed = colours.rgb(colours.blend(colour, background, amount))
    for m, c, b in zip(mixed, colours.rgb(colour), colours.rgb(background), strict=True):
        assert min(c, b) - 0.5 / 255 <= m <= max(c, b) + 0.5 / 255


def test_default_labels_are_told_apart_with_protanopia_and_deuteranopia():
    """The solid colours (span edges, nested bars, buttons, icons) of the default
    labels stay apart for colour-blind readers, measured by colorspacious."""
    solid = {label["name"]: label["colour"] for label in default_labels()}
    for (name_a, a), (name_b, b) in combinations(solid.items(), 2):
        for kind in (None, "protanopia", "deuteranopia"):
            assert cam_distance(a, b, kind) >= 10, (name_a, name_b, kind)
    assert colours.palette_problems(solid, minimum=15) == []


def test_a_palette_problem_is_named():
    """Grey beside PLACE's green is the pair a deuteranope confuses."""
    problems = colours.palette_problems({"PLACE": "#009E73", "OTHER": "#7F7F7F"})
    assert problems == ["PLACE and OTHER look alike with deuteranopia (ΔE 9.6)"]
    assert cam_distance("#009E73", "#7F7F7F", "deuteranopia") < 10


def test_text_on_every_tint_of_the_palette_reads_at_4_5():
    for colour in PALETTE:
        for tint in colours.span_tints(colour, "#FFFFFF"):
            ratio = wcag_contrast_ratio.rgb(colours.rgb("#000000"), colours.rgb(tint))
            assert ratio >= 4.5, (colour, tint)


def test_readable_on_picks_the_text_colour_with_more_contrast():
    assert colours.readable_on("#E69F00") == "#000000"  # white on orange is 2.3:1
    assert colours.readable_on("#0072B2") == "#FFFFFF"
    for colour in PALETTE:
        text = colours.readable_on(colour)
        assert wcag_contrast_ratio.rgb(colours.rgb(text), colours.rgb(colour)) >= 4.5


DARK_PAGE, DARK_TEXT = "#17181A", "#E8E8E8"  # the dark theme's page and text


def test_every_tint_of_the_palette_reads_at_4_5_on_the_dark_page_too():
    """Given the text colour, a tint is weakened just enough to read: plain tints over
    the dark page would leave light text on a nested yellow at 4.3:1."""
    plain_nested = colours.blend("#F0E442", DARK_PAGE, colours.NESTED_TINT)
    assert wcag_contrast_ratio.rgb(colours.rgb(DARK_TEXT), colours.rgb(plain_nested)) < 4.5
    for page, text in ((DARK_PAGE, DARK_TEXT), ("#FFFFFF", "#000000")):
        for colour in PALETTE:
            tints = [
                *colours.span_tints(colour, page, text),
                colours.readable_tint(colour, page, colours.DIM_TINT, text),
            ]
            for tint in tints:
                ratio = wcag_contrast_ratio.rgb(colours.rgb(text), colours.rgb(tint))
                assert ratio >= 4.5, (page, colour, tint)
            single, _nested, dimmed = tints
            if colour != "#000000":  # a black label's tints are near a dark page anyway
                assert colours.distance(single, page) > colours.distance(dimmed, page)
    # On a light page nothing needs weakening: the tints are as before.
    for colour in PALETTE:
        assert colours.span_tints(colour, "#FFFFFF", "#000000") == colours.span_tints(
            colour, "#FFFFFF"
        )
