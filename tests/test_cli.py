"""The `minga` command as a user runs it: real process, Spanish messages, exit codes, no
traceback, no partial or modified files."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

MINGA = [sys.executable, "-m", "addin"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([*MINGA, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env, check=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout


def test_nuevo_builds_a_populated_workbook(tmp_path: Path) -> None:
    result = run("nuevo", "--programa", "ecomercado-15m", "--inicio", "2026-03-02",
                 "-o", "ecomercado.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Libro creado" in result.stdout
    ws = load_workbook(tmp_path / "ecomercado.xlsx")["Carta Gantt"]
    first = next(r for r in ws.iter_rows(values_only=True) if r[0] == "1.1")
    assert first[3].date().isoformat() == "2026-04-02"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ecomercado.xlsx"]  # no temp left


def test_new_is_an_alias_and_accepts_day_first_dates(tmp_path: Path) -> None:
    result = run("new", "-p", "ecomercado-10m", "--inicio", "02-03-2026", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ecomercado-10m.xlsx").is_file()


@pytest.mark.parametrize(("args", "message"), [
    (("--programa", "ecomercado-12m"), "Programa desconocido"),
    (("--inicio", "2026-02-30"), "no es una fecha válida"),
    (("--inicio", "mañana"), "no es una fecha válida"),
    (("--fecha-corte", "31/02/2026"), "no es una fecha válida"),
    (("--idioma", "fr"), "Idioma desconocido"),
    (("--programa", "no-existe.yaml"), "No existe el archivo de programa"),
])
def test_bad_arguments_exit_2_in_spanish_without_a_file(tmp_path: Path, args: tuple[str, ...],
                                                        message: str) -> None:
    result = run("nuevo", *args, "-o", "salida.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "→" in result.stderr  # says what to do
    no_traceback(result)
    assert list(tmp_path.iterdir()) == []


def test_existing_output_is_kept_without_sobrescribir(tmp_path: Path) -> None:
    target = tmp_path / "ecomercado.xlsx"
    target.write_bytes(b"trabajo de la coordinadora")
    result = run("nuevo", "-o", str(target), cwd=tmp_path)
    assert result.returncode == 2
    assert "ya existe" in result.stderr and "--sobrescribir" in result.stderr
    assert target.read_bytes() == b"trabajo de la coordinadora"
    result = run("nuevo", "-o", str(target), "--sobrescribir", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert load_workbook(target).sheetnames[0] == "Programa"


@pytest.mark.parametrize("output", ["no/existe/ecomercado.xlsx", "/proc/ecomercado.xlsx", "."])
def test_unwritable_output_exits_2(tmp_path: Path, output: str) -> None:
    result = run("nuevo", "--inicio", "2026-03-02", "-o", output, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Error:" in result.stderr
    no_traceback(result)
    assert list(tmp_path.iterdir()) == []


def test_poblar_dates_a_template_and_keeps_a_backup(tmp_path: Path) -> None:
    assert run("nuevo", "-p", "ecomercado-10m", "-o", "libro.xlsx", cwd=tmp_path).returncode == 0
    before = digest(tmp_path / "libro.xlsx")
    result = run("poblar", "libro.xlsx", "--inicio", "2026-01-05", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "13 actividades" in result.stdout
    backups = list(tmp_path.glob("libro.respaldo-*.xlsx"))
    assert len(backups) == 1 and digest(backups[0]) == before
    wb = load_workbook(tmp_path / "libro.xlsx")
    first = next(r for r in wb["Carta Gantt"].iter_rows(values_only=True) if r[0] == "1.1")
    assert first[3].date().isoformat() == "2026-02-05"


def template_with_start(folder: Path, typed: str) -> tuple[Path, int]:
    """A fresh template whose start date a user typed as text; returns it and the row."""
    assert run("nuevo", "-o", "libro.xlsx", cwd=folder).returncode == 0
    path = folder / "libro.xlsx"
    wb = load_workbook(path)
    ws = wb["Programa"]
    row = next(c.row for c in ws["A"] if c.value == "Fecha de inicio del convenio")
    ws.cell(row=row, column=2, value=typed)
    wb.save(path)
    return path, row


def test_poblar_reads_the_start_date_typed_in_programa(tmp_path: Path) -> None:
    path, _ = template_with_start(tmp_path, "15/03/2026")  # typed as text, day first
    result = run("poblar", str(path), "--sin-respaldo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob("*.respaldo-*"))
    first = next(r for r in load_workbook(path)["Carta Gantt"].iter_rows(values_only=True)
                 if r[0] == "1.1")
    assert first[3].date().isoformat() == "2026-04-15"


def test_poblar_without_a_start_date_names_the_sheet(tmp_path: Path) -> None:
    assert run("nuevo", "-o", "libro.xlsx", cwd=tmp_path).returncode == 0
    before = digest(tmp_path / "libro.xlsx")
    result = run("poblar", "libro.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    assert "Hoja «Programa»" in result.stderr and "--inicio" in result.stderr
    assert digest(tmp_path / "libro.xlsx") == before


def test_poblar_bad_date_in_programa_names_the_cell(tmp_path: Path) -> None:
    path, row = template_with_start(tmp_path, "30-02-2026")
    before = digest(path)
    result = run("poblar", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert f"Hoja «Programa», celda B{row}" in result.stderr
    assert digest(path) == before


@pytest.mark.parametrize("content", [b"esto no es un libro", b"PK\x03\x04roto"])
def test_poblar_on_a_non_workbook_exits_2_and_leaves_it(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "malo.xlsx"
    path.write_bytes(content)
    result = run("poblar", str(path), "--inicio", "2026-03-02", cwd=tmp_path)
    assert result.returncode == 2
    assert "malo.xlsx" in result.stderr
    no_traceback(result)
    assert path.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == ["malo.xlsx"]


def test_poblar_on_a_workbook_without_gantt_rows_exits_2(tmp_path: Path) -> None:
    assert run("nuevo", "-o", "libro.xlsx", cwd=tmp_path).returncode == 0
    path = tmp_path / "libro.xlsx"
    wb = load_workbook(path)
    ws = wb["Carta Gantt"]
    row = next(c.row for c in ws["A"] if c.value == "4.2")
    ws.delete_rows(row)
    wb.save(path)
    result = run("poblar", str(path), "--inicio", "2026-03-02", cwd=tmp_path)
    assert result.returncode == 2
    assert "Hoja «Carta Gantt»" in result.stderr and "4.2" in result.stderr


def test_programas_lists_and_exports(tmp_path: Path) -> None:
    listed = run("programas", cwd=tmp_path)
    assert listed.returncode == 0
    assert "ecomercado-10m" in listed.stdout and "mes 9, mes 11, mes 13" in listed.stdout
    exported = run("programas", "--exportar", "ecomercado-10m", cwd=tmp_path)
    assert exported.returncode == 0
    mine = tmp_path / "mio.yaml"
    mine.write_text(exported.stdout.replace("id: ecomercado-10m", "id: mio"), "utf-8")
    result = run("nuevo", "-p", str(mine), "--inicio", "2026-03-02", "-o", "m.xlsx",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_demo_builds_and_says_where(tmp_path: Path) -> None:
    result = run("demo", "--carpeta", "salida", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ecomercado-15m-demo.xlsx" in result.stdout
    assert (tmp_path / "salida" / "ecomercado-15m-demo.xlsx").is_file()


# --- issue 6, item 7: help and usage errors in Spanish ------------------------------------

ENGLISH = ("Usage", "Options", "Arguments", "Commands", "Show this message", "[default",
           "No such", "Missing", "Try '", "Got unexpected", "requires an argument",
           "does not take", "<str>", "<path>", " TEXT", " PATH", "Error: Invalid")


def no_english(text: str) -> None:
    found = [word for word in ENGLISH if word in text]
    assert not found, f"English in the output: {found}\n{text}"


@pytest.mark.parametrize(("args", "placeholders"), [
    (("--help",), ("COMANDO", "nuevo", "poblar", "validar", "programas", "demo")),
    (("-h",), ("COMANDO",)),
    (("nuevo", "-h"), ("-p, --programa PROGRAMA", "--inicio FECHA", "--fecha-corte FECHA",
                       "-o, --salida ARCHIVO", "--idioma IDIOMA", "[por defecto: es]")),
    (("poblar", "--help"), ("Uso: minga poblar [OPCIONES] ARCHIVO", "Argumentos:",
                            "--inicio FECHA", "-p, --programa PROGRAMA")),
    (("validar", "-h"), ("Uso: minga validar [OPCIONES] ARCHIVO", "--fecha-corte FECHA")),
    (("programas", "-h"), ("--exportar PROGRAMA",)),
    (("demo", "-h"), ("--carpeta CARPETA", "[por defecto: minga-demo]")),
    (("new", "-h"), ("-o, --output, --salida ARCHIVO",)),
])
def test_help_is_spanish_with_named_placeholders(tmp_path: Path, args: tuple[str, ...],
                                                 placeholders: tuple[str, ...]) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Uso: minga")
    assert "Opciones:" in result.stdout
    assert "-h, --help" in result.stdout and "Muestra esta ayuda y termina." in result.stdout
    flowing = " ".join(result.stdout.split())  # help is wrapped to the terminal
    for text in placeholders:
        assert text in flowing
    no_english(result.stdout + result.stderr)


def test_minga_alone_shows_the_spanish_help(tmp_path: Path) -> None:
    result = run(cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("Uso: minga [OPCIONES] COMANDO")
    assert "Comandos:" in result.stdout
    no_english(result.stdout + result.stderr)


@pytest.mark.parametrize(("args", "usage", "message"), [
    (("valdar", "x.xlsx"), "Uso: minga [OPCIONES] COMANDO",
     "Comando desconocido: «valdar». ¿Quiso decir «validar»?"),
    (("--bogus",), "Uso: minga [OPCIONES] COMANDO", "Opción desconocida: «--bogus»."),
    (("nuevo", "--bar"), "Uso: minga nuevo [OPCIONES]", "Opción desconocida: «--bar»."),
    (("nuevo", "--inici", "2026-03-02"), "Uso: minga nuevo [OPCIONES]",
     "Opción desconocida: «--inici». ¿Quiso decir «--inicio»?"),
    (("nuevo", "--inicio"), "Uso: minga nuevo [OPCIONES]",
     "Falta el valor de la opción «--inicio» (escriba «--inicio FECHA»)."),
    (("nuevo", "--sobrescribir=si"), "Uso: minga nuevo [OPCIONES]",
     "La opción «--sobrescribir» no lleva valor."),
    (("poblar",), "Uso: minga poblar [OPCIONES] ARCHIVO", "Falta el argumento ARCHIVO."),
    (("validar", "a.xlsx", "b.xlsx"), "Uso: minga validar [OPCIONES] ARCHIVO",
     "Sobra el argumento «b.xlsx»."),
    (("--version=1",), "Uso: minga [OPCIONES] COMANDO", "La opción «--version» no lleva valor."),
])
def test_usage_errors_are_spanish_and_exit_2(tmp_path: Path, args: tuple[str, ...], usage: str,
                                             message: str) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(usage)
    assert f"Error: {message}" in result.stderr
    assert "→ Vea la ayuda con «minga" in result.stderr
    no_english(result.stdout + result.stderr)
    no_traceback(result)
    assert list(tmp_path.iterdir()) == []


# --- issue 6, item 8: bad arguments are usage errors (exit 2), never «error interno» --------

def test_demo_into_an_existing_file_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notas.txt"
    notes.write_text("mis notas", "utf-8")
    for folder, says in ((notes, "«notas.txt» es un archivo, no una carpeta"),
                         (notes / "sub", "«notas.txt» es un archivo, no una carpeta")):
        result = run("demo", "--carpeta", str(folder.relative_to(tmp_path)), cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert says in result.stderr and "--carpeta" in result.stderr
        no_traceback(result)
    assert notes.read_text("utf-8") == "mis notas"
    assert [p.name for p in tmp_path.iterdir()] == ["notas.txt"]


def test_demo_where_no_folder_can_be_made_is_refused(tmp_path: Path) -> None:
    result = run("demo", "--carpeta", "/proc/minga-demo", cwd=tmp_path)  # even root cannot
    assert result.returncode == 2, result.stderr
    assert "No se puede crear la carpeta «/proc/minga-demo»" in result.stderr
    assert "interno" not in result.stderr
    no_english(result.stderr)


@pytest.mark.parametrize("name", ["x.csv", "x", "libro.xlsm", "libro.xls", "libro.ods"])
def test_nuevo_refuses_an_output_it_cannot_write(tmp_path: Path, name: str) -> None:
    result = run("nuevo", "-o", name, cwd=tmp_path)
    assert result.returncode == 2
    assert "minga solo escribe libros .xlsx" in result.stderr
    assert f"-o {Path(name).stem}.xlsx" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_nuevo_accepts_an_upper_case_extension(tmp_path: Path) -> None:
    result = run("nuevo", "-o", "LIBRO.XLSX", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert load_workbook(tmp_path / "LIBRO.XLSX").sheetnames[0] == "Programa"


@pytest.mark.parametrize("command", ["poblar", "validar"])
def test_a_folder_is_not_a_workbook(tmp_path: Path, command: str) -> None:
    (tmp_path / "carpeta").mkdir()
    result = run(command, "carpeta", cwd=tmp_path)
    assert result.returncode == 2
    assert "«carpeta» es una carpeta, no un libro" in result.stderr
    assert "no existe" not in result.stderr.lower()


@pytest.mark.parametrize("args", [
    ("nuevo", "-o", "a" * 300 + ".xlsx"),
    ("validar", "a" * 300 + ".xlsx"),
    ("poblar", "a" * 300 + ".xlsx"),
    ("nuevo", "-o", "/proc/ecomercado.xlsx"),
])
def test_os_errors_are_spanish_usage_errors(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "interno" not in result.stderr
    assert "Errno" not in result.stderr
    no_english(result.stderr)
    for english in ("File name too long", "No such file", "Permission denied"):
        assert english not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_nuevo_fecha_corte_without_inicio_is_written_into_the_template(tmp_path: Path) -> None:
    """A template has no dates to populate, but the cut-off asked for is kept, not ignored."""
    result = run("nuevo", "--fecha-corte", "20-05-2026", "-o", "libro.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "fecha de corte 20-05-2026 escrita en la hoja Programa" in result.stdout
    ws = load_workbook(tmp_path / "libro.xlsx")["Programa"]
    row = next(c.row for c in ws["A"] if c.value == "Fecha de corte")
    assert ws.cell(row=row, column=2).value.date().isoformat() == "2026-05-20"
    start = next(c.row for c in ws["A"] if c.value == "Fecha de inicio del convenio")
    assert ws.cell(row=start, column=2).value is None  # still a template


def test_entry_messages_write_bounds_as_a_chilean_reader_does(tmp_path: Path) -> None:
    """Excel's message on a bad entry says «entre 1 y 1.000.000.000», never «1e+09»."""
    assert run("nuevo", "-o", "libro.xlsx", cwd=tmp_path).returncode == 0
    wb = load_workbook(tmp_path / "libro.xlsx")
    errors = {dv.error for ws in wb.worksheets for dv in ws.data_validations.dataValidation
              if dv.error}
    assert "«Cantidad» debe ser un número entre 1 y 1.000.000.000." in errors
    assert any("entre 0% y 100%" in e for e in errors)
    assert not [e for e in errors if "e+" in e]


def test_programas_piped_is_plain_text(tmp_path: Path) -> None:
    listed = run("programas", cwd=tmp_path)
    assert listed.returncode == 0
    assert not [ch for ch in listed.stdout if 0x2500 <= ord(ch) <= 0x257F]  # no box drawing
    assert "\x1b[" not in listed.stdout
