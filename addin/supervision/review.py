"""Review states, as survey platforms give their reviewers: a supervisor approves, observes or
rejects a programme's latest submission; a newer submission puts it back to «pendiente».

The decision can be written into the submission itself, below its «Validación» sheet's
findings, as the supervisor's acta (backup first, atomic write, minga's file lock).  The
bytes minga writes are remembered as the same submission, so writing the acta never looks like
a new submission to the next ``minga supervisar``.
"""

from __future__ import annotations

import getpass
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from addin.errors import MingaError
from addin.supervision.batch import file_hash
from addin.supervision.db import History, now

STATES = ("aprobado", "observado", "rechazado")
PENDING = "pendiente"
STATE_LABELS = {"aprobado": "Aprobado", "observado": "Observado", "rechazado": "Rechazado",
                PENDING: "Pendiente"}


def _plain(text: str) -> str:
    from addin.domain.text import normalise

    return normalise(text)


def find_programme(history: History, text: str) -> sqlite3.Row:
    """The programme a supervisor means: its code (``coronel-2025-03``), a workbook of it, or
    words of its comuna or ejecutor, if they name only one."""
    programmes = history.query("SELECT * FROM programmes ORDER BY code")
    if not programmes:
        raise MingaError("La base de supervisión no tiene programas todavía.",
                         fix="Ejecute antes `minga supervisar CARPETA`.")
    exact = [p for p in programmes if p["code"] == text.strip()]
    if exact:
        return exact[0]
    path = Path(text)
    if path.suffix.lower() in (".xlsx", ".xls", ".ods") and path.is_file():
        sha = file_hash(path)
        found = history.query(
            "SELECT p.* FROM programmes p JOIN submissions s ON s.programme_id = p.id "
            "LEFT JOIN written w ON w.submission_id = s.id "
            "WHERE s.sha256 = ? OR w.sha256 = ? LIMIT 1", (sha, sha))
        if found:
            return found[0]
        raise MingaError(f"El libro «{path}» no está en la base de supervisión.",
                         fix="Ejecute `minga supervisar` sobre su carpeta primero.")
    for key in ("comuna", "ejecutor"):  # a whole name first: «Coronel» is the comuna
        named = [p for p in programmes if _plain(p[key] or "") == _plain(text)]
        if len(named) == 1:
            return named[0]
    words = _plain(text).split()
    matches = [p for p in programmes if words and all(
        w in _plain(" ".join(str(p[k] or "") for k in ("code", "region", "comuna",
                                                         "ejecutor"))) for w in words)]
    if len(matches) == 1:
        return matches[0]
    codes = ", ".join(p["code"] for p in (matches or programmes))
    if matches:
        raise MingaError(f"«{text}» corresponde a varios programas: {codes}.",
                         fix="Indique el código del programa.")
    raise MingaError(f"No hay un programa «{text}» en la base de supervisión.",
                     fix=f"Use uno de estos códigos: {codes}.")


def latest_submission(history: History, programme_id: int) -> sqlite3.Row | None:
    """The programme's newest submission: latest cut-off, then latest validated."""
    found = history.query("SELECT * FROM submissions WHERE programme_id = ? ORDER BY cutoff "
                          "DESC, validated_at DESC, id DESC LIMIT 1", (programme_id,))
    return found[0] if found else None


@dataclass
class State:
    state: str  # one of STATES or PENDING
    submission: sqlite3.Row | None
    review: sqlite3.Row | None


def review_state(history: History, programme_id: int) -> State:
    """The decision on the latest submission; «pendiente» when it has none yet."""
    submission = latest_submission(history, programme_id)
    if submission is None:
        return State(PENDING, None, None)
    found = history.query("SELECT * FROM reviews WHERE submission_id = ? ORDER BY decided_at "
                          "DESC, id DESC LIMIT 1", (submission["id"],))
    return State(found[0]["state"] if found else PENDING, submission,
                 found[0] if found else None)


def record_review(history: History, programme: sqlite3.Row, state: str, comment: str,
                  reviewer: str | None = None) -> sqlite3.Row:
    """Record who decided what, when, on the programme's latest submission."""
    state = _plain(state)
    if state not in STATES:
        raise MingaError(f"Estado desconocido: «{state}».",
                         fix="Use --estado aprobado, observado o rechazado.")
    if not comment.strip():
        raise MingaError("Falta el comentario de la revisión.",
                         fix='Escríbalo con --comentario "…" (qué se revisó y qué falta).')
    submission = latest_submission(history, programme["id"])
    if submission is None:
        raise MingaError(f"El programa {programme['code']} no tiene entregas validadas.",
                         fix="Ejecute antes `minga supervisar CARPETA`.")
    who = reviewer or getpass.getuser()
    with history.write() as c:
        cur = c.execute("INSERT INTO reviews (programme_id, submission_id, state, comment, "
                        "reviewer, decided_at) VALUES (?,?,?,?,?,?)",
                        (programme["id"], submission["id"], state, comment.strip(), who, now()))
        review_id = cur.lastrowid
    return history.query("SELECT * FROM reviews WHERE id = ?", (review_id,))[0]


def submission_file(history: History, submission: sqlite3.Row) -> Path:
    """Where the submission's bytes are now: its latest path that still holds them."""
    known = {submission["sha256"]} | {r["sha256"] for r in history.query(
        "SELECT sha256 FROM written WHERE submission_id = ?", (submission["id"],))}
    paths = [submission["path"]] + [r["path"] for r in history.query(
        "SELECT path FROM receipts WHERE submission_id = ? ORDER BY id DESC",
        (submission["id"],))]
    for text in dict.fromkeys(paths):
        path = Path(text)
        try:
            if path.is_file() and file_hash(path) in known:
                return path
        except OSError:
            continue
    raise MingaError(f"El archivo de la entrega «{submission['file_name']}» ya no está donde se "
                     "validó, o cambió desde entonces.",
                     fix="Ejecute `minga supervisar` de nuevo sobre la carpeta y repita la "
                         "revisión.")


def acta_rows(review: sqlite3.Row, submission: sqlite3.Row, code: str) -> list[list[Any]]:
    decided = datetime.fromisoformat(review["decided_at"])
    cutoff = submission["cutoff"]
    return [
        ["Acta de revisión del supervisor"],
        ["Programa", code],
        ["Entrega", f"{submission['file_name']} (corte "
                    f"{date.fromisoformat(cutoff):%d-%m-%Y})" if cutoff else
         submission["file_name"]],
        ["Estado", STATE_LABELS[review["state"]]],
        ["Comentario", review["comment"]],
        ["Revisado por", review["reviewer"]],
        ["Fecha", f"{decided:%d-%m-%Y %H:%M}"],
    ]


def write_acta(history: History, review: sqlite3.Row, keep_backup: bool = True
               ) -> tuple[Path, Path | None]:
    """Write the decision below the findings of the submission's «Validación» sheet.

    ``supervisar`` never writes into submissions: the validator writes the findings first
    (backing the file up), then the acta is added.  The new bytes are remembered as the same
    submission.
    """
    from addin.actions.record import RECORD_SHEET
    from addin.actions.validate import validate_file
    from addin.backends.base import SheetFormat, Style, Styled
    from addin.backends.openpyxl_backend import OpenpyxlBackend
    from addin.fileio import check_writable, exclusive
    from addin.layouts.ecomercado import VALIDACION
    from addin.layouts.identity import SHEET as IDENTITY_SHEET
    from addin.layouts.model import find_sheet

    submission = history.query("SELECT * FROM submissions WHERE id = ?",
                               (review["submission_id"],))[0]
    code = history.query("SELECT code FROM programmes WHERE id = ?",
                         (review["programme_id"],))[0]["code"]
    path = submission_file(history, submission)
    if path.suffix.lower() != ".xlsx":
        raise MingaError(f"No se puede escribir el acta en un archivo {path.suffix}.",
                         fix="Pida el libro en .xlsx, o registre la revisión sin --escribir.")
    check_writable(path, overwrite=True)
    cutoff = date.fromisoformat(submission["cutoff"]) if submission["cutoff"] else None
    # The findings the supervisor reviewed, rewritten by the validator (its own backup first),
    # then the acta below them.
    _, written = validate_file(path, None, cutoff, write=True, keep_backup=keep_backup)
    saved = written.backup if written is not None else None
    _remember(history, submission["id"], path)
    with exclusive(path):
        backend = OpenpyxlBackend.open(path)
        sheet = find_sheet(backend.sheet_names(), VALIDACION)
        assert sheet is not None
        rows = backend.read_values(sheet)
        while rows and not any(v not in (None, "") for v in rows[-1]):
            rows.pop()
        top = len(rows) + 2
        block = acta_rows(review, submission, code)
        backend.write_block(sheet, f"A{top}", block)
        bold = Style(bold=True, v_align="top")
        backend.format_sheet(sheet, SheetFormat(styles=[
            Styled(f"A{top}", Style(bold=True, size=13)),
            Styled(f"A{top + 1}:A{top + len(block) - 1}", bold),
            Styled(f"B{top + 1}:B{top + len(block) - 1}", Style(wrap=True, v_align="top"))]))
        # The validator's safe save: whatever openpyxl dropped is put back, and a write that
        # would lose anything of the user's is refused (its backup is already made).
        backend.save(own={sheet, RECORD_SHEET, IDENTITY_SHEET})
    _remember(history, submission["id"], path)
    return path, saved


def _remember(history: History, submission_id: int, path: Path) -> None:
    with history.write() as c:
        c.execute("INSERT OR IGNORE INTO written (sha256, submission_id, written_at) "
                  "VALUES (?,?,?)", (file_hash(path), submission_id, now()))
