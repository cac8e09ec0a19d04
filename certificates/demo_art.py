"""Artwork for the demo program's certificates: an emblem and two handwritten-looking signatures (pure, Pillow)."""
import io
import math
import random

from PIL import Image, ImageDraw, ImageFont

from training.agenda_pdf import FONTS


def emblem(letters, color=(11, 90, 117)):
    """A round emblem with `letters` in the middle, as an organization's logo would look on the certificate."""
    size = 480
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), outline=color, width=18)
    draw.ellipse((52, 52, size - 52, size - 52), outline=color, width=6)
    font = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 150 if len(letters) <= 3 else 110)
    box = draw.textbbox((0, 0), letters, font=font)
    draw.text(((size - box[2] - box[0]) / 2, (size - box[3] - box[1]) / 2), letters, font=font, fill=color)
    return _png(image)


def signature(seed):
    """A looping pen stroke, different for each seed."""
    rng = random.Random(seed)
    width, height = 600, 200
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    loops = rng.randint(4, 6)
    points = []
    for step in range(400):
        t = step / 399
        x = 30 + t * (width - 60)
        y = height / 2 + math.sin(t * loops * 2 * math.pi + rng.random() * 0.2) * (50 - 30 * t) \
            + math.sin(t * 31) * 6
        points.append((x + math.cos(t * loops * 2 * math.pi) * 18, y))
    draw.line(points, fill=(20, 30, 80, 255), width=5, joint="curve")
    draw.line([(60, height - 40), (width - 80, height - 52)], fill=(20, 30, 80, 255), width=3)
    return _png(image, side=450)


def _png(image, side=240):
    # Drawn large for smooth edges, kept at print size: ~400 dpi in a logo's 15 mm, and every certificate of a
    # batch draws these pixels again, so larger only costs time.
    image.thumbnail((side, side), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
