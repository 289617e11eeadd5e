"""Band colours stay distinguishable under normal vision and red-green colour blindness.

The colours are read from assets/tracker.css, their one source. Colour blindness is
simulated with the Machado, Oliveira and Fernandes (2009) matrices at severity 1.0,
applied in linear RGB; differences are CIEDE2000 (Sharma, Wu and Dalal 2005) in CIELAB
under D65.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise
from pathlib import Path

import pytest

STYLESHEET = Path(__file__).resolve().parent.parent / "assets/tracker.css"
MIN_DIFFERENCE = 10.0
# Each scale from worst to best; neighbours in a scale sit side by side in legends.
DIFFERENCE_SCALE = ("worse-3", "worse-2", "worse-1", "better-1", "better-2", "better-3")
PUPIL_SCALE = ("pupil-0-50", "pupil-50-90", "pupil-90-95", "pupil-95-100", "pupil-100")

Matrix = tuple[tuple[float, float, float], ...]
RGB = tuple[float, float, float]
Lab = tuple[float, float, float]

NORMAL: Matrix = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
PROTANOPIA: Matrix = (
    (0.152286, 1.052583, -0.204868),
    (0.114503, 0.786281, 0.099216),
    (-0.003882, -0.048116, 1.051998),
)
DEUTERANOPIA: Matrix = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)
VISIONS = {"normal": NORMAL, "deuteranopia": DEUTERANOPIA, "protanopia": PROTANOPIA}

# Sharma, Wu and Dalal (2005), table 1: pairs 1, 7, 17, 19 and 25.
SHARMA_PAIRS = (
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
)


def band_colours() -> dict[str, RGB]:
    """Return the stylesheet's colour variables by name, as sRGB from 0 to 1."""
    found = re.findall(
        r"--([a-z0-9-]+):\s*#([0-9a-fA-F]{6})\s*;", STYLESHEET.read_text()
    )
    return {
        name: tuple(int(code[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[misc]
        for name, code in found
    }


def to_linear(value: float) -> float:
    """Return an sRGB component (0 to 1) as linear light."""
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def to_srgb(value: float) -> float:
    """Return a linear-light component as sRGB, clipped to the displayable range."""
    value = min(1.0, max(0.0, value))
    return value * 12.92 if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055


def simulate(colour: RGB, matrix: Matrix) -> RGB:
    """Return a colour as seen through a colour-vision matrix applied in linear RGB."""
    linear = [to_linear(value) for value in colour]
    red, green, blue = (
        to_srgb(sum(weight * value for weight, value in zip(row, linear, strict=True)))
        for row in matrix
    )
    return red, green, blue


def to_lab(colour: RGB) -> Lab:
    """Return an sRGB colour in CIELAB under the D65 white point."""
    red, green, blue = (to_linear(value) for value in colour)
    x = (0.4124564 * red + 0.3575761 * green + 0.1804375 * blue) / 0.95047
    y = 0.2126729 * red + 0.7151522 * green + 0.0721750 * blue
    z = (0.0193339 * red + 0.1191920 * green + 0.9503041 * blue) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(first: Lab, second: Lab) -> float:
    """Return the CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    l1, a1, b1 = first
    l2, a2, b2 = second
    mean_chroma = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_chroma**7 / (mean_chroma**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0

    delta_l = l2 - l1
    delta_c = c2 - c1
    delta_h = h2 - h1
    if c1 * c2 == 0:
        delta_h = 0.0
    elif delta_h > 180:
        delta_h -= 360
    elif delta_h < -180:
        delta_h += 360
    delta_big_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(delta_h / 2))

    mean_l = (l1 + l2) / 2
    mean_c = (c1 + c2) / 2
    if c1 * c2 == 0:
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    else:
        mean_h = (h1 + h2 + (360 if h1 + h2 < 360 else -360)) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    rotation = 30 * math.exp(-(((mean_h - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(mean_c**7 / (mean_c**7 + 25**7))
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c = 1 + 0.045 * mean_c
    s_h = 1 + 0.015 * mean_c * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c

    return math.sqrt(
        (delta_l / s_l) ** 2
        + (delta_c / s_c) ** 2
        + (delta_big_h / s_h) ** 2
        + r_t * (delta_c / s_c) * (delta_big_h / s_h)
    )


@pytest.mark.parametrize(("first", "second", "expected"), SHARMA_PAIRS)
def test_ciede2000_matches_the_published_test_pairs(
    first: Lab, second: Lab, expected: float
) -> None:
    assert round(ciede2000(first, second), 4) == expected
    assert round(ciede2000(second, first), 4) == expected


def test_the_stylesheet_defines_every_band_colour() -> None:
    assert set(DIFFERENCE_SCALE + PUPIL_SCALE) <= set(band_colours())


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize(
    "scale", [DIFFERENCE_SCALE, PUPIL_SCALE], ids=["diff", "pupil"]
)
def test_adjacent_bands_stay_distinguishable(
    vision: str, scale: tuple[str, ...]
) -> None:
    colours = band_colours()
    seen = {name: to_lab(simulate(colours[name], VISIONS[vision])) for name in scale}
    too_close = [
        (first, second, round(ciede2000(seen[first], seen[second]), 1))
        for first, second in pairwise(scale)
        if ciede2000(seen[first], seen[second]) < MIN_DIFFERENCE
    ]
    assert too_close == []
