"""Shared fixtures: workbooks built once per session, and LibreOffice's recalculated copies."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from addin.actions.build import build_file
from addin.domain.programme import load_programme
from tests import libreoffice

START = date(2026, 3, 2)
CUTOFF = date(2026, 11, 24)
VARIANTS = ("ecomercado-10m", "ecomercado-15m")


@pytest.fixture(scope="session", autouse=True)
def _programme_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Validated programme definitions are kept in a folder of this run, not the user's cache
    (every minga process the tests start inherits it)."""
    before = os.environ.get("MINGA_CACHE")
    os.environ["MINGA_CACHE"] = str(tmp_path_factory.mktemp("minga-cache"))
    yield
    if before is None:
        os.environ.pop("MINGA_CACHE", None)
    else:
        os.environ["MINGA_CACHE"] = before


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both variants built and populated from START, with the cut-off CUTOFF."""
    folder = tmp_path_factory.mktemp("built")
    return {v: build_file(load_programme(v), folder / f"{v}.xlsx", start=START, cutoff=CUTOFF)
            for v in VARIANTS}


@pytest.fixture(scope="session")
def recalculated(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
                 ) -> dict[str, Path]:
    """The built workbooks as LibreOffice saves them: formulas with computed values."""
    folder = tmp_path_factory.mktemp("recalc")
    out = {}
    for variant, path in built.items():
        out[variant] = libreoffice.convert(path, "xlsx:Calc MS Excel 2007 XML",
                                           folder / variant)
    return out
