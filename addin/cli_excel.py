"""The commands behind the Excel buttons, for the terminal: `minga seguimiento`, `minga acta`,
and `minga excel instalar|desinstalar` (the «Minga» ribbon add-in).  Registered by cli.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from addin.cli import Cutoff, _date, _print_saved, command, escape, handled, out
from addin.cli_spanish import Argument, Group, Option
from addin.fileio import check_readable

Workbook = Annotated[Path, Argument(metavar="ARCHIVO", help="Libro .xlsx de minga.")]
NoBackup = Annotated[bool, Option(
    "--sin-respaldo", help="No guarda copia del archivo antes de modificarlo.")]


@command("seguimiento", help="Actualiza las matrices de seguimiento a la fecha de corte: marca "
                             "«Atrasada» lo vencido, lleva el % de avance a la carta Gantt y "
                             "lista los nudos críticos (guarda un respaldo).")
@handled
def seguimiento(archivo: Workbook, fecha_corte: Cutoff = None,
                sin_respaldo: NoBackup = False) -> None:
    from addin.actions.seguimiento import resumen, seguimiento_file

    check_readable(archivo)
    result, saved = seguimiento_file(archivo, _date(fecha_corte, "la fecha de corte"),
                                     keep_backup=not sin_respaldo)
    out.print(escape(resumen(result)), soft_wrap=True)
    _print_saved(saved)


@command("acta", help="Genera el acta de traspaso de bienes (hoja «Acta de traspaso» y, con "
                      "--pdf, su PDF) para una organización activa y formalizada del catastro.")
@handled
def acta(
    archivo: Workbook,
    receptora: Annotated[str | None, Option(
        "--receptora", metavar="ORGANIZACION",
        help="Nombre o RUT de la organización receptora; por defecto, la que indica "
             "Inventario.")] = None,
    fecha: Annotated[str | None, Option(
        "--fecha", metavar="FECHA", help="Fecha del acta; por defecto, la de traspaso de "
                                         "Inventario, o hoy.")] = None,
    numero: Annotated[str | None, Option(
        "--numero", metavar="N", help="N° del acta; por defecto, el de Inventario.")] = None,
    pdf: Annotated[Path | None, Option(
        "--pdf", metavar="ARCHIVO", help="Exporta el acta a PDF con LibreOffice.")] = None,
    sin_respaldo: NoBackup = False,
) -> None:
    from addin.actions.acta import acta_file, resumen, soffice
    from addin.errors import MingaError

    check_readable(archivo)
    if pdf is not None and soffice() is None:
        raise MingaError("LibreOffice no está instalado: no se puede exportar a PDF.",
                         fix="Instale LibreOffice, o genere el acta sin --pdf e imprímala "
                             "desde Excel.")
    result, saved = acta_file(archivo, receptora, fecha=_date(fecha, "la fecha del acta"),
                              numero=numero, pdf=pdf, keep_backup=not sin_respaldo)
    out.print(escape(resumen(result)), soft_wrap=True)
    _print_saved(saved)


excel_app = Group(no_args_is_help=True,
                  help="El complemento «Minga» de Excel (cinta con los botones).")


@excel_app.command("instalar",
                   help="Copia minga.xlam a la carpeta de inicio de Excel y configura xlwings "
                        "para que los botones usen este Python.")
@handled
def instalar(complemento: Annotated[Path | None, Option(
        "--complemento", metavar="ARCHIVO",
        help="El complemento .xlam; por defecto, el que trae minga.")] = None) -> None:
    from addin.excel_install import install

    done = install(complemento)
    out.print(f"Complemento instalado: {escape(str(done.addin))}\n"
              f"Python de los botones: {escape(done.interpreter)} (en "
              f"{escape(str(done.config))})\nAbra Excel: la pestaña «Minga» aparece en la "
              "cinta.")


@excel_app.command("desinstalar",
                   help="Quita el complemento y la configuración que escribió «instalar».")
@handled
def desinstalar() -> None:
    from addin.excel_install import uninstall

    done = uninstall()
    out.print("Quitado: " + "; ".join(escape(d) for d in done) if done
              else "No había nada que quitar.")


# Declared here, registered here: `minga excel` is imported only when it runs.
from addin.cli import app  # noqa: E402

app.add_group(excel_app, name="excel")
