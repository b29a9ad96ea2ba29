"""The `minga` command: a thin layer over the actions.

Exit codes: 0 done; 1 the workbook has errors (validation, a later issue); 2 bad input or
arguments (a Spanish message says what and how to fix it); 3 an internal error of minga.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from addin import __version__
from addin.cli_spanish import (
    Abort,
    Argument,
    Exit,
    Group,
    Option,
    UsageError,
    usage_error_text,
    usage_line,
)
from addin.domain.wording import number, plural
from addin.errors import MingaError
from addin.fileio import check_output_name, check_readable, make_folder

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from addin.actions.populate import DateChange
    from addin.actions.validate import ValidationResult
    from addin.domain.findings import Finding

app = Group(no_args_is_help=True,
            help="minga: planillas y validación para programas de economía solidaria.")


class _Console:
    """A rich ``Console`` made on first use: `minga --help` and `minga validar --json` never
    load rich (a tenth of their time), every other command prints through it as before."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


def escape(text: str) -> str:
    """rich's markup escape, loaded when first needed."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


out: Any = _Console(highlight=False)
err: Any = _Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])


def command(name: str, **kwargs: Any) -> Callable[[F], F]:
    """Declare a `minga` command (its help and usage errors are Spanish)."""
    return app.command(name, **kwargs)


def handled(command: F) -> F:
    """Turn minga's errors into a Spanish message and an exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MingaError as exc:
            err.print(f"[bold red]Error:[/bold red] {escape(str(exc))}", soft_wrap=True)
            raise Exit(2) from None
        except KeyboardInterrupt:
            err.print("Cancelado.")
            raise Exit(130) from None
        except Exit:
            raise
        except (SystemExit, GeneratorExit):
            raise
        except BaseException as exc:  # a bug in minga (or a library's panic, a BaseException):
            # say so plainly, without a traceback
            err.print(f"[bold red]Error interno de minga[/bold red] ({type(exc).__name__}: "
                      f"{escape(str(exc)[:300])}).\n→ Repórtelo con el comando que ejecutó; el "
                      "archivo de entrada no se modificó.")
            raise Exit(3) from None

    return wrapper  # type: ignore[return-value]


Programme = Annotated[str, Option(
    "--programa", "-p", metavar="PROGRAMA",
    help="Programa incluido (vea `minga programas`) o ruta de un archivo .yaml propio.")]
Start = Annotated[str | None, Option(
    "--inicio", metavar="FECHA", help="Fecha de inicio del convenio (2026-03-02 o 02-03-2026).")]
Cutoff = Annotated[str | None, Option(
    "--fecha-corte", metavar="FECHA", help="Fecha de corte del informe; por defecto, hoy.")]
Lang = Annotated[str, Option(
    "--idioma", metavar="IDIOMA", help="Idioma de hojas y encabezados: es o en.")]
Force = Annotated[bool, Option(
    "--forzar", help="Escribe aunque se pierda lo que minga no sabe conservar (formas, "
                     "botones, comentarios en conversación…): antes guarda siempre un "
                     "respaldo.")]


def _print_saved(saved: Any, backup_line: bool = True) -> None:
    """Say what ``--forzar`` let go, and where the backup that still has it is."""
    from addin.backends.preserve import describe

    if saved.lost:
        err.print("[bold yellow]Atención:[/bold yellow] con --forzar, el libro reescrito ya no "
                  "tiene:\n  " + escape("\n  ".join(describe(saved.lost))), soft_wrap=True)
        err.print(f"→ Siguen en el respaldo: {escape(str(saved.backup))}", soft_wrap=True)
    elif backup_line and saved.backup:
        out.print(f"Respaldo del original: {escape(str(saved.backup))}")


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
    if salida is not None:
        check_output_name(salida)
    definition = load_programme(programa)
    output = salida or default_output(definition)
    t0 = time.perf_counter()
    build_file(definition, output, start=start, cutoff=cutoff, overwrite=sobrescribir,
               lang=lang)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - t0
    has_gantt = definition.calendar is not None and bool(definition.stages)
    state = f"poblado desde el {start:%d-%m-%Y}" if start else "plantilla sin fechas"
    if start and not has_gantt:
        state = f"fecha {start:%d-%m-%Y} escrita en la hoja Programa"
    if cutoff and not start:
        state += f"; fecha de corte {cutoff:%d-%m-%Y} escrita en la hoja Programa"
    say([("Libro creado: ", None), (str(output), "bold"),
         (f" ({definition.name}; {state}; {number(elapsed, 2)} s)", None)])
    if not start and has_gantt:
        say([("Escriba la fecha de inicio en la hoja Programa y ejecute "
              f"`minga poblar {output}` para fechar la carta Gantt.", None)])


@command("nuevo", help="Crea el libro del programa (plantilla, o poblado con --inicio).")
@handled
def nuevo(
    programa: Programme = "ecomercado-15m",
    inicio: Start = None,
    fecha_corte: Cutoff = None,
    salida: Annotated[Path | None, Option(
        "--salida", "-o", metavar="ARCHIVO",
        help="Archivo .xlsx a crear; por defecto <programa>.xlsx.")] = None,
    sobrescribir: Annotated[bool, Option(
        "--sobrescribir", help="Reemplaza el archivo de salida si ya existe.")] = False,
    idioma: Lang = "es",
) -> None:
    _new(programa, inicio, fecha_corte, salida, sobrescribir, idioma)


@command("new", hidden=True, help="Alias de «nuevo».")
@handled
def new(
    programa: Programme = "ecomercado-15m",
    inicio: Start = None,
    fecha_corte: Cutoff = None,
    salida: Annotated[Path | None, Option("--salida", "--output", "-o",
                                                metavar="ARCHIVO")] = None,
    sobrescribir: Annotated[bool, Option("--sobrescribir", "--overwrite")] = False,
    idioma: Lang = "es",
) -> None:
    _new(programa, inicio, fecha_corte, salida, sobrescribir, idioma)


def _date_text(value: object) -> str:
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    return f"«{value}»"


def _date_lines(changes: list[DateChange], kept: bool) -> list[str]:
    """One line per row: its code and name, then each date (what it was, what it is)."""
    rows: dict[tuple[str, str], list[DateChange]] = {}
    for change in changes:
        rows.setdefault((change.sheet, change.key), []).append(change)
    lines = []
    for items in rows.values():
        first = items[0]
        name = first.name if len(first.name) <= 45 else first.name[:44] + "…"
        parts = []
        for c in items:
            if kept:
                parts.append(f"{c.field} {_date_text(c.old)} (calculada: {_date_text(c.new)})")
            elif c.old is None or c.old == "":
                parts.append(f"{c.field} {_date_text(c.new)}")
            else:
                parts.append(f"{c.field} {_date_text(c.new)} (antes {_date_text(c.old)})")
        row = "".join(ch for ch in first.cell if ch.isdigit())
        lines.append(f"  {first.key} {name} ({first.sheet}, fila {row}): " + "; ".join(parts))
    return lines


@command("poblar", help="Fecha la carta Gantt y los informes de un libro existente "
                        "(guarda un respaldo). Las fechas escritas a mano se conservan.")
@handled
def poblar(
    archivo: Annotated[Path, Argument(metavar="ARCHIVO", help="Libro .xlsx de minga.")],
    inicio: Start = None,
    fecha_corte: Cutoff = None,
    programa: Annotated[str | None, Option(
        "--programa", "-p", metavar="PROGRAMA",
        help="Programa; por defecto, el indicado en la hoja Programa.")] = None,
    sin_respaldo: Annotated[bool, Option(
        "--sin-respaldo", help="No guarda copia del archivo antes de modificarlo.")] = False,
    reemplazar_fechas: Annotated[bool, Option(
        "--reemplazar-fechas", help="Reemplaza también las fechas escritas a mano por las "
                                    "calculadas.")] = False,
    forzar: Force = False,
) -> None:
    from addin.actions.populate import populate_file
    from addin.domain.programme import load_programme

    check_readable(archivo)
    start = _date(inicio, "la fecha de inicio")
    cutoff = _date(fecha_corte, "la fecha de corte")
    definition = load_programme(programa) if programa else None
    result, saved = populate_file(archivo, definition, start, cutoff,
                                  keep_backup=not sin_respaldo,
                                  replace_dates=reemplazar_fechas, force=forzar)
    first = min(a.start for a in result.activities)
    last = max(a.end for a in result.activities)
    out.print(f"Carta Gantt poblada: {len(result.activities)} actividades "
              f"({first:%d-%m-%Y} a {last:%d-%m-%Y}), {plural(result.reports, 'informe')}. "
              f"Archivo: [bold]{escape(str(archivo))}[/bold]")
    if result.changed:
        out.print(f"Fechas escritas ({len(result.changed)}):")
        out.print(escape("\n".join(_date_lines(result.changed, kept=False))), soft_wrap=True)
    else:
        out.print("No cambió ninguna fecha: todas estaban al día.")
    if result.kept:
        out.print(f"Fechas escritas a mano que se dejaron como estaban ({len(result.kept)}):")
        out.print(escape("\n".join(_date_lines(result.kept, kept=True))), soft_wrap=True)
        out.print("→ Para reemplazarlas por las calculadas, agregue --reemplazar-fechas.")
    _print_saved(saved)


@command("populate", hidden=True, help="Alias de «poblar».")
@handled
def populate(
    archivo: Annotated[Path, Argument(metavar="ARCHIVO")],
    inicio: Start = None,
    fecha_corte: Cutoff = None,
    programa: Annotated[str | None, Option("--programa", "-p", metavar="PROGRAMA")] = None,
    sin_respaldo: Annotated[bool, Option("--sin-respaldo", "--no-backup")] = False,
    reemplazar_fechas: Annotated[bool, Option(
        "--reemplazar-fechas", "--replace-dates")] = False,
    forzar: Annotated[bool, Option("--forzar", "--force")] = False,
) -> None:
    poblar(archivo, inicio, fecha_corte, programa, sin_respaldo, reemplazar_fechas, forzar)


#: Findings are wrapped to the terminal, but never wider than this: long lines read badly.
READABLE_WIDTH = 100
_COLOURS = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}


def _wrapped(text: str, width: int, indent: str, hanging: str | None = None) -> str:
    """``text`` wrapped at word boundaries (dates and sheet names are never split at hyphens)."""
    import textwrap  # only to print for a person: `minga validar --json` never loads it

    return textwrap.fill(" ".join(text.split()), width=width, initial_indent=indent,
                         subsequent_indent=hanging if hanging is not None else indent,
                         break_on_hyphens=False, break_long_words=True)


#: The SGR codes of the few styles findings use, for a terminal written to without rich.
_SGR = {"bold red": "1;31", "bold yellow": "1;33", "bold blue": "1;34", "bold green": "1;32",
        "dim": "2", "bold": "1"}
#: Parts of a line: text, and its style (None: plain).
Parts = list[tuple[str, str | None]]


def _block_parts(finding: Finding, width: int) -> Parts:
    where = f"{finding.sheet}!{finding.cell}" if finding.cell else finding.sheet
    parts = [finding.severity.spanish, finding.rule, where]
    if finding.row_key:
        parts.append(finding.row_key)
    head = _wrapped(" · ".join(parts), width, "", "    ")
    severity = len(finding.severity.spanish)
    return [(head[:severity], _COLOURS[finding.severity.value]), (head[severity:], None),
            ("\n" + _wrapped(finding.message, width, "    "), None),
            ("\n" + _wrapped(f"→ {finding.fix}", width, "    ", "      "), "dim")]


def _rich_text(parts: Parts) -> Text:
    from rich.text import Text

    text = Text()
    for piece, style in parts:
        text.append(piece, style=style)
    return text


def finding_block(finding: Finding, width: int) -> Text:
    """One finding as a block that reads at any width (80 columns, a pipe, a log file).

    ``error · GANTT-04 · Carta Gantt!E18 · 3.1`` on the first line, then the message and
    «→ fix» wrapped below it, indented.  Colour only marks the severity, and is dropped when
    the output is not a terminal, leaving plain text.
    """
    return _rich_text(_block_parts(finding, width))


def _direct_output() -> tuple[bool, int] | None:
    """(colour, width) to write findings straight to stdout, or None to print them with rich.

    Loading rich costs a tenth of a «Validar» press; what it adds to findings — three colours —
    is a few escape codes on a POSIX terminal and nothing in a pipe or a file.  rich keeps what
    it does better: a Windows console, FORCE_COLOR and the TTY_* settings, and a console a caller
    put in ``out``.  Width and colour follow rich's rules (COLUMNS, NO_COLOR, TERM=dumb)."""
    env = os.environ
    if not isinstance(out, _Console) or any(
            env.get(name) is not None for name in ("FORCE_COLOR", "TTY_COMPATIBLE",
                                                   "TTY_INTERACTIVE", "JUPYTER_COLUMNS")):
        return None
    try:
        terminal = sys.stdout.isatty()
    except (AttributeError, ValueError):
        return None
    if terminal and sys.platform == "win32":
        return None
    dumb = terminal and env.get("TERM", "").lower() in ("dumb", "unknown")
    width: int | None = 80 if dumb else None
    if width is None:
        for descriptor in (0, 1, 2):  # as rich: the first standard stream that is a terminal
            try:
                width = os.get_terminal_size(descriptor).columns
                break
            except (AttributeError, ValueError, OSError):
                pass
        columns = env.get("COLUMNS")
        if columns is not None and columns.isdigit():
            width = int(columns)
    colour = terminal and not dumb and env.get("NO_COLOR", "") == ""
    return colour, width or 80


def say(parts: Parts) -> None:
    """A message on stdout, as ``out.print`` would show it, without loading rich where it is
    not needed (``_direct_output``): wrapped to the width in a pipe, whole on a terminal."""
    direct = _direct_output()
    if direct is None:
        out.print(_rich_text(parts))
    elif direct[0]:
        sys.stdout.write("".join(f"\x1b[{_SGR[style]}m{piece}\x1b[0m" if style else piece
                                 for piece, style in parts) + "\n")
    else:
        import textwrap

        text = "".join(piece for piece, _ in parts)
        sys.stdout.write("\n".join(textwrap.fill(line, direct[1], break_on_hyphens=False)
                                   for line in text.split("\n")) + "\n")


def print_findings(result: ValidationResult, limit: int = 200) -> None:
    """The findings, one block each, then the counts."""
    direct = _direct_output()
    if direct is None:
        width = max(min(out.width, READABLE_WIDTH), 40)

        def emit(parts: Parts) -> None:
            out.print(_rich_text(parts), soft_wrap=True)
    else:
        colour, columns = direct
        width = max(min(columns, READABLE_WIDTH), 40)

        def emit(parts: Parts) -> None:
            sys.stdout.write("".join(f"\x1b[{_SGR[style]}m{piece}\x1b[0m" if colour and style
                                     else piece for piece, style in parts) + "\n")

    for finding in result.findings[:limit]:
        emit(_block_parts(finding, width))
        emit([])
    if len(result.findings) > limit:
        rest = plural(len(result.findings) - limit, "hallazgo más", "hallazgos más")
        emit([(_wrapped(f"… y {rest} (use --json para verlos todos).", width, ""), None)])
    counts = result.summary
    verdict = "Con errores" if counts["errors"] else "Sin errores"
    line = _wrapped(f"{verdict}: {plural(counts['errors'], 'error')}, "
                    f"{plural(counts['warnings'], 'advertencia')}, "
                    f"{plural(counts['info'], 'informativo')}.", width, "")
    emit([(line[:len(verdict)], "bold red" if counts["errors"] else "bold green"),
          (line[len(verdict):], None)])
    emit([(_wrapped(f"{result.data.definition.name} · corte {result.cutoff:%d-%m-%Y} · "
                    f"{result.source}", width, ""), None)])


def _validate(archivo: Path | None, json_out: bool, fecha_corte: str | None, escribir: bool,
              programa: str | None, sin_respaldo: bool, hoja: str | None = None,
              forzar: bool = False) -> None:
    # Loading the validator makes some 15,000 objects, none in a cycle: the cycle collector,
    # paused meanwhile, would walk them again and again (a few ms of a press).
    collecting = gc.isenabled()
    gc.disable()
    try:
        from addin.actions.validate import validate_file
        from addin.domain.programme import load_programme
    finally:
        if collecting:
            gc.enable()

    if hoja is not None or archivo is None:  # a Google Sheet (sync/cli.py)
        if hoja is None or archivo is not None:
            raise MingaError("Indique un ARCHIVO o --hoja, uno de los dos.",
                             fix="minga validar libro.xlsx  o  minga validar --hoja URL")
        from sync.cli import validate_sheet_command

        validate_sheet_command(hoja, json_out, _date(fecha_corte, "la fecha de corte"),
                               escribir, programa)
    check_readable(archivo)
    cutoff = _date(fecha_corte, "la fecha de corte")
    definition = load_programme(programa) if programa else None
    if forzar and not escribir:
        raise MingaError("--forzar solo sirve junto con --escribir.",
                         fix="Agregue --escribir, o quite --forzar.")
    result, saved = validate_file(archivo, definition, cutoff, write=escribir,
                                  keep_backup=not sin_respaldo, force=forzar)
    if json_out:
        import json  # only here: a press printed for a person needs no JSON encoder

        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_findings(result)
        if escribir:
            out.print(f"Resultados escritos en la hoja «Validación» de {escape(str(archivo))}"
                      + (f" (respaldo: {escape(str(saved.backup))})" if saved and saved.backup
                         else "") + ".")
    if saved and saved.lost:
        _print_saved(saved, backup_line=False)
    raise Exit(result.exit_code)


ValidateFile = Annotated[Path | None, Argument(
    metavar="ARCHIVO", help="Libro .xlsx (también .xls u .ods) a validar.")]
Sheet = Annotated[str | None, Option(
    "--hoja", metavar="CLAVE_O_URL", help="Valida una planilla de Google en vez de un archivo.")]
JsonOut = Annotated[bool, Option("--json", help="Imprime los hallazgos en JSON.")]
Write = Annotated[bool, Option(
    "--escribir", help="Escribe la hoja Validación y marca las celdas en el libro (con "
                       "respaldo).")]
NoBackup = Annotated[bool, Option(
    "--sin-respaldo", help="Con --escribir, no guarda copia del archivo.")]

ProgrammeOpt = Annotated[str | None, Option(
    "--programa", "-p", metavar="PROGRAMA",
    help="Programa; por defecto, el indicado en la hoja Programa.")]


@command("validar", help="Valida un libro contra las reglas de su programa. Salida: 0 sin "
                         "errores, 1 con errores, 2 libro ilegible.")
@handled
def validar(archivo: ValidateFile = None, json_out: JsonOut = False, fecha_corte: Cutoff = None,
            escribir: Write = False, programa: ProgrammeOpt = None,
            sin_respaldo: NoBackup = False, hoja: Sheet = None, forzar: Force = False) -> None:
    _validate(archivo, json_out, fecha_corte, escribir, programa, sin_respaldo, hoja, forzar)


@command("validate", hidden=True, help="Alias de «validar».")
@handled
def validate_en(archivo: ValidateFile = None, json_out: JsonOut = False, fecha_corte: Cutoff = None,
                escribir: Annotated[bool, Option("--escribir", "--write")] = False,
                programa: ProgrammeOpt = None, sin_respaldo: NoBackup = False,
                hoja: Annotated[str | None, Option("--hoja", "--sheet")] = None,
                forzar: Annotated[bool, Option("--forzar", "--force")] = False) -> None:
    _validate(archivo, json_out, fecha_corte, escribir, programa, sin_respaldo, hoja, forzar)


@command("programas", help="Lista los programas incluidos, o exporta uno para editarlo.")
@handled
def programas(
    exportar: Annotated[str | None, Option(
        "--exportar", metavar="PROGRAMA",
        help="Imprime la definición YAML de ese programa.")] = None,
) -> None:
    from addin.domain.programme import builtin_ids, builtin_text, load_programme

    if exportar:
        if exportar not in builtin_ids():
            raise MingaError(f"Programa desconocido: «{exportar}».",
                             fix=f"Use uno de: {', '.join(builtin_ids())}.")
        sys.stdout.write(builtin_text(exportar))
        return
    ids = builtin_ids()
    width = max(len(pid) for pid in ids) + 2
    for pid in ids:  # one line each, never wrapped: it reads the same piped or in a terminal
        d = load_programme(pid)
        extra = [plural(d.calendar.total_months, "mes")] if d.calendar else []
        if d.reports:
            extra.append("informes en " + ", ".join(
                f"mes {d.month_number(a.window.end)}" for a in d.reports))
        line = f"{pid:<{width}}{d.description or d.name}"
        out.print(escape(line + (f" ({'; '.join(extra)})" if extra else "")), soft_wrap=True)
    out.print("\nCree el libro de uno con `minga nuevo --programa PROGRAMA`; exporte su "
              "definición con `minga programas --exportar PROGRAMA`.", soft_wrap=True)


@command("programmes", hidden=True, help="Alias de «programas».")
@handled
def programmes(exportar: Annotated[str | None, Option(
        "--exportar", "--export", metavar="PROGRAMA")] = None) -> None:
    programas(exportar)


@command("demo", help="Crea un libro de demostración con datos realistas y algunos "
                      "errores sembrados, lo valida y muestra los hallazgos.")
@handled
def demo(
    carpeta: Annotated[Path, Option(
        "--carpeta", metavar="CARPETA", help="Carpeta donde dejar el libro.")] = Path("minga-demo"),
) -> None:
    from addin.actions.validate import validate_file
    from addin.demo import CUTOFF, START, build_demo

    make_folder(carpeta)
    output = carpeta / "ecomercado-15m-demo.xlsx"
    t0 = time.perf_counter()
    planted = build_demo(output)
    result, _ = validate_file(output, cutoff=CUTOFF, write=True, keep_backup=False)
    elapsed = time.perf_counter() - t0
    out.print(f"Libro de demostración: [bold]{escape(str(output.resolve()))}[/bold]\n"
              f"Ecomercado de Coronel (Biobío), convenio de 15 meses desde el "
              f"{START:%d-%m-%Y}, validado al {CUTOFF:%d-%m-%Y} con {len(planted)} defectos "
              f"sembrados a propósito ({number(elapsed, 2)} s). Ábralo: la hoja «Validación» "
              "enlaza cada hallazgo con su celda, marcada en color y con una nota.\n")
    print_findings(result)


# The commands declared in other modules, imported only when one of them runs or the help lists
# them all (a «Validar» press imports none): by the names each module registers.
app.lazy.update(dict.fromkeys(("seguimiento", "acta", "excel"), "addin.cli_excel"))
app.lazy.update(dict.fromkeys(("agrupar", "group"), "addin.cli_assembly"))
app.lazy.update(dict.fromkeys(("servir", "sheets"), "sync.cli"))
app.lazy.update(dict.fromkeys(("supervisar", "revisar", "comparar", "tablero"),
                              "addin.supervision.commands"))


@app.callback(invoke_without_command=True)
def _root(version: Annotated[bool, Option("--version", help="Muestra la versión.")]
          = False) -> None:
    if version:
        out.print(f"minga {__version__}")
        raise Exit()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; usage errors are worded here, in Spanish, and exit with code 2."""
    try:
        code = app(sys.argv[1:] if argv is None else argv, prog_name="minga")
    except UsageError as exc:
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            err.print(escape(usage_line(ctx)), soft_wrap=True)
        where = ctx.command_path if ctx is not None else "minga"
        err.print(f"[bold red]Error:[/bold red] {escape(usage_error_text(exc))}\n"
                  f"→ Vea la ayuda con «{escape(where)} --help».", soft_wrap=True)
        sys.exit(2)
    except Exit as exc:
        sys.exit(exc.exit_code)
    except Abort:
        err.print("Cancelado.")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
