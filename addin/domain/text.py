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
    """``normalise`` of every value of a column: each distinct value once, the ASCII ones
    (nearly all) through C-level maps, no per-value Python call."""
    if not set(map(type, values)) <= _TEXT_OR_NONE:  # 1, 1.0 and True would share an entry
        return [normalise(value) for value in values]
    texts = set(values)
    texts.discard(None)
    plain = list(filter(str.isascii, texts))
    folded = list(map(str.casefold, plain))
    if _spaced(folded):  # rare: splitting every value is most of the cost
        folded = list(map(" ".join, map(str.split, folded)))
    table: dict[Any, str] = dict(zip(plain, folded, strict=True))
    if len(plain) < len(texts):
        table.update((text, _plain(text)) for text in texts.difference(plain))
    table[None] = ""
    return list(map(table.__getitem__, values))


_TEXT_OR_NONE = frozenset({str, type(None)})


def _spaced(texts: list[str]) -> bool:
    """Does any of these ASCII texts hold whitespace other than single spaces between words?
    (Tabs, newlines and the other ASCII whitespace are the non-printable characters.)"""
    if not "".join(texts).isprintable():
        return True
    joined = "\x00" + "\x00".join(texts) + "\x00"
    return "  " in joined or "\x00 " in joined or " \x00" in joined


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
