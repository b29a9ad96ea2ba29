"""The local Sheets API server behaves like Google's where Google's own traffic shows it.

gspread recorded real requests and responses against the Sheets and Drive APIs for its test
suite; they are kept beside the repository (``shared/reference/gspread-cassettes``, never
copied in).  Each recording whose requests use only the endpoints minga uses is replayed here,
in order, against the local server over HTTP: same status codes, the same values, and
responses with the same shape (keys, nesting, value types).  And every body the server takes
is checked against Google's discovery document, so a request minga builds wrong fails here as
it would against Google.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tests.sheets_fixtures import TOKEN, serving
from tests.sheets_server import Api, SheetsServer

#: gspread's recordings, beside the repository where minga is developed and tested.
CASSETTES = next((folder / "shared" / "reference" / "gspread-cassettes"
                  for folder in Path(__file__).resolve().parents
                  if (folder / "shared" / "reference" / "gspread-cassettes").is_dir()), None)
#: What minga sends (and what the recordings need to set up state for it).
ENDPOINTS = (
    ("POST", r"/drive/v3/files"), ("DELETE", r"/drive/v3/files/[^/]+"),
    ("GET", r"/v4/spreadsheets/[^/:]+"), ("POST", r"/v4/spreadsheets/[^/:]+:batchUpdate"),
    ("GET", r"/v4/spreadsheets/[^/]+/values:batchGet"),
    ("POST", r"/v4/spreadsheets/[^/]+/values:batchUpdate"),
    ("GET", r"/v4/spreadsheets/[^/]+/values/[^:]+"), ("PUT", r"/v4/spreadsheets/[^/]+/values/.+"),
    ("POST", r"/v4/spreadsheets/[^/]+/values/.+:clear"),
)
#: Response keys Google adds that minga never reads and the local server leaves out.
NOT_MODELLED = {"spreadsheetTheme", "backgroundColorStyle", "foregroundColorStyle",
                "tabColorStyle", "colorStyle", "iconSet", "spreadsheetUrl", "developerMetadata"}


def _path(uri: str) -> str:
    path = urlsplit(uri).path
    return path.removeprefix("/upload") if path.startswith("/upload") else path


def _supported(interaction: dict[str, Any]) -> bool:
    request = interaction["request"]
    path = _path(request["uri"])
    if not any(request["method"] == m and re.fullmatch(p, path) for m, p in ENDPOINTS):
        return False
    if path.endswith(":batchUpdate") and "/values" not in path and request["body"]:
        kinds = {next(iter(r)) for r in json.loads(request["body"]).get("requests", [])}
        return all(hasattr(Api, "do_" + kind) for kind in kinds)
    return True


def recordings() -> list[Path]:
    if CASSETTES is None:
        return []
    chosen = []
    for path in sorted(CASSETTES.glob("*.json")):
        interactions = json.loads(path.read_text("utf-8"))["interactions"]
        if interactions and all(_supported(i) for i in interactions):
            chosen.append(path)
    return chosen


@pytest.mark.skipif(CASSETTES is None, reason="gspread's recordings of Google traffic live "
                    "beside the repository (shared/reference), never copied into it; no package "
                    "registry ships them (gspread's sdist has no tests/cassettes)")
def test_the_recordings_are_beside_the_repository() -> None:
    """Where the reference folder is present, it holds enough recordings to mean something."""
    assert len(recordings()) >= 20


def shape(value: Any) -> Any:
    """Keys and value types, recursively: what a client relies on in a response."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if k not in NOT_MODELLED}
    if isinstance(value, list):
        return [shape(v) for v in value[:1]]
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


@pytest.fixture(scope="module")
def server() -> Iterator[SheetsServer]:
    with serving() as srv:
        yield srv


class Replay:
    """Sends one recording's requests in order, mapping Google's ids to the local server's."""

    def __init__(self, server: SheetsServer) -> None:
        self.server = server
        self.ids: dict[str, str] = {}
        self.sheet_ids: dict[Any, Any] = {}  # sheetId, namedRangeId, protectedRangeId
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {TOKEN}"

    def _ids(self, text: str) -> str:
        for theirs, ours in self.ids.items():
            text = text.replace(theirs, ours)
        return text

    def _sheet_ids(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (self.sheet_ids.get(v, v) if k in ID_KEYS else self._sheet_ids(v))
                    for k, v in value.items()}
        if isinstance(value, list):
            return [self._sheet_ids(v) for v in value]
        return value

    def send(self, interaction: dict[str, Any]) -> tuple[int, Any, Any]:
        request, recorded = interaction["request"], interaction["response"]
        split = urlsplit(request["uri"])
        url = self.server.url + _path(request["uri"]) + ("?" + split.query if split.query
                                                         else "")
        url = self._ids(url)
        key = re.search(r"/spreadsheets/([^/:?]+)", url)
        if recorded["status"]["code"] == 403 and key and \
                key.group(1) not in self.server.state.books:
            self.server.state.private.add(key.group(1))  # someone else's, not shared
        body = json.loads(request["body"]) if request["body"] else None
        if body is not None:
            body = self._sheet_ids(json.loads(self._ids(json.dumps(body))))
        response = self.session.request(request["method"], url, json=body)
        text = recorded["body"]["string"]
        expected = json.loads(text) if text.strip() else None
        got = response.json() if response.content else None
        if isinstance(expected, dict) and expected.get("kind") == "drive#file" and got:
            self.ids[expected["id"]] = got["id"]
        if isinstance(expected, dict) and isinstance(got, dict):
            for theirs, ours in zip(_ids_in(expected.get("replies", [])),
                                    _ids_in(got.get("replies", [])), strict=False):
                self.sheet_ids[theirs] = ours
        return response.status_code, expected, got


ID_KEYS = ("sheetId", "namedRangeId", "protectedRangeId")


def _ids_in(value: Any) -> list[Any]:
    """The ids a reply hands out, in order (each server picks its own)."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in ID_KEYS and not isinstance(v, dict)]
        for k, v in value.items():
            if k != "range":
                found += _ids_in(v)
        return found
    if isinstance(value, list):
        return [x for v in value for x in _ids_in(v)]
    return []


def _normal(value: Any, replay: Replay) -> Any:
    """A response with the ids Google and the server each chose set aside."""
    text = json.dumps(value, ensure_ascii=False)
    for theirs, ours in replay.ids.items():
        text = text.replace(ours, theirs)
    data = json.loads(text)
    back = {ours: theirs for theirs, ours in replay.sheet_ids.items()}

    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: (back.get(x, x) if k == "sheetId" else walk(x)) for k, x in v.items()
                    if k not in ("namedRangeId", "protectedRangeId", "message",
                                 "description")}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(data)


@pytest.mark.parametrize("recording", recordings(), ids=lambda p: p.stem)
def test_recorded_google_traffic_replays_with_the_same_answers(server: SheetsServer,
                                                               recording: Path) -> None:
    replay = Replay(server)
    for n, interaction in enumerate(json.loads(recording.read_text("utf-8"))["interactions"]):
        status, expected, got = replay.send(interaction)
        where = f"{recording.stem} #{n} {interaction['request']['method']} " \
                f"{_path(interaction['request']['uri'])}"
        assert status == interaction["response"]["status"]["code"], (where, got)
        if expected is None:
            continue
        assert shape(got) == shape(expected), where
        if "/values" in where or ":batchUpdate" in where:
            # values and replies exactly (the ids each server chose set aside)
            assert _normal(got, replay) == _normal(expected, Replay(server)), where


def test_a_body_that_does_not_match_the_discovery_document_is_refused(
        server: SheetsServer) -> None:
    """The check that keeps minga honest: a misspelt field is a 400, as at Google."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {TOKEN}"
    key = session.post(server.url + "/drive/v3/files", json={"name": "x"}).json()["id"]
    bad = session.post(f"{server.url}/v4/spreadsheets/{key}:batchUpdate", json={"requests": [
        {"addSheet": {"propertiez": {"title": "Hoja"}}}]})
    assert bad.status_code == 400
    assert 'Unknown name "propertiez"' in bad.json()["error"]["message"]
    wrong_enum = session.post(f"{server.url}/v4/spreadsheets/{key}/values:batchUpdate", json={
        "valueInputOption": "CRUDO", "data": []})
    assert wrong_enum.status_code == 400
    assert server.state.violations  # recorded, so the sync tests can assert there are none
