"""Credentials for Google Sheets, the two ways gspread documents: a service account's JSON
key, or an OAuth user's authorised-user JSON (from ``gcloud``/a first browser login).

Paths come from options or the environment (``MINGA_GOOGLE_CUENTA_SERVICIO``,
``MINGA_GOOGLE_USUARIO``, and gspread's ``GOOGLE_APPLICATION_CREDENTIALS`` as a last
resort).  Messages name the file, never its contents: a key is never printed or logged.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from google.auth.credentials import Credentials

from addin.errors import MingaError

SERVICE_ENV = "MINGA_GOOGLE_CUENTA_SERVICIO"
USER_ENV = "MINGA_GOOGLE_USUARIO"
TOKEN_ENV = "MINGA_GOOGLE_TOKEN"  # an access token as is (local servers, short scripts)
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",
          "https://www.googleapis.com/auth/drive.file")


def _load(path: Path, what: str) -> dict[str, object]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise MingaError(f"No existe el archivo de {what} «{path}».",
                         fix="Revise la ruta (vea «Google Sheets» en el README).") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise MingaError(f"El archivo de {what} «{path}» no es un JSON legible.",
                         fix="Descárguelo de nuevo desde la consola de Google Cloud.") from None
    if not isinstance(data, dict):
        raise MingaError(f"El archivo de {what} «{path}» no tiene el formato esperado.",
                         fix="Descárguelo de nuevo desde la consola de Google Cloud.")
    return data


def credentials(service_account: Path | None = None, user: Path | None = None) -> Credentials:
    """The credentials to use: an option first, then the environment; a Spanish error if none."""
    from google.oauth2 import credentials as user_credentials
    from google.oauth2 import service_account as sa

    service_account = service_account or _env_path(SERVICE_ENV)
    user = user or _env_path(USER_ENV)
    if service_account is None and user is None and os.environ.get(TOKEN_ENV):
        return user_credentials.Credentials(token=os.environ[TOKEN_ENV])
    if service_account is None and user is None:
        service_account = _env_path("GOOGLE_APPLICATION_CREDENTIALS")
    if service_account is not None:
        info = _load(service_account, "cuenta de servicio")
        if info.get("type") != "service_account":
            raise MingaError(f"«{service_account}» no es la clave de una cuenta de servicio.",
                             fix="En Google Cloud: IAM › Cuentas de servicio › Claves › "
                                 "Agregar clave › JSON.")
        try:
            return sa.Credentials.from_service_account_info(info, scopes=SCOPES)
        except (ValueError, KeyError):
            raise MingaError(f"La clave «{service_account}» está incompleta o dañada.",
                             fix="Cree una clave nueva y descárguela otra vez.") from None
    if user is not None:
        info = _load(user, "credenciales de usuario")
        try:
            return user_credentials.Credentials.from_authorized_user_info(info, SCOPES)
        except (ValueError, KeyError):
            raise MingaError(f"«{user}» no son credenciales de usuario autorizadas.",
                             fix="Genérelas con el primer inicio de sesión (vea el README).") \
                from None
    raise MingaError("Faltan las credenciales de Google.",
                     fix=f"Indique --cuenta-servicio CLAVE.json (o la variable {SERVICE_ENV}), "
                         f"o --usuario authorized_user.json (o {USER_ENV}).")


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def spreadsheet_key(key_or_url: str) -> str:
    """The spreadsheet id from an id or a ``…/spreadsheets/d/ID/…`` URL."""
    import re

    text = key_or_url.strip()
    match = re.search(r"/spreadsheets/d/([A-Za-z0-9_-]+)", text)
    if match:
        return match.group(1)
    if re.fullmatch(r"[A-Za-z0-9_-]{10,}", text):
        return text
    raise MingaError(f"«{text[:80]}» no es la dirección ni la clave de una planilla de Google.",
                     fix="Copie la dirección desde el navegador "
                         "(https://docs.google.com/spreadsheets/d/…).")
