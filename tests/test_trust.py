"""What exactly was claimed and by whom: quotes and paraphrases, parts, partial dates, the claimant registry."""

from __future__ import annotations

from conftest import claim_yaml
from pages import Page

PARTS = """\
parts:
  - statement: Ukraine captured two Chinese citizens.
    verdict: "true"
    explanation: Confirmed by several sources.
  - statement: They were part of a larger group.
    verdict: unproven
    explanation: No evidence was published.
"""


def test_a_paraphrase_is_labelled_and_only_a_quote_is_in_quotation_marks(project):
    project.write("quoted.yaml", claim_yaml("quoted", claim_kind="quote"))
    paraphrase = claim_yaml("reported", claim='"Ukraine caught two men."', claim_kind="paraphrase")
    project.write("reported.yaml", paraphrase + "reported_by: Reuters\n")
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    quoted = Page.load(project.root / "site/claims/quoted/index.html")
    assert [b.text.strip() for b in quoted.find_all("blockquote")] == [
        "Our military has captured two Chinese citizens."
    ]
    reported = Page.load(project.root / "site/claims/reported/index.html")
    assert reported.find_all("blockquote") == []
    [label] = reported.find_all("p", **{"class": "fc-claim-kind"})
    assert label.text == "Paraphrase, as reported by Reuters (not the claimant’s own words):"
    assert [p.text for p in reported.find_all("p", **{"class": "fc-paraphrase"})] == ["Ukraine caught two men."]
    assert "“Ukraine caught two men" not in reported.text


def test_a_quote_names_no_reporter(project, capsys):
    project.write("sample-claim.yaml", claim_yaml(claim_kind="quote") + "reported_by: Reuters\n")
    result = project.cli("check", "--skip-history")
    assert result.returncode == 1
    assert "claims/sample-claim.yaml:26: reported_by: only a paraphrase names who reported it" in result.stderr


def test_parts_are_shown_in_order_and_each_is_a_claim_review(project):
    project.write("sample-claim.yaml", claim_yaml(claim_kind="quote", verdict='"mixed"') + PARTS)
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    page = Page.load(project.root / "site/claims/sample-claim/index.html")
    items = [li for li in page.find_all("li") if li.attrs.get("id", "").startswith("part-")]
    assert [li.attrs["id"] for li in items] == ["part-1", "part-2"]
    assert items[0].text.startswith("Ukraine captured two Chinese citizens. True")
    assert items[1].text.startswith("They were part of a larger group. Unproven")
    assert "No evidence was published." in items[1].text
    reviews = page.jsonld()
    assert [r["claimReviewed"] for r in reviews] == [
        "Our military has captured two Chinese citizens.",
        "Ukraine captured two Chinese citizens.",
        "They were part of a larger group.",
    ]
    assert [r["reviewRating"]["alternateName"] for r in reviews] == ["Mixed", "True", "Unproven"]
    assert reviews[2]["url"].endswith("/claims/sample-claim/#part-2")


def test_check_warns_when_the_overall_verdict_contradicts_the_parts(project):
    project.write("sample-claim.yaml", claim_yaml(verdict='"true"') + PARTS)
    result = project.cli("check", "--skip-history")
    assert result.returncode == 0  # a warning: the editor decides
    assert (
        "warning: claims/sample-claim.yaml:11: verdict: the overall verdict 'true' does not follow from the parts "
        "(rated 'unproven')"
    ) in result.stderr
    project.write("sample-claim.yaml", claim_yaml(verdict='"mixed"') + PARTS)
    assert "warning" not in project.cli("check", "--skip-history").stderr
    project.write("sample-claim.yaml", claim_yaml(verdict='"nonsense"') + PARTS.replace("unproven", "unprovn"))
    result = project.cli("check", "--skip-history")
    assert "claims/sample-claim.yaml:11: verdict: expected one of" in result.stderr
    assert "claims/sample-claim.yaml:30: parts[1].verdict: expected one of" in result.stderr
    assert "Hint: did you mean 'unproven'?" in result.stderr


def test_month_and_year_dates_are_shown_as_such_and_sort(project):
    project.write("older.yaml", claim_yaml("older", claim_date="2025"))
    text = claim_yaml("newer", claim_date="2025-03").replace("    date: 2025-04-09", "    date: 2025-04")
    project.write("newer.yaml", text)
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    newer = Page.load(project.root / "site/claims/newer/index.html")
    assert "Volodymyr Zelensky, President of Ukraine, March 2025" in newer.text
    assert "Example News, “Report”, April 2025." in newer.text
    assert newer.find_all("time", datetime="2025-03")
    assert newer.jsonld()[0]["itemReviewed"]["datePublished"] == "2025-03"
    timeline = Page.load(project.root / "site/claims/timeline/index.html")
    assert timeline.text.index("2025") < timeline.text.index("March 2025")
    listing = Page.load(project.root / "site/claims/index.html")
    titles = [a.text for a in listing.find_all("a") if "fc-card__title" in a.attrs.get("class", "")]
    assert titles == ["Our military has captured two Chinese citizens."] * 2
    assert listing.text.index("said March 2025") < listing.text.index("said 2025")  # newest claim first


def test_a_date_is_never_half_written(project):
    project.write("sample-claim.yaml", claim_yaml(claim_date="2025-13", published="2025-05"))
    result = project.cli("check", "--skip-history")
    assert "claim_date: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got '2025-13'" in result.stderr
    assert "published: expected a date as YYYY-MM-DD, got '2025-05'" in result.stderr


def test_an_unknown_claimant_id_is_named_with_a_hint(project):
    project.write("sample-claim.yaml", claim_yaml().replace("volodymyr-zelensky", "volodymyr-zelenski"))
    result = project.cli("check", "--skip-history")
    assert result.returncode == 1
    assert (
        "claims/sample-claim.yaml:3: claimant: 'volodymyr-zelenski' is not a claimant in data/claimants.yaml. "
        "Hint: did you mean 'volodymyr-zelensky'?"
    ) in result.stderr
    old_format = claim_yaml().replace("  id: volodymyr-zelensky", "  name: Volodymyr Zelensky")
    project.write("sample-claim.yaml", old_format)
    result = project.cli("check", "--skip-history")
    assert "claims/sample-claim.yaml:4: claimant.name: unknown key. Allowed keys: id, role." in result.stderr


def test_claimant_pages_come_from_the_registry(project):
    project.write("first.yaml", claim_yaml("first", verdict='"false"'))
    project.write("second.yaml", claim_yaml("second", claim='"Something else entirely."'))
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    page = Page.load(project.root / "site/claims/claimants/volodymyr-zelensky/index.html")
    assert page.find_all("h1")[0].text == "Claims by Volodymyr Zelensky"
    assert "President of Ukraine." in page.find_all("p", **{"class": "fc-listing__intro"})[0].text
    assert page.find_all("h2", id="scorecard")  # the verdict tally
    assert "True 1" in page.text and "False 1" in page.text
    index = Page.load(project.root / "site/claims/claimants/index.html")
    assert "Volodymyr Zelensky (President of Ukraine.) 2" in index.text
    claim = Page.load(project.root / "site/claims/first/index.html")
    assert claim.jsonld()[0]["itemReviewed"]["author"] == {
        "@type": "Person", "name": "Volodymyr Zelensky", "jobTitle": "President of Ukraine"
    }  # fmt: skip


def test_bylines_name_who_wrote_and_edited_on_the_page_and_in_claimreview(project):
    (project.root / "data" / "people.yaml").write_text(
        "sam-writer:\n  name: <b>Sam</b> Writer\n  role: Fact-checker\n  url: https://example.org/sam\n"
        "kim-editor:\n  name: Kim Editor\n",
        encoding="utf-8",
    )
    project.write("sample-claim.yaml", claim_yaml(author="sam-writer", editor="kim-editor"))
    assert project.mkdocs_build().returncode == 0
    page = Page.load(project.root / "site" / "claims" / "sample-claim" / "index.html")
    byline = [p for p in page.find_all("p") if "fc-byline" in p.attrs.get("class", "")]
    assert [" ".join(p.text.split()) for p in byline] == [
        "Written by <b>Sam</b> Writer, Fact-checker · Edited by Kim Editor"
    ]
    assert [e.attrs["href"] for e in page.find_all("a", rel="author")] == ["https://example.org/sam"]
    review = page.jsonld()[0]
    assert review["author"]["@type"] == "Organization"  # the publisher reviews the claim
    assert review["contributor"] == {"@type": "Person", "name": "<b>Sam</b> Writer", "url": "https://example.org/sam"}
    assert review["editor"] == {"@type": "Person", "name": "Kim Editor"}


def test_an_unknown_person_is_named_with_a_hint(project):
    (project.root / "data" / "people.yaml").write_text("sam-writer:\n  name: Sam Writer\n", encoding="utf-8")
    project.write("sample-claim.yaml", claim_yaml(author="sam-writr"))
    result = project.cli("check", "--skip-history")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "claims/sample-claim.yaml:25: author: 'sam-writr' is not a person in data/people.yaml. "
        "Hint: did you mean 'sam-writer'?"
    )
