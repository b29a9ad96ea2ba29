"""The dashboard's data: one row per programme (its latest submission), the findings of each,
findings by rule family and the trend over submissions.  The Excel and HTML writers
(``dashboard_xlsx``, ``dashboard_html``) only lay this out."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from addin.layouts.sets import identification_for
from addin.supervision.compare import describe
from addin.supervision.db import History
from addin.supervision.metrics import family
from addin.supervision.review import STATE_LABELS, review_state


@dataclass
class ProgrammeRow:
    code: str
    kind: str  # the kind of programme, in Spanish («Ecomercado», «Asamblea»…)
    region: str
    comuna: str
    ejecutor: str
    convenio: str
    start: str
    cutoff: str
    execution_month: str  # «5 de 12»
    stage: str
    plan_done_pct: float | None
    progress: str  # the kind's own headline figure, in words
    progress_pct: float | None
    errors: int
    warnings: int
    by_family: dict[str, tuple[int, int]]  # family → (errors, warnings)
    reports_overdue: int | None  # None: the kind has no reports (or assets) to follow
    assets_not_transferred: int | None
    review: str  # Spanish label
    review_comment: str
    change: str
    file: str
    submissions: int
    findings: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)  # submissions, oldest first


@dataclass
class Dashboard:
    generated: str
    database: str
    programmes: list[ProgrammeRow]
    families: list[str]
    unidentified: list[dict[str, Any]]  # unreadable or unidentified submissions

    @property
    def kinds(self) -> list[str]:
        """The kinds of programme on the board, in the order of their first row."""
        return list(dict.fromkeys(p.kind for p in self.programmes))

    def family_totals(self, kind: str | None = None) -> list[tuple[str, int, int]]:
        """Errors and warnings by rule family, of every programme or of one kind's."""
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for p in self.programmes:
            if kind is not None and p.kind != kind:
                continue
            for fam, (e, w) in p.by_family.items():
                totals[fam][0] += e
                totals[fam][1] += w
        return [(fam, *totals[fam]) for fam in self.families  # type: ignore[misc]
                if kind is None or fam in totals]

    def trend(self) -> list[tuple[str, int, int, int]]:
        """By cut-off month: submissions, errors and warnings (each programme's latest
        submission of that month)."""
        months: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        for p in self.programmes:
            for s in p.history:
                months[(s["cutoff"] or "")[:7]][p.code] = (s["errors"], s["warnings"])
        return [(m, len(v), sum(e for e, _ in v.values()), sum(w for _, w in v.values()))
                for m, v in sorted(months.items()) if m]


def _month(metrics: dict[str, Any]) -> str:
    month, total = metrics.get("execution_month"), metrics.get("execution_months")
    if month is None:
        return ""
    return "antes de la ejecución" if month == 0 else f"{month} de {total}"


def build(history: History) -> Dashboard:
    programmes = []
    families: set[str] = set()
    for p in history.query("SELECT * FROM programmes ORDER BY region, comuna, ejecutor"):
        ident = identification_for(p["kind"])
        state = review_state(history, p["id"])
        latest = state.submission
        if latest is None:
            continue
        metrics = json.loads(latest["metrics"] or "{}")
        findings = [dict(r) for r in history.query(
            "SELECT rule, severity, sheet, cell, row_key, message, fix, source FROM findings "
            "WHERE submission_id = ? ORDER BY position", (latest["id"],))]
        by_family: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for f in findings:
            if f["severity"] in ("error", "warning"):
                by_family[family(f["rule"])][0 if f["severity"] == "error" else 1] += 1
        families |= set(by_family)
        change = history.query("SELECT summary FROM comparisons WHERE submission_id = ?",
                               (latest["id"],))
        past = [dict(r) for r in history.query(
            "SELECT id, file_name, cutoff, validated_at, errors, warnings FROM submissions "
            "WHERE programme_id = ? ORDER BY cutoff, validated_at, id", (p["id"],))]
        programmes.append(ProgrammeRow(
            code=p["code"], kind=ident.kind_es, region=p["region"], comuna=p["comuna"],
            ejecutor=p["ejecutor"],
            convenio=p["convenio"], start=p["start_date"], cutoff=latest["cutoff"] or "",
            execution_month=_month(metrics), stage=metrics.get("stage") or "",
            plan_done_pct=metrics.get("plan_done_pct"), progress=metrics.get("progress", ""),
            progress_pct=metrics.get("progress_pct", metrics.get("plan_done_pct")),
            errors=latest["errors"],
            warnings=latest["warnings"],
            by_family={k: (v[0], v[1]) for k, v in by_family.items()},
            reports_overdue=metrics.get("reports_overdue"),
            assets_not_transferred=metrics.get("assets_not_transferred"),
            review=STATE_LABELS[state.state],
            review_comment=state.review["comment"] if state.review else "",
            change=describe(json.loads(change[0]["summary"])) if change else
            ("primera entrega" if len(past) == 1 else ""),
            file=latest["path"], submissions=len(past), findings=findings, history=past))
    unidentified = [dict(r) for r in history.query(
        "SELECT s.path, s.status, s.errors, s.metrics, f.message FROM submissions s "
        "LEFT JOIN findings f "
        "ON f.submission_id = s.id AND f.position = 0 WHERE s.programme_id IS NULL "
        "ORDER BY s.path")]
    return Dashboard(datetime.now().strftime("%d-%m-%Y %H:%M"), str(Path(history.path)),
                     programmes, sorted(families), unidentified)


def unidentified_reason(submission: dict[str, Any]) -> str:
    """Why a submission is not on the board as a programme, and what to do, in Spanish."""
    if submission["status"] == "ilegible":
        return submission["message"] or "no se pudo leer"
    missing = json.loads(submission.get("metrics") or "{}").get("missing_identity")
    fields = ", ".join(f"«{m}»" for m in missing) if missing else \
        "región, comuna, ejecutor o fecha de inicio"
    return (f"validado, pero su hoja Programa no dice {fields}: complételos para que cuente "
            "como un programa")
