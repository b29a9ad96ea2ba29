"""What a command loads (issue 13): pressing «Validar» never loads what only writing needs,
and neither the help nor JSON output loads the terminal printer.

Each check runs the real `minga` entry point in a fresh Python process and reports which
modules ended up in ``sys.modules``; loading a module is what costs a button press its time, so
the test is about behaviour, not about timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from addin.demo import build_demo

#: Loaded only to write a workbook (and by openpyxl itself): a read-only validation needs none.
WRITING = ("openpyxl", "et_xmlfile", "xlsxwriter", "addin.backends.openpyxl_backend",
           "addin.backends.xlsxwriter_backend", "addin.actions.build",
           "addin.actions.populate", "addin.actions.marks", "addin.sheets.gantt",
           "addin.sheets.tables", "addin.demo")
#: The formatting vocabulary (``Style``, ``SheetFormat``, ``Mark``…) and the sheet plans built
#: from it: only writing makes them (``addin.backends.base`` hands them out on first use).
FORMATTING = ("addin.backends.formatting", "addin.sheets")
#: Not needed to judge a workbook whose definition is kept: month arithmetic without dateutil
#: (and its calendar), SHA-256 without OpenSSL, the C unpickler without the pickle module, the
#: built-in definitions without importlib.resources, close-match suggestions only for a typo.
NEEDLESS = ("dateutil", "calendar", "hashlib", "_hashlib", "pickle", "importlib.resources",
            "difflib", "decimal")
#: Never needed by minga's commands at all (a data-frame stack would cost a second to load).
NEVER = ("pandas", "numpy", "pyarrow", "lxml", "PIL", "frictionless", "fastexcel", "gspread",
         "google")
#: What reading and judging a workbook needs: the help needs none of it.
#: Only for printing to a terminal: JSON output and the help need none of it.
PRINTING = ("rich",)
VALIDATING = ("python_calamine", "yaml", "addin.domain.programme", "addin.reading",
              "addin.domain.rules", "addin.actions.validate", "defusedxml")
#: Only to read and validate a programme's YAML: a press whose definition is kept validated
#: (``addin.domain.programme._cached``) needs none of it.
DEFINING = ("pydantic", "pydantic_core", "yaml", "addin.domain.yaml_errors")
#: minga parses its own command line (``addin.cli_spanish``): no command loads these.
CLI_LIBRARIES = ("typer", "click")
#: Commands declared outside cli.py, loaded only when one of them runs or the help lists them.
OTHER_COMMANDS = ("addin.cli_excel", "addin.cli_assembly", "sync", "addin.supervision")

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


def loaded(*args: str, cache: Path | None = None) -> dict:
    """Run ``minga ARGS`` in a fresh process: its exit code, what it printed, what it loaded.
    ``cache``: the folder of validated programme definitions it uses."""
    env = None if cache is None else {**os.environ, "MINGA_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          check=True, timeout=120, env=env)
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
    assert [m for m in WRITING + FORMATTING + NEVER + PRINTING if has(run["modules"], m)] == []


def test_validar_escribir_loads_openpyxl_to_write_the_findings(demo: Path) -> None:
    """The probe sees a module when it is loaded: writing does load openpyxl."""
    run = loaded("validar", str(demo), "--escribir", "--sin-respaldo")
    assert run["code"] == 1
    assert has(run["modules"], "openpyxl") and has(run["modules"], "addin.actions.marks")
    assert has(run["modules"], "addin.backends.formatting")


def test_help_loads_no_workbook_library_programme_or_rule() -> None:
    run = loaded("--help")
    assert run["code"] == 0 and "validar" in run["stdout"]
    assert [m for m in WRITING + FORMATTING + NEVER + VALIDATING + PRINTING + DEFINING
            + CLI_LIBRARIES if has(run["modules"], m)] == []


def test_validar_for_a_person_prints_the_findings_without_rich_nor_a_writer(demo: Path) -> None:
    """Findings are plain text with a few colour codes: rich is left for a Windows console."""
    run = loaded("validar", str(demo))
    assert run["code"] == 1 and "Con errores" in run["stdout"]
    assert [m for m in WRITING + FORMATTING + NEVER + PRINTING if has(run["modules"], m)] == []


def test_a_press_with_the_definition_kept_loads_neither_pydantic_nor_yaml(
        demo: Path, tmp_path: Path) -> None:
    """The first press validates the workbook's definition (and the probe sees pydantic load);
    the next ones read it validated: no YAML parser, no pydantic, no CLI library, no printer,
    no other command's module."""
    first = loaded("validar", str(demo), "--json", cache=tmp_path / "cache")
    assert has(first["modules"], "pydantic") and has(first["modules"], "yaml")
    again = loaded("validar", str(demo), "--json", cache=tmp_path / "cache")
    assert again["stdout"] == first["stdout"] and again["code"] == first["code"] == 1
    assert [m for m in DEFINING + CLI_LIBRARIES + PRINTING + WRITING + FORMATTING + NEVER
            + NEEDLESS + OTHER_COMMANDS if has(again["modules"], m)] == []
    assert not has(again["modules"], "textwrap")  # JSON is not wrapped for a terminal


def test_nuevo_loads_no_cli_library_no_printer_and_no_other_command(tmp_path: Path) -> None:
    run = loaded("nuevo", "-p", "ecomercado-15m", "--inicio", "2026-03-02", "-o",
                 str(tmp_path / "libro.xlsx"), cache=tmp_path / "cache")
    assert run["code"] == 0 and "Libro creado" in run["stdout"]
    assert (tmp_path / "libro.xlsx").is_file() and has(run["modules"], "xlsxwriter")
    # A new workbook is written with XlsxWriter: openpyxl (and the numpy it loads when
    # installed) only changes workbooks that exist.
    assert [m for m in CLI_LIBRARIES + PRINTING + OTHER_COMMANDS + NEVER + ("openpyxl",)
            if has(run["modules"], m)] == []


def test_a_command_of_another_module_is_found_when_it_runs(tmp_path: Path) -> None:
    """Registered on first use: `minga revisar --help` loads its module, and only that one."""
    run = loaded("revisar", "--help")
    assert run["code"] == 0 and "Uso: minga revisar [OPCIONES] PROGRAMA" in run["stdout"]
    assert has(run["modules"], "addin.supervision.commands")
    assert [m for m in ("addin.cli_excel", "addin.cli_assembly", "sync")
            if has(run["modules"], m)] == []


def test_every_command_declared_outside_cli_py_is_in_its_table_of_lazy_modules() -> None:
    """`minga X` finds X before its module is loaded only through ``app.lazy``: a command
    added to another module without a line there would be «Comando desconocido»."""
    import inspect

    from addin.cli import app
    from addin.cli_spanish import Group

    app.load_all()
    for name, found in {**app.commands, **app.groups}.items():
        command = next(iter(found.commands.values())) if isinstance(found, Group) else found
        module = inspect.unwrap(command.callback).__module__
        assert module == "addin.cli" or app.lazy.get(name) == module, (name, module)
    assert set(app.lazy) <= set(app.commands) | set(app.groups)


def test_every_formatting_name_is_still_imported_from_the_backend_interface() -> None:
    """``from addin.backends.base import Style`` (some forty modules do) gives the very class
    of ``addin.backends.formatting``, made when first asked for; an unknown name is still an
    ImportError."""
    import addin.backends.base as base
    from addin.backends import formatting

    for name in base._FORMATTING:
        assert getattr(base, name) is getattr(formatting, name)
        assert name in base.__all__ and name in dir(base)
    from addin.backends.base import SheetFormat, Style

    assert SheetFormat().styles == [] and Style(bold=True).bold
    with pytest.raises(ImportError):
        from addin.backends.base import NoSuchClass  # type: ignore[attr-defined] # noqa: F401
