"""The matrix page's History section in headless Chromium, from real reports of numpy at three releases.

The reports come from a real ``accord plan run`` (conftest ``history_cells``). Checked: the section renders
the requirement numpy gained in 2.1 as fail at 1.26.4 and pass at 2.2.6, coloured like the main matrix;
the main matrix shows the newest release until "all releases" is ticked; hostile names stay text; no
console error, no network request, one self-contained file. A screenshot goes to ``test-artifacts/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from accord_testing import REPO_ROOT, browser
from accord_testing.history_fixtures import CHANGING, RELEASES, STEADY
from accord_testing.matrix_fixtures import HOSTILE, report, write_set
from accord_testing.runners import run_matrix
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not browser.available(),
                                 reason=f"headless Chromium not found ({browser.CHROMIUM}, {browser.CHROMEDRIVER}): "
                                        f"{browser.INSTALL_HINT}")]

ARTIFACTS = REPO_ROOT / "test-artifacts"
FAIL_BG, PASS_BG = "rgba(251, 220, 215, 1)", "rgba(216, 243, 222, 1)"  # --none and --full: the main matrix's colours


@pytest.fixture(scope="module")
def site(history_cells: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("history-page")
    code, _, stderr = run_matrix(str(history_cells), "--out", str(out))
    assert code == 0, stderr
    return out


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    with browser.chromium() as drv:
        yield drv


def load(drv: object, site: Path) -> object:
    drv.get((site / "index.html").as_uri())
    WebDriverWait(drv, 10).until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
    return drv


@pytest.fixture
def page(driver: object, site: Path) -> Iterator[object]:
    """The page freshly loaded; after the test, the browser log must hold no error or warning."""
    yield load(driver, site)
    assert [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []


def css(drv: object, selector: str) -> list:
    return drv.find_elements(By.CSS_SELECTOR, selector)


def row_cells(row: object) -> dict[str, object]:
    return {td.get_attribute("data-release"): td for td in row.find_elements(By.CSS_SELECTOR, "td.cell")}


def test_changed_requirement_fails_at_the_old_release_and_passes_at_the_new(page: object) -> None:
    entry = page.find_element(By.CSS_SELECTOR, '#history section.history-entry[data-adapter="numpy"][data-spec="1.1"]')
    page.execute_script("arguments[0].scrollIntoView()", entry)
    assert entry.is_displayed()
    heads = [th.get_attribute("data-release") for th in entry.find_elements(By.CSS_SELECTOR, "table.history-changes th[data-release]")]
    assert heads == RELEASES
    changed = [tr.get_attribute("data-req") for tr in entry.find_elements(By.CSS_SELECTOR, "table.history-changes tr.req")]
    assert sorted(changed) == sorted(CHANGING)
    row = entry.find_element(By.CSS_SELECTOR, 'table.history-changes tr[data-req="tensor.cumulative_sum.values"]')
    cells = row_cells(row)
    assert [cells[v].get_attribute("data-state") for v in RELEASES] == ["fail", "fail", "pass"]
    assert cells["1.26.4"].text == "✘fail" and cells["2.2.6"].text == "✔pass"
    assert cells["1.26.4"].value_of_css_property("background-color") == FAIL_BG
    assert cells["2.2.6"].value_of_css_property("background-color") == PASS_BG
    assert row.find_element(By.CSS_SELECTOR, "td.steps").text == "▲ 2.2.6: fail → pass"
    ARTIFACTS.mkdir(exist_ok=True)
    page.save_screenshot(str(ARTIFACTS / "matrix-history.png"))
    # unchanged requirements wait in a closed <details>
    steady = entry.find_element(By.CSS_SELECTOR, f'details.history-unchanged tr[data-req="{STEADY[0]}"]')
    assert not steady.is_displayed()
    entry.find_element(By.CSS_SELECTOR, "details.history-unchanged summary").click()
    assert steady.is_displayed()
    assert [c.get_attribute("data-state") for c in row_cells(steady).values()] == ["pass"] * 3


def test_findings_timeline_shows_when_each_finding_appeared_and_went(page: object, history_cells: Path) -> None:
    oldest = next(json.loads(p.read_text()) for p in history_cells.glob("*1.26.4*.json"))
    rows = css(page, '#history section.history-entry[data-adapter="numpy"] table.history-timeline tr.finding-row')
    assert {tr.get_attribute("data-finding") for tr in rows} == {f["id"] for f in oldest["findings"]}
    for tr in rows:
        cells = row_cells(tr)
        assert [cells[v].get_attribute("data-presence") for v in RELEASES] == ["present", "present", "absent"]
        assert tr.find_element(By.CSS_SELECTOR, "td.appeared").text == "1.26.4"
        assert tr.find_element(By.CSS_SELECTOR, "td.disappeared").text == "gone in 2.2.6"


def test_main_matrix_shows_the_newest_release_until_all_releases_is_ticked(page: object) -> None:
    assert [th.get_attribute("data-col") for th in css(page, "th.colhead")] == ["tensor:1.1:numpy@2.2.6"]
    note = page.find_element(By.CSS_SELECTOR, "section.family .older-note")
    assert "2 older release(s)" in note.text
    assert note.find_element(By.CSS_SELECTOR, "a").get_attribute("href").endswith("#history")
    page.find_element(By.ID, "all-releases").click()
    assert [th.get_attribute("data-col") for th in css(page, "th.colhead")] == [f"tensor:1.1:numpy@{v}" for v in RELEASES]
    assert css(page, "section.family .older-note") == []


def test_page_is_one_file_without_network(page: object, site: Path) -> None:
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert page.execute_script(
        "return document.querySelectorAll('script[src], link[rel=stylesheet], iframe, object, embed, "
        "img:not([src^=\"data:\"])').length") == 0
    html = (site / "index.html").read_text()
    assert "default-src 'none'" in html and "'unsafe-inline'" not in html.split("script-src")[1].split(";")[0]


def test_hostile_names_in_history_stay_text(driver: object, tmp_path: Path) -> None:
    reports = {f"h{v}.json": report("tensor", HOSTILE, f'{v}"><script>window.__accord_pwned=9</script>',
                                    {"tensor.add.values": "fail" if v == "1.0" else "pass"},
                                    started=f"2026-11-29T0{v[0]}:00:00+00:00",
                                    details={"tensor.add.values": {"message": HOSTILE}})
               for v in ("1.0", "2.0")}
    write_set(tmp_path / "r", reports)
    code, _, stderr = run_matrix(str(tmp_path / "r"), "--out", str(tmp_path / "site"))
    assert code == 0, stderr
    drv = load(driver, tmp_path / "site")
    entry = drv.find_element(By.CSS_SELECTOR, "#history section.history-entry")
    assert entry.get_attribute("data-adapter") == HOSTILE
    assert HOSTILE in entry.find_element(By.TAG_NAME, "h3").text
    assert drv.execute_script("return window.__accord_pwned") is None
    assert drv.execute_script("return document.querySelectorAll('#history b, #history script').length") == 0
