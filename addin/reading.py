"""Reading a programme workbook through its sheet layouts into typed records.

Sheets and columns are found by name (Spanish or English, ignoring case, accents and extra
spaces), wherever users moved them; blank rows are skipped; every cell is parsed once.  What
cannot be read becomes a finding at its cell — never an exception.
"""

from __future__ import annotations

import contextlib
import gc
import math
import operator
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from addin.backends.base import Reader
from addin.domain.findings import Finding, Severity
from addin.domain.programme import (
    ProgrammeDefinition,
    builtin_ids,
    builtin_programme,
    load_programme,
    parse_embedded,
)
from addin.domain.records import FormData, SheetData, WorkbookData, a1
from addin.domain.text import normalise
from addin.domain.times import parse_time
from addin.domain.values import (
    MAX_NUMBER,
    PLAUSIBLE_DATES,
    Choices,
    ErrorValue,
    FormulaError,
    Unreadable,
    check_error,
    check_fault,
    clean_rut,
    is_blank,
    parse_bool,
    parse_date_value,
    parse_integer,
    parse_number,
    parse_percent,
    parse_text,
    plausible,
)
from addin.errors import MingaError
from addin.layouts import identity
from addin.layouts.ecomercado import GANTT, PROGRAMA, VALIDACION
from addin.layouts.model import (
    Column,
    ColumnType,
    HeaderMatch,
    SheetLayout,
    find_sheet,
    locate_form,
    locate_header,
    resolve_choices,
)
from addin.layouts.sets import form_for, layouts_for

SOURCE = "minga: lectura del libro"
PARSERS = {
    ColumnType.DATE: parse_date_value,
    ColumnType.INTEGER: parse_integer,
    ColumnType.DECIMAL: parse_number,
    ColumnType.MONEY: parse_number,
    ColumnType.PERCENT: parse_percent,
    ColumnType.BOOL: parse_bool,
    ColumnType.RUT: clean_rut,
    ColumnType.TEXT: parse_text,
    ColumnType.TIME: parse_time,
}


def _finding(rule: str, sheet: str, cell: str | None, message: str, fix: str,
             row_key: str | None = None) -> Finding:
    return Finding(rule, Severity.ERROR, sheet, cell, row_key, message, fix, SOURCE)


class _Failed:
    """A value a column's parser rejected: the reason, remembered like a parsed value."""

    __slots__ = ("error",)

    def __init__(self, error: ValueError) -> None:
        self.error = error


def _plain_text(value: str) -> str | None:
    """A text cell of a text column: what ``CellParser`` and ``parse_text`` make of it."""
    if not value:
        return None
    if value[0] == "#" or value[-1] == "!":
        check_error(value)
    return value.strip() or None


def _typed_paths(kind: ColumnType) -> dict[type, Any]:
    """For the types python-calamine already returns typed, what parsing them amounts to,
    done without the general parser (which gives the same result, slowly): a date in a date
    column is only checked to be plausible, an integer in a money column only made a float."""
    low, high = PLAUSIBLE_DATES

    def day(value: date) -> date:
        return value if low <= value <= high else plausible(value)

    def whole(value: int) -> int:
        return value if -MAX_NUMBER <= value <= MAX_NUMBER else parse_integer(value)

    def whole_float(value: float) -> int:
        if -MAX_NUMBER <= value <= MAX_NUMBER and value.is_integer():
            return int(value)
        return parse_integer(value)

    def amount(value: int) -> float:
        return float(value) if -MAX_NUMBER <= value <= MAX_NUMBER else parse_number(value)

    def amount_float(value: float) -> float:
        return value if -MAX_NUMBER <= value <= MAX_NUMBER else parse_number(value)

    if kind is ColumnType.DATE:
        return {date: day, datetime: lambda value: day(value.date())}
    if kind is ColumnType.INTEGER:
        return {int: whole, float: whole_float}
    if kind in (ColumnType.MONEY, ColumnType.DECIMAL):
        return {int: amount, float: amount_float}
    if kind is ColumnType.BOOL:
        return {bool: lambda value: value}
    if kind is ColumnType.TEXT:
        return {int: str, str: _plain_text}
    return {}


def _plain_texts(texts: list[str]) -> bool:
    """Does every one of these (distinct, non-blank) texts parse to itself in a text column?
    Not blank, no space around (``str.strip`` gives the very object back when there is none
    to strip), nothing that may be a formula error (#…, …!)."""
    if not all(map(operator.is_, map(str.strip, texts), texts)):
        return False
    joined = "\x00" + "\x00".join(texts) + "\x00"
    return "\x00#" not in joined and "!\x00" not in joined


def _within(values: set[Any], low: Any, high: Any) -> bool:
    return not values or (low <= min(values) and max(values) <= high)


def _unchanged(kind: ColumnType, kinds: set[type], distinct: set[Any]) -> bool:
    """Does each of a column's values parse to itself (same type, same value), known from the
    column as a whole?  Then the column needs no per-value parse: the common case of a large
    sheet whose cells python-calamine already returned typed (codes, dates, amounts)."""
    kinds = kinds - {type(None)}
    if len(kinds) != 1:
        return not kinds
    (found,) = kinds
    values = distinct - {None}
    if kind is ColumnType.TEXT and found is str:
        return "" not in values and _plain_texts(list(values))
    if kind is ColumnType.DATE and found is date:
        return _within(values, *PLAUSIBLE_DATES)
    if kind in (ColumnType.MONEY, ColumnType.DECIMAL) and found is float:
        return all(map(math.isfinite, values)) and _within(values, -MAX_NUMBER, MAX_NUMBER)
    if kind is ColumnType.INTEGER and found is int:
        return _within(values, -MAX_NUMBER, MAX_NUMBER)
    return kind is ColumnType.BOOL and found is bool


def _converted(kind: ColumnType, kinds: set[type], distinct: set[Any]) -> dict[Any, Any] | None:
    """The parse of each distinct value, made at C speed when the column as a whole shows
    that each only changes type: whole floats in an integer column (N°, counts), integers in
    an amount column.  None when the values must go one by one."""
    found = kinds - {_NONE}
    values = distinct - {None}
    if not values:
        return None
    if kind is ColumnType.INTEGER and found == {float}:
        if not (all(map(math.isfinite, values)) and all(map(float.is_integer, values))
                and _within(values, -MAX_NUMBER, MAX_NUMBER)):
            return None
        table: dict[Any, Any] = dict(zip(values, map(int, values), strict=True))
    elif kind in (ColumnType.MONEY, ColumnType.DECIMAL) and found == {int}:
        if not _within(values, -MAX_NUMBER, MAX_NUMBER):
            return None
        table = dict(zip(values, map(float, values), strict=True))
    else:
        return None
    if None in distinct:
        table[None] = None
    return table


class CellParser:
    """Parses the cells of one column; remembers nothing but the allowed values."""

    def __init__(self, column: Column, definition: ProgrammeDefinition) -> None:
        self.column = column
        allowed = resolve_choices(column, definition) if column.has_list else ()
        self.allowed = allowed
        if column.type is ColumnType.CHOICE and allowed:
            self.parse: Any = Choices(allowed)
        else:
            self.parse = PARSERS.get(column.type, parse_text)
        self.typed = _typed_paths(column.type) if self.parse is PARSERS.get(column.type) else {}

    def __call__(self, value: Any) -> Any:
        # The fast paths matter: a large workbook has hundreds of thousands of cells.
        if value is None or value == "":
            return None
        kind = type(value)
        if kind is str:
            if value[0] == "#" or value[-1] == "!":
                check_error(value)
            if not value.strip():
                return None
        elif kind is ErrorValue or kind is Unreadable:
            check_fault(value)
        return self.parse(value)

    def _outcome(self, value: Any) -> Any:
        try:
            return self(value)
        except ValueError as exc:
            return _Failed(exc)

    def _one(self, value: Any) -> Any:
        """A cell's parsed value, or ``_Failed``; the typed short path when there is one."""
        if value is None:
            return None
        fast = self.typed.get(type(value))
        if fast is None:
            return self._outcome(value)
        try:
            return fast(value)
        except ValueError as exc:
            return _Failed(exc)

    def parse_column(self, values: list[Any]) -> tuple[list[Any], list[tuple[int, ValueError]]]:
        """Every cell of a column at once: the parsed values, and (index, why) of the cells
        that could not be parsed.

        Each distinct value is parsed once (a column repeats the same few: «Sí», a category, a
        status, a date) and the column is then mapped through that table at C speed.  Values
        of different types that compare equal (1, 1.0 and True; a text and an error of the same
        text; 0.0 and -0.0) would share one entry, so such a column is parsed cell by cell."""
        parsed, failed, _ = self.parse_cells(values)
        return parsed, failed

    def parse_cells(self, values: list[Any]
                    ) -> tuple[list[Any], list[tuple[int, ValueError]], bool]:
        """``parse_column``, and whether any parsed value is None (blank or unreadable): known
        from the column's types and distinct values, without another pass over the cells."""
        kinds = set(map(type, values))
        numbers = kinds & _NUMBERS
        if len(numbers) > 1 or (kinds & _TEXTS and len(kinds & _TEXTS) > 1):
            return self._cell_by_cell(values)
        distinct = set(values)
        if float in numbers and 0.0 in distinct:
            return self._cell_by_cell(values)
        if self.typed and _unchanged(self.column.type, kinds, distinct):
            return list(values), [], _NONE in kinds
        table = _converted(self.column.type, kinds, distinct) if self.typed else None
        if table is None:
            one = self._one
            table = {value: one(value) for value in distinct}
        if len(table) <= _FEW and all(type(result) is type(value) and result == value
                                      for value, result in table.items()):
            return list(values), [], _NONE in kinds  # a choice column written as listed
        parsed = list(map(table.__getitem__, values))
        wrong = {value for value, result in table.items() if type(result) is _Failed}
        failed: list[tuple[int, ValueError]] = []
        if wrong:
            for i, value in enumerate(values):
                if value in wrong:
                    failed.append((i, table[value].error))
                    parsed[i] = None
        return parsed, failed, bool(wrong) or None in table.values()

    def _cell_by_cell(self, values: list[Any]
                      ) -> tuple[list[Any], list[tuple[int, ValueError]], bool]:
        parsed: list[Any] = []
        failed: list[tuple[int, ValueError]] = []
        one = self._one
        for i, value in enumerate(values):
            result = one(value)
            if type(result) is _Failed:
                failed.append((i, result.error))
                result = None
            parsed.append(result)
        return parsed, failed, None in parsed


#: Types whose values compare equal across types (1 == 1.0 == True), and the text types (an
#: ``ErrorValue`` equals the text of its error).
_NUMBERS = frozenset({int, float, bool})
_NONE = type(None)
#: A column of at most this many distinct values is checked value by value for being unchanged.
_FEW = 64
_TEXTS = frozenset({str, ErrorValue, Unreadable})


def _parse_problem(exc: ValueError, sheet: str, cell: str, column: Column,
                   row_key: str | None) -> Finding:
    if isinstance(exc, FormulaError):
        return _finding("LECTURA-04", sheet, cell, f"«{column.es}»: {exc}.",
                        "Corrija la fórmula o reemplácela por el valor.", row_key)
    fix = {
        ColumnType.DATE: "Escriba una fecha real, día-mes-año (ej. 15-03-2026).",
        ColumnType.INTEGER: "Escriba un número entero, sin decimales.",
        ColumnType.MONEY: "Escriba un monto en pesos, ej. 1250000 o $1.250.000.",
        ColumnType.DECIMAL: "Escriba un número.",
        ColumnType.PERCENT: "Escriba un porcentaje entre 0% y 100%, ej. 50%.",
        ColumnType.BOOL: "Escriba Sí o No.",
        ColumnType.CHOICE: "Elija un valor de la lista desplegable.",
        ColumnType.TIME: "Escriba una hora del día, ej. 8:30, 16:30 o 4:30 pm.",
    }.get(column.type, "Corrija el valor.")
    return _finding("LECTURA-03", sheet, cell, f"«{column.es}»: {exc}.", fix, row_key)


def read_form(reader: Reader, names: list[str], definition: ProgrammeDefinition | None,
              layout: SheetLayout = PROGRAMA, read: tuple[str, list[Any]] | None = None
              ) -> tuple[FormData, list[Finding]]:
    """The Programa sheet: each label found anywhere, its value in the cell to its right.

    ``layout`` is the programme's own form; every form shares the «Programa» field, so the
    Ecomercado one serves to find out which programme a workbook follows.  ``read``: a
    sheet's name and values the caller has read already (a sheet is read once).
    """
    name = find_sheet(names, layout)
    if name is None:
        return FormData(PROGRAMA.es, False), [_finding(
            "LECTURA-01", PROGRAMA.es, None, "Falta la hoja «Programa».",
            "Copie la hoja Programa de una plantilla de minga y complete sus datos.")]
    rows = read[1] if read is not None and read[0] == name else reader.read_values(name)
    form = FormData(name, True)
    findings: list[Finding] = []
    for key, (r, c) in locate_form(rows, layout).items():
        column = layout.column(key)
        cell = a1(c, r)
        form.cells[key] = cell
        raw = rows[r - 1][c] if c < len(rows[r - 1]) else None
        if definition is None:  # only to find out which programme this is
            form.values[key] = None if is_blank(raw) else raw
            continue
        try:
            form.values[key] = CellParser(column, definition)(raw)
        except ValueError as exc:
            findings.append(_parse_problem(exc, name, cell, column, column.es))
            form.values[key] = None
            continue
        if column.required and form.values[key] is None:
            findings.append(_blank_required(name, cell, column, column.es))
    if definition:
        findings += [_finding("LECTURA-06", name, None,
                              f"Falta el campo «{column.es}» en la hoja Programa.",
                              f"Agregue la etiqueta «{column.es}» en la columna A y su valor a "
                              "la derecha.", column.es)
                     for column in layout.columns
                     if column.required and column.key not in form.cells]
    return form, findings


def embedded_programme(reader: Reader, names: list[str]) -> ProgrammeDefinition | None:
    """The definition a workbook carries in its hidden «minga-programa» sheet, if any."""
    if identity.SHEET not in names:
        return None
    found = identity.read_identity(reader.read_values(identity.SHEET))
    if found is None:
        raise MingaError("La hoja oculta «minga-programa» del libro está incompleta.",
                         sheet=identity.SHEET,
                         fix="Indique el archivo del programa con --programa ARCHIVO.yaml.")
    programme_id, text, digest = found
    definition = parse_embedded(text, digest, "el libro")
    if definition.id != programme_id:
        raise MingaError("La hoja oculta «minga-programa» no corresponde a su definición.",
                         sheet=identity.SHEET,
                         fix="Indique el archivo del programa con --programa ARCHIVO.yaml.")
    return definition


def programme_named(value: Any, reader: Reader, names: list[str], *, sheet: str | None = None,
                    cell: str | None = None) -> ProgrammeDefinition | None:
    """The programme a workbook names in Programa › Programa: the definition it carries, or a
    built-in one, by id only — a workbook never makes minga open a file.  None when blank."""
    embedded = embedded_programme(reader, names)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return embedded
    if embedded is not None and embedded.id == text:
        return embedded
    builtin = builtin_programme(text)
    if builtin is not None:
        return builtin
    shown_id = text if len(text) <= 60 else text[:57] + "…"
    raise MingaError(f"Programa desconocido: «{shown_id}».", sheet=sheet, cell=cell,
                     fix=f"Escriba uno de los programas incluidos ({', '.join(builtin_ids())}) "
                         "en el campo Programa, o indique el archivo de su programa con "
                         "--programa ARCHIVO.yaml.")


def identify_programme(form: FormData, reader: Reader, names: list[str]
                       ) -> ProgrammeDefinition:
    """The programme a workbook says it follows (Programa › Programa, the definition stored in
    the workbook, or the convenio type)."""
    found = programme_named(form.get("programa"), reader, names, sheet=form.name,
                            cell=form.cell("programa"))
    if found is not None:
        return found
    kind = normalise(form.get("tipo_convenio"))
    for prefix, programme_id in (("10", "ecomercado-10m"), ("15", "ecomercado-15m")):
        if kind.startswith(prefix):
            return builtin_programme(programme_id) or load_programme(programme_id)
    raise MingaError("El libro no indica su programa ni el tipo de convenio.",
                     sheet=form.name, cell=form.cell("programa"),
                     fix="Escriba «ecomercado-10m» o «ecomercado-15m» en el campo Programa, "
                         "o use --programa.")


def programme_and_form(reader: Reader, names: list[str],
                       definition: ProgrammeDefinition | None) -> tuple[ProgrammeDefinition,
                                                                          FormData]:
    """The programme a workbook follows (``definition`` when given) and its Programa sheet
    read with that programme's form: what every action on a whole workbook starts from."""
    form, _ = read_form(reader, names, None)
    if not form.present:
        raise MingaError("El libro no tiene la hoja «Programa».", sheet=PROGRAMA.es,
                         fix="Use un libro creado con `minga nuevo`.")
    definition = definition or identify_programme(form, reader, names)
    form, _ = read_form(reader, names, definition)
    return definition, form


def require_columns(rows: list[list[Any]], layout: SheetLayout, sheet: str,
                    keys: Iterable[str]) -> HeaderMatch:
    """The header of ``sheet`` with every column an action reads or writes, or a Spanish
    error naming the missing ones (an action cannot skip a column the way validation can)."""
    keys = list(keys)
    match = locate_header(rows, layout.columns)
    missing = [k for k in keys if match is None or k not in match.columns]
    if match is None or missing:
        names = ", ".join(f"«{layout.column(k).es}»" for k in missing or keys)
        raise MingaError(f"No se encontraron las columnas {names}.", sheet=sheet,
                         fix="Restaure los encabezados de la hoja (fila de títulos).")
    return match


def _blank_required(sheet: str, cell: str, column: Column, row_key: str | None) -> Finding:
    return _finding("LECTURA-05", sheet, cell, f"Falta «{column.es}», que es obligatorio.",
                    f"Complete «{column.es}».", row_key)


class _Again(Exception):
    """The blocks of a sheet read in parts do not stand for it: read it whole."""


#: Rows a header may lie in (``locate_header``'s ``search_rows``).
HEADER_ROWS = 30


def _blocks(reader: Reader, name: str) -> Iterator[list[list[Any]]]:
    """The sheet's rows in blocks: part by part as they are read, when the backend reads the
    sheet in parts (the caller's work on each block then overlaps the reading of the next),
    else all at once.  Raises ``_Again`` when the parts turn out not to stand for the sheet."""
    read_blocks = getattr(reader, "read_blocks", None)
    blocks = read_blocks(name) if read_blocks is not None else None
    if blocks is None:
        yield reader.read_values(name)
        return
    for block in blocks:
        if block is None:
            raise _Again
        yield block


def read_table(reader: Reader, names: list[str], layout: SheetLayout,
               definition: ProgrammeDefinition, check_required: bool = True
               ) -> tuple[SheetData, list[Finding]]:
    name = find_sheet(names, layout)
    if name is None:
        return SheetData(layout.key, layout.es, False), [_finding(
            "LECTURA-01", layout.es, None, f"Falta la hoja «{layout.es}».",
            f"Agregue la hoja «{layout.es}» (cópiela de una plantilla de minga).")]
    try:
        return _read_table(_blocks(reader, name), name, layout, definition, check_required)
    except _Again:
        return _read_table(iter([reader.read_values(name)]), name, layout, definition,
                           check_required)


def _read_table(blocks: Iterator[list[list[Any]]], name: str, layout: SheetLayout,
                definition: ProgrammeDefinition, check_required: bool
                ) -> tuple[SheetData, list[Finding]]:
    """A sheet's records and findings from its rows, block by block: the header in the
    first rows, then each block's cells parsed column by column as the block comes."""
    rows: list[list[Any]] = []
    block: list[list[Any]] | None = None
    for block in blocks:
        rows.extend(block)
        if len(rows) >= HEADER_ROWS:
            break
    del block
    match = locate_header(rows, layout.columns, search_rows=HEADER_ROWS)
    if match is None:
        for _ in blocks:  # the sheet read to its end: its error, if any, is raised
            pass
        return SheetData(layout.key, name, True), [_finding(
            "LECTURA-02", name, "A1", f"No se encontró la fila de encabezados de «{name}».",
            "Restaure la fila de títulos de columna (ej. "
            + ", ".join(f"«{c.es}»" for c in layout.columns if c.required)[:200] + ").")]
    header_row = match.row + 1
    data = SheetData(layout.key, name, True, header_row, dict(match.columns))
    findings = [_finding("LECTURA-02", name, a1(0, header_row),
                         f"Falta la columna obligatoria «{layout.column(k).es}».",
                         f"Agregue la columna «{layout.column(k).es}» en la fila de "
                         f"encabezados (fila {header_row}).")
                for k in match.missing]
    parsers = [(key, col, CellParser(layout.column(key), definition))
               for key, col in match.columns.items()]
    key_column = layout.columns[0].key
    first = match.row + 1  # 0-based index of the first row below the header
    columns: dict[str, list[Any]] = {key: [] for key, _, _ in parsers}
    blank_in = dict.fromkeys(columns, False)
    problems: dict[int, list[tuple[ValueError, int, Column]]] = {}
    live: list[int] | None = None  # None: every row below the header holds cells
    count = 0
    below = rows[first:]
    del rows
    while True:
        # Rows without cells (a sheet whose one stray value sits at row 1,048,576 is a
        # million of them) are left out first: what reading costs follows the rows that hold
        # something.
        if not all(below):
            if live is None:
                live = list(range(count))
            live += [count + i for i, row in enumerate(below) if row]
            offset = count
            count += len(below)
            below = [row for row in below if row]
        else:
            offset = count
            if live is not None:
                live += range(count, count + len(below))
            count += len(below)
        _parse_block(below, parsers, columns, blank_in, problems,
                     len(live) - len(below) if live is not None else offset)
        del below
        below = next(blocks, None)
        if below is None:
            break
    # Blank required cells, from the parsed columns.
    blanks: dict[int, list[tuple[str, int]]] = {}
    for key, col, parser in parsers:
        if check_required and parser.column.required and blank_in[key]:
            for i in [i for i, value in enumerate(columns[key]) if value is None]:
                blanks.setdefault(i, []).append((key, col))
    whole = any(not blank for blank in blank_in.values())
    width = len(columns)
    # A row with nothing minga reads (blank, or text only in columns minga does not know) is
    # not a record.  A column with no blank (the key column, nearly always) keeps every row.
    if whole:
        kept = None
    else:
        kept = [i for i, values in enumerate(zip(*columns.values(), strict=True))
                if values.count(None) != width or i in problems]
        columns = {key: list(map(values.__getitem__, kept)) for key, values in columns.items()}
    start = first + 1
    if live is None:
        data.rows = list(range(start, start + count)) if kept is None else \
            [start + i for i in kept]
    else:
        data.rows = [start + i for i in live] if kept is None else \
            [start + live[i] for i in kept]
    data.values = columns
    flagged = set(problems) | set(blanks)
    if flagged:
        position = {i: i for i in flagged} if kept is None else \
            {i: n for n, i in enumerate(kept)}
        labels = columns.get(key_column)
        for i in sorted(flagged & position.keys()):
            n = position[i]
            row_number = data.rows[n]
            label = labels[n] if labels is not None else None
            row_key = f"fila {row_number}" if label is None else str(label)
            bad = set()
            for exc, col, column in problems.get(i, ()):
                findings.append(_parse_problem(exc, name, a1(col, row_number), column, row_key))
                bad.add(col)
            findings += [_blank_required(name, a1(col, row_number), layout.column(key), row_key)
                         for key, col in blanks.get(i, ()) if col not in bad]
    return data, findings


def _parse_block(below: list[list[Any]], parsers: list[tuple[str, int, CellParser]],
                 columns: dict[str, list[Any]], blank_in: dict[str, bool],
                 problems: dict[int, list[tuple[ValueError, int, Column]]],
                 offset: int) -> None:
    """The cells of a block of rows (none without cells) parsed column by column, each
    column's cells through its own parser at once, appended to ``columns``; ``offset``: the
    index of the block's first row among the rows parsed."""
    if len(set(map(len, below))) == 1 and set(map(type, below)) == {list}:
        grid: Any = list(zip(*below, strict=True))  # rectangular: transposed at C speed
    else:
        grid = None
    for key, col, parser in parsers:
        if grid is not None and col < len(grid):
            cells = grid[col]
        else:  # short rows (or sparse ones): the missing cells are blank
            cells = [row[col] if col < len(row) else None for row in below]
        parsed, failed, blank = parser.parse_cells(cells)
        del cells
        columns[key] += parsed
        blank_in[key] = blank_in[key] or blank
        for i, exc in failed:
            problems.setdefault(offset + i, []).append((exc, col, parser.column))


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: reading makes hundreds of thousands of rows, dicts and
    records, and the rules thousands of records and issues, none of them in a cycle; each
    collection would walk them all again (5 % of reading a large workbook, and a rule that
    makes a sheet's records took ten times as long)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # What was made meanwhile is moved to the oldest generation as it is (freeze,
            # then unfreeze: two list splices), rather than left in the youngest, where the
            # first collection after would walk all of it (17 ms after a large workbook).
            # Only when nothing is frozen: unfreeze would release what a host froze.
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def read_workbook(reader: Reader, definition: ProgrammeDefinition | None = None
                  ) -> WorkbookData:
    with no_cycle_collection():
        return _read_workbook(reader, definition)


def _read_workbook(reader: Reader, definition: ProgrammeDefinition | None
                   ) -> WorkbookData:
    names = reader.sheet_names()
    first = form_for(definition) if definition else PROGRAMA
    sheet = find_sheet(names, first)
    read = (sheet, reader.read_values(sheet)) if sheet is not None else None  # read once
    form, findings = read_form(reader, names, definition, first, read)
    if definition is None:
        if not form.present:
            raise MingaError("El libro no tiene la hoja «Programa», así que no se sabe qué "
                             "reglas aplicar.", fix="Use --programa ecomercado-10m o "
                                                    "ecomercado-15m, o agregue la hoja.")
        definition = identify_programme(form, reader, names)
        form, findings = read_form(reader, names, definition, form_for(definition), read)
    del read
    sheets: dict[str, SheetData] = {}
    # Plans check their own required fields (PLAN-01, from the definition); the Gantt its
    # dates (GANTT-02); their stage rows hold formulas.
    own_checks = {plan.sheet for plan in definition.plans} | {GANTT.key}
    for layout in layouts_for(definition):
        if layout.kind == "form" or layout is VALIDACION:
            continue
        data, problems = read_table(reader, names, layout, definition,
                                    check_required=layout.key not in own_checks)
        sheets[layout.key] = data
        findings += problems
    return WorkbookData(definition, form, sheets, findings)
