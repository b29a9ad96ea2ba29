"""The sheets of a staged roadmap with a community savings fund: the stages as a carta Gantt
with milestones, the fund's ledger, and the monitoring visits.

Seed: Conecta Perú — Modelo de Comercio de Impacto (Ayacucho): compromiso comunitario,
fortalecimiento comercial-empresarial, fondo de ahorro para agua y saneamiento; «la Ruta de
la Sostenibilidad»; visitas de monitoreo.
"""

from __future__ import annotations

from dataclasses import replace

from addin.layouts import forms
from addin.layouts.ecomercado import GANTT, PROGRAMA, VALIDACION
from addin.layouts.model import Column, SheetLayout
from addin.layouts.model import ColumnType as T

AMOUNT = "#,##0.00"

PROGRAMA_RUTA = forms.form(
    "Datos del proyecto", "Project data",
    "Complete los datos del proyecto. Las fechas se escriben día-mes-año; con la fecha de "
    "inicio, `minga poblar` fecha la hoja de ruta.",
    (
        Column("proyecto", "Proyecto", "Project", width=46),
        replace(PROGRAMA.column("ejecutor"), required=False),
        # «comuna» keeps its key: the carta Gantt's subtitle shows it.
        Column("comuna", "Comunidades", "Communities"),
        forms.START,
        forms.END,
        forms.CUTOFF,
        Column("meta_fondo", "Meta del fondo de ahorro", "Savings fund target", T.DECIMAL,
               number_format=AMOUNT),
        # Seed 000: «en la región Ayacucho (Perú)»; with the communities and the executor, what
        # tells a supervisor's folder which project a workbook is.
        Column("region", "Región", "Region"),
    ),
)

#: The fund's running balance: every contribution minus every withdrawal down to this row.
_BALANCE = ('=IF(AND({aporte}="",{retiro}=""),"",SUM($D$4:{aporte})-SUM($E$4:{retiro}))')

FONDO = SheetLayout(
    key="fondo", es="Fondo de ahorro", en="Savings fund", kind="table",
    table_name="FondoAhorro", tab_color="1A5276",
    title_es="Fondo de ahorro comunitario: libro de movimientos",
    title_en="Community savings fund ledger", row_key=("fecha", "asociacion"),
    help_es="Un movimiento por fila, en orden de fecha: aporte o retiro. El saldo se calcula "
            "y nunca queda negativo; un retiro sólo paga el propósito declarado (mejoras de "
            "agua y saneamiento).",
    columns=(
        Column("fecha", "Fecha", "Date", T.DATE, required=True, width=12),
        Column("asociacion", "Asociación", "Association", T.CHOICE,
               choices_from="associations", width=26),
        Column("detalle", "Detalle", "Detail", width=28),
        Column("aporte", "Aporte", "Contribution", T.DECIMAL, number_format=AMOUNT, width=12),
        Column("retiro", "Retiro", "Withdrawal", T.DECIMAL, number_format=AMOUNT, width=12),
        Column("proposito", "Propósito del retiro", "Purpose of withdrawal", T.CHOICE,
               choices_from="purposes", width=30),
        Column("saldo", "Saldo", "Balance", T.DECIMAL, number_format=AMOUNT, width=12,
               formula=_BALANCE),
        Column("verificador", "Verificador", "Evidence", width=22),
    ),
)

MONITOREO = SheetLayout(
    key="monitoreo", es="Monitoreo", en="Monitoring", kind="table", table_name="Monitoreo",
    tab_color="117A65", title_es="Visitas de monitoreo", title_en="Monitoring visits",
    row_key=("fecha", "comunidad"),
    help_es="Una fila por visita a una comunidad: qué se observó del modelo y qué se acordó.",
    columns=(
        Column("fecha", "Fecha", "Date", T.DATE, required=True, width=12),
        Column("comunidad", "Comunidad", "Community", required=True, width=22),
        Column("asociacion", "Asociación", "Association", width=24),
        Column("equipo", "Equipo que visita", "Visiting team", width=20),
        Column("hallazgos", "Hallazgos", "Findings", width=36),
        Column("acuerdos", "Acuerdos", "Agreements", width=30),
        Column("verificador", "Verificador", "Evidence", width=22),
    ),
)

ROADMAP_LAYOUTS: tuple[SheetLayout, ...] = (
    PROGRAMA_RUTA, GANTT, FONDO, MONITOREO, VALIDACION,
)
