"""The one error type of the spec layer: a located, one-line problem."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SpecProblem:
    file: str
    line: int
    path: str  # JSON path into the document, e.g. $.requirements[2].level
    message: str

    def __str__(self) -> str:
        message = " ".join(self.message.split())
        return f"{self.file}:{self.line}: {self.path}: {message}"


class SpecError(Exception):
    """Raised when a spec cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[SpecProblem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def json_path(parts: tuple) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
