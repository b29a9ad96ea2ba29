"""LibreOffice headless opens what minga builds, recalculates it and draws the Gantt bars."""

from __future__ import annotations

from collections import deque
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from addin.actions.build import BAR, MARKER_HEADER, MILESTONE, PROGRESS, STAGE_BAR, WEEK_END_ROW
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.domain.programme import load_programme
from addin.domain.schedule import ConvenioCalendar
from addin.layouts.ecomercado import GANTT
from tests import libreoffice
from tests.conftest import CUTOFF, START
from tests.test_programmes import EXPECTED_WINDOWS, REPORT_MONTHS

pytestmark = pytest.mark.libreoffice


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
    rgb = image.convert("RGB")
    width, height = rgb.size
    pixels = rgb.load()
    hits = {(x, y) for y in range(height) for x in range(width)
            if all(abs(pixels[x, y][k] - target[k]) <= tolerance for k in range(3))}
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


def render_gantt(xlsx: Path, out: Path) -> Image.Image:
    pdf = libreoffice.convert(xlsx, "pdf", out)
    page = libreoffice.pdf_page_with(pdf, "Carta Gantt")
    return Image.open(libreoffice.render_page(pdf, page, out / f"{xlsx.stem}-gantt"))


@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_gantt_renders_bars_milestones_and_cutoff(built: dict[str, Path], tmp_path: Path,
                                                  variant: str) -> None:
    image = render_gantt(built[variant], tmp_path)
    legend = 300  # a legend swatch is one small cell; anything larger is drawn by the rules
    bars, stages = colour_blobs(image, BAR), colour_blobs(image, STAGE_BAR)
    assert bars and bars[0] > legend * 3
    assert stages and stages[0] > legend * 3
    reports = len(REPORT_MONTHS[variant])
    gold = [s for s in colour_blobs(image, MILESTONE) if s > 20]
    assert len(gold) == reports + 1  # the milestones and the legend swatch
    assert len([s for s in colour_blobs(image, MARKER_HEADER) if s > 20]) == 2  # week + legend
    # No progress recorded yet: only the legend swatch is painted in the progress colour.
    assert len([s for s in colour_blobs(image, PROGRESS) if s > 20]) == 1


def test_progress_shading_follows_percent_done(built: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "avance.xlsx"
    path.write_bytes(built["ecomercado-15m"].read_bytes())
    backend = OpenpyxlBackend.open(path)
    rows = backend.read_values(GANTT.es)
    row = next(i for i, r in enumerate(rows, start=1) if r[0] == "4.1")
    backend.write_block(GANTT.es, f"G{row}", [[0.5]])
    backend.save()
    image = render_gantt(path, tmp_path)
    # 4.1 runs 02-10-2026..01-05-2027 (212 days); half done = weeks starting before
    # 16-01-2027: 14 week cells (each its own blob between grid lines) plus the legend swatch.
    progress = [s for s in colour_blobs(image, PROGRESS) if s > 20]
    assert len(progress) == 14 + 1

