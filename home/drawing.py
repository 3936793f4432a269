"""Illustrative product photos drawn with Pillow, for demo and synthetic data.

Each picture is a simple still life (a coloured backdrop, a product silhouette chosen by
category profile, the product's name): not blank, different per product, reproducible
from its seed.
"""

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

PALETTES = [
    ((244, 236, 222), (155, 89, 50)),
    ((226, 240, 232), (46, 125, 90)),
    ((232, 236, 246), (52, 84, 150)),
    ((250, 232, 226), (178, 64, 52)),
    ((240, 240, 228), (120, 110, 40)),
    ((236, 228, 244), (104, 70, 150)),
]


def _shape(draw, kind, box, colour, rng):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if kind == "wood":  # a chair/table silhouette
        draw.rectangle([x0 + w * 0.15, y0 + h * 0.45, x1 - w * 0.15, y0 + h * 0.55], fill=colour)
        for fx in (0.2, 0.75):
            draw.rectangle([x0 + w * fx, y0 + h * 0.55, x0 + w * (fx + 0.05), y1], fill=colour)
        draw.rectangle([x0 + w * 0.15, y0 + h * 0.1, x0 + w * 0.22, y0 + h * 0.5], fill=colour)
    elif kind == "food":  # a jar with a label
        draw.rounded_rectangle([x0 + w * 0.25, y0 + h * 0.2, x1 - w * 0.25, y1], 30, fill=colour)
        draw.rectangle([x0 + w * 0.3, y0 + h * 0.05, x1 - w * 0.3, y0 + h * 0.2], fill=colour)
        draw.rectangle([x0 + w * 0.28, y0 + h * 0.45, x1 - w * 0.28, y0 + h * 0.7], fill="white")
    elif kind == "tobacco":  # cigars in a row
        for i in range(5):
            top = y0 + h * (0.2 + i * 0.14)
            draw.rounded_rectangle(
                [x0 + w * 0.1, top, x1 - w * 0.1, top + h * 0.09], 20, fill=colour
            )
            draw.rectangle([x1 - w * 0.3, top, x1 - w * 0.25, top + h * 0.09], fill=(200, 160, 60))
    elif kind == "agri":  # fruit
        for _ in range(4):
            cx, cy = x0 + w * rng.uniform(0.25, 0.75), y0 + h * rng.uniform(0.3, 0.8)
            r = w * rng.uniform(0.12, 0.2)
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour, outline="white", width=4)
    else:  # a woven basket / vase
        draw.polygon(
            [
                (x0 + w * 0.2, y0 + h * 0.3),
                (x1 - w * 0.2, y0 + h * 0.3),
                (x1 - w * 0.3, y1),
                (x0 + w * 0.3, y1),
            ],
            fill=colour,
        )
        for i in range(1, 6):
            y = y0 + h * (0.3 + i * 0.12)
            draw.line([(x0 + w * 0.2, y), (x1 - w * 0.2, y)], fill="white", width=3)


def draw_product_photo(title, profile="general", seed=0, size=(960, 720), view=0):
    """A JPEG ``ContentFile`` picturing a product; ``view`` varies the composition."""
    rng = random.Random(f"{seed}-{view}")
    background, colour = PALETTES[rng.randrange(len(PALETTES))]
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    width, height = size
    for i in range(0, width, 48):  # a textured table top
        draw.line([(i, height * 0.78), (i + 30, height)], fill=tuple(c - 12 for c in background))
    draw.rectangle([0, height * 0.78, width, height * 0.8], fill=tuple(c - 30 for c in background))
    margin = width * (0.22 + 0.05 * view)
    _shape(draw, profile, (margin, height * 0.12, width - margin, height * 0.78), colour, rng)
    font = ImageFont.load_default(size=max(18, width // 28))
    draw.rectangle([0, 0, width, height * 0.1], fill=colour)
    draw.text((width * 0.03, height * 0.02), title[:48], fill="white", font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return ContentFile(out.getvalue(), name=f"photo-{seed}-{view}.jpg")
