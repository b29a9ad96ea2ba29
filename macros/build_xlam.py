"""Build addin/excel_addin/minga.xlam, the «Minga» ribbon add-in, reproducibly from macros/.

    python macros/build_xlam.py [--salida addin/excel_addin/minga.xlam]

1. Start from xlwings' BSD-licensed ``quickstart_addin_ribbon.xlam`` (saved by Office: it
   carries xlwings' ``RunPython`` module and the Office reference that defines
   ``IRibbonControl``), kept in macros/plantilla/ as xlwings 0.37.8 ships it (its licence
   beside it): the build does not change with the xlwings installed.
2. Add the ``Minga`` module (macros/Minga.bas; code page 1252, so accents survive) with
   pyOpenVBA, and drop the quickstart's sample ribbon module.
3. Replace ``customUI/customUI.xml`` (macros/customUI.xml) at zip level and write every entry
   with a fixed timestamp, in a fixed order: two builds are byte-identical.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODULE = HERE / "Minga.bas"
RIBBON = HERE / "customUI.xml"
OUTPUT = ROOT / "addin" / "excel_addin" / "minga.xlam"
SAMPLE_MODULE = "RibbonMyAddin"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def template() -> Path:
    """xlwings' ribbon add-in (macros/plantilla/)."""
    return HERE / "plantilla" / "quickstart_addin_ribbon.xlam"


def module_source() -> str:
    """Minga.bas as VBA keeps it: CRLF line ends; refused if not code page 1252."""
    text = MODULE.read_text(encoding="utf-8").replace("\r\n", "\n")
    text.encode("cp1252")  # raises on a character VBA cannot hold
    return text.replace("\n", "\r\n")


def build(output: Path = OUTPUT) -> Path:
    from pyopenvba import ExcelFile

    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="minga-xlam-") as tmp:
        work = Path(tmp) / "minga.xlam"
        shutil.copyfile(template(), work)
        with ExcelFile(work) as book:
            project = book.vba_project()
            project.delete_module(SAMPLE_MODULE)
            project.add_module("Minga", module_source())
            book.save(work)
        ribbon = RIBBON.read_bytes()
        staged = Path(tmp) / "final.xlam"
        with zipfile.ZipFile(work) as source, \
                zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as target:
            for name in sorted(source.namelist(), key=_part_order):
                data = ribbon if name == "customUI/customUI.xml" else source.read(name)
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                target.writestr(info, data, compresslevel=9)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(staged, output)
    return output


def _part_order(name: str) -> tuple[int, str]:
    """[Content_Types].xml first (as Office writes it), then the parts by name."""
    return (0 if name == "[Content_Types].xml" else 1, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--salida", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    print(build(args.salida))
    return 0


if __name__ == "__main__":
    sys.exit(main())
