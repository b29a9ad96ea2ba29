"""Text compared as a person would read it."""

from __future__ import annotations

import unicodedata
from typing import Any


def normalise(text: Any) -> str:
    """No accents, case, or extra spaces: «  Fecha de Término » → «fecha de termino»."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("\n", " ").split())


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
