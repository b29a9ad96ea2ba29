"""`minga excel instalar` / `desinstalar`: put the «Minga» add-in where Excel loads it, and
tell xlwings' RunPython which Python runs minga — what `xlwings addin install` and `xlwings
config create` do, without needing a running Excel.

- The add-in (addin/excel_addin/minga.xlam, package data: found through importlib.resources
  in a source checkout and in an installed wheel alike) is copied to the user's Excel startup
  folder (XLSTART on Windows, the Office group container's Startup/Excel on macOS): Excel
  opens it on start.
- xlwings' user configuration (``~/.xlwings/xlwings.conf``, lines ``"KEY","value"``) gets
  ``INTERPRETER_WIN`` or ``INTERPRETER_MAC`` = this Python; any other line is kept.

- On macOS, Excel may run only scripts in its sandbox folder: xlwings' AppleScript is copied
  to ``~/Library/Application Scripts/com.microsoft.Excel`` under the name the add-in's VBA
  calls (``xlwings-<version of the add-in's xlwings module>.applescript``), as
  `xlwings runpython install` does.

Uninstalling removes the add-in and the interpreter line, but only if that line still names
this Python (a line the user changed is theirs).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

from addin.errors import MingaError
from addin.fileio import atomic_write, describe_os_error

ADDIN_NAME = "minga.xlam"
#: The version of xlwings' VBA module inside minga.xlam (macros/plantilla/): the AppleScript
#: name it calls on macOS.
ADDIN_XLWINGS = "0.37.8"


@dataclass(frozen=True)
class Installed:
    addin: Path
    config: Path
    interpreter: str
    applescript: Path | None = None


def applescript_target(home: Path | None = None) -> Path:
    return ((home or Path.home()) / "Library" / "Application Scripts" /
            "com.microsoft.Excel" / f"xlwings-{ADDIN_XLWINGS}.applescript")


def _applescript_source() -> Path:
    """xlwings' AppleScript, from the installed xlwings package."""
    import xlwings  # only here: `minga excel instalar` on macOS

    folder = Path(xlwings.__file__).parent
    found = sorted(folder.glob("xlwings-*.applescript"))
    if not found:
        raise MingaError("El paquete xlwings instalado no trae su AppleScript.",
                         fix="Reinstale xlwings (pip install --force-reinstall xlwings).")
    return found[-1]


def startup_folder(platform: str = sys.platform, home: Path | None = None,
                   environ: dict[str, str] | None = None) -> Path:
    """Excel's per-user startup folder on this system."""
    home = home or Path.home()
    environ = dict(os.environ) if environ is None else environ
    if platform.startswith("win"):
        appdata = environ.get("APPDATA") or str(home / "AppData" / "Roaming")
        return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"
    if platform == "darwin":
        return (home / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content"
                / "Startup" / "Excel")
    raise MingaError("Los botones de Excel necesitan Excel de escritorio (Windows o macOS).",
                     fix="Instale el complemento en el computador donde usa Excel; aquí use "
                         "los comandos de minga.")


def config_file(home: Path | None = None) -> Path:
    """xlwings' user configuration file."""
    return (home or Path.home()) / ".xlwings" / "xlwings.conf"


def _key(platform: str) -> str:
    return "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise MingaError(f"No se puede leer «{path}»: {describe_os_error(exc)}.",
                         fix="Revise los permisos de la carpeta .xlwings.") from None


def _write(path: Path, lines: list[str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda tmp: tmp.write_text(
            "".join(line + "\n" for line in lines), encoding="utf-8"))
    except OSError as exc:
        raise MingaError(f"No se puede escribir «{path}»: {describe_os_error(exc)}.",
                         fix="Revise los permisos de la carpeta.") from None


def default_addin() -> Traversable:
    """The add-in shipped with minga (package data; a file wherever minga is installed)."""
    return files("addin") / "excel_addin" / ADDIN_NAME


def install(addin: Path | None = None, *, platform: str = sys.platform,
            home: Path | None = None, environ: dict[str, str] | None = None,
            interpreter: str = sys.executable) -> Installed:
    """Copy the add-in to Excel's startup folder and point xlwings at this Python."""
    folder = startup_folder(platform, home, environ)
    target = folder / ADDIN_NAME
    try:
        with as_file(Path(addin) if addin else default_addin()) as source:
            if not source.is_file():
                raise MingaError(f"No se encuentra el complemento «{source}».",
                                 fix="Indíquelo con --complemento RUTA, o reinstale minga "
                                     "(pip install --force-reinstall minga).")
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write(target, lambda tmp: shutil.copyfile(source, tmp))
    except OSError as exc:
        raise MingaError(f"No se puede copiar el complemento a «{folder}»: "
                         f"{describe_os_error(exc)}.",
                         fix="Cierre Excel y vuelva a intentarlo.") from None
    config = config_file(home)
    key = _key(platform)
    lines = [line for line in _lines(config) if not line.startswith(f'"{key}",')]
    lines.append(f'"{key}","{interpreter}"')
    _write(config, lines)
    script = None
    if platform == "darwin":
        script = applescript_target(home)
        source_script = _applescript_source()
        try:
            script.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(script, lambda tmp: shutil.copyfile(source_script, tmp))
        except OSError as exc:
            raise MingaError(f"No se puede copiar el AppleScript de xlwings a «{script.parent}»: "
                             f"{describe_os_error(exc)}.", fix="Revise los permisos de la "
                                                               "carpeta.") from None
    return Installed(target, config, interpreter, script)


def uninstall(*, platform: str = sys.platform, home: Path | None = None,
              environ: dict[str, str] | None = None,
              interpreter: str = sys.executable) -> list[str]:
    """Undo ``install``; returns what was removed, in Spanish."""
    done = []
    target = startup_folder(platform, home, environ) / ADDIN_NAME
    try:
        target.unlink()
        done.append(f"complemento {target}")
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise MingaError(f"No se puede quitar «{target}»: {describe_os_error(exc)}.",
                         fix="Cierre Excel y vuelva a intentarlo.") from None
    if platform == "darwin":
        script = applescript_target(home)
        if script.exists():
            script.unlink()
            done.append(f"AppleScript {script}")
    config = config_file(home)
    ours = f'"{_key(platform)}","{interpreter}"'
    lines = _lines(config)
    if ours in lines:
        rest = [line for line in lines if line != ours]
        if rest:
            _write(config, rest)
        else:
            config.unlink()
        done.append(f"intérprete de Python en {config}")
    return done
