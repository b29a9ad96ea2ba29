"""Run by the system Python (Debian python3-uno): open a workbook in LibreOffice through UNO
and print, as JSON, its VBA/Basic modules (with their code) and the macro each form button
on each sheet is linked to.

    python3 tests/uno_inspect.py WORKBOOK [FILTER]

LibreOffice imports an .xlsm/.xlam VBA project as a Basic library named after the
project («VBAProject» in the .xlsm twins, «Minga» in minga.xlam).  A form
button whose macro does not exist loses its link silently, so the caller compares the
links against the buttons it expects.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main() -> int:
    path = Path(sys.argv[1]).resolve()
    filter_name = sys.argv[2] if len(sys.argv) > 2 else ""
    pipe = f"minga{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="lo-uno-") as profile:
        office = subprocess.Popen(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--invisible", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        desktop = None
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local)
            for _ in range(120):
                try:
                    ctx = resolver.resolve(
                        f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except Exception:  # office still starting
                    time.sleep(0.5)
            else:
                raise SystemExit("LibreOffice did not start")
            desktop = ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", ctx)
            args = [prop("Hidden", True), prop("MacroExecutionMode", 4)]
            if filter_name:
                args.append(prop("FilterName", filter_name))
            doc = desktop.loadComponentFromURL(path.as_uri(), "_blank", 0, tuple(args))
            if doc is None:
                raise SystemExit(f"LibreOffice could not load {path.name}")
            libraries = doc.BasicLibraries
            modules: dict[str, dict[str, str]] = {}
            for name in libraries.getElementNames():
                libraries.loadLibrary(name)
                library = libraries.getByName(name)
                modules[name] = {m: library.getByName(m) for m in library.getElementNames()}
            buttons = []
            for sheet in doc.Sheets:
                page = sheet.DrawPage
                for i in range(page.Count):
                    shape = page.getByIndex(i)
                    control = getattr(shape, "Control", None)
                    if control is None:
                        continue
                    links = []
                    forms = page.Forms
                    for f in range(forms.Count):
                        form = forms.getByIndex(f)
                        for c in range(form.Count):
                            if form.getByIndex(c) == control:
                                links = [e.ScriptCode for e in form.getScriptEvents(c)]
                    buttons.append({"sheet": sheet.Name, "label": control.Label,
                                    "macros": links})
            doc.close(True)
            print(json.dumps({"modules": modules, "buttons": buttons}, ensure_ascii=False))
        finally:
            if desktop is not None:
                with contextlib.suppress(Exception):
                    desktop.terminate()
            office.terminate()
            office.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
