"""Build a real .xlsx of any programme from its layouts, filled with given rows and form
values, so a test shows its input and validates what a user would have."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from addin.actions.build import write_workbook
from addin.actions.identity import embed_programme
from addin.actions.populate import populate_gantt, write_form_values
from addin.actions.validate import ValidationResult, validate_file
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.domain.programme import ProgrammeDefinition, load_programme
from addin.layouts.sets import form_for

FIRST = 4  # first data row of a table sheet minga builds (title, help, header)


def build(path: Path, programme: str | ProgrammeDefinition,
          data: dict[str, list[dict[str, Any]]] | None = None,
          form: dict[str, Any] | None = None) -> Path:
    definition = load_programme(programme) if isinstance(programme, str) else programme
    backend = OpenpyxlBackend.create(path)
    write_workbook(backend, definition, "es", data)
    embed_programme(backend, definition)
    if form:
        write_form_values(backend, form, form_for(definition))
        if definition.stages and isinstance(form.get("inicio"), date):  # as `minga poblar`
            populate_gantt(backend, definition, form["inicio"])
    backend.save()
    return path


def check(path: Path, programme: str | ProgrammeDefinition,
          data: dict[str, list[dict[str, Any]]] | None = None,
          form: dict[str, Any] | None = None, cutoff: date = date(2026, 6, 30)
          ) -> ValidationResult:
    """Build the workbook, then validate the file as `minga validar` does."""
    build(path, programme, data, form)
    result, _ = validate_file(path, cutoff=cutoff)
    return result


def found(result: ValidationResult) -> list[tuple[str, str, str | None]]:
    """(rule, sheet, cell) of each finding."""
    return [(f.rule, f.sheet, f.cell) for f in result.findings]
