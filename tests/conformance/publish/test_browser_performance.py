"""The performance view of the matrix page in headless Chromium: the heat map and its SVG plot shown, a
wrong answer shown as such with no time, hostile text inert, no console error, the page one self-contained
file. Skipped when Chromium is absent."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from accord_testing import browser
from accord_testing.bench_fixtures import HOSTILE, bench_report
from accord_testing.matrix_fixtures import write_set
from accord_testing.runners import run_matrix
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not browser.available(),
                                 reason=f"headless Chromium not found ({browser.CHROMIUM}, {browser.CHROMEDRIVER}): "
                                        f"{browser.INSTALL_HINT}")]


def test_performance_view_renders_without_errors(tmp_path: Path) -> None:
    write_set(tmp_path / "reports")
    (tmp_path / "bench.json").write_text(json.dumps(bench_report()))
    code, _, stderr = run_matrix(str(tmp_path / "reports"), "--out", str(tmp_path / "site"),
                                 "--bench", str(tmp_path / "bench.json"))
    assert code == 0, stderr
    page = (tmp_path / "site" / "index.html").read_text()
    # one self-contained file: no script, style sheet, image or frame is fetched (data: URIs only)
    assert not re.search(r"""<(script|link|img|iframe|object|embed)\b[^>]*\b(src|href)=["'](?!data:)""", page)
    with browser.chromium() as drv:
        drv.get((tmp_path / "site" / "index.html").as_uri())
        WebDriverWait(drv, 10).until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
        section = drv.find_element(By.CSS_SELECTOR, "#performance-tensor")
        assert section.is_displayed()
        head = [c.text for c in section.find_elements(By.CSS_SELECTOR, "thead th")]
        assert head == ["workload", "size", "numpy (baseline)", "fast-but-wrong"]
        rows = {r.get_attribute("data-workload"): [c.text for c in r.find_elements(By.CSS_SELECTOR, "td")]
                for r in section.find_elements(By.CSS_SELECTOR, "tbody tr")}
        assert rows["tensor.bench.add.1e6"] == ["add", "1e6", "0.5 ms", "2.00×"]
        assert rows["tensor.bench.multiply.1e2"] == ["multiply", "1e2", "0.0007 ms", "wrong answer"]
        plot = section.find_element(By.CSS_SELECTOR, "svg.bench-plot")
        assert plot.is_displayed() and plot.size["height"] > 100
        bars = plot.find_elements(By.CSS_SELECTOR, "rect title")
        assert any("fast-but-wrong at 1e6: 2.00×, 1 untimed" == b.get_attribute("textContent") for b in bars)
        assert f"test CPU {HOSTILE}" in section.text  # shown as text, never run
        assert drv.execute_script("return window.__accord_pwned") is None
        assert [e for e in drv.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
