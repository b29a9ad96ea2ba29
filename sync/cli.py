"""``minga sheets subir|bajar`` and ``minga validar --hoja``: thin, over ``sync.actions``.

gspread and google-auth are imported only when a Sheets command runs, so the rest of the
command line starts as fast as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from addin import cli_spanish as typer  # minga's own command layer (Option, Argument, Exit)
from addin.cli import command, err, escape, handled, out
from addin.cli_spanish import HELP_OPTIONS, MingaCommand, MingaGroup
from addin.domain.wording import plural

if TYPE_CHECKING:
    from sync.actions import SyncReport
    from sync.http import MingaHTTPClient

sheets_app = typer.Typer(
    cls=MingaGroup, add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    context_settings={"help_option_names": HELP_OPTIONS},
    help="Google Sheets: sube un libro a una planilla de Google, o la baja a un archivo, sin "
         "perder los cambios de nadie.")

ServiceAccount = Annotated[Path | None, typer.Option(
    "--cuenta-servicio", metavar="CLAVE.json",
    help="Clave JSON de una cuenta de servicio (o la variable MINGA_GOOGLE_CUENTA_SERVICIO).")]
UserCreds = Annotated[Path | None, typer.Option(
    "--usuario", metavar="USUARIO.json",
    help="Credenciales OAuth de usuario autorizado (o la variable MINGA_GOOGLE_USUARIO).")]
Force = Annotated[bool, typer.Option(
    "--forzar", help="Si una celda cambió en los dos lados, gana este comando (y lista lo "
                     "que reemplaza).")]
NoBackup = Annotated[bool, typer.Option(
    "--sin-respaldo", help="No guarda copia del archivo antes de modificarlo.")]


def client(service_account: Path | None, user: Path | None) -> MingaHTTPClient:
    from sync.auth import credentials
    from sync.http import MingaHTTPClient

    return MingaHTTPClient(credentials(service_account, user))


def print_report(report: SyncReport) -> None:
    where = f"https://docs.google.com/spreadsheets/d/{report.key}"
    if report.created:
        out.print(f"Archivo creado desde la planilla: [bold]{escape(str(report.path))}[/bold]")
    if report.new_remote_sheets:
        out.print(f"Hojas creadas en la planilla: {escape(', '.join(report.new_remote_sheets))}",
                  soft_wrap=True)
    if report.new_local_sheets and not report.created:
        out.print(f"Hojas agregadas al archivo: {escape(', '.join(report.new_local_sheets))}",
                  soft_wrap=True)
    out.print(f"Celdas escritas en la planilla: {report.to_remote}; en el archivo: "
              f"{report.to_local}.")
    if report.overwritten:
        winner = "el archivo" if report.direction == "subir" else "la planilla"
        out.print(f"--forzar: ganó {winner} en "
                  f"{plural(len(report.overwritten), 'celda cambiada', 'celdas cambiadas')} "
                  "en los dos lados:")
        for conflict in report.overwritten:
            out.print("  " + escape(conflict.spanish()), soft_wrap=True)
    if report.saved:
        out.print(f"Respaldo del archivo: {escape(str(report.saved))}")
    out.print(f"Planilla: {where} · {plural(report.requests, 'solicitud', 'solicitudes')} a "
              "Google.")


def _conflicts(exc: Exception) -> None:
    from sync.actions import SyncConflicts

    if isinstance(exc, SyncConflicts):
        err.print(f"[bold red]Conflicto:[/bold red] {escape(str(exc))}", soft_wrap=True)
        for conflict in exc.conflicts[:200]:
            err.print("  " + escape(conflict.spanish()), soft_wrap=True)
        if len(exc.conflicts) > 200:
            err.print(f"  … y {len(exc.conflicts) - 200} más.")
        raise typer.Exit(1)
    raise exc


@sheets_app.command("subir", cls=MingaCommand,
                    help="Sube el libro a la planilla de Google (la primera vez, con formato y "
                         "listas desplegables); trae también los cambios hechos en la planilla.")
@handled
def subir(
    archivo: Annotated[Path, typer.Argument(metavar="ARCHIVO", help="Libro .xlsx de minga.")],
    hoja: Annotated[str, typer.Option("--hoja", metavar="CLAVE_O_URL",
                                      help="Dirección o clave de la planilla de Google.")],
    forzar: Force = False, sin_respaldo: NoBackup = False,
    cuenta_servicio: ServiceAccount = None, usuario: UserCreds = None,
) -> None:
    from addin.fileio import check_readable
    from sync.actions import sync
    from sync.auth import spreadsheet_key

    check_readable(archivo)
    key = spreadsheet_key(hoja)
    try:
        report = sync(archivo, key, client(cuenta_servicio, usuario), "subir", force=forzar,
                      keep_backup=not sin_respaldo)
    except Exception as exc:  # conflicts are exit 1; the rest goes to `handled`
        _conflicts(exc)
    print_report(report)


@sheets_app.command("bajar", cls=MingaCommand,
                    help="Baja la planilla de Google al archivo (lo crea desde la plantilla si "
                         "no existe); lleva también a la planilla los cambios del archivo.")
@handled
def bajar(
    hoja: Annotated[str, typer.Argument(metavar="CLAVE_O_URL",
                                        help="Dirección o clave de la planilla de Google.")],
    salida: Annotated[Path, typer.Option("--salida", "-o", metavar="ARCHIVO",
                                         help="Archivo .xlsx a crear o actualizar.")],
    forzar: Force = False, sin_respaldo: NoBackup = False,
    cuenta_servicio: ServiceAccount = None, usuario: UserCreds = None,
) -> None:
    from addin.fileio import check_output_name
    from sync.actions import sync
    from sync.auth import spreadsheet_key

    check_output_name(salida)
    key = spreadsheet_key(hoja)
    try:
        report = sync(salida, key, client(cuenta_servicio, usuario), "bajar", force=forzar,
                      keep_backup=not sin_respaldo)
    except Exception as exc:
        _conflicts(exc)
    print_report(report)


def validate_sheet_command(hoja: str, json_out: bool, cutoff: object, write: bool,
                           programa: str | None, service_account: Path | None = None,
                           user: Path | None = None) -> None:
    """``minga validar --hoja``: the same findings, read from (and written into) a Sheet."""
    import json
    import sys

    from addin.cli import print_findings
    from addin.domain.programme import load_programme
    from sync.actions import validate_sheet
    from sync.auth import spreadsheet_key

    key = spreadsheet_key(hoja)
    definition = load_programme(programa) if programa else None
    http = client(service_account, user)
    result = validate_sheet(key, http, write=write, definition=definition,
                            cutoff=cutoff)  # type: ignore[arg-type]
    if json_out:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_findings(result)
        if write:
            out.print("Resultados escritos en la pestaña «Validación» de la planilla "
                      f"({plural(http.request_count, 'solicitud', 'solicitudes')} a Google).")
    raise typer.Exit(result.exit_code)


@command("servir", help="Sirve el menú «Minga» de Google Sheets: recibe los valores de la "
                        "planilla y devuelve los cambios (clave en la variable MINGA_TOKEN).")
@handled
def servir(
    host: Annotated[str, typer.Option("--host", metavar="DIRECCIÓN",
                                      help="Dirección donde escuchar.")] = "127.0.0.1",
    puerto: Annotated[int, typer.Option("--puerto", metavar="PUERTO",
                                        help="Puerto donde escuchar.")] = 8080,
) -> None:
    try:
        import uvicorn

        from sync.endpoint import create_app
    except ImportError:
        from addin.errors import MingaError

        raise MingaError("Falta FastAPI/uvicorn para servir el menú de Google Sheets.",
                         fix='Instálelos con  pip install "minga[server]".') from None

    app = create_app()  # refuses to start without a token
    out.print(f"minga sirve en http://{host}:{puerto} (Ctrl+C para terminar).")
    uvicorn.run(app, host=host, port=puerto, log_level="info", access_log=False)


from addin.cli import app  # noqa: E402  (registered on first use of `minga sheets`: cli.py)

app.add_group(sheets_app, name="sheets")
