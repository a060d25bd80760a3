"""A small parsed view of built HTML pages, for asserting on what readers and machines get."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class Page(HTMLParser):
    elements: list[Element] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    _open: list[Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    @classmethod
    def load(cls, path: Path) -> Page:
        return cls.parse(path.read_text(encoding="utf-8"))

    @classmethod
    def parse(cls, html: str) -> Page:
        page = cls()
        page.feed(html)
        page.close()
        return page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag in {"script", "title", "a", "h1", "h2", "h3", "li", "p", "q", "span", "blockquote", "figcaption"}:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        for element in self._open:
            element.text += data

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())]

    def meta(self, key: str) -> str | None:
        for element in self.find_all("meta"):
            if element.attrs.get("property") == key or element.attrs.get("name") == key:
                return element.attrs.get("content")
        return None

    def jsonld(self) -> list[dict]:
        return [json.loads(e.text) for e in self.find_all("script", type="application/ld+json")]

    @property
    def text(self) -> str:
        return " ".join("".join(self.texts).split())
