"""The parts of an .xlsx package, looked at before python-calamine sees them.

A workbook is untrusted input.  python-calamine builds a dense grid for each sheet it reads,
so one value at XFD1048576 would make it allocate half a terabyte; it panics on some cell
values and rejects a whole sheet for one cell it does not understand.  So minga never hands
it the user's file: it hands it a clean package made here, from the parts Python's zipfile sees
(so both read the same bytes), with

- each sheet whose cells provably fit a small area, as it was (``quick_bound``);
- any other sheet read by ``scan_sheet`` with a hardened streaming parser (no DTD, no
  entities), which places each cell exactly as python-calamine would and lays the cells out
  one per row in column A of a fresh sheet: python-calamine then types each value (shared
  strings, dates from the styles, booleans) as it always does, at a cost that follows the
  number of cells, and the reader puts each value back at its real address.

Everything parsed here goes through defusedxml or an expat parser that refuses DTDs.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import struct
import zipfile
import zlib
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from addin.errors import MingaError

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
#: A sheet read as it is may span at most this many cells from A1 (or twice its cells).
DENSE_CELLS = 2_000_000
#: Cells per sheet of the one-column packages.
CHUNK = 4096

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_R_VALUE = re.compile(rb'\x20r="([A-Za-z]*)([0-9]*)"')
_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")


def escape(text: str) -> str:
    """Text as XML character data: ``xml.sax.saxutils.escape``, without importing it (it
    imports urllib.request, and with it http, ssl and email: a tenth of a «Validar» press)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """Text as a quoted XML attribute value, exactly as ``xml.sax.saxutils.quoteattr``."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in text:
        if "'" in text:
            return '"' + text.replace('"', "&quot;") + '"'
        return "'" + text + "'"
    return '"' + text + '"'


def damaged(path: Path, part: str, why: str) -> MingaError:
    return MingaError(f"No se puede leer «{path.name}»: su parte «{part}» está dañada ({why}).",
                      fix="Ábralo en Excel, repárelo y guárdelo de nuevo como .xlsx.")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2].rpartition(":")[2]


def refuse_dtd(path: Path, part: str, data: bytes) -> None:
    """Office files never declare a DTD (ECMA-376 part 2 forbids it): one that does is refused,
    whichever parser would read it."""
    if _declares(data):
        raise damaged(path, part, "declara un DTD o entidades, que un libro de Excel no tiene")


def _declares(data: bytes) -> bool:
    """Does ``data`` hold «<!DOCTYPE» or «<!ENTITY»?  Each «!» is looked at where it is:
    a one-byte search runs at memory speed, a search for «<!» at a tenth of it (two-byte
    needles take CPython's slow path), and a sheet has few «!» (a text's «¡Hola!»)."""
    at = data.find(b"!")
    for _ in range(64):
        if at < 0:
            return False
        if at and data[at - 1] == 0x3C and data.startswith((b"DOCTYPE", b"ENTITY"), at + 1):
            return True
        at = data.find(b"!", at + 1)
    return b"<!DOCTYPE" in data or b"<!ENTITY" in data  # many «!»: search the whole once


def parse_part(path: Path, part: str, data: bytes) -> Any:
    """A small part (workbook, relationships) parsed with defusedxml: no DTD, no entities."""
    try:
        return fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise damaged(path, part, f"XML no válido: {exc}") from None


def cell_ref(text: str) -> tuple[int, int | None]:
    """0-based (row, column) of «B12» exactly as python-calamine reads it (column None if
    absent); ValueError where python-calamine fails."""
    col = row = 0
    i, n = 0, len(text)
    while i < n and ("A" <= text[i] <= "Z" or "a" <= text[i] <= "z"):
        col = col * 26 + (ord(text[i].upper()) - 64)
        i += 1
    if i == n or not text[i:].isascii() or not text[i:].isdigit():
        raise ValueError(text)
    row = int(text[i:])
    if row < 1:
        raise ValueError(text)
    return row - 1, (col - 1 if col else None)


def _plain_utf8(data: bytes) -> bool:
    """Whether byte searches see the sheet as python-calamine does: UTF-8 (or no declaration),
    no NUL byte, no UTF-16 byte order mark."""
    match = _ENCODING.match(data[:200])
    return not ((match and match.group(1).lower() not in (b"utf-8", b"utf8"))
                or b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")))


def column_number(letters: bytes) -> int:
    """1-based column of «AB» (upper- or lower-case), as python-calamine counts it."""
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return col


def quick_bound(data: bytes) -> tuple[int, int] | None:
    """(rows, columns) from A1 that surely hold every cell python-calamine would place, found
    with byte searches only; None when the sheet is not written plainly enough to be sure
    (another encoding, ``r = "…"`` with spaces, a cell without ``r`` or with a prefix).

    ``claimed_bound`` answers first, in one pass, for a sheet whose cells all lie inside the
    area its ``<dimension>`` claims (every sheet Excel or openpyxl writes); the passes below
    are for the others."""
    if not _plain_utf8(data):
        return None
    claimed = claimed_bound(data)
    if claimed is not None:
        return claimed
    if any(ws + b"=" in data for ws in (b" ", b"\t", b"\n", b"\r")):
        return None
    if data.count(b"r=") != data.count(b'r="') + data.count(b"r='") or b" r='" in data:
        return None
    # An attribute named exactly «r» follows a space here; after a tab, a newline or a quote
    # it is not worth telling apart from «operator="between"»: read such a sheet cell by cell.
    if any(sep + b'r="' in data or sep + b"r='" in data
           for sep in (b"\t", b"\n", b"\r", b'"', b"'")):
        return None
    tags = sum(data.count(b"<c" + end) for end in (b" ", b"\t", b"\n", b"\r", b">", b"/"))
    prefixed = sum(data.count(b":c" + end) + data.count(b":row" + end)
                   for end in (b" ", b"\t", b"\n", b"\r", b">", b"/"))
    if prefixed or tags != data.count(b'<c r="'):
        return None  # a cell without «r» takes its place from the cells before it
    rows, columns = 0, 0
    found = _R_VALUE.findall(data)
    for letters in {letters for letters, _ in found}:
        if len(letters) > 3:
            return MAX_ROWS + 1, MAX_COLUMNS + 1
        columns = max(columns, column_number(letters))
    digits = [d for _, d in found if d]
    if digits:
        rows = max(map(int, digits))
    return rows, columns


# «<dimension ref="A1:O20003"/>»: the area a sheet claims, a hint to be proved.
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]{1,3}[1-9][0-9]{0,6}:)?([A-Z]{1,3})'
                        rb'([1-9][0-9]{0,6})"')
# A cell element with a namespace prefix (<x:c …>): python-calamine reads it as a cell.
_PREFIXED_CELL = re.compile(rb":c[\t\n\r />]")


def not_above(limit: str, letters: bool) -> str:
    """A regular expression matching exactly the column letters (A–Z) or the row numbers
    (no leading zero) that are not above ``limit``: shorter ones, and those of its length that
    are below it from some position on."""
    first, rest, top = ("A", "A", "Z") if letters else ("1", "0", "9")
    size = len(limit)
    # The shorter ones first, possessively and not followed by another character of the kind:
    # a reference of the limit's length fails there at once instead of backtracking.
    alternatives = [f"[{first}-{top}][{rest}-{top}]{{0,{size - 2}}}+(?![{rest}-{top}])"
                    ] if size > 1 else []
    for i, ch in enumerate(limit):
        low = first if i == 0 else rest
        if ch > low:
            tail = f"[{rest}-{top}]{{{size - i - 1}}}" if size - i - 1 else ""
            alternatives.append(f"{limit[:i]}[{low}-{chr(ord(ch) - 1)}]{tail}")
    alternatives.append(limit)
    return "(?:" + "|".join(alternatives) + ")"


# The rest of a cell's start tag: attributes written «name="value"», none named r… (a repeated
# ``r`` moves the cell in python-calamine) and no formula error (``t="e"``, read cell by cell).
# Possessive: the attributes cannot be split otherwise, and backtracking costs half the pass.
# ``s`` and ``t`` as Excel writes them are matched first without the general loop (a third of
# the pass); whatever they do not match, the loop does.
_ATTRIBUTES = (rb'"(?: s="[0-9]++")?+(?: t="(?!e")[a-zA-Z]++")?+'
               rb'(?: (?!t="e")[a-qs-zA-Z_][\w.:-]*+="[^"<]*+")*+ ?/?>)[\t\n\r />]')


@functools.lru_cache(maxsize=64)
def _outside(letters: str, digits: str) -> re.Pattern[bytes]:
    """A cell start tag other than ``<c r="REF" a="…" …>`` with REF inside A1:{letters}{digits}
    and no other attribute whose name starts with «r» (a repeated ``r`` moves the cell in
    python-calamine), or one with ``t="e"``."""
    inside = not_above(letters, True) + not_above(digits, False)
    return re.compile(rb'<c(?! r="' + inside.encode() + _ATTRIBUTES)


@functools.lru_cache(maxsize=64)
def _outside_loosely(letters: str, places: int) -> re.Pattern[bytes]:
    """``_outside`` for the area A1:{letters}{10**places - 1}: a row is only checked to have
    at most ``places`` digits, a quarter cheaper than comparing it with the claimed row."""
    columns = f"[A-{letters}]" if len(letters) == 1 else not_above(letters, True)
    return re.compile(rb'<c(?! r="' + columns.encode() + rb"[1-9][0-9]{0,%d}+"
                      % (places - 1) + _ATTRIBUTES)


def claimed_bound(data: bytes) -> tuple[int, int] | None:
    """The area of the sheet's ``<dimension>`` if every cell provably lies inside it, in one
    regular-expression pass over the cells; None when it claims none, or too much, or a cell
    lies outside it or is written otherwise than ``<c r="B12" s="…" t="…">``.

    Why this is enough (``data`` passed ``_plain_utf8``): python-calamine's XML reader
    (quick-xml) ends an element name at a space, tab, newline, carriage return, «/» or «>», so
    every cell element starts with «<c» or «:c» followed by one of those; a prefixed one is
    refused here, and every other one must be written ``<c r="REF" a="…" …>`` (one space
    between attributes, double quotes) with REF in A1:{dimension} and no other attribute whose
    name starts with «r».  python-calamine places a cell at its ``r`` attribute (a repeated
    one moves it: hence the whole tag is checked), so none lands outside the area.  Text in
    comments or CDATA can only make this refuse a sheet, never accept one."""
    claim = _claimed_area(data)
    if claim is None:
        return None
    letters, digits, rows, columns = claim
    if _PREFIXED_CELL.search(data) or _outside(letters.decode(), digits.decode()).search(data):
        return None
    return rows, columns


def _claimed_area(data: bytes) -> tuple[bytes, bytes, int, int] | None:
    """The area a sheet's ``<dimension>`` claims (its last column's letters and row's digits,
    rows, columns), or None when it claims none or one too large to read densely."""
    hint = _DIMENSION.search(data, 0, 16384)
    if hint is None:
        return None
    letters, digits = hint.group(1), hint.group(2)
    rows, columns = int(digits), column_number(letters)
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > DENSE_CELLS:
        return None
    return letters, digits, rows, columns


def dense_ok(bound: tuple[int, int], data: bytes) -> bool:
    """Whether python-calamine may read the sheet as it is: a small area, or one its own cells
    mostly fill; never a sheet with formula errors (read by ``scan_sheet``), whose type may be
    written ``t="e"``, ``t='e'`` or with spaces: any attribute value «e» is enough to refuse."""
    rows, columns = bound
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        return False
    if b'"e"' in data or (b"'" in data and b"'e'" in data):
        return False
    area = rows * max(columns, 1)
    return area <= DENSE_CELLS or area <= 2 * data.count(b"<c ")


#: Bytes decompressed (and proved) at a time: a large sheet is never held whole to prove it.
PIECE = 1 << 20


def pieces(chunks: Iterable[bytes], first: int = 1 << 16) -> Iterator[bytes]:
    """The stream cut just before a «<»: every tag, DTD declaration and attribute value the
    proof looks for lies inside one piece (none holds a «<»).  The first piece holds at least
    ``first`` bytes, so that it holds the ``<dimension>`` if the sheet has one where Excel
    writes it."""
    carry = b""
    for chunk in chunks:
        carry += chunk
        if len(carry) < first:
            continue
        cut = carry.rfind(b"<")
        if cut > 0:
            yield carry[:cut]
            carry, first = carry[cut:], 0
    if carry:
        yield carry


def plain_sheet(path: Path, part: str, parts: Iterable[bytes],
                proved: Callable[[bytes], None] | None = None) -> tuple[int, int] | None:
    """``claimed_bound`` and ``dense_ok`` proved piece by piece as the sheet is decompressed:
    an area that holds every cell, found from the ``<dimension>`` (the claimed rows, or all the
    rows with as many digits where that area is small too), when it is small and no cell holds
    a formula error, so python-calamine may read the sheet as it is; None as soon as that
    cannot be proved (the caller then looks at the whole sheet).  Refuses a DTD.  ``proved``
    is given each piece once it is proved (and never one that is not)."""
    outside: re.Pattern[bytes] | None = None
    bound = (0, 0)
    for piece in parts:
        refuse_dtd(path, part, piece)
        if outside is None:
            if not _plain_utf8(piece):
                return None
            claim = _claimed_area(piece)
            if claim is None:
                return None
            letters, digits, rows, columns = claim
            loose = 10 ** len(digits) - 1
            if loose <= MAX_ROWS and loose * columns <= DENSE_CELLS:
                outside, bound = _outside_loosely(letters.decode(), len(digits)), (loose, columns)
            else:
                outside, bound = _outside(letters.decode(), digits.decode()), (rows, columns)
        elif b"\x00" in piece:
            return None
        # ``outside`` also finds a formula error (its cell is read cell by cell).
        if _PREFIXED_CELL.search(piece) or outside.search(piece):
            return None
        if proved is not None:
            proved(piece)
    return bound if outside is not None else None


# --- a large sheet cut into parts at its rows ------------------------------------------------

# The head of a sheet up to its ``<sheetData>`` start tag, written plainly: a byte order mark
# and an XML declaration (optional), then text and tags whose quotes pair up, with no «<» or
# «>» inside a quoted value, and no comment, CDATA or processing instruction.  quick-xml, with
# which python-calamine reads a sheet, cuts such bytes into exactly these tags.
_HEAD = re.compile(rb"""(?:\xef\xbb\xbf)?(?:<\?xml[^<>]*+\?>)?"""
                   rb"""(?:[^<]++|<(?!sheetData>)[^<>!?"']*+"""
                   rb"""(?:"[^<>"]*+"[^<>"']*+|'[^<>']*+'[^<>"']*+)*+>)*+<sheetData>""")
_ROW = re.compile(rb"<row[\t\n\r />]")
_PART_END = b"</sheetData></worksheet>"


class RowParts:
    """A sheet's XML, as it is proved piece by piece, cut into parts at the start of a row,
    each handed to ``emit`` (as the list of its byte strings) as soon as it is whole: the
    sheet's head (through its ``<sheetData>`` start tag), whole rows and an end of
    ``sheetData``; the last part is the head and the rest of the sheet as it is.  A sheet
    whose head is not written plainly (``_HEAD``, in its first piece) is one part: the sheet
    as it is.

    Why python-calamine reads the parts' cells exactly as it reads the whole sheet's, or fails
    on one of the parts (the caller then reads the whole sheet): it reads cells from the
    ``<sheetData>`` start tag of the head to the first ``sheetData`` end tag, and each
    part's head ends in the same state as the whole's; it places each cell at its ``r``
    (every cell of a proved sheet has one), so no state passes from one row to the next;
    cuts stop before the first «sheetData» after the head, so the whole sheet does not end
    early; and a part ends cleanly only if the whole sheet's XML is between tags there: a cut
    inside a tag, a value, a comment or a cell makes that part end inside it and fail.
    python-calamine keeps the last of two cells at one address: the caller checks that each
    part's rows lie below the rows of the part before."""

    def __init__(self, size: int, emit: Callable[[list[bytes]], None]) -> None:
        self.size, self.emit = size, emit
        self.head: bytes | None = None
        self.cutting = True  # until the first «sheetData» after the head
        self.started = False
        self.pending: list[bytes] = []
        self.held = 0  # bytes in ``pending``
        self.count = 0  # parts emitted
        self.closed = False  # the last part emitted: the sheet was proved to its end

    def feed(self, piece: bytes) -> None:
        if not self.started:
            self.started = True
            found = _HEAD.match(piece)
            if found is None or b"sheetData" in piece[:found.end() - len(b"<sheetData>")]:
                self.cutting = False  # read as one part: the sheet as it is
            else:
                self.head, piece = piece[:found.end()], piece[found.end():]
        at = 0  # where the rest of ``piece`` starts
        end = piece.find(b"sheetData") if self.cutting else -1  # no cut from there on
        while self.cutting:
            # The first row that starts once the part holds ``size`` bytes ends the part.
            found = _ROW.search(piece, at + max(self.size - self.held, 1),
                                len(piece) if end < 0 else end)
            if found is None:
                break
            assert self.head is not None
            self._emit([self.head, *self.pending, piece[at:found.start()], _PART_END])
            self.pending, self.held, at = [], 0, found.start()
        if end >= 0:
            self.cutting = False
        rest = piece[at:] if at else piece
        self.pending.append(rest)
        self.held += len(rest)

    def close(self) -> None:
        """The last part: the head and the rest of the sheet as it is."""
        self._emit([self.head or b"", *self.pending])
        self.pending, self.held, self.closed = [], 0, True

    def _emit(self, part: list[bytes]) -> None:
        self.count += 1
        self.emit(part)


def _forbid(*args: Any) -> None:
    raise ValueError("declaraciones DTD o entidades no permitidas")


def hardened_parser() -> Any:
    """An expat parser that refuses a DTD, any entity declaration or reference to an outside
    entity (a ``ValueError`` from its handler), and never reads parameter entities: what
    minga parses by hand gets the defences defusedxml gives the rest."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


class _Found(Exception):
    """The element looked for: parsing stops there."""


# A start tag written plainly (what expat has just read as one), and in it the attribute
# python-calamine reads as the count of shared strings.
_START_TAG = re.compile(rb"""<[^\s/>]++(?:\s++[^\s=/>]++\s*+=\s*+(?:"[^"]*+"|'[^']*+'))*+\s*+/?>""")
_UNIQUE_COUNT = re.compile(rb"""\s++uniqueCount\s*+=\s*+(?:"[^"]*+"|'[^']*+')""")


def without_count_hint(path: Path, part: str, data: bytes) -> bytes:
    """The shared strings without the ``uniqueCount`` of their ``<sst>``: python-calamine
    reserves room for that many strings before reading any, and a hostile «4000000000000»
    aborted the process.  It is only a hint (every string is read all the same), so the
    clean package goes without it.  The ``<sst>`` is the first element of that local name,
    as python-calamine finds it; the XML before it must be well formed (it is, in every
    workbook: ``<sst>`` is the root)."""
    parser = hardened_parser()
    found: list[tuple[int, dict[str, str]]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(":")[2] == "sst":
            found.append((parser.CurrentByteIndex, attrs))
            raise _Found

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except _Found:
        pass
    except (expat.ExpatError, ValueError) as exc:
        raise damaged(path, part, f"XML no válido: {exc}") from None
    if not found or "uniqueCount" not in found[0][1]:
        return data  # without an <sst>, python-calamine says the part is damaged
    at = found[0][0]
    tag = _START_TAG.match(data, at)
    cleaned = _UNIQUE_COUNT.sub(b"", tag.group()) if tag else b""
    if tag is None or b"uniqueCount" in cleaned:
        raise damaged(path, part, "la cantidad de textos de <sst> no se puede leer")
    return data[:at] + cleaned + data[tag.end():]


# --- scanning a sheet cell by cell -----------------------------------------------------------


@dataclass
class SheetScan:
    """A sheet's cells in file order: positions, and the XML of each cell for calamine."""

    rows: array = field(default_factory=lambda: array("l"))
    cols: array = field(default_factory=lambda: array("l"))
    xml: list[str] = field(default_factory=list)  # <c …>…</c> with r set to A{n} later
    raw: list[str] = field(default_factory=list)  # the <v> text, for messages
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # formula error results
    unreadable: dict[tuple[int, int], str] = field(default_factory=dict)


class _Scanner:
    """Walks sheetData the way python-calamine's cell reader does (positions from ``r``, or
    counted along the row), collecting each cell's value elements."""

    def __init__(self, path: Path, part: str, data: bytes) -> None:
        self.path, self.part, self.data = path, part, data
        self.scan = SheetScan()
        self.state = 0  # 0 before sheetData, 1 inside, 2 after
        self.row_index = self.col_index = 0
        self.cell: tuple[int, int, str, str] | None = None  # row, col, s, t
        self.depth = 0  # depth inside the current cell
        self.parts: list[str] = []
        self.value_text: list[str] = []
        self.in_value = False
        self.bad_child = ""

    def run(self) -> SheetScan:
        parser = hardened_parser()
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        try:
            parser.Parse(self.data, True)
        except expat.ExpatError as exc:
            raise damaged(self.path, self.part, f"XML no válido: {exc}") from None
        except ValueError as exc:
            raise damaged(self.path, self.part, str(exc)) from None
        if self.state == 0 and self.data:
            raise damaged(self.path, self.part, "no tiene datos de hoja (sheetData)")
        return self.scan

    def place(self, ref: str) -> tuple[int, int | None]:
        try:
            row, col = cell_ref(ref)
        except ValueError:
            raise ValueError(f"referencia de celda no válida «{ref[:20]}»") from None
        if row >= MAX_ROWS or (col is not None and col >= MAX_COLUMNS):
            raise ValueError(f"la celda «{ref[:20]}» está fuera de los límites de Excel "
                             "(XFD1048576)")
        return row, col

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if self.state != 1:
            if self.state == 0 and local == "sheetData":
                self.state = 1
            return
        if self.cell is not None:
            self.depth += 1
            if self.depth == 1 and local not in ("v", "is", "f"):
                self.bad_child = local
            if self.depth == 1 and local == "v":
                self.in_value = True
            extra = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
            self.parts.append(f"<{local}{extra}>")
            return
        if local == "row":
            if "r" in attrs:
                self.row_index = self.place(attrs["r"])[0]
        elif local == "c":
            if "r" in attrs:
                row, col = self.place(attrs["r"])
                if col is None:
                    raise ValueError(f"referencia de celda sin columna «{attrs['r'][:20]}»")
                self.col_index = col
            else:
                row, col = self.row_index, self.col_index
                if col >= MAX_COLUMNS:
                    raise ValueError("una fila tiene más de 16.384 celdas")
            self.cell = (row, col, attrs.get("s", ""), attrs.get("t", ""))
            self.depth, self.parts, self.value_text, self.bad_child = 0, [], [], ""

    def end(self, name: str) -> None:
        if self.state != 1:
            return
        local = name.rpartition(":")[2]
        if self.cell is not None:
            if self.depth > 0:
                self.depth -= 1
                self.parts.append(f"</{local}>")
                if self.depth == 0:
                    self.in_value = False
                return
            self.finish_cell()
            return
        if local == "row":
            self.row_index += 1
            self.col_index = 0
            if self.row_index >= MAX_ROWS:
                self.row_index = MAX_ROWS  # only an error if a cell is placed there
        elif local == "sheetData":
            self.state = 2

    def text(self, data: str) -> None:
        if self.cell is not None and self.depth > 0:
            self.parts.append(escape(data))
            if self.in_value:
                self.value_text.append(data)

    def finish_cell(self) -> None:
        assert self.cell is not None
        row, col, style, kind = self.cell
        self.cell = None
        self.col_index = col + 1
        if row >= MAX_ROWS:
            raise ValueError("una celda está fuera de los límites de Excel (fila 1.048.576)")
        raw = "".join(self.value_text).strip()
        scan = self.scan
        if self.bad_child:
            scan.unreadable[(row, col)] = f"elemento «{self.bad_child[:20]}» inesperado"
            return
        if kind == "e":
            scan.errors[(row, col)] = raw or "#N/A"
            return
        if not self.parts:
            return  # no value: python-calamine skips it too
        attrs = (f" s={quoteattr(style)}" if style else "") + (
            f" t={quoteattr(kind)}" if kind else "")
        scan.rows.append(row)
        scan.cols.append(col)
        scan.xml.append(f"{attrs}>{''.join(self.parts)}</c>")
        scan.raw.append(raw[:40])


def scan_sheet(path: Path, part: str, data: bytes) -> SheetScan:
    """Every cell of a sheet, placed as python-calamine would place it (MingaError if the XML
    is not well formed, declares a DTD, or puts a cell beyond XFD1048576)."""
    return _Scanner(path, part, data).run()


# --- packages for python-calamine ----------------------------------------------------------


def _workbook_xml(names: list[str], date1904: bool) -> str:
    sheets = "".join(f'<sheet name={quoteattr(name)} sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                     for i, name in enumerate(names))
    return (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_DOC_REL}"><workbookPr date1904="{int(date1904)}"/>'
            f"<sheets>{sheets}</sheets></workbook>")


def _rels_xml(count: int, extra: bool) -> str:
    rels = [f'<Relationship Id="rId{i + 1}" Type="{_DOC_REL}/worksheet" '
            f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(count)]
    if extra:
        rels.append(f'<Relationship Id="rIdS" Type="{_DOC_REL}/styles" Target="styles.xml"/>')
        rels.append(f'<Relationship Id="rIdT" Type="{_DOC_REL}/sharedStrings" '
                    'Target="sharedStrings.xml"/>')
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}">' \
           + "".join(rels) + "</Relationships>"


EMPTY_SHEET = f'<worksheet xmlns="{_MAIN}"><sheetData/></worksheet>'.encode()


class PackageWriter:
    """A minimal .xlsx for python-calamine, written sheet by sheet into ``target`` (a file or
    a buffer), so that no sheet needs to stay in memory once written: the workbook's styles and
    shared strings, then each sheet as ``add`` gets it, then the workbook part naming them.
    ``stored``: without compressing (compressing only for python-calamine to decompress again
    costs more than the copy)."""

    def __init__(self, target: Any, date1904: bool, styles: bytes | None,
                 shared: bytes | None, *, stored: bool = False) -> None:
        self.date1904 = date1904
        self.names: list[str] = []
        method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        self.archive = zipfile.ZipFile(target, "w", method, compresslevel=None if stored else 1)
        self.archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="xml" ContentType="application/'
            'xml"/></Types>'))
        self.archive.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}">'
            f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))
        if styles is not None:
            self.archive.writestr("xl/styles.xml", styles)
        if shared is not None:
            self.archive.writestr("xl/sharedStrings.xml", shared)

    def add(self, name: str, data: bytes) -> None:
        self.names.append(name)
        self.archive.writestr(f"xl/worksheets/sheet{len(self.names)}.xml", data)

    def close(self) -> None:
        self.archive.writestr("xl/workbook.xml", _workbook_xml(self.names, self.date1904))
        self.archive.writestr("xl/_rels/workbook.xml.rels", _rels_xml(len(self.names), True))
        self.archive.close()


@dataclass(frozen=True)
class RawMember:
    """Where a member's bytes lie in its zip, as they are stored (compressed or not)."""

    offset: int
    method: int
    compressed: int
    size: int
    crc: int


_LOCAL = struct.Struct("<4s5H3I2H")
_CENTRAL = struct.Struct("<4s6H3I5H2I")
_END = struct.Struct("<4s4H2IH")
_LIMIT = 0xFFFFFFFF


class ZipOut:
    """A plain zip (no zip64, no data descriptors) written part by part: parts given as
    bytes are stored; sheets are copied byte for byte, compressed as they are, from the user's
    file, so python-calamine inflates the very stream ``Package.chunks`` inflated and proved,
    and copying costs a few megabytes instead of the whole decompressed sheet."""

    def __init__(self, target: BinaryIO) -> None:
        self.target = target
        self.central: list[bytes] = []
        self.offset = 0

    def _header(self, name: str, method: int, crc: int, compressed: int, size: int) -> None:
        encoded = name.encode()
        if max(compressed, size, self.offset) > _LIMIT or len(self.central) >= 0xFFFF:
            raise MingaError("El libro es demasiado grande para leerlo.",
                             fix="Divídalo en libros más pequeños.")
        self.target.write(_LOCAL.pack(b"PK\x03\x04", 20, 0, method, 0, 0x21, crc,
                                      compressed, size, len(encoded), 0) + encoded)
        self.central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc,
                                          compressed, size, len(encoded), 0, 0, 0, 0, 0,
                                          self.offset) + encoded)
        self.offset += _LOCAL.size + len(encoded) + compressed

    def add(self, name: str, data: bytes) -> None:
        self.add_chunks(name, [data])

    def add_chunks(self, name: str, chunks: list[bytes]) -> None:
        """A part given as byte strings, stored."""
        crc = size = 0
        for chunk in chunks:
            crc, size = zlib.crc32(chunk, crc), size + len(chunk)
        self._header(name, zipfile.ZIP_STORED, crc, size, size)
        for chunk in chunks:
            self.target.write(chunk)

    def copy(self, name: str, source: BinaryIO, raw: RawMember) -> None:
        self._header(name, raw.method, raw.crc, raw.compressed, raw.size)
        source.seek(raw.offset)
        left = raw.compressed
        while left:
            block = source.read(min(left, PIECE))
            if not block:
                raise EOFError("truncated member")
            self.target.write(block)
            left -= len(block)

    def close(self) -> None:
        directory = b"".join(self.central)
        self.target.write(directory + _END.pack(b"PK\x05\x06", 0, 0, len(self.central),
                                                len(self.central), len(directory),
                                                self.offset, 0))


def write_package(target: BinaryIO, package: Package) -> dict[str, str]:
    """The clean package python-calamine reads, written to ``target``: every worksheet of
    ``package`` as it is stored (none is decompressed here: each is proved when it is read),
    under a name of minga's (returned: sheet → that name), with the workbook's styles and
    shared strings; minga's own workbook part and relationships name them."""
    out = _package_start(target, package)
    names: dict[str, str] = {}
    with open(package.path, "rb") as source:
        for sheet, member in dict(package.sheets).items():  # a repeated name: its last part
            if member is None:
                continue
            names[sheet] = f"s{len(names)}"
            part = f"xl/worksheets/sheet{len(names)}.xml"
            raw = package.raw(member)
            if raw is None:  # bzip2, lzma: allowed by zip, never written by Excel
                out.add(part, b"".join(package.chunks(member)))
            else:
                out.copy(part, source, raw)
    _package_end(out, list(names.values()), package.date1904)
    return names


def _package_start(target: BinaryIO, package: Package) -> ZipOut:
    """A clean package begun: its content types, relationships, styles and shared strings."""
    out = ZipOut(target)
    out.add("[Content_Types].xml", (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
        b'org/package/2006/content-types"><Default Extension="xml" ContentType="application/'
        b'xml"/></Types>'))
    out.add("_rels/.rels", (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>').encode())
    if package.styles is not None:
        out.add("xl/styles.xml", package.styles)
    if package.shared is not None:
        out.add("xl/sharedStrings.xml", package.shared)
    return out


def _package_end(out: ZipOut, names: list[str], date1904: bool) -> None:
    out.add("xl/workbook.xml", _workbook_xml(names, date1904).encode())
    out.add("xl/_rels/workbook.xml.rels", _rels_xml(len(names), True).encode())
    out.close()


def part_package(package: Package, sheet: list[bytes]) -> bytes:
    """A clean package of one sheet, «p», given as byte strings (a part of a large sheet,
    ``RowParts``), stored: python-calamine reads it without inflating it again."""
    target = io.BytesIO()
    out = _package_start(target, package)
    out.add_chunks("xl/worksheets/sheet1.xml", sheet)
    _package_end(out, ["p"], package.date1904)
    return target.getvalue()


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODS_MANIFEST = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="'
                 b'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                 b'manifest:full-path="/" manifest:media-type="' + ODS_MIMETYPE + b'"/>'
                 b"</manifest:manifest>")


def write_ods(target: BinaryIO, package: Package) -> None:
    """The clean .ods python-calamine reads: the mimetype, a manifest of minga's and the
    user's ``content.xml`` as it is stored (proved by ``extents.ods_extents`` as it streams
    from the same bytes)."""
    out = ZipOut(target)
    out.add("mimetype", ODS_MIMETYPE)
    out.add("META-INF/manifest.xml", _ODS_MANIFEST)
    raw = package.raw("content.xml")
    if raw is None:
        out.add("content.xml", b"".join(package.chunks("content.xml")))
    else:
        with open(package.path, "rb") as source:
            out.copy("content.xml", source, raw)
    out.close()


def build_package(names: list[str], sheets: list[bytes], date1904: bool,
                  styles: bytes | None, shared: bytes | None, *, stored: bool = False) -> bytes:
    """A minimal .xlsx holding ``sheets`` (XML) under ``names``, with the workbook's styles and
    shared strings, for python-calamine to read from memory (see ``PackageWriter``)."""
    buffer = io.BytesIO()
    writer = PackageWriter(buffer, date1904, styles, shared, stored=stored)
    for name, data in zip(names, sheets, strict=True):
        writer.add(name, data)
    writer.close()
    return buffer.getvalue()


def column_sheet(scan: SheetScan, indexes: range | list[int]) -> bytes:
    """The cells ``indexes`` of a scan, one per row in column A."""
    cells = "".join(f'<row r="{n + 1}"><c r="A{n + 1}"{scan.xml[i]}</row>'
                    for n, i in enumerate(indexes))
    return f'<worksheet xmlns="{_MAIN}"><sheetData>{cells}</sheetData></worksheet>'.encode()


def chunks(count: int, size: int = CHUNK) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


# --- the package as Python's zipfile sees it ------------------------------------------------


class Package:
    """The sheets of an .xlsx: names in tab order, where their XML is, the 1904 flag, styles and
    shared strings — resolved the way python-calamine resolves them (``workbook``: False for
    an .ods, whose parts are only read and copied)."""

    def __init__(self, path: Path, workbook: bool = True) -> None:
        self.path = path
        try:
            self.archive = zipfile.ZipFile(path)
            self.names = set(self.archive.namelist())
            if workbook:
                self._open()
        except MingaError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError,
                ValueError) as exc:
            raise MingaError(f"No se puede leer «{path.name}»: el archivo está dañado "
                             f"({type(exc).__name__}).",
                             fix="Vuelva a descargarlo o a guardarlo desde Excel.") from None

    def _member(self, name: str) -> str | None:
        """The zip member a path names: exact, else case-insensitive with «/» for «\\»."""
        if name in self.names:
            return name
        return self.folded.get(name.lower())

    def read(self, member: str) -> bytes:
        return self.archive.read(member)

    def raw(self, member: str) -> RawMember | None:
        """Where ``member`` lies as stored, if stored or deflated (None: another method)."""
        info = self.archive.getinfo(member)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or \
                info.flag_bits & 1:
            return None
        with open(self.path, "rb") as handle:
            handle.seek(info.header_offset)
            head = handle.read(_LOCAL.size)
        if len(head) < _LOCAL.size or head[:4] != b"PK\x03\x04":
            raise damaged(self.path, member, "su cabecera no está donde el índice del zip dice")
        name_length, extra_length = struct.unpack("<HH", head[26:30])
        return RawMember(info.header_offset + _LOCAL.size + name_length + extra_length,
                         info.compress_type, info.compress_size, info.file_size, info.CRC)

    def chunks(self, member: str) -> Generator[bytes, None, None]:
        """The bytes of ``member`` a piece at a time, inflated from exactly the stream
        ``write_package`` copies: it must end where it says, at the size and CRC it declares
        (so python-calamine, inflating the same stream, reads these bytes and no more)."""
        raw = self.raw(member)
        try:
            if raw is None:
                with self.archive.open(member) as stream:
                    while block := stream.read(PIECE):
                        yield block
                return
            yield from self._inflate(member, raw)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise damaged(self.path, member, f"{type(exc).__name__}: {str(exc)[:100]}"
                          ) from None

    def _inflate(self, member: str, raw: RawMember) -> Iterator[bytes]:
        inflate = zlib.decompressobj(-15) if raw.method == zipfile.ZIP_DEFLATED else None
        crc = total = 0
        with open(self.path, "rb") as handle:
            handle.seek(raw.offset)
            left = raw.compressed
            while left or (inflate is not None and inflate.unconsumed_tail):
                if inflate is not None and inflate.unconsumed_tail:
                    data = inflate.decompress(inflate.unconsumed_tail, PIECE)
                else:
                    block = handle.read(min(left, PIECE))
                    if not block:
                        raise damaged(self.path, member, "el archivo termina antes que ella")
                    left -= len(block)
                    data = block if inflate is None else inflate.decompress(block, PIECE)
                total += len(data)
                if total > raw.size:
                    raise damaged(self.path, member, "se expande más de lo que declara")
                crc = zlib.crc32(data, crc)
                if data:
                    yield data
            if inflate is not None and not inflate.eof:
                raise damaged(self.path, member, "sus datos comprimidos están incompletos")
        if total != raw.size or crc != raw.crc:
            raise damaged(self.path, member, "no coincide con su suma de verificación")

    def _open(self) -> None:
        self.folded = {n.replace("\\", "/").lower(): n for n in self.archive.namelist()}
        rels_name = self._member("_rels/.rels")
        xl_path = "xl/"
        if rels_name is not None:
            root = parse_part(self.path, "_rels/.rels", self.read(rels_name))
            for rel in root:
                if rel.get("Type", "").endswith("/relationships/officeDocument"):
                    target = rel.get("Target", "")
                    folder = target[: target.rfind("/") + 1] if "/" in target else ""
                    xl_path = folder.removeprefix("/")
        workbook_name = self._member(f"{xl_path}workbook.xml")
        if workbook_name is None:
            raise MingaError(f"No se puede leer «{self.path.name}»: no contiene la definición "
                             "del libro (workbook.xml).", fix="Vuelva a guardarlo desde Excel.")
        workbook = parse_part(self.path, workbook_name, self.read(workbook_name))
        rels_name = self._member(f"{xl_path}_rels/workbook.xml.rels")
        targets: dict[str, tuple[str, str]] = {}
        if rels_name is not None:
            for rel in parse_part(self.path, rels_name, self.read(rels_name)):
                if rel.get("Id") is not None:
                    targets[rel.get("Id", "")] = (rel.get("Target", ""), rel.get("Type", ""))
        self.sheets: list[tuple[str, str | None]] = []
        self.date1904 = False
        for element in workbook.iter():
            local = _local(element.tag)
            if local == "workbookPr":
                self.date1904 = element.get("date1904") in ("1", "true")
            elif local == "sheet":
                rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
                target, kind = targets.get(rid, ("", ""))
                member = None
                if kind.rpartition("/")[2] == "worksheet" and target:
                    full = target[1:] if target.startswith("/") else f"{xl_path}{target}"
                    member = self._member(full) or self._member(posixpath.normpath(full))
                self.sheets.append((element.get("name", ""), member))
        styles = self._member(f"{xl_path}styles.xml")
        shared = self._member(f"{xl_path}sharedStrings.xml")
        self.styles = self.read(styles) if styles else None
        self.shared = self.read(shared) if shared else None
        for name, data in ((styles, self.styles), (shared, self.shared)):
            if name and data is not None:
                refuse_dtd(self.path, name, data)
        if shared and self.shared is not None:
            self.shared = without_count_hint(self.path, shared, self.shared)
