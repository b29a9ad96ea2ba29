"""Regenerate the bad-input corpus committed beside this file.

    python tests/corpus/make.py            (needs LibreOffice and msoffcrypto-tool)
    python tests/corpus/make.py hostiles   (only the hostile family; needs neither)

Each file is one way a real workbook goes wrong.  The two large ones (100,000 rows and a zip
bomb) are made at test time by tests/test_bad_inputs.py instead of being committed.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook, load_workbook  # noqa: E402

from addin.actions.build import build_file  # noqa: E402
from addin.demo import build_demo  # noqa: E402
from addin.domain.programme import load_programme  # noqa: E402
from tests import hostile, libreoffice  # noqa: E402
from tests.hostile import (  # noqa: E402
    DATE_STYLE,
    DURATION_STYLE,
    INVENTARIO,
    PROGRAMA,
    add_cell,
    patch_zip,
    set_cell,
)

#: Excel 365's error values, which python-calamine does not know.
ERRORS_365 = ("#SPILL!", "#CALC!", "#GETTING_DATA", "#BLOCKED!", "#FIELD!", "#BUSY!",
              "#CONNECT!", "#PYTHON!", "#UNKNOWN!")


def hostile_corpus(clean: Path, out: Path) -> None:
    """Files an attacker or a broken program could send: edited XML and zip bytes of the clean
    demo (issue 14).  Each is named by what it does."""
    base = clean.read_bytes()
    text = ' t="inlineStr"><is><t>{}</t></is></c>'
    edits: dict[str, dict[str, hostile.Change]] = {
        "fecha_negativa.xlsx": {
            "xl/styles.xml": hostile.with_duration_style,
            PROGRAMA: set_cell("B6", f' s="{DATE_STYLE}"><v>-1e12</v></c>')},
        "duracion_enorme.xlsx": {
            "xl/styles.xml": hostile.with_duration_style,
            PROGRAMA: set_cell("B7", f' s="{DURATION_STYLE}"><v>1e10</v></c>')},
        "anio_9999.xlsx": {
            "xl/styles.xml": hostile.with_duration_style,
            PROGRAMA: set_cell("B19", f' s="{DATE_STYLE}"><v>2958465</v></c>')},
        "celda_xfd1048576.xlsx": {INVENTARIO: add_cell("XFD1048576", text.format("x"))},
        "celda_xfd8000.xlsx": {INVENTARIO: add_cell("XFD8000", text.format("x"))},
        "celda_a1048576.xlsx": {INVENTARIO: add_cell("A1048576", text.format("B-999"))},
        "error_spill.xlsx": {INVENTARIO: set_cell("G4", ' t="e"><f>A1#</f><v>#SPILL!</v></c>')},
        "errores_365.xlsx": {INVENTARIO: _chain(*(
            set_cell(f"G{4 + i}", f' t="e"><v>{error}</v></c>')
            for i, error in enumerate(ERRORS_365)))},
        "booleano_2.xlsx": {INVENTARIO: set_cell("G4", ' t="b"><v>2</v></c>')},
        "cadena_inexistente.xlsx": {INVENTARIO: set_cell("G4", ' t="s"><v>99999</v></c>')},
        "programa_ruta.xlsx": {PROGRAMA: set_cell("B4", text.format("/dev/zero"))},
        "programa_stdin.xlsx": {PROGRAMA: set_cell("B4", text.format("/dev/stdin"))},
        "programa_largo.xlsx": {PROGRAMA: set_cell("B4", text.format("a" * 300))},
        "programa_yaml_ajeno.xlsx": {
            PROGRAMA: set_cell("B4", text.format("../../addin/programmes/ecomercado-10m.yaml"))},
        "libro_xml_nul.xlsx": {"xl/workbook.xml": lambda d: d.replace(b"<sheets>",
                                                                      b"<sheets>\x00")},
        "libro_doctype.xlsx": {"xl/workbook.xml": lambda d: b'<!DOCTYPE workbook [<!ENTITY e '
                                                            b'"x">]>' + d},
        "libro_entidad.xlsx": {"xl/workbook.xml": lambda d: d.replace(
            b'name="Programa"', b'name="Programa&foo;"')},
        "libro_codificacion.xlsx": {"xl/workbook.xml": lambda d: b'<?xml version="1.0" '
                                                                b'encoding="UTF-16"?>' + d},
        "relaciones_nul.xlsx": {"xl/_rels/workbook.xml.rels": lambda d: d.replace(
            b"<Relationship ", b"<Relationship \x00", 1)},
        "hoja_doctype.xlsx": {INVENTARIO: lambda d: b'<!DOCTYPE worksheet [<!ENTITY x "' +
                              b"x" * 10 + b'">]>' + d},
        "celdas_sin_r.xlsx": {PROGRAMA: hostile.without_refs},
    }
    for name, changes in edits.items():
        (out / name).write_bytes(hostile.rewrite(base, changes))
    (out / "zip_metodo_9.xlsx").write_bytes(patch_zip(base, INVENTARIO, method=9))
    (out / "zip_metodo_99.xlsx").write_bytes(patch_zip(base, "xl/workbook.xml", method=99))
    (out / "zip_cifrado.xlsx").write_bytes(patch_zip(base, PROGRAMA, flag=1))
    (out / "zip_version.xlsx").write_bytes(patch_zip(base, "xl/styles.xml", version=99))


def _chain(*changes: hostile.Change) -> hostile.Change:
    def change(d: bytes) -> bytes:
        for one in changes:
            d = one(d)
        return d
    return change


def demo(path: Path, plant: bool = True) -> Path:
    build_demo(path, plant=plant)
    return path


def edit(source: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    wb = load_workbook(source)
    change(wb)
    wb.save(target)
    return target


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    if sys.argv[1:] == ["hostiles"]:
        hostile_corpus(demo(tmp / "limpio.xlsx", plant=False), HERE)
        return
    base = demo(tmp / "demo.xlsx")
    clean = demo(tmp / "limpio.xlsx", plant=False)
    out = HERE
    for old in out.glob("*.*"):
        if old.name != "make.py":
            old.unlink()

    (out / "no_es_zip.xlsx").write_text("Esto es un texto, no un libro.\n", "utf-8")
    (out / "vacio.xlsx").write_bytes(b"")
    (out / "csv_renombrado.xlsx").write_text("codigo;descripcion\nB-1;Silla\n", "utf-8")
    (out / "pdf_renombrado.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    data = base.read_bytes()
    (out / "truncado.xlsx").write_bytes(data[: len(data) // 2])
    with zipfile.ZipFile(out / "zip_sin_libro.xlsx", "w") as archive:
        archive.writestr("leame.txt", "no hay planillas aquí")

    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    with base.open("rb") as plain:
        OOXMLFile(plain).encrypt("secreto", encrypted)
    (out / "con_contrasena.xlsx").write_bytes(encrypted.getvalue())

    xls = libreoffice.convert(base, "xls:MS Excel 97", tmp / "xls")
    shutil.copy(xls, out / "formato_antiguo.xls")
    ods = libreoffice.convert(base, "ods", tmp / "ods")
    shutil.copy(ods, out / "libreoffice.ods")

    wb = Workbook()
    wb.save(out / "libro_vacio.xlsx")

    def without_sheets(wb) -> None:  # type: ignore[no-untyped-def]
        del wb["Inventario"]
        del wb["Sesiones"]

    edit(base, out / "faltan_hojas.xlsx", without_sheets)
    edit(base, out / "sin_hoja_programa.xlsx", lambda wb: wb.remove(wb["Programa"]))

    def renamed(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb["Inventario"]
        ws["D3"] = "Cant."
        ws["F3"] = "Precio"

    edit(base, out / "encabezados_renombrados.xlsx", renamed)

    def merged(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb["Sesiones"]
        ws.merge_cells("B3:C3")  # «Fecha» swallows «Tipo de sesión»

    edit(base, out / "encabezados_combinados.xlsx", merged)

    def moved(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb["Inventario"]
        for t in list(ws.tables):
            del ws.tables[t]
        ws.insert_rows(1, 2)  # two more title rows
        ws["A1"] = "INVENTARIO DE BIENES — ECOMERCADO CORONEL"
        ws.insert_cols(3)  # a column minga does not know
        ws["C5"] = "Notas internas"
        ws.move_range("B5:B60", rows=0, cols=20)  # «Descripción» moved to the far right
        ws.insert_rows(20, 3)  # blank rows in the middle

    edit(base, out / "columnas_movidas.xlsx", moved)

    def text_values(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb["Inventario"]
        ws["F4"] = "$1.389.990"
        ws["G4"] = "2.779.980"
        ws["H4"] = "18-05-2025"
        ws["H5"] = "21/05/25"
        ws["H6"] = "2025-05-24"
        ws["H7"] = 45806  # an Excel serial number: 29-05-2025 (45658 is 01-01-2025)
        ws = wb["Seguimiento Plan de Trabajo"]
        ws["N4"] = "100%"
        ws["N5"] = 100
        ws["K4"] = "NO"
        ws["K5"] = "si"
        ws = wb["Organizaciones"]
        ws["E4"] = "SI"
        ws["F4"] = "VERDADERO"
        ws["G4"] = "X"
        ws["H4"] = 1

    edit(clean, out / "valores_como_texto.xlsx", text_values)

    def bad_values(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb["Sesiones"]
        ws["B4"] = "31-02-2026"
        ws["G4"] = "veinte"
        ws = wb["Inventario"]
        ws["F4"] = "mil pesos"
        ws["D5"] = 2.5

    edit(clean, out / "valores_ilegibles.xlsx", bad_values)

    def errors(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb["Inventario"]
        ws["G4"] = "=#REF!*2"
        ws["G5"] = "=1/0"

    formulas = edit(clean, tmp / "formulas.xlsx", errors)
    recalculated = libreoffice.convert(formulas, "xlsx:Calc MS Excel 2007 XML", tmp / "rec")
    shutil.copy(recalculated, out / "formulas_con_error.xlsx")

    edit(clean, out / "programa_desconocido.xlsx",
         lambda wb: wb["Programa"].__setitem__("B4", "ecomercado-99m"))
    edit(clean, out / "fecha_inicio_imposible.xlsx",
         lambda wb: wb["Programa"].__setitem__("B6", "30-02-2025"))
    build_file(load_programme("ecomercado-10m"), out / "plantilla_en_ingles.xlsx",
               start=date(2026, 3, 2), lang="en")
    hostile_corpus(clean, out)
    print("\n".join(sorted(p.name for p in out.iterdir() if p.name != "make.py")))


if __name__ == "__main__":
    main()
