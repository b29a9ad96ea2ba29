"""What a new workbook of the other programmes starts with, from its definition: one row per
indicator and per stated component, one row per mesa, the announced day of an assembly."""

from __future__ import annotations

from collections.abc import Callable

from addin.backends.base import CellValue
from addin.domain.programme import ProgrammeDefinition

Rows = list[dict[str, CellValue]]


def indicator_rows(definition: ProgrammeDefinition) -> Rows:
    """Indicadores: code, name, unit, baseline, targets; actuals are left to type."""
    return [{"codigo": i.code, "indicador": i.name, "unidad": i.unit,
             "linea_base": i.baseline, "meta": i.target, "meta_mujeres_pct": i.women_share,
             "acumulado": "Sí" if i.cumulative else "No"}
            for i in definition.indicators]


def component_rows(definition: ProgrammeDefinition) -> Rows:
    """Componentes: one row per part the definition says a stated total breaks into."""
    return [{"codigo": i.code, "componente": part}
            for i in definition.indicators for part in i.components]


def mesa_rows(definition: ProgrammeDefinition) -> Rows:
    """Plan de mesas: a row per thematic table, to fill with its needs and plan."""
    mesas = definition.assembly.mesas if definition.assembly else ()
    return [{"mesa": mesa} for mesa in mesas]


#: Table sheets pre-filled from the definition, by layout key.
TABLES: dict[str, Callable[[ProgrammeDefinition], Rows]] = {
    "indicadores": indicator_rows,
    "componentes": component_rows,
    "plan_mesas": mesa_rows,
}


def assembly_form(definition: ProgrammeDefinition) -> dict[str, CellValue]:
    assembly = definition.assembly
    if assembly is None:
        return {}
    return {"nombre": definition.name, "hora_inicio": assembly.day_start,
            "hora_termino": assembly.day_end, "alcance": assembly.reach}


def project_form(definition: ProgrammeDefinition) -> dict[str, CellValue]:
    values: dict[str, CellValue] = {"proyecto": definition.name}
    if definition.savings_fund is not None:
        values["meta_fondo"] = definition.savings_fund.target
    return values


#: First values of the Programa form, by layout set.
FORMS: dict[str, Callable[[ProgrammeDefinition], dict[str, CellValue]]] = {
    "indicadores": project_form,
    "asamblea": assembly_form,
    "ruta": project_form,
}
