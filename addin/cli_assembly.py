"""`minga agrupar`: the assembly's grouping action from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from addin.cli import command, escape, handled, out
from addin.cli_spanish import Argument, Option
from addin.domain.wording import plural
from addin.errors import MingaError
from addin.fileio import check_readable


def _group(archivo: Path, equilibrar: str | None, programa: str | None,
           sin_respaldo: bool) -> None:
    from addin.actions.grouping import BALANCE_COLUMNS, group_file
    from addin.domain.programme import load_programme

    check_readable(archivo)
    if equilibrar is not None and equilibrar not in BALANCE_COLUMNS:
        raise MingaError(f"No se puede equilibrar por «{equilibrar}».",
                         fix="Use --equilibrar territorio o --equilibrar tipo.")
    definition = load_programme(programa) if programa else None
    result, saved = group_file(archivo, definition, equilibrar,  # type: ignore[arg-type]
                               keep_backup=not sin_respaldo)
    sizes = ", ".join(f"grupo {g}: {n}" for g, n in result.group_sizes.items())
    how = f", equilibrados por {equilibrar}" if equilibrar else ""
    out.print(f"{plural(len(result.placements), 'persona')} en "
              f"{plural(len(result.group_sizes), 'grupo')} y "
              f"{plural(result.subgroups, 'subgrupo')}, con un líder cada uno{how} "
              f"({sizes}). Archivo: [bold]{escape(str(archivo))}[/bold]", soft_wrap=True)
    if saved:
        out.print(f"Respaldo del original: {escape(str(saved))}")


Balance = Annotated[str | None, Option(
    "--equilibrar", metavar="CRITERIO",
    help="Reparte por igual en cada subgrupo: territorio o tipo (de organización).")]
Programme = Annotated[str | None, Option(
    "--programa", "-p", metavar="PROGRAMA",
    help="Programa; por defecto, el indicado en la hoja Programa.")]
NoBackup = Annotated[bool, Option(
    "--sin-respaldo", help="No guarda copia del archivo antes de modificarlo.")]
Workbook = Annotated[Path, Argument(metavar="ARCHIVO", help="Libro .xlsx de la asamblea.")]


@command("agrupar", help="Reparte a las personas inscritas de una asamblea en grupos y "
                         "subgrupos, con un líder por subgrupo (guarda un respaldo).")
@handled
def agrupar(archivo: Workbook, equilibrar: Balance = None, programa: Programme = None,
            sin_respaldo: NoBackup = False) -> None:
    _group(archivo, equilibrar, programa, sin_respaldo)


@command("group", hidden=True, help="Alias de «agrupar».")
@handled
def group(archivo: Workbook, equilibrar: Annotated[str | None, Option(
              "--equilibrar", "--balance", metavar="CRITERIO")] = None,
          programa: Programme = None,
          sin_respaldo: Annotated[bool, Option("--sin-respaldo", "--no-backup")] = False
          ) -> None:
    _group(archivo, equilibrar, programa, sin_respaldo)
