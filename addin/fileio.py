"""Writing user files safely: to a temporary file beside the target, then an atomic rename."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from addin.errors import MingaError


def check_writable(path: Path, *, overwrite: bool) -> None:
    """Fail early, before any work, if ``path`` cannot or must not be written."""
    if path.exists() and path.is_dir():
        raise MingaError(f"«{path}» es una carpeta, no un archivo.",
                         fix="Indique un nombre de archivo .xlsx con -o.")
    if path.exists() and not overwrite:
        raise MingaError(f"El archivo «{path}» ya existe y no se sobrescribió.",
                         fix="Elija otro nombre con -o o agregue --sobrescribir.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise MingaError(f"La carpeta «{folder}» no existe.",
                         fix="Créela o indique otra ruta con -o.")
    if not os.access(folder, os.W_OK):
        raise MingaError(f"No hay permiso para escribir en la carpeta «{folder}».",
                         fix="Elija una carpeta donde pueda escribir.")
    if path.exists() and not os.access(path, os.W_OK):
        raise MingaError(f"No hay permiso para modificar «{path}» (¿está abierto o protegido?).",
                         fix="Ciérrelo en Excel o quite la protección contra escritura.")


def backup(path: Path) -> Path:
    """Copy ``path`` to ``<name>.respaldo-<timestamp><suffix>`` beside it; return the copy."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.respaldo-{stamp}{path.suffix}")
    shutil.copy2(path, target)
    return target


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` and move ``tmp`` over ``path``: the target is whole or untouched."""
    path = Path(path)
    try:
        with _temporary_beside(path) as tmp:
            write(tmp)
            if path.exists():
                shutil.copymode(path, tmp)
            else:
                mask = os.umask(0)
                os.umask(mask)
                os.chmod(tmp, 0o666 & ~mask)
            os.replace(tmp, path)
    except PermissionError:
        raise MingaError(f"No se pudo escribir «{path}»: permiso denegado.",
                         fix="Cierre el archivo si está abierto en Excel, o elija otra ruta.") \
            from None
    except OSError as exc:
        raise MingaError(f"No se pudo escribir «{path}»: {exc.strerror or exc}.",
                         fix="Revise el espacio en disco y la ruta.") from None
