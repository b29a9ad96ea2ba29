"""The sheets of an indicator matrix (results framework): targets, actuals per period and
territory, disaggregation by sex, components of stated totals.

Seeds: «La Victoria and El Agustino: Alliances for a Circular Economy» (four results
indicators with targets and shares of women, by district) and the Red COMPARTE digital
community (results reported as totals with their breakdowns).
"""

from __future__ import annotations

from addin.layouts import forms
from addin.layouts.ecomercado import VALIDACION
from addin.layouts.model import Column, SheetLayout
from addin.layouts.model import ColumnType as T

COUNT = "#,##0"
SHARE = "0%"
#: How an actual is reported: for its period alone, or as the running total so far.
VALUE_KINDS = ("Del período", "Acumulado")

PROGRAMA_INDICADORES = forms.form(
    "Datos del proyecto", "Project data",
    "Complete los datos del proyecto. Las fechas se escriben día-mes-año.",
    (
        Column("proyecto", "Proyecto", "Project", width=46),
        Column("financiador", "Financiador", "Funder"),
        Column("ejecutor", "Ejecutor(es)", "Executing partners"),
        forms.OPTIONAL_START,
        forms.END,
        forms.CUTOFF,
        # Where the project works and whom it reports to: what tells a supervisor's folder
        # which project a workbook is (seed 001: «the municipalities of La Victoria and El
        # Agustino, in Metropolitan Lima»; seed 003: «11 países de América Latina»).
        Column("region", "Región", "Region", width=24),
        Column("territorio", "Territorio", "Territory", width=30,
               help_es="Distritos, comunas o países donde trabaja el proyecto"),
    ),
)

INDICADORES = SheetLayout(
    key="indicadores", es="Indicadores", en="Indicators", kind="table",
    table_name="Indicadores", tab_color="1F6F8B",
    title_es="Matriz de indicadores de resultado", title_en="Results indicator matrix",
    row_key=("codigo",),
    help_es="Una fila por indicador: meta del proyecto, % de mujeres de la meta y lo logrado. "
            "«Logrado» es el total que se declara; el avance por período y territorio va en "
            "«Avance» y sus partes en «Componentes»: deben sumar este total.",
    columns=(
        Column("codigo", "Código", "Code", required=True, width=8),
        Column("indicador", "Indicador", "Indicator", required=True, width=40),
        Column("unidad", "Unidad", "Unit", width=14),
        Column("linea_base", "Línea base", "Baseline", T.DECIMAL, number_format=COUNT, width=10),
        Column("meta", "Meta del proyecto", "Project target", T.DECIMAL, number_format=COUNT,
               width=11),
        Column("meta_mujeres_pct", "% mujeres (meta)", "% women (target)", T.PERCENT,
               bounds=(0, 1), width=10),
        Column("meta_mujeres", "Meta mujeres", "Women target", T.DECIMAL, number_format=COUNT,
               width=10, formula='=IF(OR({meta}="",{meta_mujeres_pct}=""),"",'
                                 'ROUND({meta}*{meta_mujeres_pct},0))'),
        Column("acumulado", "Se informa acumulado", "Reported cumulative", T.BOOL, width=11,
               help_es="Sí sólo si cada período informa el total acumulado hasta la fecha"),
        Column("logrado", "Logrado (total declarado)", "Achieved (stated total)", T.DECIMAL,
               number_format=COUNT, width=12),
        Column("logrado_mujeres", "Logrado mujeres", "Achieved women", T.DECIMAL,
               number_format=COUNT, width=10),
        Column("pct_meta", "% de la meta", "% of target", T.DECIMAL, number_format=SHARE,
               width=9, formula='=IF(OR({meta}="",{meta}=0,{logrado}=""),"",'
                                '{logrado}/{meta})'),
        Column("pct_mujeres", "% mujeres logrado", "% women achieved", T.DECIMAL,
               number_format=SHARE, width=10,
               formula='=IF(OR({logrado}="",{logrado}=0,{logrado_mujeres}=""),"",'
                       '{logrado_mujeres}/{logrado})'),
        Column("brecha", "Brecha / justificación", "Gap / explanation", width=30,
               help_es="Si no se alcanza la meta o el % de mujeres: cuánto falta y por qué"),
        Column("verificador", "Verificador", "Evidence", width=24),
    ),
)

AVANCE = SheetLayout(
    key="avance", es="Avance", en="Progress", kind="table", table_name="Avance",
    tab_color="2A9D8F",
    title_es="Avance por período y territorio", title_en="Progress by period and territory",
    row_key=("codigo", "periodo", "territorio"),
    help_es="Una fila por indicador, período y territorio. El total es el del período (no el "
            "acumulado), salvo en los indicadores que se informan acumulados. Mujeres + "
            "hombres = total.",
    columns=(
        Column("codigo", "Código del indicador", "Indicator code", required=True, width=10),
        Column("periodo", "Período", "Period", T.CHOICE, required=True, choices_from="periods",
               width=14),
        Column("fin_periodo", "Fin del período", "Period end", T.DATE, width=12),
        Column("territorio", "Territorio", "Territory", T.CHOICE, choices_from="territories",
               width=16),
        Column("meta_periodo", "Meta del período", "Period target", T.DECIMAL,
               number_format=COUNT, width=10),
        Column("total", "Total", "Total", T.DECIMAL, required=True, number_format=COUNT,
               width=10),
        Column("mujeres", "Mujeres", "Women", T.DECIMAL, number_format=COUNT, width=10),
        Column("hombres", "Hombres", "Men", T.DECIMAL, number_format=COUNT, width=10),
        Column("tipo_valor", "Valor", "Value", T.CHOICE, choices=VALUE_KINDS, width=12,
               help_es="Del período (lo normal) o acumulado a la fecha"),
        Column("verificador", "Verificador", "Evidence", width=24),
        Column("observaciones", "Observaciones", "Notes", width=26),
    ),
)

COMPONENTES = SheetLayout(
    key="componentes", es="Componentes", en="Components", kind="table",
    table_name="Componentes", tab_color="E9C46A",
    title_es="Componentes de los totales declarados", title_en="Components of stated totals",
    row_key=("codigo", "componente"),
    help_es="Las partes en que se desglosa el total de un indicador (ej. recursos: artículos, "
            "acciones, eventos, otros). Deben sumar el total declarado en «Indicadores».",
    columns=(
        Column("codigo", "Código del indicador", "Indicator code", required=True, width=10),
        Column("componente", "Componente", "Component", required=True, width=34),
        Column("valor", "Valor", "Value", T.DECIMAL, number_format=COUNT, width=12),
        Column("observaciones", "Observaciones", "Notes", width=30),
    ),
)

INDICATOR_LAYOUTS: tuple[SheetLayout, ...] = (
    PROGRAMA_INDICADORES, INDICADORES, AVANCE, COMPONENTES, VALIDACION,
)
