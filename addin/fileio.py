"""Writing user files safely: to a temporary file beside the target, then an atomic rename."""

from __future__ import annotations

import contextlib
import errno
import functools
import inspect
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from addin.errors import MingaError

#: Operating-system errors in the words of a Spanish-speaking user (Python's are English).
_OS_ERROR_WORDS = {
    "ENOENT": "la ruta no existe",
    "EACCES": "permiso denegado",
    "EPERM": "operación no permitida",
    "EEXIST": "ya existe un archivo con ese nombre",
    "ENOTDIR": "una parte de la ruta es un archivo, no una carpeta",
    "EISDIR": "es una carpeta, no un archivo",
    "ENOSPC": "no queda espacio en el disco",
    "EROFS": "el disco o la carpeta es de solo lectura",
    "EBUSY": "el archivo está en uso",
    "ETXTBSY": "el archivo está en uso",
    "ENAMETOOLONG": "el nombre es demasiado largo",
    "EIO": "error de lectura o escritura en el disco",
    "EINVAL": "el nombre no es válido",
    "ELOOP": "la ruta tiene demasiados enlaces simbólicos",
    "EMFILE": "hay demasiados archivos abiertos",
    "EFBIG": "el archivo es demasiado grande",
    "EXDEV": "no se puede mover entre discos distintos",
    "EDQUOT": "se superó la cuota de disco",
    "ENODEV": "el dispositivo no existe",
    "ENXIO": "el dispositivo no existe",
}
_OS_ERRORS: dict[int, str] = {getattr(errno, name): words
                              for name, words in _OS_ERROR_WORDS.items() if hasattr(errno, name)}
#: Windows reports a file open in Excel as a sharing violation (winerror 32 or 33).
_WINDOWS_ERRORS: dict[int, str] = {
    32: "el archivo está abierto en otro programa (¿Excel?)",
    33: "el archivo está bloqueado por otro programa (¿Excel?)",
}


def describe_os_error(exc: OSError) -> str:
    """What went wrong, in Spanish, for a message about a file (never Python's English)."""
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINDOWS_ERRORS:
        return _WINDOWS_ERRORS[winerror]
    if exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno]
    return f"error del sistema n.º {exc.errno}" if exc.errno else "error del sistema"


#: The only kind of file minga writes: an Excel workbook without macros.
WRITABLE_SUFFIXES = (".xlsx",)


def check_output_name(path: Path) -> None:
    """Refuse an output name minga cannot honour (``x.csv`` would hold an .xlsx workbook)."""
    path = Path(path)
    if _stat(path) is not None and path.is_dir():
        raise MingaError(f"«{path}» es una carpeta, no un archivo.",
                         fix="Indique un nombre de archivo .xlsx con -o.")
    if path.suffix.lower() not in WRITABLE_SUFFIXES:
        named = f"tiene la extensión «{path.suffix}»" if path.suffix else "no tiene extensión"
        stem = path.stem if path.stem and not path.stem.startswith(".") else "libro"
        raise MingaError(f"«{path}» {named}: minga solo escribe libros .xlsx.",
                         fix=f"Use un nombre terminado en .xlsx, ej. -o {stem}.xlsx.")


def _stat(path: Path) -> os.stat_result | None:
    """``path``'s status, None if it does not exist; other OS errors become a MingaError."""
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise MingaError(f"No se puede usar la ruta «{path}»: {describe_os_error(exc)}.",
                         fix="Revise la ruta.") from None


def check_readable(path: Path) -> None:
    """Fail early, in Spanish, if ``path`` is not a file minga can read."""
    path = Path(path)
    status = _stat(path)
    if status is None:
        folder = next((p for p in path.parents if _stat(p) is not None), None)
        if folder is not None and not folder.is_dir():
            raise MingaError(f"No existe el archivo «{path}»: «{folder}» es un archivo, no una "
                             "carpeta.", fix="Revise la ruta.")
        raise MingaError(f"No existe el archivo «{path}».", fix="Revise la ruta.")
    if path.is_dir():
        raise MingaError(f"«{path}» es una carpeta, no un libro.",
                         fix="Indique el archivo .xlsx que está dentro de ella.")
    if not os.access(path, os.R_OK):
        raise MingaError(f"No hay permiso para leer «{path}».",
                         fix="Revise los permisos del archivo o cópielo a otra carpeta.")


def make_folder(path: Path) -> Path:
    """Create ``path`` (and its parents) if missing, or say in Spanish why it cannot be."""
    path = Path(path)
    status = _stat(path)
    if status is not None and not path.is_dir():
        raise MingaError(f"«{path}» es un archivo, no una carpeta.",
                         fix="Indique otra carpeta con --carpeta.")
    if status is None:
        blocker = next((p for p in path.parents if _stat(p) is not None), None)
        if blocker is not None and not blocker.is_dir():
            raise MingaError(f"No se puede crear la carpeta «{path}»: «{blocker}» es un "
                             "archivo, no una carpeta.", fix="Indique otra carpeta con --carpeta.")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MingaError(f"No se puede crear la carpeta «{path}»: "
                             f"{describe_os_error(exc)}.",
                             fix="Elija una carpeta donde pueda escribir.") from None
    return path
F = TypeVar("F", bound=Callable[..., Any])


def check_writable(path: Path, *, overwrite: bool) -> None:
    """Fail early, before any work, if ``path`` cannot or must not be written."""
    path = Path(path)
    status = _stat(path)
    if status is not None and path.is_dir():
        raise MingaError(f"«{path}» es una carpeta, no un archivo.",
                         fix="Indique un nombre de archivo .xlsx con -o.")
    if status is not None and not overwrite:
        raise MingaError(f"El archivo «{path}» ya existe y no se sobrescribió.",
                         fix="Elija otro nombre con -o o agregue --sobrescribir.")
    folder = path.parent if str(path.parent) else Path(".")
    if _stat(folder) is None:
        blocker = next((p for p in folder.parents if _stat(p) is not None), None)
        if blocker is not None and not blocker.is_dir():
            raise MingaError(f"«{blocker}» es un archivo, no una carpeta.",
                             fix="Indique otra ruta con -o.")
        raise MingaError(f"La carpeta «{folder}» no existe.",
                         fix="Créela o indique otra ruta con -o.")
    if not folder.is_dir():
        raise MingaError(f"«{folder}» es un archivo, no una carpeta.",
                         fix="Indique otra ruta con -o.")
    if not os.access(folder, os.W_OK):
        raise MingaError(f"No hay permiso para escribir en la carpeta «{folder}».",
                         fix="Elija una carpeta donde pueda escribir.")
    if status is not None and not os.access(path, os.W_OK):
        raise MingaError(f"No hay permiso para modificar «{path}» (¿está abierto o protegido?).",
                         fix="Ciérrelo en Excel o quite la protección contra escritura.")


def backup(path: Path) -> Path:
    """Copy ``path`` to ``<name>.respaldo-<timestamp>[-n]<suffix>`` beside it; return the copy.

    The name is created exclusively (O_EXCL): two runs in the same second get two backups, and
    an existing backup is never overwritten.
    """
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for n in range(1, 1000):
        target = path.with_name(f"{path.stem}.respaldo-{stamp}{f'-{n}' if n > 1 else ''}"
                                f"{path.suffix}")
        try:
            fd = os.open(target, flags, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise MingaError(f"No se pudo crear el respaldo «{target.name}»: "
                             f"{exc.strerror or exc}.",
                             fix="Revise el espacio en disco y los permisos de la carpeta, o "
                                 "use --sin-respaldo.") from None
        try:
            with os.fdopen(fd, "wb") as out, path.open("rb") as source:
                shutil.copyfileobj(source, out, 1 << 20)
            shutil.copystat(path, target)
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise MingaError(f"No se pudo crear el respaldo «{target.name}»: "
                             f"{exc.strerror or exc}.",
                             fix="Revise el espacio en disco, o use --sin-respaldo.") from None
        return target
    raise MingaError(f"Hay demasiados respaldos de «{path.name}» de este mismo segundo.",
                     fix="Vuelva a intentarlo en un momento.")


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold minga's lock on ``path`` (a lock file beside it, released even if the process
    dies): a second minga writing the same file stops with a Spanish message instead of
    interleaving its read and write with the first."""
    path = Path(path)
    lock = path.with_name(f".{path.name}.minga-lock")
    for _ in range(10):
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            folder = path.parent if str(path.parent) else Path(".")
            raise MingaError(f"No hay permiso para escribir en la carpeta «{folder}».",
                             fix="Revise los permisos de la carpeta, o copie el libro a una "
                                 "carpeta donde pueda escribir.") from None
        if not _try_lock(fd):
            os.close(fd)
            raise MingaError(f"Otro proceso de minga está modificando «{path.name}» en este "
                             "momento.", fix="Espere a que termine y vuelva a ejecutar el "
                                             "comando.")
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except OSError:
            same = False
        if same:
            break
        os.close(fd)  # the lock file was replaced meanwhile: lock the new one
    else:
        raise MingaError(f"No se pudo reservar «{path.name}» para escribirlo.",
                         fix="Vuelva a intentarlo en un momento.")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()
        os.close(fd)


def writes_file(flag: str | None = None) -> Callable[[F], F]:
    """Decorate a function whose first argument is the file it rewrites so that it runs under
    ``exclusive`` — always, or only when its argument ``flag`` is true."""

    def decorate(func: F) -> F:
        signature = inspect.signature(func)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            if flag is not None and not bound.arguments[flag]:
                return func(*args, **kwargs)
            with exclusive(Path(next(iter(bound.arguments.values())))):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


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
        raise MingaError(f"No se pudo escribir «{path}»: {describe_os_error(exc)}.",
                         fix="Revise el espacio en disco y la ruta.") from None
