"""Folders of real submissions for the supervision tests, and a way to run minga on them."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from addin.demo import CUTOFF, build_demo
from tests.hostile import ROOT, rewrite

MINGA = [sys.executable, "-m", "addin"]
#: The demo's cut-off, as the supervisor types it.
CUT = CUTOFF.isoformat()


def run(*args: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([*MINGA, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=env, check=False, **kwargs)  # type: ignore[call-overload]


def variant(source: Path, target: Path, n: int) -> Path:
    """A copy of ``source`` with other bytes but the same sheets (its author property differs):
    another upload of the same workbook."""
    target.write_bytes(rewrite(source.read_bytes(), {
        "docProps/core.xml": lambda d: d.replace(b"<dc:creator>minga</dc:creator>",
                                                 f"<dc:creator>minga {n}</dc:creator>".encode())}))
    return target


def zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(300):  # 300 MB of XML that compresses ~1000:1
                member.write(block)
    return path


def submissions_folder(folder: Path) -> dict[str, Path]:
    """The month's submissions of a region: three programmes (one with the demo's planted
    defects, one clean, one with a single defect), a renamed copy, a second file for the
    same programme and month with other content, a corrupt file and a zip bomb."""
    (folder / "biobio" / "coronel").mkdir(parents=True)
    (folder / "biobio" / "lota").mkdir(parents=True)
    files = {
        "coronel": folder / "biobio" / "coronel" / "entrega-mayo.xlsx",
        "lota": folder / "biobio" / "lota" / "lota.xlsx",
        "tome": folder / "tome_v2_FINAL.xlsx",
    }
    build_demo(files["coronel"])
    build_demo(files["lota"], plant=False, form={"comuna": "Lota",
                                                 "ejecutor": "ONG Lota Solidaria"})
    build_demo(files["tome"], plant=False, form={"comuna": "Tomé", "ejecutor": "Municipalidad "
                                                 "de Tomé", "coordinadora": None})
    files["renamed"] = folder / "copia de entrega.xlsx"
    shutil.copy(files["coronel"], files["renamed"])
    files["duplicate"] = variant(files["coronel"], folder / "biobio" / "coronel-otra.xlsx", 1)
    files["corrupt"] = folder / "danado.xlsx"
    files["corrupt"].write_bytes(files["lota"].read_bytes()[:20_000])
    files["bomb"] = zip_bomb(folder / "bomba.xlsx")
    (folder / "notas.txt").write_text("no es un libro")
    return files


def rows(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
