"""Rules of a community savings fund: the balance never goes below zero and is what the
movements say, each row is one contribution or one withdrawal, withdrawals pay only the
declared purpose (water and sanitation), and the fund's progress to its target."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from addin.domain.programme import SavingsFund
from addin.domain.records import Record
from addin.domain.rules.base import Context, Issue, rule
from addin.domain.text import normalise
from addin.domain.wording import number

SETS = ("ruta",)
FUND = ("Modelo de Comercio de Impacto: «la creación de un fondo de ahorro para las mejoras "
        "que se implementarán en sus sistemas de agua y saneamiento»")
TOLERANCE = 0.005  # half a cent


def _fund(ctx: Context) -> SavingsFund | None:
    return ctx.definition.savings_fund


def _amount(value: object) -> float:
    return float(value) if isinstance(value, float | int) else 0.0


def _money(ctx: Context, value: float) -> str:
    fund = _fund(ctx)
    return f"{number(round(value, 2), 2)} {fund.currency if fund else ''}".strip()


def _ledger(ctx: Context) -> list[Record]:
    """Movements in date order (undated ones where they are), the order the balance runs."""
    rows = ctx.records("fondo")
    return sorted(rows, key=lambda r: (r.date("fecha") or date.min, r.row)) \
        if all(r.date("fecha") for r in rows) else rows


def _balances(ctx: Context) -> list[tuple[Record, float]]:
    balance, out = 0.0, []
    for row in _ledger(ctx):
        balance += _amount(row.get("aporte")) - _amount(row.get("retiro"))
        out.append((row, balance))
    return out


def _key(row: Record) -> str:
    return str(row.get("detalle") or row.get("asociacion") or f"fila {row.row}")


@rule("FON-01", "error", "Cada fila es un aporte o un retiro, positivo", FUND, SETS)
def one_movement(ctx: Context) -> Iterator[Issue]:
    for row in ctx.records("fondo"):
        given = [k for k in ("aporte", "retiro") if row.get(k) is not None]
        if len(given) != 1:
            yield Issue(row.sheet, row.cell("aporte"),
                        "La fila tiene aporte y retiro a la vez." if given else
                        "La fila no tiene aporte ni retiro.",
                        "Use una fila por movimiento: el monto en «Aporte» o en «Retiro».",
                        _key(row))
        for key in given:
            if _amount(row.get(key)) <= 0:
                yield Issue(row.sheet, row.cell(key),
                            f"El monto {number(_amount(row.get(key)))} no es positivo.",
                            "Escriba el monto en positivo: un retiro va en «Retiro», no como "
                            "aporte negativo.", _key(row))


@rule("FON-02", "error", "El saldo nunca queda negativo", FUND, SETS)
def never_negative(ctx: Context) -> Iterator[Issue]:
    for row, balance in _balances(ctx):
        if balance < -TOLERANCE:
            yield Issue(row.sheet, row.cell("retiro") if row.get("retiro") else row.cell("saldo"),
                        f"Con este movimiento el saldo del fondo queda en {_money(ctx, balance)}: "
                        "se retira más de lo ahorrado.",
                        "Revise el monto del retiro o registre los aportes que faltan (antes, "
                        "en fecha).", _key(row))
            return  # the rows after it follow from this one


@rule("FON-03", "error", "El saldo escrito es aportes menos retiros", FUND, SETS)
def written_balance(ctx: Context) -> Iterator[Issue]:
    for row, balance in _balances(ctx):
        written = row.get("saldo")
        if isinstance(written, float | int) and abs(written - balance) > TOLERANCE:
            yield Issue(row.sheet, row.cell("saldo"),
                        f"El saldo escrito es {_money(ctx, written)}, pero los movimientos hasta "
                        f"esta fila dan {_money(ctx, balance)}.",
                        "Restaure la fórmula del saldo (o corrija los montos).", _key(row))


@rule("FON-04", "error", "Los retiros pagan sólo el propósito declarado (agua y saneamiento)",
      FUND, SETS)
def declared_purpose(ctx: Context) -> Iterator[Issue]:
    fund = _fund(ctx)
    if fund is None:
        return
    allowed = {normalise(p) for p in fund.purposes}
    for row in ctx.records("fondo"):
        if row.get("retiro") is None:
            continue
        purpose = row.get("proposito")
        if normalise(purpose) not in allowed:
            said = f"«{purpose}»" if purpose else "sin propósito"
            yield Issue(row.sheet, row.cell("proposito"),
                        f"Retiro de {_money(ctx, _amount(row.get('retiro')))} {said}: el fondo "
                        "sólo paga " + "; ".join(fund.purposes) + ".",
                        "Elija el propósito de la lista; si el retiro no es para agua y "
                        "saneamiento, no sale del fondo.", _key(row))


def _target(ctx: Context) -> tuple[float, str | None] | None:
    """The fund's target: Programa's, else the programme's; and where it is written."""
    written = ctx.data.form.get("meta_fondo")
    if isinstance(written, float | int) and written > 0:
        return float(written), ctx.data.form.cell("meta_fondo")
    fund = _fund(ctx)
    return (fund.target, ctx.data.form.cell("meta_fondo")) if fund else None


@rule("FON-05", "info", "Avance del fondo hacia su meta", FUND, SETS)
def progress(ctx: Context) -> Iterator[Issue]:
    target = _target(ctx)
    rows = ctx.records("fondo")
    if target is None or not rows:
        return
    saved = sum(_amount(r.get("aporte")) for r in rows)
    goal, cell = target
    yield Issue(ctx.data.form.name, cell,
                f"El fondo reúne {_money(ctx, saved)} en aportes, el "
                f"{number(round(100 * saved / goal, 1))} % de su meta de {_money(ctx, goal)}; "
                f"saldo {_money(ctx, _balances(ctx)[-1][1])}.",
                "Nada que corregir: es el avance a la fecha de corte.")


@rule("FON-06", "warning", "Meta del fondo alcanzada al cierre", FUND, SETS)
def target_reached(ctx: Context) -> Iterator[Issue]:
    target, cal = _target(ctx), ctx.calendar
    if target is None or cal is None or cal.end > ctx.cutoff:
        return
    saved = sum(_amount(r.get("aporte")) for r in ctx.records("fondo"))
    goal, cell = target
    if saved + TOLERANCE < goal:
        yield Issue(ctx.data.form.name, cell,
                    f"Al cierre ({cal.end:%d-%m-%Y}) el fondo reunió {_money(ctx, saved)} de su "
                    f"meta de {_money(ctx, goal)}: faltan {_money(ctx, goal - saved)}.",
                    "Informe la brecha y el plan de aportes en la hoja de ruta.")
