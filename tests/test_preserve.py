"""`validar --escribir` and `poblar` never lose a part of the user's workbook without saying so.

openpyxl rewrites the whole package and leaves out what it does not model.  For each kind of
part (made by ``tests/parts.py`` in a real minga workbook) these tests prove both ways what
happens: the parts minga keeps or puts back are in the rewritten file; for the others minga
refuses — exit 2, the sheet and what would be lost named in Spanish, the file byte for byte as
it was, no backup or temporary file left — and ``--forzar`` writes after a backup that still
has them (which also proves that openpyxl really drops them).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.image import Image
from openpyxl.packaging.custom import StringProperty
from PIL import Image as PILImage

from addin.actions.build import build_file
from addin.actions.populate import populate_file
from addin.actions.validate import validate_file
from addin.backends.preserve import inventory, losses
from addin.backends.restore import children
from addin.domain.programme import load_programme
from addin.errors import MingaError
from tests import libreoffice, parts
from tests.conftest import CUTOFF, START

MINGA = [sys.executable, "-m", "addin"]
SHEET = "Inventario"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("preserve")
    return build_file(load_programme("ecomercado-15m"), folder / "base.xlsx", start=START,
                      cutoff=CUTOFF)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def made(template: Path, tmp_path: Path, change: Callable[[parts.Parts], None],
         name: str = "libro.xlsx") -> Path:
    folder = tmp_path / "trabajo"
    folder.mkdir()
    return parts.edit(template, change, folder / name)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def sheet_xml(path: Path, sheet: str) -> str:
    found = members(path)
    return found[parts.sheet_part(found, sheet)].decode()


def escribir(path: Path, force: bool = False) -> object:
    return validate_file(path, cutoff=CUTOFF, write=True, keep_backup=False, force=force)[1]


# Each kind openpyxl 3.1 leaves out and minga cannot put back, and how minga names it.
LOST = {
    "formas": (parts.shapes(SHEET), "Hoja «Inventario»: 2 formas o cuadros de texto"),
    "boton": (parts.form_button(SHEET), "Hoja «Inventario»: 1 ficha de propiedades de un "
                                        "control de formulario, 1 control de formulario"),
    "conversacion": (parts.threaded_comment(SHEET),
                     "Hoja «Inventario»: 2 comentarios (conversaciones)"),
    "segmentacion": (parts.slicer(SHEET), "Hoja «Inventario»: 1 segmentación de datos"),
    "encabezado": (parts.header_image(SHEET),
                   "Hoja «Inventario»: 1 imagen de encabezado o pie de página"),
    "matriz_dinamica": (parts.dynamic_array(SHEET),
                        "Hoja «Inventario»: 1 fórmula de matriz dinámica"),
    "imagen_en_celda": (parts.picture_in_cell(SHEET),
                        "Hoja «Inventario»: 1 celda con imagen o tipo de datos"),
    "hoja_de_macros": (parts.macro_sheet, "El libro: 1 hoja de macros o de diálogo"),
    "vista_personalizada": (parts.sheet_element(SHEET, parts.ELEMENTS["customSheetViews"]),
                            "Hoja «Inventario»: 1 vista personalizada"),
    "etiqueta_inteligente": (parts.sheet_element(SHEET, parts.ELEMENTS["smartTags"]),
                             "Hoja «Inventario»: 1 etiqueta inteligente"),
    "publicado_en_la_web": (parts.sheet_element(SHEET, parts.ELEMENTS["webPublishItems"]),
                            "Hoja «Inventario»: 1 elemento publicado en la web"),
}


@pytest.mark.parametrize("kind", LOST)
def test_a_part_openpyxl_would_drop_stops_the_write_and_forzar_keeps_it_in_the_backup(
        template: Path, tmp_path: Path, kind: str) -> None:
    change, line = LOST[kind]
    path = made(template, tmp_path, change)
    before = digest(path)
    with pytest.raises(MingaError) as refused:
        escribir(path)
    message = str(refused.value)
    assert line in message and "--forzar" in message and "No se modificó" in message
    assert digest(path) == before  # byte for byte
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no backup, temp or lock

    saved = escribir(path, force=True)  # she accepts the loss: written, after a backup
    assert saved is not None and saved.backup is not None  # even without asking for one
    assert digest(saved.backup) == before
    assert load_workbook(path)["Validación"]["A4"].value  # the findings were written
    with zipfile.ZipFile(saved.backup) as old, zipfile.ZipFile(path) as new:
        gone = losses(inventory(old, path, {"Validación", "minga-registro"}),
                      inventory(new, path, {"Validación", "minga-registro"}))
    assert [loss.words() for loss in saved.lost] == [loss.words() for loss in gone]
    assert gone  # openpyxl really dropped it: the guard is not crying wolf


def test_poblar_is_guarded_too(template: Path, tmp_path: Path) -> None:
    path = made(template, tmp_path, parts.shapes("Carta Gantt"))
    before = digest(path)
    with pytest.raises(MingaError, match="Hoja «Carta Gantt»: 2 formas"):
        populate_file(path, start=START, keep_backup=False)
    assert digest(path) == before and len(list(path.parent.iterdir())) == 1
    _, saved = populate_file(path, start=START, keep_backup=False, force=True)
    assert saved.backup is not None and digest(saved.backup) == before


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([*MINGA, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=180, env=env, check=False)


def test_cli_refuses_with_exit_2_and_forzar_writes_keeping_a_backup(
        template: Path, tmp_path: Path) -> None:
    path = made(template, tmp_path, parts.shapes(SHEET))
    before = digest(path)
    refused = run("validar", path.name, "--escribir", "--fecha-corte", "24-11-2026",
                  cwd=path.parent)
    assert refused.returncode == 2, refused.stderr
    assert "Hoja «Inventario»: 2 formas o cuadros de texto" in refused.stderr
    assert "--forzar" in refused.stderr and "Traceback" not in refused.stderr
    assert digest(path) == before and [p.name for p in path.parent.iterdir()] == [path.name]

    forced = run("validar", path.name, "--escribir", "--forzar", "--sin-respaldo",
                 "--fecha-corte", "24-11-2026", cwd=path.parent)
    assert forced.returncode in (0, 1), forced.stderr
    assert "ya no tiene" in forced.stderr and "2 formas" in forced.stderr
    backups = [p for p in path.parent.iterdir() if ".respaldo-" in p.name]
    assert len(backups) == 1 and digest(backups[0]) == before  # kept despite --sin-respaldo
    assert backups[0].name in forced.stderr

    alone = run("validar", path.name, "--forzar", cwd=path.parent)
    assert alone.returncode == 2 and "--forzar solo sirve junto con --escribir" in alone.stderr

    poblar = run("poblar", path.name, "--forzar", cwd=path.parent)  # nothing left to lose
    assert poblar.returncode == 0, poblar.stderr


# --- what is kept or put back ---------------------------------------------------------------

def test_libreoffice_data_bars_survive_a_rewrite(recalculated: dict[str, Path],
                                                 tmp_path: Path) -> None:
    """minga's own template, saved by LibreOffice: its progress data bars carry their Excel
    2010 settings in worksheet extensions that openpyxl drops (the known loss).  minga puts
    them back, each linked again to its rule, and LibreOffice reads them back."""
    path = tmp_path / "trabajo" / "libro.xlsx"
    path.parent.mkdir()
    shutil.copy(recalculated["ecomercado-15m"], path)
    sheet = "Seguimiento Plan de Trabajo"
    original = sheet_xml(path, sheet)
    assert "<x14:dataBar" in original
    # openpyxl alone drops the extension:
    buffer = io.BytesIO()
    load_workbook(path).save(buffer)
    with zipfile.ZipFile(buffer) as plain:
        found = {n: plain.read(n) for n in plain.namelist()}
    assert b"x14:dataBar" not in found[parts.sheet_part(found, sheet)]

    saved = escribir(path)
    assert saved is not None and saved.lost == []
    rewritten = sheet_xml(path, sheet)
    ids = re.findall(r"<x14:id>([^<]+)</x14:id>", rewritten)
    assert ids and ids == re.findall(r"<x14:id>([^<]+)</x14:id>", original)
    assert re.findall(r'<x14:cfRule type="dataBar" id="([^"]+)"', rewritten) == ids
    assert "N4:N" in rewritten.rsplit("<x14:dataBar", 1)[1]
    again = libreoffice.convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    assert "<x14:dataBar" in sheet_xml(again, sheet)  # well-formed and understood
    assert load_workbook(path)["Validación"]["A4"].value


KEPT = {
    "minigraficos": (parts.sparklines(SHEET), "<x14:sparkline>"),
    "lista_de_otra_hoja": (parts.x14_list(SHEET, "Listas"), "<x14:dataValidation "),
    **{name: (parts.sheet_element(SHEET, parts.ELEMENTS[name]), parts.ELEMENTS[name])
       for name in ("protectedRanges", "sortState", "dataConsolidate", "cellWatches",
                    "ignoredErrors")},
}


@pytest.mark.parametrize("kind", KEPT)
def test_sheet_parts_that_refer_only_to_cells_are_put_back_in_schema_order(
        template: Path, tmp_path: Path, kind: str) -> None:
    """Excel 2010 extensions (sparklines, lists from another sheet) and the worksheet
    settings openpyxl drops (protected ranges, ignored errors, watches…) come back where the
    schema puts them: Excel refuses a sheet whose children are out of order."""
    change, mark = KEPT[kind]
    path = made(template, tmp_path, change)
    original = sheet_xml(path, SHEET)
    saved = escribir(path)
    assert saved is not None and saved.lost == []
    rewritten = sheet_xml(path, SHEET)
    if mark.startswith("<x14"):
        extension = original[original.index("<extLst>"):original.index("</extLst>")]
        assert mark in extension and extension.split(">", 1)[1] in rewritten
    else:
        name = re.match(r"<(\w+)", mark)
        assert name and mark.split(">", 1)[1] in rewritten
        assert f"<{name.group(1)} " in rewritten
    tail = rewritten.encode()[rewritten.encode().index(b"</sheetData>") + 12:]
    order = [parts.ORDER.index(name) for name, _, _ in children(tail)]
    assert order == sorted(order), [name for name, _, _ in children(tail)]
    load_workbook(path)  # a package openpyxl still reads


def test_macros_of_an_xlsm_are_kept_byte_for_byte(template: Path, tmp_path: Path) -> None:
    project: list[bytes] = []
    path = made(template, tmp_path, lambda p: project.append(parts.macros(p)),
                name="libro.xlsm")
    saved = escribir(path)
    assert saved is not None and saved.lost == []
    found = members(path)
    assert found["xl/vbaProject.bin"] == project[0]
    assert b"macroEnabled.main+xml" in found["[Content_Types].xml"]  # still opens as .xlsm
    names = [i.filename for i in zipfile.ZipFile(path).infolist()]
    assert len(names) == len(set(names))  # no part written twice (openpyxl's VML names)


def test_custom_xml_data_is_copied_back_with_its_properties(template: Path,
                                                           tmp_path: Path) -> None:
    """openpyxl drops custom XML parts (a SharePoint or OneDrive library's metadata); they
    refer to nothing in the workbook, so minga copies them back as they were."""
    path = made(template, tmp_path, parts.custom_xml)
    before = members(path)
    saved = escribir(path)
    assert saved is not None and saved.lost == []
    after = members(path)
    for name in ("customXml/item1.xml", "customXml/itemProps1.xml",
                 "customXml/_rels/item1.xml.rels"):
        assert after[name] == before[name], name
    rels = after["xl/_rels/workbook.xml.rels"].decode()
    assert re.search(r'Type="[^"]*/customXml" Target="/customXml/item1.xml"', rels)
    assert b'PartName="/customXml/itemProps1.xml"' in after["[Content_Types].xml"]
    assert load_workbook(path)["Validación"]["A4"].value
    again = libreoffice.convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    assert load_workbook(again)["Validación"]["A4"].value  # a package others open


def test_links_to_other_workbooks_and_printer_settings_do_not_stop_a_write(
        template: Path, tmp_path: Path) -> None:
    """External links are kept (openpyxl's keep_links); a printer driver's settings are not
    the user's content (the page setup itself is kept) and may go."""
    def change(found: parts.Parts) -> None:
        parts.external_link(found)
        parts.printer_settings(SHEET)(found)

    path = made(template, tmp_path, change)
    saved = escribir(path)
    assert saved is not None and saved.lost == []
    found = members(path)
    link = next(n for n in found if n.startswith("xl/externalLinks/externalLink"))
    assert b"Presupuesto" in found[link]
    assert not any(n.startswith("xl/printerSettings/") for n in found)


def test_charts_images_rich_text_and_document_properties_survive(template: Path,
                                                                 tmp_path: Path) -> None:
    """What openpyxl models is written back: a chart, a picture (with Pillow), a cell with a
    bold word, a custom document property — also as LibreOffice saves them."""
    source = tmp_path / "fuente.xlsx"
    wb = load_workbook(template, rich_text=True)
    ws = wb[SHEET]
    chart = BarChart()
    chart.title = "Valor por bien"
    chart.add_data(Reference(ws, min_col=5, min_row=3, max_row=10), titles_from_data=True)
    ws.add_chart(chart, "M3")
    picture = io.BytesIO()
    PILImage.new("RGB", (40, 20), (200, 30, 30)).save(picture, "PNG")
    ws.add_image(Image(picture), "M20")
    ws["M40"] = CellRichText("Revisar ", TextBlock(InlineFont(b=True), "antes del cierre"))
    wb.custom_doc_props.append(StringProperty(name="Folio", value="EC-2026-014"))
    wb.save(source)
    for case, path in (("openpyxl", source), ("libreoffice", libreoffice.convert(
            source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo"))):
        work = tmp_path / case / "libro.xlsx"
        work.parent.mkdir(exist_ok=True)
        shutil.copy(path, work)
        saved = escribir(work)
        assert saved is not None and saved.lost == [], case
        found = members(work)
        assert any(n.startswith("xl/charts/chart") for n in found), case
        assert any(n.startswith("xl/media/") for n in found), case
        after = load_workbook(work, rich_text=True)
        bold = after[SHEET]["M40"].value
        assert isinstance(bold, CellRichText) and str(bold) == "Revisar antes del cierre", case
        assert any(isinstance(b, TextBlock) and b.font.b for b in bold), case
        assert b"EC-2026-014" in found["docProps/custom.xml"], case


def test_a_part_minga_cannot_read_stops_the_write(template: Path, tmp_path: Path) -> None:
    """A damaged part openpyxl skips (a slicer) cannot be compared: no write, file as it was."""
    def change(found: parts.Parts) -> None:
        parts.slicer(SHEET)(found)
        found["xl/slicers/slicer1.xml"] = b"<slicers><slicer name='roto'"

    path = made(template, tmp_path, change)
    before = digest(path)
    with pytest.raises(MingaError, match=r"slicer1\.xml.*dañada"):
        escribir(path, force=True)
    assert digest(path) == before and [p.name for p in path.parent.iterdir()] == [path.name]


def test_minga_may_take_its_own_notes_away_but_never_hers(tmp_path: Path) -> None:
    """The guard counts the user's notes by cell: a mark of minga's («minga», «[minga]…») may
    go; her note shown under minga's text is still hers; her note gone is a loss."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    def book(name: str, notes: dict[str, tuple[str, str]]) -> Path:
        wb = Workbook()
        ws = wb.active
        ws.title = "Sesiones"
        for cell, (text, author) in notes.items():
            ws[cell].comment = Comment(text, author)
        wb.save(tmp_path / name)
        return tmp_path / name

    def lost(before: Path, after: Path) -> list[str]:
        with zipfile.ZipFile(before) as old, zipfile.ZipFile(after) as new:
            return [loss.words() for loss in losses(inventory(old, before),
                                                    inventory(new, after))]

    hers = "Acta firmada el lunes."
    start = book("antes.xlsx", {"B2": (hers, "Daniela"), "C3": ("[minga] Validación: …", "minga"),
                                "D4": ("Obligatorio.", "minga")})
    marked = book("marcado.xlsx", {"B2": (f"[minga] Validación: …\n\n—\n{hers}", "minga")})
    assert lost(start, marked) == []
    gone = book("sin-nota.xlsx", {"C3": ("[minga] Validación: …", "minga")})
    assert lost(start, gone) == ["1 nota"]


def test_a_pivot_table_is_kept(template: Path, tmp_path: Path) -> None:
    """openpyxl models pivot tables (definition, cache, records) and writes them back."""
    path = made(template, tmp_path, parts.pivot_table("Informes"))
    saved = escribir(path)
    assert saved is not None and saved.lost == []
    found = members(path)
    table = next(n for n in found if n.startswith("xl/pivotTables/pivotTable"))
    assert "TablaDinámica1" in found[table].decode()
    assert 'sheet="Inventario"' in next(
        found[n].decode() for n in found if n.startswith("xl/pivotCache/pivotCacheDefinition")
        and n.endswith(".xml"))
    rels = found[parts._rels_name(parts.sheet_part(found, "Informes"))].decode()
    assert "/pivotTable" in rels
