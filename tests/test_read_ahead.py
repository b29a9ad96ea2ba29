"""The large sheets read in parts beside the others (calamine_backend ``_Parts``: their own
prover cuts them at their rows as they are proved, and the threads of a ``_Pool`` have
python-calamine read each part): every sheet of every corpus workbook, and of the demo with
each kind of damage put into its largest sheet, reads exactly as when read whole — the same
rows, cell for cell, or the same Spanish error.  ``BIG`` is set to 0 and ``PART`` to 1 byte
here, so that every sheet of these small workbooks is cut into one part per row (at the
defaults only a sheet of more than 2 MiB of XML is, into parts of 2 MiB, as the three large
sheets of the bench workbook)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from addin.backends import calamine_backend
from addin.backends.calamine_backend import CalamineBackend
from addin.backends.files import FileKind
from addin.demo import build_demo
from addin.domain.grid import SparseRow
from addin.errors import MingaError
from tests import hostile

CORPUS = Path(__file__).resolve().parent / "corpus"
XLSX = sorted(p.name for p in CORPUS.glob("*.xlsx")
              if p.name not in ("celda_xfd1048576.xlsx", "celda_a1048576.xlsx"))


def read_all(path: Path) -> tuple[CalamineBackend | None, list[tuple[str, Any]]]:
    """Every sheet's rows (or the error reading it), once every thread
    of the read has ended (none is a daemon: each ends on its own)."""
    try:
        backend = CalamineBackend(path)
    except MingaError as exc:
        return None, [("", str(exc))]
    assert backend.kind is FileKind.XLSX
    out: list[tuple[str, Any]] = []
    for sheet in backend.sheet_names():
        try:
            out.append((sheet, [exactly(row) for row in backend.read_values(sheet)]))
        except MingaError as exc:
            out.append((sheet, str(exc)))
    assert backend.ahead is not None
    for thread in backend.ahead.threads:
        assert not thread.daemon
        thread.join(60)
        assert not thread.is_alive()
    return backend, out


def exactly(row: Any) -> tuple[Any, ...]:
    """A row as it must be the same: its kind, width and each value with its type (1, 1.0
    and True are equal in Python, but not the same cell)."""
    cells = row.cells.items() if isinstance(row, SparseRow) else enumerate(row)
    return type(row).__name__, len(row), [(c, type(v).__name__, v) for c, v in cells]


def whole_and_in_parts(path: Path, monkeypatch: pytest.MonkeyPatch) -> CalamineBackend | None:
    """Read ``path`` with its sheets whole, then in parts of one row each; the same
    rows or errors both ways.  The backend that read in parts."""
    alone, expected = read_all(path)
    assert alone is None or not alone.large  # no sheet of these workbooks is that large
    monkeypatch.setattr(calamine_backend, "BIG", 0)
    monkeypatch.setattr(calamine_backend, "PART", 1)
    monkeypatch.setattr(calamine_backend, "PART_SHARED", 0)
    monkeypatch.setattr(calamine_backend, "PARTS_AHEAD", 2)
    backend, got = read_all(path)
    assert got == expected
    if backend is not None:  # the workbook opened: every sheet took the parts' path
        assert backend.package is not None
        assert backend.large == [sheet for sheet, member in dict(backend.package.sheets).items()
                                 if member is not None]
    return backend


def in_parts(backend: CalamineBackend | None, member: str) -> int:
    """How many parts the rows of the sheet in ``member`` were put together from (0: read
    whole)."""
    assert backend is not None and backend.ahead is not None and backend.package is not None
    sheet = next(name for name, part in backend.package.sheets if part == member)
    parts = backend.ahead.parts[sheet]
    return (parts.count or 0) if parts.joined else 0


@pytest.mark.parametrize("name", XLSX)
def test_sheets_read_in_parts_read_as_read_whole(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    whole_and_in_parts(CORPUS / name, monkeypatch)


_INLINE = re.compile(rb' t="inlineStr"><is><t(?: xml:space="preserve")?>([^<]*)</t></is>')


def with_shared_strings(data: bytes) -> bytes:
    """The workbook with its text cells moved into a sharedStrings part, as Excel saves them
    (minga writes inline strings): each part's package then holds the shared strings too."""
    strings: dict[bytes, int] = {}

    def shared(found: re.Match[bytes]) -> bytes:
        return b' t="s"><v>%d</v>' % strings.setdefault(found.group(1), len(strings))

    sheets = {name: (lambda d: _INLINE.sub(shared, d)) for name in hostile.members(data)
              if name.startswith("xl/worksheets/sheet")}
    data = hostile.rewrite(data, sheets)
    table = b"".join(b"<si><t>%s</t></si>" % text for text in strings)
    rel = (b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
           b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", rel)
            zout.writestr(info, body)
        zout.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main">' + table + b"</sst>")
    return out.getvalue()


def test_a_workbook_with_shared_strings_is_read_in_one_part_per_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo with its text as shared strings, as Excel saves it: its largest sheet really
    is put together from its parts, one per row, each part's package holding the shared
    strings, and reads as when read whole."""
    demo = tmp_path / "demo.xlsx"
    build_demo(demo)
    path = tmp_path / "compartidas.xlsx"
    path.write_bytes(with_shared_strings(demo.read_bytes()))
    with zipfile.ZipFile(path) as archive:
        largest = max((i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")),
                      key=lambda i: i.file_size)
        sheet = archive.read(largest)
    assert b' t="s"' in sheet and b"inlineStr" not in sheet
    rows = len(re.findall(rb"<row[ >]", sheet))
    assert rows > 20
    assert in_parts(whole_and_in_parts(path, monkeypatch), largest.filename) == rows


def _move_first_row_last(d: bytes) -> bytes:
    """The first data row moved to the end of sheetData (rows need not be in order)."""
    row = re.search(rb'<row r="4".*?</row>', d, re.S)
    assert row is not None
    d = d.replace(row.group(0), b"", 1)
    return d.replace(b"</sheetData>", row.group(0) + b"</sheetData>")


def _between_rows(text: bytes) -> Callable[[bytes], bytes]:
    """``text`` put just before row 6 (so that a cut may fall inside it)."""
    return lambda d: d.replace(b'<row r="6"', text + b'<row r="6"', 1)


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    # The proof refuses these: the sheet is looked at whole, parts or not.
    "dtd": lambda d: b'<!DOCTYPE x [<!ENTITY e "x">]>' + d,
    "nul": lambda d: d.replace(b"<sheetData>", b"<sheetData>\x00", 1),
    "utf16": lambda d: b'<?xml version="1.0" encoding="UTF-16"?>' + d,
    "spaces": lambda d: d.replace(b'<c r="', b'<c  r="', 3),
    "error": hostile.add_cell("C40", ' t="e"><v>#SPILL!</v></c>'),
    # A cell outside the dimension in the last part: parts already read are dropped.
    "far": hostile.add_cell("Z8000", "><v>1</v></c>"),
    # A cell python-calamine cannot read, in the second part and in the last one: that part
    # fails, and the sheet is read whole (and then cell by cell).
    "unreadable_part_2": hostile.set_cell("C5", ' t="b"><v>2</v></c>'),
    "unreadable": hostile.add_cell("C41", ' t="b"><v>2</v></c>'),
    # The XML ends inside the last part (it fails, and so does the whole sheet), or a row is
    # never closed (python-calamine reads what is there, whole or in parts).
    "truncated": lambda d: d[: len(d) // 2],
    "unclosed_row": lambda d: d.replace(b"</row>", b"", 1),
    # A row again below: its cells overwrite the first one's (parts out of order).
    "row_again": hostile.add_cell("A4", ' t="inlineStr"><is><t>otra vez</t></is></c>'),
    "rows_out_of_order": _move_first_row_last,
    # Cuts inside a comment, a CDATA section or a processing instruction, and a tag with a
    # «<» in a value: each part must end cleanly for the parts to stand for the sheet.
    "comment": _between_rows(b'<!-- <row r="5"><c r="A5"><v>9</v></c></row> -->'),
    "cdata": _between_rows(b'<x><![CDATA[ <row r="5"> ]]></x>'),
    "instruction": _between_rows(b'<?pi <row r="5"> ?>'),
    "lt_in_value": _between_rows(b'<x a="<row r=\'5\'>"/>'),
    # The sheet's cells end at the first end of sheetData: cuts stop before it.
    "sheetdata_again": lambda d: d.replace(
        b'<row r="6"', b'</sheetData><sheetData><row r="6"', 1),
    # A head python-calamine might read otherwise than the byte search: one part.
    "head_comment": lambda d: d.replace(b"<sheetData>", b"<!-- x --><sheetData>", 1),
    "head_quote": lambda d: d.replace(b"<sheetData>", b"<x a='<sheetData>'/><sheetData>", 1),
}
#: Damage after which the parts still stand for the sheet, and the sheets read as one part
#: (the sheet as it is); the others are read whole by the first workbook.
STILL_IN_PARTS = {"sheetdata_again", "unclosed_row"}
ONE_PART = {"head_comment", "head_quote"}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_largest_sheet_gives_the_same_answer_read_in_parts(
        damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo = tmp_path / "demo.xlsx"
    build_demo(demo)
    data = demo.read_bytes()
    with zipfile.ZipFile(demo) as archive:
        largest = max((i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")),
                      key=lambda i: i.file_size).filename
    path = tmp_path / f"{damage}.xlsx"
    path.write_bytes(hostile.rewrite(data, {largest: DAMAGE[damage]}))
    backend = whole_and_in_parts(path, monkeypatch)
    if backend is not None and damage in ONE_PART:
        assert in_parts(backend, largest) == 1
    elif backend is not None and damage in STILL_IN_PARTS:
        assert in_parts(backend, largest) > 1
    elif backend is not None:
        assert in_parts(backend, largest) == 0


def test_no_thread_of_the_read_outlives_it_after_an_early_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller gives up after the first sheet (as on a workbook without its Programa):
    the provers and the part readers still end on their own, none a daemon."""
    monkeypatch.setattr(calamine_backend, "BIG", 0)
    monkeypatch.setattr(calamine_backend, "PART", 1)
    demo = tmp_path / "demo.xlsx"
    build_demo(demo)
    backend = CalamineBackend(demo)
    backend.read_values(backend.sheet_names()[0])
    assert backend.ahead is not None
    threads = backend.ahead.threads
    assert len(threads) >= 2 + calamine_backend.PART_THREADS
    del backend
    for thread in threads:
        assert not thread.daemon
        thread.join(60)
        assert not thread.is_alive()


def test_an_error_reading_a_part_reaches_the_caller(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a part reader raises, other than python-calamine's own failures (which send the
    sheet to be read whole), is raised where the caller reads the sheet, not lost in a
    thread."""
    monkeypatch.setattr(calamine_backend, "BIG", 0)
    monkeypatch.setattr(calamine_backend, "PART", 1)

    def no_memory(*args: object) -> bytes:
        raise MemoryError

    monkeypatch.setattr(calamine_backend.sheetxml, "part_package", no_memory)
    demo = tmp_path / "demo.xlsx"
    build_demo(demo)
    backend = CalamineBackend(demo)
    assert backend.large
    with pytest.raises(MemoryError):
        backend.read_values(backend.large[0])
    assert backend.ahead is not None
    for thread in backend.ahead.threads:
        thread.join(60)
        assert not thread.is_alive()


def test_a_sheet_read_again_reads_the_same(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A caller may read a sheet twice (the Programa sheet, a sheet an action re-reads): the
    second time the sheet is read whole, with the same rows, instead of waiting for parts
    already handed over."""
    monkeypatch.setattr(calamine_backend, "BIG", 0)
    monkeypatch.setattr(calamine_backend, "PART", 1)
    demo = tmp_path / "demo.xlsx"
    build_demo(demo)
    backend = CalamineBackend(demo)
    for sheet in backend.sheet_names():
        first = [exactly(row) for row in backend.read_values(sheet)]
        assert [exactly(row) for row in backend.read_values(sheet)] == first
    assert backend.ahead is not None
    assert all(parts.joined for parts in backend.ahead.parts.values())
