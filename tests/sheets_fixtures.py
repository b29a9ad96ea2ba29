"""Fixtures shared by the Google Sheets tests: a local Sheets API server, a client on it.

Google's servers are unreachable here, so gspread's real client code talks HTTP to
``tests/sheets_server.py`` on 127.0.0.1; everything else (gspread, requests, google-auth's
session) is the real thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import gspread
from google.oauth2.credentials import Credentials

from sync.http import MingaHTTPClient
from tests.sheets_server import SheetsServer, running

TOKEN = "token-de-prueba"


@contextmanager
def serving() -> Iterator[SheetsServer]:
    """The local server, accepting only ``TOKEN`` (a test fixture wraps this)."""
    with running() as srv:
        srv.state.token = TOKEN
        yield srv


def make_client(server: SheetsServer, sleeps: list[float] | None = None) -> MingaHTTPClient:
    """A client on the local server; its waits are recorded in ``sleeps``, not slept."""
    http = MingaHTTPClient(Credentials(token=TOKEN), base_url=server.url, seed=7)
    http.sleep = (sleeps.append if sleeps is not None else (lambda _s: None))  # type: ignore
    return http


def new_spreadsheet(server: SheetsServer, title: str = "Ecomercado compartido") -> str:
    """A spreadsheet created through Drive, as a team would create and share one."""
    http = make_client(server)
    client = gspread.Client(None, http_client=lambda _auth, _session: http)  # type: ignore
    return client.create(title).id
