"""validate: read a workbook, run every rule, and report findings where users look.

Outputs: a list of findings (JSON with a stable schema, a terminal table) and, when asked,
the workbook itself — a rewritten «Validación» sheet with links to each cell, and fills and
notes on the offending cells (those of the previous run are undone first, giving back the
user's own notes and fills: see ``addin.actions.marks``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin import __version__
from addin.actions import checklists
from addin.backends.base import (
    MARK_FILLS,
    MAX_CELL_TEXT,
    MAX_LINKS_PER_SHEET,
    MAX_ROW_HEIGHT,
    MAX_ROWS,
    Backend,
    Reader,
    clip,
)
from addin.backends.calamine_backend import CalamineBackend
from addin.backends.files import FileKind
from addin.domain.findings import Finding, Severity, summary
from addin.domain.lean import dataclass
from addin.domain.programme import ProgrammeDefinition
from addin.domain.records import WorkbookData
from addin.domain.rules import REGISTRY, Context
from addin.domain.wording import plural
from addin.errors import MingaError
from addin.fileio import check_writable, writes_file
from addin.layouts.ecomercado import PROGRAMA, VALIDACION
from addin.layouts.identity import SHEET as IDENTITY_SHEET
from addin.layouts.model import column_letter, find_sheet, locate_header
from addin.reading import no_cycle_collection, read_workbook

if TYPE_CHECKING:
    from addin.backends.formatting import Mark
    from addin.backends.openpyxl_backend import Saved

SCHEMA = "minga.findings/1"
MARK_FILL = dict(zip(Severity, MARK_FILLS, strict=True))
#: One finding's text in a note: enough to read, never a whole quoted cell.
MAX_FINDING_NOTE = 1_000
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class ValidationResult:
    """A validated workbook: its data, the cut-off it was judged at, and the findings."""

    source: str
    data: WorkbookData
    cutoff: date
    findings: list[Finding]

    @property
    def summary(self) -> dict[str, int]:
        return summary(self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.summary["errors"] else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "minga_version": __version__,
            "file": self.source,
            "programme": self.data.definition.id,
            "cutoff": self.cutoff.isoformat(),
            "summary": self.summary,
            "findings": [f.to_json() for f in self.findings],
        }


def cutoff_date(data: WorkbookData, given: date | None) -> date:
    """The date the workbook is judged at: given, else Programa › Fecha de corte, else today."""
    if given is not None:
        return given
    written = data.form.get("fecha_corte")
    return written if isinstance(written, date) else date.today()


def validate(reader: Reader, definition: ProgrammeDefinition | None = None,
             cutoff: date | None = None, source: str = "") -> ValidationResult:
    with no_cycle_collection():
        data = read_workbook(reader, definition)
        when = cutoff_date(data, cutoff)
        ctx = Context(data, when, checklists.files_beside(source))  # VER-03: files beside it
        findings = list(data.findings)
        for rule in REGISTRY.values():
            if rule.applies_to(data.definition):
                findings += rule.run(ctx)
    order = {name: i for i, name in enumerate(reader.sheet_names())}
    findings.sort(key=lambda f: (f.sort_key[0], order.get(f.sheet, len(order)), *f.sort_key[1:]))
    return ValidationResult(source, data, when, findings)


def _text(value: str) -> str:
    """Text a cell can hold: no XML-illegal control characters (a hostile value quoted in a
    message would make the file unwritable), within Excel's length limit."""
    return clip(_CONTROL.sub("\ufffd", value), MAX_CELL_TEXT)


def _note(finding: Finding) -> str:
    return clip(_CONTROL.sub("\ufffd", f"[{finding.rule}] {finding.message}\n→ {finding.fix}"),
                MAX_FINDING_NOTE)


def _previous_cells(backend: Backend, sheet: str) -> dict[str, list[str]]:
    """The cells a Validación sheet lists, by sheet: where a run without a record marked."""
    rows = backend.read_values(sheet)
    where = locate_header(rows, VALIDACION.columns)
    if where is None or not {"hoja", "celda"} <= set(where.columns):
        return {}
    h, c = where.columns["hoja"], where.columns["celda"]
    cells: dict[str, list[str]] = defaultdict(list)
    for row in rows[where.row + 1:]:
        if max(h, c) < len(row) and isinstance(row[h], str) and isinstance(row[c], str):
            cells[row[h]].append(row[c])
    return cells


def write_findings(backend: Backend, result: ValidationResult) -> None:
    """Rewrite the Validación sheet and mark the offending cells.

    The previous run's marks are undone first from the workbook's record (the user's notes
    and fills come back), then the new ones are put and recorded.  Validación ends up next to
    Programa and is the sheet the workbook opens on.
    """
    # Only writing needs these (and, through them, openpyxl): validating alone never loads them.
    from addin.actions.build import ListRegistry, table_sheet
    from addin.actions.marks import clear_legacy_marks, remark
    from addin.actions.record import RECORD_SHEET, Record
    from addin.backends.formatting import Link, Mark, Style, Styled

    record = Record.load(backend)
    names = backend.sheet_names()
    sheet = find_sheet(names, VALIDACION)
    if sheet is None:
        sheet = VALIDACION.es
        backend.add_sheet(sheet)
    else:
        if not record.marks:  # perhaps marked by a minga that kept no record of its marks
            clear_legacy_marks(backend, _previous_cells(backend, sheet))
        backend.clear_sheet(sheet)
    limit = MAX_ROWS - VALIDACION.first_data_row  # one row left to say how many are not shown
    shown = result.findings[:limit]
    rows = [{"regla": f.rule, "severidad": f.severity.spanish, "hoja": _text(f.sheet),
             "celda": _text(f.cell or ""), "clave": _text(f.row_key or ""),
             "mensaje": _text(f.message), "correccion": _text(f.fix),
             "fuente": _text(f.source)} for f in shown]
    if len(result.findings) > len(shown):
        more = plural(len(result.findings) - len(shown), "hallazgo más", "hallazgos más")
        rows.append({"mensaje": f"… y {more}: use "
                                "`minga validar --json` para verlos todos."})
    plan = table_sheet(VALIDACION, result.data.definition, ListRegistry(), "es", rows)
    counts = result.summary
    plan.put(2, 1, f"Validación al {result.cutoff:%d-%m-%Y} ({result.data.definition.name}): "
                   f"{plural(counts['errors'], 'error')}, "
                   f"{plural(counts['warnings'], 'advertencia')}, "
                   f"{plural(counts['info'], 'informativo')}. minga reescribe esta hoja en cada "
                   "validación: no escriba en ella.")
    plan.fmt.validations.clear()  # the list lives in another workbook's Listas; not needed
    existing = set(names) | {sheet}
    first, last = VALIDACION.first_data_row, VALIDACION.first_data_row + len(rows) - 1
    if rows:
        plan.fmt.styles.append(Styled(f"A{first}:H{last}", Style(wrap=True, v_align="top")))
        severity_col = column_letter(VALIDACION.index("severidad"))
        runs: list[tuple[Severity, int, int]] = []  # findings come sorted by severity
        for i, finding in enumerate(shown):
            if runs and runs[-1][0] is finding.severity:
                runs[-1] = (finding.severity, runs[-1][1], first + i)
            else:
                runs.append((finding.severity, first + i, first + i))
        for severity, top, bottom in runs:
            plan.fmt.styles.append(Styled(f"{severity_col}{top}:{severity_col}{bottom}", Style(
                fill=MARK_FILL[severity], wrap=True, v_align="top")))
        for i, row in enumerate(rows):
            # Spreadsheets do not grow wrapped rows on open: size them from the text.
            lines = max(-(-len(str(row.get(c.key) or "")) // int(c.width * 1.1))
                        for c in VALIDACION.columns)
            plan.fmt.row_heights[first + i] = min(15 * max(lines, 1), MAX_ROW_HEIGHT)
    cell_col = VALIDACION.index("celda")
    for i, finding in enumerate(shown):
        if len(plan.fmt.links) == MAX_LINKS_PER_SHEET:
            break
        if finding.cell and finding.sheet in existing:
            plan.fmt.links.append(Link(f"{column_letter(cell_col)}{first + i}", finding.sheet,
                                       finding.cell))
    width = max(len(r) for r in plan.rows)
    backend.write_block(sheet, "A1", [r + [None] * (width - len(r)) for r in plan.rows])
    backend.format_sheet(sheet, plan.fmt)
    marks: dict[str, list[Mark]] = defaultdict(list)
    for finding in result.findings:  # most severe first: its colour wins on a shared cell
        if finding.cell and finding.sheet in existing and \
                finding.sheet not in (sheet, RECORD_SHEET):
            marks[finding.sheet].append(Mark(finding.cell, fill=MARK_FILL[finding.severity],
                                             note=_note(finding)))
    remark(backend, record, marks)
    record.save(backend)
    programa = find_sheet(backend.sheet_names(), PROGRAMA)
    backend.move_sheet(sheet, after=programa)
    backend.activate(sheet)


@writes_file("write")
def validate_file(path: Path, definition: ProgrammeDefinition | None = None,
                  cutoff: date | None = None, write: bool = False,
                  keep_backup: bool = True, force: bool = False
                  ) -> tuple[ValidationResult, Saved | None]:
    """Validate a workbook file; with ``write``, put the findings into it (backup first).

    The file is not replaced if the rewrite would lose anything of the user's (a shape, a
    form button, a comment thread…), unless ``force``: see ``OpenpyxlBackend.save``."""
    path = Path(path)
    reader = CalamineBackend(path)
    result = validate(reader, definition, cutoff, source=str(path))
    saved = None
    if write:
        if reader.kind is not FileKind.XLSX:
            raise MingaError(f"No se pueden escribir los resultados en un archivo "
                             f".{reader.kind.value}.", fix="Guárdelo como .xlsx o valide sin "
                                                           "--escribir.")
        check_writable(path, overwrite=True)
        from addin.actions.record import RECORD_SHEET
        from addin.backends.openpyxl_backend import OpenpyxlBackend

        backend = OpenpyxlBackend.open(path)
        write_findings(backend, result)
        own = {find_sheet(backend.sheet_names(), VALIDACION) or VALIDACION.es, RECORD_SHEET,
               IDENTITY_SHEET}
        saved = backend.save(own=own, keep_backup=keep_backup, force=force, forceable=True)
    return result, saved
