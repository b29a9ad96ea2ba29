"""The one chokepoint every Google API request goes through (gspread's ``HTTPClient``).

Here, and only here: the bounded retry of quota and server errors, the request log that
tests and ``--detalle`` count, and the redirection of Google's base URLs to another server
(``MINGA_SHEETS_API``, a local Sheets API stand-in in the tests).  Credentials and request
bodies are never logged: the log keeps method, path and status.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from google.auth.credentials import Credentials
from google.auth.exceptions import GoogleAuthError
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from requests import RequestException, Response, Session

from addin.errors import MingaError

#: Environment variable naming a server that stands in for Google's (tests, proxies).
API_ENV = "MINGA_SHEETS_API"
GOOGLE_BASES = ("https://sheets.googleapis.com", "https://www.googleapis.com")
#: Status codes worth trying again: quota (429) and the server's own errors.
RETRIED = frozenset({429, 500, 502, 503, 504})
#: Reasons Google gives to a 403 that is really a quota error (older API behaviour).
QUOTA_REASONS = ("rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED")


@dataclass(frozen=True)
class Logged:
    """One request as minga remembers it: never its body, never its headers."""

    method: str
    path: str
    status: int


@dataclass
class RetryPolicy:
    """Exponential backoff with jitter, bounded in tries and in the longest single wait.

    ``Retry-After`` (seconds or an HTTP date) is honoured when the server sends it, but never
    beyond ``max_wait``: past that minga gives up with a message rather than hang.
    """

    tries: int = 5
    base: float = 1.0
    max_wait: float = 64.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        backoff = min(self.base * 2 ** attempt, self.max_wait)
        wait = backoff / 2 + rng.uniform(0, backoff / 2)  # "equal jitter"
        if retry_after is not None:
            wait = max(wait, retry_after)
        return min(wait, self.max_wait)


def retry_after(response: Response) -> float | None:
    """Seconds the server asked to wait, from ``Retry-After``; None when absent or unreadable."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def is_quota_error(response: Response) -> bool:
    """Whether a response is one to try again: 429, a 5xx, or a 403 whose reason is a quota."""
    if response.status_code in RETRIED:
        return True
    if response.status_code == 403:
        text = response.text[:2000]
        return any(reason in text for reason in QUOTA_REASONS)
    return False


class MingaHTTPClient(HTTPClient):
    """gspread's HTTP client with bounded retries, a request log and an optional base URL.

    ``base_url`` (or ``MINGA_SHEETS_API``) replaces ``https://sheets.googleapis.com`` and
    ``https://www.googleapis.com`` in every request; only plain ``http://127.0.0.1``-style
    local addresses and https URLs are accepted, so a typo cannot send a token in clear text
    to another host.
    """

    policy = RetryPolicy()
    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def __init__(self, auth: Credentials | None, session: Session | None = None, *,
                 base_url: str | None = None, seed: int | None = None) -> None:
        base = _check_base(base_url if base_url is not None else os.environ.get(API_ENV))
        if base and auth is not None and hasattr(auth, "with_token_uri"):
            auth = auth.with_token_uri(base + "/token")  # Google's token endpoint too
        super().__init__(auth, session)  # type: ignore[arg-type]
        self.base_url = base
        self.log: list[Logged] = []
        self.waits: list[float] = []
        self._rng = random.Random(seed)

    def _url(self, endpoint: str) -> str:
        if self.base_url:
            for base in GOOGLE_BASES:
                if endpoint.startswith(base):
                    return self.base_url + endpoint[len(base):]
        return endpoint

    def request(self, method: str, endpoint: str, params: Any = None, data: bytes | None = None,
                json: Mapping[str, Any] | None = None, files: Any = None,
                headers: MutableMapping[str, str] | None = None) -> Response:
        url = self._url(endpoint)
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        for attempt in range(self.policy.tries):
            try:
                response = self.session.request(method=method, url=url, json=json,
                                                params=params, data=data, files=files,
                                                headers=headers, timeout=self.timeout or 60)
            except GoogleAuthError:
                self.log.append(Logged(method.upper(), "/" + path.split("?")[0], 0))
                raise MingaError(
                    "Google rechazó las credenciales (no se pudo obtener un permiso de acceso).",
                    fix="Revise que la clave o las credenciales de usuario estén vigentes (vea "
                        "«Google Sheets» en el README).") from None
            except RequestException as exc:
                self.log.append(Logged(method.upper(), "/" + path.split("?")[0], 0))
                raise MingaError(
                    f"No se pudo conectar con Google Sheets ({type(exc).__name__}).",
                    fix="Revise la conexión a internet y vuelva a intentarlo.") from None
            self.log.append(Logged(method.upper(), "/" + path.split("?")[0],
                                   response.status_code))
            if response.ok:
                return response
            if not is_quota_error(response) or attempt == self.policy.tries - 1:
                break
            wait = self.policy.delay(attempt, retry_after(response), self._rng)
            self.waits.append(wait)
            self.sleep(wait)
        if is_quota_error(response):
            raise MingaError(
                f"Google Sheets sigue respondiendo «{response.status_code}» (límite de uso o "
                f"falla del servicio) después de {self.policy.tries} intentos.",
                fix="Espere unos minutos y vuelva a ejecutar el comando; nada quedó a medias "
                    "en su archivo.")
        raise APIError(response)

    @property
    def request_count(self) -> int:
        return len(self.log)


def _check_base(url: str | None) -> str | None:
    if not url:
        return None
    url = url.rstrip("/")
    local = url.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]"))
    if not (local or url.startswith("https://")):
        raise MingaError(f"{API_ENV} no es una dirección válida: «{url}».",
                         fix="Use https://… o http://127.0.0.1:PUERTO (sólo local).")
    return url
