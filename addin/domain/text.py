"""Text compared as a person would read it."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any


def normalise(text: Any) -> str:
    """No accents, case, or extra spaces: «  Fecha de Término » → «fecha de termino»."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    if text.isascii():  # cheaper than a cache lookup; caching them would evict the others
        return " ".join(text.casefold().split())
    return _normalise(text)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


#: Scattered calls repeat the same few accented strings; whole columns go through
#: ``normalise_all``, which remembers each column's values however many there are.
_normalise = lru_cache(maxsize=1 << 16)(_plain)


def normalise_all(values: list[Any]) -> list[str]:
    """``normalise`` of every value of a column, with no per-value Python call: a column of
    plain ASCII texts (codes, most names) is folded as one string; otherwise each distinct
    value is normalised once."""
    kinds = set(map(type, values))
    if not kinds <= _TEXT_OR_NONE:  # 1, 1.0 and True would share an entry
        return [normalise(value) for value in values]
    texts = ["" if value is None else value for value in values] if _NONE in kinds \
        else values
    joined = "\n".join(texts)
    if joined.isascii() and not _spaced(joined):
        folded = joined.casefold().split("\n")
        if len(folded) == len(texts):  # else a value held a line break
            return folded
    distinct = set(texts)
    plain = list(filter(str.isascii, distinct))
    table: dict[str, str] = dict(zip(plain, map(" ".join, map(str.split, map(
        str.casefold, plain))), strict=True))
    if len(plain) < len(distinct):
        table.update((text, _plain(text)) for text in distinct.difference(plain))
    return list(map(table.__getitem__, texts))


_NONE = type(None)
_TEXT_OR_NONE = frozenset({str, _NONE})
#: The ASCII whitespace ``str.split`` splits on, but for the space and the line break.
_OTHER_SPACE = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f"


def _spaced(joined: str) -> bool:
    """Do the ASCII texts joined by line breaks hold whitespace that ``normalise`` would
    change: other than single spaces between words?"""
    return ("  " in joined or "\n " in joined or " \n" in joined or joined[:1] == " "
            or joined[-1:] == " " or any(space in joined for space in _OTHER_SPACE))


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
