"""validar: the «Validar» button — run the validator on a live workbook and write its results.

The same validator as `minga validar --escribir` (``addin.actions.validate``), over any
backend: the «Validación» sheet is rewritten and the offending cells marked (the previous
run's marks undone first).
"""

from __future__ import annotations

from datetime import date

from addin.actions.validate import ValidationResult, validate, write_findings
from addin.backends.base import Backend
from addin.domain.programme import ProgrammeDefinition
from addin.domain.wording import plural


def validar(backend: Backend, definition: ProgrammeDefinition | None = None,
            cutoff: date | None = None, source: str = "") -> ValidationResult:
    """Validate the workbook behind ``backend`` and write the findings into it."""
    result = validate(backend, definition, cutoff, source=source)
    write_findings(backend, result)
    return result


def resumen(result: ValidationResult) -> str:
    """The verdict, in a few Spanish lines for a message box."""
    counts = result.summary
    verdict = "Con errores" if counts["errors"] else "Sin errores"
    return (f"{verdict}: {plural(counts['errors'], 'error')}, "
            f"{plural(counts['warnings'], 'advertencia')}, "
            f"{plural(counts['info'], 'informativo')} al {result.cutoff:%d-%m-%Y}.\n"
            "Vea la hoja «Validación»: cada hallazgo enlaza a su celda, marcada con color y "
            "nota.")
