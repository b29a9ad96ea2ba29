"""The compound file minga writes for python-calamine to read an .xls from
(``addin/backends/cfb.py``): olefile, an independent reader, finds exactly the stream written,
whatever its size; python-calamine reads the clean copy of an .xls exactly as the file."""

from __future__ import annotations

import io
import random
from pathlib import Path

import olefile
import pytest
from python_calamine import CalamineWorkbook

from addin.backends import cfb, extents
from addin.backends.calamine_backend import CalamineBackend
from tests import hostile
from tests.hostile import ROOT

CORPUS = ROOT / "tests" / "corpus"


@pytest.mark.parametrize("size", [
    0, 1, 63, 64, 65, 511, 512, 513, 4095,  # the mini stream (under 4,096 bytes)
    4096, 4097, 65_536 * 8 + 3,  # regular sectors, one FAT sector or several
    109 * 128 * 512 + 1,  # more FAT sectors than the header lists: a DIFAT sector
])
def test_olefile_reads_back_the_stream_written(size: int) -> None:
    data = random.Random(size).randbytes(size)
    target = io.BytesIO()
    cfb.write(target, "Workbook", data)
    raw = target.getvalue()
    assert len(raw) % cfb.SECTOR == 0
    with olefile.OleFileIO(raw) as ole:
        assert ole.listdir(streams=True, storages=True) == [["Workbook"]]
        assert ole.get_size("Workbook") == size
        assert ole.openstream("Workbook").read() == data


def _clean(path: Path, tmp_path: Path, trim: bool = False) -> Path:
    name, data = extents.xls_stream(path)
    if trim:  # up to the end of the last EOF record: a stream small enough for the mini stream
        data = data[:max(at + 4 + size for kind, at, size in hostile.biff_records(data)
                         if kind == 0x000A)]
        assert len(data) < cfb.MINI_CUTOFF
    out = tmp_path / f"limpio-{path.name}"
    with out.open("wb") as target:
        cfb.write(target, name, data)
    return out


def _same(a: Path, b: Path) -> None:
    first, second = CalamineWorkbook.from_path(str(a)), CalamineWorkbook.from_path(str(b))
    assert first.sheet_names == second.sheet_names
    for name in first.sheet_names:
        assert first.get_sheet_by_name(name).to_python(skip_empty_area=False) == \
            second.get_sheet_by_name(name).to_python(skip_empty_area=False), name


def test_python_calamine_reads_the_clean_copy_as_the_file(tmp_path: Path) -> None:
    """The corpus's .xls (every sheet of an Ecomercado workbook saved as Excel 97–2003)."""
    path = CORPUS / "formato_antiguo.xls"
    _same(path, _clean(path, tmp_path))
    direct = CalamineWorkbook.from_path(str(path))
    reader = CalamineBackend(path)  # what minga reads, through its clean copy
    for name in reader.sheet_names():
        assert reader.read_values(name) == direct.get_sheet_by_name(name).to_python(
            skip_empty_area=False), name


def test_a_small_workbook_stream_is_read_from_the_mini_stream(tmp_path: Path) -> None:
    path = hostile.xls_book(tmp_path / "chico.xls",
                            {"Programa": {(0, 0): "Programa", (0, 1): "ecomercado-15m"}})
    clean = _clean(path, tmp_path, trim=True)
    assert CalamineWorkbook.from_path(str(clean)).get_sheet_by_name("Programa").to_python() \
        == [["Programa", "ecomercado-15m"]]
