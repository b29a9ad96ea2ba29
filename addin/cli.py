"""The `minga` command: a thin layer over the actions.

Exit codes: 0 done; 1 the workbook has errors (validation, a later issue); 2 bad input or
arguments (a Spanish message says what and how to fix it); 3 an internal error of minga.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from addin import __version__
from addin.errors import MingaError

if TYPE_CHECKING:
    from addin.actions.validate import ValidationResult

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="minga: planillas y validación para programas de economía solidaria.",
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])


def handled(command: F) -> F:
    """Turn minga's errors into a Spanish message and an exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MingaError as exc:
            err.print(f"[bold red]Error:[/bold red] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("Cancelado.")
            raise typer.Exit(130) from None
        except typer.Exit:
            raise
        except (SystemExit, GeneratorExit):
            raise
        except BaseException as exc:  # a bug in minga (or a library's panic, a BaseException):
            # say so plainly, without a traceback
            err.print(f"[bold red]Error interno de minga[/bold red] ({type(exc).__name__}: "
                      f"{escape(str(exc)[:300])}).\n→ Repórtelo con el comando que ejecutó; el "
                      "archivo de entrada no se modificó.")
            raise typer.Exit(3) from None

    return wrapper  # type: ignore[return-value]


Programme = Annotated[str, typer.Option(
    "--programa", "-p", help="Programa incluido (ecomercado-10m, ecomercado-15m) o ruta de un "
                             "archivo .yaml propio.")]
Start = Annotated[str | None, typer.Option(
    "--inicio", help="Fecha de inicio del convenio (2026-03-02 o 02-03-2026).")]
Cutoff = Annotated[str | None, typer.Option(
    "--fecha-corte", help="Fecha de corte del informe; por defecto, hoy.")]
Lang = Annotated[str, typer.Option("--idioma", help="Idioma de hojas y encabezados: es o en.")]


def _date(text: str | None, what: str) -> date | None:
    from addin.domain.dates import parse_date

    return None if text is None else parse_date(text, what=what)


def _lang(text: str) -> str:
    if text not in ("es", "en"):
        raise MingaError(f"Idioma desconocido: «{text}».", fix="Use --idioma es o --idioma en.")
    return text


def _new(programa: str, inicio: str | None, fecha_corte: str | None, salida: Path | None,
         sobrescribir: bool, idioma: str) -> None:
    from addin.actions.build import build_file, default_output
    from addin.domain.programme import load_programme

    lang = _lang(idioma)
    start = _date(inicio, "la fecha de inicio")
    cutoff = _date(fecha_corte, "la fecha de corte")
    definition = load_programme(programa)
    output = salida or default_output(definition)
    t0 = time.perf_counter()
    build_file(definition, output, start=start, cutoff=cutoff, overwrite=sobrescribir,
               lang=lang)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - t0
    state = f"poblado desde el {start:%d-%m-%Y}" if start else "plantilla sin fechas"
    out.print(f"Libro creado: [bold]{escape(str(output))}[/bold] ({definition.name}; {state}; "
              f"{elapsed:.2f} s)")
    if not start:
        out.print("Escriba la fecha de inicio en la hoja Programa y ejecute "
                  f"`minga poblar {output}` para fechar la carta Gantt.")


@app.command("nuevo", help="Crea el libro del programa (plantilla, o poblado con --inicio).")
@handled
def nuevo(
    programa: Programme = "ecomercado-15m",
    inicio: Start = None,
    fecha_corte: Cutoff = None,
    salida: Annotated[Path | None, typer.Option(
        "--salida", "-o", help="Archivo .xlsx a crear; por defecto <programa>.xlsx.")] = None,
    sobrescribir: Annotated[bool, typer.Option(
        "--sobrescribir", help="Reemplaza el archivo de salida si ya existe.")] = False,
    idioma: Lang = "es",
) -> None:
    _new(programa, inicio, fecha_corte, salida, sobrescribir, idioma)


@app.command("new", hidden=True, help="Alias de «nuevo».")
@handled
def new(
    programa: Programme = "ecomercado-15m",
    inicio: Start = None,
    fecha_corte: Cutoff = None,
    salida: Annotated[Path | None, typer.Option("--salida", "--output", "-o")] = None,
    sobrescribir: Annotated[bool, typer.Option("--sobrescribir", "--overwrite")] = False,
    idioma: Lang = "es",
) -> None:
    _new(programa, inicio, fecha_corte, salida, sobrescribir, idioma)


@app.command("poblar", help="Fecha la carta Gantt y los informes de un libro existente "
                            "(guarda un respaldo).")
@handled
def poblar(
    archivo: Annotated[Path, typer.Argument(help="Libro .xlsx de minga.")],
    inicio: Start = None,
    fecha_corte: Cutoff = None,
    programa: Annotated[str | None, typer.Option(
        "--programa", "-p", help="Programa; por defecto, el indicado en la hoja Programa.")
    ] = None,
    sin_respaldo: Annotated[bool, typer.Option(
        "--sin-respaldo", help="No guarda copia del archivo antes de modificarlo.")] = False,
) -> None:
    from addin.actions.populate import populate_file
    from addin.domain.programme import load_programme

    start = _date(inicio, "la fecha de inicio")
    cutoff = _date(fecha_corte, "la fecha de corte")
    definition = load_programme(programa) if programa else None
    result, saved = populate_file(archivo, definition, start, cutoff,
                                  keep_backup=not sin_respaldo)
    first = min(a.start for a in result.activities)
    last = max(a.end for a in result.activities)
    out.print(f"Carta Gantt poblada: {len(result.activities)} actividades "
              f"({first:%d-%m-%Y} a {last:%d-%m-%Y}), {result.reports} informes. "
              f"Archivo: [bold]{escape(str(archivo))}[/bold]")
    if saved:
        out.print(f"Respaldo del original: {saved}")


@app.command("populate", hidden=True, help="Alias de «poblar».")
@handled
def populate(
    archivo: Path,
    inicio: Start = None,
    fecha_corte: Cutoff = None,
    programa: Annotated[str | None, typer.Option("--programa", "-p")] = None,
    sin_respaldo: Annotated[bool, typer.Option("--sin-respaldo", "--no-backup")] = False,
) -> None:
    poblar(archivo, inicio, fecha_corte, programa, sin_respaldo)


def print_findings(result: ValidationResult, limit: int = 200) -> None:
    """The findings as a readable table, then the counts."""
    colours = {"error": "red", "warning": "yellow", "info": "blue"}
    if result.findings:
        table = Table(show_lines=False, expand=True)
        table.add_column("Severidad", no_wrap=True)
        table.add_column("Regla", no_wrap=True)
        table.add_column("Hoja", max_width=20)
        table.add_column("Celda", no_wrap=True)
        table.add_column("Clave", max_width=18)
        table.add_column("Hallazgo y corrección", ratio=1)
        for finding in result.findings[:limit]:
            colour = colours[finding.severity.value]
            table.add_row(f"[{colour}]{finding.severity.spanish}[/{colour}]", finding.rule,
                          escape(finding.sheet), finding.cell or "",
                          escape(finding.row_key or ""),
                          f"{escape(finding.message)}\n[dim]→ {escape(finding.fix)}[/dim]")
        out.print(table)
        if len(result.findings) > limit:
            out.print(f"… y {len(result.findings) - limit} hallazgos más (use --json para "
                      "verlos todos).")
    counts = result.summary
    verdict = ("[bold red]Con errores[/bold red]" if counts["errors"] else
               "[bold green]Sin errores[/bold green]")
    out.print(f"{verdict}: {counts['errors']} errores, {counts['warnings']} advertencias, "
              f"{counts['info']} informativos · {escape(result.data.definition.name)} · "
              f"corte {result.cutoff:%d-%m-%Y} · {escape(result.source)}")


def _validate(archivo: Path, json_out: bool, fecha_corte: str | None, escribir: bool,
              programa: str | None, sin_respaldo: bool) -> None:
    from addin.actions.validate import validate_file
    from addin.domain.programme import load_programme

    cutoff = _date(fecha_corte, "la fecha de corte")
    definition = load_programme(programa) if programa else None
    result, saved = validate_file(archivo, definition, cutoff, write=escribir,
                                  keep_backup=not sin_respaldo)
    if json_out:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_findings(result)
        if escribir:
            out.print(f"Resultados escritos en la hoja «Validación» de {escape(str(archivo))}"
                      + (f" (respaldo: {escape(str(saved))})" if saved else "") + ".")
    raise typer.Exit(result.exit_code)


ValidateFile = Annotated[Path, typer.Argument(help="Libro .xlsx (también .xls u .ods) a validar.")]
JsonOut = Annotated[bool, typer.Option("--json", help="Imprime los hallazgos en JSON.")]
Write = Annotated[bool, typer.Option(
    "--escribir", help="Escribe la hoja Validación y marca las celdas en el libro (con "
                       "respaldo).")]
NoBackup = Annotated[bool, typer.Option(
    "--sin-respaldo", help="Con --escribir, no guarda copia del archivo.")]
ProgrammeOpt = Annotated[str | None, typer.Option(
    "--programa", "-p", help="Programa; por defecto, el indicado en la hoja Programa.")]


@app.command("validar", help="Valida un libro contra las reglas de su programa. Salida: 0 sin "
                             "errores, 1 con errores, 2 libro ilegible.")
@handled
def validar(archivo: ValidateFile, json_out: JsonOut = False, fecha_corte: Cutoff = None,
            escribir: Write = False, programa: ProgrammeOpt = None,
            sin_respaldo: NoBackup = False) -> None:
    _validate(archivo, json_out, fecha_corte, escribir, programa, sin_respaldo)


@app.command("validate", hidden=True, help="Alias de «validar».")
@handled
def validate_en(archivo: ValidateFile, json_out: JsonOut = False, fecha_corte: Cutoff = None,
                escribir: Annotated[bool, typer.Option("--escribir", "--write")] = False,
                programa: ProgrammeOpt = None, sin_respaldo: NoBackup = False) -> None:
    _validate(archivo, json_out, fecha_corte, escribir, programa, sin_respaldo)


@app.command("programas", help="Lista los programas incluidos, o exporta uno para editarlo.")
@handled
def programas(
    exportar: Annotated[str | None, typer.Option(
        "--exportar", help="Imprime la definición YAML de ese programa.")] = None,
) -> None:
    from addin.domain.programme import builtin_ids, builtin_text, load_programme

    if exportar:
        if exportar not in builtin_ids():
            raise MingaError(f"Programa desconocido: «{exportar}».",
                             fix=f"Use uno de: {', '.join(builtin_ids())}.")
        sys.stdout.write(builtin_text(exportar))
        return
    table = Table("Programa", "Nombre", "Meses", "Actividades", "Informes")
    for pid in builtin_ids():
        d = load_programme(pid)
        table.add_row(pid, d.name, str(d.calendar.total_months), str(len(d.activities)),
                      ", ".join(f"mes {d.month_number(a.window.end)}" for a in d.reports))
    out.print(table)


@app.command("programmes", hidden=True, help="Alias de «programas».")
@handled
def programmes(exportar: Annotated[str | None, typer.Option("--exportar", "--export")] = None
               ) -> None:
    programas(exportar)


@app.command("demo", help="Crea un libro de demostración con datos realistas y algunos "
                          "errores sembrados, lo valida y muestra los hallazgos.")
@handled
def demo(
    carpeta: Annotated[Path, typer.Option(
        "--carpeta", help="Carpeta donde dejar el libro.")] = Path("minga-demo"),
) -> None:
    from addin.actions.demo import CUTOFF, START, build_demo
    from addin.actions.validate import validate_file

    carpeta.mkdir(parents=True, exist_ok=True)
    output = carpeta / "ecomercado-15m-demo.xlsx"
    t0 = time.perf_counter()
    planted = build_demo(output)
    result, _ = validate_file(output, cutoff=CUTOFF, write=True, keep_backup=False)
    elapsed = time.perf_counter() - t0
    out.print(f"Libro de demostración: [bold]{escape(str(output.resolve()))}[/bold]\n"
              f"Ecomercado de Coronel (Biobío), convenio de 15 meses desde el "
              f"{START:%d-%m-%Y}, validado al {CUTOFF:%d-%m-%Y} con {len(planted)} defectos "
              f"sembrados a propósito ({elapsed:.2f} s). Ábralo: la hoja «Validación» enlaza "
              "cada hallazgo con su celda, marcada en color y con una nota.\n")
    print_findings(result)


@app.callback(invoke_without_command=True)
def _root(version: Annotated[bool, typer.Option("--version", help="Muestra la versión.")]
          = False) -> None:
    if version:
        out.print(f"minga {__version__}")
        raise typer.Exit()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI (Typer reports its own usage errors with exit code 2)."""
    app(args=argv, prog_name="minga")
