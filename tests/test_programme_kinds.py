"""Every built-in programme from the command line, each kind of workbook opened and
recalculated by LibreOffice, and a new programme made of a definition file alone."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.domain.programme import builtin_ids, load_programme
from addin.layouts.sets import layouts_for
from tests import libreoffice
from tests.programme_books import build, check, found
from tests.test_assembly import SEED_AGENDA, agenda, registrants
from tests.test_indicators import COMPARTE_PARTS, comparte
from tests.test_roadmap import HEALTHY

OTHERS = ["asamblea-pit-arauca", "conecta-peru", "la-victoria-el-agustino", "red-comparte"]
QUOTE = re.compile(r"«([^«»]+)»")
#: The seed documents, kept beside the repository (shared/seeds) where minga is developed.
SEEDS = next((folder / "shared" / "seeds" for folder in Path(__file__).resolve().parents
              if (folder / "shared" / "seeds").is_dir()), None)


def minga(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_minga_programas_lists_every_builtin_with_a_spanish_line() -> None:
    listed = minga("programas", cwd=Path.cwd())
    assert listed.returncode == 0
    lines = {line.split()[0]: line for line in listed.stdout.splitlines() if line.strip()}
    for pid in builtin_ids():
        assert pid in lines
        description = load_programme(pid).description
        assert description and description in lines[pid], pid
    assert "Asamblea de un día (PIT Arauca" in lines["asamblea-pit-arauca"]


@pytest.mark.parametrize("pid", builtin_ids())
def test_minga_nuevo_builds_each_builtin_with_its_own_sheets(pid: str, tmp_path: Path) -> None:
    made = minga("nuevo", "--programa", pid, "-o", "libro.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    names = load_workbook(tmp_path / "libro.xlsx", read_only=True).sheetnames
    for layout in layouts_for(load_programme(pid)):
        if not layout.output_only:
            assert layout.es in names, (pid, layout.es)
    validated = minga("validar", "libro.xlsx", "--json", cwd=tmp_path)
    assert validated.returncode in (0, 1), validated.stderr  # read, never a crash


@pytest.mark.skipif(SEEDS is None, reason="the seed documents live beside the repository "
                    "(shared/seeds), never copied into it")
@pytest.mark.parametrize("pid", OTHERS)
def test_every_quote_in_the_other_programmes_is_their_documents_own(pid: str) -> None:
    """Each «…» a definition quotes (or its rules do) is in the seed document it comes from."""
    assert SEEDS is not None
    words = " ".join(" ".join(p.read_text("utf-8").split()) for p in SEEDS.glob("00[0-3]_*"))
    words = words.lower().replace("’", "'")
    d = load_programme(pid)
    texts = [d.source, *(i.source for i in d.indicators), *(a.source for a in d.activities)]
    texts += [x.source for x in (d.assembly, d.savings_fund) if x is not None]
    from addin.domain.rules import REGISTRY

    texts += [r.source for r in REGISTRY.values() if r.applies_to(d) and "ecomercado" not in
              r.sets]
    for text in texts:
        for quote in QUOTE.findall(text):
            for piece in (p.strip(" .") for p in quote.split("…")):
                if len(piece) > 3 and not piece.isdigit():
                    assert " ".join(piece.lower().replace("’", "'").split()) in words, piece


def test_a_new_programme_is_a_definition_file_alone(tmp_path: Path) -> None:
    """Only parameters change: a results matrix of two indicators, its own reach, by file."""
    mine = tmp_path / "huertos.yaml"
    mine.write_text(
        "id: huertos-comunitarios\n"
        "name: Huertos comunitarios de Quilicura\n"
        "description: Resultados de los huertos comunitarios\n"
        "layouts: indicadores\n"
        "source: Informe de resultados 2025\n"
        "territories: [Norte, Sur]\n"
        "indicators:\n"
        "  - {key: familias, code: H1, name: Familias con huerto, target: 40,\n"
        "     target_kind: minimo, women_share: 0.5, territory_targets: {Norte: 20, Sur: 20}}\n"
        "  - {key: cosecha, code: H2, name: Kilos cosechados, unit: kg,\n"
        "     components: [Hortalizas, Frutas]}\n", "utf-8")
    made = minga("nuevo", "-p", str(mine), "-o", "huertos.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    definition = load_programme(mine)
    result = check(tmp_path / "lleno.xlsx", definition, {
        "indicadores": [{"codigo": "H1", "indicador": "Familias con huerto", "meta": 40,
                         "logrado": 38, "logrado_mujeres": 21},
                        {"codigo": "H2", "indicador": "Kilos cosechados", "logrado": 900}],
        "avance": [{"codigo": "H1", "territorio": "Norte", "periodo": "2025", "total": 20},
                   {"codigo": "H1", "territorio": "Sur", "periodo": "2025", "total": 18}],
        "componentes": [{"codigo": "H2", "componente": "Hortalizas", "valor": 700},
                        {"codigo": "H2", "componente": "Frutas", "valor": 150}]},
        {"termino": date(2025, 12, 31)})
    assert sorted(found(result)) == [  # 850 ≠ 900; 38 < «at least» 40; Sur 18 < 20
        ("IND-04", "Indicadores", "I5"), ("IND-06", "Indicadores", "I4"),
        ("IND-07", "Indicadores", "I4")]
    # The workbook carries its definition: `minga validar` needs no --programa.
    validated = minga("validar", "lleno.xlsx", "--fecha-corte", "2026-06-30", cwd=tmp_path)
    assert validated.returncode == 1 and "IND-04" in validated.stdout


# --- LibreOffice opens each kind of workbook, recalculates it and prints it -------------------

@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("kinds")
    lv = load_programme("la-victoria-el-agustino")
    return {
        "la-victoria-el-agustino": build(folder / "lv.xlsx", lv, {"indicadores": [
            {"codigo": i.code, "indicador": i.name, "unidad": i.unit, "meta": i.target,
             "meta_mujeres_pct": i.women_share, "logrado": i.target,
             "logrado_mujeres": i.women_target} for i in lv.indicators]}),
        "red-comparte": build(folder / "rc.xlsx", "red-comparte", comparte(COMPARTE_PARTS)),
        "asamblea-pit-arauca": build(folder / "as.xlsx", "asamblea-pit-arauca", {
            "agenda": agenda(SEED_AGENDA), "inscripcion": registrants(60)}),
        "conecta-peru": build(folder / "cp.xlsx", "conecta-peru", {"fondo": HEALTHY},
                              {"inicio": date(2022, 6, 1)}),
    }


@pytest.fixture(scope="module")
def recalculated(books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
                 ) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("kinds-recalc")
    return {pid: libreoffice.convert(path, "xlsx:Calc MS Excel 2007 XML", folder / pid)
            for pid, path in books.items()}


def _column(sheet: object, header: str) -> list[object]:
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    head = rows[2]
    return [r[head.index(header)] for r in rows[3:] if any(v is not None for v in r)]


def test_libreoffice_computes_the_women_targets_and_shares(recalculated: dict[str, Path]
                                                            ) -> None:
    sheet = load_workbook(recalculated["la-victoria-el-agustino"], data_only=True)["Indicadores"]
    assert _column(sheet, "Meta mujeres")[:2] == [30, 96]  # 75 × 40 %, 160 × 60 %
    assert _column(sheet, "% de la meta") == [1, 1, 1, 1]
    assert _column(sheet, "% mujeres logrado")[:2] == [0.4, 0.6]


def test_libreoffice_runs_the_savings_fund_balance(recalculated: dict[str, Path]) -> None:
    sheet = load_workbook(recalculated["conecta-peru"], data_only=True)["Fondo de ahorro"]
    assert _column(sheet, "Saldo") == [1500, 2700, 700, 1500]


def test_libreoffice_reads_the_agenda_times(recalculated: dict[str, Path]) -> None:
    sheet = load_workbook(recalculated["asamblea-pit-arauca"], data_only=True)["Programa"]
    fields = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert fields["Hora de inicio de la jornada"] == time(8, 0)
    assert fields["Alcance (personas)"] == 500


@pytest.mark.parametrize("pid", OTHERS)
def test_each_new_sheet_prints_with_its_title(pid: str, books: dict[str, Path],
                                              tmp_path: Path) -> None:
    pdf = libreoffice.convert(books[pid], "pdf", tmp_path)
    for layout in layouts_for(load_programme(pid)):
        if layout.output_only or layout.kind == "gantt":
            continue
        pages = libreoffice.pdf_pages_with(pdf, layout.title("es")[:30])
        assert pages, (pid, layout.es)
        png = libreoffice.render_page(pdf, pages[0], tmp_path / f"{pid}-{layout.key}")
        assert png.stat().st_size > 5_000
    assert set(libreoffice.pdf_fonts(pdf)) and not [
        f for f in libreoffice.pdf_fonts(pdf) if "Serif" in f and "Sans" not in f]


def test_nuevo_with_a_date_writes_it_where_the_programme_keeps_it(tmp_path: Path) -> None:
    made = minga("nuevo", "-p", "asamblea-pit-arauca", "--inicio", "18-11-2023", "-o",
                 "a.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "fecha 18-11-2023 escrita en la hoja Programa" in " ".join(made.stdout.split())
    fields = {r[0]: r[1] for r in load_workbook(tmp_path / "a.xlsx")["Programa"].iter_rows(
        values_only=True) if r[0]}
    assert fields["Fecha de la asamblea"].date() == date(2023, 11, 18)


def test_poblar_refuses_a_programme_without_a_carta_gantt(tmp_path: Path) -> None:
    assert minga("nuevo", "-p", "red-comparte", "-o", "r.xlsx", cwd=tmp_path).returncode == 0
    before = (tmp_path / "r.xlsx").read_bytes()
    refused = minga("poblar", "r.xlsx", "--inicio", "2022-01-01", cwd=tmp_path)
    assert refused.returncode == 2 and "no tiene carta Gantt" in refused.stderr
    assert (tmp_path / "r.xlsx").read_bytes() == before
