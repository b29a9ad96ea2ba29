"""The openpyxl backend honours the bulk interface every backend implements."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment

from addin.backends.base import Annotation, Backend, Formula
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.errors import MingaError

MARK = "FFC7CE"


def test_openpyxl_backend_implements_the_interface(tmp_path: Path) -> None:
    assert isinstance(OpenpyxlBackend.create(tmp_path / "x.xlsx"), Backend)


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    backend = OpenpyxlBackend.create(path)
    backend.add_sheet("Datos")
    hostile = ["=HYPERLINK(\"http://x\",\"clic\")", "+56 9 1234 5678", "-5", "@SUM(A1)"]
    backend.write_block("Datos", "A1", [hostile, [Formula("=1+1"), 3, date(2026, 3, 2), None]])
    backend.save()
    wb = load_workbook(path)
    ws = wb["Datos"]
    assert [c.value for c in ws[1]] == hostile
    assert all(c.data_type == "s" for c in ws[1])
    assert ws["A2"].data_type == "f" and ws["A2"].value == "=1+1"
    assert ws["C2"].number_format == "dd-mm-yyyy"


def test_read_values_returns_the_block_and_marks_formulas(tmp_path: Path) -> None:
    backend = OpenpyxlBackend.create(tmp_path / "x.xlsx")
    backend.add_sheet("S")
    backend.write_block("S", "B2", [["a", 1], [Formula("=B2&C2"), "=no"]])
    values = backend.read_values("S")
    assert values[1][1:] == ["a", 1]
    assert values[2][1] == Formula("=B2&C2")
    assert values[2][2] == "=no"  # text, not a Formula


def test_annotations_read_and_write_notes_and_fills_in_bulk(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    backend = OpenpyxlBackend.create(path)
    backend.add_sheet("S")
    backend.write_block("S", "A1", [["x", "y"], ["z", "w"]])
    backend.write_annotations("S", {"A1": Annotation("Falta el dato.", "minga", MARK),
                                    "B1": Annotation(None, "", MARK)})
    backend.save()
    ws = load_workbook(path)["S"]
    assert ws["A1"].fill.start_color.rgb == ws["B1"].fill.start_color.rgb == "FF" + MARK
    assert ws["A1"].comment.text == "Falta el dato."
    reopened = OpenpyxlBackend.open(path)
    reopened.workbook["S"]["B2"].comment = Comment("nota de la gestora", "Ana")
    before = reopened.read_annotations("S", ["A1", "B2", "C9"])
    assert before == {"A1": Annotation("Falta el dato.", "minga", MARK),
                      "B2": Annotation("nota de la gestora", "Ana", ""),
                      "C9": Annotation()}
    assert (9, 3) not in reopened.workbook["S"]._cells  # reading never creates a cell
    reopened.write_annotations("S", {"A1": Annotation(), "B1": Annotation(), "C9": Annotation()})
    reopened.save()
    ws = load_workbook(path)["S"]
    assert ws["A1"].comment is None and ws["A1"].fill.fill_type is None
    assert ws["B2"].comment.text == "nota de la gestora"
    assert ws.max_row == 2  # clearing a cell that did not exist did not create it


def test_missing_sheet_is_a_spanish_error(tmp_path: Path) -> None:
    backend = OpenpyxlBackend.create(tmp_path / "x.xlsx")
    with pytest.raises(MingaError, match="no tiene la hoja «Inventario»"):
        backend.read_values("Inventario")


def test_failed_save_leaves_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"original")
    backend = OpenpyxlBackend.create(path)
    backend.add_sheet("S")

    def broken_save(target: str) -> None:
        Path(target).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backend.workbook, "save", broken_save)
    with pytest.raises(MingaError, match="no queda espacio en el disco"):  # Spanish, not OS English
        backend.save()
    assert path.read_bytes() == b"original"
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]
