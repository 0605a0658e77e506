"""The matrix page's per-column badge control in headless Chromium: each copy button copies its exact snippet.

What was copied is read back by pasting (Ctrl+V) into a fresh textarea, once through
``navigator.clipboard`` and once through the fallback (readonly field + ``execCommand('copy')``)
that ``file://`` pages without a secure context rely on. Skipped when Chromium is absent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from accord_testing import browser
from accord_testing.matrix_fixtures import write_set
from accord_testing.runners import run_matrix
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not browser.available(),
                                 reason=f"headless Chromium not found ({browser.CHROMIUM}, {browser.CHROMEDRIVER}): "
                                        f"{browser.INSTALL_HINT}")]

NUMPY = "tensor:1.0:numpy@2.4.0"
KINDS = ["markdown", "rst", "html", "markdown-shields", "rst-shields", "html-shields"]
ALT = "numpy — accord tensor 1.0: 3/4 MUST · 1 expected"
SVG = "https://example.org/accord/badges/numpy-tensor-1.0.svg"
SHIELDS = "https://img.shields.io/endpoint?url=https%3A%2F%2Fexample.org%2Faccord%2Fbadges%2Fnumpy-tensor-1.0.json"
LINK = "https://example.org/accord/index.html"
EXPECTED = {
    "markdown": f"[![{ALT}]({SVG})]({LINK})",
    "rst": f".. image:: {SVG}\n   :alt: {ALT}\n   :target: {LINK}",
    "html": f'<a href="{LINK}"><img alt="{ALT}" src="{SVG}"></a>',
    "markdown-shields": f"[![{ALT}]({SHIELDS})]({LINK})",
    "rst-shields": f".. image:: {SHIELDS}\n   :alt: {ALT}\n   :target: {LINK}",
    "html-shields": f'<a href="{LINK}"><img alt="{ALT}" src="{SHIELDS}"></a>',
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("badge-sites")
    write_set(root / "reports")
    for name, extra in (("absolute", ["--base-url", "https://example.org/accord/"]), ("relative", [])):
        code, _, stderr = run_matrix(str(root / "reports"), "--out", str(root / name), *extra)
        assert code == 0, stderr
    return {"absolute": root / "absolute", "relative": root / "relative"}


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    with browser.chromium() as drv:
        yield drv


def open_badge(drv: object, site: Path, column: str, setup: str = "") -> object:
    """Load the page, run ``setup`` (stubs), click the column's badge control; the open details panel."""
    drv.get((site / "index.html").as_uri())
    WebDriverWait(drv, 10).until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
    if setup:
        drv.execute_script(setup)
    # matched by attribute value, not in a selector: a hostile column id holds quotes
    next(b for b in drv.find_elements(By.CSS_SELECTOR, "th.colhead button.badge-btn")
         if b.get_attribute("data-col") == column).click()
    panel = drv.find_element(By.ID, "details")
    WebDriverWait(drv, 5).until(lambda d: "open" in panel.get_attribute("class"))
    return panel


def copy_and_paste(drv: object, button: object) -> str:
    """Click a copy button, then paste the clipboard into a fresh textarea and return what arrived."""
    drv.execute_script("arguments[0].removeAttribute('data-copied')", button)
    button.click()
    WebDriverWait(drv, 5).until(lambda d: button.get_attribute("data-copied"))
    drv.execute_script("var t = document.getElementById('paste-here'); if (t) t.remove();"
                       "t = document.createElement('textarea'); t.id = 'paste-here'; document.body.appendChild(t); t.focus();")
    target = drv.find_element(By.ID, "paste-here")
    target.send_keys(Keys.CONTROL, "v")
    return target.get_attribute("value")


def buttons(panel: object) -> list:
    return panel.find_elements(By.CSS_SELECTOR, ".badge-block button.copy")


def test_every_copy_button_copies_its_exact_snippet(driver: object, sites: dict[str, Path]) -> None:
    panel = open_badge(driver, sites["absolute"], NUMPY)
    assert panel.find_element(By.TAG_NAME, "h2").text == "Badge — numpy"  # the column panel did not open instead
    assert panel.find_elements(By.CSS_SELECTOR, ".relative-note") == []
    assert [b.get_attribute("data-kind") for b in buttons(panel)] == KINDS
    for button in buttons(panel):
        kind = button.get_attribute("data-kind")
        assert copy_and_paste(driver, button) == EXPECTED[kind], kind
        assert button.get_attribute("data-via") == "clipboard" and button.text == "copied"
        shown = panel.find_element(By.CSS_SELECTOR, f'textarea.snippet[data-kind="{kind}"]')
        assert shown.get_attribute("value") == EXPECTED[kind] and shown.get_attribute("readonly")
    assert driver.execute_script("return window.__accord_pwned") is None


def test_fallback_copies_when_the_clipboard_api_is_missing_or_refuses(driver: object, sites: dict[str, Path]) -> None:
    # no navigator.clipboard (a file:// page without a secure context): readonly field + execCommand('copy')
    panel = open_badge(driver, sites["absolute"], NUMPY,
                       "Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true})")
    for button in buttons(panel):
        kind = button.get_attribute("data-kind")
        assert copy_and_paste(driver, button) == EXPECTED[kind], kind
        assert button.get_attribute("data-via") == "execCommand"
    # the clipboard API refuses: the same fallback
    panel = open_badge(driver, sites["absolute"], NUMPY,
                       "Object.defineProperty(navigator, 'clipboard', {configurable: true, value: "
                       "{writeText: function () { return Promise.reject(new Error('denied')); }}})")
    button = buttons(panel)[KINDS.index("rst-shields")]
    assert copy_and_paste(driver, button) == EXPECTED["rst-shields"]
    assert button.get_attribute("data-via") == "execCommand"
    # both refuse: the snippet is left selected in its field for Ctrl+C
    panel = open_badge(driver, sites["absolute"], NUMPY,
                       "Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});"
                       "document.execCommand = function () { return false; };")
    button = buttons(panel)[KINDS.index("html")]
    button.click()
    assert button.text == "press Ctrl+C"
    selected = driver.execute_script("var a = document.activeElement;"
                                     "return [a.dataset.kind, a.value.slice(a.selectionStart, a.selectionEnd)]")
    assert selected == ["html", EXPECTED["html"]]


def test_without_base_url_snippets_are_relative_and_the_page_says_so(driver: object, sites: dict[str, Path]) -> None:
    panel = open_badge(driver, sites["relative"], "tensor:1.0:numpy@2.3.0",  # an older version: the newest's badge
                       "document.getElementById('all-releases').click()")  # older releases are hidden by default
    assert "newest backend version tested: " + NUMPY in panel.text
    note = panel.find_element(By.CSS_SELECTOR, ".relative-note")
    assert note.is_displayed() and "--base-url" in note.text
    button = buttons(panel)[KINDS.index("markdown")]
    assert copy_and_paste(driver, button) == f"[![{ALT}](badges/numpy-tensor-1.0.svg)](index.html)"
    button = buttons(panel)[KINDS.index("html-shields")]
    assert copy_and_paste(driver, button) == (
        f'<a href="index.html"><img alt="{ALT}" '
        'src="https://img.shields.io/endpoint?url=badges%2Fnumpy-tensor-1.0.json"></a>')


def test_hostile_backend_name_is_escaped_in_every_snippet_and_stays_inert(driver: object,
                                                                           sites: dict[str, Path]) -> None:
    model = json.loads((sites["absolute"] / "matrix.json").read_text())
    badge = next(b for b in model["badges"] if "__accord_pwned" in b["adapter"])
    panel = open_badge(driver, sites["absolute"], badge["column"])
    svg = "https://example.org/accord/" + badge["svg"]
    message = "accord tensor 1.0: 2/4 MUST · 1 expected"
    copied = {b.get_attribute("data-kind"): copy_and_paste(driver, b) for b in buttons(panel)
              if b.get_attribute("data-kind") in ("markdown", "rst", "html")}
    assert copied == {
        "markdown": r"[![\<script\>window.\_\_accord\_pwned = 1\</script\>"
                    r'"' + r"'\<b\>bold\</b\>\&amp; — " + message + f"]({svg})]({LINK})",
        "rst": f".. image:: {svg}\n   :alt: <script>window.__accord_pwned = 1</script>\"'<b>bold</b>&amp; — "
               f"{message}\n   :target: {LINK}",
        "html": f'<a href="{LINK}"><img alt="&lt;script&gt;window.__accord_pwned = 1&lt;/script&gt;&quot;'
                f"'&lt;b&gt;bold&lt;/b&gt;&amp;amp; — {message}\" src=\"{svg}\"></a>",
    }
    assert driver.execute_script("return window.__accord_pwned") is None
    assert driver.execute_script("return document.querySelectorAll('img:not([src^=\"data:\"])').length") == 0
