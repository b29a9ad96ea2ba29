"""Spanish numbers and plurals in messages (issue 6: «1 advertencias», «1e+09»)."""

from addin.domain.wording import number, plural


def test_numbers_are_written_the_chilean_way() -> None:
    assert number(1e9) == "1.000.000.000"
    assert number(1250000) == "1.250.000"
    assert number(0.5) == "0,5"
    assert number(1250000.5) == "1.250.000,5"
    assert number(3.14159, 2) == "3,14"


def test_plurals_agree_with_their_count() -> None:
    assert plural(1, "advertencia") == "1 advertencia"
    assert plural(2, "advertencia") == "2 advertencias"
    assert plural(0, "error") == "0 errores"
    assert plural(1, "sesión") == "1 sesión"
    assert plural(2, "sesión") == "2 sesiones"
    assert plural(1, "mes") == "1 mes"
    assert plural(2, "mes") == "2 meses"
    assert plural(2, "lunes") == "2 lunes"
    assert plural(2, "vez") == "2 veces"
    assert plural(2, "país", "países") == "2 países"
    assert plural(1000, "informativo") == "1.000 informativos"
