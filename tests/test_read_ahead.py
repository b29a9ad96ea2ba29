"""The largest sheet read beside the others (calamine_backend: its own proof thread and a
second python-calamine workbook): every sheet of every corpus workbook, and of the demo with
each kind of damage put into one sheet, reads exactly as when the same sheet is read with the
others — the same rows, or the same Spanish error.  ``BIG`` is set to 0 here so that the
largest sheet of these small workbooks takes that path (at the default only sheets of more
than 4 MiB of XML do, as on the bench workbook)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from addin.backends import calamine_backend
from addin.backends.calamine_backend import CalamineBackend
from addin.backends.files import FileKind
from addin.demo import build_demo
from addin.domain.grid import filled
from addin.errors import MingaError
from tests import hostile

CORPUS = Path(__file__).resolve().parent / "corpus"
XLSX = sorted(p.name for p in CORPUS.glob("*.xlsx")
              if p.name not in ("celda_xfd1048576.xlsx", "celda_a1048576.xlsx"))


def read_all(path: Path) -> tuple[str | None, list[tuple[str, Any]]]:
    """Every sheet's rows (or the error reading it), largest sheet included; the sheet that
    took the separate path."""
    try:
        backend = CalamineBackend(path)
    except MingaError as exc:
        return None, [("", str(exc))]
    assert backend.kind is FileKind.XLSX
    out: list[tuple[str, Any]] = []
    for sheet in backend.sheet_names():
        try:
            rows = backend.read_values(sheet)  # compared by length and filled cells
            out.append((sheet, [(len(row), list(filled(row))) for row in rows]))
        except MingaError as exc:
            out.append((sheet, str(exc)))
    return backend.big, out


def both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, expected = read_all(path)
    assert alone is None  # no sheet of these workbooks is that large
    monkeypatch.setattr(calamine_backend, "BIG", 0)
    big, got = read_all(path)
    assert got == expected
    if expected[0][0]:  # the workbook opened: its largest sheet took the separate path
        assert big is not None


@pytest.mark.parametrize("name", XLSX)
def test_the_largest_sheet_read_beside_the_others_reads_as_before(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    both_ways(CORPUS / name, monkeypatch)


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "dtd": lambda d: b'<!DOCTYPE x [<!ENTITY e "x">]>' + d,
    "nul": lambda d: d.replace(b"<sheetData>", b"<sheetData>\x00", 1),
    "utf16": lambda d: b'<?xml version="1.0" encoding="UTF-16"?>' + d,
    "truncated": lambda d: d[: len(d) // 2],
    "spaces": lambda d: d.replace(b'<c r="', b'<c  r="', 3),
    "error": hostile.add_cell("C40", ' t="e"><v>#SPILL!</v></c>'),
    "far": hostile.add_cell("Z8000", "><v>1</v></c>"),
    "unreadable": hostile.add_cell("C41", ' t="b"><v>2</v></c>'),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_largest_sheet_gives_the_same_answer_read_beside_the_others(
        damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo = tmp_path / "demo.xlsx"
    build_demo(demo)
    data = demo.read_bytes()
    with zipfile.ZipFile(demo) as archive:
        largest = max((i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")),
                      key=lambda i: i.file_size).filename
    path = tmp_path / f"{damage}.xlsx"
    path.write_bytes(hostile.rewrite(data, {largest: DAMAGE[damage]}))
    both_ways(path, monkeypatch)
