"""The supervision history: one SQLite file with a versioned schema that upgrades itself.

Why SQLite: one file a supervisor can copy, no server, transactions that survive a killed
process (WAL journal), and a busy timeout so two runs on one file wait for each other instead
of failing.  Every submission is written with its findings in one transaction: the database
holds whole submissions or none.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from addin.errors import MingaError
from addin.fileio import describe_os_error

#: Marks the file as minga's (``PRAGMA application_id``): «MNGA».
APPLICATION_ID = 0x4D4E4741
#: Waits this long for another minga writing the same database before giving up.
BUSY_TIMEOUT_MS = 60_000
SUFFIX = ".minga.sqlite"

#: Schema steps: ``MIGRATIONS[n]`` takes a database from version n to n + 1.  Never edit a
#: released step; add one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE programmes (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,          -- metrics.Identity.key
        code TEXT NOT NULL UNIQUE,         -- short name a supervisor types: coronel-2025-03
        region TEXT, comuna TEXT, ejecutor TEXT, convenio TEXT, start_date TEXT,
        definition TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        folder TEXT NOT NULL,
        cutoff TEXT,                       -- --fecha-corte, NULL: each workbook's own
        started_at TEXT NOT NULL,
        finished_at TEXT,
        files INTEGER NOT NULL DEFAULT 0,
        validated INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        unreadable INTEGER NOT NULL DEFAULT 0,
        minga_version TEXT NOT NULL
    );
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL,
        cutoff_key TEXT NOT NULL,          -- the requested cut-off, or 'libro'
        programme_id INTEGER REFERENCES programmes(id),
        run_id INTEGER NOT NULL REFERENCES runs(id),
        path TEXT NOT NULL,
        file_name TEXT NOT NULL,
        size INTEGER NOT NULL,
        received_at TEXT NOT NULL,         -- the file's modification time
        validated_at TEXT NOT NULL,
        cutoff TEXT,                       -- the date it was judged at
        status TEXT NOT NULL CHECK (status IN ('validado', 'ilegible')),
        errors INTEGER NOT NULL, warnings INTEGER NOT NULL, info INTEGER NOT NULL,
        total INTEGER NOT NULL,
        metrics TEXT NOT NULL DEFAULT '{}',  -- JSON: stage, % done, overdue reports…
        schema TEXT, programme TEXT, minga_version TEXT NOT NULL,
        UNIQUE (sha256, cutoff_key)
    );
    CREATE INDEX submissions_programme ON submissions (programme_id, cutoff, validated_at);
    CREATE TABLE findings (
        submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        rule TEXT NOT NULL, severity TEXT NOT NULL, sheet TEXT NOT NULL, cell TEXT,
        row_key TEXT, message TEXT NOT NULL, fix TEXT NOT NULL, source TEXT NOT NULL,
        PRIMARY KEY (submission_id, position)
    );
    CREATE TABLE receipts (                -- each time a run saw a file
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        path TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        validated INTEGER NOT NULL          -- 1 validated in this run, 0 skipped (same hash)
    );
    CREATE INDEX receipts_run ON receipts (run_id);
    CREATE TABLE snapshots (               -- the records as read, to compare versions
        submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
        data BLOB NOT NULL                 -- zlib-compressed JSON (compare.snapshot)
    );
    CREATE TABLE comparisons (             -- a submission against the programme's previous one
        submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
        previous_id INTEGER NOT NULL REFERENCES submissions(id),
        summary TEXT NOT NULL,             -- JSON: rows added/removed/changed, findings
        detail BLOB NOT NULL               -- zlib-compressed JSON (minga.changes/1)
    );
    CREATE TABLE written (                 -- bytes minga wrote into a submission (its acta)
        sha256 TEXT PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        written_at TEXT NOT NULL
    );
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        programme_id INTEGER NOT NULL REFERENCES programmes(id),
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        state TEXT NOT NULL CHECK (state IN ('aprobado', 'observado', 'rechazado')),
        comment TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        decided_at TEXT NOT NULL
    );
    """,
    # 1 → 2: every kind of programme, not only Ecomercados (a history of version 1 holds
    # only those); «comuna» holds the territory of any kind.
    """
    ALTER TABLE programmes ADD COLUMN kind TEXT NOT NULL DEFAULT 'ecomercado'
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def default_path(folder: Path) -> Path:
    """The database beside the folder it supervises: ``entregas/`` → ``entregas.minga.sqlite``."""
    folder = Path(folder).resolve()
    return folder.parent / f"{folder.name or 'supervision'}{SUFFIX}"


def find_default(cwd: Path | None = None) -> Path:
    """The one ``*.minga.sqlite`` in the current folder, for commands run without --db."""
    found = sorted(Path(cwd or ".").glob(f"*{SUFFIX}"))
    if len(found) == 1:
        return found[0]
    if not found:
        raise MingaError("No hay una base de supervisión (*.minga.sqlite) en esta carpeta.",
                         fix="Indíquela con --db, o ejecute antes `minga supervisar CARPETA`.")
    raise MingaError("Hay varias bases de supervisión en esta carpeta: "
                     + ", ".join(p.name for p in found) + ".", fix="Elija una con --db.")


def _not_minga(path: Path, why: str) -> MingaError:
    return MingaError(f"«{path}» no es una base de supervisión de minga ({why}); no se "
                      "modificó.", fix="Indique otra ruta con --db, o una ruta nueva para "
                                       "crearla.")


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _operational(path: Path, exc: sqlite3.OperationalError) -> MingaError:
    """SQLite's operational errors (English) in a supervisor's words; what was committed
    before stays."""
    text = str(exc).lower()
    if _busy(exc):
        return MingaError(f"La base «{path}» está ocupada por otro proceso desde hace más de "
                          f"{BUSY_TIMEOUT_MS // 1000} s.",
                          fix="Espere a que termine y vuelva a intentarlo.")
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        return MingaError(f"No se puede escribir la base «{path}» (permiso denegado o disco de "
                          "solo lectura).", fix="Revise los permisos o indique otra ruta con "
                                                "--db.")
    if "disk" in text or "full" in text:
        return MingaError(f"No se pudo escribir la base «{path}»: {exc}.",
                          fix="Revise el espacio en disco; lo ya guardado se conserva.")
    return MingaError(f"No se pudo usar la base «{path}» (SQLite: {exc}).",
                      fix="Revise el archivo; lo ya guardado se conserva.")


@dataclass
class History:
    """An open supervision database."""

    path: Path
    conn: sqlite3.Connection

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> History:
        """Open (or create) the database, refusing a file that is not minga's or is newer.

        The header is checked before SQLite touches the file, so a wrong ``--db`` (a workbook,
        a text file) is never modified.
        """
        path = Path(path)
        exists = path.exists()
        if exists and path.is_dir():
            raise MingaError(f"«{path}» es una carpeta, no una base de datos.",
                             fix="Indique un archivo con --db.")
        if not exists and not create:
            raise MingaError(f"No existe la base de supervisión «{path}».",
                             fix="Revise la ruta de --db, o ejecute antes "
                                 "`minga supervisar CARPETA`.")
        if exists:
            try:
                with path.open("rb") as handle:
                    head = handle.read(100)
            except OSError as exc:
                raise MingaError(f"No se puede leer «{path}»: {describe_os_error(exc)}.",
                                 fix="Revise los permisos del archivo.") from None
            if head and not head.startswith(b"SQLite format 3\x00"):
                raise _not_minga(path, "no es un archivo SQLite")
            if len(head) >= 72 and head[68:72] not in (b"\0\0\0\0",
                                                        APPLICATION_ID.to_bytes(4, "big")):
                raise _not_minga(path, "es una base SQLite de otro programa")
        elif not path.parent.is_dir():
            raise MingaError(f"La carpeta «{path.parent}» no existe.",
                             fix="Créela o indique otra ruta con --db.")
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise _operational(path, exc) from None
        history = cls(path, conn)
        try:
            history._prepare()
        except sqlite3.OperationalError as exc:
            conn.close()
            raise _operational(path, exc) from None
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _not_minga(path, str(exc)) from None
        except MingaError:
            conn.close()
            raise
        return history

    def _prepare(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        c.execute("PRAGMA foreign_keys = ON")
        # One statement, one snapshot: read one by one, another minga creating the file at
        # this moment could show its tables without yet its version and mark.
        version, app, tables = c.execute(
            "SELECT v.user_version, a.application_id, (SELECT count(*) FROM sqlite_master) "
            "FROM pragma_user_version AS v, pragma_application_id AS a").fetchone()
        if app not in (0, APPLICATION_ID) or (app == 0 and tables and version == 0):
            raise _not_minga(self.path, "tiene tablas que no son de minga")
        if version > SCHEMA_VERSION:
            raise MingaError(f"La base «{self.path}» es de una versión más nueva de minga "
                             f"(esquema {version}; esta versión entiende hasta el "
                             f"{SCHEMA_VERSION}); no se modificó.",
                             fix="Actualice minga (pip install -U minga) y vuelva a ejecutar.")
        self._wal()
        c.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable at each checkpoint
        if version < SCHEMA_VERSION:
            self._upgrade()

    def _wal(self) -> None:
        """Switch the file to the WAL journal.  The switch needs the file to itself and SQLite
        answers «busy» at once, without waiting, while another minga has it open (two runs
        started together on a new database): wait and try again, as the busy timeout would."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = 0.005
        while True:
            try:
                if self.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

    def _upgrade(self) -> None:
        """Apply the missing schema steps, each in its own transaction (another process may be
        doing the same: the version is re-read under the write lock)."""
        while True:
            with self.write() as c:
                version = c.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:
                    return
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        c.execute(statement)
                c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                c.execute(f"PRAGMA user_version = {version + 1}")

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, holding the write lock from its start (BEGIN IMMEDIATE): all of it
        lands or none of it does."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _operational(self.path, exc) from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise _operational(self.path, exc) from None
            raise

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        cur = self.conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchall()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
