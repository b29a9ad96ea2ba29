"""Build the macro-enabled workbooks, for users who cannot install add-ins:
workbooks/ecomercado-10m.xlsm and -15m.xlsm, the .xlsx templates with the VBA of the add-in
(the ``Minga``, ``xlwings`` and ``Dictionary`` modules of addin/excel_addin/minga.xlam, added with
pyOpenVBA) and the six buttons on the Programa sheet (``addin.backends.xlsm_buttons``).

    python macros/build_xlsm.py

Builds are byte-identical: fixed zip timestamps and order.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from addin.backends.xlsm_buttons import ensure_buttons, zip_parts  # noqa: E402

ADDIN = ROOT / "addin" / "excel_addin" / "minga.xlam"
#: Modules copied from the add-in (its document modules belong to the add-in's own sheets).
MODULES = ("Dictionary", "xlwings", "Minga")
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def build(xlsx: Path, output: Path, addin: Path = ADDIN) -> Path:
    """``xlsx`` (a minga template) as a macro-enabled workbook with its buttons."""
    from pyopenvba import ExcelFile

    with ExcelFile(addin) as source:
        sources = source.vba_modules()
        kinds = {m.name: m.kind for m in source.vba_project().modules}
    with tempfile.TemporaryDirectory(prefix="minga-xlsm-") as tmp:
        work = Path(tmp) / "libro.xlsm"
        with zipfile.ZipFile(xlsx) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            PLAIN_MAIN.encode(), MACRO_MAIN.encode())
        work.write_bytes(zip_parts(parts, list(parts)))
        with ExcelFile(work) as book:
            project = book.add_vba_project()
            for name in MODULES:
                project.add_module(name, sources[name], kind=kinds[name])
            book.save(work)
        with zipfile.ZipFile(work) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        package = ensure_buttons(zip_parts(parts, list(parts)))
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tmp) / "final.xlsm"
        staged.write_bytes(package)
        shutil.copyfile(staged, output)
    return output


def main() -> int:
    for variant in ("ecomercado-10m", "ecomercado-15m"):
        print(build(ROOT / "workbooks" / f"{variant}.xlsx",
                    ROOT / "workbooks" / f"{variant}.xlsm"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
