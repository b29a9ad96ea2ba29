"""What changed between two submissions of a programme: rows added, removed and changed per
sheet, matched by each layout's ``row_key`` (so an inserted row or a reordered column is not a
change), each changed cell with its old and new value; findings resolved, new and still open.

Works on *snapshots* — the typed records of a workbook as plain JSON — so the history can
compare a new submission with the previous one even when the previous file is gone.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from addin.domain.records import WorkbookData, a1
from addin.domain.text import normalise
from addin.layouts.ecomercado import ECOMERCADO_LAYOUTS, PROGRAMA, VALIDACION
from addin.layouts.model import ColumnType, SheetLayout
from addin.layouts.sets import LAYOUT_SETS

SCHEMA = "minga.changes/1"


def _layouts(snap: dict[str, Any]) -> dict[str, SheetLayout]:
    """The sheets of the snapshot's programme (its set of layouts; the Ecomercado's for a
    snapshot that does not say)."""
    chosen = LAYOUT_SETS.get(snap.get("layouts") or "ecomercado", ECOMERCADO_LAYOUTS)
    return {layout.key: layout for layout in chosen if layout is not VALIDACION}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def snapshot(data: WorkbookData) -> dict[str, Any]:
    """The workbook's records as JSON: per sheet its name, columns and rows (row number and
    values by column key); the Programa fields with their cells."""
    sheets: dict[str, Any] = {}
    for key, sheet in data.sheets.items():
        if not sheet.present:
            continue
        sheets[key] = {"name": sheet.name, "columns": sheet.columns,
                       "rows": [{"row": r.row, "values": {k: _jsonable(v) for k, v in
                                                          r.values.items()}}
                                for r in sheet.records]}
    form = {k: {"value": _jsonable(v), "cell": data.form.cell(k)}
            for k, v in data.form.values.items()}
    return {"layouts": data.definition.layouts, "sheets": sheets,
            "form": {"name": data.form.name, "fields": form}}


def pack(snap: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(snap, ensure_ascii=False, separators=(",", ":")).encode())


def unpack(blob: bytes) -> dict[str, Any]:
    return json.loads(zlib.decompress(blob))


@dataclass
class CellChange:
    column: str  # the column's Spanish header
    cell: str  # A1 in the new workbook
    old: Any
    new: Any
    percent: bool = False  # shown as «60 %», kept as 0.6


@dataclass
class RowChange:
    kind: str  # "agregada" | "eliminada" | "modificada"
    key: str
    row: int  # in the new workbook (the old one for a removed row)
    cells: list[CellChange] = field(default_factory=list)


@dataclass
class SheetChanges:
    sheet: str
    rows: list[RowChange] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for r in self.rows if r.kind == kind)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) \
            and not isinstance(a, bool) and not isinstance(b, bool):
        return abs(a - b) < 1e-9
    return a == b


def _key_text(layout: SheetLayout, values: dict[str, Any]) -> str:
    parts = [values.get(k) for k in layout.row_key]
    if all(p in (None, "") for p in parts):  # no key written: the required columns say it
        parts = [values.get(c.key) for c in layout.columns if c.required]
    return " · ".join(str(_display(p)) for p in parts)


def _keyed(layout: SheetLayout, rows: list[dict[str, Any]]) -> dict[tuple[str, int], dict]:
    """Rows by (normalised key, occurrence): a repeated key pairs first with first."""
    seen: Counter[str] = Counter()
    out = {}
    for row in rows:
        key = normalise(_key_text(layout, row["values"]))
        out[(key, seen[key])] = row
        seen[key] += 1
    return out


def _show_key(layout: SheetLayout, row: dict[str, Any]) -> str:
    text = _key_text(layout, row["values"])
    return text or f"fila {row['row']}"


def diff_sheets(old: dict[str, Any], new: dict[str, Any]) -> list[SheetChanges]:
    out = []
    old_form = old["form"]["fields"]
    new_form = new["form"]["fields"]
    layouts = _layouts(new)
    form_layout = next((lay for lay in layouts.values() if lay.kind == "form"), PROGRAMA)
    form = SheetChanges(new["form"]["name"] or form_layout.es)
    for column in form_layout.columns:
        a = old_form.get(column.key, {}).get("value")
        b = new_form.get(column.key, {}).get("value")
        if not _same(a, b):
            cell = new_form.get(column.key, {}).get("cell") or \
                old_form.get(column.key, {}).get("cell") or ""
            form.rows.append(RowChange("modificada", column.es, 0,
                                       [CellChange(column.es, cell, a, b)]))
    if form.rows:
        out.append(form)
    for key, layout in layouts.items():
        if layout.kind == "form" or (key not in old["sheets"] and key not in new["sheets"]):
            continue
        before = old["sheets"].get(key, {"rows": [], "columns": {}})
        after = new["sheets"].get(key, {"rows": [], "columns": {}})
        changes = SheetChanges(after.get("name") or before.get("name") or layout.es)
        a, b = _keyed(layout, before["rows"]), _keyed(layout, after["rows"])
        for k, row in b.items():
            if k not in a:
                changes.rows.append(RowChange("agregada", _show_key(layout, row), row["row"]))
                continue
            cells = []
            for column in layout.columns:
                if column.key not in before["columns"] and column.key not in after["columns"]:
                    continue
                if column.key == "n" and "n" not in layout.row_key:
                    continue  # a running number: an inserted row renumbers those below it
                ov, nv = a[k]["values"].get(column.key), row["values"].get(column.key)
                if not _same(ov, nv):
                    col = after["columns"].get(column.key, 0)
                    cells.append(CellChange(column.es, a1(col, row["row"]), ov, nv,
                                            column.type is ColumnType.PERCENT))
            if cells:
                changes.rows.append(RowChange("modificada", _show_key(layout, row), row["row"],
                                              cells))
        for k, row in a.items():
            if k not in b:
                changes.rows.append(RowChange("eliminada", _show_key(layout, row), row["row"]))
        if changes.rows:
            changes.rows.sort(key=lambda r: (r.kind == "eliminada", r.row))
            out.append(changes)
    return out


def _finding_id(f: dict[str, Any]) -> tuple[str, str, str]:
    """A finding's identity across versions: rule, sheet and row key (its cell when it has
    no row key), since an inserted row moves cells but not keys."""
    return (f["rule"], f["sheet"], f["row_key"] or f["cell"] or "")


def diff_findings(old: list[dict[str, Any]], new: list[dict[str, Any]]
                  ) -> dict[str, list[dict[str, Any]]]:
    pool: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in old:
        pool[_finding_id(f)].append(f)
    fresh, still = [], []
    for f in new:
        bucket = pool.get(_finding_id(f))
        if bucket:
            bucket.pop(0)
            still.append(f)
        else:
            fresh.append(f)
    resolved = [f for bucket in pool.values() for f in bucket]
    return {"resolved": resolved, "new": fresh, "open": still}


@dataclass
class Comparison:
    old: str
    new: str
    sheets: list[SheetChanges]
    findings: dict[str, list[dict[str, Any]]]

    def summary(self) -> dict[str, int]:
        return {"added": sum(s.count("agregada") for s in self.sheets),
                "removed": sum(s.count("eliminada") for s in self.sheets),
                "changed_rows": sum(s.count("modificada") for s in self.sheets),
                "changed_cells": sum(len(r.cells) for s in self.sheets for r in s.rows),
                "findings_resolved": len(self.findings["resolved"]),
                "findings_new": len(self.findings["new"]),
                "findings_open": len(self.findings["open"])}

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "old": self.old, "new": self.new, "summary": self.summary(),
                "sheets": [{"sheet": s.sheet, "rows": [
                    {"change": r.kind, "key": r.key, "row": r.row or None,
                     "cells": [{"column": c.column, "cell": c.cell, "old": c.old,
                                "new": c.new} for c in r.cells]} for r in s.rows]}
                    for s in self.sheets],
                "findings": self.findings}


def compare(old_name: str, old: dict[str, Any], old_findings: list[dict[str, Any]],
            new_name: str, new: dict[str, Any], new_findings: list[dict[str, Any]]
            ) -> Comparison:
    return Comparison(old_name, new_name, diff_sheets(old, new),
                      diff_findings(old_findings, new_findings))


def describe(summary: dict[str, int]) -> str:
    """One line for a table cell: «+2 −1 filas, 5 celdas; hallazgos: 3 resueltos, 1 nuevo»."""
    from addin.domain.wording import plural

    rows = f"+{summary['added']} −{summary['removed']} filas, " \
           f"{plural(summary['changed_cells'], 'celda')}"
    return (f"{rows}; hallazgos: {plural(summary['findings_resolved'], 'resuelto')}, "
            f"{plural(summary['findings_new'], 'nuevo')}")


def _display(value: Any, percent: bool = False) -> Any:
    """A value as a person reads it in the Cambios sheet and the terminal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if percent and isinstance(value, (int, float)):
        return f"{round(value * 100, 1):g} %"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return f"{date.fromisoformat(value):%d-%m-%Y}"
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def change_rows(comparison: Comparison) -> list[list[Any]]:
    """One row per changed cell, added or removed row: the Cambios sheet and the table."""
    rows: list[list[Any]] = []
    for sheet in comparison.sheets:
        for r in sheet.rows:
            if r.kind == "modificada":
                rows += [[sheet.sheet, r.kind, r.key, c.column, c.cell,
                          _display(c.old, c.percent), _display(c.new, c.percent)]
                         for c in r.cells]
            else:
                rows.append([sheet.sheet, r.kind, r.key, "", f"fila {r.row}", "", ""])
    return rows


CHANGE_HEADERS = ["Hoja", "Cambio", "Clave de fila", "Columna", "Celda", "Antes", "Ahora"]
FINDING_HEADERS = ["Estado", "Regla", "Severidad", "Hoja", "Celda", "Clave de fila", "Mensaje"]
FINDING_STATES = {"resolved": "resuelto", "new": "nuevo", "open": "sigue abierto"}


def finding_rows(comparison: Comparison) -> list[list[Any]]:
    from addin.domain.findings import Severity

    return [[FINDING_STATES[state], f["rule"], Severity(f["severity"]).spanish, f["sheet"],
             f["cell"] or "", f["row_key"] or "", f["message"]]
            for state in ("new", "resolved", "open") for f in comparison.findings[state]]


CHANGES_SHEET = "Cambios"
#: Table names of the «Cambios» sheet written into a programme's workbook: names a person's
#: own tables do not use (Excel wants them unique in the whole workbook).
OWN_TABLES = ("MingaCambios", "MingaHallazgosComparados")


def _block(title: str, headers: list[str], rows: list[list[Any]]) -> list[list[Any]]:
    empty = [None] * (len(headers) - 1)
    return [[title, *empty], headers, *(rows or [["(sin cambios)", *empty]])]


def _write_sheet(backend: Any, name: str, blocks: list[tuple[list[list[Any]], str]],
                 widths: dict[str, float]) -> None:
    """``blocks`` (each a title, a header and its rows, with its table's name) one under the
    other, a blank row between them, in one write."""
    from addin.backends.base import SheetFormat, Style, Styled, Table

    rows: list[list[Any]] = []
    styles, tables = [], []
    for block, table in blocks:
        if rows:
            rows.append([None] * 7)
        top = len(rows) + 1
        rows += block
        styles += [Styled(f"A{top}", Style(bold=True, size=13)),
                   Styled(f"A{top + 2}:G{len(rows)}", Style(wrap=True, v_align="top"))]
        tables.append(Table(table, f"A{top + 1}:G{len(rows)}"))
    backend.write_block(name, "A1", rows)
    backend.format_sheet(name, SheetFormat(column_widths=widths, styles=styles, tables=tables,
                                           freeze="A3"))


CHANGE_WIDTHS = {"A": 26, "B": 12, "C": 30, "D": 26, "E": 9, "F": 30, "G": 30}


def write_changes(path: Any, comparison: Comparison) -> None:
    """A new workbook with a «Cambios» sheet (and the findings compared): atomic write."""
    from addin.backends.openpyxl_backend import OpenpyxlBackend

    backend = OpenpyxlBackend.create(path)
    arrow = f"{comparison.old} → {comparison.new}"
    for name, headers, rows, table, widths in (
            ("Cambios", CHANGE_HEADERS, change_rows(comparison), "Cambios", CHANGE_WIDTHS),
            ("Hallazgos", FINDING_HEADERS, finding_rows(comparison), "HallazgosComparados",
             {"A": 14, "B": 11, "C": 12, "D": 24, "E": 9, "F": 16, "G": 70})):
        backend.add_sheet(name)
        _write_sheet(backend, name, [(_block(f"{name}: {arrow}", headers, rows), table)],
                     widths)
    backend.save()


def is_changes_sheet(rows: list[list[Any]]) -> bool:
    """Whether a sheet is the «Cambios» minga wrote (its title, then its header row): only
    then may it be cleared and rewritten; a person's own «Cambios» is theirs."""
    def row(i: int) -> list[Any]:
        return list(rows[i]) if i < len(rows) else []

    title = row(0)[0] if row(0) else None
    header = [v for v in row(1)[:len(CHANGE_HEADERS)]]
    return isinstance(title, str) and title.startswith("Cambios: ") and \
        header == CHANGE_HEADERS


def write_changes_into(path: Any, comparison: Comparison, *, keep_backup: bool = True,
                       force: bool = False) -> Any:
    """Write the «Cambios» sheet — the changes, then the findings compared — into the later
    workbook itself, as ``validar --escribir`` writes «Validación»: under minga's file lock,
    a backup first, an atomic replace, and the preserve guard (a rewrite that would lose
    anything of the person's is refused unless ``force``).  A «Cambios» sheet minga wrote
    before is rewritten; a person's own sheet of that name is never touched.  Returns what
    the save did (``Saved``)."""
    from pathlib import Path

    from addin.backends.openpyxl_backend import OpenpyxlBackend
    from addin.errors import MingaError
    from addin.fileio import check_writable, exclusive

    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise MingaError(f"No se puede escribir la hoja «{CHANGES_SHEET}» en un archivo "
                         f"{path.suffix or 'sin extensión'}.",
                         fix="Guárdelo como .xlsx, o escriba los cambios en un libro nuevo con "
                             "-o cambios.xlsx.")
    check_writable(path, overwrite=True)
    with exclusive(path):
        backend = OpenpyxlBackend.open(path)
        names = backend.sheet_names()
        existing = next((n for n in names if normalise(n) == normalise(CHANGES_SHEET)), None)
        if existing is not None:
            if not is_changes_sheet(backend.read_values(existing)):
                raise MingaError(
                    f"El libro «{path.name}» ya tiene una hoja «{existing}» que no escribió "
                    "minga; no se modificó.",
                    fix="Cámbiele el nombre a esa hoja, o escriba los cambios en un libro nuevo "
                        "con -o cambios.xlsx.")
            backend.clear_sheet(existing)
        else:
            existing = CHANGES_SHEET
            backend.add_sheet(existing)
        arrow = f"{comparison.old} → {comparison.new}"
        _write_sheet(backend, existing, [
            (_block(f"Cambios: {arrow}", CHANGE_HEADERS, change_rows(comparison)),
             OWN_TABLES[0]),
            (_block(f"Hallazgos: {arrow}", FINDING_HEADERS, finding_rows(comparison)),
             OWN_TABLES[1])], CHANGE_WIDTHS)
        return backend.save(own={existing}, keep_backup=keep_backup, force=force,
                            forceable=True)
