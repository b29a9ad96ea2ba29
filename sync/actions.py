"""Push, pull and validate a Google Sheet: the actions behind ``minga sheets …``.

Every action opens the Sheet once (one ``spreadsheets.get`` and one ``values:batchGet``) and
writes it once (at most one ``spreadsheets:batchUpdate`` and one ``values:batchUpdate``), so
its request count does not grow with the rows.  The local file is written atomically after a
backup, and only when the Sheet was written first: a failure leaves the file as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from addin.actions.build import build_file, plan_workbook
from addin.actions.validate import ValidationResult, validate, write_findings
from addin.backends.base import Backend, CellValue, Formula, FormulaReader, Reader
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.domain.programme import ProgrammeDefinition
from addin.errors import MingaError
from addin.fileio import check_readable, check_writable, exclusive
from addin.reading import read_workbook
from sync.backend import GspreadBackend
from sync.http import MingaHTTPClient
from sync.merge import (
    UNSYNCED,
    Cell,
    Cells,
    Conflict,
    Merge,
    SyncState,
    blocks,
    cells_of,
    merge,
    normal,
    ref,
    rows_of,
)

Direction = Literal["subir", "bajar"]


class SyncConflicts(MingaError):
    """Cells changed on both sides since the last sync: nothing was written anywhere."""

    def __init__(self, conflicts: list[Conflict], direction: Direction) -> None:
        self.conflicts = conflicts
        opposite = "bajar" if direction == "subir" else "subir"
        winner = "el archivo" if direction == "subir" else "la planilla de Google"
        super().__init__(
            f"{len(conflicts)} celda(s) cambiaron en el archivo y también en la planilla de "
            "Google desde la última sincronización; no se escribió nada.",
            fix=f"Deje en un lado el valor que corresponde y vuelva a ejecutar, o use "
                f"--forzar para que gane {winner} (o «minga sheets {opposite} --forzar» para "
                "lo contrario).")


@dataclass
class SyncReport:
    direction: Direction
    key: str
    path: Path
    to_remote: int = 0
    to_local: int = 0
    new_remote_sheets: list[str] = field(default_factory=list)
    new_local_sheets: list[str] = field(default_factory=list)
    overwritten: list[Conflict] = field(default_factory=list)
    created: bool = False
    saved: Path | None = None
    requests: int = 0
    #: ``write_block`` calls made on the local side (blocks, not cells).
    local_writes: int = 0


def split(rows: list[list[CellValue]]) -> tuple[Cells, set[Cell]]:
    """A sheet's values without its formulas, and where the formulas are."""
    formulas = {(r, c) for r, row in enumerate(rows) for c, v in enumerate(row)
                if isinstance(v, Formula)}
    plain = [[None if isinstance(v, Formula) else v for v in row] for row in rows]
    return cells_of(plain), formulas


class _Rows:
    """Sheets already read, as a ``Reader``: finding the programme costs no second read."""

    def __init__(self, rows: dict[str, list[list[CellValue]]]) -> None:
        self.rows = rows

    def sheet_names(self) -> list[str]:
        return list(self.rows)

    def read_values(self, sheet: str) -> list[list[CellValue]]:
        return [list(r) for r in self.rows[sheet]]


def read_local(local: Reader) -> dict[str, list[list[CellValue]]]:
    """Every sheet of the local workbook, one ``read_values`` each, formulas as ``Formula``.

    A backend that reads formulas' results (Excel through xlwings) says where its formulas
    are with ``read_formulas`` (one more bulk read per sheet): sync leaves those cells alone.
    """
    rows: dict[str, list[list[CellValue]]] = {}
    formulas = local.read_formulas if isinstance(local, FormulaReader) else None
    for title in local.sheet_names():
        if title in UNSYNCED:  # each side keeps its own: not even read
            rows[title] = []
            continue
        grid = [list(r) for r in local.read_values(title)]
        if formulas is not None:
            for (r, c), text in formulas(title).items():
                if r < len(grid) and c < len(grid[r]) and grid[r][c] == text:
                    continue  # text typed as '=…: its value is its text, not a result
                while len(grid) <= r:
                    grid.append([])
                grid[r].extend([None] * (c + 1 - len(grid[r])))
                grid[r][c] = Formula(text)
        rows[title] = grid
    return rows


def _programme(reader: Reader) -> ProgrammeDefinition | None:
    try:
        return read_workbook(reader).definition
    except MingaError:
        return None


def _format_new_sheets(remote: GspreadBackend, local: dict[str, list[list[CellValue]]],
                       titles: list[str], definition: ProgrammeDefinition | None) -> None:
    """Sheets new in Google get their values and, when a layout defines them, its formats."""
    plans = {}
    names: dict[str, str] = {}
    if definition is not None:
        lang = "es" if any(p in titles for p in ("Programa", "Carta Gantt")) else "en"
        built, names = plan_workbook(definition, lang)  # type: ignore[arg-type]
        plans = {p.name: p for p in built}
    for title in titles:
        remote.add_sheet(title)
    for title in titles:
        remote.write_block(title, "A1", [[v if isinstance(v, Formula) else normal(v)
                                          for v in row] for row in local[title]])
        if title in plans:
            remote.format_sheet(title, plans[title].fmt)
    present = set(remote.sheet_names())
    usable = {n: r for n, r in names.items() if r.rpartition("!")[0].strip("'") in present}
    if usable and set(titles) >= {r.rpartition("!")[0].strip("'") for r in usable.values()}:
        remote.define_names(usable)


def write_cells(target: Backend | GspreadBackend, title: str,
                cells: dict[Cell, CellValue]) -> int:
    """``cells`` written in rectangles (``merge.blocks``): one ``write_block`` per block, never
    one per cell where cells touch.  Returns the number of calls made."""
    found = blocks(cells)
    for top_left, rows in found:
        target.write_block(title, ref(top_left), rows)
    return len(found)


def exchange(local: Backend, remote: GspreadBackend, base: dict[str, Cells] | None,
             report: SyncReport, *, created: bool = False, force: bool = False) -> Merge:
    """Merge ``local`` (any backend: a file, a live Excel workbook) with the Sheet: the Sheet
    is written and saved first, then the local side's changes are written, in blocks.  The
    caller saves the local side and the state."""
    remote_titles = remote.sheet_names()
    remote_cells: dict[str, Cells] = {}
    formulas: dict[str, set[Cell]] = {}
    for title in remote_titles:
        cells, where = split([[Formula(v.text) if isinstance(v, Formula) else v for v in row]
                              for row in rows_of(remote.read_cells(title))])
        remote_cells[title], formulas[title] = cells, where
    local_rows = read_local(local)
    local_cells: dict[str, Cells] = {}
    for title, rows in local_rows.items():
        cells, where = split(rows)
        local_cells[title] = cells
        if not created:  # a new file's template formulas give way to the Sheet
            formulas[title] = formulas.get(title, set()) | where
    if created:
        base = {t: dict(c) for t, c in local_cells.items()}  # a new file takes the Sheet
    result = merge(local_cells, remote_cells, base, formulas)
    if result.conflicts:
        if not force:
            raise SyncConflicts(result.conflicts, report.direction)
        report.overwritten = result.resolve("local" if report.direction == "subir"
                                            else "remote")
    # The Sheet first: if Google refuses, the local side is untouched and the state unchanged.
    if result.new_remote_sheets:
        _format_new_sheets(remote, local_rows, result.new_remote_sheets,
                           _programme(_Rows(local_rows)))
        blank = [t for t in remote_titles if t not in local_cells and not remote_cells[t]]
        for title in blank:  # the empty «Sheet1»/«Hoja 1» of a new spreadsheet
            remote.remove_sheet(title)
            result.merged.pop(title, None)
            result.new_local_sheets = [t for t in result.new_local_sheets if t != title]
    for title, cells in result.to_remote.items():
        write_cells(remote, title, cells)
    remote.save()
    for title in result.new_local_sheets:
        local.add_sheet(title)
        local.write_block(title, "A1", rows_of(remote.read_cells(title)))
    for title, cells in result.to_local.items():
        report.local_writes += write_cells(local, title, cells)
    report.to_remote, report.to_local = result.changes
    report.new_remote_sheets = result.new_remote_sheets
    report.new_local_sheets = result.new_local_sheets
    return result


def sync(path: Path, key: str, http: MingaHTTPClient, direction: Direction, *,
         force: bool = False, keep_backup: bool = True) -> SyncReport:
    """Bring the file and the Sheet to the same values, losing no edit of either side."""
    path = Path(path)
    report = SyncReport(direction, key, path)
    remote = GspreadBackend.open(http, key)
    state = SyncState.load(path, key) if path.exists() else None
    if not path.exists():
        if direction == "subir":
            check_readable(path)
        definition = _programme(remote)
        if definition is None:
            raise MingaError(f"La planilla «{key}» no es un libro de minga (no tiene la hoja "
                             "Programa con el tipo de convenio).",
                             fix="Súbala primero con «minga sheets subir ARCHIVO --hoja …».")
        build_file(definition, path)
        report.created = True
    else:
        check_writable(path, overwrite=True)
    with exclusive(path):
        local = OpenpyxlBackend.open(path)
        result = exchange(local, remote, state.sheets if state else None, report,
                          created=report.created, force=force)
        if result.to_local or result.new_local_sheets or report.created:
            # The backup is made once the new file is known to keep what the old one had.
            report.saved = local.save(keep_backup=keep_backup and not report.created).backup
        SyncState(key, result.merged).save(path)
    report.requests = http.request_count
    return report


def sync_open_workbook(local: Backend, path: Path, http: MingaHTTPClient | None,
                       key: str | None, *, save: Callable[[bool], None]) -> SyncReport:
    """Sync a workbook open in Excel (the «Sincronizar» button) with its Sheet.

    ``path`` is where the workbook is saved: its sync state lies beside it and names the
    Sheet (``minga sheets subir`` wrote it; ``SyncState.key_of``).  Conflicts are refused
    as with the file (nothing written anywhere).  ``save(changed)`` saves the workbook before
    the state is written, so file and state agree (a state ahead of the file would make the
    next sync take the file's old values for edits and send them back to the Sheet);
    ``changed`` says whether the Sheet brought anything into the workbook.  ``http`` may be
    None only while the workbook is not linked (the message says how to link it).
    """
    path = Path(path)
    if key is None:
        raise MingaError(f"«{path.name}» todavía no está enlazado con una planilla de Google.",
                         fix=f"Enlácelo una vez desde una terminal: cierre el libro y ejecute "
                             f"«minga sheets subir \"{path}\" --hoja URL_DE_LA_PLANILLA»; "
                             "después el botón Sincronizar basta.")
    if http is None:
        raise ValueError("a linked workbook needs a Sheets client")
    report = SyncReport("subir", key, path)
    remote = GspreadBackend.open(http, key)
    state = SyncState.load(path, key)
    result = exchange(local, remote, state.sheets if state else None, report)
    save(bool(result.to_local or result.new_local_sheets))
    SyncState(key, result.merged).save(path)
    report.requests = http.request_count
    return report


def validate_sheet(key: str, http: MingaHTTPClient, *, write: bool = False,
                   definition: ProgrammeDefinition | None = None,
                   cutoff: date | None = None) -> ValidationResult:
    """Validate a Google Sheet; with ``write``, its Validación tab and marks, in one save."""
    remote = GspreadBackend.open(http, key)
    result = validate(remote, definition, cutoff, source="")
    result.source = f"https://docs.google.com/spreadsheets/d/{key}"
    if write:
        write_findings(remote, result)
        remote.save()
    return result
