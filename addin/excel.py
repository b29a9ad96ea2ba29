"""The Excel buttons' entry points: ``RunPython "import addin; addin.validar()"`` and friends.

Each one takes the workbook that called it (``xw.Book.caller()``), runs one action through the
xlwings backend (each sheet read once: ``CachedBackend``), and always ends in an Excel message
box, in Spanish: what was done, or what is wrong and how to fix it.  No exception leaves these
functions, so Excel never shows a Python traceback window.  ``book`` is for tests (an
in-memory stand-in) and for calling from Python with a workbook already at hand.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from addin.errors import MingaError

TITLE = "minga"


def _message(exc: BaseException) -> str:
    """An unexpected error, said plainly (the workbook's data are as they were read)."""
    return (f"Error interno de minga ({type(exc).__name__}: {str(exc)[:300]}).\n"
            "→ Repórtelo con el libro y el botón que pulsó. Si el libro quedó a medias, "
            "ciérrelo sin guardar.")


def _run(title: str, action: Callable[[Any], str], book: Any = None) -> str | None:
    """Run ``action(backend)`` on the calling workbook; show its result or error in Excel."""
    caller = book
    try:
        from addin.backends.cache import CachedBackend
        from addin.backends.xlwings_backend import XlwingsBackend

        if caller is None:
            import xlwings as xw  # lazy: only inside Excel

            caller = xw.Book.caller()
        backend = XlwingsBackend(XlwingsBackend.target(caller))
        text = action(CachedBackend(backend))
        backend.alert(text, f"{TITLE}: {title}")
        return text
    except BaseException as exc:  # every error ends in a message box
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            text = "Cancelado."
        elif isinstance(exc, MingaError):
            text = str(exc)
        else:
            text = _message(exc)
        try:
            caller.app.alert(text, f"{TITLE}: {title} — no se pudo", mode="critical")
        except Exception:  # not inside Excel: say it where we can
            print(f"{title}: {text}", file=sys.stderr)
        return None


def carta_gantt(book: Any = None) -> str | None:
    """Botón «Carta Gantt»: fecha la carta Gantt desde la fecha de inicio de Programa."""
    def action(backend: Any) -> str:
        from addin.actions.gantt import generar_carta_gantt, resumen

        return resumen(generar_carta_gantt(backend))

    return _run("Carta Gantt", action, book)


def seguimiento(book: Any = None) -> str | None:
    """Botón «Seguimiento»: atrasos, % de avance en la carta Gantt y nudos críticos."""
    def action(backend: Any) -> str:
        from addin.actions.seguimiento import actualizar_seguimiento, resumen

        return resumen(actualizar_seguimiento(backend))

    return _run("Seguimiento", action, book)


def acta_traspaso(book: Any = None) -> str | None:
    """Botón «Acta de traspaso»: el acta para la organización receptora de Inventario."""
    def action(backend: Any) -> str:
        from addin.actions.acta import (
            acta_sheet,
            export_pdf,
            generar_acta_traspaso,
            recipient_named,
            resumen,
            soffice,
        )

        result = generar_acta_traspaso(backend, recipient_named(backend))
        folder = _folder(backend)
        if folder is not None and soffice() is not None:
            result.pdf = export_pdf(acta_sheet(result.sheet, result.data),
                                    folder / f"acta-traspaso-{_safe(result.data.number)}.pdf")
        return resumen(result)

    return _run("Acta de traspaso", action, book)


def validar(book: Any = None) -> str | None:
    """Botón «Validar»: la hoja Validación y las celdas marcadas."""
    def action(backend: Any) -> str:
        from addin.actions.validar import resumen
        from addin.actions.validar import validar as run

        return resumen(run(backend, source=str(_path(backend) or "")))

    return _run("Validar", action, book)


def nuevo(book: Any = None) -> str | None:
    """Botón «Nuevo»: un libro nuevo del programa (el del libro abierto, o 15 meses), junto
    al libro abierto o en la carpeta personal, y lo abre."""
    def action(backend: Any) -> str:
        from addin.actions.build import build_file
        from addin.domain.programme import load_programme

        programme = "ecomercado-15m"
        try:
            from addin.actions.seguimiento import cutoff_of

            programme = cutoff_of(backend, None)[0].id
        except MingaError:
            pass  # no Programa sheet (a blank workbook): the 15-month convenio
        folder = _folder(backend) or Path.home()
        target = folder / f"{programme}.xlsx"
        n = 2
        while target.exists():
            target = folder / f"{programme}-{n}.xlsx"
            n += 1
        build_file(load_programme(programme), target)
        backend.inner.book.app.books.open(str(target))
        return (f"Libro nuevo: {target}\nEscriba la fecha de inicio en la hoja Programa y "
                "pulse «Carta Gantt».")

    return _run("Nuevo", action, book)


#: Conflicts listed in the message box (a MsgBox shows about a screen of text).
SHOWN_CONFLICTS = 15


def sincronizar(book: Any = None) -> str | None:
    """Botón «Sincronizar»: el libro abierto ⇄ su planilla de Google, sin perder cambios.

    The Sheet is the one ``minga sheets subir`` linked to the saved workbook (its sync state
    beside the file); credentials come from the environment variables ``sync.auth`` reads.
    The workbook is saved at the end (after a backup, when the Sheet brought changes) so the
    file and the sync state agree."""
    def action(backend: Any) -> str:
        from addin.fileio import backup
        from sync.actions import SyncConflicts, sync_open_workbook
        from sync.merge import SyncState

        live = backend.inner
        path = _path(backend)
        if path is None or not path.is_file():
            raise MingaError("El libro no está guardado en el disco, y la sincronización se "
                             "guarda junto al archivo.",
                             fix="Guárdelo como .xlsx (Archivo › Guardar como), enlácelo una vez "
                                 "con «minga sheets subir LIBRO.xlsx --hoja URL» y vuelva a "
                                 "pulsar Sincronizar.")
        key = SyncState.key_of(path)
        http = _sheets_client() if key is not None else None
        saved: list[Path] = []

        def save(changed: bool) -> None:
            if changed:
                saved.append(backup(path))
            try:
                live.book.save()
            except Exception as exc:  # the state stays as it was: the next press settles it
                raise MingaError(
                    f"La planilla de Google y el libro abierto ya tienen los cambios, pero Excel "
                    f"no pudo guardar el libro ({str(exc)[:200]}).",
                    fix="Guárdelo (Archivo › Guardar) y vuelva a pulsar Sincronizar.") from None

        try:
            report = sync_open_workbook(live, path, http, key, save=save)
        except SyncConflicts as exc:
            lines = [c.spanish() for c in exc.conflicts[:SHOWN_CONFLICTS]]
            if len(exc.conflicts) > SHOWN_CONFLICTS:
                lines.append(f"… y {len(exc.conflicts) - SHOWN_CONFLICTS} más.")
            raise MingaError(
                f"{exc.message}\n" + "\n".join(lines),
                fix="Deje en Excel o en la planilla el valor que corresponde y vuelva a pulsar "
                    "Sincronizar (o, con el libro cerrado, «minga sheets subir LIBRO --hoja URL "
                    "--forzar» para que gane el libro).") from None
        text = (f"Sincronizado con https://docs.google.com/spreadsheets/d/{report.key}\n"
                f"Celdas llevadas a la planilla: {report.to_remote}; traídas al libro: "
                f"{report.to_local}.")
        if report.new_local_sheets:
            text += f"\nHojas agregadas al libro: {', '.join(report.new_local_sheets)}."
        if report.new_remote_sheets:
            text += f"\nHojas creadas en la planilla: {', '.join(report.new_remote_sheets)}."
        text += "\nEl libro quedó guardado"
        return text + (f" (respaldo: {saved[0].name})." if saved else ".")

    return _run("Sincronizar", action, book)


def _sheets_client() -> Any:
    """A Sheets client with the credentials of the environment (a button has no options)."""
    from sync.auth import SERVICE_ENV, USER_ENV, credentials
    from sync.http import MingaHTTPClient

    try:
        return MingaHTTPClient(credentials())
    except MingaError as exc:
        if exc.message != "Faltan las credenciales de Google.":
            raise
        raise MingaError(
            "Faltan las credenciales de Google para sincronizar.",
            fix=f"Defina una vez la variable de entorno {SERVICE_ENV} con la ruta de la clave "
                f"JSON de la cuenta de servicio (o {USER_ENV} con sus credenciales de usuario; "
                f"en Windows: setx {SERVICE_ENV} \"C:\\ruta\\clave.json\"), cierre Excel y "
                "vuelva a abrirlo.") from None


def _path(backend: Any) -> Path | None:
    """The calling workbook's file, when it has been saved to disk."""
    name = getattr(getattr(backend, "inner", backend).book, "fullname", "")
    path = Path(name) if name else None
    return path if path is not None and path.is_absolute() else None


def _folder(backend: Any) -> Path | None:
    path = _path(backend)
    return path.parent if path is not None and path.parent.is_dir() else None


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text).strip("-") or "s-n"


#: The buttons, by the name VBA calls (macros/Minga.bas): tested against the VBA sources.
BUTTONS = {"nuevo": nuevo, "carta_gantt": carta_gantt, "seguimiento": seguimiento,
           "acta_traspaso": acta_traspaso, "validar": validar, "sincronizar": sincronizar}
