"""Hostile workbooks (issue 14): a Spanish answer in bounded time and memory, never a file
opened because a cell says so.  Every run of minga here happens in a child process with
RLIMIT_AS set (tests/hostile.py), so a regression fails the test instead of eating the machine.

The property test runs a small budget with a fixed seed in CI; a larger one with
``MINGA_HOSTILE_EJEMPLOS=500 .venv/bin/python -m pytest tests/test_hostile.py -k propiedad``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import struct
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.actions.build import build_file
from addin.backends.calamine_backend import CalamineBackend
from addin.demo import CUTOFF, build_demo
from addin.domain.grid import filled
from addin.domain.programme import load_programme
from addin.errors import MingaError
from addin.fileio import backup, exclusive
from addin.layouts.identity import SHEET
from tests import hostile
from tests.hostile import DATE_STYLE, DURATION_STYLE, PROGRAMA, run_minga

CORPUS = Path(__file__).resolve().parent / "corpus"
MIB = 500
EXAMPLES = int(os.environ.get("MINGA_HOSTILE_EJEMPLOS", "8"))
#: Address space allowed to each run: well above the 500 MiB of resident memory asserted.
LIMIT = 1 << 30


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def findings(run: hostile.Run) -> list[dict]:
    return json.loads(run.stdout)["findings"]


def contract(run: hostile.Run, *, json_out: bool = True) -> None:
    """What every run on any input must respect."""
    assert run.code in (0, 1, 2), (run.code, run.stderr[-2000:])
    assert "Traceback" not in run.stderr + run.stdout and "panicked" not in run.stderr
    assert run.peak_mib < MIB, run.peak_mib
    if run.code == 2:
        assert run.stdout == "" and "→" in run.stderr
    elif json_out:
        json.loads(run.stdout)


# --- one test per point of the issue --------------------------------------------------------

def test_a_date_minus_1e12_is_a_finding_at_its_cell_not_a_panic() -> None:
    run = run_minga("validar", str(CORPUS / "fecha_negativa.xlsx"), "--json",
                    address_space=LIMIT)
    contract(run)
    assert run.code == 1
    assert {(f["rule"], f["cell"]) for f in findings(run) if f["sheet"] == "Programa"} >= {
        ("LECTURA-03", "B6")}


def test_the_cli_turns_a_base_exception_into_exit_3_without_traceback(
        capsys: pytest.CaptureFixture[str]) -> None:
    from addin.cli import handled
    from addin.cli_spanish import Exit, Group

    class Panic(BaseException):  # what pyo3_runtime.PanicException derives from
        pass

    app = Group()

    @app.command("boom")
    @handled
    def boom() -> None:
        raise Panic("called `Option::unwrap()` on a `None` value")

    with pytest.raises(Exit) as raised:
        app(["boom"], prog_name="minga")
    printed = capsys.readouterr()
    assert raised.value.exit_code == 3
    output = printed.out + printed.err
    assert "Error interno de minga" in output and "Traceback" not in output


@pytest.mark.parametrize("name", ["celda_xfd1048576.xlsx", "celda_xfd8000.xlsx",
                                  "celda_a1048576.xlsx"])
def test_one_far_cell_costs_one_cell(name: str) -> None:
    """Before: XFD1048576 aborted asking for 512 GiB; XFD8000 took 39 s and 5 GiB.  The CPU
    limit (a resource limit, not a wall-clock timing) stops a run that walks the whole area."""
    run = run_minga("validar", str(CORPUS / name), "--json", address_space=LIMIT, cpu_seconds=15)
    contract(run)
    assert run.peak_mib < 150, run.peak_mib


def test_a_far_cell_leaves_the_rest_of_the_sheet_read_as_before() -> None:
    clean = CalamineBackend(CORPUS / "valores_como_texto.xlsx").read_values("Inventario")
    far = CalamineBackend(CORPUS / "celda_a1048576.xlsx").read_values("Inventario")
    assert len(far) == 1_048_576 and far[-1][0] == "B-999"
    assert [dict(filled(r)) for r in far[:3]] == [dict(filled(r)) for r in clean[:3]]
    row = CalamineBackend(CORPUS / "celda_xfd1048576.xlsx").read_values("Inventario")[-1]
    assert len(row) == 16_384 and row[16_383] == "x" and len(row.cells) == 1  # a SparseRow


def test_excel_365_errors_are_findings_on_their_cells() -> None:
    run = run_minga("validar", str(CORPUS / "errores_365.xlsx"), "--json", address_space=LIMIT)
    contract(run)
    cells = {f["cell"] for f in findings(run) if f["rule"] == "LECTURA-04"}
    assert cells == {f"G{r}" for r in range(4, 13)}


@pytest.mark.parametrize("name", ["booleano_2.xlsx", "cadena_inexistente.xlsx"])
def test_one_unreadable_cell_is_named_and_the_rest_is_read(name: str) -> None:
    run = run_minga("validar", str(CORPUS / name), "--json", address_space=LIMIT)
    contract(run)
    assert [(f["rule"], f["cell"]) for f in findings(run)] == [("LECTURA-03", "G4")]
    records = CalamineBackend(CORPUS / name).read_values("Inventario")
    assert records[4][0] == "B-002"  # the next row is read as usual


def test_a_workbook_never_makes_minga_open_a_file(tmp_path: Path) -> None:
    """A YAML file named in the Programa cell is not read: the workbook names ids only."""
    own = tmp_path / "otro.yaml"
    own.write_text("extends: ecomercado-10m\nid: otro\n", "utf-8")
    path = tmp_path / "libro.xlsx"
    text = f' t="inlineStr"><is><t>{own}</t></is></c>'
    path.write_bytes(hostile.rewrite((CORPUS / "valores_como_texto.xlsx").read_bytes(),
                                     {PROGRAMA: hostile.set_cell("B4", text)}))
    run = run_minga("validar", str(path), "--json", address_space=LIMIT)
    assert run.code == 2 and f"Programa desconocido: «{str(own)[:40]}" in run.stderr
    for name in ("programa_ruta.xlsx", "programa_stdin.xlsx", "programa_largo.xlsx"):
        run = run_minga("validar", str(CORPUS / name), address_space=LIMIT, timeout=20)
        contract(run)
        assert run.code == 2 and "Programa desconocido" in run.stderr


def test_a_workbook_built_from_an_own_programme_carries_it(tmp_path: Path) -> None:
    """Issue 6 item 4: poblar and validar need no --programa later; -p still wins."""
    own = tmp_path / "mi-programa.yaml"
    own.write_text("extends: ecomercado-15m\nid: ecomercado-15m-biobio\n"
                   "grupo_motor_min_members: 7\n", "utf-8")
    path = build_file(load_programme(str(own)), tmp_path / "libro.xlsx",
                      start=date(2026, 3, 2))
    own.unlink()  # the file is gone: the workbook must not need it
    run = run_minga("validar", str(path), "--json", address_space=LIMIT)
    contract(run)
    assert json.loads(run.stdout)["programme"] == "ecomercado-15m-biobio"
    run = run_minga("poblar", str(path), "--inicio", "2026-04-01", "--sin-respaldo",
                    address_space=LIMIT)
    assert run.code == 0, run.stderr
    run = run_minga("validar", str(path), "--json", "-p", "ecomercado-15m",
                    address_space=LIMIT)
    assert json.loads(run.stdout)["programme"] == "ecomercado-15m"
    built_in = build_file(load_programme("ecomercado-15m"), tmp_path / "b.xlsx")
    assert SHEET not in CalamineBackend(built_in).sheet_names()  # built-ins go by id


def test_an_edited_stored_programme_is_refused(tmp_path: Path) -> None:
    own = tmp_path / "p.yaml"
    own.write_text("extends: ecomercado-10m\nid: propio\n", "utf-8")
    path = build_file(load_programme(str(own)), tmp_path / "libro.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[SHEET]
    ws["A5"] = ws["A5"].value.replace("propio", "propio2", 1)
    wb.save(path)
    run = run_minga("validar", str(path), address_space=LIMIT)
    assert run.code == 2 and "SHA-256" in run.stderr


def test_year_9999_is_an_implausible_date_finding() -> None:
    run = run_minga("validar", str(CORPUS / "anio_9999.xlsx"), "--json", address_space=LIMIT)
    contract(run)
    assert ("LECTURA-03", "B19") in {(f["rule"], f["cell"]) for f in findings(run)}


@pytest.mark.parametrize("day", [date(1900, 1, 1), date(2199, 12, 31)])
def test_every_rule_survives_the_extreme_plausible_dates(tmp_path: Path, day: date) -> None:
    """Every date of the demo set to an end of the plausible range: findings, no crash."""
    from openpyxl import load_workbook

    from addin.actions.validate import validate_file

    path = tmp_path / "demo.xlsx"
    build_demo(path)
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if getattr(cell, "is_date", False) and cell.value is not None:
                    cell.value = day
    wb.save(path)
    try:  # findings, or a Spanish answer (the schedule refuses a start before 1990): no crash
        result, _ = validate_file(path, cutoff=CUTOFF)
    except MingaError as exc:
        assert "fuera de rango" in str(exc)
    else:
        assert result.findings


def test_two_backups_in_one_second_never_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "libro.xlsx"
    path.write_bytes(b"original")
    first, second = backup(path), backup(path)
    assert first != second and first.read_bytes() == second.read_bytes() == b"original"
    path.write_bytes(b"cambiado")
    assert first.read_bytes() == b"original"


def test_a_second_writer_is_told_to_wait(tmp_path: Path) -> None:
    path = tmp_path / "libro.xlsx"
    shutil.copy(CORPUS / "valores_como_texto.xlsx", path)
    before = digest(path)
    with exclusive(path):
        run = run_minga("validar", str(path), "--escribir", address_space=LIMIT)
        assert run.code == 2 and "Otro proceso de minga" in run.stderr
        with pytest.raises(MingaError), exclusive(path):
            pass
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["libro.xlsx"]
    run = run_minga("validar", str(path), "--escribir", address_space=LIMIT)
    assert run.code == 0 and len(list(tmp_path.glob("libro.respaldo-*.xlsx"))) == 1


def test_escribir_with_a_stray_value_at_a1048576_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "libro.xlsx"
    shutil.copy(CORPUS / "celda_a1048576.xlsx", path)
    run = run_minga("validar", str(path), "--escribir", address_space=LIMIT, timeout=30)
    contract(run, json_out=False)
    assert path.stat().st_size < 500_000


# --- .ods and .xls (issue 13): measured before python-calamine builds them ------------------

_FILLED = ('<table:table-cell office:value-type="float" office:value="1" {repeat}>'
           "<text:p>1</text:p></table:table-cell>")
ODS_HOSTILE = {
    # A filled cell repeated over 100 columns and 500,000 rows: 50 million cells.
    "repetida": '<table:table-row table:number-rows-repeated="500000">'
                + _FILLED.format(repeat='table:number-columns-repeated="100"')
                + "</table:table-row>",
    # One value 500,000 rows below the rest, 100 columns to the right.
    "lejana": '<table:table-row table:number-rows-repeated="500000"><table:table-cell/>'
              '</table:table-row><table:table-row><table:table-cell table:number-columns-'
              'repeated="99"/>' + _FILLED.format(repeat="") + "</table:table-row>",
}


@pytest.mark.parametrize("kind", sorted(ODS_HOSTILE))
def test_an_ods_whose_cells_spread_far_is_refused_in_bounded_memory(
        tmp_path: Path, kind: str) -> None:
    """Before: python-calamine built 50 million cells (1.6 GB) when it opened the file."""
    rows = ODS_HOSTILE[kind].encode()
    path = tmp_path / f"{kind}.ods"
    path.write_bytes(hostile.rewrite((CORPUS / "libreoffice.ods").read_bytes(), {
        "content.xml": lambda d: d.replace(b"<table:table-row ", rows + b"<table:table-row ",
                                           1)}))
    run = run_minga("validar", str(path), "--json", address_space=LIMIT, cpu_seconds=30)
    contract(run)
    assert run.code == 2 and "«Programa»" in run.stderr and "filas" in run.stderr
    assert run.peak_mib < 150, run.peak_mib


def test_an_ods_as_libreoffice_saves_it_is_read_though_its_empty_rows_reach_the_end() -> None:
    """LibreOffice writes empty rows and columns repeated to the sheet's end: they cost
    nothing, and the sheets read as python-calamine reads the file itself."""
    from python_calamine import CalamineWorkbook

    path = CORPUS / "libreoffice.ods"
    assert b'table:number-rows-repeated="1048' in zipfile.ZipFile(path).read("content.xml")
    reader = CalamineBackend(path)
    direct = CalamineWorkbook.from_path(str(path))
    for name in reader.sheet_names():
        assert reader.read_values(name) == direct.get_sheet_by_name(name).to_python(
            skip_empty_area=False), name


def test_an_xls_with_a_value_at_iv65536_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """Before: python-calamine built 65,536 × 256 cells (half a gigabyte) to open it."""
    path = hostile.xls_book(tmp_path / "lejana.xls",
                            {"Programa": {**PROGRAMA_CELLS, (65535, 255): 1}})
    run = run_minga("validar", str(path), "--json", address_space=LIMIT, cpu_seconds=30)
    contract(run)
    assert run.code == 2 and "65.536 filas × 256 columnas" in run.stderr
    assert run.peak_mib < 150, run.peak_mib


def test_an_xls_showing_olefile_and_python_calamine_different_streams_is_read_as_measured(
        tmp_path: Path) -> None:
    """A compound file with two «Workbook» streams: olefile reads the small one, which minga
    measures; python-calamine, opening the user's file, took the other, with a value at
    IV65536 (half a gigabyte).  python-calamine now reads a compound file of minga's holding
    the measured bytes only."""
    far = _xls_stream(tmp_path, {"Programa": {**PROGRAMA_CELLS, (65535, 255): 1}})
    near = _xls_stream(tmp_path, {"Programa": PROGRAMA_CELLS})
    path = tmp_path / "dos_libros.xls"
    path.write_bytes(hostile.two_workbook_streams(far, near))
    run = run_minga("validar", str(path), "--json", address_space=LIMIT, cpu_seconds=30)
    contract(run)
    assert run.peak_mib < 150, run.peak_mib
    assert run.code == 1  # the measured workbook: an Ecomercado without its other sheets
    assert "LECTURA-01" in run.stdout and "65.536" not in run.stdout + run.stderr


@pytest.mark.parametrize("count", ["4000000000000", "18446744073709551615"])
def test_shared_strings_claiming_trillions_are_read_as_the_strings_they_hold(
        tmp_path: Path, count: str) -> None:
    """python-calamine reserves room for ``<sst uniqueCount>`` strings before reading any:
    «4000000000000» aborted the process (SIGABRT).  The count is only a hint; minga's clean
    package goes without it, and the workbook is judged exactly as with the true count."""
    source = CORPUS / "formulas_con_error.xlsx"
    path = tmp_path / "textos.xlsx"
    path.write_bytes(hostile.rewrite(source.read_bytes(), {
        "xl/sharedStrings.xml": lambda d: re.sub(rb'uniqueCount="[0-9]+"',
                                                 f'uniqueCount="{count}"'.encode(), d, count=1)}))
    assert f'uniqueCount="{count}"'.encode() in zipfile.ZipFile(path).read("xl/sharedStrings.xml")
    run = run_minga("validar", str(path), "--json", address_space=LIMIT, cpu_seconds=30)
    contract(run)
    assert run.peak_mib < 150, run.peak_mib
    expected = run_minga("validar", str(source), "--json", address_space=LIMIT)
    assert (run.code, json.loads(run.stdout)["findings"]) == \
        (expected.code, json.loads(expected.stdout)["findings"])


def _biff(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _xls_stream(tmp_path: Path, sheets: dict[str, dict[tuple[int, int], object]]) -> bytes:
    """The workbook stream xlwt writes for these sheets and cells."""
    from addin.backends.extents import xls_stream

    return xls_stream(hostile.xls_book(tmp_path / "xlwt.xls", sheets))[1]


PROGRAMA_CELLS = {(0, 0): "Programa", (0, 1): "ecomercado-15m"}
FAR_XLS_CELL = _biff(0x0203, struct.pack("<HHHd", 65535, 255, 0, 1.0))  # NUMBER at IV65536


def _dimensions_after_its_end(tmp_path: Path) -> bytes:
    """DIMENSIONS whose first row comes after its last: python-calamine's 32-bit arithmetic
    makes it reserve room for four billion rows of cells."""
    data = bytearray(_xls_stream(tmp_path, {"Programa": PROGRAMA_CELLS}))
    for kind, at, size in hostile.biff_records(bytes(data)):
        if kind == 0x0200 and size == 14:
            struct.pack_into("<IIHH", data, at + 4, 5, 1, 0, 2)
    return bytes(data)


def _far_cell_after_a_nested_substream(tmp_path: Path) -> bytes:
    """An empty nested substream (an embedded chart's BOF and EOF), then a value at IV65536:
    python-calamine skips the chart and reads on; minga stopped at the chart's EOF."""
    data = _xls_stream(tmp_path, {"Programa": PROGRAMA_CELLS})
    end = max(at for kind, at, _ in hostile.biff_records(data) if kind == 0x000A)
    chart = _biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0020, 0, 0, 0, 0)) + \
        _biff(0x000A, b"")
    return data[:end] + chart + FAR_XLS_CELL + data[end:]


def _two_sheets_of_one_name(tmp_path: Path) -> bytes:
    """Two sheets named «Programa»: the first with a value at IV65536.  minga measured only
    the last of a name; python-calamine builds both."""
    data = bytearray(_xls_stream(tmp_path, {"Programa": {(65535, 255): 1},
                                            "Programb": PROGRAMA_CELLS}))
    at = data.index(b"Programb")
    data[at:at + 8] = b"Programa"
    return bytes(data)


@pytest.mark.parametrize("make", [_dimensions_after_its_end, _far_cell_after_a_nested_substream,
                                  _two_sheets_of_one_name], ids=lambda f: f.__name__[1:])
def test_an_xls_that_python_calamine_spreads_farther_than_its_cells_is_refused(
        tmp_path: Path, make) -> None:
    """Three ways an .xls's workbook stream made python-calamine build (or reserve room for)
    far more cells than minga measured: the process aborted under 1 GiB, or took half a
    gigabyte.  Each is now measured as python-calamine reads it, and refused in Spanish."""
    from addin.backends import cfb

    path = tmp_path / "hostil.xls"
    with path.open("wb") as target:
        cfb.write(target, "Workbook", make(tmp_path))
    run = run_minga("validar", str(path), "--json", address_space=LIMIT, cpu_seconds=30)
    contract(run)
    assert run.code == 2 and "«Programa»" in run.stderr and "columnas" in run.stderr, run.stderr
    assert run.peak_mib < 150, run.peak_mib


# --- the property ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The planted demo, with an [h]:mm:ss style to point hostile cells at."""
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    build_demo(path)
    return hostile.rewrite(path.read_bytes(), {"xl/styles.xml": hostile.with_duration_style})


SHEETS = [f"xl/worksheets/sheet{i}.xml" for i in range(1, 13)]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
NUMBER_TEXT = st.sampled_from(["-1e12", "1e308", "-1e308", "1e10", "NaN", "INF", "-0", "2958466",
                               "9.99e14", "1e-300", "", "x", "45719", "0"])
ERRORS = st.sampled_from(["#SPILL!", "#CALC!", "#GETTING_DATA", "#BLOCKED!", "#FIELD!",
                          "#BUSY!", "#CONNECT!", "#PYTHON!", "#UNKNOWN!", "#REF!", "#N/A", "",
                          "nada"])


def _xml(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape("".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32))


CELLS = st.one_of(
    NUMBER_TEXT.map(lambda v: f' s="{DATE_STYLE}"><v>{v}</v></c>'),
    NUMBER_TEXT.map(lambda v: f' s="{DURATION_STYLE}"><v>{v}</v></c>'),
    NUMBER_TEXT.map(lambda v: f"><v>{v}</v></c>"),
    st.sampled_from(["0", "1", "2", "-1", "x", ""]).map(lambda v: f' t="b"><v>{v}</v></c>'),
    st.sampled_from(["0", "5", "99999", "-1", "x"]).map(lambda v: f' t="s"><v>{v}</v></c>'),
    ERRORS.map(lambda v: f' t="e"><v>{v}</v></c>'),
    TEXT.map(lambda v: f' t="inlineStr"><is><t>{_xml(v)}</t></is></c>'),
    TEXT.map(lambda v: f' t="d"><v>{_xml(v)}</v></c>'),
    TEXT.map(lambda v: f' t="{_xml(v)[:5]}"><v>1</v></c>'),
    st.just("><x/></c>"),
)
ORDINARY = st.tuples(st.sampled_from("ABCDEFGHIJ"), st.integers(1, 60))
FAR = st.tuples(st.sampled_from(["A", "Z", "AA", "XFD"]),
                st.sampled_from([60, 8000, 100_000, 1_048_576]))
XML_DAMAGE = st.sampled_from([
    lambda d: d.replace(b"<sheetData>", b"<sheetData>\x00", 1),
    lambda d: b'<!DOCTYPE x [<!ENTITY e "x">]>' + d,
    lambda d: d.replace(b"</sheetData>", b"&nada;</sheetData>", 1),
    lambda d: b'<?xml version="1.0" encoding="UTF-16"?>' + d,
    lambda d: d[: len(d) // 2],
    lambda d: d.replace(b'<c r="', b'<c  r="', 3),
    lambda d: d.replace(b'r="', b"r = '", 5).replace(b'" s=', b"' s=", 5),
])
ZIP_DAMAGE = st.sampled_from([dict(method=9), dict(method=99), dict(flag=1), dict(version=99)])


@st.composite
def hostile_workbooks(draw: st.DrawFn, base: bytes, far: bool = True) -> bytes:
    sheet = draw(st.sampled_from(SHEETS))
    kind = draw(st.sampled_from(["cell", "cell", "cell", "xml", "zip"]))
    if kind == "xml":
        member = draw(st.sampled_from([sheet, "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                       "xl/styles.xml"]))
        return hostile.rewrite(base, {member: draw(XML_DAMAGE)})
    if kind == "zip":
        return hostile.patch_zip(base, draw(st.sampled_from([sheet, "xl/workbook.xml"])),
                                 **draw(ZIP_DAMAGE))
    edits = []
    for _ in range(draw(st.integers(1, 3))):
        col, row = draw(FAR if far and draw(st.booleans()) else ORDINARY)
        edits.append(hostile.add_cell(f"{col}{row}", draw(CELLS)))

    def change(d: bytes) -> bytes:
        for edit in edits:
            d = edit(d)
        return d

    return hostile.rewrite(base, {sheet: change})


COUNTER = itertools.count()
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


@PROPERTY
@given(data=st.data())
def test_propiedad_validar_answers_every_hostile_workbook(
        data: st.DataObject, demo_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / f"hostil-{next(COUNTER)}.xlsx"
    path.write_bytes(data.draw(hostile_workbooks(demo_bytes)))
    before = digest(path)
    run = run_minga("validar", str(path), "--json", address_space=LIMIT, cpu_seconds=30)
    contract(run)
    assert run.code in (1, 2)
    assert digest(path) == before


@PROPERTY
@given(data=st.data())
def test_propiedad_escribir_answers_every_hostile_workbook(
        data: st.DataObject, demo_bytes: bytes, tmp_path: Path) -> None:
    """--escribir at ordinary addresses (a far stray value is point 3, the marks branch's)."""
    folder = tmp_path / f"e{next(COUNTER)}"
    folder.mkdir()
    path = folder / "hostil.xlsx"
    original = data.draw(hostile_workbooks(demo_bytes, far=False))
    path.write_bytes(original)
    run = run_minga("validar", str(path), "--escribir", address_space=LIMIT, cpu_seconds=30)
    contract(run, json_out=False)
    assert run.code in (1, 2)
    saved = sorted(folder.glob("hostil.respaldo-*.xlsx"))
    if run.code == 2:
        assert path.read_bytes() == original and not saved
    else:
        assert len(saved) == 1 and saved[0].read_bytes() == original
    assert not list(folder.glob(".*"))  # no temporary or lock file left
