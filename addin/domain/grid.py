"""A sheet's values as rows, cheap however far its cells are spread.

Backends return a sheet as a list of rows from A1.  Most rows are plain lists, but a row whose
few values sit far to the right (one stray value in column XFD) is a ``SparseRow``, and a row
without values is the shared empty tuple, so that what a sheet costs follows its filled cells,
not its area.  Code that looks at every value of a row uses ``filled`` to skip the blanks, or
``present`` when the column does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

EMPTY_ROW: tuple[()] = ()


class SparseRow(Sequence[Any]):
    """A row as ``{0-based column: value}``; missing columns read as None."""

    __slots__ = ("cells", "width")

    def __init__(self, cells: dict[int, Any]) -> None:
        self.cells = cells
        self.width = max(cells) + 1 if cells else 0

    def __len__(self) -> int:
        return self.width

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.cells.get(i) for i in range(*index.indices(self.width))]
        if index < 0:
            index += self.width
        if not 0 <= index < self.width:
            raise IndexError(index)
        return self.cells.get(index)

    def __iter__(self) -> Iterator[Any]:
        return (self.cells.get(i) for i in range(self.width))

    def __repr__(self) -> str:
        return f"SparseRow({self.cells!r})"


def present(row: Sequence[Any]) -> Iterable[Any]:
    """The values of a row that may hold something: a plain row as it is (iterating it costs
    no more than its cells), only the stored cells of a ``SparseRow``."""
    return row.cells.values() if type(row) is SparseRow else row


def filled(row: Sequence[Any]) -> Iterator[tuple[int, Any]]:
    """(0-based column, value) of the cells of a row that hold something, left to right."""
    if isinstance(row, SparseRow):
        for col in sorted(row.cells):
            value = row.cells[col]
            if value is not None and value != "":
                yield col, value
        return
    for col, value in enumerate(row):
        if value is not None and value != "":
            yield col, value
