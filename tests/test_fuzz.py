"""Property-based tests of the loader and the renderer with generated and mutated claim files (Hypothesis).

For every input: no exception escapes `check`, every problem names the file, and every accepted file renders into a
page whose HTML holds nothing live from the data, whether MkDocs reads the page's front matter and passes its
finished HTML through (the hook) or renders the whole page as Markdown (any engine without the hook). The longer
campaign with full MkDocs builds is scripts/fuzz.py.
"""

from __future__ import annotations

import datetime as dt
import gzip
import random

import markdown
import pytest
from conftest import Project, claim_yaml
from fuzzing import EVALUATED, MARKER, PAYLOADS, mutate, quoted
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data
from pages import Page, live_payloads

from factcheck.catalogue import Catalogue
from factcheck.outputs import claim_reviews_of, data_files
from factcheck.pipeline import read_data
from factcheck.render import render_site
from factcheck.site import load_site

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
EXTENSIONS = ["attr_list", "admonition", "tables", "toc", "md_in_html"]  # the site's, and the riskiest others


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(tmp_path_factory.mktemp("fuzz") / "project")


def check_and_render(project: Project, text: str | bytes) -> None:
    path = project.root / "claims" / "sample-claim.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    site = load_site(project.root / "mkdocs.yml")
    data = read_data(site)
    loaded = data.load([path], today=dt.date(2026, 1, 1))  # as `check` reads a file; must not raise
    assert all(problem.path.endswith("claims/sample-claim.yaml") for problem in loaded.problems), loaded.problems
    if loaded.problems:
        return
    catalogue = Catalogue(
        site=site, scale=data.scale, claims=loaded.claims, topic_labels=data.topics, registry=data.claimants
    )
    reviews = claim_reviews_of(catalogue)
    files = dict(render_site(catalogue, reviews)) | dict(data_files(catalogue, reviews))
    assert_inert(files["sample-claim.md"])
    for name in ("index.md", "index.json", "claims.json.gz", "claims.csv", "feed.xml"):
        content = files[name]
        text = gzip.decompress(content) if name.endswith(".gz") else content
        assert EVALUATED not in (text.decode("utf-8") if isinstance(text, bytes) else text), name


def assert_inert(page_source: str) -> None:
    body, meta = get_data(page_source)
    assert meta.get("body") == "html" and meta.get("claim_id") == "sample-claim", "the front matter was dropped"
    for html in (body, markdown.markdown(body, extensions=EXTENSIONS)):
        page = Page()
        page.feed(html)
        page.close()
        assert live_payloads(page, MARKER) == [], html
        assert EVALUATED not in html and "factcheck/mkdocs_hook.py" not in html


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_mutated_claim_files_never_crash_and_never_go_live(fuzz_project, rng: random.Random):
    check_and_render(fuzz_project, mutate(rng))


@SETTINGS
@given(
    field=st.sampled_from(["title", "claim", "summary", "analysis", "name"]),
    text=st.text(alphabet=st.characters(codec=None), min_size=1, max_size=200) | st.sampled_from(PAYLOADS),
)
def test_any_text_in_any_field_is_refused_clearly_or_stays_text(fuzz_project, field: str, text: str):
    source = (
        claim_yaml().replace("name: Volodymyr Zelensky", f"name: {quoted(text)}")
        if field == "name"
        else claim_yaml(**{field: quoted(text)})
    )
    check_and_render(fuzz_project, source)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_are_refused_clearly(fuzz_project, data: bytes):
    check_and_render(fuzz_project, data)


def test_the_generators_reach_the_site(fuzz_project):
    """The properties above mean something only if mutated files are often accepted: at least a fifth here."""
    rng = random.Random(1)
    accepted = 0
    for _ in range(100):
        path = fuzz_project.root / "claims" / "sample-claim.yaml"
        path.write_text(mutate(rng), encoding="utf-8", errors="surrogatepass")
        data = read_data(load_site(fuzz_project.root / "mkdocs.yml"))
        accepted += not data.load([path], today=dt.date(2026, 1, 1)).problems
    assert accepted >= 20
