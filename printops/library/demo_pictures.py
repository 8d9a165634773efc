"""Pictures for the demo library: a simple drawing per category in the print's colours,
embedded in each demo G-code as a PrusaSlicer-style `; thumbnail begin` block so the file
carries its own picture, as real sliced files do. Demo data only."""

from __future__ import annotations

import base64
import io
import math
from functools import lru_cache

from printops.materials.colour import hex_to_rgb

SIZE_PX = 160
BACKGROUND = (236, 240, 244)


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, int(c * factor))) for c in rgb)  # type: ignore[return-value]


@lru_cache(maxsize=4096)
def picture_png(category: str, colours: tuple[str, ...]) -> bytes:
    """A 160 px PNG: keychain → tag with a ring, earring → drop, decoration → star,
    anything else → a box; the second colour, when there is one, as an accent."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (SIZE_PX, SIZE_PX), BACKGROUND)
    draw = ImageDraw.Draw(image)
    main = hex_to_rgb(colours[0])
    accent = hex_to_rgb(colours[1]) if len(colours) > 1 else _shade(main, 0.7)
    outline = _shade(main, 0.55)
    kind = category.lower()
    if kind == "keychain":
        draw.rounded_rectangle((40, 52, 132, 128), radius=18, fill=main, outline=outline, width=3)
        draw.ellipse((22, 30, 58, 66), outline=accent, width=7)
        draw.ellipse((50, 62, 66, 78), fill=BACKGROUND)
    elif kind == "earring":
        draw.ellipse((68, 18, 92, 42), outline=accent, width=5)
        draw.polygon([(80, 46), (112, 104), (48, 104)], fill=main)
        draw.ellipse((48, 80, 112, 140), fill=main, outline=outline, width=3)
    elif kind == "decoration":
        points = []
        for index in range(10):
            radius = 62 if index % 2 == 0 else 26
            angle = math.pi / 2 + index * math.pi / 5
            points.append((80 + radius * math.cos(angle), 84 - radius * math.sin(angle)))
        draw.polygon(points, fill=main, outline=outline)
        draw.ellipse((68, 72, 92, 96), fill=accent)
    else:
        draw.polygon([(30, 62), (80, 38), (130, 62), (80, 86)], fill=_shade(main, 1.15))
        draw.polygon([(30, 62), (80, 86), (80, 134), (30, 110)], fill=main)
        draw.polygon([(80, 86), (130, 62), (130, 110), (80, 134)], fill=_shade(main, 0.75))
        draw.ellipse((94, 84, 112, 102), fill=accent)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def thumbnail_block(png: bytes) -> list[str]:
    """The G-code comment lines that embed a PNG, as PrusaSlicer writes them."""
    encoded = base64.b64encode(png).decode()
    lines = [";", f"; thumbnail begin {SIZE_PX}x{SIZE_PX} {len(encoded)}"]
    lines += [f"; {encoded[i : i + 78]}" for i in range(0, len(encoded), 78)]
    lines += ["; thumbnail end", ";"]
    return lines
