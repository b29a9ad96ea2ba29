"""The Excel dashboard: a «Tablero» sheet (one row per programme, traffic lights, links), a
«Gráficos» sheet with native Excel charts, and a sheet per programme with its findings.

Written with openpyxl directly: it is a report minga creates from scratch, not a programme
workbook, and its charts are beyond the backends' interface.  Saved atomically.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import CellIsRule, DataBarRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from addin.domain.findings import Severity
from addin.fileio import atomic_write
from addin.supervision.dashboard import Dashboard, ProgrammeRow

GREEN, YELLOW, RED, GREY = "C6EFCE", "FFEB9C", "FFC7CE", "E7E6E6"
FONT = "Calibri"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour, end_color=colour)


def _text(value: Any) -> Any:
    """Data, never a formula; no characters XML forbids (hostile workbooks are quoted)."""
    if isinstance(value, str):
        return _CONTROL.sub("\ufffd", value)[:32_767]
    return value


def _put(ws: Worksheet, row: int, values: list[Any], bold: bool = False) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=_text(value))
        if isinstance(value, str):
            cell.data_type = "s"  # «=…» written by an organisation stays text
        cell.font = Font(name=FONT, size=11, bold=bold)


def sheet_names(programmes: list[ProgrammeRow]) -> dict[str, str]:
    """A valid, unique sheet name per programme code (31 characters at most)."""
    names: dict[str, str] = {}
    used = {"tablero", "graficos", "datos"}
    for p in programmes:
        base = _BAD_SHEET_CHARS.sub("-", p.code)[:28] or "programa"
        name, n = base, 1
        while name.lower() in used:
            n += 1
            name = f"{base[:27]}-{n}"
        used.add(name.lower())
        names[p.code] = name
    return names


MAIN_HEADERS = ["Programa", "Tipo", "Región", "Comuna / territorio", "Ejecutor",
                "Convenio / proyecto", "Corte", "Mes de ejecución", "Etapa alcanzada",
                "% de avance", "Avance", "Errores", "Advertencias"]
TAIL_HEADERS = ["Informes atrasados", "Bienes sin traspasar", "Estado de revisión",
                "Cambio desde la entrega anterior", "Entregas", "Archivo"]


def _tablero(wb: Workbook, board: Dashboard, names: dict[str, str]) -> None:
    ws = wb.active
    ws.title = "Tablero"
    ws["A1"] = "Tablero de supervisión"
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A2"] = _text(f"{len(board.programmes)} programas · generado el {board.generated} · "
                     f"base {board.database}")
    ws["A2"].font = Font(name=FONT, size=10, italic=True)
    families = [f"{fam}: errores / advert." for fam in board.families]
    headers = MAIN_HEADERS + families + TAIL_HEADERS
    top = 4
    _put(ws, top, headers, bold=True)
    for i, p in enumerate(board.programmes, start=top + 1):
        values: list[Any] = [p.code, p.kind, p.region, p.comuna, p.ejecutor, p.convenio,
                             p.cutoff, p.execution_month, p.stage,
                             None if p.progress_pct is None else p.progress_pct / 100,
                             p.progress, p.errors, p.warnings]
        values += [f"{p.by_family.get(f, (0, 0))[0]} / {p.by_family.get(f, (0, 0))[1]}"
                   for f in board.families]
        values += [p.reports_overdue, p.assets_not_transferred, p.review, p.change,
                   p.submissions, Path(p.file).name]
        _put(ws, i, values)
        link = ws.cell(row=i, column=1)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{names[p.code]}'!A1")
        link.font = Font(name=FONT, size=11, color="0563C1", underline="single")
        file_cell = ws.cell(row=i, column=len(headers))
        file_cell.hyperlink = Path(p.file).resolve().as_uri()
        file_cell.font = Font(name=FONT, size=11, color="0563C1", underline="single")
        ws.cell(row=i, column=headers.index("% de avance") + 1).number_format = "0%"
    last = top + max(len(board.programmes), 1)
    col = {h: get_column_letter(n) for n, h in enumerate(headers, start=1)}
    end = get_column_letter(len(headers))
    ws.add_table(_table("Tablero", f"A{top}:{end}{last}"))
    if board.programmes:
        rng = lambda h: f"{col[h]}{top + 1}:{col[h]}{last}"  # noqa: E731
        first = lambda h: f"{col[h]}{top + 1}"  # noqa: E731
        # Traffic lights: errors, overdue reports and review state.
        # A blank cell (a kind of programme without reports) gets no light: Excel compares
        # a blank as 0, so the rules ask for a number first.
        for header in ("Errores", "Informes atrasados"):
            cell = first(header)
            for test, colour in ((f"{cell}=0", GREEN), (f"AND({cell}>=1,{cell}<=3)", YELLOW),
                                 (f"{cell}>3", RED)):
                ws.conditional_formatting.add(rng(header), FormulaRule(
                    formula=[f"AND(ISNUMBER({cell}),{test})"], fill=_fill(colour)))
        ws.conditional_formatting.add(rng("Advertencias"), CellIsRule(
            operator="greaterThan", formula=["0"], fill=_fill(YELLOW)))
        ws.conditional_formatting.add(rng("Bienes sin traspasar"), CellIsRule(
            operator="greaterThan", formula=["0"], fill=_fill(YELLOW)))
        for label, colour in (("Aprobado", GREEN), ("Observado", YELLOW), ("Rechazado", RED),
                              ("Pendiente", GREY)):
            ws.conditional_formatting.add(rng("Estado de revisión"), FormulaRule(
                formula=[f'{first("Estado de revisión")}="{label}"'], fill=_fill(colour)))
        ws.conditional_formatting.add(rng("% de avance"), DataBarRule(
            start_type="num", start_value=0, end_type="num", end_value=1, color="5B9BD5",
            showValue=True))
    widths = {"Programa": 20, "Tipo": 14, "Región": 14, "Comuna / territorio": 16,
              "Ejecutor": 30, "Convenio / proyecto": 14, "Corte": 11, "Mes de ejecución": 11,
              "Etapa alcanzada": 30, "% de avance": 10, "Avance": 28, "Errores": 9,
              "Advertencias": 12,
              "Informes atrasados": 11, "Bienes sin traspasar": 11, "Estado de revisión": 13,
              "Cambio desde la entrega anterior": 38, "Entregas": 9, "Archivo": 28}
    for header, letter in col.items():
        ws.column_dimensions[letter].width = widths.get(header, 12)
        ws.cell(row=top, column=headers.index(header) + 1).alignment = Alignment(
            wrap_text=True, vertical="top")
    ws.row_dimensions[top].height = 45
    ws.freeze_panes = f"B{top + 1}"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _table(name: str, ref: str) -> Table:
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    return table


def _charts(wb: Workbook, board: Dashboard) -> None:
    """Native charts over a «Datos» sheet: findings by family, and the trend by cut-off."""
    data = wb.create_sheet("Datos")
    _put(data, 1, ["Familia de reglas", "Errores", "Advertencias"], bold=True)
    totals = board.family_totals()
    for i, (fam, e, w) in enumerate(totals, start=2):
        _put(data, i, [fam, e, w])
    trend_top = len(totals) + 4
    _put(data, trend_top, ["Corte (mes)", "Entregas", "Errores", "Advertencias"], bold=True)
    trend = board.trend()
    for i, (month, n, e, w) in enumerate(trend, start=trend_top + 1):
        _put(data, i, [month, n, e, w])
    # Findings per kind of programme: each kind has its own rules (GANTT, IND, ASM, FON…).
    kinds_top = trend_top + len(trend) + 3
    _put(data, kinds_top, ["Tipo de programa", "Familia de reglas", "Errores", "Advertencias"],
         bold=True)
    at = kinds_top
    for kind in board.kinds:
        for fam, e, w in board.family_totals(kind):
            at += 1
            _put(data, at, [kind, fam, e, w])
    for letter in "ABCD":
        data.column_dimensions[letter].width = 18
    sheet = wb.create_sheet("Gráficos", 1)
    sheet["A1"] = "Hallazgos por familia de reglas y evolución por fecha de corte"
    sheet["A1"].font = Font(name=FONT, size=14, bold=True)
    bars = BarChart()
    bars.type, bars.grouping, bars.overlap = "col", "stacked", 100
    bars.title = "Hallazgos por familia de reglas"
    bars.y_axis.title, bars.x_axis.title = "Hallazgos", "Familia"
    rows = max(len(totals), 1)
    bars.add_data(Reference(data, min_col=2, max_col=3, min_row=1, max_row=rows + 1),
                  titles_from_data=True)
    bars.set_categories(Reference(data, min_col=1, min_row=2, max_row=rows + 1))
    bars.width, bars.height = 22, 9
    _colour(bars)
    sheet.add_chart(bars, "A3")
    line = LineChart()
    line.title = "Evolución por fecha de corte"
    line.y_axis.title, line.x_axis.title = "Hallazgos", "Corte"
    points = max(len(trend), 1)
    line.add_data(Reference(data, min_col=3, max_col=4, min_row=trend_top,
                            max_row=trend_top + points), titles_from_data=True)
    line.set_categories(Reference(data, min_col=1, min_row=trend_top + 1,
                                  max_row=trend_top + points))
    line.width, line.height = 22, 9
    _colour(line)
    for series in line.series:
        series.smooth = False  # a month's count, not a curve between months
        series.marker.symbol = "circle"
    sheet.add_chart(line, "A22")
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 1


def _colour(chart: BarChart | LineChart) -> None:
    """Errors red, warnings amber: the colours of the traffic lights and the HTML page."""
    for series, colour in zip(chart.series, ("C0392B", "E0A100"), strict=False):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        if isinstance(chart, LineChart):
            series.graphicalProperties.line.width = 28575  # 2.25 pt


def _programme_sheet(wb: Workbook, p: ProgrammeRow, name: str) -> None:
    ws = wb.create_sheet(name)
    ws["A1"] = _text(f"{p.code}: {p.comuna} ({p.region}) · {p.ejecutor}")
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    agreement = f"Convenio {p.convenio}" if p.kind == "Ecomercado" else \
        f"{p.kind}: {p.convenio or '(sin nombre)'}"
    ws["A2"] = _text(f"{agreement}" + (f" desde {p.start}" if p.start else "")
                     + f" · corte {p.cutoff} · "
                     f"estado {p.review}" + (f": {p.review_comment}" if p.review_comment
                                             else ""))
    ws["A3"] = "← Tablero"
    ws["A3"].hyperlink = Hyperlink(ref="A3", location="'Tablero'!A1")
    ws["A3"].font = Font(name=FONT, size=11, color="0563C1", underline="single")
    headers = ["Regla", "Severidad", "Hoja", "Celda", "Clave de fila", "Mensaje",
               "Cómo corregir"]
    top = 5
    _put(ws, top, headers, bold=True)
    colours = {"error": RED, "warning": YELLOW, "info": GREY}
    for i, f in enumerate(p.findings, start=top + 1):
        _put(ws, i, [f["rule"], Severity(f["severity"]).spanish, f["sheet"], f["cell"] or "",
                     f["row_key"] or "", f["message"], f["fix"]])
        ws.cell(row=i, column=2).fill = _fill(colours[f["severity"]])
        for c in (6, 7):
            ws.cell(row=i, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    last = top + max(len(p.findings), 1)
    if not p.findings:
        _put(ws, top + 1, ["(sin hallazgos)"])
    safe = re.sub(r"[^A-Za-z0-9_]", "_", name)
    ws.add_table(_table(f"Hallazgos_{safe}", f"A{top}:G{last}"))
    hist = last + 3
    _put(ws, hist - 1, ["Entregas de este programa"], bold=True)
    _put(ws, hist, ["Archivo", "Corte", "Validado", "Errores", "Advertencias"], bold=True)
    for i, s in enumerate(p.history, start=hist + 1):
        _put(ws, i, [s["file_name"], s["cutoff"], s["validated_at"][:16].replace("T", " "),
                     s["errors"], s["warnings"]])
    for letter, width in zip("ABCDEFG", (12, 12, 26, 9, 18, 60, 50), strict=True):
        ws.column_dimensions[letter].width = width


def write_xlsx(board: Dashboard, path: Path) -> None:
    wb = Workbook()
    names = sheet_names(board.programmes)
    _tablero(wb, board, names)
    _charts(wb, board)
    for p in board.programmes:
        _programme_sheet(wb, p, names[p.code])
    wb.active = 0
    atomic_write(Path(path), wb.save)
