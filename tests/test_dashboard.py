"""`minga tablero`: the supervisor's dashboard, as an Excel workbook LibreOffice opens and
renders with its charts, and as one offline HTML page tested in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from addin.demo import build_demo
from addin.demo.submissions import make_submissions
from tests import libreoffice
from tests.supervision_fixtures import rows, run

#: A name an organisation could type into its workbook, meant to run in the supervisor's page.
HOSTILE = '<img src="http://198.51.100.7/x.png" onerror="document.title=\'pwned\'">'
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _pixels(image: Image.Image) -> zip:
    data = image.convert("RGB").tobytes()
    return zip(data[0::3], data[1::3], data[2::3], strict=True)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Seven programmes in three regions, two months each, reviewed, plus a hostile one."""
    root = tmp_path_factory.mktemp("tablero")
    folder = root / "entregas"
    make_submissions(folder, 14, months=2)
    build_demo(folder / "hostil.xlsx", plant=False, form={"comuna": "Arauco",
                                                         "ejecutor": HOSTILE})
    db = root / "entregas.minga.sqlite"
    result = run("supervisar", str(folder), cwd=root)
    assert result.returncode in (0, 1), result.stderr
    for programme, state in (("coronel-2025-03", "aprobado"), ("talca-2025-03", "observado"),
                             ("chillan-2025-03", "rechazado")):
        assert run("revisar", programme, "--estado", state, "--comentario", "Revisado.",
                   cwd=root).returncode == 0
    return root, db


def test_excel_dashboard_has_a_row_per_programme_links_lights_and_charts(history) -> None:
    root, db = history
    target = root / "tablero.xlsx"
    result = run("tablero", "-o", str(target), cwd=root)
    assert result.returncode == 0, result.stderr
    wb = load_workbook(target)
    assert wb.sheetnames[:3] == ["Tablero", "Gráficos", "Datos"]
    ws = wb["Tablero"]
    header = [c.value for c in ws[4]]
    table = [dict(zip(header, [c.value for c in row], strict=True))
             for row in ws.iter_rows(min_row=5) if row[0].value]
    codes = {r["code"] for r in rows(db, "SELECT code FROM programmes")}
    assert {r["Programa"] for r in table} == codes and len(codes) == 8
    coronel = next(r for r in table if r["Programa"] == "coronel-2025-03")
    latest = rows(db, "SELECT s.errors, s.warnings, s.path FROM submissions s JOIN programmes "
                      "p ON p.id = s.programme_id WHERE p.code = 'coronel-2025-03' "
                      "ORDER BY s.cutoff DESC LIMIT 1")[0]
    assert (coronel["Errores"], coronel["Advertencias"]) == (latest["errors"],
                                                             latest["warnings"])
    assert coronel["Estado de revisión"] == "Aprobado"
    assert coronel["Cambio desde la entrega anterior"].startswith("+")
    assert coronel["Mes de ejecución"] == "13 de 13"
    row = 5 + [r["Programa"] for r in table].index("coronel-2025-03")
    assert ws.cell(row, 1).hyperlink.location == "'coronel-2025-03'!A1"
    assert ws.cell(row, len(header)).hyperlink.target == Path(latest["path"]).as_uri()
    assert wb["coronel-2025-03"]["A1"].value.startswith("coronel-2025-03: Coronel (Biobío)")
    assert len(ws.conditional_formatting) >= 5  # traffic lights
    hostile = next(r for r in table if r["Comuna / territorio"] == "Arauco")
    assert hostile["Ejecutor"] == HOSTILE  # quoted as text
    with zipfile.ZipFile(target) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
        kinds = [package.read(n) for n in charts]
    assert len(charts) == 2
    assert any(re.search(rb"<(\w+:)?barChart>", k) for k in kinds)
    assert any(re.search(rb"<(\w+:)?lineChart>", k) for k in kinds)


@pytest.mark.libreoffice
def test_excel_dashboard_opens_in_libreoffice_and_renders_its_charts(history,
                                                                    tmp_path: Path) -> None:
    root, _ = history
    target = root / "tablero-lo.xlsx"
    assert run("tablero", "-o", str(target), cwd=root).returncode == 0
    saved = libreoffice.convert(target, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    again = load_workbook(saved)  # LibreOffice read it whole and wrote it back
    assert again.sheetnames[:3] == ["Tablero", "Gráficos", "Datos"]
    assert [c.value for c in again["Tablero"]["A"][4:11]] == \
        [c.value for c in load_workbook(target)["Tablero"]["A"][4:11]]
    with zipfile.ZipFile(saved) as package:
        assert len([n for n in package.namelist() if n.startswith("xl/charts/chart")]) == 2
    pdf = libreoffice.convert(target, "pdf", tmp_path / "pdf")
    page = libreoffice.pdf_page_with(pdf, "Hallazgos por familia de reglas")
    png = libreoffice.render_page(pdf, page, tmp_path / "graficos")
    image = Image.open(png).convert("RGB")
    coloured = sum(1 for r, g, b in _pixels(image) if max(r, g, b) - min(r, g, b) > 80)
    assert coloured > 2000, "the Gráficos page shows no chart"  # its only colour: the series


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, driven by Playwright (one per module)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium is installed by tests/run.sh and .ci/run"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page(history, browser):
    root, _ = history
    target = root / "tablero.html"
    result = run("tablero", "-o", str(target), "--sobrescribir", cwd=root)
    assert result.returncode == 0, result.stderr
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(target.as_uri())
    tab.wait_for_load_state("load")
    yield tab, requests, target
    tab.close()


def _codes(tab) -> list[str]:
    return tab.eval_on_selector_all(
        "#programas tbody tr:not([hidden])", "rows => rows.map(r => r.cells[0].textContent)")


def test_html_dashboard_loads_offline_without_any_request(page) -> None:
    tab, requests, target = page
    assert requests == [target.as_uri()]  # the page itself, nothing else
    assert tab.title() == "Tablero de supervisión — minga"  # the hostile name ran nothing
    cells = tab.eval_on_selector_all("#programas td", "cells => cells.map(c => c.textContent)")
    assert HOSTILE in cells
    assert tab.inner_text("#cuenta") == "8 de 8 programas"


def test_html_table_sorts_when_a_header_is_clicked(page) -> None:
    tab, _, _ = page
    errors = lambda: tab.eval_on_selector_all(  # noqa: E731
        "#programas tbody tr", "rows => rows.map(r => Number(r.cells[10].textContent))")
    tab.click("#programas th:nth-child(11)")  # Errores
    assert errors() == sorted(errors()) and tab.get_attribute(
        "#programas th:nth-child(11)", "aria-sort") == "ascending"
    tab.click("#programas th:nth-child(11)")
    assert errors() == sorted(errors(), reverse=True)
    tab.click("#programas th:nth-child(4)")  # Comuna, alphabetical
    comunas = tab.eval_on_selector_all("#programas tbody tr",
                                       "rows => rows.map(r => r.cells[3].textContent)")
    assert comunas == sorted(comunas, key=str.casefold) and len(comunas) == 8


def test_html_table_filters_by_text_region_and_state(page) -> None:
    tab, _, _ = page
    tab.fill("#filtro", "talca")
    assert sorted(_codes(tab)) == ["talca-2025-03", "talcahuano-2025-03"]
    assert tab.inner_text("#cuenta") == "2 de 8 programas"
    tab.fill("#filtro", "")
    tab.select_option("#filtro-region", "Biobío")
    assert sorted(_codes(tab)) == ["arauco-2025-03", "coronel-2025-03", "lota-2025-03",
                                   "talcahuano-2025-03", "tome-2025-03"]
    tab.select_option("#filtro-estado", "Aprobado")
    assert _codes(tab) == ["coronel-2025-03"]
    tab.select_option("#filtro-region", "")
    tab.select_option("#filtro-estado", "Rechazado")
    assert _codes(tab) == ["chillan-2025-03"]
    tab.select_option("#filtro-estado", "")
    assert len(_codes(tab)) == 8


def test_html_charts_render(page, tmp_path: Path) -> None:
    tab, _, _ = page
    bars = tab.eval_on_selector_all("#grafico-familias rect.barra-error",
                                    "rs => rs.map(r => r.getBBox().height)")
    assert bars and max(bars) > 20
    points = tab.eval_on_selector_all("#grafico-evolucion circle", "cs => cs.length")
    assert points == 4  # errors and warnings, two months
    for chart in ("#grafico-familias", "#grafico-evolucion"):
        shot = tmp_path / f"{chart[1:]}.png"
        tab.locator(chart).screenshot(path=str(shot))
        image = Image.open(shot).convert("RGB")
        red = sum(1 for r, g, b in _pixels(image) if r > 150 and g < 90 and b < 90)
        assert red > 200, f"{chart} drew nothing"


def _drawn(tab) -> tuple[dict[str, list[int]], list[str]]:
    """What the charts show: errors and warnings by family (from the bars' tooltips), and
    the evolution's points («2026-04: 3 errores»)."""
    families: dict[str, list[int]] = {}
    for title in tab.eval_on_selector_all(
            "#grafico-familias rect title", "ts => ts.map(t => t.textContent)"):
        family, _, rest = title.partition(": ")
        count, kind = rest.split()
        families.setdefault(family, [0, 0])[0 if kind == "errores" else 1] = int(count)
    points = tab.eval_on_selector_all("#grafico-evolucion circle title",
                                      "ts => ts.map(t => t.textContent)")
    return families, sorted(points)


def _expected(db: Path, codes: set[str]) -> tuple[dict[str, list[int]], list[str]]:
    """The same figures from the database, for the programmes ``codes``: findings of each
    one's latest submission by family; errors and warnings summed by cut-off month."""
    from addin.supervision.metrics import family

    families: dict[str, list[int]] = {}
    months: dict[str, list[int]] = {}
    for code in codes:
        subs = rows(db, "SELECT s.id, s.cutoff, s.errors, s.warnings FROM submissions s JOIN "
                        "programmes p ON p.id = s.programme_id WHERE p.code = ? "
                        "ORDER BY s.cutoff, s.validated_at, s.id", (code,))
        for f in rows(db, "SELECT rule, severity FROM findings WHERE submission_id = ?",
                      (subs[-1]["id"],)):
            if f["severity"] in ("error", "warning"):
                families.setdefault(family(f["rule"]), [0, 0])[
                    0 if f["severity"] == "error" else 1] += 1
        by_month = {s["cutoff"][:7]: (s["errors"], s["warnings"]) for s in subs}
        for month, (e, w) in by_month.items():
            months.setdefault(month, [0, 0])
            months[month][0] += e
            months[month][1] += w
    points = [f"{m}: {e} errores" for m, (e, _) in months.items()] + \
        [f"{m}: {w} advertencias" for m, (_, w) in months.items()]
    return families, sorted(points)


def test_html_charts_redraw_for_the_rows_the_filters_leave(page, history) -> None:
    tab, _, _ = page
    _, db = history
    every = {r["code"] for r in rows(db, "SELECT code FROM programmes")}
    assert _drawn(tab) == _expected(db, every)
    tab.select_option("#filtro-region", "Biobío")
    biobio = {r["code"] for r in rows(db, "SELECT code FROM programmes WHERE region = "
                                          "'Biobío'")}
    assert _drawn(tab) == _expected(db, biobio) != _expected(db, every)
    tab.select_option("#filtro-estado", "Aprobado")
    assert _drawn(tab) == _expected(db, {"coronel-2025-03"})
    tab.fill("#filtro", "ninguna comuna se llama así")
    assert _drawn(tab) == ({}, [])
    assert "Sin hallazgos en los programas mostrados" in tab.inner_text("#familias")
    tab.fill("#filtro", "")
    tab.select_option("#filtro-estado", "")
    tab.select_option("#filtro-region", "")
    assert _drawn(tab) == _expected(db, every)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A history of every kind of programme (the demo's mixed folder)."""
    from addin.demo.submissions import make_mixed

    root = tmp_path_factory.mktemp("mixto")
    make_mixed(root / "entregas", ecomercados=3)
    result = run("supervisar", str(root / "entregas"), cwd=root)
    assert result.returncode == 1, result.stderr
    return root, root / "entregas.minga.sqlite"


def test_html_dashboard_of_every_kind_filters_table_and_charts_by_kind(mixed, browser) -> None:
    root, db = mixed
    target = root / "tablero.html"
    assert run("tablero", "-o", str(target), cwd=root).returncode == 0
    kinds = {"Ecomercado": "ecomercado", "Matriz de indicadores": "indicadores",
             "Asamblea": "asamblea", "Hoja de ruta y fondo": "ruta"}
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        tab.goto(target.as_uri())
        options = tab.eval_on_selector_all("#filtro-tipo option",
                                           "os => os.map(o => o.value).filter(Boolean)")
        assert sorted(options) == sorted(kinds)
        for label, kind in kinds.items():
            tab.select_option("#filtro-tipo", label)
            codes = {r["code"] for r in rows(db, "SELECT code FROM programmes WHERE kind = ?",
                                             (kind,))}
            assert set(_codes(tab)) == codes, label
            assert {c for c in tab.eval_on_selector_all(
                "#programas tbody tr:not([hidden])",
                "rs => rs.map(r => r.cells[1].textContent)")} == {label}
            assert _drawn(tab) == _expected(db, codes), label
        tab.select_option("#filtro-tipo", "Asamblea")
        assert _drawn(tab)[1] == ["2023-11: 0 advertencias", "2023-11: 2 errores",
                                  "2023-12: 0 advertencias", "2023-12: 0 errores"]
        progress = tab.eval_on_selector_all("#programas tbody tr:not([hidden])",
                                            "rs => rs.map(r => r.cells[9].textContent)")
        assert progress == ["12 %60 inscritos de 500"]
    finally:
        tab.close()


def test_excel_dashboard_of_every_kind_says_each_kind_and_its_findings(mixed) -> None:
    root, db = mixed
    target = root / "tablero.xlsx"
    assert run("tablero", "-o", str(target), cwd=root).returncode == 0
    wb = load_workbook(target)
    ws = wb["Tablero"]
    header = [c.value for c in ws[4]]
    table = {r[0]: dict(zip(header, r, strict=True))
             for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    assert table["conecta-peru-2022-06"]["Tipo"] == "Hoja de ruta y fondo"
    assert table["conecta-peru-2022-06"]["Avance"] == \
        "Aportes al fondo: 3.600 de 10.000 PEN (saldo 1.600)"
    assert table["conecta-peru-2022-06"]["Informes atrasados"] is None  # it has no reports
    assert table["la-victoria-el-agustino-2025-01"]["Comuna / territorio"] == \
        "La Victoria y El Agustino"
    data = list(wb["Datos"].iter_rows(values_only=True))
    top = data.index(("Tipo de programa", "Familia de reglas", "Errores", "Advertencias"))
    by_kind = {(k, f): (e, w) for k, f, e, w in data[top + 1:] if k}
    expected = _expected(db, {c for c, r in table.items() if r["Tipo"] == "Ecomercado"})[0]
    assert {f: list(v) for (k, f), v in by_kind.items() if k == "Ecomercado"} == \
        {f: v for f, v in expected.items()}


def test_tablero_refuses_other_formats_and_a_database_without_programmes(tmp_path) -> None:
    result = run("tablero", "-o", "tablero.pdf", cwd=tmp_path)
    assert result.returncode == 2 and "debe terminar en .xlsx (Excel) o .html" in result.stderr
    empty = tmp_path / "vacia.minga.sqlite"
    from addin.supervision.db import History

    History.open(empty).close()
    result = run("tablero", "-o", "t.html", "--db", str(empty), cwd=tmp_path)
    assert result.returncode == 2 and "no tiene programas identificados" in result.stderr
    assert not (tmp_path / "t.html").exists()
