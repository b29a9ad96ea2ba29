"""``minga servir``: the HTTP endpoint behind the «Minga» menu of a Google Sheet.

The Apps Script (``macros/apps-script/minga.gs``) posts the sheet's values; the endpoint runs
the same action as the command line on them (in memory) and answers with the changes, which
the script applies in bulk.  It requires a token (compared in constant time), refuses bodies
over a size limit, runs nothing from the request but minga's own actions, and logs no cell
content: only the action, the counts and the time.
"""

from __future__ import annotations

import hmac
import logging
import os
from datetime import date, datetime
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from addin.actions.populate import populate_gantt, programme_start
from addin.actions.seguimiento import actualizar_seguimiento, resumen
from addin.actions.validate import validate, write_findings
from addin.backends.base import CellValue
from addin.errors import MingaError
from addin.reading import read_workbook
from sync.memory import MemoryBackend, MemorySheet

TOKEN_ENV = "MINGA_TOKEN"
#: The largest body accepted (a 15-month workbook with a thousand rows is well under 2 MB).
MAX_BODY = 8 * 1024 * 1024
MAX_SHEETS = 60
log = logging.getLogger("minga.servir")

Value = str | float | bool | None | dict[str, str]


class SheetIn(BaseModel):
    valores: list[list[Value]] = Field(default_factory=list)
    notas: list[list[str | None]] | None = None
    fondos: list[list[str | None]] | None = None


class ActionIn(BaseModel):
    hojas: dict[str, SheetIn]
    fecha_corte: date | None = None


def decode(value: Value) -> CellValue:
    """A posted cell: dates come as ``{"fecha": "AAAA-MM-DD"}`` (no time-zone guessing)."""
    if isinstance(value, dict):
        text = value.get("fecha") or value.get("fechahora")
        try:
            return (date.fromisoformat(text) if "fecha" in value
                    else datetime.fromisoformat(str(text)))
        except (TypeError, ValueError):
            return str(text)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def encode(value: CellValue) -> Any:
    if isinstance(value, datetime):
        return {"fechahora": value.isoformat(timespec="seconds")}
    if isinstance(value, date):
        return {"fecha": value.isoformat()}
    return value


def _fill(text: str | None) -> str:
    text = (text or "").lstrip("#").upper()
    return text if len(text) == 6 and text != "FFFFFF" else ""


def backend_from(posted: ActionIn) -> MemoryBackend:
    sheets = {}
    for name, sheet in posted.hojas.items():
        s = MemorySheet()
        for r, row in enumerate(sheet.valores):
            for c, value in enumerate(row):
                v = decode(value)
                if v is not None and v != "":
                    s.values[(r, c)] = v
        for r, row in enumerate(sheet.notas or []):
            for c, note in enumerate(row):
                if note:
                    s.notes[(r, c)] = note
        for r, row in enumerate(sheet.fondos or []):
            for c, colour in enumerate(row):
                if _fill(colour):
                    s.fills[(r, c)] = _fill(colour)
        sheets[name] = s
    return MemoryBackend(sheets)


def run(action: str, posted: ActionIn) -> dict[str, Any]:
    backend = backend_from(posted)
    if action == "validar":
        result = validate(backend, cutoff=posted.fecha_corte)
        write_findings(backend, result)
        counts = result.summary
        message = (f"Validación: {counts['errors']} error(es), {counts['warnings']} "
                   f"advertencia(s), {counts['info']} informativo(s). Vea la pestaña "
                   "«Validación».")
    elif action == "gantt":
        definition = read_workbook(backend).definition
        _, start = programme_start(backend)
        if start is None:
            raise MingaError("La hoja Programa no tiene fecha de inicio.", sheet="Programa",
                             fix="Escriba la fecha de inicio del convenio y vuelva a usar "
                                 "Minga › Carta Gantt.")
        done = populate_gantt(backend, definition, start, posted.fecha_corte)
        message = (f"Carta Gantt poblada desde el {start:%d-%m-%Y}: "
                   f"{len(done.changed)} fecha(s) escritas, {len(done.kept)} escritas a mano "
                   "se conservaron.")
    else:  # "seguimiento"
        message = resumen(actualizar_seguimiento(backend, cutoff=posted.fecha_corte))
    return {"mensaje": message, **backend.changes(encode)}


def create_app(token: str | None = None, max_body: int = MAX_BODY) -> FastAPI:
    token = token if token is not None else os.environ.get(TOKEN_ENV, "")
    if len(token) < 16:
        raise MingaError(f"Falta la clave del servidor (variable {TOKEN_ENV}, 16 caracteres o "
                         "más).", fix="Genere una, p. ej. `python3 -c \"import secrets; "
                                      "print(secrets.token_urlsafe(32))\"`, y use la misma en "
                                      "Minga › Configurar de la planilla.")
    app = FastAPI(title="minga", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Any:
        """Token first (nothing is read for a stranger), then the size of the body."""
        if request.url.path.startswith("/acciones/"):
            given = request.headers.get("authorization", "").removeprefix("Bearer ")
            if not hmac.compare_digest(given.encode(), token.encode()):
                return JSONResponse({"detail": "Clave de minga incorrecta o ausente."}, 401)
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_body):
            return JSONResponse({"detail": "La planilla enviada es demasiado grande."}, 413)
        body = await request.body()
        if len(body) > max_body:
            return JSONResponse({"detail": "La planilla enviada es demasiado grande."}, 413)
        return await call_next(request)

    @app.get("/salud")
    def health() -> dict[str, str]:
        return {"estado": "ok"}

    @app.post("/acciones/{accion}")
    def action(accion: Literal["validar", "gantt", "seguimiento"],
               posted: ActionIn) -> JSONResponse:
        if len(posted.hojas) > MAX_SHEETS:
            raise HTTPException(413, "Demasiadas hojas.")
        try:
            answer = run(accion, posted)
        except MingaError as exc:
            log.info("acción %s rechazada", accion)
            return JSONResponse({"detail": str(exc)}, 422)
        log.info("acción %s: %d escritura(s), %d marca(s)", accion, len(answer["valores"]),
                 len(answer["marcas"]))
        return JSONResponse(answer)

    return app
