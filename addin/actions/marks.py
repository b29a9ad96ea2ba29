"""Marking cells in a person's workbook without ever destroying their work.

A mark is a fill and a note on a cell.  The cell may already hold the user's note (or the
template's: the Gantt activities' products and verifiers, the «Obligatorio.» headers) and the
user's fill (any colour, Excel's «Malo» or «Neutral» included).  So:

- every mark is written down in the workbook's record (``addin.actions.record``) with the note
  and fill it replaced — that, not an author or a colour, is how minga knows its marks;
- while the finding stands, the user's note stays in the cell, below minga's text;
- when marks are cleared, each recorded cell gets its note and fill back — unless the person
  changed them after the mark: then their edit wins (minga only takes its own text out of the
  note when it is still there, and leaves a fill it did not put).

Clearing touches the recorded cells only, and marking the marked ones only: the cost follows
the marks, never the size of a sheet.  The policy is backend-neutral; a backend only reads and
writes notes and fills in bulk (``read_annotations`` / ``write_annotations``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from addin.actions.record import MAX_ENTRIES, MarkEntry, Record, fits, valid_cell
from addin.backends.base import (
    MARK_AUTHOR,
    MARK_FILLS,
    MAX_NOTE_TEXT,
    Annotation,
    Backend,
    Mark,
    clip,
)

#: The first line of every note minga writes: how a person tells minga's text from theirs.
HEADER = "[minga] Validación:"
#: Between minga's text and the note the cell had.
SEPARATOR = "— Nota de la celda —"
#: minga's own part of a note stays well inside Excel's limit, leaving room for the user's.
MAX_OWN_TEXT = MAX_NOTE_TEXT // 2
#: A range mark colours at most this many cells (a finding is about a cell or a row).
MAX_RANGE_CELLS = 10_000


def own_text(notes: Sequence[str]) -> str:
    """minga's part of a mark's note: the header and each finding's text."""
    return clip("\n".join([HEADER, *notes]), MAX_OWN_TEXT)


def compose(own: str, original: str | None) -> str:
    """The note a marked cell shows: minga's text, then the cell's own note (if any)."""
    text = own if not original else f"{own}\n\n{SEPARATOR}\n{original}"
    return clip(text, MAX_NOTE_TEXT)


def _same(a: str | None, b: str | None) -> bool:
    """Equal notes, across the line endings and trailing blanks spreadsheet apps rewrite."""
    if a is None or b is None:
        return a is b
    return _norm(a) == _norm(b)


def _norm(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def _unmark_note(now: Annotation, entry: MarkEntry) -> tuple[str | None, str]:
    """The note a marked cell goes back to."""
    assert entry.note is not None
    if _same(now.note, compose(entry.note, entry.original.note)):
        return entry.original.note, entry.original.author  # untouched since the mark
    text = _norm(now.note or "")
    own = _norm(entry.note)
    if now.note is not None and text.startswith(own):
        # The person edited the note but left minga's text: take out minga's text only.
        rest = text[len(own):].lstrip("\n")
        rest = rest.removeprefix(SEPARATOR).lstrip("\n")
        author = now.author if now.author != MARK_AUTHOR else entry.original.author
        return (rest or None), (author if rest else "")
    return now.note, now.author  # rewritten or deleted by a person: theirs


def _unmark(now: Annotation, entry: MarkEntry) -> Annotation:
    note, author = (now.note, now.author) if entry.note is None else _unmark_note(now, entry)
    fill = now.fill
    if entry.fill is not None and now.fill == entry.fill:
        fill = entry.original.fill  # a fill the person changed after the mark stays
    return Annotation(note, author, fill)


def _without_orphan(now: Annotation) -> Annotation:
    """A cell before an earlier mark that the record lost track of (rows were inserted and the
    mark moved with its cell): its own note is what follows minga's text; its fill, if a
    mark's colour, is unknown and taken as none.  Never kept as «the user's note»."""
    if now.note is None or not _norm(now.note).startswith(HEADER):
        return now
    _, sep, rest = _norm(now.note).partition(f"\n\n{SEPARATOR}\n")
    return Annotation(rest if sep else None, "", "" if now.fill in MARK_FILLS else now.fill)


def _cells(cell_range: str) -> list[str]:
    """The cells of an A1 range, row by row (the first is where the note goes)."""
    first, _, last = cell_range.partition(":")
    if not valid_cell(first) or (last and not valid_cell(last)):
        return []
    if not last or last == first:
        return [first.replace("$", "")]
    (c0, r0), (c1, r1) = _split(first), _split(last)
    c0, c1 = sorted((c0, c1))
    r0, r1 = sorted((r0, r1))
    if (c1 - c0 + 1) * (r1 - r0 + 1) > MAX_RANGE_CELLS:
        return [first.replace("$", "")]
    return [f"{_letters(c)}{r}" for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]


def _split(ref: str) -> tuple[int, int]:
    ref = ref.replace("$", "")
    letters = ref.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col, int(ref[len(letters):])


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def remark(backend: Backend, record: Record, marks: Mapping[str, Sequence[Mark]]) -> int:
    """Clear the recorded marks, then put ``marks`` (``{sheet: [Mark]}``); returns cells marked.

    One read and one write of notes and fills per sheet involved.  Where several marks fall on
    one cell their notes are joined and the first mark's fill wins (pass the most severe
    first).  ``record.marks`` is replaced; saving the record is the caller's (one write).
    """
    sheets = set(backend.sheet_names())
    previous: dict[str, list[MarkEntry]] = {}
    for entry in record.marks:
        if entry.sheet in sheets:  # a sheet renamed or deleted since: nothing to restore
            previous.setdefault(entry.sheet, []).append(entry)
    wanted: dict[str, dict[str, tuple[list[str], str | None]]] = {}
    budget = MAX_ENTRIES
    for sheet, sheet_marks in marks.items():
        if sheet not in sheets:
            continue
        cells = wanted.setdefault(sheet, {})
        for mark in sheet_marks:
            for i, cell in enumerate(_cells(mark.range)):
                if cell not in cells:
                    if budget == 0:
                        break
                    budget -= 1
                    cells[cell] = ([], None)
                notes, fill = cells[cell]
                if i == 0 and mark.note:
                    notes.append(mark.note)
                cells[cell] = (notes, fill or mark.fill)

    entries: list[MarkEntry] = []
    for sheet in sorted(set(previous) | set(wanted)):
        old, new = previous.get(sheet, []), wanted.get(sheet, {})
        touched = list(dict.fromkeys([e.cell for e in old] + list(new)))
        current = backend.read_annotations(sheet, touched)
        state = dict(current)
        for entry in reversed(old):  # the last written first, should a cell appear twice
            state[entry.cell] = _unmark(state[entry.cell], entry)
        for cell, (notes, fill) in new.items():
            before = _without_orphan(state[cell])
            own = own_text(notes) if notes else None
            if own is not None and not (fits(before.note) and fits(before.author)):
                own = None  # a note too long to keep in the record is left as it is
            state[cell] = Annotation(
                compose(own, before.note) if own is not None else before.note,
                MARK_AUTHOR if own is not None else before.author,
                fill if fill is not None else before.fill)
            entries.append(MarkEntry(sheet, cell, own, fill, before))
        changed = {cell: a for cell, a in state.items() if a != current[cell]}
        if changed:
            backend.write_annotations(sheet, changed)
    record.marks = entries
    return len(entries)


_LEGACY_FINDING = re.compile(r"^\[[A-Z]+-\d{2}\] ")


def _legacy_unmark(now: Annotation) -> Annotation:
    """A cell as it was before a mark of minga ≤ 0.1 (no record; its note appended to any
    note of author «minga», the template's included: «[RULE] message» / «→ fix» lines)."""
    if now.note is None or now.author != MARK_AUTHOR or _norm(now.note).startswith(HEADER):
        return now
    lines = _norm(now.note).split("\n")
    found = False
    while len(lines) >= 2 and lines[-1].startswith("→ ") and _LEGACY_FINDING.match(lines[-2]):
        del lines[-2:]
        found = True
    if not found:
        return now
    note = "\n".join(lines).rstrip() or None
    return Annotation(note, now.author if note else "",
                      "" if now.fill in MARK_FILLS else now.fill)


def clear_legacy_marks(backend: Backend, cells: Mapping[str, Sequence[str]]) -> None:
    """Undo the marks of a minga that kept no record, on the cells its Validación listed.

    Only a note of author «minga» ending in findings counts as such a mark; the template's
    text before them stays, and so does any fill on a cell without such a note.
    """
    sheets = set(backend.sheet_names())
    for sheet, refs in cells.items():
        if sheet not in sheets:
            continue
        wanted = list(dict.fromkeys(c for r in refs for c in _cells(r)[:1]))
        current = backend.read_annotations(sheet, wanted)
        changed = {c: a for c, a in ((c, _legacy_unmark(now)) for c, now in current.items())
                   if a != current[c]}
        if changed:
            backend.write_annotations(sheet, changed)
