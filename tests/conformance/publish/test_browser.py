"""The matrix page in a real headless Chromium: loads cleanly, filters, details, hostile strings inert.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); a
missing browser fails these tests rather than skipping them. A screenshot of the
page and of an open details panel is saved under ``test-artifacts/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from accord_testing import REPO_ROOT, browser
from accord_testing.matrix_fixtures import HOSTILE, write_set
from accord_testing.runners import run_matrix
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ARTIFACTS = REPO_ROOT / "test-artifacts"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("matrix-site")
    write_set(root / "reports")
    docs = root / "site" / "spec-docs" / "tensor" / "1.0"
    docs.mkdir(parents=True)
    (docs / "index.html").write_text('<!DOCTYPE html><title>tensor 1.0</title><p id="tensor.add.values">add</p>')
    (root / "site" / "spec-docs" / "index.html").write_text("<!DOCTYPE html><title>Accord specs</title>")
    code, _, stderr = run_matrix(str(root / "reports"), "--out", str(root / "site"))
    assert code == 0, stderr
    return root / "site"


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    if not browser.available():
        pytest.fail(f"headless Chromium not found ({browser.CHROMIUM}, {browser.CHROMEDRIVER}): {browser.INSTALL_HINT}")
    with browser.chromium() as drv:
        yield drv


@pytest.fixture
def page(driver: object, site: Path) -> Iterator[object]:
    """The page freshly loaded; after the test, the browser log must hold no error or warning."""
    driver.get((site / "index.html").as_uri())
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
    yield driver
    assert severe(driver) == []


def css(drv: object, selector: str) -> list:
    return drv.find_elements(By.CSS_SELECTOR, selector)


def visible_text(drv: object, selector: str) -> list[str]:
    return [e.text for e in css(drv, selector) if e.is_displayed()]


def severe(drv: object) -> list[dict]:
    return [e for e in drv.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_page_loads_without_console_errors_or_network(page: object, site: Path) -> None:
    assert severe(page) == []
    assert page.title == "Accord compatibility matrix"
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    sections = [s.get_attribute("data-family") for s in css(page, "section.family")]
    assert sections == ["pipeline", "tensor"]
    legend = page.find_element(By.ID, "legend").text
    for word in ("full", "partial", "none", "not claimed", "not run", "adapter broken", "xfail"):
        assert word in legend


def test_cells_say_what_matrix_json_says(page: object, site: Path) -> None:
    model = json.loads((site / "matrix.json").read_text())
    expected = {(c["id"], cap): cell["state"] for f in model["families"] for c in f["columns"]
                for cap, cell in c["groups"].items() if cell["state"] != "absent"}
    page.find_element(By.ID, "all-releases").click()  # a backend's older releases are hidden until asked for
    shown = {(td.get_attribute("data-col"), td.get_attribute("data-cap")): td.get_attribute("data-state")
             for td in css(page, "tr.group td.cell")}
    assert shown == expected
    torch = page.find_element(By.CSS_SELECTOR, 'tr.group[data-cap="arithmetic"] td[data-col="tensor:1.0:torch@2.13.0"]')
    assert torch.text == "◐partial 1 of 3"
    dask = page.find_element(By.CSS_SELECTOR, 'tr.group[data-cap="arithmetic"] td[data-col="tensor:1.0:dask@2024.8.0"]')
    assert "adapter broken" in dask.text


def test_family_and_spec_version_filters(page: object) -> None:
    Select(page.find_element(By.ID, "filter-family")).select_by_value("pipeline")
    assert [s.get_attribute("data-family") for s in css(page, "section.family")] == ["pipeline"]
    assert {c.get_attribute("data-family") for c in css(page, "#backends .card")} == {"pipeline"}
    Select(page.find_element(By.ID, "filter-family")).select_by_value("")
    Select(page.find_element(By.ID, "filter-version")).select_by_value("1.1")
    assert [s.get_attribute("data-family") for s in css(page, "section.family")] == ["tensor"]
    assert [th.get_attribute("data-col") for th in css(page, "th.colhead")] == ["tensor:1.1:numpy@2.4.0"]
    assert page.find_element(By.ID, "visible-count").text == "1 backend columns shown"


def test_level_filter_recomputes_cells_and_scores(page: object) -> None:
    cell = 'tr.group[data-cap="arithmetic"] td[data-col="tensor:1.0:torch@2.13.0"]'
    page.find_element(By.ID, "level-SHOULD").click()
    page.find_element(By.ID, "level-MAY").click()
    assert page.find_element(By.CSS_SELECTOR, cell).text == "◐partial 1 of 2"  # SHOULD error no longer counted
    assert {tr.get_attribute("data-level") for tr in css(page, "tr.score")} == {"MUST", "all"}
    assert css(page, 'tr.group[data-cap="complex"]') == []  # only MAY requirements there
    page.find_element(By.ID, "level-MUST").click()  # no level selected: an empty table, not an error
    assert [td.text for td in css(page, 'section[data-family="tensor"] td.empty')] == \
        ["No requirement of the selected levels."]
    page.find_element(By.ID, "level-MAY").click()
    assert [tr.get_attribute("data-cap") for tr in css(page, 'section[data-family="tensor"] tr.group')] == ["complex"]


def test_only_differences_hides_rows_where_backends_agree(page: object) -> None:
    groups = 'section[data-family="pipeline"] tr.group'
    assert [tr.get_attribute("data-cap") for tr in css(page, groups)] == ["elementwise", "windowing"]
    page.find_element(By.ID, "only-diff").click()
    assert [tr.get_attribute("data-cap") for tr in css(page, groups)] == ["windowing"]
    page.find_element(By.CSS_SELECTOR, 'tr.group[data-key="pipeline/windowing"] button.toggle').click()
    rows = [tr.get_attribute("data-req") for tr in css(page, 'section[data-family="pipeline"] tr.req')]
    assert rows == ["pipeline.window.fixed", "pipeline.window.late"]


def test_cell_opens_failure_details_with_repro(page: object) -> None:
    page.find_element(By.CSS_SELECTOR,
                      'tr.group[data-cap="arithmetic"] td[data-col="tensor:1.0:numpy@2.4.0"]').click()
    panel = page.find_element(By.ID, "details")
    WebDriverWait(page, 5).until(lambda d: "open" in panel.get_attribute("class"))
    finding = panel.find_element(By.CSS_SELECTOR, '.finding[data-req="tensor.add.broadcast"]')
    assert "XFAIL" in finding.text and "Declared known failure" in finding.text
    assert "known rounding difference in the backend" in finding.text
    link = finding.find_element(By.CSS_SELECTOR, ".declared a")
    assert link.get_attribute("href") == "https://example.org/issues/42"
    # values shown exactly as the report holds them (the sign of -0.0 survives)
    assert finding.find_element(By.CSS_SELECTOR, "pre.v-counterexample").text == '{"x1": [1.0, 2.0], "x2": [0.5, -0.0]}'
    assert finding.find_element(By.CSS_SELECTOR, "pre.v-expected").text == "[1.5, 2.0]"
    assert finding.find_element(By.CSS_SELECTOR, "pre.v-actual").text == "[1.5, 2.0000002]"
    assert finding.find_element(By.CSS_SELECTOR, "pre.v-snippet").text == "import numpy as np\nnp.add(...)"
    repro = finding.find_element(By.CSS_SELECTOR, ".repro code").text
    assert repro.startswith("accord repro ") and repro.endswith("tensor-numpy-2.4.json tensor.add.broadcast")
    # the requirement id links to the rendered spec
    rid = finding.find_element(By.CSS_SELECTOR, "a.rid")
    assert rid.get_attribute("href").endswith("/spec-docs/tensor/1.0/index.html#tensor.add.broadcast")
    ARTIFACTS.mkdir(exist_ok=True)
    page.save_screenshot(str(ARTIFACTS / "matrix-details.png"))
    page.find_element(By.CSS_SELECTOR, "#details button.close").click()
    WebDriverWait(page, 5).until(lambda d: "open" not in panel.get_attribute("class"))


def test_column_header_shows_badge_and_embed_snippets(page: object) -> None:
    page.find_element(By.CSS_SELECTOR, 'th.colhead[data-col="tensor:1.0:numpy@2.4.0"]').click()
    panel = page.find_element(By.ID, "details")
    WebDriverWait(page, 5).until(lambda d: "open" in panel.get_attribute("class"))
    md = panel.find_element(By.CSS_SELECTOR, 'textarea.snippet[data-kind="markdown"]').get_attribute("value")
    assert md == "[![numpy — accord tensor 1.0: 3/4 MUST · 1 expected](badges/numpy-tensor-1.0.svg)](index.html)"
    img = panel.find_element(By.CSS_SELECTOR, ".badge img")
    assert img.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert page.execute_script("return arguments[0].naturalWidth", img) > 50  # the badge really rendered
    card = page.find_element(By.CSS_SELECTOR, '#backends .card[data-adapter="numpy"]')
    rows = [tr.text for tr in card.find_elements(By.CSS_SELECTOR, "table.history tbody tr")]
    assert rows[0].startswith("2.3.0 (spec 1.0) 100 % 50 %") and rows[1].endswith("▲ +2")


def test_requirement_link_opens_rendered_spec(page: object, site: Path) -> None:
    page.find_element(By.CSS_SELECTOR, 'tr.group[data-key="tensor/arithmetic"] button.toggle').click()
    page.find_element(By.CSS_SELECTOR, 'tr.req[data-req="tensor.add.values"] a.rid').click()
    WebDriverWait(page, 5).until(lambda d: d.title == "tensor 1.0")
    assert page.current_url == (site / "spec-docs/tensor/1.0/index.html").as_uri() + "#tensor.add.values"
    page.back()
    WebDriverWait(page, 5).until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
    page.execute_script("window.scrollTo(0, 0)")
    page.find_element(By.ID, "spec-index").click()
    WebDriverWait(page, 5).until(lambda d: d.title == "Accord specs")


def test_hostile_report_strings_render_as_text_and_never_run(page: object) -> None:
    assert page.execute_script("return window.__accord_pwned") is None
    page.find_element(By.ID, "expand-all").click()
    hostile_cols = [th for th in css(page, "th.colhead") if "__accord_pwned" in th.text]
    assert len(hostile_cols) == 1
    assert "<script>window.__accord_pwned = 1</script>" in hostile_cols[0].text.replace("\n", "")
    col_id = hostile_cols[0].get_attribute("data-col")
    cells = {td.get_attribute("data-req"): td for td in css(page, "tr.req td.cell")
             if td.get_attribute("data-col") == col_id}
    panel = page.find_element(By.ID, "details")
    cells["tensor.add.values"].click()
    assert '<img src=x onerror="window.__accord_pwned = 2">' in panel.text
    assert "</script><script>window.__accord_pwned=4</script>" in panel.text
    assert "</pre><script>window.__accord_pwned=5</script>" in panel.text
    cells["tensor.sum.values"].click()  # xfail whose declared link is javascript: → shown as text only
    assert "javascript:window.__accord_pwned=6" in panel.text and HOSTILE in panel.text
    assert panel.find_elements(By.CSS_SELECTOR, ".declared a") == []
    hostile_cols[0].click()
    assert page.execute_script("return window.__accord_pwned") is None
    # no element was created from report markup: no <b>bold</b>, no <img src=x>
    assert page.execute_script("return [...document.querySelectorAll('b')].filter(b => b.textContent === 'bold')"
                               ".length + document.querySelectorAll('img:not([src^=\"data:\"])').length") == 0
    assert severe(page) == []


def test_screenshot_artifact(driver: object, site: Path) -> None:
    driver.set_window_size(1440, 1000)
    driver.get((site / "index.html").as_uri())
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
    driver.find_element(By.CSS_SELECTOR, 'tr.group[data-key="tensor/arithmetic"] button.toggle').click()
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1440, min(height + 120, 4000))
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "matrix-page.png"
    assert driver.save_screenshot(str(path)) and path.stat().st_size > 20_000
    driver.set_window_size(1440, 1000)
