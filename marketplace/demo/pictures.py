"""Product pictures for the demo: drawn with Pillow, no downloads and no fonts beyond Pillow's own.

Each picture is a colour field of the product's sub-group, a simple drawn motif and the product's
initials; the same product always gets the same picture.
"""

from __future__ import annotations

import functools
import math
import os
import random
import zlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from marketplace import storage
from marketplace.catalog.models import Product, ProductImage
from marketplace.demo.data import ProductSpec
from marketplace.demo.rules import initials


@dataclass(frozen=True)
class PictureJob:
    """One picture to draw and store: `load_demo` plans them, then draws them all at once."""

    key_base: str  # storage key base, e.g. "products/gao-st25-soc-trang-1"
    name: str
    group: str
    subgroup: str
    variant: int


def picture_jobs(product: Product, spec: ProductSpec) -> list[PictureJob]:
    """One `ProductImage` per picture on `product` (cover first) and the job that draws it."""
    jobs = []
    full = storage.IMAGE_SIZES["full"]
    for variant in range(1, spec.images + 1):
        base = f"products/{product.slug}-{variant}"
        alt = spec.name if variant == 1 else f"{spec.name} – cận cảnh"
        product.images.append(
            ProductImage(
                storage_key=base,
                position=variant - 1,
                is_cover=variant == 1,
                alt=alt[:200],
                width=full,
                height=full,
            )
        )
        jobs.append(PictureJob(base, spec.name, spec.group, spec.subgroup, variant))
    return jobs


def store_pictures(jobs: Sequence[PictureJob]) -> None:
    """Draw and encode in threads (Pillow releases the GIL), store from this thread: `storage`
    needs the application context, which worker threads do not have."""
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for job, renditions in zip(jobs, pool.map(_render_job, jobs), strict=True):
            for size, data in renditions.items():
                storage.save(storage.image_key(job.key_base, size), data)


def _render_job(job: PictureJob) -> dict[str, bytes]:
    image = render_product_image(job.name, job.group, job.subgroup, job.key_base, job.variant)
    return encode_renditions(image)


def encode_renditions(image: Image.Image) -> dict[str, bytes]:
    """WebP bytes for every size in `storage.IMAGE_SIZES` (the portal's uploads use the same)."""
    return storage.encode_renditions(image)


# (light, deep) colours per sub-group: warm for food, green for tea and herbs, clay for crafts...
_PALETTES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "fresh": ((255, 214, 120), (214, 84, 48)),
    "raw": ((244, 226, 170), (170, 122, 58)),
    "processed": ((255, 200, 150), (178, 74, 60)),
    "condiments": ((240, 190, 120), (122, 62, 30)),
    "tea": ((196, 228, 160), (46, 112, 62)),
    "coffee_cocoa": ((222, 186, 150), (88, 52, 36)),
    "alcoholic": ((232, 170, 180), (110, 30, 60)),
    "non_alcoholic": ((190, 232, 236), (40, 130, 150)),
    "herbs": ((206, 232, 170), (62, 120, 50)),
    "herbal_food": ((230, 240, 180), (120, 140, 40)),
    "cosmetics": ((226, 210, 240), (110, 80, 150)),
    "crafts": ((200, 220, 244), (36, 72, 140)),
    "household": ((236, 222, 200), (130, 96, 70)),
    "textiles": ((246, 200, 214), (150, 40, 90)),
    "flowers": ((252, 212, 232), (190, 70, 130)),
    "plants": ((200, 236, 200), (40, 110, 80)),
    "animals": ((190, 220, 250), (30, 90, 160)),
    "community": ((250, 224, 180), (150, 90, 50)),
    "eco": ((190, 236, 220), (30, 110, 100)),
}


def render_product_image(name: str, group: str, subgroup: str, key: str, variant: int = 1) -> Image.Image:
    """A square picture for a product: a colour field of its sub-group, a simple drawn motif and
    the product's initials. `key` and `variant` make it distinct and reproducible."""
    size = storage.IMAGE_SIZES["full"]
    rng = random.Random(zlib.crc32(f"{key}/{variant}".encode()))
    light, deep = _palette(subgroup, rng)
    if variant > 1:
        light, deep = _mix(light, deep, 0.25), _mix(deep, (20, 20, 30), 0.2)
    image = _gradient(size, light, deep, flip=variant % 2 == 0)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(14):  # soft bokeh dots
        r = rng.randint(20, 90)
        x, y = rng.randint(0, size), rng.randint(0, size)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, rng.randint(18, 40)))
    scale = size * (0.30 if variant == 1 else 0.36)
    cx = size * 0.5 + rng.uniform(-0.03, 0.03) * size
    cy = size * 0.44 + rng.uniform(-0.03, 0.03) * size
    halo = scale * 1.25
    draw.ellipse((cx - halo, cy - halo, cx + halo, cy + halo), fill=(*_mix(light, (255, 255, 255), 0.5), 120))
    ink = (255, 255, 255, 240)
    accent = (*deep, 235)
    _MOTIFS.get(subgroup, _motif_jar)(draw, rng, cx, cy, scale, ink, accent)
    _draw_initials(draw, initials(name), size, deep)
    image.paste(overlay, mask=overlay)  # alpha-blend the drawing onto the colour field
    return image


def _palette(subgroup: str, rng: random.Random) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    light, deep = _PALETTES.get(subgroup, ((230, 230, 230), (80, 80, 80)))
    shift = rng.randint(-18, 18)

    def nudge(colour: tuple[int, int, int]) -> tuple[int, int, int]:
        return tuple(max(0, min(255, c + shift * (i - 1))) for i, c in enumerate(colour))  # type: ignore[return-value]

    return nudge(light), nudge(deep)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


@functools.lru_cache(maxsize=4)
def _diagonal_mask(size: int, flip: bool) -> Image.Image:
    """A greyscale ramp from one corner to the opposite one (the same for every picture)."""
    vertical = Image.linear_gradient("L").resize((size, size))
    diagonal = Image.blend(vertical, vertical.transpose(Image.Transpose.ROTATE_90), 0.5)
    return diagonal.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if flip else diagonal


def _gradient(size: int, light: tuple[int, int, int], deep: tuple[int, int, int], flip: bool) -> Image.Image:
    mask = _diagonal_mask(size, flip)
    return Image.composite(Image.new("RGB", (size, size), deep), Image.new("RGB", (size, size), light), mask)


def _draw_initials(draw: ImageDraw.ImageDraw, text: str, size: int, deep: tuple[int, int, int]) -> None:
    font = ImageFont.load_default(size=round(size * 0.085))
    width = max(len(text), 2) * size * 0.075 + size * 0.08
    x0, y0 = (size - width) / 2, size * 0.81
    draw.rounded_rectangle((x0, y0, x0 + width, y0 + size * 0.12), radius=size * 0.04, fill=(*deep, 200))
    draw.text((size / 2, y0 + size * 0.06), text, font=font, fill=(255, 255, 255, 255), anchor="mm")


Colour = tuple[int, int, int, int]
Draw = ImageDraw.ImageDraw


def _rotated_ellipse(
    cx: float, cy: float, a: float, b: float, angle: float, n: int = 40
) -> list[tuple[float, float]]:
    ca, sa = math.cos(angle), math.sin(angle)
    return [
        (cx + a * math.cos(t) * ca - b * math.sin(t) * sa, cy + a * math.cos(t) * sa + b * math.sin(t) * ca)
        for t in (2 * math.pi * i / n for i in range(n))
    ]


def _leaf(x0: float, y0: float, length: float, width: float, angle: float) -> list[tuple[float, float]]:
    """A leaf growing from (x0, y0) in direction `angle`."""
    ca, sa = math.cos(angle), math.sin(angle)
    outline = [(length * t, width / 2 * math.sin(math.pi * t) ** 0.8) for t in (i / 20 for i in range(21))]
    outline += [(x, -y) for x, y in reversed(outline)]
    return [(x0 + x * ca - y * sa, y0 + x * sa + y * ca) for x, y in outline]


def _leaves(
    draw: Draw, x: float, y: float, s: float, angles: Iterable[float], ink: Colour, accent: Colour
) -> None:
    for angle in angles:
        draw.polygon(_leaf(x, y, s, s * 0.42, angle), fill=ink)
        tip = (x + s * 0.85 * math.cos(angle), y + s * 0.85 * math.sin(angle))
        draw.line([(x, y), tip], fill=accent, width=6)


def _motif_tea(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    base_y = cy + s * 0.7
    spread = rng.uniform(0.45, 0.6)
    _leaves(draw, cx, base_y, s * 1.05, (-math.pi / 2 - spread, -math.pi / 2 + spread), ink, accent)
    draw.polygon(_leaf(cx, base_y, s * 1.35, s * 0.3, -math.pi / 2), fill=ink)  # the bud
    draw.line([(cx, base_y), (cx, base_y + s * 0.35)], fill=ink, width=14)


def _motif_coffee(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    for dx, dy, angle in ((-0.55, 0.2, -0.5), (0.55, 0.25, 0.6), (0.0, -0.45, rng.uniform(-0.3, 0.3))):
        x, y, a = cx + dx * s, cy + dy * s, angle
        draw.polygon(_rotated_ellipse(x, y, s * 0.48, s * 0.34, a), fill=ink)
        crease = [
            (
                x + t * s * 0.4 * math.cos(a) - math.sin(t * math.pi) * 0.08 * s * math.sin(a),
                y + t * s * 0.4 * math.sin(a) + math.sin(t * math.pi) * 0.08 * s * math.cos(a),
            )
            for t in (i / 10 - 1 for i in range(21))
        ]
        draw.line(crease, fill=accent, width=12)


def _motif_fruit(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    for dx, dy, r in ((-0.45, 0.25, 0.5), (0.45, 0.3, 0.45), (0.0, -0.25, 0.55)):
        x, y, radius = cx + dx * s, cy + dy * s, r * s * rng.uniform(0.9, 1.05)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=ink, outline=accent, width=8)
        draw.ellipse((x - radius * 0.5, y - radius * 0.6, x - radius * 0.2, y - radius * 0.3), fill=accent)
    draw.polygon(_leaf(cx, cy - s * 0.75, s * 0.55, s * 0.25, -math.pi / 4), fill=accent)


def _motif_grain(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    for offset in (-0.45, 0.0, 0.45):
        stem = [
            (cx + offset * s + math.sin(t * 1.2) * 0.25 * s, cy + s * 0.9 - t * s * 1.7)
            for t in (i / 12 for i in range(13))
        ]
        draw.line(stem, fill=ink, width=10)
        for i, (x, y) in enumerate(stem[3::1]):
            side = 1 if i % 2 else -1
            draw.polygon(_rotated_ellipse(x + side * s * 0.09, y, s * 0.1, s * 0.05, side * 0.7), fill=ink)
    draw.line([(cx - s * 0.6, cy + s * 0.9), (cx + s * 0.6, cy + s * 0.9)], fill=accent, width=16)


def _bottle(
    draw: Draw, cx: float, cy: float, s: float, ink: Colour, accent: Colour, slim: float, neck: float
) -> None:
    w, h = s * slim, s * 1.2
    top = cy - h * 0.35
    draw.rounded_rectangle((cx - w / 2, top, cx + w / 2, cy + h * 0.75), radius=w * 0.25, fill=ink)
    draw.rectangle((cx - w * 0.18, top - s * neck, cx + w * 0.18, top + 10), fill=ink)
    draw.rounded_rectangle(
        (cx - w * 0.22, top - s * neck - s * 0.14, cx + w * 0.22, top - s * neck + 6), radius=8, fill=accent
    )
    draw.rectangle((cx - w / 2, cy + h * 0.05, cx + w / 2, cy + h * 0.4), fill=accent)


def _motif_bottle(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    _bottle(draw, cx, cy, s, ink, accent, slim=0.75, neck=0.3)


def _motif_wine(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    _bottle(draw, cx - s * 0.3, cy, s, ink, accent, slim=0.55, neck=0.55)
    x = cx + s * 0.55
    draw.polygon([(x - s * 0.28, cy + s * 0.05), (x + s * 0.28, cy + s * 0.05), (x, cy + s * 0.45)], fill=ink)
    draw.line([(x, cy + s * 0.45), (x, cy + s * 0.85)], fill=ink, width=12)
    draw.line([(x - s * 0.18, cy + s * 0.85), (x + s * 0.18, cy + s * 0.85)], fill=ink, width=12)


def _motif_glass(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    top, bottom = cy - s * 0.7, cy + s * 0.85
    draw.polygon(
        [(cx - s * 0.55, top), (cx + s * 0.55, top), (cx + s * 0.4, bottom), (cx - s * 0.4, bottom)], fill=ink
    )
    level = top + s * 0.45
    draw.polygon(
        [
            (cx - s * 0.5, level),
            (cx + s * 0.5, level),
            (cx + s * 0.4, bottom - 8),
            (cx - s * 0.4, bottom - 8),
        ],
        fill=accent,
    )
    draw.line([(cx + s * 0.15, top - s * 0.45), (cx + s * 0.05, bottom - s * 0.4)], fill=ink, width=18)
    for _ in range(5):
        x, y, r = cx + rng.uniform(-0.3, 0.3) * s, rng.uniform(level + s * 0.2, bottom - s * 0.2), s * 0.05
        draw.ellipse((x - r, y - r, x + r, y + r), outline=ink, width=5)


def _motif_jar(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    w, h = s * 1.2, s * 1.1
    draw.rounded_rectangle((cx - w / 2, cy - h * 0.35, cx + w / 2, cy + h * 0.75), radius=w * 0.18, fill=ink)
    draw.rounded_rectangle((cx - w * 0.45, cy - h * 0.6, cx + w * 0.45, cy - h * 0.3), radius=18, fill=accent)
    draw.rounded_rectangle((cx - w * 0.35, cy, cx + w * 0.35, cy + h * 0.42), radius=14, fill=accent)
    draw.polygon(_leaf(cx - w * 0.2, cy + h * 0.3, w * 0.4, w * 0.16, -0.5), fill=ink)


def _motif_herbs(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    top = cy - s * 0.2
    draw.line([(cx, cy + s * 0.95), (cx, top)], fill=ink, width=14)
    angles = [-math.pi / 2 + k * 0.62 for k in (-2, -1, 0, 1, 2)]
    _leaves(draw, cx, top, s * 0.8, angles, ink, accent)
    for _ in range(7):  # the red berries of ginseng
        x, y, r = cx + rng.uniform(-0.12, 0.12) * s, top - s * rng.uniform(0.0, 0.15), s * 0.06
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(200, 40, 40, 255))


def _motif_dropper(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    r = s * 0.6
    draw.ellipse((cx - r, cy + s * 0.35 - r, cx + r, cy + s * 0.35 + r), fill=ink)
    draw.rectangle((cx - s * 0.18, cy - s * 0.55, cx + s * 0.18, cy - s * 0.15), fill=accent)
    draw.ellipse((cx - s * 0.16, cy - s * 0.95, cx + s * 0.16, cy - s * 0.5), fill=accent)
    draw.polygon(_leaf(cx - s * 0.25, cy + s * 0.45, s * 0.5, s * 0.22, -0.4), fill=accent)


def _motif_vase(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    bulge = rng.uniform(0.5, 0.62)
    profile = [
        (0.18 + bulge * math.sin(math.pi * t) ** 1.4 + 0.08 * t, cy - s * 0.95 + t * s * 1.9)
        for t in (i / 30 for i in range(31))
    ]
    outline = [(cx + w * s, y) for w, y in profile] + [(cx - w * s, y) for w, y in reversed(profile)]
    draw.polygon(outline, fill=ink)
    for t in (0.3, 0.62):
        w, y = profile[round(t * 30)]
        draw.line([(cx - w * s + 6, y), (cx + w * s - 6, y)], fill=accent, width=14)
    w, y = profile[15]
    draw.ellipse((cx - s * 0.2, y - s * 0.1, cx + s * 0.2, y + s * 0.3), outline=accent, width=10)


def _motif_bowl(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    draw.pieslice((cx - s, cy - s * 0.8, cx + s, cy + s * 1.0), 0, 180, fill=ink)
    draw.ellipse((cx - s, cy - s * 0.05, cx + s, cy + s * 0.15), fill=accent)
    draw.rectangle((cx - s * 0.3, cy + s * 0.95, cx + s * 0.3, cy + s * 1.05), fill=ink)
    for dx in (0.15, 0.3):
        draw.line([(cx + dx * s, cy - s * 0.9), (cx + (dx + 0.35) * s, cy + s * 0.05)], fill=ink, width=12)


def _motif_textile(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    phase = rng.uniform(0, math.pi)
    for k in range(5):
        y0 = cy - s * 0.8 + k * s * 0.4
        wave = [(cx - s * 1.1 + i * s * 0.11, y0 + math.sin(i * 0.6 + phase) * s * 0.12) for i in range(21)]
        draw.line(wave, fill=ink if k % 2 == 0 else accent, width=round(s * 0.16))


def _motif_flower(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    draw.line([(cx, cy), (cx + s * 0.1, cy + s * 1.05)], fill=accent, width=14)
    draw.polygon(_leaf(cx + s * 0.05, cy + s * 0.7, s * 0.5, s * 0.22, -0.6), fill=accent)
    petals = rng.choice((5, 6))
    turn = rng.uniform(0, math.pi)
    for k in range(petals):
        a = turn + 2 * math.pi * k / petals
        x, y = cx + math.cos(a) * s * 0.42, cy + math.sin(a) * s * 0.42
        draw.polygon(_rotated_ellipse(x, y, s * 0.42, s * 0.22, a), fill=ink)
    draw.ellipse((cx - s * 0.2, cy - s * 0.2, cx + s * 0.2, cy + s * 0.2), fill=accent)


def _motif_plant(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    top = cy + s * 0.35
    bottom = cy + s * 1.0
    draw.polygon(
        [(cx - s * 0.55, top), (cx + s * 0.55, top), (cx + s * 0.4, bottom), (cx - s * 0.4, bottom)],
        fill=accent,
    )
    _leaves(draw, cx, top, s * 0.95, [-math.pi / 2 + k * 0.45 for k in (-2, -1, 0, 1, 2)], ink, accent)


def _motif_fish(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    tail = [(cx + s * 0.55, cy), (cx + s * 1.05, cy - s * 0.45), (cx + s * 1.0, cy + s * 0.45)]
    draw.polygon(tail, fill=ink)
    draw.polygon(_rotated_ellipse(cx - s * 0.1, cy, s * 0.75, s * 0.42, 0), fill=ink)
    for _ in range(3):
        x, y, r = cx + rng.uniform(-0.5, 0.3) * s, cy + rng.uniform(-0.2, 0.2) * s, s * rng.uniform(0.1, 0.18)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(225, 60, 40, 230))
    draw.ellipse((cx - s * 0.62, cy - s * 0.14, cx - s * 0.5, cy - s * 0.02), fill=accent)


def _mountains(draw: Draw, cx: float, cy: float, s: float, fill: Colour) -> None:
    foot = cy + s * 0.6
    draw.polygon([(cx - s * 1.3, foot), (cx - s * 0.5, cy - s * 0.55), (cx + s * 0.3, foot)], fill=fill)
    draw.polygon([(cx - s * 0.3, foot), (cx + s * 0.55, cy - s * 0.3), (cx + s * 1.3, foot)], fill=fill)


def _motif_house(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    _mountains(draw, cx, cy - s * 0.3, s, (255, 255, 255, 110))
    floor = cy + s * 0.35
    draw.rectangle((cx - s * 0.6, floor - s * 0.45, cx + s * 0.6, floor), fill=ink)
    eaves = floor - s * 0.4
    draw.polygon([(cx - s * 0.85, eaves), (cx, floor - s * 1.05), (cx + s * 0.85, eaves)], fill=accent)
    for dx in (-0.5, -0.17, 0.17, 0.5):
        draw.line([(cx + dx * s, floor), (cx + dx * s, floor + s * 0.5)], fill=ink, width=14)
    draw.rectangle((cx - s * 0.12, floor - s * 0.35, cx + s * 0.12, floor), fill=accent)


def _motif_landscape(
    draw: Draw, rng: random.Random, cx: float, cy: float, s: float, ink: Colour, accent: Colour
) -> None:
    r = s * 0.28
    sx, sy = cx + s * 0.6, cy - s * 0.6
    draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=(255, 236, 150, 240))
    _mountains(draw, cx, cy, s, ink)
    wave = [(cx - s * 1.2 + i * s * 0.12, cy + s * 0.85 + math.sin(i * 0.8) * s * 0.06) for i in range(21)]
    draw.line(wave, fill=accent, width=round(s * 0.12))


_MOTIFS: dict[str, Callable[..., None]] = {
    "fresh": _motif_fruit,
    "raw": _motif_grain,
    "processed": _motif_jar,
    "condiments": _motif_bottle,
    "tea": _motif_tea,
    "coffee_cocoa": _motif_coffee,
    "alcoholic": _motif_wine,
    "non_alcoholic": _motif_glass,
    "herbs": _motif_herbs,
    "herbal_food": _motif_jar,
    "cosmetics": _motif_dropper,
    "crafts": _motif_vase,
    "household": _motif_bowl,
    "textiles": _motif_textile,
    "flowers": _motif_flower,
    "plants": _motif_plant,
    "animals": _motif_fish,
    "community": _motif_house,
    "eco": _motif_landscape,
}
