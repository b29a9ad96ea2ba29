"""Findings: what the validator says about a workbook, as plain data.

The JSON form is a stable, documented schema (docs/findings.md): English keys for machines,
Spanish text for people.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from addin.domain.lean import dataclass


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def spanish(self) -> str:
        return {"error": "error", "warning": "advertencia", "info": "info"}[self.value]


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the validator says about a workbook: where, how serious, and how to fix it."""

    rule: str
    severity: Severity
    sheet: str
    cell: str | None
    row_key: str | None
    message: str
    fix: str
    source: str

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity.value, "sheet": self.sheet,
                "cell": self.cell, "row_key": self.row_key, "message": self.message,
                "fix": self.fix, "source": self.source}

    @property
    def sort_key(self) -> tuple[int, str, int, str, str]:
        row = int("".join(ch for ch in self.cell or "" if ch.isdigit()) or 0)
        return (SEVERITY_ORDER[self.severity], self.sheet, row, self.cell or "", self.rule)


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for finding in findings:
        counts[finding.severity.value] += 1
    return {"errors": counts["error"], "warnings": counts["warning"], "info": counts["info"],
            "total": len(findings)}
