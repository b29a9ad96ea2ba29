"""A compound file ([MS-CFB], version 3) holding one stream: the clean .xls python-calamine
reads.

An .xls is a compound file, a small file system of its own (sector chains, a directory), and
python-calamine and olefile each have their own reader of it.  minga measures the cells of an
.xls from the ``Workbook`` stream as olefile reads it (``extents.xls_extents``); a compound
file that the two readers follow differently (a sector chain that loops or forks, two entries
of one name) could show python-calamine other cells than the ones measured.  So
python-calamine is given a compound file minga writes, holding exactly the bytes measured,
as the .xlsx and .ods are given a clean package of their own.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

SECTOR = 512
MINI_SECTOR = 64
#: Streams smaller than this live in the mini stream ([MS-CFB] 2.2: «Mini Stream Cutoff»).
MINI_CUTOFF = 4096
_ENTRIES = SECTOR // 4  # sector numbers in a FAT, mini FAT or DIFAT sector
_HEADER_DIFAT = 109  # FAT sector numbers the header itself holds
FREE, END, FAT, DIFAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
NO_STREAM = 0xFFFFFFFF
_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Bytes of the largest stream this writes (a version-3 file's sizes are 32-bit).
MAX_SIZE = 0xFFFFFFFF - SECTOR


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def _entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    """A 128-byte directory entry without siblings ([MS-CFB] 2.6): black if in use, the
    colour of a tree of one."""
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1 if kind else 0,
                       NO_STREAM, NO_STREAM, child, b"", 0, 0, 0, start, size)


def _chain(first: int, count: int) -> list[int]:
    """The FAT entries of ``count`` consecutive sectors from ``first``: each points to the
    next, the last ends the chain."""
    return [*range(first + 1, first + count), END] if count else []


def write(target: BinaryIO, name: str, data: bytes) -> None:
    """Write a compound file whose root holds one stream, ``name``, of ``data``."""
    if len(data) > MAX_SIZE:
        raise ValueError("stream too large for a version-3 compound file")
    small = 0 < len(data) < MINI_CUTOFF
    minis = _sectors(len(data), MINI_SECTOR) if small else 0
    mini_fat = _sectors(minis, _ENTRIES)  # sectors of the mini FAT (at most one)
    body = _sectors(minis * MINI_SECTOR if small else len(data), SECTOR)
    # FAT and DIFAT sectors must also be counted in the FAT: grow both until they fit.
    fats = difats = 0
    while True:
        total = fats + difats + 1 + mini_fat + body  # + one directory sector
        need_fats = _sectors(total, _ENTRIES)
        need_difats = _sectors(max(need_fats - _HEADER_DIFAT, 0), _ENTRIES - 1)
        if (need_fats, need_difats) == (fats, difats):
            break
        fats, difats = need_fats, need_difats
    # Sector order: FAT, DIFAT, directory, mini FAT, then the stream (or the mini stream).
    fat_at, difat_at = 0, fats
    directory_at = fats + difats
    mini_fat_at = directory_at + 1
    body_at = mini_fat_at + mini_fat
    table = [FAT] * fats + [DIFAT] * difats + [END] + _chain(mini_fat_at, mini_fat) + \
        _chain(body_at, body)
    table += [FREE] * (fats * _ENTRIES - len(table))

    fat_sectors = list(range(fat_at, fat_at + fats))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", _SIGNATURE, b"", 0x003E, 0x0003, 0xFFFE, 9, 6, b"", 0, fats,
        directory_at, 0, MINI_CUTOFF, mini_fat_at if mini_fat else END, mini_fat,
        difat_at if difats else END, difats)
    listed = fat_sectors[:_HEADER_DIFAT]
    header += struct.pack(f"<{_HEADER_DIFAT}I", *listed, *[FREE] * (_HEADER_DIFAT - len(listed)))
    target.write(header)
    target.write(struct.pack(f"<{len(table)}I", *table))
    rest = fat_sectors[_HEADER_DIFAT:]
    for i in range(difats):  # each DIFAT sector: 127 FAT sector numbers, then the next one
        chunk = rest[i * (_ENTRIES - 1):(i + 1) * (_ENTRIES - 1)]
        chunk += [FREE] * (_ENTRIES - 1 - len(chunk))
        following = difat_at + i + 1 if i + 1 < difats else END
        target.write(struct.pack(f"<{_ENTRIES}I", *chunk, following))
    if small:
        root = _entry("Root Entry", 5, 1, body_at, minis * MINI_SECTOR)
        stream = _entry(name, 2, NO_STREAM, 0, len(data))
    else:
        root = _entry("Root Entry", 5, 1, END, 0)
        stream = _entry(name, 2, NO_STREAM, body_at if data else END, len(data))
    unused = _entry("", 0, NO_STREAM, 0, 0)
    target.write(root + stream + unused + unused)
    if mini_fat:
        entries = _chain(0, minis)
        target.write(struct.pack(f"<{_ENTRIES}I", *entries, *[FREE] * (_ENTRIES - minis)))
    target.write(data)
    target.write(b"\0" * (body * SECTOR - len(data)))
