"""Looking at a file before any spreadsheet library parses it: what it is, and whether it is
safe to open (a zip bomb must not exhaust memory)."""

from __future__ import annotations

import zipfile
import zlib
from enum import StrEnum
from pathlib import Path

from addin.errors import MingaError
from addin.fileio import describe_os_error

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls or encrypted .xlsx
ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")
#: At most this many bytes once decompressed, all parts together (a 100,000-row sheet is
#: ~60 MB of XML; a zip bomb is many GB): what the parts declare, and never more is read.
MAX_UNCOMPRESSED = 1 << 30
MAX_RATIO = 400  # a part larger than 32 MB that compresses more than this is refused


class FileKind(StrEnum):
    XLSX = "xlsx"
    XLS = "xls"
    ODS = "ods"


def _unreadable(path: Path, why: str, fix: str) -> MingaError:
    return MingaError(f"No se puede leer «{path.name}»: {why}.", fix=fix)


def _check_zip(path: Path, archive: zipfile.ZipFile) -> None:
    declared = sum(info.file_size for info in archive.infolist())
    if declared > MAX_UNCOMPRESSED:
        raise _unreadable(path, f"descomprimido ocuparía {declared / 2**30:.1f} GB (posible "
                                "«bomba zip»)", "Revise el origen del archivo.")
    for info in archive.infolist():
        if info.compress_size and info.file_size > 32 << 20 and \
                info.file_size / info.compress_size > MAX_RATIO:
            raise _unreadable(path, "una parte del archivo se expande de forma anómala "
                                    "(posible «bomba zip»)", "Revise el origen del archivo.")
        # What zipfile refuses (a method it does not know, encryption, a header that is not
        # where the directory says) is refused here, without decompressing anything: the
        # sheets are decompressed once, when read, and never beyond the size they declare.
        archive.open(info).close()


def inspect(path: Path) -> FileKind:
    """The kind of a workbook file, or a MingaError saying in Spanish why it can't be read."""
    path = Path(path)
    if not path.exists():
        raise MingaError(f"No existe el archivo «{path}».", fix="Revise la ruta.")
    if path.is_dir():
        raise MingaError(f"«{path}» es una carpeta, no un libro.", fix="Indique un archivo .xlsx.")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise _unreadable(path, describe_os_error(exc), "Revise los permisos.") from None
    if not head:
        raise _unreadable(path, "el archivo está vacío", "Vuelva a guardarlo desde Excel.")
    if head == CFB_MAGIC:
        data = path.read_bytes()[: 1 << 22]
        if ENCRYPTION_MARK in data:
            raise _unreadable(path, "está protegido con contraseña",
                              "Ábralo en Excel, quite la contraseña (Archivo › Información › "
                              "Proteger libro) y guárdelo como .xlsx.")
        return FileKind.XLS
    if not head.startswith(b"PK"):
        raise _unreadable(path, "no es un libro de Excel (.xlsx) ni de LibreOffice (.ods)",
                          "Guárdelo desde Excel como «Libro de Excel (.xlsx)».")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                kind = FileKind.XLSX
            elif "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
                kind = FileKind.ODS
            else:
                raise _unreadable(path, "es un archivo zip, pero no un libro de planillas",
                                  "Indique el archivo .xlsx del programa.")
            _check_zip(path, archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
        raise _unreadable(path, f"el archivo está dañado o incompleto ({str(exc)[:200]})",
                          "Vuelva a descargarlo o a guardarlo desde Excel.") from None
    except NotImplementedError:  # compression method 9, 99…, or a newer zip version
        raise _unreadable(path, "usa un método de compresión o una versión de zip que minga "
                                "no sabe leer",
                          "Ábralo en Excel y guárdelo de nuevo como «Libro de Excel "
                          "(.xlsx)».") from None
    except RuntimeError:  # zipfile: "File … is encrypted, password required"
        raise _unreadable(path, "sus partes están cifradas (un zip con contraseña)",
                          "Guárdelo de nuevo desde Excel sin contraseña, como .xlsx.") from None
    return kind
