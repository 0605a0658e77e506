"""Read the tensor spec's data documents: dtype categories, limits, defaults, the promotion table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.spec.model import Spec


@dataclass(frozen=True)
class TensorData:
    categories: dict[str, tuple[str, ...]]
    limits: dict[str, dict[str, Any]]
    defaults: dict[str, tuple[str, ...]]
    promotion: dict[tuple[str, str], str]
    promotion_features: dict[tuple[str, str], str | None]
    scalar_rules: tuple[dict[str, Any], ...]
    complex_feature: str = "complex"

    def dtypes(self, category: str, with_complex: bool = False) -> tuple[str, ...]:
        """Dtypes of a category; complex ones only when the complex feature is in play."""
        found = self.categories[category]
        if with_complex:
            return found
        return tuple(d for d in found if d not in self.categories["complex-floating"])

    def default_dtypes(self) -> frozenset[str]:
        """bool and every candidate default dtype (the dtypes a library uses unless told otherwise)."""
        return frozenset(("bool", *(d for found in self.defaults.values() for d in found)))

    def kind(self, dtype: str) -> str:
        return self.limits[dtype]["kind"]

    def promote(self, a: str, b: str) -> str | None:
        return self.promotion.get((a, b))

    def pairs(self, category: str, with_complex: bool) -> list[tuple[str, str, str]]:
        """Promotion-table pairs whose both dtypes lie in a category."""
        allowed = set(self.dtypes(category, with_complex))
        return [(a, b, r) for (a, b), r in sorted(self.promotion.items()) if a in allowed and b in allowed]


def tensor_data(spec: Spec) -> TensorData:
    """The data documents of a loaded tensor spec, cached on the spec object's digest."""
    cached = _CACHE.get(spec.digest)
    if cached is not None:
        return cached
    dt = next(spec.documents_of("tensor.dtypes")).data
    pr = next(spec.documents_of("tensor.promotion")).data
    data = TensorData(
        categories={k: tuple(v) for k, v in dt["categories"].items()},
        limits={d["name"]: dict(d) for d in dt["dtypes"]},
        defaults={k: tuple(v) for k, v in dt["defaults"].items()},
        promotion={(r["x1"], r["x2"]): r["result"] for r in pr["table"]},
        promotion_features={(r["x1"], r["x2"]): r.get("feature") for r in pr["table"]},
        scalar_rules=tuple(dict(r) for r in pr["scalars"]["rules"]),
    )
    _CACHE[spec.digest] = data
    return data


_CACHE: dict[str, TensorData] = {}
