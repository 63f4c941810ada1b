"""The compare picker: type-ahead over names and aliases, either order lands on the one
canonical page, a pair without a page is said so, and without JavaScript links get there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import picker
from generator.build import prepare
from generator.plan import Site
from tests.browser_site import chromium, serve, watch
from tests.conftest import FIXTURE, TEMPLATES, soup

KOSMOS = "Kosmos-2 (kosmos-2-patch14-224)"
CANONICAL = "/compare/kosmos-2-patch14-224-vs-midjourney/"


def test_picker_data_lists_the_shorter_side_of_has_page(monkeypatch: pytest.MonkeyPatch) -> None:
    site, _, _, _ = prepare(FIXTURE, TEMPLATES)
    data = json.loads(picker.picker_data(site))
    assert data["pairs"] == {"except": []}  # every pair is built
    assert [t["slug"] for t in data["tools"]] == ["alpha", "beta", "delta", "gamma"]
    assert data["tools"][0] == {
        "slug": "alpha",
        "name": "Alpha Vision",
        "aliases": ["AlphaVis", "Alpha-V"],
    }
    monkeypatch.setattr(Site, "has_page", lambda self, a, b: {a, b} == {"alpha", "beta"})
    assert json.loads(picker.picker_data(site))["pairs"] == {"only": [["alpha", "beta"]]}
    monkeypatch.setattr(Site, "has_page", lambda self, a, b: {a, b} != {"beta", "gamma"})
    assert json.loads(picker.picker_data(site))["pairs"] == {"except": [["beta", "gamma"]]}


def test_bundled_site_publishes_the_picker_data(bundled_site: Path) -> None:
    data = json.loads((bundled_site / "compare" / "picker.json").read_text())
    built = sorted(
        p.name.split("-vs-")
        for p in (bundled_site / "compare").iterdir()
        if (p / "index.html").is_file()
    )
    # The bundled pair policy builds fewer than half the pairs: the picker lists those.
    assert len(data["tools"]) == 39 and data["pairs"] == {"only": built}
    assert ["kosmos-2-patch14-224", "midjourney"] in built
    home = soup(bundled_site / "index.html")
    form = home.find("form", class_="compare-picker")
    assert form["data-picker"] == "/compare/picker.json"
    tool = soup(bundled_site / "tools" / "midjourney" / "index.html")
    assert tool.find("select", id="pick-a").find("option", selected=True)["value"] == "midjourney"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def served(bundled_site: Path) -> Iterator[str]:
    with serve(bundled_site) as url:
        yield url


def _pick(browser: Any, url: str, first: str, second: str, route: Any = None) -> tuple[Any, list]:
    page = browser.new_page()
    problems = watch(page)
    if route is not None:
        page.route("**/compare/picker.json", route)
    page.goto(url)
    page.wait_for_selector("form.compare-picker[data-ready]", timeout=20_000)
    page.fill("#pick-a", first)
    page.fill("#pick-b", second)
    page.click("form.compare-picker button[type=submit]")
    return page, problems


@pytest.mark.parametrize(
    ("first", "second"),
    [("Midjourney", KOSMOS), (KOSMOS, "Midjourney"), ("kosmos-2-patch14-224", "midjourney")],
)
def test_either_order_lands_on_the_canonical_page(
    browser: Any, served: str, first: str, second: str
) -> None:
    page, problems = _pick(browser, served + "/", first, second)
    page.wait_for_url(served + CANONICAL, timeout=20_000)
    assert page.inner_text("h1") == f"{KOSMOS} vs Midjourney"
    assert problems == []
    page.close()


def test_type_ahead_offers_names(browser: Any, served: str) -> None:
    page = browser.new_page()
    page.goto(served + "/tools/midjourney/")
    page.wait_for_selector("form.compare-picker[data-ready]", timeout=20_000)
    assert page.input_value("#pick-a") == "Midjourney"
    options = page.eval_on_selector_all("datalist option", "os => os.map(o => o.value)")
    assert KOSMOS in options and "Midjourney" in options and len(options) >= 39
    page.close()


def test_a_pair_without_a_page_is_said_so(browser: Any, served: str, bundled_site: Path) -> None:
    data = json.loads((bundled_site / "compare" / "picker.json").read_text())
    data["pairs"] = {"except": [["kosmos-2-patch14-224", "midjourney"]]}

    def route(r: Any) -> None:
        r.fulfill(status=200, content_type="application/json", body=json.dumps(data))

    page, problems = _pick(browser, served + "/", "Midjourney", KOSMOS, route)
    message = page.locator("form.compare-picker .pick-message")
    message.wait_for(state="visible", timeout=20_000)
    assert message.inner_text() == (f"There is no comparison page for Midjourney and {KOSMOS}.")
    assert page.url == served + "/"
    page.fill("#pick-b", "Midjurney")
    page.click("form.compare-picker button[type=submit]")
    assert message.inner_text() == "No tool called \u201cMidjurney\u201d; pick one from the list."
    assert problems == []
    page.close()


def test_without_javascript_links_get_there(browser: Any, served: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "/")
    page.click("p.pick-links a")  # home -> the list of all tools
    page.click(f"#tools-h ~ ul a:text-is('{KOSMOS}')")
    page.click(f"#all-h ~ ul a[href='{CANONICAL}']")
    assert page.url == served + CANONICAL
    context.close()


def test_matrix_shared_kinds_fold_with_javascript(browser: Any, served: str) -> None:
    page = browser.new_page()
    problems = watch(page)
    page.goto(served + "/compare/blip-2-vs-instructblip/")
    button = page.locator("button[data-fold='matrix-shared']")
    button.wait_for(state="visible")
    assert page.is_hidden("#matrix-shared") and button.get_attribute("aria-expanded") == "false"
    button.click()
    assert page.is_visible("#matrix-shared") and button.get_attribute("aria-expanded") == "true"
    assert problems == []
    page.close()
