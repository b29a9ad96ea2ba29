"""`minga excel instalar` from an installed wheel, not only from the source tree (issue 7).

The wheel is really built (``pip wheel --no-deps``, setuptools from PyPI in pip's isolated
build environment) from a copy of the sources, unpacked as pip installs it (a wheel is a zip
of the installed layout), and a fresh Python that imports minga from there installs the add-in
into a temporary home.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
XLAM = ROOT / "addin" / "excel_addin" / "minga.xlam"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """minga's wheel, built from a copy of the sources (no build/ left in the checkout)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "minga"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for folder in ("addin", "sync"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    out = tmp / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(out), str(source)],
                           capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stderr[-3000:]
    [found] = out.glob("minga-*.whl")
    return found


def test_the_wheel_carries_the_add_in_byte_for_byte(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as whl:
        assert whl.read("addin/excel_addin/minga.xlam") == XLAM.read_bytes()
        assert "addin/programmes/ecomercado-15m.yaml" in whl.namelist()


def test_excel_instalar_finds_the_add_in_in_an_installed_wheel(wheel: Path,
                                                               tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as whl:
        whl.extractall(site)
    home = tmp_path / "home"
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import addin, addin.excel_install as ei\n"
        "home = Path(sys.argv[1])\n"
        "done = ei.install(platform='win32', home=home, environ={},"
        " interpreter='C:/Python/python.exe')\n"
        "print(json.dumps({'package': addin.__file__, 'default': str(ei.default_addin()),"
        " 'copied': str(done.addin)}))\n")
    # The unpacked wheel comes first on the path, before this checkout's editable install;
    # run from elsewhere so the checkout is not the current folder either.
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", script, str(home)], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert Path(found["package"]).is_relative_to(site)
    assert Path(found["default"]) == site / "addin" / "excel_addin" / "minga.xlam"
    copied = Path(found["copied"])
    assert copied == home / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / \
        "minga.xlam"
    assert copied.read_bytes() == XLAM.read_bytes()
