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


@lru_cache(maxsize=1 << 16)  # workbooks repeat the same few accented strings thousands of times
def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
