"""Fields every programme's Programa form shares, whatever its workbook.

The Programa sheet of each kind of workbook has its own fields, but these few keep one
definition (label, type), so that identifying the programme, the cut-off date and the start
date read the same way in all of them.
"""

from __future__ import annotations

from dataclasses import replace

from addin.layouts.ecomercado import PROGRAMA
from addin.layouts.model import Column, SheetLayout

PROGRAMME_ID: Column = PROGRAMA.column("programa")
START: Column = PROGRAMA.column("inicio")
#: The start date where no carta Gantt depends on it.
OPTIONAL_START: Column = replace(START, required=False)
CUTOFF: Column = PROGRAMA.column("fecha_corte")
END: Column = PROGRAMA.column("termino")


def form(title_es: str, title_en: str, help_es: str, columns: tuple[Column, ...],
         tab_color: str = "1F4E79") -> SheetLayout:
    """A Programa sheet: the programme id first, then the programme's own fields."""
    return SheetLayout(key=PROGRAMA.key, es=PROGRAMA.es, en=PROGRAMA.en, kind="form",
                       title_es=title_es, title_en=title_en, help_es=help_es,
                       tab_color=tab_color, columns=(PROGRAMME_ID, *columns))
