"""Translations: each claim readable in the site's other languages, checked against its original, and honest about
being a translation (machine-made, unreviewed, or older than the original)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import Project, claim_yaml, differences
from PIL import Image

from factcheck import previews
from factcheck.language import Language
from factcheck.load import parse_yaml
from factcheck.model import Claim, LanguagePack, text_version

ORIGINAL = claim_yaml(title="Did Ukraine capture two Chinese citizens?", claim_kind="quote")


def translation(project: Project, claim_id: str = "sample-claim", **replace: str) -> str:
    """A valid Chinese translation of the project's claim file `claim_id`, made from its current text."""
    data, _ = parse_yaml(project.root / "claims" / f"{claim_id}.yaml")
    values = {
        "original_version": f'"{text_version(Claim.model_validate(data))}"',
        "machine_translated": "true",
        "title": "乌克兰是否俘虏了两名中国公民？",
        "claim": "我们的军队俘虏了两名中国公民。",
        "claimant_role": "乌克兰总统",
        "summary": "多个独立来源证实了俘虏一事。",
        "analysis": "|\n  ## 声称的内容\n\n  带有[链接](https://example.org/x)的文字。",
    }
    values.update(replace)
    return "".join(f"{key}: {value}\n" for key, value in values.items() if value)


def build(project: Project):
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    return project.root / "site"


def test_a_translated_claim_has_its_own_page_in_its_language(project):
    project.write("sample-claim.yaml", ORIGINAL)
    project.write("sample-claim.zh.yaml", translation(project))
    site = build(project)
    page = (site / "zh" / "claims" / "sample-claim" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in page
    assert "乌克兰是否俘虏了两名中国公民？" in page and "多个独立来源证实了俘虏一事。" in page
    # The quote is marked as a translation, with the words as published beside it.
    assert '<q lang="en">Our military has captured two Chinese citizens.</q>' in page
    # Facts come from the original: the verdict (its label in Chinese, in the badge and on the scale), the sources.
    assert '<span class="fc-badge fc-badge--true">属实</span>' in page and 'href="https://example.org/report"' in page
    assert '<li id="source-1"><span lang="en">' in page  # cited as published: in English, marked so
    assert '<figcaption id="verdict-scale">“属实”' in page
    # The language menu leads to the same claim in English, and the English page back to this one.
    assert re.search(r'<a href="[./]*claims/sample-claim/" hreflang="en" lang="en">English</a>', page)
    english = (site / "claims" / "sample-claim" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="[./]*zh/claims/sample-claim/" hreflang="zh" lang="zh">', english)
    # Its navigation is the Chinese one, though fact-check pages share the markup the theme drew for the first.
    assert re.search(r'class="md-tabs__link">\s*首页', page) and "全部事实核查" in page
    assert "All fact-checks" in english and "全部事实核查" not in english
    # Search engines learn the versions from the sitemap; ClaimReview says the page's language.
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert 'hreflang="zh" href="http://127.0.0.1:8000/zh/claims/sample-claim/"' in sitemap
    reviews = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)]
    assert reviews[0]["inLanguage"] == "zh" and reviews[0]["url"].endswith("/zh/claims/sample-claim/")
    # The link preview is the image drawn in Chinese.
    assert '<meta property="og:image" content="http://127.0.0.1:8000/zh/claims/previews/sample-claim.png">' in page
    assert (site / "zh" / "claims" / "previews" / "sample-claim.png").is_file()
    # A machine translation says so, in the reader's language.
    pack = LanguagePack.model_validate(parse_yaml(project.root / "data" / "languages" / "zh.yaml")[0])
    notice = pack.interface.get("This is a machine translation from English that no one has reviewed yet.")
    assert notice and notice in page
    # The Chinese search index has the claim, cut into words.
    index = json.loads((site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    entry = next(doc for doc in index["docs"] if doc["location"] == "zh/claims/sample-claim/")
    assert "俘虏" in entry["text"].split("\u200b")
    assert all(doc["location"].startswith("zh/") for doc in index["docs"])


def test_a_claim_without_a_translation_is_listed_in_english_and_has_no_translated_page(project):
    project.write("sample-claim.yaml", ORIGINAL)
    project.write("other-claim.yaml", claim_yaml("other-claim", claim='"The second claim, not translated."'))
    project.write("sample-claim.zh.yaml", translation(project))
    site = build(project)
    assert not (site / "zh" / "claims" / "other-claim").exists()
    index = (site / "zh" / "claims" / "index.html").read_text(encoding="utf-8")
    card = re.search(r'<a class="fc-card__title" href="([^"]+)" lang="en" hreflang="en">The second claim', index)
    assert card and card[1].endswith("/claims/other-claim/") and "/zh/" not in card[1]
    assert "fc-card__original" in index
    rows = json.loads((site / "zh" / "claims" / "index.json").read_text(encoding="utf-8"))
    assert {row[0]: row[11] for row in rows}["other-claim"] == "/claims/other-claim/"


def test_an_original_edited_after_its_translation_is_flagged_by_check_and_on_the_page(project):
    project.write("sample-claim.yaml", ORIGINAL)
    project.write("sample-claim.zh.yaml", translation(project))
    assert "changed since" not in project.cli("check", "--skip-history").stderr
    edited = claim_yaml(
        title="Did Ukraine capture two Chinese citizens?", claim_kind="quote", updated="2025-05-03",
        summary="The capture was confirmed by three independent sources.",
    )  # fmt: skip
    project.write("sample-claim.yaml", edited)
    result = project.cli("check", "--skip-history")
    assert result.returncode == 0, result.stderr  # a warning: the site still builds
    version = text_version(Claim.model_validate(parse_yaml(project.root / "claims" / "sample-claim.yaml")[0]))
    assert (
        "warning: claims/sample-claim.zh.yaml:1: original_version: claims/sample-claim.yaml has changed since this "
        f"translation was made (its text is now version {version}). Hint: update the translation to match, then set "
        f"original_version: {version}"
    ) in result.stderr
    page = (build(project) / "zh" / "claims" / "sample-claim" / "index.html").read_text(encoding="utf-8")
    assert "fc-translation__outdated" in page and '<time datetime="2025-05-03">' in page
    assert 'href="/claims/sample-claim/" hreflang="en"' in page


def test_a_rebuild_flags_a_translation_once_its_original_is_edited(project):
    """`mkdocs serve` keeps what it made from each translated claim while the claim, its translation and its
    original are unchanged: an edit of the original alone must still mark the translation outdated in the export."""
    import gzip

    from factcheck import pipeline, reuse
    from factcheck.site import load_site

    project.write("sample-claim.yaml", ORIGINAL)
    project.write("sample-claim.zh.yaml", translation(project))
    site = load_site(project.root / "mkdocs.yml")
    export = project.root / "docs" / "zh" / "claims" / "claims.json.gz"

    def outdated() -> bool:
        pipeline.build(site, rebuilds=True)
        return json.loads(gzip.decompress(export.read_bytes()))["claims"][0]["translation_outdated"]

    try:
        assert outdated() is False
        project.write("sample-claim.yaml", ORIGINAL.replace("summary: ", "summary: Edited. ", 1))
        assert outdated() is True
    finally:
        reuse.forget()


def test_translation_problems_are_all_reported_with_their_lines(project):
    project.write("sample-claim.yaml", ORIGINAL)
    project.write("sample-claim.fr.yaml", translation(project))
    project.write("nothing.zh.yaml", translation(project))
    project.write("sample-claim.uk.yaml", translation(project, verdict='"false"', summary=""))
    result = project.cli("check", "--skip-history")
    assert result.returncode == 1
    assert (
        "claims/sample-claim.fr.yaml: 'fr' is not a language of this site. Hint: name it <id>.<language>.yaml with a "
        "language of data/languages/ (ru, uk, zh)"
    ) in result.stderr
    assert "claims/nothing.zh.yaml: no claim has the id 'nothing'." in result.stderr
    assert "claims/sample-claim.uk.yaml:1: summary: required key is missing" in result.stderr
    assert "claims/sample-claim.uk.yaml:10: verdict: unknown key." in result.stderr
    assert project.mkdocs_build().returncode != 0  # and nothing is built


def test_a_translation_must_translate_every_part_and_the_analysis(project):
    project.write("sample-claim.yaml", ORIGINAL)
    project.write("sample-claim.ru.yaml", translation(project, analysis=""))
    result = project.cli("check", "--skip-history")
    assert "claims/sample-claim.ru.yaml:1: analysis: the original has an analysis: translate it too" in result.stderr


def test_translate_scaffolds_a_translation_that_check_refuses_until_written(project):
    project.write("sample-claim.yaml", ORIGINAL)
    result = project.cli("translate", "sample-claim", "uk")
    assert result.returncode == 0 and result.stdout.strip() == "claims/sample-claim.uk.yaml"
    text = (project.root / "claims" / "sample-claim.uk.yaml").read_text(encoding="utf-8")
    assert "# Our military has captured two Chinese citizens." in text
    check = project.cli("check", "--skip-history")
    assert "claims/sample-claim.uk.yaml:9: title: placeholder not filled in: 'TODO'" in check.stderr
    assert project.cli("translate", "sample-claim", "fr").returncode == 1


@pytest.mark.parametrize("code", ["zh", "uk", "ru"])
def test_every_interface_word_is_translated(code):
    from factcheck.render import interface_words
    from factcheck.site import ROOT

    pack = LanguagePack.model_validate(parse_yaml(ROOT / "data" / "languages" / f"{code}.yaml")[0])
    assert sorted(set(interface_words()) - set(pack.interface)) == []
    assert sorted(set(pack.interface) - set(interface_words())) == []
    for english, words in pack.interface.items():
        assert sorted(re.findall(r"\{\w+\}", english)) == sorted(re.findall(r"\{\w+\}", words)), english


def test_a_chinese_preview_image_draws_the_characters_not_boxes(tmp_path):
    """Characters the font lacks are drawn as the same empty box: the text drawn must differ from that."""

    def dark_pixels(text: str) -> bytes:
        spec = {"v": "t", "site": "Site", "claim": text, "claimant": "林", "date": "2025年4月9日",
                "label": "属实", "verdict": "结论：", "colour": "#1b5e20"}  # fmt: skip
        path = tmp_path / "image.png"
        previews._draw((str(path), spec))
        image = Image.open(path).convert("L").crop((40, 66, 760, 120))
        return bytes(1 if value < 100 else 0 for value in image.tobytes())

    chinese, boxes = dark_pixels("中国公民被俘虏"), dark_pixels("\ue000" * 7)
    assert sum(chinese) > 400  # ink where the text is
    assert chinese != boxes


def test_dates_are_written_as_each_language_writes_them():
    import datetime as dt

    day = dt.date(2025, 4, 9)
    pack = LanguagePack(name="x", machine_translated=True)
    assert Language("zh", "中文", pack).date(day) == "2025年4月9日"
    # Babel (CLDR) puts a narrow no-break space before the abbreviation of "year"
    assert Language("uk", "Українська", pack).date(day) == "9 квітня 2025\u202fр."
    assert Language("en", "English").date(day) == "9 April 2025"


def test_hostile_text_in_a_translation_stays_inert(project):
    from pages import Page, live_payloads

    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> {{ 7 * 7 }} --8<-- \\\"mkdocs.yml\\\""
    project.write("sample-claim.yaml", ORIGINAL)
    project.write(
        "sample-claim.zh.yaml",
        translation(
            project, title=f'"{hostile}"', claim=f'"{hostile}"', claimant_role=f'"{hostile}"', summary=f'"{hostile}"',
            analysis=f'|\n  ## <script>alert(2)</script>\n\n  [x](javascript:alert(3)) {hostile.replace(chr(92), "")}',
        ),
    )  # fmt: skip
    site = build(project)
    for path in ("zh/claims/sample-claim/index.html", "zh/claims/index.html", "zh/index.html"):
        page = Page.load(site / path)
        assert live_payloads(page) == [], path
    text = (site / "zh" / "claims" / "sample-claim" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7 * 7 }}" in text  # shown as written: no template ran it


def test_a_language_file_must_be_named_after_a_language_the_theme_has(project):
    (project.root / "data" / "languages" / "xx.yaml").write_text("name: X\nmachine_translated: true\n", "utf-8")
    (project.root / "data" / "languages" / "zh.yaml").write_text("name: 中文\nmachine_translated: maybe\n", "utf-8")
    project.write("sample-claim.yaml", ORIGINAL)
    result = project.cli("check", "--skip-history")
    assert result.returncode == 1
    assert "data/languages/xx.yaml: 'xx' is not a language code." in result.stderr
    assert "data/languages/zh.yaml:2: machine_translated: input should be a valid boolean" in result.stderr


def test_a_one_off_build_and_a_preview_build_write_the_same_files(tmp_path):
    """A one-off build (`mkdocs build`) writes each file as it is made and keeps nothing; a preview's build keeps
    pages and pieces for the next one: two ways to the same generated folders, in every language."""
    from factcheck import pipeline, reuse
    from factcheck.site import load_site

    built = []
    for rebuilds in (False, True):
        project = Project(tmp_path / f"rebuilds-{rebuilds}")
        project.write("sample-claim.yaml", ORIGINAL)
        project.write("sample-claim.zh.yaml", translation(project))
        project.write("second.yaml", claim_yaml("second", aliases="[old-second]"))
        try:
            pipeline.build(load_site(project.root / "mkdocs.yml"), rebuilds=rebuilds)
        finally:
            reuse.forget()
        built.append(project.root / "docs")
    assert (built[0] / "zh" / "claims" / "sample-claim.md").exists()
    assert differences(*built) == []
