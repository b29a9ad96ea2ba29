"""Build addin/excel_addin/minga.xlam, the «Minga» ribbon add-in, reproducibly from macros/.

    python macros/build_xlam.py [--salida addin/excel_addin/minga.xlam]

1. Start from xlwings' BSD-licensed ``quickstart_addin_ribbon.xlam`` (saved by Office: it
   carries xlwings' ``RunPython`` module and the Office reference that defines
   ``IRibbonControl``), kept in macros/plantilla/ as xlwings 0.37.8 ships it (its licence
   beside it): the build does not change with the xlwings installed.
2. Add the ``Minga`` module (macros/Minga.bas; code page 1252, so accents survive) with
   pyOpenVBA, and drop the quickstart's sample ribbon module.
3. Rename the VBA project from the quickstart's «MyAddin» to «Minga» (pyOpenVBA renames
   modules, not projects): [MS-OVBA] keeps the name twice, as ``Name="…"`` in the PROJECT
   stream (2.3.1.7) and as the PROJECTNAME record of the compressed ``dir`` stream
   (2.3.4.2.1.6); both are rewritten.  The ``_VBA_PROJECT`` stream stays as pyOpenVBA writes it
   (Version 0xFFFF, no performance cache, 2.3.4.1), so Office compiles the project from source
   on first open and no compiled code remembers the old name.
4. Replace ``customUI/customUI.xml`` (macros/customUI.xml) at zip level and write every entry
   with a fixed timestamp, in a fixed order: two builds are byte-identical.
"""

from __future__ import annotations

import argparse
import shutil
import struct
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
TEMPLATE_PROJECT = "MyAddin"
PROJECT = "Minga"
#: [MS-OVBA] 2.3.4.2.1: record ids of the dir stream.
PROJECTNAME = 0x0004
PROJECTVERSION = 0x0009  # its Size field is a Reserved 4; the record carries 6 bytes
PROJECTMODULES = 0x000F
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
        replaced = {"customUI/customUI.xml": ribbon}
        with zipfile.ZipFile(work) as source:
            replaced["xl/vbaProject.bin"] = rename_project(source.read("xl/vbaProject.bin"),
                                                           TEMPLATE_PROJECT, PROJECT)
        staged = Path(tmp) / "final.xlam"
        with zipfile.ZipFile(work) as source, \
                zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as target:
            for name in sorted(source.namelist(), key=_part_order):
                data = replaced[name] if name in replaced else source.read(name)
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                target.writestr(info, data, compresslevel=9)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(staged, output)
    return output


def rename_project(vba_bin: bytes, old: str, new: str) -> bytes:
    """The vbaProject.bin with its project named ``new`` in both places [MS-OVBA] keeps it."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, decompress

    cfb = CFB.from_bytes(vba_bin)
    project = cfb.get_stream("PROJECT")
    line = f'\r\nName="{old}"\r\n'.encode("cp1252")
    if project.count(line) != 1:
        raise SystemExit(f'El flujo PROJECT no tiene una sola línea Name="{old}".')
    cfb.write_stream("PROJECT", project.replace(line, f'\r\nName="{new}"\r\n'.encode("cp1252")))
    info = decompress(cfb.get_stream_in_storage("VBA", "dir"), stream_name="dir")
    pos = 0
    while pos + 6 <= len(info):  # the PROJECTINFORMATION records, in their fixed order
        rid, size = struct.unpack_from("<HI", info, pos)
        if rid == PROJECTMODULES:
            break
        if rid == PROJECTNAME:
            if info[pos + 6: pos + 6 + size] != old.encode("cp1252"):
                raise SystemExit(f"El registro PROJECTNAME no es «{old}».")
            name = new.encode("cp1252")
            info = info[:pos] + struct.pack("<HI", PROJECTNAME, len(name)) + name + \
                info[pos + 6 + size:]
            cfb.write_stream_in_storage("VBA", "dir", compress(info))
            return cfb.to_bytes()
        pos += 6 + (6 if rid == PROJECTVERSION else size)
    raise SystemExit("El flujo dir no tiene registro PROJECTNAME.")


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
