"""Markdown text fields -> sanitised HTML: the `markdown` filter of every template.

Python-Markdown does the work; nh3 keeps only the tags, attributes and URL schemes a text
field may use, so raw HTML and `javascript:` links never reach a page. Two shortcuts spare
Markdown's cost (about a millisecond a text, thousands of texts a build) where they cannot
change its output; tests hold both to a complete converter's output.
"""

from __future__ import annotations

import re

import markdown as md
import nh3
from markupsafe import Markup

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "i", "li", "ol", "p", "pre", "strong",
    "sub", "sup", "ul", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip

# Text that Markdown would only wrap in paragraphs: none of the characters that start
# markup, an entity or an escape, and no line that could open a list, a quote, a heading, a
# code block or end in a hard break. Most capability texts are like this, and Markdown takes
# about a millisecond for each; for these the result is the same text in <p> elements.
_MARKUP_CHARS = re.compile(
    r"[\\`*_\[\]<>&#!|~={}\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00a0\u2028\u2029]"
)
_RISKY_LINE = re.compile(r"^(?:[ +\-]|\d+[.)])|[ ]$", re.M)
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


# Python-Markdown's inline patterns (3.x names), and the characters one of which must be in
# the text for the pattern to match. A pattern not named here is always kept.
_TRIGGERS = {
    "backtick": "`",
    "escape": "\\",
    "reference": "[",
    "link": "[",
    "image_link": "[",
    "image_reference": "[",
    "short_reference": "[",
    "short_image_ref": "[",
    "autolink": "<",
    "automail": "<",
    "html": "<",
    "linebreak": "\n",
    "entity": "&",
    "em_strong": "*_",
}


def _plain_paragraphs(text: str) -> str | None:
    """The HTML of `text` when it is plain paragraphs (see above), else None."""
    text = text.strip("\n")
    if not text or _MARKUP_CHARS.search(text) or _RISKY_LINE.search(text):
        return None
    return "\n".join(f"<p>{para}</p>" for para in _PARAGRAPH_BREAK.split(text))


class MarkdownRenderer:
    """Markdown -> sanitised HTML. Raw HTML and `javascript:` links never survive."""

    def __init__(self) -> None:
        self._md = self._markdown(frozenset())
        self._by_absent: dict[frozenset[str], md.Markdown] = {frozenset(): self._md}

    @staticmethod
    def _markdown(absent: frozenset[str]) -> md.Markdown:
        """A Markdown converter without the inline patterns named in `absent`."""
        converter = md.Markdown(extensions=["sane_lists"], output_format="html")
        for name in absent:
            converter.inlinePatterns.deregister(name, strict=False)
        return converter

    def __call__(self, text: str) -> Markup:
        plain = _plain_paragraphs(text)
        if plain is not None:
            return Markup(plain)
        # Markdown tries each of its inline patterns over every stretch of text; a pattern
        # whose first character is not in the text cannot match, so leaving it out changes
        # nothing but the time (most texts use one or two kinds of markup).
        absent = frozenset(n for n, chars in _TRIGGERS.items() if not any(c in text for c in chars))
        converter = self._by_absent.get(absent)
        if converter is None:
            converter = self._by_absent[absent] = self._markdown(absent)
        converter.reset()
        return self.sanitised(converter.convert(text))

    @staticmethod
    def sanitised(html: str) -> Markup:
        """Only the tags, attributes and URL schemes a text field may use."""
        clean = nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
        return Markup(clean)
