"""Illustrations for the demo stories, drawn with Pillow so that no binary files are kept."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 900


def _rgb(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def illustration(colours, seed, *, size=(WIDTH, HEIGHT)):
    """A calm gradient with soft shapes, as JPEG bytes; the same inputs give the same image."""
    width, height = size
    start, end = (_rgb(c) for c in colours)
    gradient = Image.linear_gradient("L").rotate(-60, expand=True).resize(size)
    image = Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), gradient)

    rng = random.Random(seed)  # noqa: S311 (decoration, not security)
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(7):
        radius = rng.randint(height // 6, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        shade = rng.choice([(255, 255, 255, 40), (0, 0, 0, 35), (*end, 90), (*start, 90)])
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=shade)
    for _ in range(5):
        y = rng.randint(0, height)
        draw.line((0, y, width, y + rng.randint(-200, 200)), fill=(255, 255, 255, 50), width=3)
    overlay = overlay.filter(ImageFilter.GaussianBlur(6))
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()
