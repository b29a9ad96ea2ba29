"""Parsing a column at once gives, cell for cell, what parsing each cell alone gives (issue 13).

The reader parses each distinct value of a column once and takes short paths for values
python-calamine already returns typed; the general parser (``CellParser.__call__``) is the
reference: same value, same type, same reason for every cell it rejects, whatever the mix.
"""

from __future__ import annotations

from datetime import date, datetime, time

from hypothesis import given, settings
from hypothesis import strategies as st

from addin.domain.programme import load_programme
from addin.domain.values import ErrorValue, Unreadable
from addin.layouts.model import Column, ColumnType
from addin.reading import CellParser

DEFINITION = load_programme("ecomercado-15m")
COLUMNS = [Column(f"c{kind.value}", kind.value, kind.value, kind) for kind in ColumnType
           if kind is not ColumnType.CHOICE] + [
    Column("lista", "Lista", "List", ColumnType.CHOICE, choices=("Sí", "Nuevo", "Refrigeración")),
    Column("sesion", "Tipo", "Type", ColumnType.CHOICE, choices_from="session_types")]
TYPED = ["Sí", "si", "NO", "x", "#REF!", "#N/A", "  ", "", "$1.250.000", "1.250,5", "50%",
         "150%", "15-03-2026", "31-02-2026", "2026-03-15", "nuevo", " refrigeracion ", "B-001",
         "12.345.678-k", "abc!", "#hashtag"]
VALUES = st.one_of(
    st.none(), st.sampled_from(TYPED), st.text(max_size=6),
    st.integers(-(10**16), 10**16), st.sampled_from([0, 1, 2, -1, 10**15, 10**15 + 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 0.5, 1.0, 2.5, 1e15, 1e16, float("nan")]), st.booleans(),
    st.dates(min_value=date(1, 1, 1)), st.datetimes(min_value=datetime(1, 1, 1)),
    st.just(time(10, 30)), st.sampled_from([ErrorValue("#SPILL!"), Unreadable("?"),
                                            ErrorValue("#REF!")]))


def reference(parser: CellParser, value: object) -> tuple[str, str]:
    try:
        result = parser(value)
    except ValueError as exc:
        return "error", f"{type(exc).__name__}: {exc}"
    return "ok", f"{type(result).__name__}: {result!r}"


def outcome(parsed: list, failed: list, i: int) -> tuple[str, str]:
    reasons = {index: exc for index, exc in failed}
    if i in reasons:
        assert parsed[i] is None
        return "error", f"{type(reasons[i]).__name__}: {reasons[i]}"
    return "ok", f"{type(parsed[i]).__name__}: {parsed[i]!r}"


@settings(max_examples=150, deadline=None)
@given(st.lists(VALUES, max_size=40), st.integers(0, 3))
def test_a_column_parsed_at_once_equals_each_cell_parsed_alone(values: list, repeat: int
                                                               ) -> None:
    values = values * (repeat + 1)  # repeated values take the table's shared entries
    for column in COLUMNS:
        parser = CellParser(column, DEFINITION)
        parsed, failed = parser.parse_column(values)
        assert len(parsed) == len(values)
        assert [i for i, _ in failed] == sorted(i for i, _ in failed)
        for i, value in enumerate(values):
            assert outcome(parsed, failed, i) == reference(parser, value), (column.type, value)


def test_zero_and_minus_zero_keep_their_sign_in_one_column() -> None:
    """0.0 == -0.0 share a hash: such a column is parsed cell by cell, not through a table."""
    parser = CellParser(Column("m", "Monto", "Amount", ColumnType.MONEY), DEFINITION)
    parsed, failed = parser.parse_column([0.0, -0.0, 0.0])
    assert failed == [] and [repr(v) for v in parsed] == ["0.0", "-0.0", "0.0"]


def test_one_and_true_are_told_apart_in_a_yes_no_column() -> None:
    parser = CellParser(Column("b", "Acta", "Minutes", ColumnType.BOOL), DEFINITION)
    parsed, failed = parser.parse_column([1, True, 1.0, "Sí", None])
    assert failed == [] and parsed == [True, True, True, True, None]
    assert [type(v) for v in parsed[:4]] == [bool] * 4


#: Columns of one type (and blanks): what python-calamine returns for a large sheet, where the
#: reader judges the column as a whole (already parsed, or only a change of type).
ONE_KIND = st.sampled_from([
    st.sampled_from(["B-001", "b-001", "Sí", "Nuevo", "nuevo", "Refrigeración", " x", "y ",
                     "#REF!", "#hashtag", "abc!", "", "  ", "12.345.678-k", "15-03-2026"]),
    st.text(max_size=6), st.integers(-(10**16), 10**16), st.sampled_from([0, 1, 2, -3]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1.0, 2.0, 2.5, -4.0]),
    st.dates(min_value=date(1, 1, 1)), st.dates(min_value=date(1990, 1, 1),
                                                max_value=date(2100, 1, 1)),
    st.booleans()])


@settings(max_examples=150, deadline=None)
@given(ONE_KIND.flatmap(lambda kind: st.lists(st.one_of(kind, st.none()), max_size=40)),
       st.integers(0, 2))
def test_a_column_of_one_type_parsed_at_once_equals_each_cell_parsed_alone(values: list,
                                                                           repeat: int) -> None:
    values = values * (repeat + 1)
    for column in COLUMNS:
        parser = CellParser(column, DEFINITION)
        parsed, failed, blank = parser.parse_cells(values)
        assert blank == (None in parsed)  # what says whether a row may be empty
        for i, value in enumerate(values):
            assert outcome(parsed, failed, i) == reference(parser, value), (column.type, value)
