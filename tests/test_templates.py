"""The templates committed in workbooks/ are exactly what the code generates."""

from __future__ import annotations

from pathlib import Path

import pytest

from addin.domain.programme import builtin_ids
from workbooks.build import build_templates, content, template_path

ROOT = Path(__file__).resolve().parent.parent


def test_every_builtin_programme_has_a_template() -> None:
    for pid in builtin_ids():
        assert template_path(pid, ROOT / "workbooks").is_file(), pid


@pytest.mark.parametrize("pid", builtin_ids())
def test_committed_template_matches_the_generator(pid: str, tmp_path: Path) -> None:
    build_templates(tmp_path)
    fresh = content(template_path(pid, tmp_path))
    committed = content(template_path(pid, ROOT / "workbooks"))
    changed = sorted(k for k in fresh.keys() | committed.keys()
                     if fresh.get(k) != committed.get(k))
    assert not changed, (f"workbooks/{pid}.xlsx is stale in {changed}: "
                         "run `python workbooks/build.py` and commit the result")
