"""The findings view of the matrix page in a real headless Chromium: header counts, the per-backend list with
repros, adapter findings shown as such, "pass via adapter shim", hostile snippets inert.

Needs Debian's ``chromium`` and ``chromium-driver``; a missing browser fails, it does not skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from accord_testing import browser
from accord_testing.matrix_fixtures import UINT, findings_set, write_set
from accord_testing.runners import run_matrix
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accord.conformance.findings import finding_id

pytestmark = pytest.mark.slow
TORCH = "tensor:1.0:torch@2.13.0"
NUMPY = "tensor:1.0:numpy@2.4.0"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("findings-site")
    write_set(root / "reports", findings_set())
    code, _, stderr = run_matrix(str(root / "reports"), "--out", str(root / "site"))
    assert code == 0, stderr
    return root / "site"


@pytest.fixture(scope="module")
def page(site: Path) -> Iterator[object]:
    if not browser.available():
        pytest.fail(f"headless Chromium not found ({browser.CHROMIUM}, {browser.CHROMEDRIVER}): {browser.INSTALL_HINT}")
    with browser.chromium() as drv:
        drv.get((site / "index.html").as_uri())
        WebDriverWait(drv, 10).until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
        yield drv
        assert [e for e in drv.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []


def open_panel(drv: object, selector: str) -> object:
    drv.find_element(By.CSS_SELECTOR, selector).click()
    panel = drv.find_element(By.ID, "details")
    WebDriverWait(drv, 5).until(lambda d: "open" in panel.get_attribute("class"))
    return panel


def test_column_header_counts_backend_findings_only(page: object) -> None:
    torch = page.find_element(By.CSS_SELECTOR, f'th.colhead[data-col="{TORCH}"] .tag.findings')
    assert torch.text.lower() == "2 findings +1 adapter"
    assert torch.get_attribute("data-backend-findings") == "2"
    assert page.find_elements(By.CSS_SELECTOR, f'th.colhead[data-col="{NUMPY}"] .tag.findings') == []
    cell = page.find_element(By.CSS_SELECTOR, f'tr.group[data-cap="reductions"] td[data-col="{TORCH}"]')
    assert cell.text == "◐partial 1 of 2 · 1 adapter/spec"  # the adapter's failure is not held against torch


def test_column_panel_lists_findings_with_repros(page: object) -> None:
    panel = open_panel(page, f'th.colhead[data-col="{TORCH}"]')
    view = panel.find_element(By.ID, "findings")
    assert view.find_element(By.TAG_NAME, "h3").text == "Findings (2 backend, 1 adapter)"
    cards = view.find_elements(By.CSS_SELECTOR, ".rootcause")
    assert [c.get_attribute("data-cause") for c in cards] == ["backend", "backend", "adapter"]
    uint = view.find_element(By.CSS_SELECTOR, f'.rootcause[data-finding="{finding_id("tensor", ("raised", "TypeError", UINT))}"]')
    assert f"TypeError: {UINT}" in uint.text
    assert [a.text for a in uint.find_elements(By.CSS_SELECTOR, ".rid")] == \
        ["tensor.add.broadcast", "tensor.add.values", "tensor.sum.values"]
    assert uint.find_element(By.CSS_SELECTOR, "pre.v-reproduce").text == "torch.sum(x)"
    assert "input classes: uint16, uint32, uint64" in uint.text
    assert "Adapter shims (1)" in panel.text and "sort-descending — emulate of sort, argsort" in panel.text
    # the hostile repro snippet of the adapter finding is text, never markup
    assert "</pre><script>window.__accord_pwned=7</script>" in cards[2].text
    assert page.execute_script("return window.__accord_pwned") is None
    page.find_element(By.CSS_SELECTOR, "#details button.close").click()


def test_requirement_cells_show_shims_and_adapter_cause(page: object) -> None:
    page.find_element(By.CSS_SELECTOR, 'tr.group[data-key="tensor/reductions"] button.toggle').click()
    shim = page.find_element(By.CSS_SELECTOR, f'tr.req[data-req="tensor.sum.values"] td[data-col="{NUMPY}"]')
    assert shim.text.endswith("pass via adapter shim") and "via-shim" in shim.get_attribute("class")
    adapter = page.find_element(By.CSS_SELECTOR, f'tr.req[data-req="tensor.mean.values"] td[data-col="{TORCH}"]')
    assert adapter.find_element(By.CSS_SELECTOR, ".tag.cause").get_attribute("textContent") == "adapter"
    assert "cause-adapter" in adapter.get_attribute("class")
    panel = open_panel(page, f'tr.req[data-req="tensor.mean.values"] td[data-col="{TORCH}"]')
    assert "Not held against the backend" in panel.text and "Runs through an adapter shim: sort-descending" in panel.text
    assert panel.find_element(By.CSS_SELECTOR, ".case").get_attribute("data-finding").startswith("F-")
