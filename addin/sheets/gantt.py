"""The carta Gantt: stages and activities on the left, one column per week, bars drawn by
conditional formats from each row's dates so they redraw wherever the file is opened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from addin.backends.base import (
    ConditionalRule,
    Formula,
    Note,
    PrintSetup,
    Style,
    Styled,
    Validation,
)
from addin.domain.programme import PHASE_LABELS, ActivityKind, Phase, ProgrammeDefinition
from addin.domain.schedule import describe_window
from addin.layouts.ecomercado import GANTT
from addin.layouts.model import Lang, column_letter
from addin.sheets.palette import (
    BAR,
    DARK,
    HEADER_TEXT,
    HELP,
    LIGHT,
    MARKER,
    MARKER_HEADER,
    MILESTONE,
    PHASE_FILL,
    PROGRESS,
    STAGE_BAR,
    TITLE,
)
from addin.sheets.plans import SheetPlan, cell, workbook_name
from addin.sheets.tables import column_formula

PHASE_ROW, MONTH_ROW, MONTH_DATE_ROW, WEEK_END_ROW = 5, 6, 7, 8
START_CELL = "$D$3"  # the convenio's start date as the Gantt sees it
REFERENCE_CELL = "$D$4"  # the cut-off date, or today


@dataclass(frozen=True)
class GanttGeometry:
    """Where things are on the Gantt sheet, shared by the builder and by tests."""

    left: int  # number of left-block columns (before the weeks)
    weeks: int
    header_row: int
    first_row: int
    last_row: int

    @property
    def first_week_col(self) -> int:  # 0-based
        return self.left

    @property
    def last_week_col(self) -> int:
        return self.left + self.weeks - 1

    def week_range(self, first_row: int, last_row: int) -> str:
        return (f"{column_letter(self.first_week_col)}{first_row}:"
                f"{column_letter(self.last_week_col)}{last_row}")


def gantt_sheet(definition: ProgrammeDefinition, lang: Lang) -> tuple[SheetPlan, GanttGeometry]:
    layout = GANTT
    cal = definition.calendar
    plan = SheetPlan(layout.name(lang))
    left = len(layout.columns)
    header = layout.header_row
    col = {c.key: layout.index(c.key) for c in layout.columns}
    letter = {k: column_letter(v) for k, v in col.items()}
    nrows = sum(1 + len(s.activities) for s in definition.stages)
    geo = GanttGeometry(left, cal.total_weeks, header, header + 1, header + nrows)
    fmt = plan.fmt

    # Title block.
    plan.put(1, 1, layout.title(lang))
    ejecutor, comuna = workbook_name("ejecutor"), workbook_name("comuna")
    inicio, corte = workbook_name("inicio"), workbook_name("fecha_corte")
    plan.put(2, 1, Formula(f'="{definition.name}"&IF({ejecutor}="","",'
                           f'" · Ejecutor: "&{ejecutor})&IF({comuna}="","",'
                           f'" · Comuna: "&{comuna})'))
    plan.put(3, 1, "Inicio del convenio:")
    plan.put(3, col["inicio"] + 1, Formula(f'=IF({inicio}="","",{inicio})'))
    plan.put(4, 1, "Fecha de corte (vacía: hoy):")
    plan.put(4, col["inicio"] + 1, Formula(f'=IF({corte}="",TODAY(),{corte})'))
    fmt.merges += ["A1:H1", "A2:H2", "A3:C3", "A4:C4"]
    fmt.styles += [
        Styled("A1:H1", Style(bold=True, size=16, font_color=TITLE)),
        Styled("A2:H2", Style(italic=True, font_color=HELP)),
        Styled("A3:C4", Style(bold=True, h_align="right")),
        Styled("D3:E4", Style(number_format="dd-mm-yyyy", bold=True, h_align="left")),
    ]
    # Legend, to the right of the title.
    legend = [(BAR, "Planificado"), (PROGRESS, "Avance (% realizado)"),
              (STAGE_BAR, "Etapa"), (MILESTONE, "Informe / hito"),
              (MARKER_HEADER, "Semana de la fecha de corte")]
    for i, (colour, text) in enumerate(legend):
        c = geo.first_week_col + i * 8
        plan.put(3, c + 2, text)
        fmt.styles.append(Styled(cell(c, 3), Style(fill=colour, border="thin")))

    # Calendar header: phases, months, month dates, week ends (hidden), week starts.
    weeks_per_month = cal.weeks_per_month
    for month in range(1, cal.total_months + 1):
        c0 = geo.first_week_col + (month - 1) * weeks_per_month
        c1 = c0 + weeks_per_month - 1
        phase = cal.phase_of(month)
        in_phase = month - {Phase.START: 0, Phase.EXECUTION: cal.start_months,
                            Phase.CLOSING: cal.start_months + cal.execution_months}[phase]
        label = {Phase.START: "Inicio", Phase.EXECUTION: "Mes", Phase.CLOSING: "Cierre"}[phase]
        alone = phase is not Phase.EXECUTION and (
            cal.start_months if phase is Phase.START else cal.closing_months) == 1
        plan.put(MONTH_ROW, c0 + 1, label if alone else f"{label} {in_phase}")
        plan.put(MONTH_DATE_ROW, c0 + 1, Formula(
            f'=IF({START_CELL}="","",EDATE({START_CELL},{month - 1}))'))
        fmt.merges += [f"{cell(c0, MONTH_ROW)}:{cell(c1, MONTH_ROW)}",
                       f"{cell(c0, MONTH_DATE_ROW)}:{cell(c1, MONTH_DATE_ROW)}"]
        fill = PHASE_FILL[phase]
        fmt.styles += [
            Styled(f"{cell(c0, MONTH_ROW)}:{cell(c1, MONTH_DATE_ROW)}",
                   Style(fill=fill, bold=True, h_align="center", border="thin", size=9,
                         number_format="mmm-yy")),
        ]
        for q in range(weeks_per_month):
            c = c0 + q
            plan.put(header, c + 1, Formula(
                f'=IF({START_CELL}="","",EDATE({START_CELL},{month - 1})+INT({q}*'
                f'(EDATE({START_CELL},{month})-EDATE({START_CELL},{month - 1}))'
                f'/{weeks_per_month}))'))
            if c < geo.last_week_col:
                nxt = cell(c + 1, header)
                plan.put(WEEK_END_ROW, c + 1, Formula(f'=IF({nxt}="","",{nxt}-1)'))
            else:
                plan.put(WEEK_END_ROW, c + 1, Formula(
                    f'=IF({START_CELL}="","",EDATE({START_CELL},{cal.total_months})-1)'))
    for phase in Phase:
        months = [m for m in range(1, cal.total_months + 1) if cal.phase_of(m) is phase]
        if not months:
            continue
        c0 = geo.first_week_col + (months[0] - 1) * weeks_per_month
        c1 = geo.first_week_col + months[-1] * weeks_per_month - 1
        plan.put(PHASE_ROW, c0 + 1, PHASE_LABELS[phase].upper())
        fmt.merges.append(f"{cell(c0, PHASE_ROW)}:{cell(c1, PHASE_ROW)}")
        fmt.styles.append(Styled(f"{cell(c0, PHASE_ROW)}:{cell(c1, PHASE_ROW)}", Style(
            fill=PHASE_FILL[phase], bold=True, h_align="center", v_align="center",
            border="thin", size=7, wrap=True)))
    fmt.styles += [
        Styled(geo.week_range(header, header),
               Style(fill=LIGHT, number_format="dd", h_align="center", size=8,
                     border="hair")),
        Styled(geo.week_range(WEEK_END_ROW, WEEK_END_ROW),
               Style(number_format="dd-mm-yyyy", size=8)),
    ]
    fmt.hidden_rows = (WEEK_END_ROW,)

    # Left-block header and the stage/activity rows.
    for c, column in enumerate(layout.columns, start=1):
        plan.put(header, c, column.header(lang))
    fmt.styles.append(Styled(f"A{PHASE_ROW}:{column_letter(left - 1)}{header}", Style(
        fill=DARK, font_color=HEADER_TEXT, bold=True, v_align="bottom", wrap=True)))
    fmt.merges.append(f"A{PHASE_ROW}:{column_letter(left - 1)}{MONTH_DATE_ROW}")
    plan.put(PHASE_ROW, 1, f"{definition.name}\nSemanas: {cal.weeks_per_month} por mes · "
                           f"meses de ejecución {cal.execution_months}")
    r = geo.first_row
    stage_rows: list[int] = []
    wrapped: list[int] = []
    for stage in definition.stages:
        first, last = r + 1, r + len(stage.activities)
        stage_rows.append(r)
        plan.put(r, col["codigo"] + 1, stage.code)
        plan.put(r, col["actividad"] + 1, stage.name)
        for key, fn in (("inicio", "MIN"), ("termino", "MAX")):
            rng = f"{letter[key]}{first}:{letter[key]}{last}"
            plan.put(r, col[key] + 1, Formula(f'=IF(COUNT({rng})=0,"",{fn}({rng}))'))
        avance = f"{letter['avance']}{first}:{letter['avance']}{last}"
        plan.put(r, col["avance"] + 1, Formula(f'=IF(COUNT({avance})=0,"",AVERAGE({avance}))'))
        plan.put(r, col["dias"] + 1, column_formula(layout.column("dias"), layout, r))
        # The stage name runs over the (empty) responsible column, on two lines if long.
        fmt.merges.append(f"{cell(col['actividad'], r)}:{cell(col['responsable'], r)}")
        if len(stage.name) > 60:
            fmt.row_heights[r] = 26
            wrapped.append(r)
        r += 1
        for activity in stage.activities:
            plan.put(r, col["codigo"] + 1, activity.code)
            plan.put(r, col["actividad"] + 1, activity.name)
            plan.put(r, col["responsable"] + 1, activity.responsible)
            plan.put(r, col["dias"] + 1, column_formula(layout.column("dias"), layout, r))
            plan.put(r, col["ventana"] + 1, describe_window(activity, definition))
            if activity.kind is not ActivityKind.MILESTONE:
                plan.put(r, col["avance"] + 1, 0)
            lines = []
            if activity.products:
                lines += ["Productos:", *(f"• {p}" for p in activity.products)]
            if activity.verifiers:
                lines += ["Verificadores:", *(f"• {v}" for v in activity.verifiers)]
            if activity.window.note:
                lines.append(f"Ventana: {activity.window.note}")
            if activity.source:
                lines.append(f"Fuente: {activity.source}")
            if lines:
                fmt.notes.append(Note(cell(col["actividad"], r), "\n".join(lines)))
            fmt.styles.append(Styled(f"A{r}:{column_letter(left - 1)}{r}",
                                     Style(border="thin")))
            fmt.styles.append(Styled(cell(col["actividad"], r), Style(indent=1, border="thin")))
            r += 1
    for key in ("inicio", "termino"):
        fmt.styles.append(Styled(f"{letter[key]}{geo.first_row}:{letter[key]}{geo.last_row}",
                                 Style(number_format="dd-mm-yyyy", border="thin",
                                       h_align="center")))
    fmt.styles += [
        Styled(f"{letter['dias']}{geo.first_row}:{letter['dias']}{geo.last_row}",
               Style(number_format="0", border="thin", h_align="center")),
        Styled(f"{letter['avance']}{geo.first_row}:{letter['avance']}{geo.last_row}",
               Style(number_format="0%", border="thin", h_align="center")),
        Styled(f"{letter['ventana']}{geo.first_row}:{letter['ventana']}{geo.last_row}",
               Style(border="thin", size=8, font_color=HELP)),
        Styled(geo.week_range(geo.first_row, geo.last_row), Style(border="hair",
                                                                  border_color="D9D9D9")),
    ]
    for stage_row in stage_rows:  # after the column styles, so stage rows stay bold
        fmt.styles.append(Styled(f"A{stage_row}:{column_letter(left - 1)}{stage_row}",
                                 Style(fill=LIGHT, bold=True, border="thin",
                                       number_format="General")))
        for key in ("inicio", "termino"):
            fmt.styles.append(Styled(cell(col[key], stage_row), Style(
                fill=LIGHT, bold=True, border="thin", number_format="dd-mm-yyyy",
                h_align="center")))
        fmt.styles.append(Styled(cell(col["avance"], stage_row), Style(
            fill=LIGHT, bold=True, border="thin", number_format="0%", h_align="center")))
    for stage_row in wrapped:
        fmt.styles.append(Styled(cell(col["actividad"], stage_row), Style(
            fill=LIGHT, bold=True, border="thin", wrap=True, v_align="center")))
    fmt.validations += [
        Validation(f"{letter['avance']}{geo.first_row}:{letter['avance']}{geo.last_row}",
                   "decimal", minimum=0, maximum=1, title="% avance",
                   error="El avance es un porcentaje entre 0% y 100%."),
        Validation(f"{letter['inicio']}{geo.first_row}:{letter['termino']}{geo.last_row}",
                   "date", minimum=date(1990, 1, 1), maximum=date(2199, 12, 31),
                   title="Fecha", error="Escriba una fecha (día-mes-año)."),
    ]
    fmt.conditional += gantt_rules(geo, letter)

    for c, column in enumerate(layout.columns):
        fmt.column_widths[column_letter(c)] = column.width
    for c in range(geo.first_week_col, geo.last_week_col + 1):
        fmt.column_widths[column_letter(c)] = 2.9
    fmt.row_heights.update({1: 26, PHASE_ROW: 24, header: 30})
    fmt.freeze = cell(geo.first_week_col, geo.first_row)
    fmt.print_setup = PrintSetup(repeat_rows=f"{PHASE_ROW}:{header}", paper="legal",
                                 title=layout.title(lang))
    fmt.tab_color = layout.tab_color
    fmt.gridlines = False
    return plan, geo


def gantt_rules(geo: GanttGeometry, letter: dict[str, str]) -> list[ConditionalRule]:
    """The bars: conditional formats that Excel, LibreOffice and Google Sheets all evaluate.

    Each formula is written for the top-left week cell; ``$D10``/``I$9`` style references
    make it slide over the grid.  First true rule wins, so the order is the z-order.
    """
    first = column_letter(geo.first_week_col)
    r = geo.first_row
    start, end = f"${letter['inicio']}{r}", f"${letter['termino']}{r}"
    code, done = f"${letter['codigo']}{r}", f"${letter['avance']}{r}"
    week_start, week_end = f"{first}${geo.header_row}", f"{first}${WEEK_END_ROW}"
    dated = f'{start}<>"",{end}<>""'
    overlaps = f"{week_start}<={end},{week_end}>={start}"
    body = geo.week_range(geo.first_row, geo.last_row)
    header = geo.week_range(geo.header_row, geo.header_row)
    return [
        ConditionalRule(header, f"=AND({week_start}<>\"\",{REFERENCE_CELL}>={week_start},"
                                f"{REFERENCE_CELL}<={first}${WEEK_END_ROW})",
                        Style(fill=MARKER_HEADER, font_color="FFFFFF", bold=True)),
        ConditionalRule(body, f'=AND(ISERROR(FIND(".",{code})),{dated},{overlaps})',
                        Style(fill=STAGE_BAR)),
        ConditionalRule(body, f"=AND({dated},{start}={end},{overlaps})", Style(fill=MILESTONE)),
        ConditionalRule(body, f"=AND({dated},N({done})>0,{overlaps},"
                              f"{week_start}<{start}+({end}-{start}+1)*{done})",
                        Style(fill=PROGRESS)),
        ConditionalRule(body, f"=AND({dated},{overlaps})", Style(fill=BAR)),
        ConditionalRule(body, f"=AND({week_start}<>\"\",{REFERENCE_CELL}>={week_start},"
                              f"{REFERENCE_CELL}<={week_end})", Style(fill=MARKER)),
    ]
