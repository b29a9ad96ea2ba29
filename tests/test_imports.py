"""What a command loads (issue 13): pressing «Validar» never loads what only writing needs,
and neither the help nor JSON output loads the terminal printer.

Each check runs the real `minga` entry point in a fresh Python process and reports which
modules ended up in ``sys.modules``; loading a module is what costs a button press its time, so
the test is about behaviour, not about timing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from addin.demo import build_demo

#: Loaded only to write a workbook (and by openpyxl itself): a read-only validation needs none.
WRITING = ("openpyxl", "et_xmlfile", "addin.backends.openpyxl_backend", "addin.actions.build",
           "addin.actions.populate", "addin.actions.marks", "addin.sheets.gantt",
           "addin.sheets.tables", "addin.demo")
#: Never needed by minga's commands at all (a data-frame stack would cost a second to load).
NEVER = ("pandas", "numpy", "pyarrow", "lxml", "PIL", "frictionless", "fastexcel", "gspread",
         "google")
#: What reading and judging a workbook needs: the help needs none of it.
#: Only for printing to a terminal: JSON output and the help need none of it.
PRINTING = ("rich",)
VALIDATING = ("python_calamine", "yaml", "addin.domain.programme", "addin.reading",
              "addin.domain.rules", "addin.actions.validate", "defusedxml")

PROBE = """
import contextlib, io, json, sys
from addin.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "stdout": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def loaded(*args: str) -> dict:
    """Run ``minga ARGS`` in a fresh process: its exit code, what it printed, what it loaded."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          check=True, timeout=120)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def has(modules: list[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("imports") / "demo.xlsx"
    build_demo(path)
    return path


def test_validar_without_escribir_never_loads_openpyxl_nor_the_builders(demo: Path) -> None:
    run = loaded("validar", str(demo), "--json")
    assert run["code"] == 1 and json.loads(run["stdout"])["summary"]["errors"] > 0  # it judged
    assert has(run["modules"], "python_calamine")
    assert [m for m in WRITING + NEVER + PRINTING if has(run["modules"], m)] == []


def test_validar_escribir_loads_openpyxl_to_write_the_findings(demo: Path) -> None:
    """The probe sees a module when it is loaded: writing does load openpyxl."""
    run = loaded("validar", str(demo), "--escribir", "--sin-respaldo")
    assert run["code"] == 1
    assert has(run["modules"], "openpyxl") and has(run["modules"], "addin.actions.marks")


def test_help_loads_no_workbook_library_programme_or_rule() -> None:
    run = loaded("--help")
    assert run["code"] == 0 and "validar" in run["stdout"]
    assert [m for m in WRITING + NEVER + VALIDATING + PRINTING + ("pydantic",)
            if has(run["modules"], m)] == []


def test_validar_for_a_person_prints_the_findings_without_rich_nor_a_writer(demo: Path) -> None:
    """Findings are plain text with a few colour codes: rich is left for a Windows console."""
    run = loaded("validar", str(demo))
    assert run["code"] == 1 and "Con errores" in run["stdout"]
    assert [m for m in WRITING + NEVER + PRINTING if has(run["modules"], m)] == []
