"""Validated programme definitions are kept between runs (issue 13): a «Validar» press reads the
one it needs instead of parsing YAML and building pydantic's validators again, and anything
that changes the text, the code or the kept file is validated afresh.

Each run that matters for speed is a fresh Python process with its own cache folder
(``MINGA_CACHE``); what it loaded is read from ``sys.modules``, never timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from addin.domain import programme
from addin.domain.programme import (
    builtin_text,
    embedded_text,
    load_programme,
    parse_embedded,
    text_digest,
)
from addin.errors import MingaError

PROBE = """
import json, sys
from addin.domain.programme import load_programme, embedded_text
definition = load_programme(sys.argv[1])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "yaml"))
print(json.dumps({"text": embedded_text(definition) if sys.argv[2:] else "",
                  "loaded": loaded, "id": definition.id}))
"""


def load_in_a_process(cache: Path | str, programme_id: str, *, text: bool = False) -> dict:
    env = {**os.environ, "MINGA_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-c", PROBE, programme_id, *(["t"] if text else [])],
                          capture_output=True, text=True, check=True, env=env, timeout=120)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test, and none of this process's memory of earlier loads."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("MINGA_CACHE", str(folder))
    monkeypatch.setattr(programme, "_MEMO", {})
    return folder


def test_a_second_run_reads_the_kept_definition_without_yaml_or_pydantic(cache: Path) -> None:
    first = load_in_a_process(cache, "ecomercado-15m", text=True)
    assert "pydantic" in first["loaded"] and "yaml" in first["loaded"]  # it validated
    assert len(list(cache.glob("programa-*.pickle"))) == 1
    again = load_in_a_process(cache, "ecomercado-15m")
    assert again["id"] == "ecomercado-15m" and again["loaded"] == []
    # and it is the same definition: the same YAML once written out again
    assert load_in_a_process(cache, "ecomercado-15m", text=True)["text"] == first["text"]


def test_every_builtin_programme_read_from_the_cache_equals_the_validated_one(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for pid in programme.builtin_ids():
        validated = load_programme(pid)
        monkeypatch.setattr(programme, "_MEMO", {})
        kept = load_programme(pid)  # from the pickle this time
        assert kept == validated and kept is not validated
        assert embedded_text(kept) == embedded_text(validated)


def test_a_workbook_definition_is_kept_under_its_digest_and_a_changed_one_is_validated_again(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = embedded_text(load_programme("ecomercado-10m"))
    before = set(cache.glob("*.pickle"))
    definition = parse_embedded(text, text_digest(text), "el libro")
    assert definition.id == "ecomercado-10m"
    assert len(set(cache.glob("*.pickle")) - before) == 1
    changed = text.replace("grupo_motor_min_members: 5", "grupo_motor_min_members: 7")
    assert changed != text
    monkeypatch.setattr(programme, "_MEMO", {})
    other = parse_embedded(changed, text_digest(changed), "el libro")
    assert other.grupo_motor_min_members == 7 and definition.grupo_motor_min_members == 5


def test_a_damaged_cache_file_is_validated_again_and_rewritten(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = load_programme("asamblea-pit-arauca")
    (kept,) = cache.glob("programa-*.pickle")
    kept.write_bytes(b"not a pickle")
    monkeypatch.setattr(programme, "_MEMO", {})
    assert load_programme("asamblea-pit-arauca") == good
    assert kept.read_bytes() != b"not a pickle"


def test_a_kept_file_for_another_text_is_not_taken_for_this_one(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pickle carries the digest it was made for: a file copied under another name (or a
    collision of the shortened key) is never believed."""
    red = load_programme("red-comparte")
    conecta = load_programme("conecta-peru")
    red_file = next(p for p in cache.glob("*.pickle")
                    if text_digest(builtin_text("red-comparte"))[:40] in p.name)
    conecta_file = next(p for p in cache.glob("*.pickle") if p != red_file)
    conecta_file.write_bytes(red_file.read_bytes())
    monkeypatch.setattr(programme, "_MEMO", {})
    assert load_programme("conecta-peru") == conecta != red


def test_an_unusable_cache_folder_is_no_error(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MINGA_CACHE", str(blocker / "cache"))
    monkeypatch.setattr(programme, "_MEMO", {})
    assert load_programme("ecomercado-15m").id == "ecomercado-15m"
    monkeypatch.setenv("MINGA_CACHE", "")  # and an empty setting turns the cache off
    monkeypatch.setattr(programme, "_MEMO", {})
    assert programme.cache_folder() is None
    assert load_programme("ecomercado-15m").id == "ecomercado-15m"


def test_an_invalid_definition_is_never_kept(cache: Path) -> None:
    text = embedded_text(load_programme("ecomercado-15m")).replace(
        "grupo_motor_min_members: 5", "grupo_motor_min_members: 0")
    assert "grupo_motor_min_members: 0" in text
    for _ in range(2):  # refused with its Spanish message every time, not from a cache
        with pytest.raises(MingaError, match="grupo_motor_min_members"):
            parse_embedded(text, text_digest(text), "el libro")
    assert [p for p in cache.glob("*") if text_digest(text)[:40] in p.name] == []
