"""``minga servir``: the endpoint the «Minga» menu of a Google Sheet calls (issue 8, item 6).

FastAPI's test client for each action and each refusal, then a real uvicorn process on
127.0.0.1 hit over HTTP.  The posted values are those of a real workbook built by minga, as
the Apps Script would send them (dates as ``{"fecha": …}``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from addin.actions.validate import validate_file
from addin.backends.calamine_backend import CalamineBackend
from addin.demo import CUTOFF, build_demo, demo_data
from addin.domain.programme import load_programme
from sync.endpoint import create_app

TOKEN = "clave-del-servidor-de-pruebas-0123"


def posted(path: Path, cutoff: date | None = CUTOFF) -> dict[str, Any]:
    """A workbook's values as the Apps Script posts them."""
    reader = CalamineBackend(path)

    def cell(value: Any) -> Any:
        if isinstance(value, datetime):
            return {"fecha": value.date().isoformat()} if value.time() == datetime.min.time() \
                else {"fechahora": value.isoformat()}
        if isinstance(value, date):
            return {"fecha": value.isoformat()}
        return value

    return {"hojas": {name: {"valores": [[cell(v) for v in row]
                                         for row in reader.read_values(name)]}
                      for name in reader.sheet_names()},
            "fecha_corte": cutoff.isoformat() if cutoff else None}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = demo_data(load_programme("ecomercado-15m"), plant=False)
    data["inventario"][0]["cantidad"] = -2  # INV-02
    path = tmp_path_factory.mktemp("servir") / "libro.xlsx"
    build_demo(path, plant=False, data=data)
    return path


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(TOKEN, max_body=4 * 1024 * 1024))


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_validar_returns_the_validacion_tab_and_the_marks(client: TestClient,
                                                          workbook: Path) -> None:
    answer = client.post("/acciones/validar", json=posted(workbook), headers=auth())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    same, _ = validate_file(workbook, cutoff=CUTOFF)  # the file, validated by the CLI's path
    counts = same.summary
    assert body["mensaje"].startswith(f"Validación: {counts['errors']} error(es), "
                                      f"{counts['warnings']} advertencia(s)")
    assert {m["celda"] for m in body["marcas"] if m["hoja"] == "Inventario"} >= {
        f.cell for f in same.findings if f.sheet == "Inventario"}
    assert {"Validación", "minga-registro"} <= {*body["limpiar"], *body["hojas_nuevas"]}
    assert "minga-registro" in body["ocultar"]
    written = {(w["hoja"], w["celda"]): w["filas"] for w in body["valores"]}
    assert any("INV-02" in row for (sheet, _), rows in written.items()
               if sheet == "Validación" for row in rows)
    [mark] = [m for m in body["marcas"] if m["nota"] and "INV-02" in m["nota"]]
    assert mark["hoja"] == "Inventario" and mark["fondo"] == "#ffc7ce"
    # Runs of cells, never cell by cell: each write covers a run of a row.
    assert len(body["valores"]) < sum(len(r[0]) for r in written.values())


def test_carta_gantt_fills_the_dates_from_the_start(client: TestClient, tmp_path: Path) -> None:
    from addin.actions.build import build_file

    path = build_file(load_programme("ecomercado-10m"), tmp_path / "t.xlsx",
                      start=date(2026, 3, 2))
    body = posted(path, None)
    programa = body["hojas"]["Programa"]["valores"]
    for row in programa:  # forget every date: the endpoint must write them back
        for i, v in enumerate(row):
            if isinstance(v, dict) and row is not programa[0]:
                row[i] = None
    gantt = body["hojas"]["Carta Gantt"]["valores"]
    body["hojas"]["Carta Gantt"]["valores"] = [[None if isinstance(v, dict) else v for v in r]
                                               for r in gantt]
    start_row = next(r for r in programa if r and r[0] and "inicio" in str(r[0]).lower())
    start_row[1] = {"fecha": "2026-03-02"}
    answer = client.post("/acciones/gantt", json=body, headers=auth())
    assert answer.status_code == 200, answer.text
    from gspread.utils import a1_to_rowcol

    written = 0
    for w in answer.json()["valores"]:
        if w["hoja"] != "Carta Gantt":
            continue
        r, c = a1_to_rowcol(w["celda"])
        for k, value in enumerate(w["filas"][0]):
            if isinstance(value, dict):  # the same date `minga nuevo --inicio` wrote there
                assert gantt[r - 1][c - 1 + k] == value, w["celda"]
                written += 1
    assert written > 20


def test_actualizar_seguimiento_answers_what_the_excel_button_does(client: TestClient,
                                                                   tmp_path: Path) -> None:
    """Minga › Actualizar seguimiento in Sheets runs the action of the Excel button on the
    posted values: the same message, the same «Atrasada» cells, the «Nudos críticos» tab."""
    import shutil

    from addin.actions.seguimiento import actualizar_seguimiento, resumen
    from addin.backends.openpyxl_backend import OpenpyxlBackend
    from addin.layouts.acciones import NUDOS

    workbook = tmp_path / "demo.xlsx"
    build_demo(workbook)  # the demo as planted: overdue actions and critical knots
    body = posted(workbook)
    answer = client.post("/acciones/seguimiento", json=body, headers=auth())
    assert answer.status_code == 200, answer.text
    reply = answer.json()

    copy = shutil.copy(workbook, tmp_path / "copia.xlsx")
    expected = actualizar_seguimiento(OpenpyxlBackend.open(copy), cutoff=CUTOFF)
    assert expected.marked_late  # the demo has overdue actions, so the test can fail
    assert reply["mensaje"] == resumen(expected)
    assert NUDOS.es in reply["hojas_nuevas"]
    late = [(w["hoja"], w["celda"]) for w in reply["valores"]
            if w["hoja"].startswith("Seguimiento") and "Atrasada" in w["filas"][0]]
    assert len(late) >= 1


def test_a_missing_or_wrong_token_is_401(client: TestClient, workbook: Path) -> None:
    body = posted(workbook)
    assert client.post("/acciones/validar", json=body).status_code == 401
    wrong = client.post("/acciones/validar", json=body, headers=auth("otra-clave-" * 3))
    assert wrong.status_code == 401 and "Clave de minga" in wrong.json()["detail"]
    # A stranger learns nothing, even about a malformed body.
    assert client.post("/acciones/validar", content=b"{", headers=auth("x")).status_code == 401


def test_an_oversized_body_is_413(client: TestClient) -> None:
    huge = {"hojas": {"Programa": {"valores": [["x" * 1000] * 100] * 50}}}
    answer = client.post("/acciones/validar", json=huge, headers=auth())
    assert answer.status_code == 413


def test_malformed_json_or_shape_is_422(client: TestClient) -> None:
    headers = {**auth(), "Content-Type": "application/json"}
    assert client.post("/acciones/validar", content=b'{"hojas": [', headers=headers
                       ).status_code == 422
    assert client.post("/acciones/validar", json={"hojas": "Programa"}, headers=auth()
                       ).status_code == 422
    not_minga = client.post("/acciones/validar", json={"hojas": {"Hoja 1": {"valores": []}}},
                            headers=auth())
    assert not_minga.status_code == 422 and "Programa" in not_minga.json()["detail"]
    assert client.post("/acciones/borrar", json={"hojas": {}}, headers=auth()
                       ).status_code == 422


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_real_uvicorn_process_serves_the_menu(workbook: Path, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "MINGA_TOKEN": TOKEN}
    log = (tmp_path / "servir.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "addin", "servir", "--puerto", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(url + "/salud", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        body = posted(workbook)
        answer = httpx.post(url + "/acciones/validar", json=body, headers=auth(), timeout=120)
        assert answer.status_code == 200
        assert any("INV-02" in (m["nota"] or "") for m in answer.json()["marcas"])
        assert httpx.post(url + "/acciones/validar", json=body, timeout=60).status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    logged = (tmp_path / "servir.log").read_text("utf-8")
    assert "acción validar" in logged or "minga sirve" in logged
    assert "Inventario" not in logged and TOKEN not in logged  # no sheet content, no token
