"""The python-calamine backend: fast, read-only values (formulas give their cached results).

Reads .xlsx, .xls and .ods.  It cannot write; the validator uses it to read and the openpyxl
backend to write findings back.

An .xlsx is never handed to python-calamine as the user's file: ``sheetxml`` makes a clean
package of it first, so that what reading a sheet costs follows its filled cells (a stray value
at XFD1048576 costs one cell, not the sheet's area), a formula error (#SPILL!, #REF!…) or a
cell python-calamine cannot read becomes a value the reader reports at its cell, and a panic
inside python-calamine is an answer about the file, not a crash.  A large sheet is cut at its
rows as it is proved and read in parts on both cores (``_Parts``); python-calamine only ever
reads bytes already proved.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from python_calamine import CalamineWorkbook

from addin.backends import cfb, extents, sheetxml
from addin.backends.base import CellValue
from addin.backends.files import FileKind, inspect
from addin.domain.grid import EMPTY_ROW, SparseRow
from addin.domain.values import ErrorValue, Unreadable
from addin.errors import MingaError
from addin.fileio import describe_os_error

T = TypeVar("T")
#: At most this many unreadable cells are looked for, one by one, in a sheet.
MAX_UNREADABLE = 25


class CalamineFailure(Exception):
    """python-calamine raised or panicked (its panics derive from BaseException)."""


class _Quiet:
    """File descriptor 2 sent to the null device while python-calamine runs: a Rust panic
    prints its own message there before python-calamine turns it into an exception, and users
    must not see it.  The read-ahead thread runs python-calamine while the caller goes on (and
    may print an error), so the first call in redirects, the last one out restores, and
    meanwhile ``sys.stderr``, if it writes to descriptor 2, is replaced by a writer on a copy
    of the real one: what Python prints still reaches the user; only Rust's output is lost.
    Each copy is closed at the next redirection, never under a writer still in use."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inside = 0
        self.saved = -1
        self.stderr: Any = None  # the sys.stderr replaced, to put back
        self.writer: Any = None
        self.stale: list[Any] = []  # writers (and their descriptors) of earlier redirections

    def enter(self) -> None:
        with self.lock:
            self.inside += 1
            if self.inside > 1:
                return
            for old in self.stale:
                with contextlib.suppress(OSError, ValueError):
                    old.close()
            self.stale.clear()
            try:
                saved = os.dup(2)
            except OSError:
                return
            try:
                sink = os.open(os.devnull, os.O_WRONLY)
            except OSError:
                os.close(saved)
                return
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.flush()
            self.saved = saved
            if _writes_to_fd2(sys.stderr):
                self.stderr = sys.stderr
                self.writer = open(saved, "w", buffering=1,  # noqa: SIM115 - closed later
                                   encoding=getattr(sys.stderr, "encoding", None) or "utf-8",
                                   errors=getattr(sys.stderr, "errors", None) or "replace",
                                   closefd=False)
                sys.stderr = self.writer
            os.dup2(sink, 2)
            os.close(sink)

    def exit(self) -> None:
        with self.lock:
            self.inside -= 1
            if self.inside or self.saved < 0:
                return
            if self.writer is not None:
                with contextlib.suppress(OSError, ValueError):
                    self.writer.flush()
                if sys.stderr is self.writer:
                    sys.stderr = self.stderr
                self.stale.append(self.writer)
            os.dup2(self.saved, 2)
            self.stale.append(_Descriptor(self.saved))
            self.saved, self.stderr, self.writer = -1, None, None


class _Descriptor:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def close(self) -> None:
        os.close(self.fd)


def _writes_to_fd2(stream: Any) -> bool:
    try:
        return bool(stream.fileno() == 2)
    except (AttributeError, OSError, ValueError):
        return False


_QUIET = _Quiet()


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    _QUIET.enter()
    try:
        yield
    finally:
        _QUIET.exit()


def calamine(call: Callable[[], T]) -> T:
    """Run a python-calamine call; any error or panic becomes a CalamineFailure."""
    try:
        with _quiet_stderr():
            return call()
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:  # pyo3_runtime.PanicException is a BaseException
        raise CalamineFailure(f"{type(exc).__name__}: {str(exc)[:200]}") from None


def _no_temporary(exc: OSError) -> MingaError:
    return MingaError(f"No se pudo escribir el archivo temporal con que se lee el libro "
                      f"({describe_os_error(exc)}).",
                      fix="Libere espacio en disco, o indique otra carpeta temporal con la "
                          "variable de entorno TMPDIR.")


def _remove_later(owner: object, path: str) -> None:
    """Remove a temporary file: now where an open file can be removed (it stays readable
    through python-calamine's handle), else once ``owner`` is gone (Windows)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        weakref.finalize(owner, _remove_quietly, path)


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _rows(workbook: CalamineWorkbook, name: str) -> list[list[Any]]:
    return calamine(lambda: workbook.get_sheet_by_name(name).to_python(
        skip_empty_area=False))


#: Cells (by the areas their sheets claim) python-calamine may hold parsed ahead of the caller.
AHEAD_CELLS = 1_000_000
_PLAIN, _SCAN = "plain", "scan"
#: Bytes of XML from which a sheet is read in parts, in parallel with each other and with the
#: other sheets (python-calamine reads one sheet of a workbook at a time, on one core).
BIG = 2 << 20
#: Bytes of XML of each part: at least this, and ``PART_SHARED`` times the shared strings that
#: each part's package holds again (python-calamine reads them at the same speed as a sheet).
PART = 2 << 20
PART_SHARED = 8
#: Threads that have python-calamine read the parts, and parts proved ahead of them at most.
PART_THREADS = 2
PARTS_AHEAD = 4


class _Parts:
    """A large sheet read in parts: the prover of the large sheets cuts it into parts at its
    rows as each piece is proved (``sheetxml.RowParts``) and the readers of ``_Pool`` have
    python-calamine read each part from a package of its own (stored: not inflated again) and
    turn it into rows, while the next parts are proved.  On the bench workbook the largest
    sheet's proof and parse were the longest chain; parts spread its parse over both cores
    and start it after its first part's proof instead of its whole proof.  The rows of the
    parts stand for the sheet's only when it is proved plain to its end, every part read and
    each part's rows lie below the part's before (``rows``); otherwise the sheet is read
    whole, as before."""

    def __init__(self, pool: _Pool, sheet: str) -> None:
        self.pool, self.sheet, self.cond = pool, sheet, pool.cond
        size = max(PART, PART_SHARED * len(pool.package.shared or b""))
        self.splitter = sheetxml.RowParts(size, self._queue)
        self.results: dict[int, Any] = {}  # part → (rows, start, end) or what reading raised
        self.count: int | None = None  # parts, once the sheet is proved plain to its end
        self.over = False  # the proof has ended (plain or not)
        self.failed = False  # a part could not be read, or the parts are not needed
        self.joined = False  # the sheet's rows were put together from its parts
        self.given = False  # ``rows`` was asked for (the parts' rows are handed over once)

    def _queue(self, part: list[bytes]) -> None:
        self.pool.queue_part(self, self.splitter.count - 1, part)

    def proved(self, plain: bool) -> None:
        """The prover is done: ``plain``, proved to its end, all its parts queued."""
        with self.cond:
            self.over = True
            if plain and self.splitter.closed:
                self.count = self.splitter.count
            else:
                self.failed = True
            self.cond.notify_all()

    def done(self, index: int, result: Any) -> None:
        with self.cond:
            self.results[index] = result
            if isinstance(result, BaseException):
                self.failed = True
            self.cond.notify_all()

    def rows(self) -> list[list[Any]] | None:
        """The sheet's rows from A1, as python-calamine gives the whole sheet's
        (``to_python(skip_empty_area=False)``), put together from its parts; None when
        the sheet must be read whole.  Raises what reading a part raised, but for
        python-calamine's own failures (reading the whole sheet then finds them).  A sheet
        read again is read whole."""
        with self.cond:
            if self.given:
                return None
            self.given = True
            while not self.failed and (self.count is None or len(self.results) < self.count):
                if self.over and self.count is None:
                    break
                self.cond.wait()
            results = [self.results[i] for i in sorted(self.results)]
            failed = self.failed or self.count is None
            self.results = {}
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, CalamineFailure):
                raise result
        rows = None if failed else _joined(results)
        self.joined = rows is not None
        return rows


    def blocks(self) -> Iterator[list[list[Any]] | None]:
        """The sheet's rows from A1 part by part, as each part is read: the rows ``rows``
        would give, in the same order, but for the blank cells ``rows`` adds at the right of
        a part narrower than the widest.  Ends with None when the parts do not stand for the
        sheet (it must then be read whole: ``read_values``); raises what ``rows`` raises.
        Used once, like ``rows``."""
        with self.cond:
            if self.given:
                yield None
                return
            self.given = True
        length, index = 0, 0
        while True:
            with self.cond:
                while index not in self.results and not self.failed and not (
                        self.over and (self.count is None or index >= self.count)):
                    self.cond.wait()
                if self.failed or (self.over and self.count is None):
                    self.results = {}
                    failure = None
                elif index in self.results:
                    failure = result = self.results.pop(index)
                else:
                    break  # every part read, and the sheet proved plain to its end
            if failure is None or isinstance(failure, BaseException):
                if failure is not None and not isinstance(failure, CalamineFailure):
                    raise failure
                yield None
                return
            index += 1
            rows, start, end = result
            if start is None:
                continue
            if start[0] < length:
                yield None
                return
            gap = [[""] * (end[1] + 1) for _ in range(start[0] - length)]
            if start[1]:
                rows = [[""] * start[1] + row for row in rows]
            length = start[0] + len(rows)
            yield gap + rows if gap else rows
        self.joined = True


class _Pool:
    """``PART_THREADS`` threads reading the parts of the large sheets in the order they are
    proved (tab order: the order the caller reads them in), each from a stored package of its
    own.  The prover waits while ``PARTS_AHEAD`` parts wait for a reader."""

    def __init__(self, ahead: _ReadAhead) -> None:
        package = ahead.backend.package
        assert package is not None
        self.package, self.cond = package, ahead.cond
        self.queue: list[tuple[_Parts, int, list[bytes]]] = []
        self.over = False  # every large sheet has been proved
        for _ in range(PART_THREADS):
            ahead.start(self._work, "minga-parte")

    def queue_part(self, sheet: _Parts, index: int, part: list[bytes]) -> None:
        with self.cond:
            while len(self.queue) >= PARTS_AHEAD and not sheet.failed:
                self.cond.wait()
            if not sheet.failed:
                self.queue.append((sheet, index, part))
                self.cond.notify_all()

    def close(self) -> None:
        """No more parts: the readers end once the queue is empty."""
        with self.cond:
            self.over = True
            self.cond.notify_all()

    def _work(self) -> None:
        while True:
            with self.cond:
                while not self.queue and not self.over:
                    self.cond.wait()
                if not self.queue:
                    return
                sheet, index, part = self.queue.pop(0)
                self.cond.notify_all()
                if sheet.failed:
                    continue  # the sheet is read whole: its parts are not needed
            result = self._read(part)
            del part
            sheet.done(index, result)

    def _read(self, part: list[bytes]) -> Any:
        """A part's rows and where they start and end, or what reading it raised (even a
        MemoryError is handed to the caller rather than left to end the thread)."""
        try:
            data = sheetxml.part_package(self.package, part)

            def read() -> tuple[list[list[Any]], Any, Any]:
                sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("p")
                return sheet.to_python(skip_empty_area=True), sheet.start, sheet.end

            return calamine(read)
        except BaseException as exc:
            return exc


def _joined(parts: list[tuple[list[list[Any]], Any, Any]]) -> list[list[Any]] | None:
    """The rows of consecutive parts as one sheet's from A1: each part's rows at their place,
    as wide as the widest; None if a part's rows do not all lie below the part's before
    (python-calamine would have kept the later of two cells at one address)."""
    filled = [(rows, start, end) for rows, start, end in parts if start is not None]
    if not filled:
        return []
    width = max(end[1] for _, _, end in filled) + 1
    out: list[list[Any]] = []
    for rows, start, end in filled:
        if start[0] < len(out):
            return None
        out.extend([""] * width for _ in range(start[0] - len(out)))
        left, right = start[1], width - 1 - end[1]
        if left or right:
            rows = [[""] * left + row + [""] * right for row in rows]
        out.extend(rows)
    return out


class _ReadAhead:
    """The sheets of a clean package read ahead of the caller, in tab order, by two threads:
    one proves each sheet as it streams (``CalamineBackend.verdict``: Python, holding the
    GIL), the other has python-calamine parse each proved sheet (it releases the GIL), so
    that proving the next sheet, parsing it and the caller's own work on the sheet before
    run at once.  Neither thread ever waits for the caller: the parser stops when the
    sheets it holds reach ``AHEAD_CELLS`` and is started again as the caller takes them, so
    no thread outlives the reading of the workbook.  Only one thread at a time calls the
    workbook (python-calamine borrows it mutably): ``lock``.  The large sheets
    (``CalamineBackend.large``, over ``BIG``) are proved by a third thread instead, and read
    in parts (``_Parts``) by the ``PART_THREADS`` threads of a ``_Pool``, which end once the
    last large sheet is proved and its parts read."""

    def __init__(self, backend: CalamineBackend, order: list[str]) -> None:
        self.backend, self.order = backend, order
        self.cond = threading.Condition()
        self.lock = threading.Lock()
        self.verdicts: dict[str, tuple[str, Any]] = {}
        self.parsed: dict[str, tuple[Any, int]] = {}  # sheet → (CalamineSheet or failure, area)
        self.holding = 0  # cells of ``parsed``
        self.taken: set[str] = set()  # sheets the caller took or reads itself
        self.next = 0  # index in ``order`` of the next sheet to parse ahead
        self.current: str | None = None  # the sheet being parsed ahead
        self.parsing = False
        self.threads: list[threading.Thread] = []
        self.pool = _Pool(self) if backend.large else None
        # The large sheets, proved by a thread of their own and read in parts.
        self.parts = {sheet: _Parts(self.pool, sheet) for sheet in backend.large
                      if self.pool is not None}
        self.start(self._prove_all, "minga-prueba")
        if self.parts:
            self.start(self._prove_large, "minga-prueba-partes")
        self._start_parser()

    def start(self, target: Callable[[], None], name: str) -> None:
        """A thread of the read started.  Not a daemon: a daemon thread still inside
        python-calamine when the interpreter shuts down (an early exit with a message) aborts
        the process; these end on their own, none waiting for the caller."""
        thread = threading.Thread(target=target, name=name)
        self.threads.append(thread)
        thread.start()

    def _prove_large(self) -> None:
        """Prove the large sheets in tab order, handing each part to the readers as it is
        proved."""
        assert self.pool is not None
        try:
            for sheet, parts in self.parts.items():
                verdict = self._prove(sheet, parts)
                parts.proved(verdict[0] == _PLAIN)
        finally:
            self.pool.close()  # or the readers would wait for parts for ever

    def _prove_all(self) -> None:
        for sheet in self.order:
            if sheet not in self.parts:
                self._prove(sheet)

    def _prove(self, sheet: str, parts: _Parts | None = None) -> tuple[str, Any]:
        """Prove ``sheet`` and publish the verdict (an error is handed to the caller when it
        reads the sheet)."""
        try:
            verdict: tuple[str, Any] = self.backend.verdict(
                sheet, parts.splitter if parts is not None else None)
        except BaseException as exc:
            verdict = ("error", exc)
        with self.cond:
            self.verdicts[sheet] = verdict
            self.cond.notify_all()
        return verdict

    def _start_parser(self) -> None:
        if not self.parsing and self.next < len(self.order):
            self.parsing = True
            self.start(self._parse_ahead, "minga-lectura")

    def _parse_ahead(self) -> None:
        while True:
            with self.cond:
                while self.next < len(self.order):
                    sheet = self.order[self.next]
                    if sheet in self.taken or sheet in self.parts:
                        self.next += 1
                        continue
                    if sheet not in self.verdicts:
                        self.cond.wait()
                        continue
                    kind, bound = self.verdicts[sheet]
                    if kind != _PLAIN:
                        self.next += 1
                        continue
                    break
                else:
                    self.parsing = False
                    self.cond.notify_all()
                    return
                area = bound[0] * max(bound[1], 1)
                if self.holding and self.holding + area > AHEAD_CELLS:
                    self.parsing = False
                    self.cond.notify_all()
                    return
                self.current, self.next = sheet, self.next + 1
            result = self._parse(sheet)
            with self.cond:
                self.current = None
                self.parsed[sheet] = (result, area)
                self.holding += area
                self.cond.notify_all()

    def _parse(self, sheet: str) -> Any:
        """The sheet parsed by python-calamine, or what it raised (a CalamineFailure; even a
        MemoryError is handed to the caller rather than left to end the thread, whose caller
        would wait for it)."""
        name = self.backend.inner[sheet]
        with self.lock:
            try:
                return calamine(lambda: self.backend.workbook.get_sheet_by_name(name))
            except BaseException as exc:
                return exc

    def take(self, sheet: str) -> tuple[tuple[str, Any], Any]:
        """The verdict on ``sheet`` and, if plain, its rows (the largest sheet, from its
        parts) or python-calamine's parse of it (a CalamineSheet, or what it raised), parsed
        here if not ahead."""
        with self.cond:
            while sheet not in self.verdicts:
                self.cond.wait()
            verdict = self.verdicts[sheet]
            result = None
            if verdict[0] == _PLAIN and sheet not in self.parts:
                while sheet not in self.parsed:
                    ahead = self.parsing and sheet not in self.taken and \
                        self.order.index(sheet) >= self.next
                    if self.current != sheet and not ahead:
                        break
                    self.cond.wait()
                if sheet in self.parsed:
                    result, area = self.parsed.pop(sheet)
                    self.holding -= area
            self.taken.add(sheet)
        if verdict[0] == _PLAIN and sheet in self.parts:
            result = self.parts[sheet].rows()
        if verdict[0] == _PLAIN and result is None:
            result = self._parse(sheet)  # before the parser goes on: the caller waits for it
        with self.cond:
            self._start_parser()
        return verdict, result


class CalamineBackend:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.kind: FileKind = inspect(self.path)
        self.package: sheetxml.Package | None = None
        self.inner: dict[str, str] = {}  # sheet → its name in the clean package
        self.plain: dict[str, str] = {}  # the sheets read as they are, once read
        self.ahead: _ReadAhead | None = None
        self.large: list[str] = []  # the sheets read in parts (``_Parts``)
        try:
            if self.kind is FileKind.XLSX:
                self.workbook = self._clean_workbook()
            elif self.kind is FileKind.ODS:
                self.workbook = self._clean_ods()
            else:
                name, stream = extents.xls_stream(self.path)
                extents.check(self.path, extents.xls_extents(stream))
                # python-calamine reads the very bytes measured, from a compound file of
                # minga's, never the user's (whose sectors it might follow otherwise).
                self.workbook = self._open_written(
                    lambda target: cfb.write(target, name, stream), ".xls")
        except CalamineFailure as exc:
            raise MingaError(f"No se puede leer «{self.path.name}»: el libro está dañado "
                             f"({exc}).",
                             fix="Ábralo en Excel, repárelo y guárdelo como .xlsx.") from None

    def _clean_workbook(self) -> CalamineWorkbook:
        """python-calamine opened on the clean package, written to a temporary file with each
        sheet copied as it is stored: nothing is decompressed here (each sheet is proved when
        it is first read, as it streams), and nothing stays in memory (python-calamine reads a
        file part by part, but keeps a whole buffer it is given)."""
        package = self.package = sheetxml.Package(self.path)
        self.large = self._large()

        def write(target: BinaryIO) -> None:
            self.inner = sheetxml.write_package(target, package)

        workbook = self._open_written(write, ".xlsx")
        self.workbook = workbook
        self.ahead = _ReadAhead(self, [sheet for sheet, member in dict(package.sheets).items()
                                       if member is not None])
        return workbook

    def _clean_ods(self) -> CalamineWorkbook:
        """python-calamine opened on a clean copy of an .ods, once the area of every table is
        known to be small (python-calamine builds every table when it opens the file)."""
        package = sheetxml.Package(self.path, workbook=False)
        if "content.xml" not in package.names:
            raise MingaError(f"No se puede leer «{self.path.name}»: no contiene las hojas "
                             "(content.xml).", fix="Vuelva a guardarlo desde LibreOffice.")
        manifest = "META-INF/manifest.xml"
        if manifest in package.names and b"encryption-data" in package.read(manifest):
            raise MingaError(f"No se puede leer «{self.path.name}»: está protegido con "
                             "contraseña.", fix="Ábralo en LibreOffice, quite la contraseña "
                                                "y guárdelo como .xlsx.")
        extents.check(self.path, extents.ods_extents(self.path, package.chunks("content.xml")))
        return self._open_written(lambda target: sheetxml.write_ods(target, package), ".ods")

    def _open_written(self, write: Callable[[BinaryIO], None], suffix: str
                      ) -> CalamineWorkbook:
        """python-calamine opened on a package ``write`` puts into a temporary file, removed
        as soon as python-calamine has it open."""
        try:
            handle, name = tempfile.mkstemp(prefix="minga-", suffix=suffix)
        except OSError as exc:
            raise _no_temporary(exc) from None
        try:
            with os.fdopen(handle, "wb") as target:
                write(target)
        except BaseException as exc:  # a damaged part, a full disk: no file left behind
            _remove_later(self, name)
            if isinstance(exc, EOFError):
                raise MingaError(f"No se puede leer «{self.path.name}»: el archivo está "
                                 "incompleto.", fix="Vuelva a descargarlo o a guardarlo "
                                                    "desde Excel.") from None
            if isinstance(exc, OSError):
                raise _no_temporary(exc) from None
            raise
        try:
            return calamine(lambda: CalamineWorkbook.from_path(name))
        finally:
            _remove_later(self, name)

    def _large(self) -> list[str]:
        """The sheets with more than ``BIG`` bytes of XML, in tab order (as the zip's
        directory declares them: a hint for the order of work, never trusted for safety)."""
        assert self.package is not None
        return [sheet for sheet, member in dict(self.package.sheets).items()
                if member and self.package.archive.getinfo(member).file_size > BIG]

    def sheet_names(self) -> list[str]:
        if self.package is not None:
            return [name for name, _ in self.package.sheets]
        return list(self.workbook.sheet_names)

    def verdict(self, sheet: str, split: sheetxml.RowParts | None = None
                ) -> tuple[str, tuple[int, int] | None]:
        """Whether python-calamine may read ``sheet`` as it is (``_PLAIN`` and the area it
        spans) or it must be read cell by cell (``_SCAN``).  Most sheets are proved as they
        stream (``plain_sheet``), and ``split`` then cuts the proved pieces into parts (it
        is closed only if the sheet is proved to its end); the others are looked at whole."""
        assert self.package is not None
        member = dict(self.package.sheets)[sheet]
        assert member is not None
        chunks = self.package.chunks(member)
        bound = sheetxml.plain_sheet(self.path, member, sheetxml.pieces(chunks),
                                     split.feed if split is not None else None)
        chunks.close()
        if bound is not None and split is not None:
            split.close()
        if bound is None:
            data = b"".join(self.package.chunks(member))
            sheetxml.refuse_dtd(self.path, member, data)
            bound = sheetxml.quick_bound(data)
            if bound is None or not sheetxml.dense_ok(bound, data):
                return _SCAN, None
        return _PLAIN, bound

    def read_blocks(self, sheet: str) -> Iterator[list[list[Any]] | None] | None:
        """A large sheet's rows in blocks as its parts are read (``_Parts.blocks``), so that
        the caller's work on the first rows overlaps the reading of the next; None for a
        sheet not read in parts (``read_values`` then).  A block of None: start again with
        ``read_values``, which reads the sheet whole (or gives its error)."""
        if self.ahead is None or sheet not in self.ahead.parts:
            return None
        return self._blocks(sheet, self.ahead.parts[sheet])

    def _blocks(self, sheet: str, parts: _Parts) -> Iterator[list[list[Any]] | None]:
        assert self.ahead is not None
        for block in parts.blocks():
            yield block
            if block is None:
                return
        with self.ahead.cond:  # proved plain: taken as ``read_values`` takes it
            self.ahead.taken.add(sheet)
            self.ahead._start_parser()
        self.plain[sheet] = self.inner[sheet]

    def read_values(self, sheet: str) -> list[Any]:
        if self.package is None:
            try:
                return _rows(self.workbook, sheet)
            except CalamineFailure as exc:
                raise MingaError(f"No se pudo leer la hoja «{sheet}» ({exc}).", sheet=sheet,
                                 fix="Ábrala en Excel y guarde el libro como .xlsx.") from None
        members = dict(self.package.sheets)
        if sheet not in members:
            raise MingaError(f"El libro no tiene la hoja «{sheet}».", sheet=sheet)
        member = members[sheet]
        if member is None:
            return []  # a chart sheet, or a sheet without its part: no cells
        assert self.ahead is not None
        (kind, detail), parsed = self.ahead.take(sheet)
        if kind == "error":
            raise detail
        if kind == _PLAIN:
            self.plain[sheet] = self.inner[sheet]
            if isinstance(parsed, BaseException) and not isinstance(parsed, CalamineFailure):
                raise parsed
            if isinstance(parsed, list):
                return parsed  # the largest sheet, from its parts
            if not isinstance(parsed, CalamineFailure):
                try:
                    return calamine(lambda: parsed.to_python(skip_empty_area=False))
                except CalamineFailure:
                    pass
            # one cell it cannot read: read the sheet cell by cell
        scan = sheetxml.scan_sheet(self.path, member, b"".join(self.package.chunks(member)))
        return _assemble(scan, _read_scan(self.package, scan, sheet))


def _read_scan(package: sheetxml.Package, scan: sheetxml.SheetScan, sheet: str
               ) -> list[Any]:
    """The value of each scanned cell, read by python-calamine from one-column sheets; a cell
    it cannot read is found by halving its chunk and becomes ``Unreadable``."""
    values: list[Any] = [""] * len(scan.xml)
    pending = list(sheetxml.chunks(len(scan.xml)))
    names = [f"c{i}" for i in range(len(pending))]
    workbook = calamine(lambda: CalamineWorkbook.from_filelike(io.BytesIO(
        sheetxml.build_package(names, [sheetxml.column_sheet(scan, r) for r in pending],
                               package.date1904, package.styles, package.shared))))
    failed: list[list[int]] = []
    for name, indexes in zip(names, pending, strict=True):
        try:
            _put(values, list(indexes), _rows(workbook, name))
        except CalamineFailure:
            failed.append(list(indexes))
    bad: list[int] = []
    while failed:
        indexes = failed.pop()
        if len(indexes) == 1:
            bad.append(indexes[0])
            if len(bad) > MAX_UNREADABLE:
                cells = ", ".join(_a1(scan.rows[i], scan.cols[i]) for i in sorted(bad)[:5])
                raise MingaError(f"La hoja «{sheet}» tiene demasiadas celdas ilegibles "
                                 f"({cells}…).", sheet=sheet,
                                 fix="Ábrala en Excel, corrija esas celdas y guarde el libro.")
            continue
        half = len(indexes) // 2
        for part in (indexes[:half], indexes[half:]):
            try:
                one = calamine(lambda part=part: CalamineWorkbook.from_filelike(io.BytesIO(
                    sheetxml.build_package(["c"], [sheetxml.column_sheet(scan, part)],
                                           package.date1904, package.styles,
                                           package.shared))))
                _put(values, part, _rows(one, "c"))
            except CalamineFailure:
                failed.append(part)
    for i in bad:
        values[i] = Unreadable(scan.raw[i] or "?")
    return values


def _put(values: list[Any], indexes: list[int], rows: list[list[Any]]) -> None:
    for n, row in enumerate(rows[: len(indexes)]):
        if row:
            values[indexes[n]] = row[0]


def _a1(row: int, col: int) -> str:
    from addin.domain.records import a1

    return a1(col, row + 1)


def _assemble(scan: sheetxml.SheetScan, values: list[Any]) -> list[Any]:
    """Rows from A1 holding each value at its address; a row costs its filled cells."""
    by_row: dict[int, dict[int, CellValue]] = {}
    for i, value in enumerate(values):
        if value is not None and value != "":
            by_row.setdefault(scan.rows[i], {})[scan.cols[i]] = value
        else:
            cells = by_row.get(scan.rows[i])
            if cells:
                cells.pop(scan.cols[i], None)  # a later empty cell at the same address
    for (r, c), text in scan.errors.items():
        by_row.setdefault(r, {})[c] = ErrorValue(text)
    for (r, c), why in scan.unreadable.items():
        by_row.setdefault(r, {})[c] = Unreadable(why)
    by_row = {r: cells for r, cells in by_row.items() if cells}
    if not by_row:
        return []
    rows: list[Any] = [EMPTY_ROW] * (max(by_row) + 1)
    for r, cells in by_row.items():
        width = max(cells) + 1
        if width <= 4 * len(cells) + 64:
            row: list[Any] = [""] * width
            for c, value in cells.items():
                row[c] = value
            rows[r] = row
        else:
            rows[r] = SparseRow(cells)
    return rows
