"""Sheet layouts: valid for Excel, and found again however users rearrange the sheet."""

from __future__ import annotations

from addin.layouts.ecomercado import ECOMERCADO_LAYOUTS, GANTT, INVENTARIO
from addin.layouts.model import column_letter, find_sheet, locate_header, normalise


def test_sheet_names_fit_excel_and_are_unique() -> None:
    for lang in ("es", "en"):
        names = [layout.name(lang) for layout in ECOMERCADO_LAYOUTS]
        assert len(set(names)) == len(names)
        assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_headers_are_unique_and_keys_are_identifiers() -> None:
    for layout in ECOMERCADO_LAYOUTS:
        for lang in ("es", "en"):
            heads = [normalise(c.header(lang)) for c in layout.columns]
            assert len(set(heads)) == len(heads), (layout.key, lang)
        keys = [c.key for c in layout.columns]
        assert len(set(keys)) == len(keys)
        assert all(k.isidentifier() for k in keys)
    tables = [layout.table_name for layout in ECOMERCADO_LAYOUTS if layout.table_name]
    assert len(set(tables)) == len(tables)


def test_plan_sheets_carry_every_field_rules_require_of_a_plan_row() -> None:
    from addin.layouts.ecomercado import SEGUIMIENTO_COMUNICACIONES, SEGUIMIENTO_TRABAJO

    required = {"objetivo", "accion", "resultado_esperado", "responsables", "plazo_dias",
                "requerimientos", "alianza", "con_quien", "estado", "avance", "termino_real",
                "verificador", "observaciones", "ambito"}
    for layout in (SEGUIMIENTO_TRABAJO, SEGUIMIENTO_COMUNICACIONES):
        assert required <= {c.key for c in layout.columns}


def test_inventory_has_the_columns_of_an_acta_de_traspaso() -> None:
    keys = [c.key for c in INVENTARIO.columns]
    assert keys == ["codigo", "descripcion", "categoria", "cantidad", "unidad",
                    "valor_unitario", "valor_total", "fecha_adquisicion", "documento",
                    "estado", "ubicacion", "custodio", "receptora", "fecha_traspaso", "acta"]


def test_header_is_found_below_titles_reordered_and_loosely_typed() -> None:
    rows = [
        ["INVENTARIO DE BIENES 2026"],
        [],
        ["Notas", "  VALOR UNITARIO (clp) ", "codigo", "Descripcion", "cantidad",
         "Valor Total (CLP)", "Categoría", "Receptora?"],
        [None, 1000, "B-01", "Refrigerador", 1],
    ]
    match = locate_header(rows, INVENTARIO.columns)
    assert match is not None and match.row == 2
    assert match.columns["valor_unitario"] == 1
    assert match.columns["codigo"] == 2
    assert match.columns["descripcion"] == 3
    assert "receptora" not in match.columns


def test_english_headers_are_recognised() -> None:
    rows = [[c.en for c in GANTT.columns]]
    match = locate_header(rows, GANTT.columns)
    assert match is not None and len(match.columns) == len(GANTT.columns)


def test_no_header_row_is_none() -> None:
    assert locate_header([["a", "b"], [1, 2]], INVENTARIO.columns) is None


def test_sheet_found_by_either_name_tolerantly() -> None:
    assert find_sheet(["programa", "CARTA  GANTT"], GANTT) == "CARTA  GANTT"
    assert find_sheet(["Gantt chart"], GANTT) == "Gantt chart"
    assert find_sheet(["Gantt"], GANTT) is None


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
