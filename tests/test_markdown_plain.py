"""The Markdown filter's shortcuts give what Markdown itself gives.

`MarkdownRenderer` skips Markdown for text that could only become paragraphs, and leaves out
the inline patterns that cannot match a text. These tests hold both to the output of a
complete Markdown converter (sanitised the same way), on every text of the bundled content,
of a generated catalogue, and on generated text built to find the edges."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from generator.markdown_text import MarkdownRenderer, _plain_paragraphs

ROOT = Path(__file__).resolve().parent.parent


def slow(text: str) -> Markup:
    """Markdown without the shortcut."""
    renderer = MarkdownRenderer()
    renderer._md.reset()
    return renderer.sanitised(renderer._md.convert(text))


def texts(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for v in node.values() for t in texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in texts(v)]
    return []


def test_every_bundled_text_renders_as_markdown_renders_it() -> None:
    files = sorted((ROOT / "content").rglob("*.yaml"))
    found = [t for f in files for t in texts(yaml.safe_load(f.read_text("utf-8")))]
    fast = [t for t in found if _plain_paragraphs(t) is not None]
    assert len(fast) > 100  # the shortcut is taken for most texts...
    assert len(fast) < len(found)  # ...but not for those with markup
    renderer = MarkdownRenderer()
    for text in found:
        assert renderer(text) == slow(text), text


def test_every_generated_catalogue_text_renders_as_markdown_renders_it(tmp_path: Path) -> None:
    from benchmarks.make_catalogue import write_catalogue

    write_catalogue(12, tmp_path)
    files = sorted(tmp_path.rglob("*.yaml"))
    found = [t for f in files for t in texts(yaml.safe_load(f.read_text("utf-8")))]
    assert any("*" in t for t in found) and any("`" in t for t in found)
    renderer = MarkdownRenderer()
    for text in found:
        assert renderer(text) == slow(text), text


def test_markup_is_left_to_markdown() -> None:
    for text in ["*a*", "a_b_", "[x](https://a.example)", "1. one", "- item", "> quote",
                 "# head", "a  \nb", "    code", "a &amp; b", "<b>x</b>", "line\n---",
                 "x\n===", "a\u00a0b", "tab\there", "2) two"]:  # fmt: skip
        assert _plain_paragraphs(text) is None, text


def test_paragraphs_and_line_breaks() -> None:
    two = "<p>One.\nStill one.</p>\n<p>Two.</p>"
    assert _plain_paragraphs("One.\nStill one.\n\n\nTwo.\n") == two
    text = 'It\'s "quoted" (c) 2024: 50% off.'
    assert MarkdownRenderer()(text) == slow(text) == f"<p>{text}</p>"


ALPHABET = st.sampled_from(
    [
        *"ab Z9.,;:'\"()?/%$@+-=\n\n\t*_`[]<>&#!|~{}\\1)é€\u00a0 ",
        "  \n",
        "**",
        "](",
        "<a@b.c>",
        "&amp;",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_generated_text_renders_as_markdown_renders_it(text: str) -> None:
    assert MarkdownRenderer()(text) == slow(text)


SAFE = st.sampled_from(list("ab Z9.,;:'\"()?/%$@\n\n\n1é€ "))


@settings(max_examples=3000, deadline=None)
@given(st.lists(SAFE, max_size=60).map("".join))
def test_generated_plain_text_renders_as_markdown_renders_it(text: str) -> None:
    assert MarkdownRenderer()(text) == slow(text)
