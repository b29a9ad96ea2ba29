"""The clean package python-calamine reads is a temporary file, written one sheet at a time
(issue 13: it halves what validating a large workbook holds in memory): it never outlives the
read, and a temporary folder that cannot take it is a Spanish message, not a traceback."""

from __future__ import annotations

import errno
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from addin.actions.validate import validate_file
from addin.backends.calamine_backend import CalamineBackend
from addin.demo import build_demo
from addin.errors import MingaError


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paquete") / "demo.xlsx"
    build_demo(path)
    return path


def test_reading_leaves_no_temporary_file_behind(demo: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    reader = CalamineBackend(demo)
    assert list(tmp_path.iterdir()) == []  # removed once python-calamine has it open
    rows = reader.read_values("Inventario")
    assert any("B-001" in row for row in rows)  # and still read through its open handle
    result, _ = validate_file(demo)
    assert result.findings and list(tmp_path.iterdir()) == []


def test_a_full_temporary_folder_is_a_spanish_message(demo: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk cannot be made safely here: mkstemp is made to fail as it would."""
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    with pytest.raises(MingaError, match="archivo temporal") as caught:
        CalamineBackend(demo)
    assert "TMPDIR" in (caught.value.fix or "")


def test_a_refused_workbook_leaves_no_temporary_file(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet declaring a DTD is refused when it is read (each sheet is proved as it is
    first read: issue 13); the temporary package is gone by then."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    corpus = Path(__file__).resolve().parent / "corpus"
    reader = CalamineBackend(corpus / "hoja_doctype.xlsx")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(MingaError, match="DTD"):
        reader.read_values("Inventario")
    assert reader.read_values("Programa")  # the other sheets are read as usual


def test_a_disk_filling_up_while_the_package_is_written_leaves_no_file(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk cannot be made safely here: copying a sheet is made to fail as it would."""
    from addin.backends import sheetxml

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(sheetxml.ZipOut, "copy", full)
    with pytest.raises(MingaError, match="archivo temporal"):
        CalamineBackend(demo)
    assert list(tmp_path.iterdir()) == []


def test_what_python_prints_while_a_sheet_is_read_ahead_reaches_the_user() -> None:
    """python-calamine runs in the read-ahead thread with descriptor 2 sent to the null device
    (a Rust panic prints there); an error the caller prints meanwhile must still be seen."""
    script = """
import os, sys, threading
from addin.backends.calamine_backend import calamine
started, release = threading.Event(), threading.Event()
def parse():
    started.set()
    release.wait(10)
    os.write(2, b"thread panicked at calamine\\n")  # what a Rust panic prints
reader = threading.Thread(target=lambda: calamine(parse))
reader.start()
started.wait(10)
print("Error: mensaje para el usuario", file=sys.stderr)
release.set()
reader.join()
print("después", file=sys.stderr)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["Error: mensaje para el usuario", "después"]


def _declare(data: bytes, member: str, size: int, crc: int) -> bytes:
    """The zip with ``member`` declaring ``size`` bytes and ``crc`` (both headers)."""
    import struct

    out = bytearray(data)
    i = 0
    while (i := out.find(b"PK\x01\x02", i)) != -1:
        length = struct.unpack_from("<H", out, i + 28)[0]
        if bytes(out[i + 46:i + 46 + length]) == member.encode():
            offset = struct.unpack_from("<I", out, i + 42)[0]
            struct.pack_into("<I", out, i + 16, crc)
            struct.pack_into("<I", out, i + 24, size)
            struct.pack_into("<I", out, offset + 14, crc)
            struct.pack_into("<I", out, offset + 22, size)
        i += 4
    return bytes(out)


def test_a_sheet_that_inflates_past_its_declared_size_is_refused(tmp_path: Path) -> None:
    """python-calamine inflates the stream minga copies; Python's zipfile stops at the size a
    part declares.  A part declaring 300 bytes (with the CRC of its first 300) whose stream
    goes on would show Python a harmless sheet and python-calamine the whole one: minga
    inflates the whole stream itself and refuses it."""
    import zipfile
    import zlib

    from tests import hostile

    corpus = Path(__file__).resolve().parent / "corpus"
    data = (corpus / "valores_como_texto.xlsx").read_bytes()
    sheet = zipfile.ZipFile(corpus / "valores_como_texto.xlsx").read(hostile.INVENTARIO)
    path = tmp_path / "miente.xlsx"
    path.write_bytes(_declare(data, hostile.INVENTARIO, 300, zlib.crc32(sheet[:300])))
    assert zipfile.ZipFile(path).read(hostile.INVENTARIO) == sheet[:300]  # what zipfile sees
    reader = CalamineBackend(path)
    with pytest.raises(MingaError, match="se expande más de lo que declara"):
        reader.read_values("Inventario")


def test_sheets_read_in_any_order_and_twice_are_what_python_calamine_reads(demo: Path) -> None:
    """The read-ahead threads go in tab order; a caller that jumps back and forth, reads a
    sheet twice or stops early gets the same rows as python-calamine reading the file."""
    from python_calamine import CalamineWorkbook

    direct = CalamineWorkbook.from_path(str(demo))
    names = direct.sheet_names
    expected = {n: direct.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in names}
    order = [names[-1], names[0], *names[::2], names[1], names[0]]
    reader = CalamineBackend(demo)
    for name in order:
        assert reader.read_values(name) == expected[name], name
    assert CalamineBackend(demo).read_values(names[3]) == expected[names[3]]  # and stops
