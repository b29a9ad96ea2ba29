"""The carta Gantt: stages and activities on the left, one column per week, bars drawn by
conditional formats from each row's dates so they redraw wherever the file is opened."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
from addin.domain.programme import (
    PHASE_LABELS,
    Activity,
    ActivityKind,
    Phase,
    ProgrammeDefinition,
    Stage,
)
from addin.domain.schedule import describe_window
from addin.layouts.ecomercado import GANTT
from addin.layouts.model import Lang, column_letter
from addin.sheets.palette import (
    DARK,
    GRID,
    HEADER_TEXT,
    HELP,
    LATE,
    LIGHT,
    MARKER,
    MARKER_BAR,
    MARKER_HEADER,
    MILESTONE,
    MILESTONE_TEXT,
    PHASE_FILL,
    TITLE,
    stage_colours,
)
from addin.sheets.plans import (
    SheetPlan,
    cell,
    row_points,
    text_lines,
    workbook_name,
)
from addin.sheets.tables import column_formula

PHASE_ROW, MONTH_ROW, MONTH_DATE_ROW, WEEK_END_ROW = 5, 6, 7, 8
START_CELL = "$D$3"  # the convenio's start date as the Gantt sheet sees it
REFERENCE_CELL = "$D$4"  # the cut-off date, or today
#: Columns that stay in view when scrolling and print at the left of every page (N°, name).
TITLE_COLUMNS = 2
#: The chart's text size: nothing on the sheet is smaller, so it prints readable (≥ 8 pt)
#: even when the page is shrunk a little to fit its height.
TEXT = 9.0
WEEK_WIDTH = 2.3
#: Letter landscape, 0.4" side and 0.5" top/bottom margins, in points; a little is kept back
#: for the page header and for applications whose columns come out slightly wider.
PAGE_WIDTH = (11 - 0.8) * 72 * 0.97
PAGE_HEIGHT = (8.5 - 1.0) * 72 * 0.98
#: Fitting the page height may shrink the print this much at most (9 pt stays ≥ 8 pt).
MIN_FIT_SCALE = 0.89
#: Height of the title and calendar rows, in points (row 8, the week ends, is hidden).
HEAD_HEIGHTS = {1: 19, 2: 12.5, 3: 12.5, 4: 12.5, PHASE_ROW: 12.5, MONTH_ROW: 12.5,
                MONTH_DATE_ROW: 12.5}
HEADER_HEIGHT = row_points(2, TEXT)
MONTHS_ES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov",
             "dic")


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


@dataclass(frozen=True)
class GanttRow:
    """One row under the header: a stage's (``activity`` None) or an activity's."""

    row: int
    index: int  # 0-based index of the stage, for its colours
    stage: Stage
    activity: Activity | None = None

    @property
    def last(self) -> int:
        """A stage's row: the row of its last activity (an activity's row: itself)."""
        return self.row + len(self.stage.activities) if self.activity is None else self.row


def points(width: float) -> float:
    """A column's printed width in points, as Excel lays it out (whole pixels of 7 per unit)."""
    return int(width * 7 + 0.5) * 0.75


def page_breaks(widths: list[float], first_week: int, weeks_per_month: int) -> tuple[int, ...]:
    """Columns that start a new printed page: only at month boundaries, each page filled.

    The first page holds the whole left block; later pages repeat the title columns.
    """
    title = sum(points(w) for w in widths[:TITLE_COLUMNS])
    breaks: list[int] = []
    used = sum(points(w) for w in widths[:first_week])
    month = weeks_per_month * points(WEEK_WIDTH)
    c = first_week
    while c < len(widths):
        if used + month > PAGE_WIDTH and c > first_week:
            breaks.append(c)
            used = title
        used += month
        c += weeks_per_month
    return tuple(breaks)


def month_label(month: int) -> str:
    """The formula of a month's calendar label, «abr 2026», in Spanish whatever the locale."""
    when = f"EDATE({START_CELL},{month - 1})"
    names = ",".join(f'"{m}"' for m in MONTHS_ES)
    return f'=IF({START_CELL}="","",CHOOSE(MONTH({when}),{names})&" "&YEAR({when}))'


def _note(activity: Activity) -> str:
    lines = []
    if activity.products:
        lines += ["Productos:", *(f"• {p}" for p in activity.products)]
    if activity.verifiers:
        lines += ["Verificadores:", *(f"• {v}" for v in activity.verifiers)]
    if activity.window.note:
        lines.append(f"Ventana: {activity.window.note}")
    if activity.source:
        lines.append(f"Fuente: {activity.source}")
    return "\n".join(lines)


def gantt_sheet(definition: ProgrammeDefinition, lang: Lang) -> tuple[SheetPlan, GanttGeometry]:
    """The carta Gantt: readable printed on Letter landscape and on a laptop screen.

    Text is never under ``TEXT`` points; rows are sized to their wrapped text and grown to
    fill the page height; the print is fitted to one page tall (pages wide as needed, broken
    at month boundaries, N° and name repeated on each).  Input cells (responsible, dates,
    % done) stay unlocked; the sheet is protected without a password so the formulas of
    D3/D4, the stage rows and the calendar are not overwritten by accident.
    """
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

    _title_block(plan, definition, letter, lang)
    _legend(plan, geo)
    _calendar(plan, geo, definition)
    _left_header(plan, definition, lang)

    # Stage and activity rows.
    rows: list[GanttRow] = []
    r = geo.first_row
    for index, stage in enumerate(definition.stages):
        rows.append(GanttRow(r, index, stage))
        rows += [GanttRow(r + 1 + i, index, stage, a) for i, a in enumerate(stage.activities)]
        r += 1 + len(stage.activities)
    need = {item.row: (_stage_row(plan, item) if item.activity is None
                       else _activity_row(plan, geo, item, definition)) for item in rows}
    fmt.styles.append(Styled(geo.week_range(geo.first_row, geo.last_row), Style(
        border="hair", border_color=GRID, size=TEXT, bold=True, h_align="center",
        v_align="center", font_color=MILESTONE_TEXT)))
    # Entry checks on the input cells of activity rows (stage rows are formulas).
    activity_rows = [i.row for i in rows if i.activity]
    fmt.validations += [
        Validation(" ".join(f"{letter['avance']}{r}" for r in activity_rows),
                   "decimal", minimum=0, maximum=1, title="% avance",
                   error="El avance es un porcentaje entre 0% y 100%."),
        Validation(" ".join(f"{letter['inicio']}{r}:{letter['termino']}{r}"
                            for r in activity_rows),
                   "date", minimum=date(1990, 1, 1), maximum=date(2199, 12, 31),
                   title="Fecha", error="Escriba una fecha (día-mes-año)."),
    ]
    fmt.conditional += gantt_rules(geo, letter, [
        (i.row, i.last, i.index) for i in rows if i.activity is None])

    # Sizes: columns from the layout, weeks narrow; rows grown to fill the page height.
    widths = [c.width for c in layout.columns] + [WEEK_WIDTH] * geo.weeks
    for c, w in enumerate(widths):
        fmt.column_widths[column_letter(c)] = w
    fmt.row_heights.update(HEAD_HEIGHTS)
    fmt.row_heights[header] = HEADER_HEIGHT
    fixed = sum(HEAD_HEIGHTS.values()) + HEADER_HEIGHT
    spare = PAGE_HEIGHT - fixed - sum(need.values())
    grow = min(max(spare / max(len(need), 1), 0), 12)
    fmt.row_heights.update({r: round(h + grow, 1) for r, h in need.items()})
    fits = fixed + sum(need.values()) <= PAGE_HEIGHT / MIN_FIT_SCALE
    fmt.freeze = cell(TITLE_COLUMNS, geo.first_row)
    fmt.print_setup = PrintSetup(
        fit_width=False, fit_height=fits, repeat_rows=f"{PHASE_ROW}:{header}",
        repeat_columns=f"A:{column_letter(TITLE_COLUMNS - 1)}",
        column_breaks=page_breaks(widths, geo.first_week_col, cal.weeks_per_month),
        title=definition.gantt_title or layout.title(lang))
    fmt.tab_color = layout.tab_color
    fmt.gridlines = False
    fmt.protect = True
    return plan, geo


def _title_block(plan: SheetPlan, definition: ProgrammeDefinition, letter: dict[str, str],
                 lang: Lang) -> None:
    """Rows 1–4: title, programme and executor, start and cut-off dates (D3, D4)."""
    layout, fmt = GANTT, plan.fmt
    col = {c.key: layout.index(c.key) for c in layout.columns}
    plan.put(1, 1, definition.gantt_title or layout.title(lang))
    ejecutor, comuna = workbook_name("ejecutor"), workbook_name("comuna")
    inicio, corte = workbook_name("inicio"), workbook_name("fecha_corte")
    plan.put(2, 1, Formula(f'="{definition.name}"&IF({ejecutor}="","",'
                           f'" · Ejecutor: "&{ejecutor})&IF({comuna}="","",'
                           f'" · Comuna: "&{comuna})'))
    # Short labels that fit in C: text spilling across the title columns' edge would print
    # clipped on the pages that repeat only N° and name.
    plan.put(3, col["responsable"] + 1, "Inicio:")
    plan.put(3, col["inicio"] + 1, Formula(f'=IF({inicio}="","",{inicio})'))
    plan.put(4, col["responsable"] + 1, "Fecha de corte:")
    plan.put(4, col["inicio"] + 1, Formula(f'=IF({corte}="",TODAY(),{corte})'))
    fmt.notes.append(Note(f"{letter['inicio']}4", "La fecha de corte se escribe en la hoja "
                                                  "Programa; si está vacía, es la de hoy."))
    fmt.styles += [
        Styled("A1", Style(bold=True, size=14, font_color=TITLE)),
        Styled("A2", Style(italic=True, size=TEXT, font_color=HELP)),
        Styled(f"{letter['responsable']}3:{letter['responsable']}4",
               Style(bold=True, size=TEXT, h_align="right")),
        Styled(f"{letter['inicio']}3:{letter['termino']}4", Style(
            number_format="dd-mm-yyyy", bold=True, size=TEXT, h_align="left")),
    ]



def _calendar(plan: SheetPlan, geo: GanttGeometry, definition: ProgrammeDefinition) -> None:
    """Rows 5–9 over the weeks: phases, months, month labels, week ends (hidden), week starts."""
    cal, fmt, header = definition.calendar, plan.fmt, geo.header_row
    weeks_per_month = cal.weeks_per_month
    month_width = weeks_per_month * WEEK_WIDTH
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
        plan.put(MONTH_DATE_ROW, c0 + 1, Formula(month_label(month)))
        fmt.merges += [f"{cell(c0, MONTH_ROW)}:{cell(c1, MONTH_ROW)}",
                       f"{cell(c0, MONTH_DATE_ROW)}:{cell(c1, MONTH_DATE_ROW)}"]
        fmt.styles.append(Styled(f"{cell(c0, MONTH_ROW)}:{cell(c1, MONTH_DATE_ROW)}", Style(
            fill=PHASE_FILL[phase], bold=True, h_align="center", border="thin", size=TEXT)))
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
        label = PHASE_LABELS[phase].upper()
        if text_lines(label, len(months) * month_width, TEXT, bold=True) > 1:
            label = label.split()[0]  # «INICIO», «CIERRE» over a single month
        plan.put(PHASE_ROW, c0 + 1, label)
        fmt.merges.append(f"{cell(c0, PHASE_ROW)}:{cell(c1, PHASE_ROW)}")
        fmt.styles.append(Styled(f"{cell(c0, PHASE_ROW)}:{cell(c1, PHASE_ROW)}", Style(
            fill=PHASE_FILL[phase], bold=True, h_align="center", v_align="center",
            border="thin", size=TEXT)))
    fmt.styles += [
        Styled(geo.week_range(header, header), Style(
            fill=LIGHT, number_format="dd", h_align="center", v_align="center", size=TEXT,
            border="hair")),
        Styled(geo.week_range(WEEK_END_ROW, WEEK_END_ROW),
               Style(number_format="dd-mm-yyyy", size=TEXT)),
    ]
    fmt.hidden_rows = (WEEK_END_ROW,)



def _left_header(plan: SheetPlan, definition: ProgrammeDefinition, lang: Lang) -> None:
    """The left block of rows 5–9: a note on the calendar, then the column headers."""
    layout, fmt, header, cal = GANTT, plan.fmt, GANTT.header_row, definition.calendar
    last_left = column_letter(len(layout.columns) - 1)
    for c, column in enumerate(layout.columns, start=1):
        plan.put(header, c, column.header(lang))
    head = Style(fill=DARK, font_color=HEADER_TEXT, bold=True, size=TEXT, v_align="bottom",
                 wrap=True)
    dates = column_letter(layout.index("inicio"))
    fmt.styles += [
        Styled(f"A{PHASE_ROW}:{last_left}{header}", head),
        Styled(f"{dates}{header}:{last_left}{header}", replace(head, h_align="center")),
    ]
    fmt.merges.append(f"A{PHASE_ROW}:{column_letter(TITLE_COLUMNS - 1)}{MONTH_DATE_ROW}")
    plan.put(PHASE_ROW, 1, f"Semanas de {cal.weeks_per_month} por mes · "
                           f"{cal.execution_months} meses de ejecución")


def _stage_row(plan: SheetPlan, item: GanttRow) -> float:
    """A stage's row: its span, rolled-up progress and days, on its colour; its height."""
    layout, fmt, r = GANTT, plan.fmt, item.row
    col = {c.key: layout.index(c.key) for c in layout.columns}
    letter = {k: column_letter(v) for k, v in col.items()}
    last_left = column_letter(len(layout.columns) - 1)
    body = Style(size=TEXT, border="thin", v_align="center")
    planned = stage_colours(item.index)[1]
    stage = item.stage
    first, last = r + 1, item.last
    plan.put(r, col["codigo"] + 1, stage.code)
    plan.put(r, col["actividad"] + 1, stage.name)
    for key, fn in (("inicio", "MIN"), ("termino", "MAX")):
        rng = f"{letter[key]}{first}:{letter[key]}{last}"
        plan.put(r, col[key] + 1, Formula(f'=IF(COUNT({rng})=0,"",{fn}({rng}))'))
    plan.put(r, col["avance"] + 1, Formula(_rolled_up(letter, first, last)))
    plan.put(r, col["dias"] + 1, column_formula(layout.column("dias"), layout, r))
    lines = text_lines(stage.name, layout.column("actividad").width, TEXT, bold=True)
    fmt.styles += [
        Styled(f"A{r}:{last_left}{r}", replace(body, fill=planned, bold=True)),
        Styled(f"{letter['inicio']}{r}:{letter['termino']}{r}", replace(
            body, fill=planned, bold=True, number_format="dd-mm-yyyy",
            h_align="center")),
        Styled(f"{letter['dias']}{r}", replace(body, fill=planned, bold=True,
                                               number_format="0", h_align="center")),
        Styled(f"{letter['avance']}{r}", replace(body, fill=planned, bold=True,
                                                 number_format="0%",
                                                 h_align="center")),
        Styled(f"{letter['actividad']}{r}", replace(body, fill=planned, bold=True,
                                                    wrap=True)),
    ]
    return row_points(lines, TEXT)


def _activity_row(plan: SheetPlan, geo: GanttGeometry, item: GanttRow,
                  definition: ProgrammeDefinition) -> float:
    """An activity's row: name, responsible, dates and % (unlocked), window; its height."""
    layout, fmt, r = GANTT, plan.fmt, item.row
    col = {c.key: layout.index(c.key) for c in layout.columns}
    letter = {k: column_letter(v) for k, v in col.items()}
    width = {c.key: c.width for c in layout.columns}
    last_left = column_letter(len(layout.columns) - 1)
    body = Style(size=TEXT, border="thin", v_align="center")
    activity = item.activity
    assert activity is not None
    milestone = activity.kind is ActivityKind.MILESTONE
    plan.put(r, col["codigo"] + 1, activity.code)
    plan.put(r, col["actividad"] + 1, activity.name)
    plan.put(r, col["responsable"] + 1, activity.responsible)
    plan.put(r, col["dias"] + 1, column_formula(layout.column("dias"), layout, r))
    window = describe_window(activity, definition)
    plan.put(r, col["ventana"] + 1, window)
    if not milestone:
        plan.put(r, col["avance"] + 1, 0)
    note = _note(activity)
    if note:
        fmt.notes.append(Note(cell(col["actividad"], r), note))
    lines = max(text_lines(activity.name, width["actividad"], TEXT),
                text_lines(activity.responsible, width["responsable"], TEXT),
                text_lines(window, width["ventana"], TEXT))
    fmt.styles += [
        Styled(f"A{r}:{last_left}{r}", body),
        Styled(f"{letter['actividad']}{r}", replace(
            body, wrap=True, number_format='"◆ "@' if milestone else None)),
        Styled(f"{letter['responsable']}{r}", replace(body, wrap=True, locked=False)),
        Styled(f"{letter['inicio']}{r}:{letter['termino']}{r}", replace(
            body, number_format="dd-mm-yyyy", h_align="center", locked=False)),
        Styled(f"{letter['dias']}{r}", replace(body, number_format="0",
                                               h_align="center")),
        Styled(f"{letter['avance']}{r}", replace(body, number_format="0%",
                                                 h_align="center", locked=False)),
        Styled(f"{letter['ventana']}{r}", replace(body, font_color=HELP, wrap=True)),
    ]
    if milestone:
        _diamonds(plan, geo, letter, r)
    return row_points(lines, TEXT)


def _rolled_up(letter: dict[str, str], first: int, last: int) -> str:
    """A stage's % done: its activities' % weighted by their days (milestones left out)."""
    done = f"{letter['avance']}{first}:{letter['avance']}{last}"
    days = f"{letter['dias']}{first}:{letter['dias']}{last}"
    weight = f"SUMPRODUCT({days},--ISNUMBER({done}))"
    return (f'=IF(COUNT({done})=0,"",IF({weight}=0,AVERAGE({done}),'
            f"SUMPRODUCT({days},{done})/{weight}))")


def _diamonds(plan: SheetPlan, geo: GanttGeometry, letter: dict[str, str], r: int) -> None:
    """A milestone row: ◆ in the week of its date, live (text formulas over the weeks)."""
    end = f"${letter['termino']}{r}"
    for c in range(geo.first_week_col, geo.last_week_col + 1):
        week = column_letter(c)
        plan.put(r, c + 1, Formula(
            f'=IF(AND({end}<>"",{week}${geo.header_row}<>"",{week}${geo.header_row}<={end},'
            f'{week}${WEEK_END_ROW}>={end}),"◆","")'))


def _legend(plan: SheetPlan, geo: GanttGeometry) -> None:
    """Swatches and their meaning in rows 2–4, within the first 16 weeks (the first printed
    page): a text running past a page break would print cut in two."""
    done, planned = stage_colours(0)
    entries = [((2, 0), planned, "", "Planificado"),
               ((3, 0), done, "", "Realizado (% avance)"),
               ((4, 0), LATE, "", "Atrasado al corte"),
               ((2, 10), MILESTONE, "◆", "Informe / hito"),
               ((3, 10), MARKER_HEADER, "", "Semana de corte")]
    for (row, offset), colour, mark, text in entries:
        c = geo.first_week_col + offset
        plan.put(row, c + 1, mark or None)
        plan.put(row, c + 2, text)
        plan.fmt.styles += [
            Styled(cell(c, row), Style(fill=colour, border="thin", size=TEXT, bold=True,
                                       h_align="center", font_color=MILESTONE_TEXT)),
            Styled(cell(c + 1, row), Style(size=TEXT)),
        ]


def gantt_rules(geo: GanttGeometry, letter: dict[str, str],
                stages: list[tuple[int, int, int]]) -> list[ConditionalRule]:
    """The bars: conditional formats that Excel, LibreOffice and Google Sheets all evaluate.

    Each formula is written for the top-left week cell of its range; ``$D10``/``I$9`` style
    references make it slide over the grid.  The first true rule wins (LibreOffice and Sheets
    apply one rule per cell), so the order is the z-order: the cut-off week on top, then
    milestones, done, late, planned.  ``stages`` are (first row, last row, index) per stage,
    for the stage's own colours.
    """
    first = column_letter(geo.first_week_col)
    week_start, week_end = f"{first}${geo.header_row}", f"{first}${WEEK_END_ROW}"
    cutoff = REFERENCE_CELL

    def terms(r: int) -> tuple[str, str, str, str, str]:
        start, end = f"${letter['inicio']}{r}", f"${letter['termino']}{r}"
        done = f"${letter['avance']}{r}"
        dated = f'{start}<>"",{end}<>""'
        return start, end, done, dated, f"{week_start}<={end},{week_end}>={start}"

    marker = f'{week_start}<>"",{cutoff}>={week_start},{cutoff}<={week_end}'
    rules = [ConditionalRule(geo.week_range(geo.header_row, geo.header_row), f"=AND({marker})",
                             Style(fill=MARKER_HEADER, font_color=HEADER_TEXT, bold=True))]
    # One complete, ordered set per stage, over the stage's rows only: LibreOffice takes the
    # rules of overlapping ranges in file order, not by priority, so no two ranges overlap.
    for first_row, last_row, index in stages:
        start, end, done, dated, overlaps = terms(first_row)
        done_colour, planned_colour = stage_colours(index)
        rows = geo.week_range(first_row, last_row)
        rules += [
            ConditionalRule(rows, f"=AND({marker},{dated},{overlaps})",
                            Style(fill=MARKER_BAR, font_color=HEADER_TEXT)),
            ConditionalRule(rows, f"=AND({marker})", Style(fill=MARKER)),
            ConditionalRule(rows, f"=AND({dated},{start}={end},{overlaps})",
                            Style(fill=MILESTONE)),
            ConditionalRule(rows, f"=AND({dated},N({done})>0,{overlaps},"
                                  f"{week_start}<{start}+({end}-{start}+1)*{done})",
                            Style(fill=done_colour)),
            ConditionalRule(rows, f"=AND({dated},{overlaps},{end}<{cutoff},N({done})<1)",
                            Style(fill=LATE)),
            ConditionalRule(rows, f"=AND({dated},{overlaps})", Style(fill=planned_colour)),
        ]
    return rules
