"""Colour arithmetic for labels: tints, contrast, and how a palette looks to colour-blind readers.

Plain Python on ``#RRGGBB`` strings, so the window, the command line and the
tests compute the same colours:

- :func:`blend` is what painting a colour at some opacity over a background
  shows; :func:`span_tints` are the article's two tints of a label, both
  opaque, so that a span nested in another keeps its own hue instead of
  mixing with the outer span's (a PERSON in a QUOTE once came out grey-green,
  near PLACE).
- :func:`contrast_ratio` is WCAG 2's ratio (text needs at least 4.5:1);
  :func:`with_contrast` and :func:`readable_on` pick text and selection colours
  that reach it.
- :func:`simulate` shows a colour as a reader with protanopia, deuteranopia
  or tritanopia sees it (Machado, Oliveira & Fernandes 2009, full severity,
  in linear RGB as colorspacious does); :func:`palette_problems` names the
  pairs of labels such a reader could confuse. docs/colours.md says how the
  palette was checked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import combinations
from typing import Literal

RGB = tuple[float, float, float]  # sRGB, each 0..1
Deficiency = Literal["protanopia", "deuteranopia", "tritanopia"]
DEFICIENCIES: tuple[Deficiency, ...] = ("protanopia", "deuteranopia", "tritanopia")

# How much of a label's colour the article's tints hold, over the page.
TINT = 70 / 255  # a span on its own (or the outermost of a nest)
NESTED_TINT = 0.42  # a span inside another: stronger, so the inner box stands out
DIM_TINT = 0.12  # another layer's span, shown read-only: fainter than one's own

# WCAG 2.x, success criterion 1.4.3 (AA) for body text.
MIN_TEXT_CONTRAST = 4.5
# Below this CIELAB distance two flat colours are hard to tell apart at a glance.
MIN_DISTANCE = 10.0

_MACHADO_2009: dict[Deficiency, tuple[RGB, RGB, RGB]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.01182, 0.04294, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.3039),
    ),
}


def rgb(colour: str) -> RGB:
    """``#RRGGBB`` -> sRGB components in 0..1."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a colour: {colour!r} (use #RRGGBB)")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def to_hex(components: RGB) -> str:
    """sRGB components (clipped to 0..1) -> ``#RRGGBB``, rounded as a screen would show them."""
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02X}" for c in components)


def blend(colour: str, background: str, amount: float) -> str:
    """``colour`` painted at opacity ``amount`` (0..1) over ``background``, as Qt paints it."""
    fore, back = rgb(colour), rgb(background)
    return to_hex(
        (
            fore[0] * amount + back[0] * (1 - amount),
            fore[1] * amount + back[1] * (1 - amount),
            fore[2] * amount + back[2] * (1 - amount),
        )
    )


def span_tints(colour: str, background: str, text: str | None = None) -> tuple[str, str]:
    """The article's fill for a span of ``colour``: (on its own, nested in another).

    Both are opaque: a nested tint painted over the outer span's covers it, so it
    shows its own label's hue whatever it sits in. Given the ``text`` colour, each
    tint is made just faint enough for the text to read at 4.5:1 on it (a yellow
    span on a dark page would otherwise not).
    """
    if text is None:
        return blend(colour, background, TINT), blend(colour, background, NESTED_TINT)
    return (
        readable_tint(colour, background, TINT, text),
        readable_tint(colour, background, NESTED_TINT, text),
    )


def readable_tint(
    colour: str,
    background: str,
    amount: float,
    text: str,
    minimum: float = MIN_TEXT_CONTRAST + 0.1,
) -> str:
    """``colour`` at ``amount`` over ``background``, weakened in steps of 1% until
    ``text`` reads on it at ``minimum`` (the background itself if it never does)."""
    steps = round(amount * 100)
    for step in range(steps, -1, -1):
        tint = blend(colour, background, amount if step == steps else amount * step / steps)
        if contrast_ratio(text, tint) >= minimum:
            return tint
    return background


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


@lru_cache(maxsize=1024)
def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance: 0 for black, 1 for white. Kept per colour: the
    searches for a readable tint or caption compare the same backgrounds again and
    again (some 270 times as the window opens)."""
    r, g, b = (_linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2's contrast ratio, 1 to 21, whichever colour is the lighter."""
    a, b = relative_luminance(first), relative_luminance(second)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def readable_on(background: str, choices: Sequence[str] = ("#000000", "#FFFFFF")) -> str:
    """Of ``choices``, the text colour with the most contrast on ``background``."""
    return max(choices, key=lambda text: contrast_ratio(text, background))


def with_contrast(
    colour: str,
    backgrounds: Sequence[str],
    toward: str,
    minimum: float = MIN_TEXT_CONTRAST + 0.1,
) -> str:
    """``colour`` moved toward ``toward`` (in steps of 1%) just far enough to read at
    ``minimum`` on every one of ``backgrounds``: a muted caption stays as light as it
    can, a selection colour as bright as it can. The default keeps a margin over
    4.5:1 so that rounding to 8 bits never drops below it."""
    for step in range(101):
        candidate = blend(toward, colour, step / 100)
        if all(contrast_ratio(candidate, back) >= minimum for back in backgrounds):
            return candidate
    return toward


def simulate(colour: str, deficiency: Deficiency) -> str:
    """``colour`` as a reader with ``deficiency`` (full severity) sees it."""
    matrix = _MACHADO_2009[deficiency]
    linear = [_linear(c) for c in rgb(colour)]
    seen = tuple(
        _gamma(min(max(sum(m * c for m, c in zip(row, linear, strict=True)), 0.0), 1.0))
        for row in matrix
    )
    return to_hex((seen[0], seen[1], seen[2]))


def lab(colour: str) -> RGB:
    """CIELAB (D65 white) of an sRGB colour."""
    r, g, b = (_linear(c) for c in rgb(colour))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def distance(first: str, second: str) -> float:
    """CIE 1976 colour difference (ΔE*ab): about 2.3 is just noticeable."""
    return math.dist(lab(first), lab(second))


def hue_angle(colour: str) -> float:
    """CIELAB hue angle in degrees (0-360)."""
    _, a, b = lab(colour)
    return math.degrees(math.atan2(b, a)) % 360


def palette_problems(
    colours: Mapping[str, str],
    *,
    deficiencies: Sequence[Deficiency] = ("protanopia", "deuteranopia"),
    minimum: float = MIN_DISTANCE,
) -> list[str]:
    """Pairs of named colours closer than ``minimum`` (ΔE*ab) in normal vision or under a
    deficiency, as sentences ("PERSON and PLACE look alike with deuteranopia (ΔE 6.1)")."""
    problems = []
    for (name_a, a), (name_b, b) in combinations(colours.items(), 2):
        for seen_as in (None, *deficiencies):
            shown_a = a if seen_as is None else simulate(a, seen_as)
            shown_b = b if seen_as is None else simulate(b, seen_as)
            gap = distance(shown_a, shown_b)
            if gap < minimum:
                how = "to anyone" if seen_as is None else f"with {seen_as}"
                problems.append(f"{name_a} and {name_b} look alike {how} (ΔE {gap:.1f})")
    return problems


# WCAG 2.1, success criterion 1.4.11: lines and shapes need 3:1 against what is beside them.
MIN_GRAPHIC_CONTRAST = 3.0


def colour_warnings(
    name: str, colour: str, others: Mapping[str, str], page: str = "#FFFFFF"
) -> list[str]:
    """What a person choosing ``colour`` for label ``name`` should know: an underline or
    outline in it that the page hardly shows, and labels it would be confused with
    (in normal vision or with protanopia or deuteranopia). Empty when all is well."""
    warnings = []
    ratio = contrast_ratio(colour, page)
    if ratio < MIN_GRAPHIC_CONTRAST:
        warnings.append(
            f"{colour} reads at {ratio:.1f}:1 on the page (underlines and outlines need 3:1)"
        )
    # ``name`` first: every pair it is in is named "NAME and OTHER".
    chosen = {name: colour, **{k: v for k, v in others.items() if k != name}}
    warnings.extend(p for p in palette_problems(chosen) if p.startswith(f"{name} and "))
    return warnings
