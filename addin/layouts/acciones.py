"""Sheets the Excel buttons write (issue 7): the seguimiento summary and the acta de traspaso.

Like «Validación», they are output only: minga rewrites them on each run.
"""

from __future__ import annotations

from addin.layouts.model import Column, SheetLayout
from addin.layouts.model import ColumnType as T

NUDOS = SheetLayout(
    key="nudos_criticos", es="Nudos críticos", en="Critical issues", kind="table",
    table_name="NudosCriticos", tab_color="C00000", output_only=True,
    title_es="Seguimiento: avance de los planes y nudos críticos",
    title_en="Monitoring: plan progress and critical issues",
    help_es="Esta hoja la reescribe «Seguimiento» (minga seguimiento) en cada corrida: no "
            "escriba en ella.",
    columns=(
        Column("plan", "Plan", "Plan", width=22),
        Column("n", "N°", "No.", width=6),
        Column("accion", "Acción", "Action", width=34),
        Column("responsables", "Responsable(s)", "Responsible", width=18),
        Column("fecha_limite", "Fecha límite", "Due date", T.DATE, width=12),
        Column("estado", "Estado", "Status", width=12),
        Column("avance", "% avance", "% done", T.PERCENT, width=9),
        Column("dias_atraso", "Días de atraso", "Days late", T.INTEGER, width=9),
        Column("motivo", "Por qué es nudo crítico", "Why it is critical", width=24),
        Column("nudo", "Observaciones / nudos críticos", "Notes / critical issues", width=34),
        Column("celda", "Celda", "Cell", width=9),
    ),
)

#: The printable acta's sheet (its look lives in ``addin.sheets.acta``: no columns here).
ACTA = SheetLayout(key="acta_traspaso", es="Acta de traspaso", en="Transfer record",
                   kind="form", columns=(), output_only=True, tab_color="375623")
