"""Link-preview images (1200x630 PNG): the claim, who made it, and the verdict, so a shared link shows the verdict.

Drawn with Pillow and its built-in font, so no font download and no browser are needed. Images are cached by a
hash of what they show: an unchanged claim keeps its file, and a cold build draws them on both cores.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from factcheck.model import Claim, RatingScale

SIZE = (1200, 630)
FOLDER = "previews"
MANIFEST = f"{FOLDER}/manifest.json"
STYLE_VERSION = "1"  # bump when the drawing below changes, to redraw every image


def preview_path(claim_id: str) -> str:
    return f"{FOLDER}/{claim_id}.png"


def update_previews(out_dir: Path, claims: list[Claim], scale: RatingScale, site_name: str) -> set[str]:
    """Draw the images that are missing or out of date; return every file the previews folder should hold."""
    manifest_file = out_dir / MANIFEST
    try:
        old = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        old = {}
    jobs, new = [], {}
    for claim in claims:
        spec = _spec(claim, scale, site_name)
        digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]
        new[claim.id] = digest
        if old.get(claim.id) != digest or not (out_dir / preview_path(claim.id)).exists():
            jobs.append((str(out_dir / preview_path(claim.id)), spec))
    if jobs:
        (out_dir / FOLDER).mkdir(parents=True, exist_ok=True)
        if len(jobs) < 50:
            for job in jobs:
                _draw(*job)
        else:
            with ProcessPoolExecutor(max_workers=2) as pool:
                list(pool.map(_draw_job, jobs, chunksize=64))
    text = json.dumps(new, indent=0, sort_keys=True) + "\n"
    if not manifest_file.exists() or manifest_file.read_text(encoding="utf-8") != text:
        manifest_file.parent.mkdir(parents=True, exist_ok=True)
        manifest_file.write_text(text, encoding="utf-8")
    return {MANIFEST, *(preview_path(claim.id) for claim in claims)}


def _spec(claim: Claim, scale: RatingScale, site_name: str) -> dict[str, str]:
    rating = scale.by_key[claim.verdict]
    who = claim.claimant.name + (f", {claim.claimant.role}" if claim.claimant.role else "")
    return {
        "v": STYLE_VERSION,
        "site": site_name,
        "claim": claim.claim,
        "claimant": who,
        "date": f"{claim.claim_date.day} {claim.claim_date:%B %Y}",
        "label": ("Retracted: " if claim.retracted else "") + rating.label,
        "colour": rating.colour,
    }


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _draw_job(job: tuple[str, dict[str, str]]) -> None:
    _draw(*job)


def _draw(path: str, spec: dict[str, str]) -> None:
    image = Image.new("RGB", SIZE, "#ffffff")
    draw = ImageDraw.Draw(image)
    colour = spec["colour"]
    draw.rectangle((0, 0, SIZE[0], 16), fill=colour)
    draw.text((60, 50), spec["site"].upper(), font=_font(28), fill="#37474f")
    lines = textwrap.wrap(f"\u201c{spec['claim']}\u201d", width=44)
    if len(lines) > 5:
        lines = [*lines[:4], lines[4].rstrip(" .,;") + " \u2026"]
    size = 50 if len(lines) <= 3 else 42
    draw.multiline_text((60, 110), "\n".join(lines), font=_font(size), fill="#111111", spacing=12)
    draw.text(
        (60, 440), textwrap.shorten(f"{spec['claimant']}, {spec['date']}", width=70), font=_font(28), fill="#37474f"
    )
    label = f"Verdict: {spec['label']}"
    box = draw.textbbox((0, 0), label, font=_font(44))
    draw.rounded_rectangle((60, 500, 60 + box[2] + 48, 500 + box[3] + 36), radius=16, fill=colour)
    draw.text((84, 514), label, font=_font(44), fill="#ffffff")
    image.save(path, format="PNG", optimize=False, compress_level=6)
