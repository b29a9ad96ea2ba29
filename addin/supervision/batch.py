"""``minga supervisar``: validate every workbook of a folder in parallel and record the run.

Each file is validated in a worker process through the validator's public entry point
(``addin.actions.validate.validate_file``); the parent only hashes, schedules and writes the
database, one transaction per submission.  A file that cannot be read, or that kills its
worker, becomes a submission with one finding: the batch goes on.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from addin import __version__
from addin.errors import MingaError
from addin.fileio import describe_os_error
from addin.supervision.db import History, now
from addin.supervision.metrics import Identity

SUFFIXES = (".xlsx", ".xls", ".ods")
#: A worker that needs more address space than this is stopped by the kernel: a hostile file
#: costs its own finding, never the machine (POSIX only).
WORKER_ADDRESS_SPACE = 3 << 30
#: Rule ids of the findings the batch itself gives a file it could not validate.
UNREADABLE_RULE = "SUP-01"
CRASHED_RULE = "SUP-02"
SUP_SOURCE = "minga supervisar: un archivo que no se puede validar se informa y el lote sigue"


def machine_workers() -> int:
    """Worker processes for this machine: one per CPU it lets us use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # macOS, Windows
        return max(os.cpu_count() or 1, 1)


def is_backup_or_lock(path: Path) -> bool:
    """minga's own backups, Excel's and LibreOffice's lock files: not submissions."""
    name = path.name
    return name.startswith(("~$", ".~lock", ".")) or ".respaldo-" in name


def discover(folder: Path) -> list[Path]:
    """Every workbook under ``folder`` (recursively), sorted; Spanish errors for a bad folder."""
    folder = Path(folder)
    try:
        status = folder.stat()
    except FileNotFoundError:
        raise MingaError(f"No existe la carpeta «{folder}».", fix="Revise la ruta.") from None
    except OSError as exc:
        raise MingaError(f"No se puede usar la carpeta «{folder}»: {describe_os_error(exc)}.",
                         fix="Revise la ruta y sus permisos.") from None
    del status
    if not folder.is_dir():
        raise MingaError(f"«{folder}» es un archivo, no una carpeta.",
                         fix="Indique la carpeta que contiene los libros recibidos.")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise MingaError(f"No hay permiso para leer la carpeta «{folder}».",
                         fix="Revise los permisos de la carpeta o cópiela a otra ubicación.")
    errors: list[OSError] = []
    found = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = Path(root) / name
            if path.suffix.lower() in SUFFIXES and not is_backup_or_lock(path):
                found.append(path)
    if errors and not found:
        raise MingaError(f"No se pudo leer la carpeta «{errors[0].filename}»: "
                         f"{describe_os_error(errors[0])}.", fix="Revise sus permisos.")
    if not found:
        raise MingaError(f"La carpeta «{folder}» no tiene libros (.xlsx, .xls u .ods), ni en "
                         "sus subcarpetas.", fix="Indique la carpeta donde guardó los libros "
                                                 "recibidos.")
    return sorted(found)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- the worker ----------------------------------------------------------------------------

def _limit_worker() -> None:
    try:
        import resource
    except ImportError:  # Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = WORKER_ADDRESS_SPACE if hard == resource.RLIM_INFINITY else \
        min(WORKER_ADDRESS_SPACE, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _failure(rule: str, message: str, fix: str, sheet: str | None = None,
             cell: str | None = None) -> dict[str, Any]:
    return {"ok": False, "finding": {
        "rule": rule, "severity": "error", "sheet": sheet or "", "cell": cell, "row_key": None,
        "message": message, "fix": fix, "source": SUP_SOURCE}}


def check_file(path: str, cutoff: date | None) -> dict[str, Any]:
    """Validate one file (in a worker process); plain data back, never an exception."""
    from addin.actions.validate import validate_file
    from addin.supervision.compare import pack, snapshot
    from addin.supervision.metrics import identity, metrics

    try:
        result, _ = validate_file(Path(path), None, cutoff)
        ident = identity(result.data)
        figures = metrics(result.data, result.cutoff)
        if not ident.complete:  # said on the dashboard: what to fill in for it to count
            figures["missing_identity"] = ident.missing()
        return {"ok": True, "report": result.to_json(), "identity": asdict(ident),
                "metrics": figures,
                "snapshot": pack(snapshot(result.data))}
    except MingaError as exc:
        return _failure(UNREADABLE_RULE, f"No se pudo validar el libro: {exc.message}",
                        exc.fix or "Pida al ejecutor que envíe de nuevo el libro.",
                        exc.sheet, exc.cell)
    except MemoryError:
        return _failure(UNREADABLE_RULE, "El libro necesita más memoria de la permitida para "
                        "leerlo (¿archivo dañado o malicioso?).",
                        "Pida al ejecutor que lo envíe de nuevo, guardado desde Excel.")
    except Exception as exc:  # a bug of minga on this file: the batch goes on
        return _failure(UNREADABLE_RULE, f"Error interno de minga al validar este libro "
                        f"({type(exc).__name__}: {str(exc)[:200]}).",
                        "Repórtelo adjuntando el archivo; el resto del lote se validó.")


# --- the batch -----------------------------------------------------------------------------

@dataclass
class Entry:
    """A file found in the folder."""

    path: Path
    sha256: str = ""
    size: int = 0
    received_at: str = ""
    unreadable: str = ""  # why it could not even be hashed
    submission_id: int | None = None
    validated: bool = False


@dataclass
class Duplicate:
    programme: str
    period: str
    paths: list[str]
    same_bytes: bool


@dataclass
class RunReport:
    run_id: int
    files: int = 0
    validated: int = 0
    skipped: int = 0
    unreadable: int = 0
    errors: int = 0  # submissions of this run with at least one error
    duplicates: list[Duplicate] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # one per file, for the table
    changes: list[dict[str, Any]] = field(default_factory=list)  # vs. the previous submission


def _cutoff_key(cutoff: date | None) -> str:
    return cutoff.isoformat() if cutoff else "libro"


def _programme_id(c: sqlite3.Connection, ident: Identity, definition: str) -> int | None:
    if not ident.complete:
        return None
    row = c.execute("SELECT id FROM programmes WHERE key = ?", (ident.key,)).fetchone()
    if row:
        return int(row[0])
    base = ident.code()
    code, n = base, 1
    while c.execute("SELECT 1 FROM programmes WHERE code = ?", (code,)).fetchone():
        n += 1
        code = f"{base}-{n}"
    cur = c.execute(
        "INSERT INTO programmes (key, code, region, comuna, ejecutor, convenio, start_date, "
        "definition, created_at, kind) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (ident.key, code, ident.region, ident.comuna, ident.ejecutor, ident.convenio,
         ident.start, definition, now(), ident.kind))
    return int(cur.lastrowid or 0)


def _findings(c: sqlite3.Connection, submission: int) -> list[dict[str, Any]]:
    cur = c.execute("SELECT rule, severity, sheet, cell, row_key, message, fix, source FROM "
                    "findings WHERE submission_id = ? ORDER BY position", (submission,))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def compare_programme(history: History, programme: int) -> None:
    """Compare each submission of a programme with the one before it by cut-off (then by
    validation time), from the stored snapshots: the previous file may be gone or
    overwritten.  Files of one run finish in any order, so this runs after the batch and
    redoes a comparison whose predecessor changed."""
    from addin.supervision.compare import compare, pack, unpack

    chain = history.query(
        "SELECT s.id, s.file_name, s.cutoff, c.previous_id FROM submissions s JOIN snapshots n "
        "ON n.submission_id = s.id LEFT JOIN comparisons c ON c.submission_id = s.id "
        "WHERE s.programme_id = ? ORDER BY s.cutoff, s.validated_at, s.id", (programme,))
    for before, current in itertools.pairwise(chain):
        if current["previous_id"] == before["id"]:
            continue
        with history.write() as c:
            old = c.execute("SELECT data FROM snapshots WHERE submission_id = ?",
                            (before["id"],)).fetchone()[0]
            new = c.execute("SELECT data FROM snapshots WHERE submission_id = ?",
                            (current["id"],)).fetchone()[0]
            comparison = compare(_label(before), unpack(old), _findings(c, before["id"]),
                                 _label(current), unpack(new), _findings(c, current["id"]))
            c.execute("INSERT OR REPLACE INTO comparisons (submission_id, previous_id, summary, "
                      "detail) VALUES (?,?,?,?)",
                      (current["id"], before["id"], json.dumps(comparison.summary()),
                       pack(comparison.to_json())))


def _label(submission: sqlite3.Row) -> str:
    cutoff = submission["cutoff"]
    return f"{submission['file_name']} (corte {cutoff})" if cutoff else submission["file_name"]


def record(history: History, run_id: int, cutoff: date | None, entries: list[Entry],
           outcome: dict[str, Any]) -> int:
    """Write one validated file (and every path with the same bytes) in one transaction;
    return the submission's id.  A concurrent run that recorded the same bytes first wins:
    its row is reused, nothing is lost or doubled — unless it was left unidentified and this
    validation identifies it (a history written before minga knew the workbook's kind):
    then the row takes the new identity, findings and figures."""
    first = entries[0]
    key = _cutoff_key(cutoff)
    with history.write() as c:
        row = c.execute("SELECT id, programme_id, status FROM submissions WHERE sha256 = ? AND "
                        "cutoff_key = ?", (first.sha256, key)).fetchone()
        stale = row is not None and row[1] is None and row[2] == "validado" and \
            outcome["ok"] and Identity(**outcome["identity"]).complete
        if stale:
            for table in ("findings", "snapshots"):
                c.execute(f"DELETE FROM {table} WHERE submission_id = ?", (row[0],))
            c.execute("DELETE FROM comparisons WHERE submission_id = ? OR previous_id = ?",
                      (row[0], row[0]))
        if row and not stale:
            submission = int(row[0])
        else:
            if outcome["ok"]:
                report = outcome["report"]
                ident = Identity(**outcome["identity"])
                programme = _programme_id(c, ident, report["programme"])
                findings = report["findings"]
                summary = report["summary"]
                judged, metrics = report["cutoff"], outcome["metrics"]
                status, schema, definition = "validado", report["schema"], report["programme"]
            else:
                programme, findings = None, [outcome["finding"]]
                summary = {"errors": 1, "warnings": 0, "info": 0, "total": 1}
                judged, metrics = (cutoff.isoformat() if cutoff else None), {}
                status, schema, definition = "ilegible", None, None
            values = (first.sha256, key, programme, run_id, str(first.path), first.path.name,
                      first.size, first.received_at, now(), judged, status, summary["errors"],
                      summary["warnings"], summary["info"], summary["total"],
                      json.dumps(metrics, ensure_ascii=False), schema, definition,
                      __version__)
            columns = ("sha256, cutoff_key, programme_id, run_id, path, file_name, size, "
                       "received_at, validated_at, cutoff, status, errors, warnings, info, "
                       "total, metrics, schema, programme, minga_version")
            if stale:
                c.execute(f"UPDATE submissions SET ({columns}) = "
                          f"({', '.join('?' * len(values))}) WHERE id = ?", (*values, row[0]))
                submission = int(row[0])
            else:
                cur = c.execute(f"INSERT INTO submissions ({columns}) VALUES "
                                f"({', '.join('?' * len(values))})", values)
                submission = int(cur.lastrowid or 0)
            c.executemany(
                "INSERT INTO findings (submission_id, position, rule, severity, sheet, cell, "
                "row_key, message, fix, source) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [(submission, i, f["rule"], f["severity"], f["sheet"], f["cell"],
                  f["row_key"], f["message"], f["fix"], f["source"])
                 for i, f in enumerate(findings)])
            if outcome.get("snapshot"):
                c.execute("INSERT INTO snapshots (submission_id, data) VALUES (?,?)",
                          (submission, outcome["snapshot"]))
        for entry in entries:
            entry.submission_id = submission
            entry.validated = True
            c.execute("INSERT INTO receipts (run_id, submission_id, path, seen_at, validated) "
                      "VALUES (?,?,?,?,1)", (run_id, submission, str(entry.path), now()))
    return submission


def _prepare(entries: list[Entry]) -> None:
    for entry in entries:
        try:
            stat = entry.path.stat()
            entry.size = stat.st_size
            entry.received_at = datetime.fromtimestamp(stat.st_mtime).astimezone().isoformat(
                timespec="seconds")
            entry.sha256 = file_hash(entry.path)
        except OSError as exc:
            entry.unreadable = describe_os_error(exc)
            entry.sha256 = f"sin-lectura:{entry.path}"


Worker = Callable[[str, "date | None"], dict[str, Any]]


def run_pool(todo: dict[str, list[Entry]], cutoff: date | None, workers: int,
             done: Callable[[list[Entry], dict[str, Any]], None],
             worker: Worker = check_file) -> None:
    """Validate each hash's first file in a pool; files whose worker died are retried alone,
    so only the file that kills its worker gets the crash finding.  ``worker`` must be a
    module-level function (it is pickled to the worker processes)."""
    context = multiprocessing.get_context("spawn")
    pending = list(todo)
    alone = False
    while pending:
        retry: list[str] = []
        chunks = [pending] if not alone else [[h] for h in pending]
        for chunk in chunks:
            size = 1 if alone else max(1, min(workers, len(chunk)))
            with ProcessPoolExecutor(size, mp_context=context,
                                     initializer=_limit_worker) as pool:
                futures: dict[Future[dict[str, Any]], str] = {
                    pool.submit(worker, str(todo[h][0].path), cutoff): h for h in chunk}
                for future in as_completed(futures):
                    sha = futures[future]
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        if alone:
                            done(todo[sha], _failure(
                                CRASHED_RULE, "El proceso que leía este libro se detuvo sin "
                                "terminar (archivo dañado, demasiado grande o malicioso).",
                                "Pida al ejecutor que lo envíe de nuevo, guardado desde Excel."))
                        else:
                            retry.append(sha)
                        continue
                    done(todo[sha], outcome)
        pending, alone = retry, True


def supervise(folder: Path, history: History, cutoff: date | None = None,
              workers: int | None = None, progress: Callable[[int, int], Any] | None = None,
              paths: list[Path] | None = None) -> RunReport:
    """Validate what is new in ``folder`` (its ``paths`` if already discovered), record it,
    and report the run."""
    paths = paths if paths is not None else discover(folder)
    with history.write() as c:
        cur = c.execute("INSERT INTO runs (folder, cutoff, started_at, files, minga_version) "
                        "VALUES (?,?,?,?,?)", (str(Path(folder).resolve()),
                                               cutoff.isoformat() if cutoff else None, now(),
                                               len(paths), __version__))
        run_id = int(cur.lastrowid or 0)
    report = RunReport(run_id, files=len(paths))
    entries = [Entry(p) for p in paths]
    _prepare(entries)
    key = _cutoff_key(cutoff)
    by_hash: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_hash[entry.sha256].append(entry)
    todo: dict[str, list[Entry]] = {}
    seen_ids: dict[str, int] = {}
    for sha, group in by_hash.items():
        row = history.query(
            "SELECT id, programme_id, status FROM submissions WHERE sha256 = ? AND "
            "cutoff_key = ? UNION ALL "
            "SELECT s.id, s.programme_id, s.status FROM written w JOIN submissions s ON "
            "s.id = w.submission_id WHERE w.sha256 = ? AND s.cutoff_key = ?",
            (sha, key, sha, key))
        # A workbook validated but left unidentified is validated again: a newer minga may
        # know how to identify its kind (the history of one that knew only Ecomercados).
        if row and not group[0].unreadable and not (
                row[0]["programme_id"] is None and row[0]["status"] == "validado"):
            seen_ids[sha] = int(row[0]["id"])
        else:
            todo[sha] = group
    if seen_ids:
        with history.write() as c:
            for sha, submission in seen_ids.items():
                for entry in by_hash[sha]:
                    entry.submission_id = submission
                    c.execute("INSERT INTO receipts (run_id, submission_id, path, seen_at, "
                              "validated) VALUES (?,?,?,?,0)",
                              (run_id, submission, str(entry.path), now()))
    count = [sum(len(by_hash[s]) for s in seen_ids)]
    if progress:
        progress(count[0], len(entries))

    def done(group: list[Entry], outcome: dict[str, Any]) -> None:
        record(history, run_id, cutoff, group, outcome)
        count[0] += len(group)
        if progress:
            progress(count[0], len(entries))

    unreadable = {s: g for s, g in todo.items() if g[0].unreadable}
    for group in unreadable.values():
        done(group, _failure(UNREADABLE_RULE, f"No se pudo leer el archivo: "
                             f"{group[0].unreadable}.", "Revise sus permisos."))
    readable = {s: g for s, g in todo.items() if not g[0].unreadable}
    if readable:
        run_pool(readable, cutoff, workers or machine_workers(), done)
    touched = {r["programme_id"] for r in history.query(
        "SELECT DISTINCT programme_id FROM submissions WHERE run_id = ? AND programme_id IS "
        "NOT NULL", (run_id,))}
    for programme in sorted(touched):
        compare_programme(history, programme)
    report.validated = sum(1 for e in entries if e.validated)
    report.skipped = len(entries) - report.validated
    _summarise(history, report, entries)
    with history.write() as c:
        c.execute("UPDATE runs SET finished_at = ?, validated = ?, skipped = ?, unreadable = ? "
                  "WHERE id = ?", (now(), report.validated, report.skipped, report.unreadable,
                                   run_id))
    return report


def _summarise(history: History, report: RunReport, entries: Iterable[Entry]) -> None:
    """Per-file rows, and duplicates: two files of this run claiming one programme and
    period (the cut-off's month)."""
    groups: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
    for entry in entries:
        row = history.query(
            "SELECT s.*, p.code, p.comuna, p.ejecutor, p.kind FROM submissions s "
            "LEFT JOIN programmes p ON p.id = s.programme_id WHERE s.id = ?",
            (entry.submission_id,))[0]
        figures = json.loads(row["metrics"] or "{}")
        report.rows.append({"path": str(entry.path), "programme": row["code"],
                            "kind": row["kind"] or figures.get("kind"),
                            "missing_identity": figures.get("missing_identity", []),
                            "status": row["status"], "cutoff": row["cutoff"],
                            "errors": row["errors"], "warnings": row["warnings"],
                            "validated": entry.validated})
        if row["status"] == "ilegible":
            report.unreadable += 1
        if row["errors"]:
            report.errors += 1
        if entry.validated:
            change = history.query(
                "SELECT c.summary, p.file_name, p.cutoff FROM comparisons c JOIN submissions p "
                "ON p.id = c.previous_id WHERE c.submission_id = ?", (entry.submission_id,))
            if change and str(entry.path) == row["path"]:
                report.changes.append({"path": str(entry.path), "programme": row["code"],
                                       "cutoff": row["cutoff"],
                                       "previous": change[0]["file_name"],
                                       "previous_cutoff": change[0]["cutoff"],
                                       "summary": json.loads(change[0]["summary"])})
        if row["programme_id"] is not None:
            period = (row["cutoff"] or "")[:7]
            groups[(row["programme_id"], period)].append((str(entry.path),
                                                           str(entry.submission_id)))
    for (programme, period), files in sorted(groups.items()):
        if len(files) > 1:
            code = history.query("SELECT code FROM programmes WHERE id = ?", (programme,))
            report.duplicates.append(Duplicate(code[0]["code"], period, [p for p, _ in files],
                                               len({h for _, h in files}) == 1))
