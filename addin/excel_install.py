"""`minga excel instalar` / `desinstalar`: put the «Minga» add-in where Excel loads it, and
tell xlwings' RunPython which Python runs minga — what `xlwings addin install` and `xlwings
config create` do, without needing a running Excel.

- The add-in (workbooks/minga.xlam) is copied to the user's Excel startup folder (XLSTART on
  Windows, the Office group container's Startup/Excel on macOS): Excel opens it on start.
- xlwings' user configuration (``~/.xlwings/xlwings.conf``, lines ``"KEY","value"``) gets
  ``INTERPRETER_WIN`` or ``INTERPRETER_MAC`` = this Python; any other line is kept.

Uninstalling removes the add-in and the interpreter line, but only if that line still names
this Python (a line the user changed is theirs).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from addin.errors import MingaError
from addin.fileio import atomic_write, describe_os_error

ADDIN_NAME = "minga.xlam"
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Installed:
    addin: Path
    config: Path
    interpreter: str


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


def default_addin() -> Path:
    return ROOT / "workbooks" / ADDIN_NAME


def install(addin: Path | None = None, *, platform: str = sys.platform,
            home: Path | None = None, environ: dict[str, str] | None = None,
            interpreter: str = sys.executable) -> Installed:
    """Copy the add-in to Excel's startup folder and point xlwings at this Python."""
    source = Path(addin) if addin else default_addin()
    if not source.is_file():
        raise MingaError(f"No se encuentra el complemento «{source}».",
                         fix="Indíquelo con --complemento RUTA (está en workbooks/minga.xlam "
                             "del repositorio de minga).")
    folder = startup_folder(platform, home, environ)
    target = folder / ADDIN_NAME
    try:
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
    return Installed(target, config, interpreter)


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
