"""`minga seguimiento`, `minga acta` and `minga excel instalar|desinstalar` (issue 7)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.demo import build_demo
from addin.excel_install import (
    ADDIN_NAME,
    ADDIN_XLWINGS,
    config_file,
    install,
    startup_folder,
    uninstall,
)
from addin.layouts.acciones import ACTA, NUDOS

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "addin", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=300, env=env, check=False)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.xlsx"
    build_demo(path)
    return path


def test_minga_seguimiento_updates_the_workbook_and_keeps_a_backup(demo):
    done = run("seguimiento", str(demo), cwd=demo.parent)
    assert done.returncode == 0, done.stderr
    assert "Atrasada" in done.stdout and "Respaldo" in done.stdout
    assert NUDOS.es in load_workbook(demo).sheetnames
    assert list(demo.parent.glob("demo.respaldo-*.xlsx"))


@pytest.mark.libreoffice
def test_minga_acta_writes_the_sheet_and_the_pdf(demo):
    pdf = demo.parent / "acta.pdf"
    done = run("acta", str(demo), "--pdf", str(pdf), "--sin-respaldo", cwd=demo.parent)
    assert done.returncode == 0, done.stderr
    assert "$12.741.650" in done.stdout or "bienes por un total" in done.stdout
    assert pdf.read_bytes().startswith(b"%PDF")
    assert ACTA.es in load_workbook(demo).sheetnames


def test_minga_acta_for_an_unknown_organisation_exits_2_in_spanish(demo):
    before = demo.read_bytes()
    done = run("acta", str(demo), "--receptora", "Club Inventado", cwd=demo.parent)
    assert done.returncode == 2
    assert "no está en el catastro" in done.stderr and "Traceback" not in done.stderr
    assert demo.read_bytes() == before


def test_instalar_copies_the_add_in_and_points_xlwings_at_this_python(tmp_path):
    appdata = tmp_path / "AppData" / "Roaming"
    config = config_file(tmp_path)
    config.parent.mkdir(parents=True)
    config.write_text('"LICENSE_KEY","noncommercial"\n"INTERPRETER_WIN","C:/viejo.exe"\n',
                      encoding="utf-8")
    done = install(platform="win32", home=tmp_path, environ={"APPDATA": str(appdata)},
                   interpreter="C:/minga/.venv/Scripts/python.exe")
    target = appdata / "Microsoft" / "Excel" / "XLSTART" / ADDIN_NAME
    assert done.addin == target
    assert target.read_bytes() == (ROOT / "addin" / "excel_addin" / ADDIN_NAME).read_bytes()
    assert config.read_text(encoding="utf-8").splitlines() == [
        '"LICENSE_KEY","noncommercial"', '"INTERPRETER_WIN","C:/minga/.venv/Scripts/python.exe"']

    removed = uninstall(platform="win32", home=tmp_path, environ={"APPDATA": str(appdata)},
                        interpreter="C:/minga/.venv/Scripts/python.exe")
    assert len(removed) == 2 and not target.exists()
    assert config.read_text(encoding="utf-8").splitlines() == ['"LICENSE_KEY","noncommercial"']


def test_macos_startup_folder_is_the_office_group_container(tmp_path):
    folder = startup_folder("darwin", tmp_path, {})
    assert folder == (tmp_path / "Library" / "Group Containers" / "UBF8T346G9.Office" /
                      "User Content" / "Startup" / "Excel")
    done = install(platform="darwin", home=tmp_path, environ={},
                   interpreter="/usr/bin/python3")
    assert '"INTERPRETER_MAC","/usr/bin/python3"' in config_file(tmp_path).read_text()
    # the AppleScript under the name the add-in's VBA calls (AppleScriptTask)
    vba = (ROOT / "macros" / "plantilla" / "quickstart_addin_ribbon.xlam")
    import xlwings

    shipped = sorted(Path(xlwings.__file__).parent.glob("xlwings-*.applescript"))[-1]
    assert done.applescript is not None
    assert done.applescript.read_bytes() == shipped.read_bytes()
    assert done.applescript.name == f"xlwings-{ADDIN_XLWINGS}.applescript"
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(vba))
    code = "".join(c for _, _, n, c in parser.extract_macros() if n.startswith("xlwings"))
    parser.close()
    assert f'XLWINGS_VERSION As String = "{ADDIN_XLWINGS}"' in code
    removed = uninstall(platform="darwin", home=tmp_path, environ={},
                        interpreter="/usr/bin/python3")
    assert not done.applescript.exists() and len(removed) == 3


def test_desinstalar_leaves_an_interpreter_line_the_user_changed(tmp_path):
    env = {"APPDATA": str(tmp_path)}
    install(platform="win32", home=tmp_path, environ=env, interpreter="C:/a/python.exe")
    config = config_file(tmp_path)
    config.write_text('"INTERPRETER_WIN","C:/otro/python.exe"\n', encoding="utf-8")
    uninstall(platform="win32", home=tmp_path, environ=env, interpreter="C:/a/python.exe")
    assert config.read_text(encoding="utf-8") == '"INTERPRETER_WIN","C:/otro/python.exe"\n'


def test_minga_excel_instalar_on_linux_says_it_needs_desktop_excel(tmp_path):
    if sys.platform in ("win32", "darwin"):
        pytest.fail("this test describes a machine without Excel (Linux)")
    done = run("excel", "instalar", cwd=tmp_path)
    assert done.returncode == 2
    assert "Excel de escritorio" in done.stderr and "Traceback" not in done.stderr
