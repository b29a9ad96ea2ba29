"""The «Minga» ribbon add-in (issue 7): addin/excel_addin/minga.xlam is built reproducibly from
macros/, its VBA decodes back to the sources, and every button reaches an existing Sub."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from oletools.olevba import VBA_Parser

import addin
from addin import excel

ROOT = Path(__file__).resolve().parent.parent
MACROS = ROOT / "macros"
XLAM = ROOT / "addin" / "excel_addin" / "minga.xlam"
NS = {"ui": "http://schemas.microsoft.com/office/2006/01/customui"}
LABELS = ["Nuevo", "Carta Gantt", "Seguimiento", "Acta de traspaso", "Validar", "Sincronizar"]

sys.path.insert(0, str(MACROS))
import build_xlam as xlam_build  # noqa: E402


def vba_modules(path: Path) -> dict[str, str]:
    """Module name → source, as olevba (oletools) decodes them (code page 1252)."""
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def subs(source: str) -> dict[str, str]:
    """Sub name → its parameter list."""
    return {m[1]: m[2].strip() for m in re.finditer(
        r"^(?:Public |Private )?Sub (\w+)\(([^)]*)\)", source, re.MULTILINE)}


def ribbon(path: Path) -> ElementTree.Element:
    with zipfile.ZipFile(path) as z:
        return ElementTree.fromstring(z.read("customUI/customUI.xml"))


def test_two_builds_are_byte_identical_and_match_the_committed_add_in(tmp_path):
    first = xlam_build.build(tmp_path / "a.xlam")
    second = xlam_build.build(tmp_path / "b.xlam")
    assert first.read_bytes() == second.read_bytes()
    assert XLAM.read_bytes() == first.read_bytes(), "regenere: python macros/build_xlam.py"


def test_olevba_decodes_the_minga_module_byte_exact_with_its_accents():
    modules = vba_modules(XLAM)
    source = xlam_build.module_source()  # macros/Minga.bas with VBA's CRLF line ends
    assert modules["Minga"].encode("cp1252") == source.encode("cp1252")
    assert "«Minga»" in modules["Minga"] and "botón" in modules["Minga"]
    assert "xlwings" in modules  # RunPython comes with the add-in
    assert "RibbonMyAddin" not in modules  # the quickstart's sample is gone


def test_the_vba_project_is_named_minga_in_the_project_and_dir_streams():
    """[MS-OVBA]: the PROJECT stream's Name="…" and the dir stream's PROJECTNAME record, read
    by olevba's strict parser (which checks every record of the dir stream on the way)."""
    import olefile
    from oletools.olevba import VBA_Project

    with zipfile.ZipFile(XLAM) as z:
        ole = olefile.OleFileIO(z.read("xl/vbaProject.bin"))
    project = VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    assert project.projectname == "Minga"
    text = ole.openstream("PROJECT").read().decode("cp1252")
    assert '\r\nName="Minga"\r\n' in text and "MyAddin" not in text
    # Nothing compiled remembers the old name: the cache header alone, Version 0xFFFF.
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000000")


def test_every_ribbon_button_calls_an_existing_sub_taking_the_ribbon_control():
    source = vba_modules(XLAM)["Minga"]
    declared = subs(source)
    buttons = ribbon(XLAM).findall(".//ui:button", NS)
    assert [b.get("label") for b in buttons] == LABELS
    for button in buttons:
        module, _, name = button.get("onAction").partition(".")
        assert module == "Minga" and declared.get(name) == "control As IRibbonControl", name
        assert button.get("imageMso") and button.get("screentip") and button.get("supertip")


def test_every_sub_runs_an_existing_python_entry_point():
    source = vba_modules(XLAM)["Minga"]
    called = re.findall(r'RunPython "import addin; addin\.(\w+)\(\)"', source)
    assert sorted(called) == sorted(excel.BUTTONS)
    assert all(callable(getattr(addin, name)) for name in called)
    for name, params in subs(source).items():  # button subs take nothing, ribbon ones the
        assert params in ("", "control As IRibbonControl"), name  # control


def test_ribbon_ids_are_unique_and_the_tab_is_minga():
    root = ribbon(XLAM)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    tab = root.find(".//ui:tab", NS)
    assert tab is not None and tab.get("label") == "Minga"


def test_the_builder_refuses_a_module_that_code_page_1252_cannot_hold(monkeypatch, tmp_path):
    bad = tmp_path / "Minga.bas"
    bad.write_text('Attribute VB_Name = "Minga"\n\' ✓ no cabe en 1252\n', encoding="utf-8")
    monkeypatch.setattr(xlam_build, "MODULE", bad)
    with pytest.raises(UnicodeEncodeError):
        xlam_build.build(tmp_path / "x.xlam")


SYSTEM_PYTHON = Path("/usr/bin/python3")  # Debian's, with python3-uno


def uno_inspect(path: Path, filter_name: str = "") -> dict:
    """What LibreOffice sees in ``path`` through UNO (tests/uno_inspect.py)."""
    import json
    import subprocess

    from tests import libreoffice

    libreoffice.require()
    done = subprocess.run([str(SYSTEM_PYTHON), str(ROOT / "tests" / "uno_inspect.py"),
                           str(path), filter_name], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, ("LibreOffice por UNO falló (¿falta "
                                  f"libreoffice-script-provider-python?):\n{done.stderr}")
    return json.loads(done.stdout)


@pytest.mark.libreoffice
def test_libreoffice_loads_the_add_in_and_lists_its_modules():
    seen = uno_inspect(XLAM, "Calc MS Excel 2007 XML")
    # LibreOffice names the Basic library after the VBA project: «Minga», not «MyAddin».
    assert set(seen["modules"]) == {"Standard", "Minga"}, seen["modules"].keys()
    modules = seen["modules"]["Minga"]
    assert {"Minga", "xlwings"} <= set(modules)
    code = modules["Minga"]
    for name in subs((MACROS / "Minga.bas").read_text(encoding="utf-8")):
        assert re.search(rf"Sub {name}\(", code), name
    assert "«Minga»" in code and "español" in code  # accents survive the round trip


# --- the macro-enabled workbooks (.xlsm) ---------------------------------------------------

sys.path.insert(0, str(MACROS))
import build_xlsm as xlsm_build  # noqa: E402

from addin.backends.xlsm_buttons import BUTTONS, has_buttons  # noqa: E402

XLSM = {v: ROOT / "workbooks" / f"{v}.xlsm" for v in ("ecomercado-10m", "ecomercado-15m")}


def test_xlsm_builds_are_byte_identical_and_match_the_committed_ones(tmp_path):
    for variant, committed in XLSM.items():
        first = xlsm_build.build(ROOT / "workbooks" / f"{variant}.xlsx", tmp_path / "a.xlsm")
        second = xlsm_build.build(ROOT / "workbooks" / f"{variant}.xlsx", tmp_path / "b.xlsm")
        assert first.read_bytes() == second.read_bytes()
        assert committed.read_bytes() == first.read_bytes(), "regenere: python macros/build_xlsm.py"


def test_xlsm_carries_the_add_ins_vba_and_every_button_names_an_existing_sub():
    for path in XLSM.values():
        modules = vba_modules(path)
        assert modules["Minga"].encode("cp1252") == xlam_build.module_source().encode("cp1252")
        assert "xlwings" in modules
        declared = subs(modules["Minga"])
        for _, macro in BUTTONS:
            module, _, name = macro.partition(".")
            assert module == "Minga" and declared.get(name) == "", macro


def _linked_buttons(path: Path) -> dict[str, str]:
    """Caption → the Sub each Programa button runs, as LibreOffice resolves the link."""
    seen = uno_inspect(path)
    modules = seen["modules"]["VBAProject"]
    out = {}
    for button in seen["buttons"]:
        assert button["sheet"] == "Programa"
        assert len(button["macros"]) == 1, button  # a missing macro loses its link
        link = re.fullmatch(r"vnd\.sun\.star\.script:VBAProject\.(\w+)\.(\w+)\?language=Basic"
                            r"&location=document", button["macros"][0])
        assert link is not None, button
        assert re.search(rf"Sub {link[2]}\(\)", modules[link[1]]), link[0]
        out[button["label"]] = f"{link[1]}.{link[2]}"
    return out


@pytest.mark.libreoffice
def test_libreoffice_lists_every_button_of_the_xlsm_with_its_macro_link():
    for path in XLSM.values():
        assert _linked_buttons(path) == dict(BUTTONS)


@pytest.mark.libreoffice
def test_buttons_survive_minga_validar_escribir_on_the_xlsm(tmp_path):
    import shutil
    import subprocess

    book = tmp_path / "libro.xlsm"
    shutil.copyfile(XLSM["ecomercado-15m"], book)
    done = subprocess.run([sys.executable, "-m", "addin", "validar", str(book), "--escribir",
                           "--sin-respaldo"], capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode in (0, 1), done.stderr
    assert "Validación" in done.stdout
    assert _linked_buttons(book) == dict(BUTTONS)
    assert "Minga" in vba_modules(book)


def test_minga_puts_back_buttons_a_save_dropped(tmp_path):
    """openpyxl drops modern form controls; a package without minga's buttons gets them back
    when minga saves it, and a workbook without minga's VBA never gets them."""
    from addin.backends.openpyxl_backend import OpenpyxlBackend

    stripped = tmp_path / "sin-botones.xlsm"
    with zipfile.ZipFile(XLSM["ecomercado-10m"]) as source, \
            zipfile.ZipFile(stripped, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet") and b"legacyDrawing" in data:
                data = re.sub(rb"<legacyDrawing[^>]*/>", b"", data)
            target.writestr(info, data)
    assert not has_buttons(stripped.read_bytes())
    backend = OpenpyxlBackend.open(stripped)
    backend.save()
    assert has_buttons(stripped.read_bytes())
    assert "Minga" in vba_modules(stripped)

    # a workbook whose VBA lacks minga's module never gets buttons naming missing macros
    from addin.backends.xlsm_buttons import ensure_buttons

    with zipfile.ZipFile(stripped) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts["xl/vbaProject.bin"] = parts["xl/vbaProject.bin"].replace(
        "Minga".encode("utf-16-le"), "Otros".encode("utf-16-le"))
    foreign = tmp_path / "ajeno.xlsm"
    with zipfile.ZipFile(foreign, "w") as target:
        for name, data in parts.items():
            if name.startswith("xl/worksheets/sheet") and b"legacyDrawing" in data:
                data = re.sub(rb"<legacyDrawing[^>]*/>", b"", data)
            target.writestr(name, data)
    package = foreign.read_bytes()
    assert ensure_buttons(package) == package and not has_buttons(package)
