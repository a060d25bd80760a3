"""Link-preview images (800x420 PNG): the claim, who made it, and the verdict, so a shared link shows the verdict.

Drawn with Noto Sans CJK (no download at build time, no browser) in grey, with the verdict's colour from
data/ratings.yaml: a 6-colour palette of two ramps of 3 (grey, and the verdict's colour to white) is enough for
smooth text and makes a 4-bit PNG of about 7 KB (12.4 KB at 1200x630, 35 KB with 256 colours), drawn in about
3 ms. A site holds one per claim, so they were its largest part: 800x420 keeps the 1.91:1 shape the social sites
crop to and is above their minimums for a large card (Facebook 600x315, X 300x157, LinkedIn 401 wide), at 56%
of the bytes of 1200x630, which a 25,000-claim site needed to stay under GitHub Pages' 1 GB. Each image is redrawn
only when what it shows changes (a manifest keeps a hash per claim). A cold build of many claims draws them in other
processes while MkDocs builds the pages on this one: see `Previews.finish`.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import site as python_site
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import noto_cjk_sans_otc
from PIL import Image, ImageDraw, ImageFont

from factcheck.language import Language
from factcheck.model import Claim, RatingScale
from factcheck.site import Site

SIZE = (800, 420)
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # the folder that holds `factcheck`
FOLDER = "previews"
SITE_CARD = "_site"  # the image of every other page: a name no claim can have (ids start with a letter or digit)
SITE_COLOUR = "#546e7a"  # the band of the site's card: Material's blue-grey, the header's colour in mkdocs.yml
MANIFEST = "manifest.json"  # in each previews folder: a digest of what each image shows
STYLE_VERSION = "10"  # bump when the drawing below changes, to redraw every image
IN_PROCESS_LIMIT = 50  # fewer images than this are drawn at once, in this process
CHUNK = 32  # images per task for the other process: small enough to share out the last ones
LEVELS = 3  # shades in each ramp: enough for smooth text at this size (4 made every image 12% larger)
_GREYS = bytes(round(value * (LEVELS - 1) / 127) for value in range(256))  # drawing's 0-127 -> grey ramp
_TINT = bytes(LEVELS + round(value * (LEVELS - 1) / 255) for value in range(256))  # colour to white
MARGIN = 40
TEXT_WIDTH = SIZE[0] - 2 * MARGIN  # pixels between the margins
# Pieces a line may break between: a word with the spaces after it, or one CJK character (CJK has no spaces).
_PIECE = re.compile(
    r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef][\s\u3000-\u303f\uff0c\uff1a\uff1b]*|\S+\s*|\s+"
)


Job = tuple[str, dict[str, str]]  # where to write an image, and what it shows


@dataclass
class Previews:
    """The preview images of one build: which files exist, and the drawing still under way. Images are kept in
    each language's previews folder (Site.previews_dir) as <id>.png, and linked into a built site under that
    language's claims/previews/ (zh/claims/previews/ for Chinese)."""

    on_site: dict[Path, str] = field(default_factory=dict)  # each previews folder's path on the site
    images: list[tuple[Path, str]] = field(default_factory=list)  # every image of the site: folder, file name
    drawn: list[tuple[Path, str]] = field(default_factory=list)  # those (re)drawn by this build
    removed: list[tuple[Path, str]] = field(default_factory=list)  # those no page has any more
    pending: list[tuple[Future[None], list[Job]]] = field(default_factory=list)
    pool: ProcessPoolExecutor | None = None
    # written once every image is drawn, so a crash never marks one as done
    manifests: dict[Path, str] = field(default_factory=dict)

    def finish(self, into: Path | None = None, share: bool = True, everything: bool = False) -> None:
        """Finish the drawing (with `share`, this process draws what the pool has not started); then put this
        build's new images into `into` (a built site, or the docs folder for other engines), if given, or with
        `everything` every image, and take out those no page has any more."""
        for future, jobs in self.pending:
            if share and future.cancel():  # not started yet, and this process is free now: draw them here
                _draw_many(jobs)
        for future, _ in self.pending:
            if not future.cancelled():
                future.result()
        if self.pool:
            self.pool.shutdown()
        for folder, manifest in self.manifests.items():
            manifest_file = folder / MANIFEST
            if not manifest_file.exists() or manifest_file.read_text("utf-8") != manifest:
                manifest_file.write_text(manifest, encoding="utf-8")
        if into is not None:
            for folder, name in self.images if everything else self.drawn:
                target = into / self.on_site[folder] / name
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(folder / name, target)
            for folder, name in self.removed:
                (into / self.on_site[folder] / name).unlink(missing_ok=True)

    def cancel(self) -> None:
        """Stop drawing (the build failed): images not started are left for the next build, which draws them."""
        for future, _ in self.pending:
            future.cancel()
        if self.pool:
            self.pool.shutdown()


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link copies no bytes (MkDocs copying 10,000 images took 1-4 s); across file systems, copy. The image
    is never changed in place (a redrawn one is a new file), so the built site cannot change with it."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def preview_path(claim_id: str) -> str:
    """An image's path in its language's generated folder and on the site, under the language's claims/."""
    return f"{FOLDER}/{claim_id}.png"


def preview_files(claims: list[Claim]) -> set[str]:
    """Every image the docs folder holds when they are put there for other engines (`build_claims.py build`)."""
    return {preview_path(SITE_CARD), *(preview_path(claim.id) for claim in claims)}


# One language's images: its site, its claims, its rating scale, their bylines, the language, and where what is
# made from one claim is kept (Catalogue.made_from)
Folder = tuple[Site, list[Claim], RatingScale, Callable[[Claim], str], Language, Callable[..., Any]]


def update_previews(folders: list[Folder], background: bool = False) -> Previews:
    """Draw the images that are missing or out of date: for each language, in its previews folder, the claims that
    have pages in it and the site's own card, with that language's words and script; remove those of claims gone.
    With `background`, return before large batches finish."""
    previews, jobs = Previews(), []
    for site, claims, scale, byline, language, made_from in folders:
        folder, site_name = site.previews_dir, site.name
        previews.on_site[folder] = f"{language.prefix}claims/{FOLDER}"
        manifest_file = folder / MANIFEST
        try:
            written = manifest_file.read_text(encoding="utf-8")
            old = json.loads(written)
        except (FileNotFoundError, ValueError):
            written, old = "", {}
        new = {}
        present = set(os.listdir(folder)) if folder.is_dir() else set()  # noqa: PTH208 (names only: no stats)
        specs = {SITE_CARD: _specified_site_card(site)}
        for claim in claims:
            specs[claim.id] = made_from(  # hashing every claim's image again was a tenth of a preview rebuild
                claim,
                "preview",
                lambda claim=claim, scale=scale, language=language, site_name=site_name, byline=byline: _specified(
                    claim, scale, site_name, byline(claim), language
                ),
                once=True,
            )
        for name, (spec, digest) in specs.items():
            new[name] = digest
            image = (folder, f"{name}.png")
            previews.images.append(image)
            if old.get(name) != digest or image[1] not in present:
                jobs.append((str(folder / image[1]), spec))
                previews.drawn.append(image)
            present.discard(image[1])
        for file_name in sorted(present - {MANIFEST}):  # a claim deleted, or its id changed
            if file_name.endswith(".png") and not file_name.startswith("."):  # not one being drawn (.x.png.drawing)
                (folder / file_name).unlink()
                previews.removed.append((folder, file_name))
        folder.mkdir(parents=True, exist_ok=True)
        previews.manifests[folder] = written if new == old else json.dumps(new, indent=0, sort_keys=True) + "\n"
    cores = os.cpu_count() or 1
    if len(jobs) < IN_PROCESS_LIMIT or cores < 2:
        _draw_many(jobs)
        previews.finish()
    else:
        # Started afresh rather than forked: forking is unsafe while threads run (as under `mkdocs serve`), and
        # macOS does not fork by default either. A fresh process must be told where this package is: MkDocs takes
        # the hook's folder off the import path once the hook is loaded.
        previews.pool = ProcessPoolExecutor(
            max_workers=1 if background else cores,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=python_site.addsitedir,
            initargs=(str(PACKAGE_ROOT),),
        )
        chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
        previews.pending = [(previews.pool.submit(_draw_many, chunk), chunk) for chunk in chunks]
        if not background:
            previews.finish(share=False)
    return previews


def _specified(
    claim: Claim, scale: RatingScale, site_name: str, who: str, language: Language
) -> tuple[dict[str, str], str]:
    """What an image shows, and a digest of it for the manifest."""
    spec = _spec(claim, scale, site_name, who, language)
    return spec, hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def _specified_site_card(site: Site) -> tuple[dict[str, str], str]:
    """The image of the site's pages that are not fact-checks: its name and description, no verdict."""
    spec = {"v": STYLE_VERSION, "site": site.name, "claim": site.description or site.name, "colour": SITE_COLOUR}
    return spec, hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def _spec(claim: Claim, scale: RatingScale, site_name: str, who: str, language: Language) -> dict[str, str]:
    """What an image shows, in the page's language. Only a quote is in quotation marks: a paraphrase is labelled
    as one (and a translated quote as a translation)."""
    rating = scale.by_key[claim.verdict]
    words = language.words
    if claim.claim_kind != "quote":
        text = f"{words('Paraphrase:')} {claim.claim}"
    elif language.is_original:
        text = f"\u201c{claim.claim}\u201d"
    else:
        text = f"{words('Translated quote:')} \u201c{claim.claim}\u201d"
    return {
        "v": STYLE_VERSION,
        "site": site_name,
        "claim": text,
        "claimant": who,
        "date": language.date(claim.claim_date),
        "label": (words("Retracted:") + " " if claim.retracted else "") + rating.label,
        "verdict": words("Verdict:"),
        "colour": rating.colour,
    }


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK (SIL Open Font License), installed with the Python packages: one font for Latin, Cyrillic and
    Chinese, so an image is drawn in its page's script. Face 2 of the collection is its Simplified Chinese one."""
    return ImageFont.truetype(str(noto_cjk_sans_otc.FONT_PATH), size, index=2)


def _wrap(text: str, size: int, lines: int) -> list[str]:
    """`text` in at most `lines` lines that fit between the margins, broken between words (or CJK characters);
    an ellipsis marks text cut short."""
    wrapped, line, width = [], "", 0.0
    for piece in _PIECE.findall(" ".join(text.split())):
        piece_width = sum(_glyph(char, size)[2] for char in piece)
        if line and width + sum(_glyph(char, size)[2] for char in piece.rstrip()) > TEXT_WIDTH:
            wrapped.append(line.rstrip())
            line, width = "", 0.0
        line, width = line + piece, width + piece_width
    wrapped.append(line.rstrip())
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], _shorten(wrapped[lines - 1], size)]
    return wrapped


def _shorten(line: str, size: int) -> str:
    """A line with an ellipsis at its end that still fits."""
    while line and sum(_glyph(char, size)[2] for char in line + " \u2026") > TEXT_WIDTH:
        line = line[:-1]
    return line.rstrip(" .,;") + " \u2026"


@cache
def _palette(colour: str) -> list[int]:
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    grey = [round(level * 255 / (LEVELS - 1)) for level in range(LEVELS) for _ in range(3)]
    tint = [round(c + (255 - c) * level / (LEVELS - 1)) for level in range(LEVELS) for c in rgb]
    return grey + tint


def _draw_many(jobs: list[Job]) -> None:
    for job in jobs:
        _draw(job)


def _draw(job: Job) -> None:
    path, spec = job
    page = _blank_page(spec["site"]).copy()
    size = 33 if len(_wrap(spec["claim"], 33, 4)) <= 3 else 28
    for number, line in enumerate(_wrap(spec["claim"], size, 5)):
        _write(page, (MARGIN, 73 + number * (size + 12)), line, size, ink=8)
    verdict = "label" in spec  # a fact-check's card, not the site's
    if verdict:
        _write(page, (MARGIN, 293), _wrap(f"{spec['claimant']}, {spec['date']}", 19, 1)[0], 19, ink=35)
    image = page.point(_GREYS).convert("P")  # keeps each grey level as its palette index
    if verdict:
        image.paste(_badge(f"{spec['verdict']} {spec['label']}"), (MARGIN, 333))
    image.paste(LEVELS, (0, 0, SIZE[0], 11))  # a band in the verdict's (or the site's) colour
    image.putpalette(_palette(spec["colour"]))
    # MkDocs may be copying the old image meanwhile: never let it see half a file. Dot-files are not site files.
    temporary = Path(path).with_name(f".{Path(path).name}.drawing")
    # Level 4, where zlib starts to search for longer matches: 3% larger than level 6 in two thirds of its time;
    # levels 1-3, and run-length coding, made images 10-25% larger.
    image.save(temporary, format="PNG", compress_level=4)
    temporary.replace(path)


def _write(page: Image.Image, origin: tuple[int, int], text: str, size: int, ink: int) -> None:
    """Set a line of text from cached glyphs: rasterising every line anew was a third of an image's cost."""
    x, y = origin
    for char in text:
        mask, (left, top), advance = _glyph(char, size)
        if mask is not None:
            page.paste(ink, (round(x) + left, y + top), mask)
        x += advance


_PROPORTIONAL = {"\u2018", "\u2019", "\u201c", "\u201d"}  # quotation marks, which a CJK font sets a full em wide


@cache
def _glyph(char: str, size: int) -> tuple[Image.Image | None, tuple[int, int], float]:
    font = _font(size)
    features = ["pwid"] if char in _PROPORTIONAL else None  # else "“Quote" starts half an em in from the margin
    left, top, right, bottom = font.getbbox(char, features=features)
    advance = font.getlength(char, features=features)
    if right <= left or bottom <= top:  # a space
        return None, (0, 0), advance
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), char, font=font, fill=255, features=features)
    return mask, (left, top), advance


@cache
def _blank_page(site_name: str) -> Image.Image:
    """What every image of a site shares, in grey levels 0-127 (made the palette's grey ramp when saved): drawn
    once per process."""
    page = Image.new("L", SIZE, 127)
    _write(page, (MARGIN, 33), site_name.upper(), 19, ink=35)
    return page


@cache
def _badge(label: str) -> Image.Image:
    """The verdict badge, in the palette's verdict-colour ramp: one per rating, drawn once per process."""
    text = label
    box = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font=_font(29))
    badge = Image.new("L", (box[2] + 32, box[3] + 24), 0)
    ImageDraw.Draw(badge).text((16, 9), text, font=_font(29), fill=255)
    return Image.frombytes("P", badge.size, badge.point(_TINT).tobytes())
