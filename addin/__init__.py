"""minga: Python behind the spreadsheets of social and solidarity-economy programmes.

The Excel buttons call ``RunPython "import addin; addin.validar()"``: the entry points of
``addin.excel`` are reachable from here, imported only when first used, so ``import addin``
stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

#: Excel buttons (``addin.excel``), loaded on first use.
_BUTTONS = ("nuevo", "carta_gantt", "seguimiento", "acta_traspaso", "validar", "sincronizar")


def __getattr__(name: str) -> Any:
    if name in _BUTTONS:
        from addin import excel

        return getattr(excel, name)
    raise AttributeError(f"module 'addin' has no attribute {name!r}")
