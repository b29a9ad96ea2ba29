"""LibreOffice headless (Debian package libreoffice-calc-nogui) as a test oracle.

It opens what minga writes as an independent spreadsheet application would: recalculating
formulas (xlsx → xlsx with cached values) and rendering sheets (xlsx → PDF → PNG).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")


def require() -> None:
    """Fail loudly (not skip): CI installs LibreOffice and poppler-utils in .ci/run."""
    missing = [name for name, path in (("soffice", SOFFICE), ("pdftoppm", PDFTOPPM),
                                       ("pdftotext", PDFTOTEXT)) if not path]
    if missing:
        raise RuntimeError(f"missing {', '.join(missing)}: run `bash .ci/run` or install "
                           "libreoffice-calc-nogui and poppler-utils")


def convert(source: Path, fmt: str, outdir: Path) -> Path:
    """Convert with a private profile (no lock clashes); returns the produced file."""
    require()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(
            [str(SOFFICE), f"-env:UserInstallation=file://{profile}", "--headless",
             "--norestore", "--convert-to", fmt, "--outdir", str(outdir), str(source)],
            capture_output=True, text=True, timeout=180, check=False,
        )
    target = outdir / (source.stem + "." + fmt.split(":")[0])
    if result.returncode != 0 or not target.exists():
        raise AssertionError(f"LibreOffice could not convert {source.name} to {fmt}:\n"
                             f"{result.stdout}\n{result.stderr}")
    return target


def pdf_page_with(pdf: Path, text: str) -> int:
    """1-based number of the first PDF page whose text contains ``text``."""
    require()
    pages = subprocess.run([str(PDFTOTEXT), "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    for number, page in enumerate(pages, start=1):
        if text in page:
            return number
    raise AssertionError(f"no page of {pdf.name} contains {text!r}")


def render_page(pdf: Path, page: int, png_prefix: Path, dpi: int = 110) -> Path:
    require()
    subprocess.run([str(PDFTOPPM), "-r", str(dpi), "-f", str(page), "-l", str(page), "-png",
                    "-singlefile", str(pdf), str(png_prefix)], check=True)
    return png_prefix.with_suffix(".png")
