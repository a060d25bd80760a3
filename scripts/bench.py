#!/usr/bin/env python3
"""Benchmark: build synthetic sites of N claims with the real pipeline, and the same pages with bare Material.

    python scripts/bench.py                 # N = 1,000 and 10,000
    python scripts/bench.py --sizes 1000 2000
    python scripts/bench.py --sizes 10000 --repeat 3    # three cold builds of each, alternately: the median ratio
    python scripts/bench.py --sizes 25000 --size-only   # only build and measure the site (make bench-size)
    python scripts/bench.py --sizes 10000 --languages uk zh ru   # each claim also in 3 languages (make bench-languages)

For each N it prints the total build time and its cost per claim, the time in our own code (load, validate,
previews, render and write) and in MkDocs/Material, peak memory, search-index size, the site's size by kind of file,
the largest page, what a reader's first visit of a claim page downloads (gzipped; with Playwright), the time from
saving an edited claim to `make serve` reloading the page (three edits, in the real server), and the ratio to a
bare Material build of the same pages as plain Markdown. Claims are synthetic but varied: 100-700 words of analysis, 2-8
sources, 1-4 of 40 topics, 400 claimants of very different productivity, dates over ten years.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "the",
    "ministry",
    "said",
    "report",
    "officials",
    "claimed",
    "according",
    "to",
    "sources",
    "video",
    "prisoners",
    "border",
    "army",
    "recruitment",
    "statement",
    "evidence",
    "analysis",
    "press",
    "conference",
    "intelligence",
    "agency",
    "document",
    "contract",
    "soldiers",
    "minister",
    "embassy",
    "spokesperson",
    "interview",
    "data",
    "photos",
    "passport",
    "region",
    "village",
    "brigade",
    "wire",
    "service",
    "confirmed",
    "denied",
    "estimate",
    "hundreds",
    "thousands",
    "unverified",
    "published",
    "later",
    "correction",
    "translation",
    "original",
    "context",
]
VERDICTS = ["true", "mostly-true", "mixed", "misleading", "mostly-false", "false", "unproven"]


def sentence(rng: random.Random, low: int = 8, high: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def claim_file(index: int, rng: random.Random, today: dt.date) -> str:
    claimant = min(int(rng.paretovariate(1.2)), 400)
    published = today - dt.timedelta(days=rng.randint(0, 3650))
    claim_date = published - dt.timedelta(days=rng.randint(0, 30))
    topics = sorted({f"topic-{min(int(rng.paretovariate(1.0)), 40)}" for _ in range(rng.randint(1, 4))})
    sources = []
    for s in range(rng.randint(2, 8)):
        sources.append(
            f"  - title: {json.dumps(sentence(rng, 4, 10))}\n    publisher: Publisher {rng.randint(1, 200)}\n"
            f"    date: {claim_date.isoformat()}\n    url: https://example.org/{index}/source-{s}\n"
            f"    supports: {json.dumps(sentence(rng, 5, 12))}\n"
        )
    analysis = "\n\n".join(
        f"## {sentence(rng, 2, 5)}\n\n{paragraph(rng, rng.randint(2, 6))}" for _ in range(rng.randint(2, 5))
    )
    return (
        f"id: claim-{index}\nclaim: {json.dumps(sentence(rng, 8, 30))}\nclaimant:\n  id: claimant-{claimant}\n"
        f"  role: Official {claimant % 17}\nclaim_date: {claim_date.isoformat()}\nappearances:\n"
        f"  - url: https://example.org/{index}/said\n    outlet: Outlet {rng.randint(1, 50)}\n"
        f"verdict: {rng.choice(VERDICTS)}\nsummary: {json.dumps(paragraph(rng, rng.randint(1, 2)))}\n"
        f"published: {published.isoformat()}\ntopics: [{', '.join(topics)}]\nsources:\n{''.join(sources)}"
        f"analysis: |\n" + "\n".join("  " + line if line else "" for line in analysis.splitlines()) + "\n"
    )


def make_project(where: Path, count: int, languages: tuple[str, ...] = ()) -> Path:
    """A synthetic site of `count` claims, each translated into `languages` (none: the site in English only)."""
    project = where / f"site-{count}"
    for name in ("docs", "overrides", "data"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("claims"))
    for pack in (project / "data" / "languages").glob("*.yaml"):  # only the languages asked for
        if pack.stem not in languages:
            pack.unlink()
            shutil.rmtree(project / "docs" / pack.stem, ignore_errors=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "factcheck").symlink_to(ROOT / "factcheck")
    (project / "claims").mkdir()
    registry = "".join(
        f"claimant-{n}:\n  name: Claimant {n}\n  kind: person\n  description: Official number {n}.\n"
        for n in range(1, 401)
    )
    (project / "data" / "claimants.yaml").write_text(registry, encoding="utf-8")
    topics = "".join(f"topic-{n}: Topic {n}\n" for n in range(1, 41))
    (project / "data" / "topics.yaml").write_text(topics, encoding="utf-8")
    (project / "data" / "rules.yaml").write_text("{}\n", encoding="utf-8")  # the format's own rules: this times builds
    (project / "data" / "redirects.yaml").unlink(missing_ok=True)  # the first site's own moved pages
    rng, today = random.Random(count), dt.date.today()
    for index in range(count):
        path = project / "claims" / f"claim-{index}.yaml"
        path.write_text(claim_file(index, rng, today), encoding="utf-8")
        for language in languages:
            translation = translation_file(path, language)
            (project / "claims" / f"claim-{index}.{language}.yaml").write_text(translation, encoding="utf-8")
    return project


def translation_file(original: Path, language: str) -> str:
    """A translation of a synthetic claim: its words marked with the language (as long as the original's)."""
    from factcheck.load import parse_yaml
    from factcheck.model import Claim, text_version

    claim = Claim.model_validate(parse_yaml(original)[0])
    words = {"title": claim.headline, "claim": claim.claim, "claimant_role": claim.claimant.role,
             "summary": claim.summary, "analysis": claim.analysis}  # fmt: skip
    fields = {key: f"[{language}] {value}" for key, value in words.items() if value}
    return json.dumps({"original_version": text_version(claim), "machine_translated": "true", **fields}) + "\n"


def make_bare_project(where: Path, project: Path) -> Path:
    """The same claims as plain Markdown pages, built by Material with no hook and no pipeline."""
    import yaml

    bare = where / f"{project.name}-bare"
    (bare / "docs" / "claims").mkdir(parents=True)
    (bare / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (bare / "mkdocs.yml").write_text(
        "site_name: Bare\nsite_url: https://example.org/\ntheme:\n  name: material\nplugins:\n  - search\n"
        "nav:\n  - index.md\nnot_in_nav: /claims/\n",
        encoding="utf-8",
    )
    for path in sorted((project / "claims").glob("*.yaml")):
        claim_id, _, language = path.stem.partition(".")
        data = yaml.load((path.parent / f"{claim_id}.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if language:  # a translation: its words over the original's facts, at the same address under /<language>/
            data.update(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
            (bare / "docs" / language / "claims").mkdir(parents=True, exist_ok=True)
        sources = "\n".join(f"1. {s['publisher']}, [{s['title']}]({s['url']}), {s['date']}" for s in data["sources"])
        page = (
            f"# {data['claim']}\n\n> {data['claim']}\n\n{data['claimant']['id']}\n\n## Verdict: {data['verdict']}"
            f"\n\n{data['summary']}\n\n## Analysis\n\n{data['analysis']}\n\n## Sources\n\n{sources}\n"
        )
        (bare / "docs" / language / "claims" / f"{claim_id}.md").write_text(page, encoding="utf-8")
    return bare


def build(project: Path, *extra: str) -> dict[str, float]:
    """Run `mkdocs build` in a child process; return wall time, our pipeline's timings and peak memory."""
    timings = project / "timings.json"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FACTCHECK_TIMINGS": str(timings)}
    code = (
        "import resource, sys\nfrom mkdocs.__main__ import cli\ntry:\n    cli(['build', '-q', *sys.argv[1:]])\n"
        "except SystemExit as e:\n    assert not e.code, e.code\nr = resource.getrusage\n"
        "print(max(r(resource.RUSAGE_SELF).ru_maxrss, r(resource.RUSAGE_CHILDREN).ru_maxrss))"
    )
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, *extra], cwd=project, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        sys.exit(result.stderr)
    ours = json.loads(timings.read_text()) if timings.exists() else {}
    wait = ours.pop("previews_wait", 0.0)
    return {
        "total": seconds, "ours": sum(ours.values()), "previews_wait": wait, **ours,
        "peak_mb": int(result.stdout.split()[-1]) / 1024,
    }  # fmt: skip


def cold(project: Path) -> Path:
    """The project as before its first build: no generated folders (pages, images), no site."""
    generated_folders = [project / "site", project / "docs" / "claims", *(project / "docs").glob("*/claims")]
    for generated in [*generated_folders, project / ".cache"]:
        shutil.rmtree(generated, ignore_errors=True)
    return project


def site_figures(site: Path, count: int) -> dict[str, float]:
    pages = [p for p in site.glob("*claims/*/index.html") if p.parent.name.startswith("claim-")]
    pages += [p for p in site.glob("*/claims/*/index.html") if p.parent.name.startswith("claim-")]  # translations
    sizes = [p.stat().st_size for p in pages]
    index = site / "search" / "search_index.json"
    return {
        "pages": len(pages),
        "search_kb_per_claim": index.stat().st_size / 1024 / count,
        "search_mb": index.stat().st_size / 2**20,
        "largest_page_kb": max(p.stat().st_size for p in site.rglob("*.html")) / 1024,
        "claim_page_kb": sum(sizes) / len(sizes) / 1024,
        "largest_claim_page_kb": max(sizes) / 1024,
        **{f"{part}_mb": size / 2**20 for part, size in site_parts(site).items()},
    }


def site_parts(site: Path) -> dict[str, int]:
    """Bytes on the site by kind of file (the sum of file sizes: what a deploy uploads)."""
    parts = dict.fromkeys(("site", "previews", "claim_pages", "listings", "exports", "search", "other"), 0)
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size, relative = path.stat().st_size, path.relative_to(site).as_posix()
        relative = re.sub(r"^[a-z]{2,3}/(?=claims/|search/)", "", relative)  # a translation's: counted with its kind
        parts["site"] += size
        if relative.startswith("claims/previews/"):
            parts["previews"] += size
        elif relative.startswith("claims/claim-"):
            parts["claim_pages"] += size
        elif relative.startswith("claims/") and path.suffix == ".html":
            parts["listings"] += size
        elif relative.startswith("claims/"):
            parts["exports"] += size
        elif relative.startswith("search/"):
            parts["search"] += size
        else:
            parts["other"] += size
    return parts


def first_visit_kb(site: Path, path: str) -> float | None:
    """KB a reader's browser downloads on a first visit of `path`, gzipped as a web server sends it; None without
    Playwright and Chromium (installed by `make test`)."""
    import functools
    import gzip
    import http.server
    import threading

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    sizes: list[int] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page()
            page.on("response", lambda r: sizes.append(len(gzip.compress(r.body())) if r.status == 200 else 0))
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{path}")
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        httpd.shutdown()
    return sum(sizes) / 1000


def edit_to_preview(project: Path, edits: int = 3) -> list[float]:
    """Seconds from saving an edited claim to `make serve` (`mkdocs serve --dirty`) telling the browser to reload
    the page, for each of `edits` edits a few seconds apart: the real server, its file watching and rebuild."""
    import socket
    import threading

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).with_name("mkdocs")), "serve", "--dirty", "-a", f"127.0.0.1:{port}"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True}
    server = subprocess.Popen(command, cwd=project, env=env, **log)
    lines: list[tuple[float, str]] = []  # when each line of the server's log arrived

    def read_log() -> None:
        for line in server.stderr:
            lines.append((time.perf_counter(), line))

    def wait_for(text: str, after: int) -> float:
        while not any(text in line for _, line in lines[after:]):
            if server.poll() is not None:
                sys.exit("".join(line for _, line in lines))
            time.sleep(0.01)
        return next(when for when, line in lines[after:] if text in line)

    threading.Thread(target=read_log, daemon=True).start()
    try:
        wait_for("Serving on", 0)
        seconds = []
        path = project / "claims" / "claim-7.yaml"
        for edit in range(edits):
            time.sleep(3)  # an editor between saves
            seen = len(lines)
            path.write_text(path.read_text().replace("summary: ", f"summary: Edit {edit}. ", 1))
            saved = time.perf_counter()
            seconds.append(wait_for("Reloading browsers", seen) - saved)
        return seconds
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--size-only", action="store_true", help="only build and measure the site: no bare build")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites (printed at the end)")
    parser.add_argument("--repeat", type=int, default=1, help="build ours and bare Material this many times each, "
                        "alternately, and give the median ratio")  # fmt: skip
    parser.add_argument(
        "--languages", nargs="*", default=[], help="translate every claim into these languages of data/languages/ "
        "(the multilingual case: make bench-languages)",
    )  # fmt: skip
    args = parser.parse_args()
    where = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; working in {where}")
    rows = []
    for count in args.sizes:
        start = time.perf_counter()
        project = make_project(where, count, tuple(args.languages))
        generated = time.perf_counter() - start
        ours = build(project)
        figures = site_figures(project / "site", count)
        print(f"\n== {count:,} claims (generated in {generated:.1f} s) ==")
        print(f"build, total:             {ours['total']:8.1f} s")
        print(f"  our code:               {ours['ours']:8.1f} s  ({ours['ours'] / count * 1000:.2f} ms a claim; "
              f"load {ours['load']:.1f}, previews started {ours['previews']:.1f}, "
              f"render and write {ours['render']:.1f})")  # fmt: skip
        print(f"  MkDocs/Material:        {ours['total'] - ours['ours'] - ours['previews_wait']:8.1f} s")
        print(f"  then waiting for images:{ours['previews_wait']:8.1f} s (drawn meanwhile in another process)")
        print(f"  per claim:              {ours['total'] / count * 1000:8.2f} ms")
        print(f"peak memory:              {ours['peak_mb']:8.0f} MB")
        print(f"claim pages:              {figures['pages']:8d}")
        print(f"claim page HTML:          {figures['claim_page_kb']:8.1f} KB average, "
              f"{figures['largest_claim_page_kb']:.1f} KB largest")  # fmt: skip
        print(f"largest page:             {figures['largest_page_kb']:8.1f} KB")
        print(
            f"search index:             {figures['search_mb']:8.1f} MB ({figures['search_kb_per_claim']:.2f} KB/claim)"
        )
        parts = ("previews", "claim_pages", "listings", "exports", "search", "other")
        breakdown = ", ".join(f"{part.replace('_', ' ')} {figures[f'{part}_mb']:.0f}" for part in parts)
        per_claim = figures["site_mb"] * 1024 / count
        gigabytes = figures["site_mb"] * 2**20 / 1e9  # GitHub Pages' limit is 1 GB
        print(f"site size:                {figures['site_mb']:8.1f} MiB = {gigabytes:.3f} GB "
              f"({per_claim:.1f} KiB a claim; {breakdown} MiB)")  # fmt: skip
        transfer = first_visit_kb(project / "site", "claims/claim-7/")
        if transfer is not None:
            print(f"first visit of a claim:   {transfer:8.1f} KB gzipped, everything the browser fetches")
        if args.size_only:
            continue
        previews = edit_to_preview(project)
        bare_project = make_bare_project(where, project)
        bare = build(bare_project)
        rows.append((count, ours))
        print(f"bare Material, same pages:{bare['total']:8.1f} s   ratio {ours['total'] / bare['total']:.2f}x "
              f"(peak memory {bare['peak_mb']:.0f} MB)")  # fmt: skip
        if args.repeat > 1:  # on a shared machine one pair of builds says little: alternate, take the median
            pairs = [(ours["total"], bare["total"])]
            for _ in range(args.repeat - 1):
                pairs.append((build(cold(project))["total"], build(bare_project)["total"]))
            ratios = sorted(mine / theirs for mine, theirs in pairs)
            shown = ", ".join(f"{mine:.1f}/{theirs:.1f}" for mine, theirs in pairs)
            print(f"ratio over {len(pairs)} pairs:      median {statistics.median(ratios):.2f}x "
                  f"(from {ratios[0]:.2f}x to {ratios[-1]:.2f}x; ours/bare s: {shown})")  # fmt: skip
        shown = ", ".join(f"{seconds:.1f}" for seconds in previews)
        print(f"edit to preview:          {min(previews):8.1f} s fastest of {shown} s (make serve)")
    if len(rows) > 1:
        (n0, first), (n1, last) = rows[0], rows[-1]
        print(f"\ngrowth: {n1 / n0:.0f}x the claims took {last['total'] / first['total']:.2f}x the time")
    if not args.keep:
        shutil.rmtree(where)


if __name__ == "__main__":
    main()
