"""Share cards: the 1200×630 PNG a link preview shows (Open Graph, Twitter).

Drawn server-side with Pillow, from plain values: no browser, no database here.
The views (``resolutions.views.share``) gather the values and cache the bytes
under the record's version. The font is DejaVu Sans when the system has it
(Debian's fonts-dejavu-core, as in the Docker image), else Pillow's own
scalable default, so a card is drawn on any machine without a network.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)
# The site's colours (static/css/site.css): ink, paper, the muted text, the accent.
INK, PAPER, MUTED, ACCENT = "#1b1f24", "#ffffff", "#57606a", "#0b5394"
POSITION_COLOURS = {"Y": "#1a7f37", "N": "#cf222e", "A": "#9a6700", "X": "#57606a", "": "#8c959f"}


@lru_cache(maxsize=16)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


@dataclass(frozen=True)
class Chip:
    """One permanent member's position on a vote card: "China", "No"."""

    label: str
    value: str
    code: str = ""  # the position's code (Y, N, A, X; "" when not recorded), for its colour


@dataclass(frozen=True)
class Card:
    kicker: str  # the small line on top: "UN Security Council vote", "P5 divisions"
    title: str  # the symbol, or the chart's name
    lines: tuple[str, ...] = ()  # the date and outcome, or the chart's summary
    chips: tuple[Chip, ...] = field(default_factory=tuple)


def _fitted(draw: ImageDraw.ImageDraw, text: str, size: int, bold: bool, width: int):
    """The largest font up to ``size`` at which ``text`` fits ``width``, and the text."""
    while size > 18 and draw.textlength(text, font=font(size, bold)) > width:
        size -= 4
    chosen = font(size, bold)
    while text and draw.textlength(text, font=chosen) > width:
        text = text[:-2].rstrip() + "…"
    return chosen, text


def _title_lines(draw: ImageDraw.ImageDraw, text: str, width: int) -> list[tuple[str, object]]:
    """A short title (a symbol) on one large line; a long one (a chart's) on two."""
    big = font(84, True)
    if draw.textlength(text, font=big) <= width:
        return [(text, big)]
    smaller = font(56, True)
    first, rest = "", text.split()
    while rest and draw.textlength(f"{first} {rest[0]}".strip(), font=smaller) <= width:
        first = f"{first} {rest.pop(0)}".strip()
    lines = [first] if first else []
    if rest:
        lines.append(_fitted(draw, " ".join(rest), 56, True, width)[1])
    return [(line, smaller) for line in lines[:2]]


def render(card: Card) -> bytes:
    """The card as PNG bytes, WIDTH × HEIGHT."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, WIDTH, 14), fill=ACCENT)
    draw.text((MARGIN, 56), card.kicker, font=font(30), fill=MUTED)
    y = 104
    for line, line_font in _title_lines(draw, card.title, inner):
        draw.text((MARGIN, y), line, font=line_font, fill=INK)
        y += getattr(line_font, "size", 56) + 14
    y = max(y + 36, 230)
    for line in card.lines[:4]:
        line_font, text = _fitted(draw, line, 40, False, inner)
        draw.text((MARGIN, y), text, font=line_font, fill=INK)
        y += 58
    if card.chips:
        _chips(draw, card.chips, HEIGHT - MARGIN - 96)
    draw.text((MARGIN, HEIGHT - 44), "SC Votes · Source: United Nations", font=font(24), fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _chips(draw: ImageDraw.ImageDraw, chips: tuple[Chip, ...], top: int) -> None:
    gap = 16
    width = (WIDTH - 2 * MARGIN - gap * (len(chips) - 1)) // len(chips)
    for number, chip in enumerate(chips):
        left = MARGIN + number * (width + gap)
        colour = POSITION_COLOURS.get(chip.code, POSITION_COLOURS[""])
        box = (left, top, left + width, top + 80)
        draw.rounded_rectangle(box, radius=10, outline=colour, width=4)
        label_font, label = _fitted(draw, chip.label, 26, False, width - 24)
        draw.text((left + 12, top + 8), label, font=label_font, fill=MUTED)
        value_font, value = _fitted(draw, chip.value, 30, True, width - 24)
        draw.text((left + 12, top + 40), value, font=value_font, fill=colour)
