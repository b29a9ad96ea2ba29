"""The byte-level proof that lets python-calamine read a sheet densely (issue 14): it may only
ever accept a sheet whose cells all lie inside the area it claims; every other form of cell
sends the sheet to the cell-by-cell reader."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from addin.backends import sheetxml
from addin.backends.calamine_backend import CalamineBackend
from addin.errors import MingaError
from tests import hostile

CORPUS = Path(__file__).resolve().parent / "corpus"


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def inventario() -> bytes:
    with zipfile.ZipFile(CORPUS / "valores_como_texto.xlsx") as archive:
        return archive.read(hostile.INVENTARIO)


def _a4(data: bytes, replacement: bytes) -> bytes:
    """Rewrite the tag of cell A4 (whatever other attributes it has); ``\\1`` is the rest."""
    changed, count = re.subn(rb'<c r="A4"((?: [a-z]+="[^"]*")+)', replacement, data, count=1)
    assert count == 1, "the fixture sheet has no cell A4 with attributes"
    return changed


def streamed_plain(data: bytes, size: int = 97) -> tuple[int, int] | None:
    """``plain_sheet`` on ``data`` arriving ``size`` bytes at a time (as it decompresses)."""
    return sheetxml.plain_sheet(Path("x.xlsx"), "hoja", sheetxml.pieces(
        (data[i:i + size] for i in range(0, len(data), size)), first=256))


def test_the_streamed_proof_accepts_what_the_whole_proof_accepts() -> None:
    """Cut anywhere, the pieces rejoin to the sheet, each cut falls just before a «<», and
    the proof agrees with claimed_bound."""
    data = inventario()
    for size in (1, 7, 97, 4096, len(data)):
        parts = list(sheetxml.pieces((data[i:i + size] for i in range(0, len(data), size)),
                                     first=256))
        assert b"".join(parts) == data and all(p.startswith(b"<") for p in parts[1:])
        claimed, streamed = sheetxml.claimed_bound(data), streamed_plain(data, size)
        assert claimed is not None and streamed is not None
        assert streamed[1] == claimed[1] and claimed[0] <= streamed[0] <= 99  # 2-digit rows


def test_a_cell_past_the_claim_but_inside_the_proved_area_is_read_where_it_is(
        tmp_path: Path) -> None:
    """The streamed proof may prove all the rows with as many digits as the claimed last row
    (cheaper): a cell the dimension leaves out is then read by python-calamine at its place;
    one with more digits is proved by looking at the whole sheet, and read at its place too."""
    for ref, proved in (("C99", True), ("C100", False)):
        data = hostile.add_cell(ref, "><v>7</v></c>")(inventario())
        assert (streamed_plain(data) is not None) is proved
        source = CORPUS / "valores_como_texto.xlsx"
        path = tmp_path / f"{ref}.xlsx"
        path.write_bytes(hostile.rewrite(source.read_bytes(), {hostile.INVENTARIO: lambda d,
                                                               data=data: data}))
        backend = CalamineBackend(path)
        rows = backend.read_values("Inventario")
        assert rows[int(ref[1:]) - 1][2] == 7 and "Inventario" in backend.plain


def test_not_above_matches_exactly_the_columns_up_to_its_limit() -> None:
    columns = [column_letters(n) for n in range(1, 760)] + ["XFD", "ZZZ", "AAAA"]
    for limit in range(1, 760, 7):
        pattern = re.compile(sheetxml.not_above(column_letters(limit), True))
        assert [c for c in columns if pattern.fullmatch(c)] == columns[:limit], limit


def test_not_above_matches_exactly_the_rows_up_to_its_limit() -> None:
    rows = [str(n) for n in range(1, 2100)] + ["01", "007", "10000000"]
    for limit in [*range(1, 2100, 13), 1000, 1999, 2000]:
        pattern = re.compile(sheetxml.not_above(str(limit), False))
        assert [r for r in rows if pattern.fullmatch(r)] == rows[:limit], limit


def test_a_plain_sheet_is_proved_inside_its_dimension() -> None:
    data = inventario()
    ref = re.search(rb'<dimension ref="A1:([A-Z]+)(\d+)"', data)
    assert ref is not None
    bound = (int(ref.group(2)), sheetxml.column_number(ref.group(1)))
    assert sheetxml.claimed_bound(data) == bound
    assert sheetxml.quick_bound(data) == bound and sheetxml.dense_ok(bound, data)


@pytest.mark.parametrize("change", [
    hostile.add_cell("XFD8000", "><v>1</v></c>"),  # outside the dimension, which lies
    hostile.add_cell("B90000", "><v>1</v></c>"),
    lambda d: d.replace(b'<c r="A4"', b'<c r="a4"', 1),  # lower case
    lambda d: d.replace(b'<c r="A4"', b'<c r="A04"', 1),  # leading zero
    lambda d: d.replace(b'<c r="A4"', b'<c\tr="A4"', 1),
    lambda d: d.replace(b'<c r="A4"', b'<c  r="A4"', 1),
    lambda d: d.replace(b'<c r="A4"', b"<c r='A4'", 1),
    lambda d: _a4(d, rb'<c\1 r="A4"'),  # r not first
    lambda d: d.replace(b"</sheetData>", b'<row r="9"><c><v>1</v></c></row></sheetData>'),
    lambda d: d.replace(b"</sheetData>", b'<row r="9"><c/></row></sheetData>'),
    lambda d: d.replace(b'<c r="A4"', b'<x:c xmlns:x="urn:x" r="A4"', 1),
    lambda d: d.replace(b"</sheetData>", b'<!-- <c r="XFD9"> --></sheetData>'),
    lambda d: _a4(d, rb'<c r="A4"\1 r="XFD9"'),
    lambda d: _a4(d, rb'<c r="A4"\1\nr="XFD9"'),
    lambda d: _a4(d, rb'<c r="A4"\1 r = "A5"'),
    lambda d: _a4(d, rb'<c r="A4" r="A4"\1'),
    lambda d: re.sub(rb"<dimension [^>]*>", b"", d),  # no claim to prove
    lambda d: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', d),
], ids=["lejana", "fila_lejana", "minuscula", "cero_inicial", "tab", "dos_espacios",
        "comillas_simples", "r_no_primero", "sin_r", "sin_r_vacia", "prefijo", "comentario",
        "r_repetida", "r_repetida_tras_salto", "r_repetida_con_espacios",
        "r_repetida_igual", "sin_dimension", "dimension_enorme"])
def test_any_other_form_of_cell_is_not_proved_by_the_dimension(change) -> None:
    data = change(inventario())
    assert data != inventario()
    assert sheetxml.claimed_bound(data) is None
    assert not streamed_plain(data)


@pytest.mark.parametrize("far", ["XFD8000", "XFD1048576", "A1048576"])
def test_a_far_cell_behind_a_lying_dimension_is_read_cell_by_cell(far: str) -> None:
    data = hostile.add_cell(far, "><v>1</v></c>")(inventario())
    assert not streamed_plain(data)
    bound = sheetxml.quick_bound(data)
    assert bound is None or not sheetxml.dense_ok(bound, data)


def test_python_calamine_places_a_cell_at_its_last_r_attribute() -> None:
    """Why claimed_bound refuses any second «r» in a cell: python-calamine takes the last."""
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<sheetData><row r="1"><c r="A1" s="0" r="C3"><v>1</v></c></row></sheetData>'
             b"</worksheet>")
    package = sheetxml.build_package(["s"], [sheet], False, None, None, stored=True)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(package)).get_sheet_by_name(
        "s").to_python(skip_empty_area=False)
    assert rows[2][2] == 1.0
    data = _a4(inventario(), rb'<c r="A4"\1 r="XFD1048576"')
    bound = sheetxml.quick_bound(data)
    assert sheetxml.claimed_bound(data) is None
    assert bound is None or not sheetxml.dense_ok(bound, data)


@pytest.mark.parametrize("written", [b't="e"', b"t='e'", b't = "e"', b't= "e"'])
def test_a_formula_error_however_written_is_read_cell_by_cell(written: bytes) -> None:
    data = inventario().replace(b'<c r="A4"', b'<c r="A4" ' + written, 1)
    assert not streamed_plain(data)
    bound = sheetxml.quick_bound(data)
    assert bound is None or not sheetxml.dense_ok(bound, data)


def test_plain_sheets_read_from_the_stored_copy_as_from_the_file() -> None:
    """Each sheet is proved when first read (issue 13): then python-calamine reads it, as it
    is stored in the user's file, from minga's own package."""
    backend = CalamineBackend(CORPUS / "valores_como_texto.xlsx")
    names = [name for name, _ in backend.package.sheets]  # type: ignore[union-attr]
    assert not backend.plain  # nothing is decompressed before it is read
    read = {name: backend.read_values(name) for name in names}
    assert backend.plain and set(backend.plain) <= set(names)
    direct = CalamineWorkbook.from_path(str(CORPUS / "valores_como_texto.xlsx"))
    for name in backend.plain:
        assert read[name] == direct.get_sheet_by_name(name).to_python(
            skip_empty_area=False), name


def test_escape_and_quoteattr_write_what_the_standard_library_writes() -> None:
    """sheetxml has its own copies (the standard ones import urllib.request): same output."""
    from xml.sax.saxutils import escape as std_escape
    from xml.sax.saxutils import quoteattr as std_quoteattr

    from addin.backends.sheetxml import escape, quoteattr

    for text in ("", "a&b<c>d", 'com"illas', "ap'ós", "\"y'\"", "tab\there\nnl\rcr", "&amp;"):
        assert escape(text) == std_escape(text)
        assert quoteattr(text) == std_quoteattr(text)


@pytest.mark.parametrize("data", [
    b"", b"!", b"<!", b"<!DOCTYPE", b"a<!ENTITY e", b"!<!DOCTYPE x>", b"<!DOCTYP", b"<<!ENTITY",
    b"\xc2\xa1Hola!" * 200 + b"<!ENTITY e>", b"!" * 200, b"<!-- nota --><!DOCTYPE x>",
    b"<c><is><t>\xc2\xa1Cuidado!</t></is></c>", b"DOCTYPE!<", b"<!ENTITY" + b"!" * 70])
def test_a_dtd_or_entity_is_found_wherever_it_is(tmp_path: Path, data: bytes) -> None:
    """``refuse_dtd`` looks at each «!» instead of searching for «<!» (ten times slower on a
    large sheet): it refuses exactly what a search for «<!DOCTYPE» or «<!ENTITY» finds."""
    declares = b"<!DOCTYPE" in data or b"<!ENTITY" in data
    if declares:
        with pytest.raises(MingaError, match="declara un DTD"):
            sheetxml.refuse_dtd(tmp_path / "libro.xlsx", "xl/worksheets/sheet1.xml", data)
    else:
        sheetxml.refuse_dtd(tmp_path / "libro.xlsx", "xl/worksheets/sheet1.xml", data)


def test_a_dtd_or_entity_among_many_exclamations_is_found() -> None:
    """Byte strings of «<», «!» and the words' letters, up to 300 bytes long (past the 64
    «!» looked at one by one), that a seeded generator makes: the same answer as the plain
    search."""
    import random

    rng = random.Random(13)
    for _ in range(5_000):
        data = bytes(rng.choice(b"<!DOCTYPENIaxE ") for _ in range(rng.randint(0, 300)))
        assert sheetxml._declares(data) == (b"<!DOCTYPE" in data or b"<!ENTITY" in data), data


@pytest.mark.parametrize(("written", "clean"), [
    (b'<?xml version="1.0"?><sst xmlns="m" count="3" uniqueCount="2"><si><t>a</t></si></sst>',
     b'<?xml version="1.0"?><sst xmlns="m" count="3"><si><t>a</t></si></sst>'),
    # a text that reads like the attribute stays as typed; so does a comment before <sst>
    (b'<!-- <sst uniqueCount="9"> --><sst uniqueCount=\'4000000000000\'><si><t>'
     b'uniqueCount="9"</t></si></sst>',
     b'<!-- <sst uniqueCount="9"> --><sst><si><t>uniqueCount="9"</t></si></sst>'),
    (b'<x:sst xmlns:x="m" uniqueCount = "5" ><x:si><x:t>a</x:t></x:si></x:sst>',
     b'<x:sst xmlns:x="m" ><x:si><x:t>a</x:t></x:si></x:sst>'),
    (b'<sst count="1" x:uniqueCount="7" xmlns:x="o"><si><t>a</t></si></sst>', None),
])
def test_shared_strings_go_to_python_calamine_without_their_count(
        tmp_path: Path, written: bytes, clean: bytes | None) -> None:
    """``uniqueCount`` only sizes python-calamine's table before it reads the strings (a
    hostile one aborted it): the clean package drops it, and nothing else."""
    got = sheetxml.without_count_hint(tmp_path / "l.xlsx", "xl/sharedStrings.xml", written)
    assert got == (written if clean is None else clean)


def test_shared_strings_not_well_formed_before_their_sst_are_refused(tmp_path: Path) -> None:
    with pytest.raises(MingaError, match="XML no válido"):
        sheetxml.without_count_hint(tmp_path / "l.xlsx", "xl/sharedStrings.xml",
                                    b'<a></b><sst uniqueCount="4000000000000"/>')
