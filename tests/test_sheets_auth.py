"""Credentials for Google Sheets, the two ways gspread documents (issue 8, item 5).

A service account's JSON key and an OAuth user's authorised-user JSON, from options or the
environment; the keys are generated here and point their ``token_uri`` at the local server,
so google-auth really signs a JWT (or spends a refresh token) and fetches a token over HTTP.
Nothing secret ever reaches the output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from addin.errors import MingaError
from sync.auth import credentials, spreadsheet_key
from tests.sheets_fixtures import new_spreadsheet, serving
from tests.sheets_server import SheetsServer
from tests.test_sheets_sync import small_workbook


@pytest.fixture
def server() -> Iterator[SheetsServer]:
    with serving() as srv:
        yield srv


def service_account_key(path: Path, token_uri: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "minga-pruebas", "private_key_id": "abc123",
        "private_key": pem, "client_email": "minga@minga-pruebas.iam.gserviceaccount.com",
        "client_id": "1", "token_uri": token_uri}), "utf-8")
    return pem


def _minga(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MINGA_", "GOOGLE_"))}
    return subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True,
                          text=True, env={**clean, **env}, timeout=300)


def test_a_service_account_key_signs_in_and_pushes(server: SheetsServer,
                                                  tmp_path: Path) -> None:
    pem = service_account_key(tmp_path / "clave.json", server.url + "/token")
    book = small_workbook(tmp_path / "libro.xlsx")
    key = new_spreadsheet(server)
    done = _minga({"MINGA_SHEETS_API": server.url}, "sheets", "subir", str(book),
                  "--hoja", key, "--cuenta-servicio", str(tmp_path / "clave.json"))
    assert done.returncode == 0, done.stderr
    assert server.state.grants == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    secret = pem.splitlines()[1]
    assert secret not in done.stdout + done.stderr


def test_oauth_user_credentials_from_the_environment(server: SheetsServer,
                                                     tmp_path: Path) -> None:
    user = tmp_path / "usuario.json"
    user.write_text(json.dumps({"type": "authorized_user", "client_id": "c.apps",
                                "client_secret": "secreto-del-cliente",
                                "refresh_token": "1//token-de-refresco",
                                "token_uri": server.url + "/token"}), "utf-8")
    key = new_spreadsheet(server)
    done = _minga({"MINGA_SHEETS_API": server.url, "MINGA_GOOGLE_USUARIO": str(user)},
                  "sheets", "subir", str(small_workbook(tmp_path / "libro.xlsx")),
                  "--hoja", key)
    assert done.returncode == 0, done.stderr
    assert server.state.grants == ["refresh_token"]
    assert "secreto-del-cliente" not in done.stdout + done.stderr
    assert "token-de-refresco" not in done.stdout + done.stderr


def test_bad_or_missing_credentials_are_a_spanish_message_that_quotes_no_secret(
        tmp_path: Path) -> None:
    broken = tmp_path / "clave.json"
    broken.write_text('{"type": "service_account", "private_key": "-----BEGIN secreto', "utf-8")
    done = _minga({}, "sheets", "subir", str(small_workbook(tmp_path / "l.xlsx")), "--hoja",
                  "1AbCdEfGhIjKlMnOp", "--cuenta-servicio", str(broken))
    assert done.returncode == 2
    assert "no es un JSON legible" in done.stderr and "secreto" not in done.stderr
    none = _minga({}, "sheets", "subir", str(tmp_path / "l.xlsx"), "--hoja", "1AbCdEfGhIjKlMnOp")
    assert none.returncode == 2 and "Faltan las credenciales de Google" in none.stderr
    with pytest.raises(MingaError, match="no es la clave de una cuenta de servicio"):
        other = tmp_path / "otra.json"
        other.write_text('{"type": "authorized_user"}', "utf-8")
        credentials(service_account=other)


def test_the_sheet_is_named_by_its_address_or_its_key() -> None:
    url = "https://docs.google.com/spreadsheets/d/1AbC-dEf_GhIjKlMn/edit#gid=0"
    assert spreadsheet_key(url) == spreadsheet_key("1AbC-dEf_GhIjKlMn") == "1AbC-dEf_GhIjKlMn"
    with pytest.raises(MingaError, match="no es la dirección ni la clave"):
        spreadsheet_key("mi planilla")
