"""A large sheet read block by block (issue 12): reading.py parses the columns of each part as
it is read (``CalamineBackend.read_blocks``), the header found in the first rows.  Every corpus
workbook, and the demo workbook with its planted mistakes, must give exactly the records and
findings of the whole read — cell for cell, with each value's type — and the blocks exactly the
rows of the whole sheet.  ``BIG`` is set to 0 and ``PART`` to 1 byte here, as in
tests/test_read_ahead.py, so that every sheet of these small workbooks is cut into one part per
row (at the defaults only a sheet of more than 2 MiB of XML is)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

from addin.backends import calamine_backend
from addin.backends.calamine_backend import CalamineBackend
from addin.demo import build_demo
from addin.errors import MingaError
from addin.reading import read_workbook

CORPUS = Path(__file__).resolve().parent / "corpus"
XLSX = sorted(p.name for p in CORPUS.glob("*.xlsx")
              if p.name not in ("celda_xfd1048576.xlsx", "celda_a1048576.xlsx"))


def tiny_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calamine_backend, "BIG", 0)
    monkeypatch.setattr(calamine_backend, "PART", 1)
    monkeypatch.setattr(calamine_backend, "PART_SHARED", 0)
    monkeypatch.setattr(calamine_backend, "PARTS_AHEAD", 2)


def typed(value: Any) -> tuple[str, str]:
    """A value as it must be the same: its type and repr (1, 1.0 and True are equal in
    Python, and NaN is not equal to itself)."""
    return type(value).__name__, repr(value)


def joined(backend: CalamineBackend | None) -> None:
    """Every thread of the read has ended (none is a daemon: each ends on its own)."""
    if backend is not None and backend.ahead is not None:
        for thread in backend.ahead.threads:
            assert not thread.daemon
            thread.join(60)
            assert not thread.is_alive()


def read(path: Path) -> tuple[CalamineBackend | None, Any]:
    """The workbook as reading.py reads it: every sheet's header, columns, rows and typed
    values, and every finding in order; or the Spanish error."""
    backend = None
    try:
        backend = CalamineBackend(path)
        data = read_workbook(backend)
    except MingaError as exc:
        joined(backend)
        return backend, str(exc)
    joined(backend)
    sheets = [(key, sheet.name, sheet.present, sheet.header_row, sheet.columns, sheet.rows,
               {k: list(map(typed, values)) for k, values in sheet.values.items()})
              for key, sheet in data.sheets.items()]
    return backend, (sheets, [repr(finding) for finding in data.findings])


def blocks_of(path: Path) -> dict[str, Any]:
    """Each sheet's rows from ``read_blocks``, each row as wide as the widest (the parts'
    rows lack the blank cells the whole read adds at the right of a narrower part)."""
    backend = CalamineBackend(path)
    out: dict[str, Any] = {}
    for sheet in backend.sheet_names():
        blocks = backend.read_blocks(sheet)
        if blocks is None:
            continue
        rows = [row for block in blocks for row in (block or [])]
        width = max(map(len, rows), default=0)
        out[sheet] = [[typed(v) for v in row + [""] * (width - len(row))] for row in rows]
    joined(backend)
    return out


PLANTED = ["tres", "#hashtag", None, "31-02-2026", "  ", "$1.250.000", "mucho", "quizás", -2, 2.5,
           "150%", "x", " b-00003 "]


def put(sheet: Any, row: int, col: int, value: Any) -> None:
    cell = sheet.cell(row, col)
    if not isinstance(cell, MergedCell):
        cell.value = value


def planted_demo(path: Path) -> Path:
    """The demo workbook with values people mistype planted in every table, cell after cell
    down its rows and across its columns, a row emptied and a stray value far below: read
    findings in every column type, blank rows and a gap between parts."""
    build_demo(path)
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        if sheet.max_row < 12 or sheet.title.startswith("minga"):
            continue
        width = sheet.max_column
        for k, row in enumerate(range(6, sheet.max_row + 1, 3)):
            put(sheet, row, 1 + k % width, PLANTED[k % len(PLANTED)])
        for col in range(1, width + 1):
            put(sheet, 8, col, None)
        sheet.cell(sheet.max_row + 40, 2).value = "suelto"
    workbook.save(path)
    return path


def whole_rows(path: Path) -> dict[str, Any]:
    backend = CalamineBackend(path)
    out = {sheet: [list(map(typed, row)) for row in backend.read_values(sheet)]
           for sheet in backend.sheet_names()
           if dict(backend.package.sheets)[sheet] is not None}  # type: ignore[union-attr]
    joined(backend)
    return out


@pytest.mark.parametrize("name", XLSX)
def test_a_workbook_read_block_by_block_gives_the_records_and_findings_of_the_whole_read(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, expected = read(CORPUS / name)
    assert alone is None or not alone.large
    tiny_parts(monkeypatch)
    _, got = read(CORPUS / name)
    assert got == expected


def test_the_demo_read_block_by_block_gives_the_same_records_rows_and_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo workbook (values mistyped in every table, blank rows, a gap) takes the block
    path for its tables: one part per row, the header found in the first rows, each part
    parsed as it comes."""
    demo = planted_demo(tmp_path / "demo.xlsx")
    _, expected = read(demo)
    whole = whole_rows(demo)
    tiny_parts(monkeypatch)
    backend, got = read(demo)
    assert got == expected
    assert isinstance(got, tuple) and len(got[1]) > 20  # the planted mistakes were found
    assert backend is not None and backend.ahead is not None
    joined_in_parts = [sheet for sheet, parts in backend.ahead.parts.items() if parts.joined]
    assert len(joined_in_parts) >= 10  # the tables were read block by block
    assert sum(f"sheet={sheet!r}" in finding
               for finding in got[1] for sheet in joined_in_parts) >= 10
    blocks = blocks_of(demo)
    assert blocks
    for sheet, rows in blocks.items():
        width = max(map(len, whole[sheet]), default=0)
        assert [row + [typed("")] * (width - len(row)) for row in rows] == whole[sheet], sheet


def test_a_sheet_whose_parts_do_not_stand_for_it_is_read_whole_with_the_same_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the parts of a sheet fail to be read by python-calamine late in the sheet, after
    its first blocks were parsed, the sheet is read again whole: the same findings."""
    demo = planted_demo(tmp_path / "demo.xlsx")
    _, expected = read(demo)
    tiny_parts(monkeypatch)
    real = calamine_backend._Pool._read
    calls = {"n": 0}

    def failing_late(self: Any, part: list[bytes]) -> Any:
        calls["n"] += 1
        if calls["n"] % 7 == 0:
            return calamine_backend.CalamineFailure("planted")
        return real(self, part)

    monkeypatch.setattr(calamine_backend._Pool, "_read", failing_late)
    backend, got = read(demo)
    assert got == expected
    assert backend is not None and backend.ahead is not None
    assert any(parts.given and not parts.joined for parts in backend.ahead.parts.values())


def test_cycles_made_while_reading_are_still_collected_and_a_hosts_frozen_objects_stay_frozen(
) -> None:
    """Reading pauses the cycle collector and, on the way out, moves what it made to the
    oldest generation without walking it: a cycle made meanwhile is still collected later,
    the collector is on again, and objects a host froze before stay frozen."""
    import gc
    import weakref

    from addin.reading import no_cycle_collection

    class Node:
        pass

    assert gc.isenabled()
    with no_cycle_collection():
        assert not gc.isenabled()
        node = Node()
        node.me = node  # type: ignore[attr-defined]
        alive = weakref.ref(node)
        del node
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert alive() is not None  # a cycle: only the collector frees it
    gc.collect()
    assert alive() is None
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with no_cycle_collection():
            Node()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
