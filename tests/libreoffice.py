"""LibreOffice headless (Debian package libreoffice-calc-nogui) as a test oracle.

It opens what minga writes as an independent spreadsheet application would: recalculating
formulas (xlsx → xlsx with cached values) and rendering sheets (xlsx → PDF → PNG).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from html import unescape
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
PDFFONTS = shutil.which("pdffonts")


def require() -> None:
    """Fail loudly (not skip): CI installs LibreOffice and poppler-utils in .ci/run."""
    missing = [name for name, path in (("soffice", SOFFICE), ("pdftoppm", PDFTOPPM),
                                       ("pdftotext", PDFTOTEXT), ("pdfinfo", PDFINFO),
                                       ("pdffonts", PDFFONTS)) if not path]
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


def pdf_pages_with(pdf: Path, text: str) -> list[int]:
    """1-based numbers of every PDF page whose text contains ``text``."""
    require()
    pages = subprocess.run([str(PDFTOTEXT), "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    return [number for number, page in enumerate(pages, start=1) if text in page]


def page_count(pdf: Path) -> int:
    require()
    info = subprocess.run([str(PDFINFO), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def pdf_fonts(pdf: Path) -> list[str]:
    """The names of the fonts a PDF uses (poppler's ``pdffonts``)."""
    require()
    lines = subprocess.run([str(PDFFONTS), str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    return [line.split()[0] for line in lines if line.strip()]


def page_text(pdf: Path, page: int) -> str:
    require()
    return subprocess.run([str(PDFTOTEXT), "-layout", "-f", str(page), "-l", str(page),
                           str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@dataclass(frozen=True)
class Word:
    """A word on a PDF page and its box, in points from the top-left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def page_words(pdf: Path, page: int) -> list[Word]:
    """The words of a page with their boxes (poppler's ``pdftotext -bbox``)."""
    require()
    html = subprocess.run([str(PDFTOTEXT), "-bbox", "-f", str(page), "-l", str(page),
                           str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [Word(unescape(m["text"]), *(float(m[k]) for k in ("x0", "y0", "x1", "y1")))
            for m in _WORD.finditer(html)]


_WORD = re.compile(r'<word xMin="(?P<x0>[\d.]+)" yMin="(?P<y0>[\d.]+)" '
                   r'xMax="(?P<x1>[\d.]+)" yMax="(?P<y1>[\d.]+)">(?P<text>[^<]*)</word>')


def font_sizes(pdf: Path, page: int) -> list[float]:
    """The size, in points as printed, of every run of text on a page.

    Reads the page's content streams: each ``Tf`` size times the scale of the text matrix
    (``Tm``) and of the transformations (``cm``) in force — LibreOffice writes text at its
    printed size, so a sheet shrunk to fit shows here with smaller sizes.
    """
    data = pdf.read_bytes()
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}
    order = [int(ref) for body in objects.values() if re.search(rb"/Type\s*/Pages\b", body)
             for ref in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", body,
                                                            re.S)[1])]
    pages = [n for n in order if re.search(rb"/Type\s*/Page\b", objects[n])]
    target = objects[pages[page - 1]]
    contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", target, re.S)[1]
    sizes: list[float] = []
    for ref in re.findall(rb"(\d+) 0 R", contents):
        stream = re.search(rb"stream\r?\n(.*?)\r?\nendstream", objects[int(ref)], re.S)[1]
        if b"/FlateDecode" in objects[int(ref)].split(b"stream")[0]:
            stream = zlib.decompress(stream)
        sizes += _text_sizes(stream.decode("latin-1"))
    return sizes


_OPERATOR = re.compile(r"((?:[-\d.]+\s+){6})(cm|Tm)|([-\d.]+)\s+Tf|\b(q|Q|BT)\b")


def _text_sizes(content: str) -> list[float]:
    scale, text_scale, stack, sizes = 1.0, 1.0, [], []
    for m in _OPERATOR.finditer(content):
        if m[2]:
            a, b = (float(v) for v in m[1].split()[:2])
            factor = (a * a + b * b) ** 0.5
            if m[2] == "cm":
                scale *= factor
            else:
                text_scale = factor
        elif m[3]:
            sizes.append(round(float(m[3]) * text_scale * scale, 2))
        elif m[4] == "q":
            stack.append(scale)
        elif m[4] == "Q":
            scale = stack.pop() if stack else 1.0
        else:  # BT resets the text matrix
            text_scale = 1.0
    return sizes
