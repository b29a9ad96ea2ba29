"""Regenerate the committed templates (and the README picture of the carta Gantt).

    python workbooks/build.py            # templates (and their .xlsm twins) only
    python workbooks/build.py --png      # also render docs/carta-gantt.png (LibreOffice)

The templates are what `minga nuevo --programa ID` writes without a start date; a test fails
when the committed files differ in content from what the code generates.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from addin.actions.build import build_file  # noqa: E402
from addin.backends.openpyxl_backend import OpenpyxlBackend  # noqa: E402
from addin.domain.programme import builtin_ids, load_programme  # noqa: E402

_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>")


def template_path(programme_id: str, folder: Path = HERE) -> Path:
    return folder / f"{programme_id}.xlsx"


def build_templates(folder: Path = HERE) -> list[Path]:
    return [build_file(load_programme(pid), template_path(pid, folder), overwrite=True)
            for pid in builtin_ids()]


def content(path: Path) -> dict[str, bytes]:
    """The parts of an .xlsx, minus the save timestamp openpyxl always writes."""
    with zipfile.ZipFile(path) as archive:
        return {name: _MODIFIED.sub(b"", archive.read(name)) for name in archive.namelist()}


def render_png(target: Path) -> Path:
    """A populated 15-month workbook's carta Gantt drawn by LibreOffice, whole.

    Printed, the chart spans two Letter pages; for the picture it is put on one tabloid page
    (same formats and rules, only the page setup differs) so the README shows all of it.
    """
    import tempfile

    from openpyxl import load_workbook
    from openpyxl.worksheet.pagebreak import ColBreak
    from PIL import Image

    from tests import libreoffice

    with tempfile.TemporaryDirectory() as tmp:
        xlsx = build_file(load_programme("ecomercado-15m"), Path(tmp) / "ecomercado-15m.xlsx",
                          start=date(2026, 3, 2), cutoff=date(2026, 11, 24))
        # Progress as a programme would report it at the cut-off date, for the picture: some
        # activities done, some under way, one late.
        backend = OpenpyxlBackend.open(xlsx)
        done = {"1.1": 1, "1.2": 1, "2.1": 1, "2.2": 1, "2.3": 0.45, "3.1": 1, "3.2": 1,
                "3.3": 0.6, "4.1": 0.2, "4.2": 0.15, "4.3": 0.1}
        rows = backend.read_values("Carta Gantt")
        for number, row in enumerate(rows, start=1):
            if row and row[0] in done:
                backend.write_block("Carta Gantt", f"G{number}", [[done[row[0]]]])
        backend.save()
        workbook = load_workbook(xlsx)
        sheet = workbook["Carta Gantt"]
        sheet.page_setup.paperSize = sheet.PAPERSIZE_TABLOID
        sheet.page_setup.fitToWidth = sheet.page_setup.fitToHeight = 1
        sheet.col_breaks = ColBreak()
        workbook.save(xlsx)
        pdf = libreoffice.convert(xlsx, "pdf", Path(tmp))
        page = libreoffice.pdf_page_with(pdf, "Etapa / actividad")
        png = libreoffice.render_page(pdf, page, Path(tmp) / "gantt", dpi=110)
        image = Image.open(png)
        bbox = Image.eval(image.convert("L"), lambda v: 255 - v).getbbox()
        if bbox:
            left, top, right, bottom = bbox
            image = image.crop((max(left - 12, 0), max(top - 12, 0), right + 12, bottom + 12))
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(target, optimize=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", action="store_true", help="render docs/carta-gantt.png too")
    args = parser.parse_args()
    for path in build_templates():
        print(f"plantilla: {path.relative_to(ROOT)}")
        if path.stem.startswith("ecomercado-"):
            # Its macro-enabled twin with the Excel buttons (macros/build_xlsm.py, .[test]).
            sys.path.insert(0, str(ROOT / "macros"))
            import build_xlsm

            twin = build_xlsm.build(path, path.with_suffix(".xlsm"))
            print(f"plantilla: {twin.relative_to(ROOT)}")
    if args.png:
        print(f"imagen: {render_png(ROOT / 'docs' / 'carta-gantt.png').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
