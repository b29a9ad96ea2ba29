"""Hostile workbooks made by editing an .xlsx's XML and zip bytes directly, and a way to run
minga on them inside resource limits.

Shared by tests/corpus/make.py (the committed corpus) and tests/test_hostile.py (the
property-based test).  Editing the XML reaches what openpyxl would never write: a boolean 2, a
shared-string index out of range, an error value Excel 365 invented, a date of -1e12, a cell at
XFD1048576, a DOCTYPE, a compression method python's zipfile does not know.
"""

from __future__ import annotations

import io
import os
import re
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Change = Callable[[bytes], bytes]
ROOT = Path(__file__).resolve().parents[1]
DATE_STYLE = 500  # a date (built-in format 14), added by ``with_duration_style``
DURATION_STYLE = 501  # [h]:mm:ss, added by ``with_duration_style``
PROGRAMA, INVENTARIO, SESIONES = ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet9.xml",
                                  "xl/worksheets/sheet6.xml")


def rewrite(data: bytes, changes: dict[str, Change]) -> bytes:
    """The package with ``changes[member](bytes)`` applied to its members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename in changes:
                body = changes[info.filename](body)
            zout.writestr(info, body)
    return out.getvalue()


def members(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def add_cell(ref: str, cell: str) -> Change:
    """Append ``<c r=ref …>`` in a row of its own (rows need not be in order for readers)."""
    row = re.sub(r"^[A-Z]+", "", ref)
    return lambda d: d.replace(b"</sheetData>",
                               f'<row r="{row}"><c r="{ref}"{cell}</row></sheetData>'.encode())


def set_cell(ref: str, cell: str) -> Change:
    """Replace cell ``ref`` (which must exist) by ``<c r=ref …>``."""
    def change(d: bytes) -> bytes:
        new, n = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)'.encode(),
                         f'<c r="{ref}"{cell}'.encode(), d, count=1, flags=re.S)
        if not n:
            raise KeyError(ref)
        return new
    return change


def with_duration_style(d: bytes) -> bytes:
    """styles.xml with a date (DATE_STYLE) and an [h]:mm:ss (DURATION_STYLE) cell format.

    Copies of the default format fill the gap up to them, so their indexes do not depend on
    how many styles the workbook happens to have.
    """
    count = int(re.search(rb'<cellXfs count="(\d+)"', d).group(1))  # type: ignore[union-attr]
    assert count <= DATE_STYLE, count
    d = d.replace(b'<cellXfs count="%d">' % count,
                  b'<cellXfs count="%d">' % (DURATION_STYLE + 1))
    xf = b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" applyNumberFormat="1" xfId="0"/>'
    return d.replace(b"</cellXfs>", xf % 0 * (DATE_STYLE - count) + xf % 14 + xf % 46
                     + b"</cellXfs>")


def without_refs(d: bytes) -> bytes:
    """A sheet whose cells carry no «r»: each takes its place from the ones before it (only
    valid where a row's cells are contiguous from column A, as in minga's Programa sheet)."""
    return re.sub(rb'<c r="[A-Z]+\d+"', b"<c", d)


def patch_zip(data: bytes, member: str, *, method: int | None = None, flag: int | None = None,
              version: int | None = None) -> bytes:
    """Set a member's compression method, general-purpose flag bits or version needed, in its
    local header and in the central directory."""
    out = bytearray(data)
    target = member.encode()
    i = 0
    while (i := out.find(b"PK\x01\x02", i)) != -1:
        length = struct.unpack_from("<H", out, i + 28)[0]
        if bytes(out[i + 46:i + 46 + length]) == target:
            offset = struct.unpack_from("<I", out, i + 42)[0]
            for at, local in ((i, False), (offset, True)):
                base = at + (0 if local else 2)  # local headers lack «version made by»
                if version is not None:
                    struct.pack_into("<H", out, base + 4, version)
                if flag is not None:
                    old = struct.unpack_from("<H", out, base + 6)[0]
                    struct.pack_into("<H", out, base + 6, old | flag)
                if method is not None:
                    struct.pack_into("<H", out, base + 8, method)
        i += 4
    return bytes(out)


# --- running minga inside limits -------------------------------------------------------------

MIB = 1 << 20
#: A run that needs more than this much address space is killed by the kernel (and fails
#: the test) instead of taking the machine with it.
ADDRESS_SPACE = 3 << 30


@dataclass
class Run:
    code: int  # exit code, or -signal
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float


#: Runs ``python -m addin`` and, at exit, writes the process's own VmHWM (kB) to the file named
#: by MINGA_TEST_PEAK. VmHWM belongs to the new address space made by exec; ``ru_maxrss`` from
#: wait4 does not: it also holds the resident size of the forked pytest process before exec,
#: which grows over a long test session and made a 60 MiB run look like 156 MiB.
PEAK_BOOT = """
import atexit, os, runpy, sys
def _peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["MINGA_TEST_PEAK"], "w") as out:
        out.write(kb)
atexit.register(_peak)
runpy.run_module("addin", run_name="__main__", alter_sys=True)
"""


def xls_book(path: Path, sheets: dict[str, dict[tuple[int, int], object]]) -> Path:
    """An .xls that xlwt writes with these sheets and cells (row, column → value)."""
    import xlwt

    book = xlwt.Workbook()
    for name, cells in sheets.items():
        sheet = book.add_sheet(name)
        for (row, column), value in cells.items():
            sheet.write(row, column, value)
    book.save(str(path))
    return path


def biff_records(data: bytes) -> list[tuple[int, int, int]]:
    """(type, where the record starts, its size) of each BIFF record of a workbook stream."""
    out, at = [], 0
    while at + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, at)
        out.append((kind, at, size))
        at += 4 + size
    return out


def two_workbook_streams(first: bytes, second: bytes) -> bytes:
    """A compound file (.xls) whose directory holds two streams named «Workbook»: the root's
    child holds ``first``, its left sibling ``second``.  Readers of compound files choose
    differently between them (olefile takes the sibling, python-calamine the child).  Both
    streams at least 4,096 bytes (no mini stream); written here from [MS-CFB] 2.2–2.6 by
    hand, not with minga's writer."""
    end, free, fat_mark, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    assert len(first) >= 4096 and len(second) >= 4096
    a, b = -(-len(first) // 512), -(-len(second) // 512)
    fats = 1
    while fats * 128 < fats + 1 + a + b:
        fats += 1
    directory, at_a = fats, fats + 1
    at_b = at_a + a

    def chain(start: int, count: int) -> list[int]:
        return [*range(start + 1, start + count), end]

    table = [fat_mark] * fats + [end] + chain(at_a, a) + chain(at_b, b)
    table += [free] * (fats * 128 - len(table))
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"",
                         0x3E, 3, 0xFFFE, 9, 6, b"", 0, fats, directory, 0, 4096, end, 0,
                         end, 0)
    header += struct.pack("<109I", *range(fats), *[free] * (109 - fats))

    def entry(name: str, kind: int, left: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1 if kind else 0,
                           left, none, child, b"", 0, 0, 0, start, size)

    entries = (entry("Root Entry", 5, none, 1, end, 0)
               + entry("Workbook", 2, 2, none, at_a, len(first))
               + entry("Workbook", 2, none, none, at_b, len(second))
               + entry("", 0, none, none, 0, 0))
    body = first + bytes(a * 512 - len(first)) + second + bytes(b * 512 - len(second))
    return header + struct.pack(f"<{len(table)}I", *table) + entries + body


def run_minga(*args: str, address_space: int = ADDRESS_SPACE, cpu_seconds: int = 60,
              timeout: float = 120) -> Run:
    """``python -m addin ARGS`` in a child with RLIMIT_AS and RLIMIT_CPU set (a runaway is
    stopped by the CPU limit, not judged by wall time), measuring its wall time and its own
    peak resident memory (VmHWM after exec; wait4's figure if the child died before exit)."""
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))

    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        peak_file = Path(scratch) / "peak"
        env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PYTHONPATH": str(ROOT),
               "MINGA_TEST_PEAK": str(peak_file)}
        t0 = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", PEAK_BOOT, *args], stdout=out,
                                 stderr=err, stdin=subprocess.DEVNULL, preexec_fn=limits,
                                 env=env, cwd=ROOT)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > timeout:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        peak_kb = int(peak_file.read_text()) if peak_file.exists() else usage.ru_maxrss
        out.seek(0)
        err.seek(0)
        return Run(child.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), seconds, peak_kb / 1024)
