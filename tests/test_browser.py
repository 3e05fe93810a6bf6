"""The framing pages in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

A session fixture serves the seeds (loaded by the real pipeline) and the
hand-built sample database (with its hostile article) with ``datasette serve``
on a free loopback port.  Without Chromium or Playwright these tests skip on a
developer machine, but fail when the CI environment variable is set: a missing
browser in CI is a failure, not a skip.

Run them alone with ``pytest -m browser tests/test_browser.py``; refresh the README
screenshot with ``FRAMING_SCREENSHOT=docs/screenshot-dashboard.png pytest tests/test_browser.py -k dashboard_draws``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from datasette.utils import tilde_encode

import framing_sample_db as sample

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("FRAMING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[1]
#: Set to a path (docs/screenshot-dashboard.png) to refresh the README screenshot.
SCREENSHOT_ENV = "FRAMING_SCREENSHOT"


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    # Module scope: Playwright's sync API keeps an event loop running in this thread
    # until it stops, which would break every asyncio test collected after this module.
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[playwright]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(chromium, seeded_db_path, tmp_path_factory):
    """``datasette serve`` on the seeds and the sample database; yields the base URL."""
    sample_path = sample.build(tmp_path_factory.mktemp("browser") / "sample.db")
    port = _free_port()
    log = tmp_path_factory.mktemp("logs") / "datasette.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "datasette", "serve", str(seeded_db_path), str(sample_path),
             "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                httpx.get(url + "/-/versions.json", timeout=2)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.time() > deadline:
                    raise AssertionError("datasette serve did not start:\n" + log.read_text())
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc.returncode not in (0, -15, None):
            print(log.read_text())


@pytest.fixture
def tab(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.console_errors = []
    pg.dialogs = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))

    def on_dialog(dialog):
        pg.dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    context.close()


def _json(url: str):
    return httpx.get(url, timeout=10).json()


def test_dashboard_draws_charts_with_every_outlet(server, tab, tmp_path):
    data = _json(f"{server}/framing/-/framing.json")
    tab.goto(f"{server}/framing/-/framing")
    assert tab.console_errors == []
    figures = tab.locator("figure.framing-figure")
    assert figures.count() == 3
    outlets = {o["outlet"] for o in data["outlets"]}
    legend = set(tab.locator('figure[data-chart="diverging"] .framing-legend-item').evaluate_all("els => els.map(e => e.dataset.series)"))
    assert legend == outlets
    marks = tab.locator('figure[data-chart="diverging"] rect.framing-mark')
    assert marks.count() >= len(outlets)
    assert set(marks.evaluate_all("els => els.map(e => e.dataset.series)")) <= outlets
    frames = tab.locator('figure[data-chart="stacked"] .framing-legend-item')
    assert frames.count() >= 3
    assert tab.locator('figure[data-chart="bars"] rect.framing-mark').count() > 0
    # The rendered page is the README screenshot (FRAMING_SCREENSHOT=docs/screenshot-dashboard.png).
    shot = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path / "dashboard.png")
    tab.set_viewport_size({"width": 1280, "height": 1500})
    tab.screenshot(path=str(shot), full_page=False)
    assert 20_000 < shot.stat().st_size < 500_000


def test_dashboard_table_sorts_in_the_browser(server, tab):
    tab.goto(f"{server}/framing/-/framing")
    header = tab.locator('table[data-framing-table="actors"] th[data-sort-key="mentions"]')
    header.click()
    header.click()  # second click: descending
    assert header.get_attribute("aria-sort") == "descending"
    values = tab.locator('table[data-framing-table="actors"] tbody tr td:nth-child(3)').evaluate_all(
        "els => els.map(e => Number(e.dataset.sort))"
    )
    assert values == sorted(values, reverse=True) and len(values) > 1


def test_actor_page_charts_and_links_lead_to_its_sentences(server, tab):
    data = _json(f"{server}/framing/-/framing.json")
    top = data["actors"][0]
    tab.goto(f"{server}/framing/-/framing/actors/{tilde_encode(top['actor_id'])}")
    assert tab.console_errors == []
    assert top["name"] in tab.locator("h1").inner_text()
    series = set(tab.locator('figure[data-chart="diverging"] rect.framing-mark').evaluate_all("els => els.map(e => e.dataset.series)"))
    assert series == {top["name"]}
    groups = tab.locator('figure[data-chart="diverging"] rect.framing-mark').evaluate_all("els => els.map(e => e.dataset.group)")
    link = tab.locator('table.framing-side a[href*="/-/framing/sentences"]').first
    count = link.inner_text()
    link.click()
    tab.wait_for_load_state()
    assert "/-/framing/sentences" in tab.url
    assert top["name"] in tab.locator("h1").inner_text()
    assert tab.locator(".framing-total").inner_text() == count
    assert tab.locator("mark.framing-mention").count() > 0
    assert set(groups) <= {o["outlet"] for o in data["outlets"]}


def test_article_reader_highlights_and_tooltips(server, tab):
    data = _json(f"{server}/framing/-/framing.json")
    article = max(data["articles"], key=lambda a: a["mentions"])
    tab.goto(f"{server}/framing/-/framing/articles/{tilde_encode(article['article_id'])}")
    assert tab.console_errors == []
    # A mention cut by a quote boundary is drawn as two marks of the same mention.
    marked = tab.locator("article mark[data-mention]").evaluate_all("els => new Set(els.map(e => e.dataset.mention)).size")
    assert marked == article["mentions"]
    if article["quotes"]:
        assert tab.locator("article .framing-quote").count() >= 1
    sentence = tab.locator("article .framing-s").first
    sentence.focus()
    tip = tab.locator(".framing-tip")
    assert tip.is_visible() and tip.inner_text().startswith("Sentence 1")


HOSTILE_PAGES = [
    "/sample/-/framing",
    "/sample/-/framing?_actors=all",
    "/sample/-/framing/actors/" + tilde_encode(sample.EVIL_ID),
    "/sample/-/framing/articles/" + tilde_encode(sample.ARTICLES[2]["id"]),
    "/sample/-/framing/sentences?actor=" + quote(sample.EVIL_ID),
    "/sample/-/framing/sentences?speaker=" + quote(sample.EVIL_ID),
    "/sample/-/framing/compare?actor=russia&actor=" + quote(sample.EVIL_ID),
    "/sample/-/framing/methods",
    "/sample/-/framing.json",
    "/-/framing",
]


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_hostile_content_is_inert(server, tab, path):
    tab.goto(server + path)
    # Hover and focus everything a payload could hide behind, then look for any effect.
    for el in tab.locator("mark, .framing-quote, h1, .framing-legend-item").all()[:40]:
        try:
            el.hover(timeout=100)
        except Exception:
            pass
    assert tab.dialogs == []
    assert tab.console_errors == []
    assert tab.evaluate("document.querySelectorAll('script:not([src])').length") == tab.evaluate(
        "Array.from(document.scripts).filter(s => !s.src && (s.textContent.includes('detailsClickedWithin') || s.type === 'application/json')).length"
    )
    assert tab.locator("svg[onload], img[onerror], x[onmouseover]").count() == 0
    assert tab.locator('a[href^="javascript:"]').count() == 0
    if "articles/" in path:
        assert sample.HOSTILE_TITLE in tab.locator("h1").inner_text()  # shown as text
        assert tab.locator("a.framing-source-link").count() == 0  # javascript: URL is not a link
