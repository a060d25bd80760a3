"""Building sites from claim files: hostile text stays inert, bad input builds nothing, rebuilds are minimal."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

from conftest import SITE_URL, Project, claim_yaml, differences
from pages import Page, live_payloads

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"
HOSTILE_CLAIM = f"""\
id: hostile
title: "</title><script>alert('title')</script> {{{{ 7 * 7 }}}} **bold**"
claim: "{HOSTILE} {{% raw %}} ``` ~~~ [link](javascript:alert(1))"
claim_kind: quote
claimant:
  id: evil
  role: "--8<-- \\"mkdocs.yml\\""
claim_date: 2025-04-08
appearances:
  - url: "https://example.org/a\\"onmouseover=\\"alert(1)"
    outlet: "!!! danger \\"injected\\""
verdict: "false"
summary: |-
  --8<-- "mkdocs.yml"
  {HOSTILE}
published: 2025-05-01
updated: 2025-05-02
updates:
  - date: 2025-05-02
    kind: correction
    note: "{HOSTILE} [x](javascript:alert(5)) **bold** <!-- comment"
topics: [foreign-fighters]
sources:
  - title: "<iframe src=https://evil.example></iframe>"
    publisher: "*[HTML]: Hyper"
    date: 2025-04-09
    url: https://example.org/source
    quote: "\\"><svg onload=alert(1)>"
analysis: |
  ## Heading <script>alert(2)</script>

  {HOSTILE}

  [click](javascript:alert(3)) and [data](data:text/html,hi) and ![img](https://evil.example/x.png)

  --8<-- "mkdocs.yml"

  !!! danger "Admonition"
      injected

  <iframe src="https://evil.example"></iframe>

  Text {{: onclick="alert(4)" }}
"""

HOSTILE_CLAIMANT = """\
evil:
  name: "<b>Evil</b> {: onclick=alert(1) }"
  kind: person
  description: "<script>alert('who')</script> --8<-- \\"mkdocs.yml\\""
  other_names: ["<img src=x onerror=alert(7)>"]
"""
ALLOWED_SCRIPTS = {"application/ld+json"}  # data, not code: checked for escaping below


def test_hostile_text_stays_inert(project):
    with (project.root / "data" / "claimants.yaml").open("a", encoding="utf-8") as registry:
        registry.write(HOSTILE_CLAIMANT)
    project.write("hostile.yaml", HOSTILE_CLAIM)
    project.write("sample-claim.yaml", claim_yaml(related="[hostile]"))
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    for path in [project.root / "site/claims/hostile/index.html", project.root / "site/claims/sample-claim/index.html",
                 project.root / "site/claims/claimants/evil/index.html",
                 project.root / "site/index.html", project.root / "site/claims/index.html",
                 project.root / "site/corrections/index.html"]:  # fmt: skip
        page = Page.load(path)
        for element in page.elements:
            assert element.tag not in {"iframe", "img", "svg", "b"} or "evil" not in str(element.attrs), path
            assert not any(name.startswith("on") for name in element.attrs), (path, element)
            assert not element.attrs.get("href", "").lower().startswith(("javascript:", "data:")), (path, element)
            if element.tag == "script":  # the theme's own, and our JSON-LD; none carries claim text as code
                assert not element.attrs.get("src", "").startswith(("http:", "https:", "//")), (path, element)
                assert element.attrs.get("type", "") in ALLOWED_SCRIPTS or "alert" not in element.text, path
        assert "site_name:" not in page.text  # no snippet of mkdocs.yml was included
        assert "49" not in page.text.replace("2025", "")  # no template was evaluated
    page = Page.load(project.root / "site/claims/hostile/index.html")
    assert page.find_all("h1")[0].text == "</title><script>alert('title')</script> {{ 7 * 7 }} **bold**"
    assert page.find_all("title")[0].text.startswith("</title><script>alert('title')</script>")
    assert page.meta("og:title") == "</title><script>alert('title')</script> {{ 7 * 7 }} **bold**"
    assert HOSTILE in page.text and "{% raw %}" in page.text and "--8<--" in page.text
    assert "!!! danger" in page.text and "{: onclick=alert(1) }" in page.text
    # The claimant's name is shown as written, as text: no <b> element, on the claim page and on its own page.
    assert "<b>Evil</b> {: onclick=alert(1) }" in page.find_all("figcaption")[0].text
    assert not [e for e in page.elements if e.tag == "b"]
    claimant_page = Page.load(project.root / "site/claims/claimants/evil/index.html")
    assert claimant_page.find_all("h1")[0].text == "Claims by <b>Evil</b> {: onclick=alert(1) }"
    assert not [e for e in claimant_page.elements if e.tag == "b"] and live_payloads(claimant_page) == []
    assert not page.find_all("div", **{"class": "admonition danger"})
    # Nothing loads from another host; an image written in the analysis becomes a plain link.
    assert [e.tag for e in page.elements if "evil.example" in str(e.attrs)] == ["a"]
    corrections = Page.load(project.root / "site/corrections/index.html")
    assert f"{HOSTILE} [x](javascript:alert(5)) **bold** <!-- comment" in corrections.text
    review = page.jsonld()[0]
    assert review["claimReviewed"].startswith(HOSTILE)
    # The search box shows an entry's text as HTML: there, too, the claim is text.
    index = json.loads((project.root / "site/search/search_index.json").read_text(encoding="utf-8"))
    [entry] = [e for e in index["docs"] if e["location"] == "claims/hostile/"]
    assert "<script" not in entry["text"] + entry["title"] and "<img" not in entry["text"]
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in entry["text"]


def test_invalid_claims_build_no_site(project):
    project.write("good.yaml", claim_yaml("good"))
    project.write("bad.yaml", claim_yaml("bad", verdict="maybe"))
    result = project.mkdocs_build()
    assert result.returncode != 0
    assert "claims/bad.yaml:11: verdict: expected one of" in result.stderr
    assert not (project.root / "site").exists()
    assert not (project.root / "docs" / "claims" / "good.md").exists()


def test_build_rewrites_only_changed_files_and_removes_stale_ones(project):
    project.write("first.yaml", claim_yaml("first"))
    project.write("second.yaml", claim_yaml("second"))
    assert project.cli("build").returncode == 0
    out = project.root / "docs" / "claims"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    project.write("second.yaml", claim_yaml("second", summary="A different summary."))
    result = project.cli("build")
    assert result.returncode == 0, result.stderr
    changed = {p.relative_to(out).as_posix() for p in before if p.stat().st_mtime_ns != before[p]}
    assert "second.md" in changed and "first.md" not in changed
    assert "previews/first.png" not in changed and "previews/second.png" not in changed  # summary is not drawn
    (project.root / "claims" / "second.yaml").unlink()
    assert project.cli("build").returncode == 0
    assert not (out / "second.md").exists() and not (out / "previews" / "second.png").exists()
    assert (out / "first.md").exists()


def test_builds_are_byte_identical(tmp_path):
    """Two clean builds of the same claims, in two folders (nothing reused between them), preview images included."""
    for name in ("one", "two"):
        project = Project(tmp_path / f"project-{name}")
        project.write("first.yaml", claim_yaml("first"))
        project.write("second.yaml", claim_yaml("second", aliases="[old-second]"))
        assert project.mkdocs_build(tmp_path / name).returncode == 0
    assert list((tmp_path / "one" / "claims" / "previews").glob("*.png"))
    assert differences(tmp_path / "one", tmp_path / "two") == []


def test_renamed_claim_redirects_from_its_old_url(project):
    project.write("new-name.yaml", claim_yaml("new-name", aliases="[old-name]"))
    assert project.mkdocs_build().returncode == 0
    page = Page.load(project.root / "site" / "claims" / "old-name" / "index.html")
    refresh = page.find_all("meta", **{"http-equiv": "refresh"})[0].attrs["content"]
    assert refresh == "0; url=/claims/new-name/"  # from the root path of the configured site_url
    assert page.find_all("link", rel="canonical")[0].attrs["href"] == f"{SITE_URL}claims/new-name/"


def test_retracted_claim_keeps_its_page_with_a_notice(project):
    retraction = "\n  date: 2025-06-01\n  reason: The source video was shown to be from another war."
    project.write("withdrawn.yaml", claim_yaml("withdrawn", retracted=retraction, updated="2025-06-01"))
    assert project.mkdocs_build().returncode == 0
    page = Page.load(project.root / "site" / "claims" / "withdrawn" / "index.html")
    assert "Retracted on 1 June 2025. The source video was shown to be from another war." in page.text
    corrections = Page.load(project.root / "site" / "corrections" / "index.html")
    assert "The source video was shown to be from another war." in corrections.text


def git(project, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project.root, check=True, capture_output=True)


def test_check_refuses_deleting_a_published_claim(project):
    project.write("first.yaml", claim_yaml("first"))
    project.write("second.yaml", claim_yaml("second"))
    git(project, "init", "-q")
    git(project, "add", "claims")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "claims")
    (project.root / "claims" / "second.yaml").unlink()
    result = project.cli("check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "claims/second.yaml: this published claim was deleted, which would break its URL. Hint: restore the file "
        "and set `retracted` (date, reason), or list 'second' in the `aliases` of the claim that replaces it"
    )
    project.write("first.yaml", claim_yaml("first", aliases="[second]"))
    assert project.cli("check").returncode == 0


def test_check_warns_about_a_near_duplicate_without_failing(project):
    project.write("first.yaml", claim_yaml("first"))
    git(project, "init", "-q")
    git(project, "add", "claims")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "claims")
    project.write("again.yaml", claim_yaml("again"))
    result = project.cli("check")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "warning: claims/again.yaml:2: claim: looks like the claim in claims/first.yaml (100% of words shared). "
        "Hint: if it is the same claim, update that fact-check instead"
    ]


def test_new_scaffolds_a_file_that_check_rejects_until_filled(project):
    result = project.cli("new", "China sent troops to Ukraine", "--claimant", "lin-jian")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "claims/china-sent-troops-to-ukraine.yaml"
    path = project.root / result.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/claim.schema.json\n")
    assert "#   make check      (or: .venv/bin/python scripts/build_claims.py check claims/china-sent" in text
    check = project.cli("check", "--skip-history")
    assert check.returncode == 1
    for line in ("6: title", "8: claim_kind", "11: claimant.role", "12: claim_date", "16: appearances[0].date",
                 "18: summary", "26: sources[0].date"):  # fmt: skip
        assert f"claims/china-sent-troops-to-ukraine.yaml:{line}: placeholder not filled in" in check.stderr, line
    again = project.cli("new", "China sent troops to Ukraine", "--claimant", "lin-jian")
    assert again.returncode == 1 and "exists already" in again.stderr
    filled = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if "TODO" not in value:
            filled.append(line)
        elif key.strip() == "verdict":
            filled.append('verdict: "false"')
        elif key.strip() == "claim_kind":
            filled.append("claim_kind: quote")
        elif key.strip() in {"claim_date", "date"}:
            filled.append(f"{key}: 2025-04-08")
        elif key.strip() in {"url", "- url"}:
            filled.append(f"{key}: https://example.org/filled")
        elif key.strip() == "role":
            continue
        else:
            filled.append(f"{key}: Filled in.")
    filled_text = "\n".join(filled).replace("analysis: |\n  TODO", "analysis: |\n  Filled")
    filled_text = "\n".join(line for line in filled_text.splitlines() if "what could not be confirmed" not in line)
    path.write_text(filled_text + "\n", encoding="utf-8")
    check = project.cli("check", "--skip-history")
    assert check.returncode == 0, check.stderr


def test_new_offers_the_claimants_ids(project):
    result = project.cli("new", "China sent troops", "--claimant", "lin-jain")
    assert result.returncode == 1 and not list((project.root / "claims").iterdir())
    assert "--claimant: 'lin-jain' is not in data/claimants.yaml. Hint: did you mean lin-jian?" in result.stderr
    assert "volodymyr-zelensky" in result.stderr


def test_a_claim_like_one_checked_already_is_flagged_by_new_and_by_check_of_the_file(project):
    project.write("first.yaml", claim_yaml("first"))
    result = project.cli("new", "Our military has captured two Chinese citizens!", "--claimant", "lin-jian")
    assert result.returncode == 0
    warning = (
        "looks like the claim in claims/first.yaml (100% of words shared). Hint: if it is the same claim, update "
        "that fact-check instead"
    )
    assert result.stderr == f"warning: this claim {warning}\n"
    project.write("again.yaml", claim_yaml("again"))
    result = project.cli("check", "claims/again.yaml")
    assert result.returncode == 0
    assert result.stderr == f"warning: claims/again.yaml:2: claim: {warning}\n"


def test_serve_rebuild_after_an_edit_renders_only_that_claim(project, monkeypatch):
    """As `mkdocs serve --dirty` does: rebuild in the same process; the edit shows, other pages are untouched."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project.write("first.yaml", claim_yaml("first"))
    project.write("second.yaml", claim_yaml("second"))
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    build(load_config("mkdocs.yml"))
    site = project.root / "site" / "claims"
    untouched = (site / "first" / "index.html").stat().st_mtime_ns
    project.write("second.yaml", claim_yaml("second", summary="A summary written after the first build."))
    build(load_config("mkdocs.yml"), dirty=True)
    assert "A summary written after the first build." in Page.load(site / "second" / "index.html").text
    assert (site / "first" / "index.html").stat().st_mtime_ns == untouched


def test_serve_dirty_rebuilds_show_an_edit_a_new_claim_and_a_deleted_one(project, monkeypatch):
    """As `mkdocs serve --dirty` runs: one process, serve's startup event, a rebuild after each save. Unchanged
    generated pages are left out of those rebuilds; what changed must still show everywhere: the claim's page, the
    listing, the search index, the preview image; a new claim appears, a deleted one disappears (its image too);
    and a hand-written page rebuilt for a changed snippet (the corrections log) still links to claim
    pages by their addresses."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from factcheck.render import LATEST_LIMIT

    monkeypatch.chdir(project.root)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    for name in ("first", "second", "third"):
        project.write(f"{name}.yaml", claim_yaml(name, claim=f'"The {name} claim, as first published."'))
    correction = "\n  - date: 2025-06-02\n    kind: correction\n    note: A date was wrong."
    for number in range(LATEST_LIMIT):  # newer: an edit of the three above changes no snippet of a hand-written page
        text, changes = f'"Newer claim number {number}."', {"updated": "2025-06-02", "updates": correction}
        project.write(
            f"newer-{number}.yaml",
            claim_yaml(f"newer-{number}", claim=text, published="2025-06-01", **(changes if number == 0 else {})),
        )
    site = project.root / "site"
    config = load_config("mkdocs.yml")
    config.plugins.on_startup(command="serve", dirty=True)

    def rebuild() -> tuple[str, dict[str, str]]:
        build(load_config("mkdocs.yml"), serve_url="http://127.0.0.1:8000/", dirty=True)
        index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        return Page.load(site / "claims" / "index.html").text, {doc["location"]: doc["text"] for doc in index["docs"]}

    images = site / "claims" / "previews"
    try:
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        home = (site / "index.html").stat().st_mtime_ns
        drawn = (images / "second.png").read_bytes()
        project.write("second.yaml", claim_yaml("second", claim='"The second claim, edited."'))
        listing, search = rebuild()
        assert (images / "second.png").read_bytes() != drawn  # the image shows the claim: drawn again, linked in
        assert "The second claim, edited." in Page.load(site / "claims" / "second" / "index.html").text
        assert "The second claim, edited." in listing and "as first published" not in search["claims/second/"]
        assert "The second claim, edited." in search["claims/second/"]
        assert (site / "index.html").stat().st_mtime_ns == home  # no hand-written page was rebuilt

        project.write("fourth.yaml", claim_yaml("fourth", claim='"The fourth claim, new."'))
        (project.root / "claims" / "third.yaml").unlink()
        listing, search = rebuild()
        assert "The fourth claim, new." in Page.load(site / "claims" / "fourth" / "index.html").text
        assert "The fourth claim, new." in listing and "claims/fourth/" in search
        assert not (site / "claims" / "third").exists()
        assert (images / "fourth.png").is_file() and not (images / "third.png").exists()
        assert "The third claim" not in listing and "claims/third/" not in search

        correction = "\n  - date: 2025-05-02\n    kind: correction\n    note: A name was wrong."
        project.write(
            "first.yaml", claim_yaml("first", claim='"The first claim."', updated="2025-05-02", updates=correction)
        )
        rebuild()
        links = [a.attrs.get("href") for a in Page.load(site / "corrections" / "index.html").find_all("a")]
        assert "../claims/first/#updates" in links and "../claims/newer-0/#updates" in links  # newer-0 unchanged
    finally:
        config.plugins.on_startup(command="build", dirty=False)  # the hook's state is the process's: reset it


def test_many_preview_images_are_drawn_beside_the_build(project):
    """Past 50 new images they are drawn in another process while MkDocs builds; all must reach the site. Built by
    the `mkdocs` command, as `make site` does: the drawing process must find the package on its own."""
    import json
    import os
    import sys

    from factcheck.previews import IN_PROCESS_LIMIT, SITE_CARD

    count = IN_PROCESS_LIMIT + 10
    for index in range(count):
        text = f'"Claim number {index} about something else entirely."'
        project.write(f"claim-{index}.yaml", claim_yaml(f"claim-{index}", claim=text))
    timings = project.root / "timings.json"
    command = [str(Path(sys.executable).with_name("mkdocs")), "build", "--strict"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FACTCHECK_TIMINGS": str(timings)}
    result = subprocess.run(command, cwd=project.root, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "previews_wait" in json.loads(timings.read_text()), "the images were not drawn in the background"
    images = sorted((project.root / "site" / "claims" / "previews").glob("*.png"))
    assert len(images) == count + 1  # and the site's own card
    kept = project.root / ".cache" / "factcheck" / "previews" / "en"  # drawn there, linked into the site
    manifest = json.loads((kept / "manifest.json").read_text())
    assert sorted(manifest) == sorted([SITE_CARD, *(f"claim-{index}" for index in range(count))])
    assert not list(kept.glob(".*"))  # no half-drawn file left
    assert not (project.root / "docs" / "claims" / "previews").exists()  # MkDocs is not given them to list


def test_lists_and_feeds_stop_at_their_limits(project):
    """More claims than a listing page and a feed hold, each corrected once: every list has a second page, both
    feeds hold the newest FEED_LIMIT."""
    import xml.etree.ElementTree as ET

    from factcheck.outputs import FEED_LIMIT
    from factcheck.render import PAGE_SIZE

    count = max(PAGE_SIZE, FEED_LIMIT) + 5
    for index in range(count):
        day = f"2025-06-{1 + index % 28:02d}"
        text = claim_yaml(f"claim-{index}", claim=f'"Claim number {index}."', published="2025-05-01", as_of="")
        text += f"updated: {day}\nupdates:\n  - date: {day}\n    kind: correction\n    note: Fixed {index}.\n"
        project.write(f"claim-{index}.yaml", text)
    assert project.cli("build").returncode == 0
    out = project.root / "docs" / "claims"

    def cards(page: str) -> int:  # the cards listed, not the one the index's script clones from its <template>
        text = re.sub(r"<template.*?</template>", "", (out / page).read_text(encoding="utf-8"), flags=re.DOTALL)
        return text.count('<li class="fc-card"')

    for folder in ("", "topics/foreign-fighters/", "claimants/volodymyr-zelensky/"):
        first = f"{folder.rstrip('/')}.md" if folder else "index.md"
        assert (cards(first), cards(f"{folder}page/2.md")) == (PAGE_SIZE, count - PAGE_SIZE), folder
    assert not (out / "page" / "3.md").exists()
    atom = "{http://www.w3.org/2005/Atom}"
    for feed in ("feed.xml", "corrections.xml"):
        entries = ET.parse(out / feed).getroot().findall(f"{atom}entry")
        assert len(entries) == FEED_LIMIT, feed
    newest = ET.parse(out / "corrections.xml").getroot().findall(f"{atom}entry")[0]
    assert newest.find(f"{atom}updated").text.startswith("2025-06-28")


def test_links_to_a_claim_pages_anchors_are_checked_against_the_page_as_built(project):
    """A finished page's HTML is read again only when it is written (see the hook): links to its parts are still
    checked, and a link to a part it lacks fails the strict build."""
    project.write("sample-claim.yaml", claim_yaml())
    about = project.root / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[Found](claims/sample-claim.md#what-we-found)\n")
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    about.write_text(about.read_text(encoding="utf-8") + "\n[Nowhere](claims/sample-claim.md#data-id-only)\n")
    result = project.mkdocs_build()
    assert result.returncode != 0 and "data-id-only" in result.stderr


def test_each_claim_pages_header_shows_its_own_title(project):
    """The theme's header is drawn once for all fact-check pages of a language (see the hook), each with its own
    title in it."""
    project.write("sample-claim.yaml", claim_yaml())
    project.write("other-claim.yaml", claim_yaml("other-claim", title='"A <b>different</b> headline & more"'))
    assert project.mkdocs_build().returncode == 0
    for claim_id, title in (("sample-claim", "Our military has captured two Chinese citizens."),
                            ("other-claim", "A <b>different</b> headline & more")):  # fmt: skip
        built = (project.root / f"site/claims/{claim_id}/index.html").read_text(encoding="utf-8")
        topics = re.findall(r'data-md-component="header-topic">\s*<span class="md-ellipsis">([^<]*)</span>', built)
        assert [html.unescape(topic.strip()) for topic in topics] == [title], claim_id
        assert not Page.load(project.root / f"site/claims/{claim_id}/index.html").find_all("b")
