"""The «Minga» menu inside Google Sheets: ``macros/apps-script/minga.gs`` (issue 8, item 6).

Apps Script cannot run here, so the script is (1) type-checked by TypeScript against
``@types/google-apps-script`` (every SpreadsheetApp/UrlFetchApp call must be a real API), and
(2) run under node against the recording stand-in ``tests/apps_script/standin.js``, fed with
the real answer of ``minga servir`` (FastAPI's test client) for a real workbook.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from addin.demo import build_demo, demo_data
from addin.domain.programme import load_programme
from sync.endpoint import create_app
from tests.test_sheets_endpoint import TOKEN, auth, posted

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "macros" / "apps-script" / "minga.gs"
HARNESS = Path(__file__).resolve().parent / "apps_script"
TSC = HARNESS / "node_modules" / ".bin" / "tsc"
TYPES = HARNESS / "node_modules" / "@types"
CONFIGURED = {"MINGA_URL": "https://minga.ejemplo.cl", "MINGA_CLAVE": TOKEN}


def test_the_typescript_checker_is_installed() -> None:
    """tests/run.sh installs it (npm); missing, it is a broken setup, not a skipped check."""
    assert shutil.which("node"), "falta node (tests/run.sh lo instala con apt)"
    assert TSC.exists() and (TYPES / "google-apps-script").is_dir(), \
        "falta tests/apps_script/node_modules: ejecute tests/run.sh"


def test_minga_gs_type_checks_against_the_apps_script_api(tmp_path: Path) -> None:
    shutil.copy(SCRIPT, tmp_path / "minga.js")  # tsc reads .js; Apps Script stores .gs
    (tmp_path / "tsconfig.json").write_text(json.dumps({"compilerOptions": {
        "allowJs": True, "checkJs": True, "noEmit": True, "strict": True, "target": "es2019",
        "lib": ["es2019"], "types": ["google-apps-script"], "typeRoots": [str(TYPES)]},
        "files": ["minga.js"]}), "utf-8")
    checked = subprocess.run([str(TSC), "-p", str(tmp_path / "tsconfig.json")],
                             capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # And the check bites: a call that is not in the API fails.
    (tmp_path / "minga.js").write_text(SCRIPT.read_text("utf-8").replace(
        ".setValues(filas)", ".setValuez(filas)"), "utf-8")
    broken = subprocess.run([str(TSC), "-p", str(tmp_path / "tsconfig.json")],
                            capture_output=True, text=True, timeout=300)
    assert broken.returncode != 0 and "setValuez" in broken.stdout


def run_script(call: str, sheets: dict[str, Any], fetch: dict[str, Any] | None = None,
               properties: dict[str, str] | None = None,
               prompts: list[str | None] | None = None) -> dict[str, Any]:
    scenario = {"script": str(SCRIPT), "call": call, "sheets": sheets,
                "fetch": fetch or {"status": 500, "body": ""},
                "properties": CONFIGURED if properties is None else properties,
                "prompts": prompts or []}
    done = subprocess.run(["node", str(HARNESS / "standin.js")], input=json.dumps(scenario),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["error"] is None, result["error"]
    return result


def writes(result: dict[str, Any]) -> list[list[Any]]:
    return [c for c in result["calls"] if c[0].startswith("set") and c[0] != "setActiveSheet"]


def test_on_open_adds_the_minga_menu() -> None:
    result = run_script("onOpen", {})
    [(_, menu)] = result["calls"]
    assert menu["name"] == "Minga"
    assert [label for label, _ in menu["items"]][:3] == [
        "Validar", "Actualizar seguimiento", "Carta Gantt"]


@pytest.fixture(scope="module")
def workbook_and_answer(tmp_path_factory: pytest.TempPathFactory
                        ) -> tuple[dict[str, Any], dict[str, Any]]:
    data = demo_data(load_programme("ecomercado-15m"), plant=False)
    data["inventario"][0]["cantidad"] = -2  # INV-02
    path = tmp_path_factory.mktemp("gas") / "libro.xlsx"
    build_demo(path, plant=False, data=data)
    body = posted(path)
    answer = TestClient(create_app(TOKEN)).post("/acciones/validar", json=body, headers=auth())
    assert answer.status_code == 200
    return body, answer.json()


def test_validar_sends_the_sheet_and_applies_the_answer_in_bulk(
        workbook_and_answer: tuple[dict[str, Any], dict[str, Any]]) -> None:
    body, answer = workbook_and_answer
    sheets = {name: {"values": s["valores"]} for name, s in body["hojas"].items()}
    result = run_script("mingaValidar", sheets, {"status": 200, "body": answer})
    [sent] = result["fetches"]
    assert sent["url"] == "https://minga.ejemplo.cl/acciones/validar"
    assert sent["headers"] == {"Authorization": f"Bearer {TOKEN}"}
    assert set(sent["payload"]["hojas"]) == set(body["hojas"])
    inv = sent["payload"]["hojas"]["Inventario"]["valores"]
    assert inv == body["hojas"]["Inventario"]["valores"][:len(inv)]
    done = writes(result)
    assert not [c for c in done if c[0] in ("setValue", "setNote", "setBackground")]
    assert sum(c[0] == "setValues" for c in done) == len(answer["valores"])
    marked = {m["hoja"] for m in answer["marcas"]}
    for kind in ("setNotes", "setBackgrounds"):
        assert sorted(c[1]["sheet"] for c in done if c[0] == kind) == sorted(marked)
    # One read of each kind per sheet, never per cell.
    reads = [c for c in result["calls"] if c[0] in ("getValues", "getNotes", "getBackgrounds")]
    assert len(reads) <= 3 * len(body["hojas"]) + 2 * len(marked)
    mark = next(m for m in answer["marcas"] if m["nota"] and "INV-02" in m["nota"])
    from gspread.utils import a1_to_rowcol

    r, c = a1_to_rowcol(mark["celda"])
    inventory = result["sheets"]["Inventario"]
    assert "INV-02" in inventory["notes"][r - 1][c - 1]
    assert inventory["backgrounds"][r - 1][c - 1] == mark["fondo"]
    validation = result["sheets"]["Validación"]["values"]
    assert any("INV-02" in row for row in validation)
    assert result["sheets"]["minga-registro"]["hidden"]
    assert result["alerts"] == [answer["mensaje"]]


def test_text_from_the_server_is_written_as_text_and_dates_as_dates() -> None:
    answer = {"mensaje": "listo", "hojas_nuevas": [], "limpiar": [], "ocultar": [],
              "activar": None, "marcas": [], "valores": [{"hoja": "Integrantes", "celda": "A2",
                                                          "filas": [["=IMPORTXML(1)",
                                                                     {"fecha": "2026-03-02"},
                                                                     "+569", 5]]}]}
    result = run_script("mingaValidar", {"Integrantes": {"values": [["Nombre"]]}},
                        {"status": 200, "body": answer})
    assert result["sheets"]["Integrantes"]["values"][1] == [
        "'=IMPORTXML(1)", {"fecha": "2026-03-02"}, "'+569", 5]


@pytest.mark.parametrize(("fetch", "message"), [
    ({"status": 401, "body": {"detail": "Clave de minga incorrecta o ausente."}},
     "rechazó la clave"),
    ({"throws": "DNS error: minga.ejemplo.cl"}, "No se pudo conectar con el servidor de minga"),
    ({"status": 422, "body": {"detail": "El libro no tiene la hoja «Programa»."}},
     "no pudo hacerlo: El libro no tiene la hoja «Programa»."),
    ({"status": 502, "body": "<html>Bad gateway</html>"}, "no pudo hacerlo: código 502"),
])
def test_a_refusal_or_an_unreachable_server_is_said_in_spanish_and_nothing_is_written(
        fetch: dict[str, Any], message: str) -> None:
    result = run_script("mingaValidar", {"Programa": {"values": [["Tipo", "x"]]}}, fetch)
    assert len(result["alerts"]) == 1 and message in result["alerts"][0]
    assert writes(result) == []


def test_without_configuration_it_asks_to_configure() -> None:
    result = run_script("mingaCartaGantt", {"Programa": {"values": [["x"]]}}, properties={})
    assert result["fetches"] == [] and "Minga › Configurar" in result["alerts"][0]


def test_configurar_keeps_url_and_token_in_document_properties() -> None:
    saved = run_script("mingaConfigurar", {}, properties={},
                       prompts=["https://minga.ejemplo.cl/ ", "  clave-secreta  "])
    assert saved["properties"] == {"MINGA_URL": "https://minga.ejemplo.cl",
                                   "MINGA_CLAVE": "clave-secreta"}
    assert "clave-secreta" not in " ".join(saved["alerts"])
    plain = run_script("mingaConfigurar", {}, properties={}, prompts=["http://minga.cl"])
    assert plain["properties"] == {} and "https://" in plain["alerts"][0]
