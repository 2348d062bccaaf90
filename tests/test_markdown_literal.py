"""Markdown from ``export --to markdown`` and ``diff`` shows user text literally on GitHub.

Rendered with ``cmarkgfm`` (GitHub's own cmark fork, with its autolink, table,
strikethrough and tag-filter extensions): no link, list, heading or entity comes from
user text, and every text reads back exactly.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest

import journeymap
from journeymap.interop import diff, export
from journeymap.interop.export import md

HOSTILE = [
    "1. first",
    "- item",
    "+ plus",
    "12) twelve",
    "=== underline",
    "see https://evil.example/x now",
    "www.evil.example",
    "mail a@b.example",
    "hi @octo-org/team",
    "fixes #12",
    "&amp; &#x26; &copy;",
    "$x^2$ and :smile:",
    "xmpp:a@b.example mailto:c@d.example",
]


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _render(markdown: str) -> _Html:
    html = cmarkgfm.github_flavored_markdown_to_html(markdown)
    parsed = _Html()
    parsed.feed(html)
    return parsed


@pytest.mark.parametrize("text", HOSTILE)
def test_md_renders_as_the_literal_text_at_a_line_start(text: str) -> None:
    for line in (md(text), f"- **Does:** {md(text)}", f"| {md(text)} | x |\n| --- | --- |"):
        parsed = _render(line)
        assert not {"a", "ol", "h1", "h2", "pre", "code", "del"} & set(parsed.tags), line
        assert text in "".join(parsed.text), line


def _hostile_journey(tmp_path: Path, name: str = "h.yaml") -> Path:
    lines = [
        "journeymap: 1",
        f"title: {HOSTILE[5]!r}",
        f"summary: {HOSTILE[0]!r}",
        f"owner: {HOSTILE[8]!r}",
        f"tags: [{HOSTILE[9]!r}, {HOSTILE[10]!r}]",
        "personas:",
        f"  - {{id: p, name: {HOSTILE[7]!r}, role: {HOSTILE[1]!r}}}",
        "stages:",
        f"  - name: {HOSTILE[3]!r}",
        f"    goal: {HOSTILE[4]!r}",
        "    touchpoints:",
    ]
    for i, text in enumerate(HOSTILE):
        lines += [
            f"      - id: t{i}",
            f"        name: {text!r}",
            f"        action: {text!r}",
            "        emotion: -2",
            f"        pain_points: [{{text: {text!r}, severity: high}}]",
            f"        opportunities: [{text!r}]",
        ]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_export_markdown_shows_hostile_text_literally(tmp_path: Path) -> None:
    journey = journeymap.load(_hostile_journey(tmp_path))
    parsed = _render(export.to_markdown(journey))
    assert "a" not in parsed.tags and "ol" not in parsed.tags
    assert parsed.tags.count("h1") == 1 and parsed.tags.count("h3") == len(HOSTILE)
    shown = "".join(parsed.text)
    for text in HOSTILE:
        assert text in shown


def test_diff_markdown_shows_hostile_text_literally(tmp_path: Path) -> None:
    new = _hostile_journey(tmp_path)
    old = tmp_path / "old.yaml"
    old.write_text(
        new.read_text(encoding="utf-8")
        .replace("emotion: -2", "emotion: 1")
        .replace("  - id: t1\n", "  - id: t1-old\n"),
        encoding="utf-8",
    )
    text = diff.to_markdown(diff.compare(journeymap.load(old), journeymap.load(new)))
    parsed = _render(text)
    assert "a" not in parsed.tags and "ol" not in parsed.tags
    shown = "".join(parsed.text)
    for text_ in HOSTILE:
        assert text_ in shown
