"""No lost edits: the state of the last sync and a three-way merge, cell by cell.

The state (``<libro>.xlsx.sincronizacion.json`` beside the workbook) keeps what both sides
held after the last push or pull: after a sync both sides are equal, so one snapshot is what
each side looked like.  A cell changed on one side only takes that side's value; a cell
changed on both sides to different values is a conflict, listed and never resolved silently.

Only values are synced.  Formula cells (on either side) belong to the template and are left
alone, as are the sheets each side rewrites for itself (Validación, minga's record).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from addin.actions.record import RECORD_SHEET
from addin.backends.base import CellValue, Formula
from addin.errors import MingaError
from addin.fileio import atomic_write
from addin.layouts.ecomercado import VALIDACION

SCHEMA = "minga.sincronizacion/1"
Cell = tuple[int, int]
Cells = dict[Cell, CellValue]
#: Sheets each side keeps to itself: minga rewrites them on every validation.
UNSYNCED = frozenset({VALIDACION.es, VALIDACION.en, RECORD_SHEET})


def normal(value: CellValue) -> CellValue:
    """One spelling per value, whichever side it comes from (1.0 is 1, "" is empty…)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else \
            value.replace(microsecond=0)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def cells_of(rows: list[list[CellValue]]) -> Cells:
    """The non-empty, non-formula cells of a sheet read row by row from A1."""
    out: Cells = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            v = normal(value)
            if v is not None:
                out[(r, c)] = v
    return out


def rows_of(cells: Mapping[Cell, CellValue]) -> list[list[CellValue]]:
    """The inverse of ``cells_of``: a block from A1 to the last cell, blanks as None."""
    if not cells:
        return []
    height = max(r for r, _ in cells) + 1
    width = max(c for _, c in cells) + 1
    rows: list[list[CellValue]] = [[None] * width for _ in range(height)]
    for (r, c), v in cells.items():
        rows[r][c] = v
    return rows


def blocks(cells: Mapping[Cell, CellValue]) -> list[tuple[Cell, list[list[CellValue]]]]:
    """Changed cells as rectangles to write in one call each: runs of adjacent cells in a row,
    stacked while the next row has a run over the same columns.

    Cells in between are never bridged: rewriting an unchanged cell could cut a merged area
    or let Excel re-type text that looks like a number, so an isolated cell stays a block of
    its own.  ``(top-left, rows)`` in reading order.
    """
    by_row: dict[int, list[int]] = {}
    for r, c in cells:
        by_row.setdefault(r, []).append(c)
    done: list[tuple[Cell, list[list[CellValue]]]] = []
    open_: dict[tuple[int, int], tuple[Cell, list[list[CellValue]]]] = {}
    for r in sorted(by_row):
        spans: list[tuple[int, int]] = []
        for c in sorted(by_row[r]):
            if spans and spans[-1][1] == c:
                spans[-1] = (spans[-1][0], c + 1)
            else:
                spans.append((c, c + 1))
        still: dict[tuple[int, int], tuple[Cell, list[list[CellValue]]]] = {}
        for span in spans:
            values = [cells[(r, c)] for c in range(*span)]
            block = open_.pop(span, None)
            if block is not None and block[0][0] + len(block[1]) == r:
                block[1].append(values)
            else:
                if block is not None:
                    done.append(block)
                block = ((r, span[0]), [values])
            still[span] = block
        done.extend(open_.values())
        open_ = still
    done.extend(open_.values())
    return sorted(done, key=lambda b: b[0])


def ref(cell: Cell) -> str:
    from gspread.utils import rowcol_to_a1

    return rowcol_to_a1(cell[0] + 1, cell[1] + 1)


def shown(value: CellValue) -> str:
    if value is None:
        return "(vacía)"
    if isinstance(value, datetime):
        return f"{value:%d-%m-%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, bool):
        return "VERDADERO" if value else "FALSO"
    text = str(value)
    return "«" + (text if len(text) <= 60 else text[:59] + "…") + "»"


# --- the state file -------------------------------------------------------------------------

def _dump(value: CellValue) -> Any:
    if isinstance(value, datetime):
        return {"fechahora": value.isoformat()}
    if isinstance(value, date):
        return {"fecha": value.isoformat()}
    return value


def _load(value: Any) -> CellValue:
    if isinstance(value, dict):
        if "fechahora" in value:
            return datetime.fromisoformat(value["fechahora"])
        if "fecha" in value:
            return date.fromisoformat(value["fecha"])
        return None
    return value if isinstance(value, str | int | float | bool) else None


def state_path(workbook: Path) -> Path:
    return workbook.with_name(workbook.name + ".sincronizacion.json")


@dataclass
class SyncState:
    """What both sides held after the last sync (of this workbook with this Sheet)."""

    spreadsheet: str
    sheets: dict[str, Cells] = field(default_factory=dict)

    @staticmethod
    def key_of(workbook: Path) -> str | None:
        """The Sheet this workbook was last synced with (None: never synced here)."""
        path = state_path(workbook)
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            data = None
        key = data.get("planilla") if isinstance(data, dict) else None
        if not isinstance(key, str) or not key:
            raise MingaError(f"El estado de sincronización «{path.name}» está dañado.",
                             fix="Bórrelo y sincronice con «minga sheets subir LIBRO --hoja "
                                 "URL --forzar», revisando antes qué versión quiere conservar.")
        return key

    @classmethod
    def load(cls, workbook: Path, key: str) -> SyncState | None:
        path = state_path(workbook)
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("schema") != SCHEMA:
                raise ValueError
            if data["planilla"] != key:
                return None  # synced with another Sheet: no common past with this one
            sheets: dict[str, Cells] = {}
            for title, cells in data["hojas"].items():
                sheets[title] = {}
                for a1, value in cells.items():
                    from gspread.utils import a1_to_rowcol

                    r, c = a1_to_rowcol(a1)
                    sheets[title][(r - 1, c - 1)] = _load(value)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise MingaError(f"El estado de sincronización «{path.name}» está dañado.",
                             fix="Bórrelo y sincronice con --forzar, revisando antes qué "
                                 "versión quiere conservar.") from None
        return cls(key, sheets)

    def save(self, workbook: Path) -> None:
        body = {"schema": SCHEMA, "planilla": self.spreadsheet,
                "guardado": datetime.now().isoformat(timespec="seconds"),
                "hojas": {title: {ref(cell): _dump(v) for cell, v in sorted(cells.items())}
                          for title, cells in self.sheets.items()}}
        text = json.dumps(body, ensure_ascii=False, indent=1)
        atomic_write(state_path(workbook), lambda tmp: tmp.write_text(text, "utf-8"))


# --- the merge --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Conflict:
    sheet: str
    cell: Cell
    base: CellValue
    local: CellValue
    remote: CellValue

    def spanish(self) -> str:
        return (f"{self.sheet}!{ref(self.cell)}: en el archivo {shown(self.local)}, en la "
                f"planilla de Google {shown(self.remote)} (antes {shown(self.base)})")


@dataclass
class Merge:
    """What to write where so both sides end equal, and what cannot be decided alone."""

    to_remote: dict[str, dict[Cell, CellValue]] = field(default_factory=dict)
    to_local: dict[str, dict[Cell, CellValue]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    merged: dict[str, Cells] = field(default_factory=dict)
    new_remote_sheets: list[str] = field(default_factory=list)
    new_local_sheets: list[str] = field(default_factory=list)

    def resolve(self, winner: str) -> list[Conflict]:
        """Settle every conflict for ``winner`` ("local" or "remote"); return what was lost."""
        lost = list(self.conflicts)
        for c in self.conflicts:
            value = c.local if winner == "local" else c.remote
            side = self.to_remote if winner == "local" else self.to_local
            side.setdefault(c.sheet, {})[c.cell] = value
            if value is None:
                self.merged[c.sheet].pop(c.cell, None)
            else:
                self.merged[c.sheet][c.cell] = value
        self.conflicts = []
        return lost

    @property
    def changes(self) -> tuple[int, int]:
        return (sum(len(v) for v in self.to_remote.values()),
                sum(len(v) for v in self.to_local.values()))


def _formula_cells(rows: Mapping[Cell, CellValue]) -> set[Cell]:
    return {cell for cell, v in rows.items() if isinstance(v, Formula)}


def merge(local: Mapping[str, Cells], remote: Mapping[str, Cells],
          base: Mapping[str, Cells] | None, formulas: Mapping[str, set[Cell]]) -> Merge:
    """Three-way merge of every synced sheet; ``base`` None means no common past (first sync:
    a cell present on one side only is taken, cells that differ are conflicts)."""
    result = Merge()
    for title in [*local, *(t for t in remote if t not in local)]:
        if title in UNSYNCED:
            continue
        mine, theirs = local.get(title), remote.get(title)
        if theirs is None:
            result.new_remote_sheets.append(title)
            result.merged[title] = dict(mine or {})
            continue
        if mine is None:
            result.new_local_sheets.append(title)
            result.merged[title] = dict(theirs)
            continue
        past = (base or {}).get(title, {})
        skip = formulas.get(title, set())
        merged: Cells = {}
        for cell in set(mine) | set(theirs) | set(past):
            if cell in skip:
                continue
            a, b, o = mine.get(cell), theirs.get(cell), past.get(cell)
            if a == b and type(a) is type(b):
                value = a
            elif a == o and type(a) is type(o):
                value = b
                result.to_local.setdefault(title, {})[cell] = b
            elif b == o and type(b) is type(o):
                value = a
                result.to_remote.setdefault(title, {})[cell] = a
            else:
                result.conflicts.append(Conflict(title, cell, o, a, b))
                value = o
            if value is not None:
                merged[cell] = value
        result.merged[title] = merged
    result.conflicts.sort(key=lambda c: (c.sheet, c.cell))
    return result
