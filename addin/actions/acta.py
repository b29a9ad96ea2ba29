"""generar_acta_traspaso: the «Acta de traspaso» button — a printable acta from Inventario.

The recipient must be an organisation of the catastro (Organizaciones) that is active and
formalised (the guide: «dicha organización deberá ser una organización activa, formalizada y
comprometida con el Ecomercado»), and every asset handed over needs its quantity and unit
value; otherwise nothing is written and a Spanish message names the cells to fix.  The acta is
written on its own sheet (rewritten on each run) and, when LibreOffice is installed, exported
to PDF from a one-sheet copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin.backends.base import Backend

if TYPE_CHECKING:
    from addin.backends.openpyxl_backend import Saved
from addin.domain.programme import ProgrammeDefinition
from addin.domain.records import Record
from addin.domain.text import normalise
from addin.domain.values import clean_rut
from addin.errors import MingaError
from addin.fileio import atomic_write, check_writable, writes_file
from addin.layouts.acciones import ACTA
from addin.layouts.ecomercado import INVENTARIO, ORGANIZACIONES
from addin.layouts.model import find_sheet
from addin.reading import identify_programme, programme_and_form, read_form, read_table
from addin.sheets.acta import ActaData, Asset, Party, acta_sheet, pesos, rut
from addin.sheets.plans import SheetPlan

#: The most asset cells a refusal lists (the rest are counted).
LISTED = 6


@dataclass
class ActaResult:
    data: ActaData
    sheet: str
    #: Assets of Inventario assigned to another organisation, left out of this acta.
    excluded: list[str] = field(default_factory=list)
    pdf: Path | None = None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _find_org(records: list[Record], wanted: str) -> Record | None:
    key, rut = normalise(wanted), clean_rut(wanted)
    for record in records:
        if normalise(record.get("nombre")) == key or (
                rut and _text(record.get("rut")) == rut):
            return record
    return None


def _refuse_org(org: Record | None, wanted: str, sheet: str) -> None:
    fix_list = ("Elija una organización activa y formalizada de la hoja «Organizaciones» "
                "(la que eligió la sesión de traspaso) y escriba su nombre en «Organización "
                "receptora» de Inventario.")
    if org is None:
        raise MingaError(f"«{wanted}» no está en el catastro de organizaciones.", sheet=sheet,
                         fix=fix_list)
    name = _text(org.get("nombre"))
    if org.get("activa") is not True:
        raise MingaError(f"«{name}» no puede recibir los bienes: no figura activa en el "
                         "catastro.", sheet=sheet, cell=org.cell("activa"), fix=fix_list)
    if org.get("formalizada") is not True:
        raise MingaError(f"«{name}» no puede recibir los bienes: no figura formalizada (con "
                         "personalidad jurídica) en el catastro.", sheet=sheet,
                         cell=org.cell("formalizada"), fix=fix_list)
    if not _text(org.get("rut")):
        raise MingaError(f"Falta el RUT de «{name}», que va en el acta.", sheet=sheet,
                         cell=org.cell("rut"), fix="Escriba el RUT de la organización con su "
                                                   "dígito verificador (ej. 65.123.456-7).")


def recipient_named(backend: Backend) -> str:
    """The one organisation Inventario names as recipient (the Excel button has no prompt)."""
    names = backend.sheet_names()
    definition = identify_programme(read_form(backend, names, None)[0], backend, names)
    data, _ = read_table(backend, names, INVENTARIO, definition, check_required=False)
    if not data.present:
        raise MingaError("El libro no tiene la hoja «Inventario».", sheet=INVENTARIO.es,
                         fix="Restaure la hoja desde una plantilla de minga.")
    named = Counter(_text(r.get("receptora")) for r in data.records if _text(r.get("receptora")))
    if not named:
        raise MingaError("Inventario no indica la organización receptora.", sheet=data.name,
                         fix="Escriba en la columna «Organización receptora» el nombre de la "
                             "organización (tal como en Organizaciones) y vuelva a pulsar el "
                             "botón.")
    if len(named) > 1:
        raise MingaError("Inventario nombra más de una organización receptora: "
                         + ", ".join(f"«{n}»" for n in sorted(named)) + ".", sheet=data.name,
                         fix="Los bienes se traspasan a una sola organización: deje el mismo "
                             "nombre en todas las filas.")
    return next(iter(named))


def generar_acta_traspaso(backend: Backend, receptora: str, *, fecha: date | None = None,
                          numero: str | None = None,
                          definition: ProgrammeDefinition | None = None) -> ActaResult:
    """Build the acta sheet for ``receptora`` (name or RUT as in Organizaciones)."""
    names = backend.sheet_names()
    definition, form = programme_and_form(backend, names, definition)
    orgs, _ = read_table(backend, names, ORGANIZACIONES, definition, check_required=False)
    if not orgs.present:
        raise MingaError("El libro no tiene la hoja «Organizaciones».", sheet=ORGANIZACIONES.es,
                         fix="Restaure la hoja desde una plantilla de minga.")
    org = _find_org(orgs.records, receptora)
    _refuse_org(org, receptora, orgs.name)
    assert org is not None
    inventory, _ = read_table(backend, names, INVENTARIO, definition, check_required=False)
    if not inventory.present:
        raise MingaError("El libro no tiene la hoja «Inventario».", sheet=INVENTARIO.es,
                         fix="Restaure la hoja desde una plantilla de minga.")
    for key in ("cantidad", "valor_unitario", "descripcion"):
        if key not in inventory.columns:
            raise MingaError(f"Falta la columna «{INVENTARIO.column(key).es}».",
                             sheet=inventory.name, fix="Restaure los encabezados de Inventario.")
    wanted = {normalise(org.get("nombre")), normalise(receptora)}
    chosen, excluded = [], []
    for record in inventory.records:
        other = _text(record.get("receptora"))
        if other and normalise(other) not in wanted:
            excluded.append(_text(record.get("codigo")) or f"fila {record.row}")
        else:
            chosen.append(record)
    if not chosen:
        raise MingaError("No hay bienes en Inventario para traspasar a "
                         f"«{org.get('nombre')}».", sheet=inventory.name,
                         fix="Registre los bienes (una fila por bien) antes de generar el acta.")
    missing = []
    for record in chosen:
        quantity, value = record.get("cantidad"), record.get("valor_unitario")
        if not isinstance(quantity, int) or quantity <= 0:
            missing.append(record.cell("cantidad"))
        if not isinstance(value, int | float) or value < 0:
            missing.append(record.cell("valor_unitario"))
        if not _text(record.get("descripcion")):
            missing.append(record.cell("descripcion"))
    if missing:
        shown = ", ".join(missing[:LISTED]) + (f" y {len(missing) - LISTED} más"
                                               if len(missing) > LISTED else "")
        raise MingaError(f"Hay bienes sin cantidad, valor unitario o descripción: {shown}.",
                         sheet=inventory.name, cell=missing[0],
                         fix="Complete la cantidad (entera, mayor que 0), el valor unitario en "
                             "pesos y la descripción de cada bien; el acta detalla cantidad y "
                             "valor de cada uno.")
    dates = {_day(r.get("fecha_traspaso")) for r in chosen} - {None}
    numbers = {_text(r.get("acta")) for r in chosen} - {""}
    day = fecha or (dates.pop() if len(dates) == 1 else date.today())
    number = numero or (numbers.pop() if len(numbers) == 1 else "_____")
    data = ActaData(
        number=number, day=day, programme=definition.name,
        region=_text(form.get("region")), comuna=_text(form.get("comuna")),
        ejecutor=Party(_text(form.get("ejecutor")) or "(ejecutor)",
                       rut(_text(form.get("rut_ejecutor"))), role="Representante legal"),
        receptora=Party(_text(org.get("nombre")), rut(_text(org.get("rut"))),
                        _text(org.get("representante")), "Representante"),
        assets=tuple(Asset(_text(r.get("codigo")), _text(r.get("descripcion")),
                           int(r.get("cantidad")), _text(r.get("unidad")),
                           round(r.get("valor_unitario"))) for r in chosen))
    sheet = find_sheet(names, ACTA) or ACTA.es
    plan = acta_sheet(sheet, data)
    if sheet in names:
        backend.clear_sheet(sheet)
    else:
        backend.add_sheet(sheet)
        backend.move_sheet(sheet, after=inventory.name)
    backend.write_block(sheet, "A1", plan.block())
    backend.format_sheet(sheet, plan.fmt)
    backend.activate(sheet)
    return ActaResult(data, sheet, excluded)


#: A LibreOffice profile setting that prints numbers as Chile does ($1.250.000), whatever
#: the locale of the computer that exports the PDF.
CHILEAN_LOCALE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>es-CL</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse">
<value>es-CL</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """LibreOffice's command, if installed (``MINGA_SOFFICE`` may name it)."""
    return os.environ.get("MINGA_SOFFICE") or shutil.which("soffice") or \
        shutil.which("libreoffice")


def export_pdf(plan: SheetPlan, output: Path) -> Path | None:
    """Render the acta alone to ``output`` (PDF) through LibreOffice; None if not installed.

    The acta is written to a one-sheet workbook in a temporary folder and converted there, so
    the PDF holds the acta and nothing else; the PDF then replaces ``output`` atomically.
    """
    command = soffice()
    if command is None:
        return None
    from addin.backends.openpyxl_backend import OpenpyxlBackend

    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="minga-acta-") as tmp:
        book = Path(tmp) / "acta.xlsx"
        backend = OpenpyxlBackend.create(book)
        backend.add_sheet(plan.name)
        backend.write_block(plan.name, "A1", plan.block())
        backend.format_sheet(plan.name, plan.fmt)
        backend.save()
        profile = Path(tmp) / "perfil"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(CHILEAN_LOCALE,
                                                                     encoding="utf-8")
        try:
            done = subprocess.run(
                [command, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                 "--norestore", "--convert-to", "pdf", "--outdir", tmp, str(book)],
                capture_output=True, text=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired):
            done = None
        pdf = Path(tmp) / "acta.pdf"
        if done is None or done.returncode != 0 or not pdf.exists():
            raise MingaError("LibreOffice no pudo convertir el acta a PDF.",
                             fix="Imprima la hoja «Acta de traspaso» desde Excel o "
                                 "LibreOffice (Archivo › Exportar como PDF).")
        atomic_write(output, lambda target: shutil.copyfile(pdf, target))
    return output


@writes_file()
def acta_file(path: Path, receptora: str | None = None, *, fecha: date | None = None,
              numero: str | None = None, pdf: Path | None = None,
              keep_backup: bool = True) -> tuple[ActaResult, Saved]:
    """Write the acta into the workbook file (backup first; refused, file untouched, if the
    rewrite would lose anything of the user's: ``OpenpyxlBackend.save``) and its PDF."""
    from addin.backends.openpyxl_backend import OpenpyxlBackend

    path = Path(path)
    backend = OpenpyxlBackend.open(path)
    check_writable(path, overwrite=True)
    receptora = receptora or recipient_named(backend)
    result = generar_acta_traspaso(backend, receptora, fecha=fecha, numero=numero)
    saved = backend.save(own={result.sheet}, keep_backup=keep_backup)
    if pdf is not None:
        result.pdf = export_pdf(acta_sheet(result.sheet, result.data), pdf)
    return result, saved


def resumen(result: ActaResult) -> str:
    """What the button did, in a few Spanish lines for a message box."""
    data = result.data
    lines = [f"Acta de traspaso N° {data.number} a {data.receptora.name} "
             f"(RUT {data.receptora.rut}): {len(data.assets)} bienes por un total de "
             f"{pesos(data.total)}, en la hoja «{result.sheet}»."]
    if result.excluded:
        lines.append("Quedaron fuera bienes asignados a otra organización: "
                     + ", ".join(result.excluded[:10]) + ".")
    if result.pdf:
        lines.append(f"PDF: {result.pdf}")
    return "\n".join(lines)
