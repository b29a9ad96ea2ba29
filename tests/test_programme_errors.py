"""A coordinator's own programme file (``-p mi-programa.yaml``) with mistakes: every message is
Spanish, names the line of the file and the field path counted from 1 (issue 6, item 7)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from addin.domain.programme import builtin_text, load_programme
from addin.errors import MingaError
from addin.fileio import atomic_write, describe_os_error

PYDANTIC_ENGLISH = ("Input should", "Field required", "Extra inputs", "valid integer",
                    "String should", "Value error", "greater than", "less than", "Errno")


def error_of(tmp_path: Path, text: str) -> str:
    path = tmp_path / "mi-programa.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(MingaError) as info:
        load_programme(path)
    message = str(info.value)
    for english in PYDANTIC_ENGLISH:
        assert english not in message, message
    return message


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_overrides_in_a_file_that_extends_point_at_its_own_lines(tmp_path: Path) -> None:
    text = ("extends: ecomercado-15m\n"
            "id: biobio\n"
            "grupo_motor_min_members: cinco\n"
            "activities:\n"
            "  priorizacion:\n"
            "    window: {start: {month: 5, week: 9}, end: {month: primero, week: 4}}\n"
            "    kind: tarea\n")
    message = error_of(tmp_path, text)
    assert "no es válida" in message
    assert ("línea 3, grupo_motor_min_members: debe ser un número entero (dice «cinco»)."
            in message)
    assert ("línea 6, activities.priorizacion.window.start.week: debe ser menor o igual que 5 "
            "(dice «9»)." in message)
    assert ("línea 6, activities.priorizacion.window.end.month: debe ser un número entero o "
            "«last» (dice «primero»)." in message)
    assert "línea 7, activities.priorizacion.kind: debe ser «actividad» o «hito»" in message
    # In the order of the file.
    assert message.index("línea 3") < message.index("línea 6") < message.index("línea 7")


def test_a_whole_file_names_list_items_from_1(tmp_path: Path) -> None:
    text = builtin_text("ecomercado-10m").replace("id: ecomercado-10m", "id: mio", 1)
    lines = text.splitlines()
    first_name = line_of(text, "        name:")  # the first activity's name
    del lines[first_name - 1]
    gm = line_of(text, "grupo_motor_min_members:")
    lines.insert(gm - 1, "grupo_motor_minimo: 3")
    written = "\n".join(lines) + "\n"
    message = error_of(tmp_path, written)
    activity = line_of(written, "      - key:")  # where the first activity begins
    assert (f"línea {activity}, stages[1].activities[1].name: falta este campo, que es "
            "obligatorio." in message)
    assert (f"línea {line_of(written, 'grupo_motor_minimo')}, grupo_motor_minimo: campo "
            "desconocido" in message)


def test_a_bad_pattern_and_a_bad_bound_are_explained(tmp_path: Path) -> None:
    text = builtin_text("ecomercado-10m").replace("id: ecomercado-10m", "id: Mío Programa", 1)
    text = text.replace("execution_months: 8", "execution_months: 0", 1)
    message = error_of(tmp_path, text)
    assert (f"línea {line_of(text, 'id: Mío')}, id: debe llevar solo minúsculas sin tilde"
            in message)
    assert (f"línea {line_of(text, 'execution_months: 0')}, calendar.execution_months: debe "
            "ser mayor o igual que 1 (dice «0»)." in message)


def test_a_whole_definition_check_finds_its_line(tmp_path: Path) -> None:
    text = ("extends: ecomercado-10m\nid: mio\nactivities:\n  proyeccion:\n"
            "    window: {start: {month: 6, week: 1}, end: {month: 12, week: 4}}\n")
    message = error_of(tmp_path, text)
    assert "línea 4: la actividad «proyeccion» usa el mes 12" in message


def test_a_key_written_twice_is_refused_with_both_lines(tmp_path: Path) -> None:
    text = "extends: ecomercado-10m\nid: mio\ngrupo_motor_min_members: 7\nid: otro\n"
    message = error_of(tmp_path, text)
    assert "repite el campo «id» en la línea 4 (ya estaba en la línea 2)" in message


@pytest.mark.parametrize(("text", "line", "says"), [
    ("id: x\ncalendar:\n\texecution_months: 3\n", 3, "¿un tabulador?"),
    ("id: x\nname: Programa: nuevo\n", 2, "comillas alrededor de un texto con «:»"),
    ('id: x\nname: "Programa\n', 2, "antes de cerrar unas comillas"),
    ("id: x\ncalendar: {execution_months: 3\n", 2, "antes de cerrar unas comillas, llaves"),
])
def test_yaml_syntax_errors_are_spanish_with_the_line(tmp_path: Path, text: str, line: int,
                                                      says: str) -> None:
    message = error_of(tmp_path, text)
    assert f"no es YAML válido en la línea {line}," in message
    assert says in message
    assert f"    {line} | " in message  # the line itself is shown
    for english in ("mapping values", "could not find", "while scanning", "found character"):
        assert english not in message


def test_cli_prints_the_programme_error_in_spanish(tmp_path: Path) -> None:
    (tmp_path / "mio.yaml").write_text(
        "extends: ecomercado-15m\nid: mio\nactivities:\n  priorizacion: {kind: tarea}\n", "utf-8")
    result = subprocess.run([sys.executable, "-m", "addin", "nuevo", "-p", "mio.yaml"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "COLUMNS": "200"}, check=False)
    assert result.returncode == 2
    assert "línea 4, activities.priorizacion.kind: debe ser «actividad» o «hito»" in result.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "mio.yaml"]


@pytest.mark.parametrize(("code", "words"), [
    (errno.ENOSPC, "no queda espacio en el disco"),
    (errno.EACCES, "permiso denegado"),
    (errno.ENAMETOOLONG, "el nombre es demasiado largo"),
    (errno.EROFS, "solo lectura"),
])
def test_os_errors_are_told_in_spanish(tmp_path: Path, code: int, words: str) -> None:
    assert words in describe_os_error(OSError(code, os.strerror(code)))

    def fail(_: Path) -> None:
        raise OSError(code, os.strerror(code))

    target = tmp_path / "libro.xlsx"
    with pytest.raises(MingaError) as info:
        atomic_write(target, fail)
    assert words in str(info.value)
    assert os.strerror(code) not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_a_workbook_open_in_excel_on_windows_is_named() -> None:
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = 32  # what Windows reports for a file open in Excel
    assert "abierto en otro programa" in describe_os_error(exc)


@pytest.mark.parametrize("body", ["activities: [1, 2]\n", "activities: {priorizacion: 3}\n",
                                  "stages: 7\n"])
def test_malformed_overrides_in_a_file_that_extends_are_a_spanish_error(
        tmp_path: Path, body: str) -> None:
    message = error_of(tmp_path, "extends: ecomercado-15m\nid: biobio\n" + body)
    assert "«activities»" in message or "«stages»" in message


def test_a_programme_file_that_is_not_utf8_or_is_a_folder_is_named_in_spanish(
        tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: peñalolén\n".encode("latin-1"))
    with pytest.raises(MingaError, match="UTF-8"):
        load_programme(path)
    folder = tmp_path / "carpeta.yaml"
    folder.mkdir()
    with pytest.raises(MingaError, match="es una carpeta") as info:
        load_programme(folder)
    assert "Errno" not in str(info.value)
