"""LibreOffice headless opens what minga builds, recalculates it and draws the Gantt bars."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image, ImageChops

from addin.actions.build import WEEK_END_ROW, build_file
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.demo import build_demo
from addin.domain.programme import load_programme
from addin.domain.schedule import ConvenioCalendar, schedule
from addin.layouts.ecomercado import (
    ECOMERCADO_LAYOUTS,
    GANTT,
    INVENTARIO,
    SEGUIMIENTO_TRABAJO,
)
from addin.layouts.model import column_letter
from addin.sheets.gantt import MONTH_DATE_ROW
from addin.sheets.palette import (
    LATE,
    MARKER,
    MARKER_BAR,
    MARKER_HEADER,
    MILESTONE,
    OVERDUE,
    STATUS_FILLS,
    stage_colours,
)
from tests import libreoffice
from tests.conftest import CUTOFF, START
from tests.test_programmes import EXPECTED_WINDOWS, REPORT_MONTHS

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workbook: a finished 15-month programme, filled in."""
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    build_demo(path)
    return path


@pytest.fixture(scope="module")
def gantts(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, tuple[Path, list[Page]]]:
    """The built workbooks' Gantt pages as LibreOffice prints them, drawn once."""
    folder = tmp_path_factory.mktemp("gantts")
    return {variant: render_gantt(path, folder / variant) for variant, path in built.items()}


@pytest.fixture(scope="module")
def demo_pdf(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return libreoffice.convert(demo, "pdf", tmp_path_factory.mktemp("demo-pdf"))


@pytest.fixture(scope="module")
def demo_recalculated(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return libreoffice.convert(demo, "xlsx:Calc MS Excel 2007 XML",
                               tmp_path_factory.mktemp("demo-recalc"))


@pytest.fixture(scope="module")
def recalculated_progress(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
                          ) -> Path:
    """The 15-month workbook with 4.1 done, recalculated by LibreOffice."""
    folder = tmp_path_factory.mktemp("progress")
    path = with_cells(built["ecomercado-15m"], folder / "avance.xlsx", GANTT.es, {"4.1@G": 1})
    return libreoffice.convert(path, "xlsx:Calc MS Excel 2007 XML", folder / "recalc")


def d(value: object) -> date | None:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def week_col(month: int, week: int) -> int:
    """0-based week-column index of execution month ``month``, week ``week`` (1 inicio month)."""
    return month * 4 + week - 1


@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_libreoffice_recalculates_calendar_like_python(recalculated: dict[str, Path],
                                                        variant: str) -> None:
    definition = load_programme(variant)
    cal = ConvenioCalendar(definition.calendar, START)
    wb = load_workbook(recalculated[variant], data_only=True)
    fields = {r[0]: r[1] for r in wb["Programa"].iter_rows(values_only=True) if r[0]}
    assert d(fields["Fecha de término del convenio"]) == cal.end
    assert d(fields["Inicio de la ejecución"]) == cal.execution_start
    assert d(fields["Término de la ejecución"]) == cal.execution_end

    ws = wb[GANTT.es]
    left = len(GANTT.columns)
    starts = [d(c.value) for c in ws[GANTT.header_row]][left:left + len(cal.weeks)]
    ends = [d(c.value) for c in ws[WEEK_END_ROW]][left:left + len(cal.weeks)]
    assert starts == [w.start for w in cal.weeks]
    assert ends == [w.end for w in cal.weeks]
    assert d(ws["D3"].value) == START and d(ws["D4"].value) == CUTOFF


@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_bars_span_the_rules_weeks(recalculated: dict[str, Path], variant: str) -> None:
    """The bar formula, evaluated on LibreOffice's values, covers exactly RULES §1's weeks."""
    definition = load_programme(variant)
    which = 0 if variant.endswith("10m") else 1
    ws = load_workbook(recalculated[variant], data_only=True)[GANTT.es]
    left = len(GANTT.columns)
    weeks = definition.calendar.total_weeks
    starts = [d(c.value) for c in ws[GANTT.header_row]][left:left + weeks]
    ends = [d(c.value) for c in ws[WEEK_END_ROW]][left:left + weeks]
    spans = {}
    for row in ws.iter_rows(min_row=GANTT.header_row + 1, values_only=True):
        code, start, end = row[0], d(row[3]), d(row[4])
        if code:
            spans[str(code)] = [i for i in range(weeks)
                                if start and end and starts[i] <= end and ends[i] >= start]
    for key, windows in EXPECTED_WINDOWS.items():
        m0, w0, m1, w1 = windows[which]
        code = definition.activity(key).code
        assert spans[code] == list(range(week_col(m0, w0), week_col(m1, w1) + 1)), key
    milestones = [a.code for a in definition.reports]
    assert [spans[c] for c in milestones] == [[week_col(m, 4)] for m in REPORT_MONTHS[variant]]
    # Stage 4's band runs from its first activity to the end of execution.
    last = definition.calendar.execution_months
    first4 = week_col(6, 3) if which == 0 else week_col(7, 1)
    assert spans["4"] == list(range(first4, week_col(last, 4) + 1))


def colour_blobs(image: Image.Image, hex_rgb: str, tolerance: int = 6) -> list[int]:
    """Sizes of the connected areas painted in one colour."""
    target = tuple(int(hex_rgb[i:i + 2], 16) for i in (0, 2, 4))
    bands = [band.point(lambda v, t=t: 255 if abs(v - t) <= tolerance else 0)
             for band, t in zip(image.convert("RGB").split(), target, strict=True)]
    mask = ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2])
    width = mask.size[0]
    hits = {(i % width, i // width) for i, v in enumerate(mask.tobytes()) if v}
    sizes = []
    while hits:
        queue = deque([hits.pop()])
        size = 0
        while queue:
            x, y = queue.popleft()
            size += 1
            for n in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if n in hits:
                    hits.remove(n)
                    queue.append(n)
        sizes.append(size)
    return sorted(sizes, reverse=True)


@dataclass
class Page:
    """One printed page as LibreOffice draws it: its image and its words."""

    number: int
    image: Image.Image
    words: list[libreoffice.Word]
    dpi: int = 110

    def px(self, points: float) -> int:
        return round(points * self.dpi / 72)

    def colour_at(self, x0: int, x1: int, y_pt: float) -> tuple[int, int, int]:
        """The most common colour of pixel columns x0..x1 in a band 5 pixels high."""
        y = self.px(y_pt)
        box = self.image.convert("RGB").crop((x0, y - 2, x1 + 1, y + 3))
        return max(box.getcolors(box.size[0] * box.size[1]) or [(0, (0, 0, 0))])[1]


def rgb(hex_rgb: str) -> tuple[int, int, int]:
    return tuple(int(hex_rgb[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def near(colour: tuple[int, int, int], hex_rgb: str, tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, rgb(hex_rgb), strict=True))


def render(xlsx: Path, out: Path, marker: str) -> tuple[Path, list[Page]]:
    """The workbook as a PDF, and the pages containing ``marker``, drawn."""
    pdf = libreoffice.convert(xlsx, "pdf", out)
    pages = []
    for number in libreoffice.pdf_pages_with(pdf, marker):
        png = libreoffice.render_page(pdf, number, out / f"{xlsx.stem}-{number}")
        pages.append(Page(number, Image.open(png), libreoffice.page_words(pdf, number)))
    return pdf, pages


def render_gantt(xlsx: Path, out: Path) -> tuple[Path, list[Page]]:
    """Every printed page of the carta Gantt (the title columns repeat on each)."""
    return render(xlsx, out, "Etapa / actividad")


def blobs(pages: list[Page], hex_rgb: str, minimum: int = 20) -> list[int]:
    return [s for page in pages for s in colour_blobs(page.image, hex_rgb) if s > minimum]


def row_centres(page: Page, codes: list[str]) -> Iterator[tuple[str, float]]:
    """The vertical centre (points) of each Gantt row, found by its code in column A."""
    left = min(w.x0 for w in page.words if w.text == "N°")
    for word in page.words:
        if word.text in codes and abs(word.x0 - left) < 3:
            yield word.text, (word.y0 + word.y1) / 2


def codes_of(variant: str) -> list[str]:
    definition = load_programme(variant)
    return [c for s in definition.stages for c in (s.code, *(a.code for a in s.activities))]


def with_cells(source: Path, target: Path, sheet: str, cells: dict[str, object]) -> Path:
    target.write_bytes(source.read_bytes())
    backend = OpenpyxlBackend.open(target)
    rows = backend.read_values(sheet)
    for key, value in cells.items():
        code, column = key.split("@")
        row = next(i for i, r in enumerate(rows, start=1) if r and r[0] == code)
        backend.write_block(sheet, f"{column}{row}", [[value]])
    backend.save()
    return target


# --- item 13: the Gantt on paper -------------------------------------------------------------

@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_gantt_prints_readable_on_letter_landscape(gantts: dict[str, tuple[Path, list[Page]]],
                                                   variant: str) -> None:
    """No text on any Gantt page is under 8 pt as printed, pages are Letter landscape and the
    chart fills the page height (it used to sit in the top 40 % of a Legal page at 6 pt)."""
    pdf, pages = gantts[variant]
    assert pages
    for page in pages:
        sizes = libreoffice.font_sizes(pdf, page.number)
        assert sizes and min(sizes) >= 8, (page.number, min(sizes))
        assert page.image.size == (11 * 110, round(8.5 * 110))  # Letter landscape
        last = [y for code, y in row_centres(page, codes_of(variant))]
        assert max(last) > 0.8 * 612, "the rows should reach the bottom of the page"


def test_gantt_window_text_stays_out_of_the_timeline(
        gantts: dict[str, tuple[Path, list[Page]]]) -> None:
    _, pages = gantts["ecomercado-15m"]
    first = pages[0]
    header = next(w for w in first.words if w.text == "Ventana")
    weeks = [w for w in first.words if re.fullmatch(r"\d\d", w.text)
             and abs(w.y0 - header.y0) < 12 and w.x0 > header.x1]
    assert weeks, "the week numbers of the first weeks are on page 1"
    timeline = min(w.x0 for w in weeks)
    # Right of the Ventana column's left edge, body rows hold nothing but ◆ milestones.
    bottom = max(y for _, y in row_centres(first, codes_of("ecomercado-15m"))) + 6
    body = [w for w in first.words if header.y1 + 4 < w.y0 < bottom
            and w.x0 >= header.x0 - 2 and w.text != "◆"]
    assert any(w.text == "sem." for w in body)
    assert all(w.x1 <= timeline + 1 for w in body), [w for w in body if w.x1 > timeline + 1]


# --- item 14: the cut-off marker on top ------------------------------------------------------

@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_cutoff_marker_shows_in_every_row(gantts: dict[str, tuple[Path, list[Page]]],
                                          variant: str) -> None:
    """The cut-off week is painted in every stage and activity row, over the bars too."""
    _, pages = gantts[variant]
    codes = codes_of(variant)
    found = 0
    for page in pages:
        header = next(w for w in page.words if w.text == "N°")
        y = (header.y0 + header.y1) / 2
        image = page.image.convert("RGB")
        xs = [x for x in range(image.size[0])
              if near(image.getpixel((x, page.px(y))), MARKER_HEADER)]
        if not xs:
            continue
        found += 1
        rows = dict(row_centres(page, codes))
        assert set(rows) == set(codes)
        for code, centre in rows.items():
            colour = page.colour_at(min(xs) + 1, max(xs) - 1, centre)
            assert near(colour, MARKER) or near(colour, MARKER_BAR), (code, colour)
    assert found == 1


# --- item 15: colours, lateness, milestones, months ------------------------------------------

@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_unfinished_activities_past_the_cutoff_are_drawn_late(
        gantts: dict[str, tuple[Path, list[Page]]], variant: str) -> None:
    """The built workbooks have 0 % done and a cut-off past several activities' end."""
    _, pages = gantts[variant]
    assert len(blobs(pages, LATE)) > 3, "late bars besides the legend swatch"
    # Milestones are never drawn late: each is its gold ◆ cell (and one legend swatch),
    # except one in the cut-off week, where the marker is drawn on top.
    definition = load_programme(variant)
    weeks = ConvenioCalendar(definition.calendar, START).weeks
    ends = [i.end for i in schedule(definition, START) if i.activity in definition.reports]
    visible = [e for e in ends if not any(w.start <= e <= w.end and w.start <= CUTOFF <= w.end
                                          for w in weeks)]
    assert len(blobs(pages, MILESTONE)) == len(visible) + 1


def test_finished_programme_has_no_late_bar_and_every_stage_done_colour(
        demo: Path, tmp_path: Path) -> None:
    """The demo's activities are all done: no late bar, each stage's own done colour."""
    _, pages = render_gantt(demo, tmp_path)
    assert len(blobs(pages, LATE)) == 1  # the legend only
    definition = load_programme("ecomercado-15m")
    for index, _stage in enumerate(definition.stages):
        done, planned = stage_colours(index)
        assert sum(blobs(pages, done)) > 2000, index
        assert sum(rgb(planned)) > sum(rgb(done))  # planned is the lighter one


def test_each_stage_is_planned_in_its_own_colour(tmp_path: Path) -> None:
    """With the cut-off at the start nothing is late: every bar shows its stage's colour."""
    start = date(2026, 3, 2)
    path = build_file(load_programme("ecomercado-15m"), tmp_path / "plan.xlsx", start=start,
                      cutoff=start)
    _, pages = render_gantt(path, tmp_path)
    for index in range(4):
        assert sum(blobs(pages, stage_colours(index)[1])) > 2000, index
    assert len(blobs(pages, LATE)) == 1  # the legend only


def test_progress_shading_follows_percent_done(built: dict[str, Path], tmp_path: Path) -> None:
    """4.1 half done: the weeks starting in its first half are in stage 4's done colour, and
    the stage row shows its rolled-up progress (weighted by days) the same way."""
    definition = load_programme("ecomercado-15m")
    path = with_cells(built["ecomercado-15m"], tmp_path / "avance.xlsx", GANTT.es,
                      {"4.1@G": 0.5})
    _, pages = render_gantt(path, tmp_path)
    cal = ConvenioCalendar(definition.calendar, START)
    activity = definition.activity("implementacion_plan_trabajo")
    item = next(i for i in schedule(definition, START) if i.activity is activity)
    days = (item.end - item.start).days + 1
    stage = next(s for s in definition.stages if activity in s.activities)
    spans = [next(i for i in schedule(definition, START) if i.activity is a)
             for a in stage.activities if a.kind.value == "actividad"]
    stage_days = sum((i.end - i.start).days + 1 for i in spans)
    stage_start = min(i.start for i in spans)
    stage_end = max(i.end for i in spans)
    rolled = 0.5 * days / stage_days

    def done_weeks(first: date, last: date, share: float) -> int:
        length = (last - first).days + 1
        return sum(1 for w in cal.weeks if w.start <= last and w.end >= first
                   and (w.start - first).days < length * share
                   and not w.start <= CUTOFF <= w.end)

    expected = done_weeks(item.start, item.end, 0.5) + done_weeks(stage_start, stage_end,
                                                                   rolled)
    done = blobs(pages, stage_colours(3)[0])
    assert len(done) == expected


def test_stage_progress_is_the_days_weighted_share(recalculated_progress: Path) -> None:
    ws = load_workbook(recalculated_progress, data_only=True)[GANTT.es]
    rows = {str(r[0]): r for r in ws.iter_rows(values_only=True) if r[0]}
    # 4.1 (212 days) done, 4.2–4.4 (212 + 212 + 30 days) not; the reports do not count.
    assert rows["4"][GANTT.index("avance")] == pytest.approx(212 / 666)


def test_milestones_are_diamonds_in_their_week_and_months_are_spanish(
        recalculated: dict[str, Path]) -> None:
    ws = load_workbook(recalculated["ecomercado-15m"], data_only=True)[GANTT.es]
    left = len(GANTT.columns)
    months = [c.value for c in ws[MONTH_DATE_ROW]][left::4][:3]
    assert months == ["mar 2026", "abr 2026", "may 2026"]
    starts = [d(c.value) for c in ws[GANTT.header_row]][left:]
    ends = [d(c.value) for c in ws[WEEK_END_ROW]][left:]
    for row in ws.iter_rows(min_row=GANTT.header_row + 1, values_only=True):
        if not str(row[0]).startswith("4.5"):
            continue
        when = d(row[GANTT.index("termino")])
        marks = [i for i, v in enumerate(row[left:left + len(starts)]) if v == "◆"]
        assert marks == [i for i, (a, b) in enumerate(zip(starts, ends, strict=True))
                         if a <= when <= b], row[0]


# --- item 16: fonts --------------------------------------------------------------------------

def test_every_sheet_renders_in_a_sans_serif_face(demo_pdf: Path) -> None:
    fonts = libreoffice.pdf_fonts(demo_pdf)
    assert fonts and not [f for f in fonts if "Serif" in f], fonts


# --- items 17–18: the matrices ---------------------------------------------------------------

def test_matrix_headers_are_never_split_mid_word(demo_pdf: Path) -> None:
    text = "\n".join(libreoffice.page_text(demo_pdf, n)
                     for n in range(1, libreoffice.page_count(demo_pdf) + 1))
    words = {w.strip("()¿?") for layout in ECOMERCADO_LAYOUTS if layout.kind == "table"
             for c in layout.columns for w in c.es.split() if len(w.strip("()¿?")) >= 8}
    assert {"Formalizada", "comprometida"} <= words
    missing = sorted(w for w in words if not re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text))
    assert not missing


def test_short_values_keep_clear_of_the_next_column(demo_pdf: Path) -> None:
    """Dates and yes/no values are centred: a visible gap from the neighbouring column
    (they used to touch it: «08-04-2025Socialización», «15Sí»)."""
    gaps = []
    for number in range(1, libreoffice.page_count(demo_pdf) + 1):
        words = libreoffice.page_words(demo_pdf, number)
        assert not [w for w in words if re.fullmatch(r"\d\d-\d\d-\d{4}.+|\d+(Sí|No)", w.text)]
        for word in words:
            line = [w for w in words if abs(w.y0 - word.y0) < 1]
            if re.fullmatch(r"\d\d-\d\d-\d{4}", word.text):
                right = [w.x0 - word.x1 for w in line if w.x0 > word.x1]
                gaps += [min(right)] if right else []
            elif word.text in ("Sí", "No"):
                left = [w for w in line if w.x1 < word.x0]
                if left and re.fullmatch(r"\d+", max(left, key=lambda w: w.x1).text):
                    gaps.append(word.x0 - max(w.x1 for w in left))
    assert len(gaps) > 50 and min(gaps) >= 2.5, min(gaps)


def test_seguimiento_rows_show_status_and_overdue_colours(demo: Path, tmp_path: Path) -> None:
    _, pages = render(demo, tmp_path, SEGUIMIENTO_TRABAJO.title_es[:30])
    assert blobs(pages, OVERDUE, 200), "the overdue action's row"
    assert blobs(pages, STATUS_FILLS["Completada"], 200)


def test_inventario_total_row_adds_the_visible_rows(demo_recalculated: Path) -> None:
    ws = load_workbook(demo_recalculated, data_only=True)[INVENTARIO.es]
    column = INVENTARIO.index("valor_total")
    values = [r[column] for r in ws.iter_rows(min_row=INVENTARIO.first_data_row,
                                              values_only=True) if r[0]]
    total = ws[f"{column_letter(column)}2"].value
    assert values and total == sum(values)
