"""Regenerate docs/acta-traspaso.png: the demo's acta de traspaso as LibreOffice prints it.

    python workbooks/acta_png.py

Both printed pages side by side at 70 dpi (Carta, portrait), for the README.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from addin.actions.acta import acta_file  # noqa: E402
from addin.demo import build_demo  # noqa: E402

OUTPUT = ROOT / "docs" / "acta-traspaso.png"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "demo.xlsx"
        build_demo(book)
        result, _ = acta_file(book, pdf=Path(tmp) / "acta.pdf", keep_backup=False)
        assert result.pdf is not None, "LibreOffice no está instalado"
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(result.pdf), str(Path(tmp) / "p")],
                       check=True)
        pages = [Image.open(p).convert("RGB") for p in sorted(Path(tmp).glob("p-*.png"))]
        gap = 16
        sheet = Image.new("RGB", (sum(p.width for p in pages) + gap * (len(pages) + 1),
                                  max(p.height for p in pages) + 2 * gap), "#d9d9d9")
        x = gap
        for page in pages:
            sheet.paste(page, (x, gap))
            x += page.width + gap
        sheet.save(OUTPUT, optimize=True)
    print(OUTPUT.relative_to(ROOT))


if __name__ == "__main__":
    main()
