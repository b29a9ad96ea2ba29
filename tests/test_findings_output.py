"""Findings people can read (issue 6, items 5 and 6): one block per finding that fits 80
columns with every word of every message and fix, plain text when piped, colour only on a
terminal, and counts that agree in number («1 advertencia»)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from addin import cli
from addin.actions.validate import validate_file
from addin.demo import CUTOFF, build_demo
from addin.domain.findings import Finding, Severity

SPANISH = {"error": "error", "warning": "advertencia", "info": "info"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def minga(*args: str, cwd: Path, columns: int) -> subprocess.CompletedProcess[str]:
    """Run minga piped (stdout is not a terminal), as `minga … | less` or `> hallazgos.txt`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    env["COLUMNS"] = str(columns)
    return subprocess.run([sys.executable, "-m", "addin", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=120, env=env, check=False)


def flowing(text: str) -> str:
    return " ".join(text.split())


def assert_readable(text: str, width: int, findings: list[dict]) -> None:
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width, max(lines, key=len)
    whole = flowing(text)
    for f in findings:
        where = f"{f['sheet']}!{f['cell']}" if f["cell"] else f["sheet"]
        assert f"{SPANISH[f['severity']]} · {f['rule']} · {where}" in whole
        assert flowing(f["message"]) in whole, f["message"]
        assert flowing(f"→ {f['fix']}") in whole, f["fix"]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[dict]]:
    folder = tmp_path_factory.mktemp("demo")
    shown = minga("demo", "--carpeta", "d", cwd=folder, columns=80)
    assert shown.returncode == 0, shown.stderr
    path = folder / "d" / "ecomercado-15m-demo.xlsx"
    report = minga("validar", str(path), "--json", cwd=folder, columns=80)
    findings = json.loads(report.stdout)["findings"]
    assert len(findings) == 14
    return path, shown.stdout, findings


def test_demo_findings_fit_80_columns_piped_with_every_message_whole(
        demo_run: tuple[Path, str, list[dict]]) -> None:
    _, text, findings = demo_run
    assert_readable(text, 80, findings)


def test_piped_findings_are_plain_text(demo_run: tuple[Path, str, list[dict]]) -> None:
    _, text, _ = demo_run
    assert "\x1b[" not in text  # no colour codes in a pipe or a saved file
    boxes = [ch for ch in text if 0x2500 <= ord(ch) <= 0x257F]
    assert not boxes, f"box-drawing characters: {set(boxes)}"


def test_counts_agree_in_number(demo_run: tuple[Path, str, list[dict]]) -> None:
    _, text, _ = demo_run
    assert "Con errores: 11 errores, 3 advertencias, 0 informativos." in flowing(text)
    assert re.search(r"\(\d+,\d\d s\)", text), "seconds with a decimal comma (es-CL)"


def test_validar_piped_into_a_wide_log_keeps_messages_whole(
        demo_run: tuple[Path, str, list[dict]], tmp_path: Path) -> None:
    path, _, findings = demo_run
    result = minga("validar", str(path), cwd=tmp_path, columns=200)
    assert result.returncode == 1
    assert_readable(result.stdout, cli.READABLE_WIDTH, findings)


def test_a_wide_terminal_shows_colour_and_whole_messages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "demo.xlsx"
    build_demo(path)
    result, _ = validate_file(path, cutoff=CUTOFF)
    screen = io.StringIO()
    monkeypatch.setattr(cli, "out", Console(file=screen, force_terminal=True, width=220,
                                            color_system="standard", highlight=False))
    cli.print_findings(result)
    text = screen.getvalue()
    assert "\x1b[" in text  # severities are coloured on a terminal
    assert_readable(ANSI.sub("", text), 220, [f.to_json() for f in result.findings])


def test_a_long_finding_wraps_without_losing_a_word() -> None:
    words = " ".join(f"palabra{i}" for i in range(60))
    finding = Finding("INV-04", Severity.WARNING, "Seguimiento Plan Comunicaciones", "M12",
                      "Agrupación Cultural Raíces del Carbón de Coronel", words,
                      "Revise 08-04-2025 y " + words, "guía")
    block = cli.finding_block(finding, 40).plain
    assert max(len(line) for line in block.splitlines()) <= 40
    assert flowing(words) in flowing(block)
    assert "08-04-2025" in block  # dates are never split at their hyphens
    lines = block.splitlines()
    assert lines[0].startswith("advertencia · INV-04")
    assert all(line.startswith("    ") for line in lines[1:] if "palabra" in line)
