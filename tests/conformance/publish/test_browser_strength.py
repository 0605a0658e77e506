"""The suite-strength section of the matrix page in headless Chromium: shown, readable, hostile text inert,
no console error. Skipped when Chromium is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from accord_testing import browser
from accord_testing.matrix_fixtures import write_set
from accord_testing.mutation_fixtures import SURVIVOR, mutation_report
from accord_testing.runners import run_matrix
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not browser.available(),
                                 reason=f"headless Chromium not found ({browser.CHROMIUM}, {browser.CHROMEDRIVER}): "
                                        f"{browser.INSTALL_HINT}")]


def test_strength_section_renders_without_errors(tmp_path: Path) -> None:
    write_set(tmp_path / "reports")
    (tmp_path / "mutation.json").write_text(json.dumps(mutation_report()))
    code, _, stderr = run_matrix(str(tmp_path / "reports"), "--out", str(tmp_path / "site"),
                                 "--mutation", str(tmp_path / "mutation.json"))
    assert code == 0, stderr
    with browser.chromium() as drv:
        drv.get((tmp_path / "site" / "index.html").as_uri())
        WebDriverWait(drv, 10).until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
        section = drv.find_element(By.CSS_SELECTOR, "#strength-tensor")
        assert section.is_displayed()
        rows = [[c.text for c in r.find_elements(By.CSS_SELECTOR, "td,th")]
                for r in section.find_elements(By.CSS_SELECTOR, "tbody tr")]
        assert rows == [["Element-wise arithmetic", "1/1", "100.0 %"], ["Reductions", "1/2", "50.0 %"],
                        ["total", "2/3", "66.7 %"]]
        assert SURVIVOR in section.text  # shown as text, never run
        assert drv.execute_script("return window.__accord_pwned") is None
        assert [e for e in drv.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
