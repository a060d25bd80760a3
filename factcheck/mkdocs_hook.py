"""The MkDocs side, kept thin: build the claims before every MkDocs build, and watch them while serving.

Everything else is in the engine-independent pipeline, whose output is plain Markdown that Zensical (which
reads mkdocs.yml) can render too. What this hook keeps belongs to one build (`_Build`, made anew by every
on_pre_build); the caches that let `mkdocs serve` rebuild quickly are in factcheck/reuse.py, keyed on content.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure import nav as navigation
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from watchdog import events as file_events
from watchdog.observers import Observer

from factcheck import outputs, pipeline, previews, render
from factcheck.language import Language
from factcheck.site import SettingsError, site_from_config
from factcheck.write import UnsafeOutput

log = logging.getLogger("mkdocs.hooks.factcheck")


@dataclass
class _Build:
    """What one MkDocs build needs from the pipeline's run before it."""

    result: pipeline.BuildResult | None = None
    problems: str = ""  # why the claims could not be built (shown by the preview server instead of the pages)
    source_date_epoch: str | None = None  # the process's own value, given back after the build
    after_complete_build: bool = False  # the build before, in this process and into the same folder, ran to its end
    languages: dict[str, Language] = field(default_factory=dict)  # code -> language, the original first
    versions: dict[str, dict[str, File]] = field(default_factory=dict)  # page address, minus /<code>/ -> code -> page
    version_lists: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # see version_list
    navs: dict[str, navigation.Navigation] = field(default_factory=dict)  # each translation's own navigation
    same_on_claim_pages: dict[tuple[str, str, int], tuple[str, str]] = field(default_factory=dict)  # _drawn_once
    finished: dict[str, int] = field(default_factory=dict)  # a finished page's address -> its HTML's length

    def language_of(self, src_uri: str) -> Language | None:
        """A page's language, from its address: /zh/... is Chinese, anything else the original."""
        code = src_uri.split("/", 1)[0]
        if code in self.languages and not self.languages[code].is_original:
            return self.languages[code]
        return next(iter(self.languages.values()), None)

    def version_list(self, neutral: str) -> list[dict[str, str]]:
        """A page's versions as the theme shows them, in the languages' order: one list for all of them (40,000
        pages' own lists were 40 MB)."""
        if neutral not in self.version_lists:
            versions = self.versions.get(neutral, {})
            self.version_lists[neutral] = [
                {"code": code, "name": language.name, "url": versions[code].url}
                for code, language in self.languages.items()
                if code in versions
            ]
        return self.version_lists[neutral]

    def neutral(self, src_uri: str) -> str:
        """A page's address without its language: the same for every language's version of the page."""
        language = self.language_of(src_uri)
        return src_uri.removeprefix(language.prefix) if language else src_uri


_build = _Build()
_serving = _serving_dirty = False
_last_complete_build: tuple[str, str] | None = None  # (docs_dir, site_dir) of the last build that ran to its end


def on_startup(command: str, dirty: bool = False, **_) -> None:
    global _serving, _serving_dirty, _last_complete_build
    _serving, _last_complete_build = command == "serve", None
    _serving_dirty = _serving and dirty  # `mkdocs serve --dirty`: the served folder is kept between builds


def on_pre_build(config, **_) -> None:
    global _build, _last_complete_build
    after_complete_build = _last_complete_build == (config["docs_dir"], config["site_dir"])
    _build = _Build(source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"), after_complete_build=after_complete_build)
    _last_complete_build = None
    try:
        result = pipeline.build(site_from_config(config), background_previews=True, rebuilds=_serving)
    except (UnsafeOutput, SettingsError) as error:
        raise PluginError(str(error)) from None
    except pipeline.InvalidClaims as error:
        if not _serving:
            raise PluginError(str(error)) from None
        # The preview must not hang waiting for a build that failed: build the last good pages, show the problems.
        log.error("factcheck: %s", error)
        _build.problems = str(error)
        return
    _build.result = result
    _build.languages = {language.code: language for language in result.languages}
    log.info("factcheck: %d claims (%s)", result.claims, result.report)
    _report_timings(result.timings)
    if not _serving:
        _give_back_freed_memory()
    # The sitemap's .gz is stamped with the build time unless this is set: use the newest content date instead.
    if _build.source_date_epoch is None:
        os.environ["SOURCE_DATE_EPOCH"] = str(result.newest_timestamp)


def _give_back_freed_memory() -> None:
    """The pipeline frees each language's pages and pieces once they are written, but the C library keeps the
    memory for the process, and MkDocs, which then reads every page, reused little of it: at 40,000 pages its part
    of the build reached 1.10 GB without this and 1.0 GB with it. glibc gives it back when asked; other C libraries
    give it back themselves or lack the call."""
    with contextlib.suppress(AttributeError, OSError, TypeError):
        ctypes.CDLL(None).malloc_trim(0)


class _CompiledTemplates(BytecodeCache):
    """The theme's templates, compiled, for the next build in this process (`mkdocs serve`): MkDocs makes a new
    template environment for every build, and compiling the theme again took a third of a second. Jinja checks each
    stored template against a checksum of its source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if compiled := self.compiled.get(bucket.key):
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_compiled_templates = _CompiledTemplates()
_theme_files: dict[tuple[object, ...], list[str]] = {}  # see _theme_environment


@event_priority(100)  # before the search plugin's on_config, which asks the theme for its templates
def on_config(config, **_):
    if _serving:
        config.theme.get_env = functools.partial(_theme_environment, config.theme, config.theme.get_env)
    return config


def _theme_environment(theme, get_env: Callable[[], Environment]) -> Environment:
    """MkDocs makes the theme's template environment anew for every build, and the search plugin one more: with
    the first it lists and filters every file of the theme (14,500 with Material's icons) to find those it copies,
    with the second it compiles a partial again; a tenth of a preview rebuild at 10,000 claims. While serving,
    both get the templates compiled before (each checked against its source), and the list of the theme's files
    is kept while the theme's folders, the custom folder's files and the filter are the same."""
    env = get_env()
    env.bytecode_cache = _compiled_templates
    custom = sorted(map(str, Path(theme.custom_dir).rglob("*"))) if theme.custom_dir else []
    list_templates = env.list_templates

    def kept_list(extensions=None, filter_func=None) -> list[str]:
        key = (tuple(theme.dirs), tuple(custom), tuple(theme.static_templates), extensions,
               getattr(filter_func, "__qualname__", filter_func))  # fmt: skip
        if key not in _theme_files:
            _theme_files[key] = list_templates(extensions, filter_func)
        return list(_theme_files[key])

    env.list_templates = kept_list
    return env


def on_files(files, config, **_):
    """Hand-written pages include generated snippets (the latest fact-checks, verdict counts, the rating scale...).
    `mkdocs serve --dirty` rebuilds only pages whose own file changed: rebuild those when a snippet changed."""
    docs = site_from_config(config).docs_dir
    includes = [*docs.glob("claims/includes/*.md"), *docs.glob("*/claims/includes/*.md")]
    changed = max((path.stat().st_mtime for path in includes), default=0.0)
    hand_written_rebuilt = False
    for file in files.documentation_pages():
        # Every language's version of each page, for the language menu and the sitemap's hreflang alternates.
        language, neutral = _build.language_of(file.src_uri), _build.neutral(file.src_uri)
        if language:
            _build.versions.setdefault(neutral, {})[language.code] = file  # its address asked only if it is built
        if neutral.startswith("claims/"):
            continue
        built = Path(file.abs_dest_path)
        if not built.exists() or built.stat().st_mtime < changed:
            file.is_modified = lambda: True
        hand_written_rebuilt = hand_written_rebuilt or file.is_modified()
    if _serving_dirty and _build.result and _build.after_complete_build and not hand_written_rebuilt:
        navigated = _nav_paths(config["nav"] or [])
        keep = {language.prefix + path for language in _build.languages.values() for path in navigated}
        _leave_out_unchanged(files, _build.result.changed, keep)
    return files


def _leave_out_unchanged(files, changed: set[str], keep: set[str]) -> None:
    """A dirty preview rebuild skips every page whose built HTML is newer than its source, but MkDocs still makes
    a page object for each of them and checks the dates of every page and image: most of a rebuild at 10,000
    claims. The build before this one ran to its end, so the built output of every generated file this build did
    not write is as the file is now: those files are left out of the rebuild, and their output stays in the served
    folder. Only while serving (a dirty `mkdocs build` lists every page in its sitemap), never a page a navigation
    names (in any language), and only when no hand-written page is rebuilt: those link to generated pages as
    Markdown files, which MkDocs resolves among the files it was given."""
    for file in list(files):
        generated = _build.neutral(file.src_uri).startswith("claims/")
        if generated and file.src_uri not in changed and file.src_uri not in keep:
            files.remove(file)


def _nav_paths(items: list | dict | str) -> set[str]:
    """The Markdown files named in the `nav` setting, at any depth."""
    if isinstance(items, str):
        return {items}
    values = items.values() if isinstance(items, dict) else items
    return set().union(*map(_nav_paths, values))


def on_nav(nav, config, files, **_):
    """Each translation's navigation: mkdocs.yml's, with its sections' titles translated and its pages the
    language's own (a page the language lacks is left out). Built with MkDocs' own helpers for `nav` (private in
    MkDocs 1.6, which requirements.txt pins), so that the theme draws it like the original's."""
    for language in _build.languages.values():
        if language.pack:
            items = navigation._data_to_navigation(_translated_nav(config["nav"], language, files), files, config)
            pages = navigation._get_by_type(items, navigation.Page)
            navigation._add_previous_and_next_links(pages)
            navigation._add_parent_links(items)
            _build.navs[language.code] = navigation.Navigation(items, pages)
    return nav


def _translated_nav(items: list, language: Language, files) -> list:
    translated = []
    for item in items:
        for title, value in item.items():
            name = language.pack.nav.get(title, title)
            if isinstance(value, list):
                if children := _translated_nav(value, language, files):
                    translated.append({name: children})
            elif files.get_file_from_path(language.prefix + value):
                translated.append({name: language.prefix + value})
    return translated


@event_priority(100)  # before the search plugin's, which reads every page's content
def on_page_context(context, page, config, nav, **_):
    """The theme draws a translated page with its language's navigation, and a finished page with its HTML, read
    again now (see on_page_markdown)."""
    language = _build.language_of(page.file.src_uri)
    if language and language.code in _build.navs:
        context["nav"] = _build.navs[language.code]
    if (length := _build.finished.pop(page.file.src_uri, None)) is not None:
        page.content = page.file.content_string[-length:] if length else ""
    return context


def _set_language(page) -> None:
    """A page's language and its versions in every language, for the theme (overrides/partials/language.html,
    the language menu) and the sitemap, which the theme writes before the pages: so, as soon as the page is read."""
    language = _build.language_of(page.file.src_uri)
    if language is None:
        return
    page.meta["language"] = language.code
    page.meta["versions"] = _build.version_list(_build.neutral(page.file.src_uri))


def _drawn_once(part: str, page, draw: Callable[[], str], titled: bool = False) -> str:
    """The theme's `part` (its header, tabs, sidebars) of a fact-check's page, drawn for the first of each language
    and reused for the rest: these pages are outside the navigation, so no item is marked as theirs, their links
    climb the same two folders, and they have no table of contents; the same markup, drawn 10,000 times, was a
    tenth of MkDocs' time. A `titled` part (the header) shows the page's title, as written in its front matter: it
    is kept as the markup before and after the first page's title, and each page's title goes between. Any other
    page's is drawn as usual."""
    title = str(page.meta.get("title") or "") if page and titled else ""
    if not page or "claim_id" not in page.meta or (titled and not title):
        return draw()
    key = (part, page.meta.get("language", ""), page.url.count("/"))
    if key not in _build.same_on_claim_pages:
        drawn = draw()
        marker = drawn.find(_HEADER_TITLE) if titled else 0
        at = drawn.find(title, marker) if marker >= 0 else -1
        if at < 0:  # a theme that shows the title otherwise: drawn for every page
            return drawn
        _build.same_on_claim_pages[key] = (drawn[:at], drawn[at + len(title) :]) if titled else (drawn, "")
    before, after = _build.same_on_claim_pages[key]
    return f"{before}{title}{after}" if titled else before


_HEADER_TITLE = 'data-md-component="header-topic"'  # Material's header: the page's title follows


def on_env(env, **_):
    """Each build gets a new template environment, so templates cannot change during one: checking every included
    template file for changes on every page (tens of thousands of file-system calls at 10,000 claims) is waste.

    The theme's templates indent their tags for reading; rendered, that indentation was a tenth of every page.
    Dropping the lines and indents around template tags removes most of it at no cost: HTML reads any run of
    whitespace as one space, and one always remains where there was one (checked on every page of the first site
    when this was introduced: the text of each is unchanged)."""
    env.auto_reload = False
    env.trim_blocks = env.lstrip_blocks = True
    env.bytecode_cache = _compiled_templates
    env.globals["serving"] = _serving  # the preview has no sitemap: see overrides/sitemap.xml
    env.globals["factcheck_words"] = _words  # the site's own words in a page's language, for overrides/main.html
    env.globals["factcheck_languages"] = lambda: list(_build.languages.values())  # for overrides/404.html
    env.globals["factcheck_drawn_once"] = _drawn_once  # for overrides/main.html
    return env


def _words(code: str | None, text: str) -> str:
    language = _build.languages.get(code or "")
    return language.words(text) if language else text


def on_page_markdown(markdown: str, page, **_) -> str:
    """Generated pages marked `body: html` are finished, escaped HTML: handing them to Markdown would only parse
    every tag again, which was the largest single cost of building a large site, and even making the Markdown
    converter for an empty page, a tenth of a millisecond, adds up over tens of thousands of pages. Any other
    engine, or MkDocs without this hook, renders them through Markdown to the same result.

    MkDocs reads every page before it writes the first, and would hold each one's HTML until the build ends: 860 MB
    at 40,000 pages. A finished page keeps only its length and its anchors; its HTML is read again from its file
    (the end of it, after the front matter) just before the page is written, and let go once it is."""
    _set_language(page)
    if page.meta.get("body") != "html":
        return markdown
    if "claim_id" in page.meta:  # the theme's search would parse the whole page: on_post_build adds its entry
        page.meta["search"] = {"exclude": True}
    _build.finished[page.file.src_uri] = len(markdown)
    anchors = _anchors(markdown)
    page.render = functools.partial(_render_finished, page, anchors)  # instead of MkDocs' render
    return ""


def _render_finished(page, anchors: set[str], config, files) -> None:
    """What MkDocs' Page.render (in the version requirements.txt pins) learns from Markdown, for a finished page:
    no table of contents, and its anchors, so that links to them (the corrections log's "#updates") are checked
    against the page as built. Its content comes later: see on_page_context."""
    page.content = ""
    page.toc = get_toc([])
    page.present_anchor_ids = anchors
    del page.render


_ANCHOR = re.compile(r'id="([^"]+)"')  # starting with text, not \b: a tenth of the time over a page


def _anchors(html: str) -> set[str]:
    """The ids of a page's elements (id="..." after a space: not data-id="..."), each name kept once for all pages:
    most are on every page."""
    return {sys.intern(m[1]) for m in _ANCHOR.finditer(html) if m.start() and html[m.start() - 1].isspace()}


_PREFORMATTED = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"\n\s+")


def on_post_page(output: str, page, **_) -> str:
    """Drop the indentation left in every page (a twentieth of a claim page). A run of whitespace becomes one line
    break, which HTML reads as the one space it was; preformatted text keeps every character.

    A generated page's content is not needed once its output is made (the search index and the sitemap are made
    from other things): MkDocs would keep it until the build ends."""
    if page.meta.get("body") == "html":
        page.content = None
    parts = _PREFORMATTED.split(output)  # text, a preformatted element, its tag name, text, ...
    parts[::3] = [_INDENT.sub("\n", text) for text in parts[::3]]
    return "".join(parts[i] for i in range(len(parts)) if i % 3 != 2)


@event_priority(-50)  # after the search plugin has written its index
def on_post_build(config, **_) -> None:
    """Add the claims to the search index; preview images of a cold build are drawn on the other core while MkDocs
    works: wait, then link them in."""
    global _last_complete_build
    _restore_source_date_epoch()
    if result := _build.result:
        outputs.add_to_search_index(Path(config.site_dir), result.search_entries, result.languages)
        if _serving_dirty:
            _remove_built_output_of_deleted(config, result)
        if result.previews:
            start = time.perf_counter()
            # Every image, unless the site already holds those this build did not draw (a preview's rebuild)
            everything = not (_serving_dirty and _build.after_complete_build)
            result.previews.finish(Path(config.site_dir), everything=everything)
            _report_timings({**result.timings, "previews_wait": time.perf_counter() - start})
    _last_complete_build = (config["docs_dir"], config["site_dir"])
    if _serving:
        _collect_while_idle()


IDLE_BEFORE_COLLECTING = 1.0  # seconds after a preview build: the editor is reading the page


def _collect_while_idle() -> None:
    """Python's cycle collector passes over every object now and then: over the 850 MB a 10,000-claim preview
    keeps, 0.5-0.75 s, which fell inside one rebuild in three. Run it a moment after each build instead, while
    the editor reads the page; the next rebuild then rarely needs one."""
    timer = threading.Timer(IDLE_BEFORE_COLLECTING, gc.collect)
    timer.daemon = True
    timer.start()


def _remove_built_output_of_deleted(config, result: pipeline.BuildResult) -> None:
    """A dirty rebuild leaves the built page of a deleted claim in the served folder: the preview would still show
    it. Remove the output of every generated file this build deleted."""
    docs_dir = Path(config["docs_dir"])
    for src_uri in sorted(result.changed):
        if _build.neutral(src_uri).startswith(f"claims/{previews.FOLDER}/"):  # the site's images: see Previews
            continue
        if not (docs_dir / src_uri).exists():
            built = Path(
                File(src_uri, config["docs_dir"], config["site_dir"], config["use_directory_urls"]).abs_dest_path
            )
            built.unlink(missing_ok=True)
            if built.parent != Path(config["site_dir"]) and built.parent.is_dir() and not any(built.parent.iterdir()):
                built.parent.rmdir()


def on_build_error(**_) -> None:
    global _last_complete_build
    _last_complete_build = None
    _restore_source_date_epoch()
    if _build.result and _build.result.previews:
        _build.result.previews.finish()


def _restore_source_date_epoch() -> None:
    if _build.source_date_epoch is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = _build.source_date_epoch


def _report_timings(timings: dict[str, float]) -> None:
    if timings_file := os.environ.get("FACTCHECK_TIMINGS"):  # scripts/bench.py reads where the time went
        Path(timings_file).write_text(json.dumps(timings), encoding="utf-8")


def on_serve(server, config, builder, **_):
    site = site_from_config(config)
    if _watching() == "native":
        _watch_natively(server)
    _watch_all_but_the_generated_folders(server, Path(config["docs_dir"]).resolve())
    for path in (site.claims_dir, site.data_dir, render.TEMPLATES):
        server.watch(str(path))
    server.set_app(_show_problems(server, server.serve_request))
    return server


WATCH_SETTING = "FACTCHECK_WATCH"


def _watching() -> str:
    how = os.environ.get(WATCH_SETTING, "native")
    if how not in ("native", "poll"):
        raise PluginError(
            f"{WATCH_SETTING}: expected 'native' or 'poll', got {how!r}. Hint: 'poll' where the preview misses saves "
            "(files on a network drive, or shared into a container)"
        )
    return how


class _SavesOnly(Observer):
    """The operating system's file events (inotify, FSEvents, ReadDirectoryChangesW), reporting writes only: a file
    read is an event too, and the build reads the files it watches."""

    SAVES = (
        file_events.FileCreatedEvent, file_events.FileModifiedEvent, file_events.FileDeletedEvent,
        file_events.FileMovedEvent, file_events.FileClosedEvent, file_events.DirCreatedEvent,
        file_events.DirDeletedEvent, file_events.DirMovedEvent,
    )  # fmt: skip

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None):
        return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or list(self.SAVES))


def _watch_natively(server) -> None:
    """MkDocs polls for changes every half second, looking at every file it watches: at 10,000 claims a saved claim
    waited 0.3-0.5 s to be noticed, and each look at 10,000 files took time from the build on the same interpreter.
    The operating system reports a save at once, and costs nothing meanwhile. It misses saves on network drives and
    in folders shared into some containers, which MkDocs polls for: FACTCHECK_WATCH=poll brings its way back. (The
    server's observer and watch counts are MkDocs' own, as pinned in requirements.txt.)"""
    watched = dict(server._watched_paths)
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = _SavesOnly()
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)


def _watch_all_but_the_generated_folders(server, docs_dir: Path) -> None:
    """MkDocs watches docs_dir: polling, twice a second it looked at every file in it, the 20,000 generated ones at
    10,000 claims too, which made each rebuild under `mkdocs serve` take twice as long as the same rebuild alone;
    and, however watched, the build's own writes there set off a second, useless build after every edit. The
    generated folders (docs/claims/ and each language's docs/<code>/claims/) change only when claims, data or
    templates do, which on_serve watches: watch the rest of docs_dir instead (each folder's own files, and its
    folders but those)."""
    generated = {docs_dir / "claims", *docs_dir.glob("*/claims")}

    def watch(folder: Path) -> None:
        server.watch(str(folder), recursive=False)
        for entry in sorted(folder.iterdir()):
            if entry.is_dir() and entry not in generated:
                if any(path.is_relative_to(entry) for path in generated):  # docs/zh/ holds docs/zh/claims/
                    watch(entry)
                else:
                    server.watch(str(entry))

    server.unwatch(str(docs_dir))
    watch(docs_dir)


App = Callable[[dict, Callable], Iterable[bytes]]


def _show_problems(server, serve: App) -> App:
    """While the claims cannot be built, every page of the preview is an error page naming each problem's file
    and line. It reloads itself, as the theme's pages do, once a save fixes them."""

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not _build.problems or path.startswith("/livereload/") or not path.endswith(("/", ".html")):
            return serve(environ, start_response)
        page = render.serve_error_page(_build.problems).encode("utf-8")
        page = server._inject_js_into_html(page, server._visible_epoch)  # MkDocs' own reload script
        start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8")])
        return [page]

    return app
