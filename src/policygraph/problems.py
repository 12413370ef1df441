"""Problems found in ``data/``: each names the file, the line, the record and the field.

>>> str(Problem("error", "data/agencies.yaml", "agencies[3] 'miit'", "name_zh", "missing", line=12))
"data/agencies.yaml:12: error: agencies[3] 'miit': field 'name_zh': missing"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Problem:
    """One finding. Errors stop a build; warnings are conflicts resolved by rule; notes inform."""

    severity: Severity
    file: str
    record: str | None
    field: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [f"{where}: {self.severity}"]
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(f"field {self.field!r}")
        parts.append(self.message)
        return ": ".join(parts)


class DataError(Exception):
    """Raised when ``data/`` has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in errors) or "invalid data")


def errors_in(problems: list[Problem]) -> list[Problem]:
    """Only the errors."""
    return [p for p in problems if p.severity == "error"]
