"""Read ``cards.html`` back: each card's kind and its lines of text, as a reader sees them.

The page writes a card's paragraphs as ``<p>`` elements whose end tags HTML lets it leave
out, their lines separated by newlines (``<br>`` between two wide characters; the empty
``<i>``/``<b>`` blocks that keep a line on its place follow the break); band labels and
footers are generated from ``data-text``.
"""

from __future__ import annotations

from html.parser import HTMLParser


class CardPage(HTMLParser):
    """Collects ``cards``: (kind, lines) per card in page order, ``data-text`` labels as
    lines too when ``furniture``; ``labels`` holds those labels alone, per card."""

    def __init__(self, furniture: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.furniture = furniture
        self.cards: list[tuple[str, list[str]]] = []
        self.labels: list[list[str]] = []
        self.open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "div" and "card" in classes:
            kind = next(c for c in classes if c.startswith("card-"))[5:]
            self.cards.append((kind, []))
            self.labels.append([])
        if not self.cards:
            return
        if tag == "p":
            self.open = True
            label = values.get("data-text")
            if label is not None:
                self.labels[-1].extend(label.split("\n"))
                if self.furniture:
                    self.cards[-1][1].extend(label.split("\n"))
            else:
                self.cards[-1][1].append("")
        elif tag == "br" and self.open and self.cards[-1][1][-1]:
            self.cards[-1][1].append("")  # a line break between wide characters

    def handle_endtag(self, tag: str) -> None:
        if tag in ("div", "section"):
            self.open = False

    def handle_data(self, data: str) -> None:
        if self.open and self.cards:
            first, *rest = data.split("\n")
            lines = self.cards[-1][1]
            lines[-1] += first
            lines.extend(rest)


def read(page: bytes | str, furniture: bool = True) -> CardPage:
    """The parsed page."""
    parser = CardPage(furniture)
    parser.feed(page.decode("utf-8") if isinstance(page, bytes) else page)
    parser.close()
    return parser
