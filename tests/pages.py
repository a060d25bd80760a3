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
    _in_template: int = 0  # a <template>'s content is not shown: scripts clone it

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
        self._in_template += tag == "template"
        if self._in_template:
            return
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag in {
            "script",
            "title",
            "a",
            "h1",
            "h2",
            "h3",
            "li",
            "p",
            "q",
            "span",
            "blockquote",
            "figcaption",
            "th",
            "td",
            "text",
        }:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        self._in_template -= tag == "template"
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._in_template:
            return
        self.texts.append(data)
        for element in self._open:
            element.text += data

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())]

    def find_all_with_id(self, element_id: str) -> list[Element]:
        return [e for e in self.elements if e.attrs.get("id") == element_id]

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


# Elements that load or run something: claim text in their attributes would be live (a meta tag's content is text).
TEXT_ATTRIBUTES = {"aria-label", "title", "alt", "content", "placeholder", "value"}  # shown or read out, never run
LIVE_TAGS = {"iframe", "object", "embed", "svg", "math", "form", "style", "img", "video", "audio"}


def live_payloads(page: Page, marker: str = "alert") -> list[str]:
    """What on a built page would act on a reader and came from claim data: any element, attribute or address
    carrying `marker` (the payloads hostile tests write use it) other than as text or JSON-LD data."""
    found = []
    for element in page.elements:
        attributes = " ".join(f"{name}={value}" for name, value in element.attrs.items())
        if any(name.startswith("on") for name in element.attrs):
            found.append(f"<{element.tag} {attributes}>")
        for name in ("href", "src", "action", "formaction", "data", "srcdoc"):
            if element.attrs.get(name, "").strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"<{element.tag} {attributes}>")
        active = " ".join(f"{name}={value}" for name, value in element.attrs.items() if name not in TEXT_ATTRIBUTES)
        if (element.tag in LIVE_TAGS or "http-equiv" in element.attrs) and marker in active:
            found.append(f"<{element.tag} {attributes}>")
        if element.tag == "script" and element.attrs.get("type") != "application/ld+json" and marker in element.text:
            found.append(f"<script>{element.text[:80]}")
    return found
