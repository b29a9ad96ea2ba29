"""Spanish wording for messages: numbers as a Chilean reader writes them, plurals that agree.

Every message a user reads goes through these, so «1 advertencia», «2 advertencias»,
«1.000.000.000» and «0,5» are written the same way everywhere.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal


def number(value: float | int | Decimal, decimals: int | None = None) -> str:
    """``1250000`` → «1.250.000»; ``0.5`` → «0,5»; ``1e9`` → «1.000.000.000» (never ``1e+09``).

    ``decimals`` fixes the number of decimals; by default as many as the value needs (at most 6).
    """
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, float) and value.is_integer() and decimals is None:
        value = int(value)
    if isinstance(value, int) and decimals is None:
        return f"{value:,}".replace(",", ".")
    places = 6 if decimals is None else decimals
    text = f"{value:,.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """«1 sesión», «2 sesiones», «0 errores»: the count with the noun that agrees with it.

    Without ``plural_form``, Spanish's regular plural: +s after a vowel, +es after a consonant.
    Nouns with an accent that moves (sesión → sesiones) or -z (vez → veces) are handled too;
    pass ``plural_form`` for the irregular ones (país → países).
    """
    if count == 1:
        return f"{number(count)} {singular}"
    return f"{number(count)} {plural_form or pluralise(singular)}"


_UNACCENT = str.maketrans("áéíóú", "aeiou")


def pluralise(word: str) -> str:
    """The regular Spanish plural of one word or of the first word of a phrase."""
    head, sep, tail = word.partition(" ")
    if not head:
        return word
    last = head[-1].lower()
    if last in "aeiouáéó":
        out = head + "s"
    elif last == "z":
        out = head[:-1] + "ces"
    elif last in "sx" and len(re.findall("[aeiou]+", head.lower())) > 1 and \
            not any(ch in "áéíóú" for ch in head):
        out = head  # «el lunes», «la crisis», «el tórax»: invariable
    else:
        stem = head
        if any(ch in "áéíóú" for ch in head[-3:]) and last in "ns":
            stem = head.translate(_UNACCENT)  # sesión → sesiones, interés → intereses
        out = stem + "es"
    return out + sep + tail
