"""A finding several input classes of one requirement share is listed (and counted) once in its column.

pydata/sparse's missing ``count_nonzero`` fails one requirement in eight dtype classes, all one finding:
the matrix listed it eight times (166 entries for 45 findings).
"""

from __future__ import annotations

import json
from pathlib import Path

from accord_testing.matrix_fixtures import UINT, findings_set, write_set
from accord_testing.runners import run_matrix


def test_classes_sharing_a_finding_list_it_once(tmp_path: Path) -> None:
    reports = findings_set()
    torch = reports["tensor-torch.json"]
    entry = next(e for e in torch["requirements"] if e["id"] == "tensor.add.values")
    first = entry["findings"][0]
    assert UINT in first["message"]
    for dtype in ("uint32", "uint64"):  # the same raise in two more classes of the same requirement
        entry["findings"].append({**first, "input_class": dtype})
    write_set(tmp_path / "reports", reports)
    code, _, stderr = run_matrix(str(tmp_path / "reports"), "--out", str(tmp_path / "site"))
    assert code == 0, stderr
    [tensor] = json.loads((tmp_path / "site" / "matrix.json").read_text())["families"]
    column = next(c for c in tensor["columns"] if c["adapter"] == "torch")
    ids = [f["id"] for f in column["findings"]]
    assert len(ids) == len(set(ids)) == 3, ids
    assert column["finding_counts"] == {"backend": 2, "adapter": 1, "spec": 0}
