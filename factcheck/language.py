"""The languages a site is published in: the original (mkdocs.yml's theme.language) and the translations in
data/languages/, each with its words (the interface, ratings, topics and claimant names) and its way of writing
dates. Pages in a translation live under /<code>/; the original's stay where they have always been."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import lru_cache

from babel.dates import format_date, format_skeleton
from markupsafe import Markup, escape

from factcheck.model import Claimant, DateFormats, LanguagePack, Month, RatingScale, Year, long_date
from factcheck.site import Site


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself: what the language menu shows
    pack: LanguagePack | None = None  # None for the original language

    @property
    def is_original(self) -> bool:
        return self.pack is None

    @property
    def prefix(self) -> str:
        """Where its pages live, relative to the site's root: '' for the original, 'zh/' for Chinese."""
        return "" if self.pack is None else f"{self.code}/"

    def words(self, text: str) -> str:
        """The interface's `text` (written in English in the templates) in this language; English where the
        language file has no translation yet (`check` lists those)."""
        return self.pack.interface.get(text, text) if self.pack else text

    def date(self, value: dt.date) -> str:
        """A date as readers of this language write it, no more precise than it is known."""
        formats = self.pack.dates if self.pack else None
        return _date_in(self.code if self.pack else None, value, type(value), formats)

    def site(self, site: Site) -> Site:
        """The site as this language's pages see it: its address and generated folder under /<code>/, and its
        description in this language where the language file gives one."""
        if self.pack is None:
            return site
        return replace(
            site,
            url=f"{site.url}{self.prefix}",
            docs_dir=site.docs_dir / self.code,
            language=self.code,
            description=self.pack.description or site.description,
        )

    def scale(self, scale: RatingScale) -> RatingScale:
        """The rating scale with this language's labels and definitions."""
        if self.pack is None:
            return scale
        ratings = [
            {
                **rating.model_dump(),
                **(self.pack.ratings[rating.key].model_dump() if rating.key in self.pack.ratings else {}),
            }
            for rating in scale.ratings
        ]
        # Made anew, not copied: a copy would keep the original's ratings by key (a cached property).
        return RatingScale.model_validate({**scale.model_dump(), "ratings": ratings})

    def topics(self, topics: dict[str, str]) -> dict[str, str]:
        return (
            topics if self.pack is None else {slug: self.pack.topics.get(slug, name) for slug, name in topics.items()}
        )

    def claimants(self, registry: dict[str, Claimant]) -> dict[str, Claimant]:
        """Claimants with their names and descriptions in this language, where the language file gives them."""
        if self.pack is None:
            return registry
        localised = {}
        for claimant_id, claimant in registry.items():
            words = self.pack.claimants.get(claimant_id)
            update = {k: v for k, v in (words.model_dump() if words else {}).items() if v}
            if "name" in update:  # search finds them by the original's spelling too
                update["other_names"] = [claimant.name, *claimant.other_names]
            localised[claimant_id] = claimant.model_copy(update=update) if update else claimant
        return localised


@lru_cache(maxsize=100_000)
def _date_in(code: str | None, value: dt.date, kind: type, formats: DateFormats | None) -> str:
    """Dates repeat on every list a claim is on: Babel's formatting is worth doing once per date (`kind` keeps a
    month-only date apart from its first day, which compares equal)."""
    if code is None or formats is None:
        return long_date(value)
    if kind is Year:
        return str(value.year)
    if kind is Month:
        if formats.month.isalpha():  # a skeleton, such as yMMMM: the locale orders it
            return format_skeleton(formats.month, value, locale=code)
        return format_date(value, formats.month, locale=code)
    return format_date(value, formats.day, locale=code)


def languages(site: Site, packs: dict[str, LanguagePack]) -> list[Language]:
    """The original first, then each translation in the order of its code."""
    original = Language(site.language, ORIGINAL_NAMES.get(site.language, site.language))
    return [original, *(Language(code, pack.name, pack) for code, pack in sorted(packs.items()))]


ORIGINAL_NAMES = {"en": "English"}

ENGLISH = Language("en", "English")
_current: ContextVar[Language] = ContextVar("language", default=ENGLISH)


@contextmanager
def writing_in(language: Language) -> Iterator[None]:
    """Templates rendered inside this block use `language`'s words and dates."""
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> Language:
    return _current.get()


def t(text: str, **values: object) -> Markup:
    """The templates' words in the current language, with `values` put in their {places}: the words are escaped,
    and so is every value that is not already markup."""
    words = _escaped(current().words(text))
    return words.format_map(_Placeholders(values)) if values else words


@lru_cache(maxsize=10_000)
def _escaped(words: str) -> Markup:
    return Markup(escape(words))


class _Placeholders(dict[str, object]):
    """A {place} given no value stays as it is: the filtering script fills in '{count}' itself."""

    def __missing__(self, key: str) -> str:
        return f"{{{key}}}"


def say(text: str, **values: object) -> str:
    """As `t`, as plain text (for front matter, feeds, JSON and search entries, which escape what they hold)."""
    return current().words(text).format_map(_Placeholders(values))


def date(value: dt.date) -> str:
    return current().date(value)
