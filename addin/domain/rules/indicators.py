"""Rules of an indicator matrix: disaggregations add up, targets are met or their gap is
reported, actuals are per period unless the indicator is cumulative.

The arithmetic is the same for any results framework; each finding cites the indicator's own
source from the programme definition (e.g. «75 officials … (40% women)»).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

from addin.domain.programme import Indicator
from addin.domain.records import Record
from addin.domain.rules.base import Context, Issue, rule
from addin.domain.text import normalise
from addin.domain.wording import number

SETS = ("indicadores",)
MATRIX = "Matriz de indicadores"
#: Sums of non-integers are compared with this tolerance (a share typed as a decimal).
TOLERANCE = 1e-6
CUMULATIVE = "Acumulado"


def _indicator(ctx: Context, code: object) -> Indicator | None:
    wanted = normalise(code)
    return next((i for i in ctx.definition.indicators if normalise(i.code) == wanted), None)


def _source(ctx: Context, indicator: Indicator | None) -> str | None:
    return ctx.cite(indicator.source) if indicator and indicator.source else None


def _rows_by_code(ctx: Context, key: str) -> dict[str, list[Record]]:
    rows: dict[str, list[Record]] = {}
    for record in ctx.records(key):
        code = normalise(record.get("codigo"))
        if code:
            rows.setdefault(code, []).append(record)
    return rows


def _cumulative(ctx: Context, row: Record) -> bool:
    """Is the indicator reported cumulative? Its row says so (Sí/No), else the definition."""
    said = row.get("acumulado")
    if isinstance(said, bool):
        return said
    indicator = _indicator(ctx, row.get("codigo"))
    return bool(indicator and indicator.cumulative)


def _ended(ctx: Context) -> bool:
    """Is the project over at the cut-off?  Its end is Programa › término, else its start
    plus the programme's months; undated, it is a results report, judged as stated."""
    end = ctx.data.form.get("termino")
    if not isinstance(end, date) and ctx.calendar is not None:
        end = ctx.calendar.end
    return not isinstance(end, date) or end <= ctx.cutoff


def _sum_text(values: list[float]) -> str:
    return " + ".join(number(v) for v in values)


def _label(row: Record) -> str:
    return f"indicador {row.get('codigo')}"


@rule("IND-01", "error", "Las mujeres no superan el total",
      f"{MATRIX}: la desagregación por sexo es parte del total («75 officials and technical "
      "personnel … (40% women)»)", SETS)
def women_within_total(ctx: Context) -> Iterator[Issue]:
    for key, total, women in (("indicadores", "logrado", "logrado_mujeres"),
                              ("avance", "total", "mujeres")):
        for row in ctx.records(key):
            whole, part = row.get(total), row.get(women)
            if isinstance(whole, float | int) and isinstance(part, float | int) and \
                    part > whole + TOLERANCE:
                yield Issue(row.sheet, row.cell(women),
                            f"Mujeres ({number(part)}) es más que el total ({number(whole)}).",
                            "Corrija una de las dos cifras: las mujeres son parte del total.",
                            _label(row), _source(ctx, _indicator(ctx, row.get("codigo"))))


@rule("IND-02", "error", "Mujeres + hombres = total",
      f"{MATRIX}: la desagregación por sexo suma el total", SETS)
def sexes_add_up(ctx: Context) -> Iterator[Issue]:
    for row in ctx.records("avance"):
        whole, women, men = row.get("total"), row.get("mujeres"), row.get("hombres")
        if all(isinstance(v, float | int) for v in (whole, women, men)) and \
                abs(women + men - whole) > TOLERANCE:
            yield Issue(row.sheet, row.cell("total"),
                        f"Mujeres + hombres = {number(women)} + {number(men)} = "
                        f"{number(women + men)}, pero el total es {number(whole)}.",
                        "Corrija el total o su desagregación por sexo.", _label(row),
                        _source(ctx, _indicator(ctx, row.get("codigo"))))


def _achieved(rows: list[Record], column: str, cumulative: bool) -> list[float] | None:
    """The parts that make an indicator's achievement: every per-period row, or, for a
    cumulative indicator, the latest row of each territory.  None if one is missing."""
    if cumulative:
        latest: dict[str, Record] = {}
        for row in rows:  # in period order: the sheet's, by end date when dated
            latest[normalise(row.get("territorio"))] = row
        rows = list(latest.values())
    values = [row.get(column) for row in rows]
    if not values or not all(isinstance(v, float | int) for v in values):
        return None
    return [float(v) for v in values]


def _in_order(rows: list[Record]) -> list[Record]:
    return sorted(rows, key=lambda r: (r.date("fin_periodo") or date.min, r.row))


@rule("IND-03", "error", "Las filas de avance suman el total declarado",
      f"{MATRIX}: las partes por período y territorio suman el total («4 from La Victoria "
      "district and 4 from El Agustino district»)", SETS)
def progress_adds_up(ctx: Context) -> Iterator[Issue]:
    progress = _rows_by_code(ctx, "avance")
    for row in ctx.records("indicadores"):
        rows = _in_order(progress.get(normalise(row.get("codigo")), []))
        if not rows:
            continue
        cumulative = _cumulative(ctx, row)
        for declared, column, what in (("logrado", "total", "el total"),
                                       ("logrado_mujeres", "mujeres", "las mujeres")):
            stated = row.get(declared)
            parts = _achieved(rows, column, cumulative)
            if not isinstance(stated, float | int) or parts is None:
                continue
            if abs(sum(parts) - stated) > TOLERANCE:
                how = ("la última fila de cada territorio en «Avance»" if cumulative
                       else "las filas del indicador en «Avance»")
                yield Issue(row.sheet, row.cell(declared),
                            f"Para {what}, {how} suman {_sum_text(parts)} = "
                            f"{number(sum(parts))}, pero se declara {number(stated)}.",
                            "Corrija el total declarado o las filas de avance: deben coincidir.",
                            _label(row), _source(ctx, _indicator(ctx, row.get("codigo"))))


@rule("IND-04", "error", "Los componentes suman el total declarado",
      f"{MATRIX}: un total y su desglose («208 recursos compartidos: 72 artículos/reflexiones, "
      "62 acciones, 39 eventos y 32 informaciones varias») deben coincidir", SETS)
def components_add_up(ctx: Context) -> Iterator[Issue]:
    components = _rows_by_code(ctx, "componentes")
    for row in ctx.records("indicadores"):
        parts = components.get(normalise(row.get("codigo")), [])
        values = [p.get("valor") for p in parts]
        stated = row.get("logrado")
        if not values or not isinstance(stated, float | int) or \
                not all(isinstance(v, float | int) for v in values):
            continue
        total = sum(values)
        if abs(total - stated) > TOLERANCE:
            names = ", ".join(f"{p.get('componente')} {number(p.get('valor'))}" for p in parts)
            yield Issue(row.sheet, row.cell("logrado"),
                        f"Los componentes suman {_sum_text(values)} = {number(total)} ≠ "
                        f"{number(stated)} declarado ({names}).",
                        f"Corrija el total declarado o los componentes (hoja Componentes, "
                        f"filas {', '.join(str(p.row) for p in parts)}): la diferencia es "
                        f"{number(abs(stated - total))}.",
                        _label(row), _source(ctx, _indicator(ctx, row.get("codigo"))))


@rule("IND-05", "error", "Valores por período, no acumulados, salvo que el indicador lo diga",
      f"{MATRIX}: el avance se informa por período; un indicador acumulado lo declara", SETS)
def per_period_values(ctx: Context) -> Iterator[Issue]:
    matrix = {normalise(r.get("codigo")): r for r in ctx.records("indicadores")}
    progress = _rows_by_code(ctx, "avance")
    for code, rows in progress.items():
        head = matrix.get(code)
        cumulative = _cumulative(ctx, head) if head else bool(
            (i := _indicator(ctx, code)) and i.cumulative)
        indicator = _indicator(ctx, code)
        for row in rows:
            kind = row.get("tipo_valor")
            if kind and (kind == CUMULATIVE) != cumulative:
                said = "acumulado" if kind == CUMULATIVE else "del período"
                expected = "acumulado" if cumulative else "por período"
                yield Issue(row.sheet, row.cell("tipo_valor"),
                            f"La fila informa un valor {said}, pero el indicador {code} se "
                            f"informa {expected}.",
                            "Escriba el valor del período (lo logrado en ese período, no la "
                            "suma hasta la fecha)" if not cumulative else
                            "Escriba el total acumulado a la fecha, o cambie «Se informa "
                            "acumulado» en Indicadores.", _label(row),
                            _source(ctx, indicator))
        if not cumulative:
            continue
        by_territory: dict[str, list[Record]] = {}
        for row in _in_order(rows):
            by_territory.setdefault(normalise(row.get("territorio")), []).append(row)
        for series in by_territory.values():
            for before, after in itertools.pairwise(series):
                a, b = before.get("total"), after.get("total")
                if isinstance(a, float | int) and isinstance(b, float | int) and b < a:
                    yield Issue(after.sheet, after.cell("total"),
                                f"Un valor acumulado no puede bajar: {number(b)} después de "
                                f"{number(a)} (fila {before.row}).",
                                "Revise la cifra: en un indicador acumulado cada período "
                                "repite el total hasta la fecha.", _label(after),
                                _source(ctx, indicator))


@rule("IND-06", "error", "Meta mínima («al menos») alcanzada al término",
      f"{MATRIX}: una meta dicha como mínimo lo es («at least 160 drivers and workers of "
      "MSEs»)", SETS)
def minimum_targets(ctx: Context) -> Iterator[Issue]:
    if not _ended(ctx):
        return
    for row in ctx.records("indicadores"):
        indicator = _indicator(ctx, row.get("codigo"))
        target, achieved = row.get("meta"), row.get("logrado")
        if indicator is None or indicator.target_kind != "minimo" or \
                not isinstance(target, float | int) or not isinstance(achieved, float | int):
            continue
        if achieved < target:
            yield Issue(row.sheet, row.cell("logrado"),
                        f"Se logró {number(achieved)} de una meta mínima de {number(target)}: "
                        f"faltan {number(target - achieved)}.",
                        "La meta dice «al menos»: complete lo que falta o acuerde con el "
                        "financiador un cambio de meta.", _label(row), _source(ctx, indicator))


def _share(value: object) -> float | None:
    return float(value) if isinstance(value, float | int) else None


def _pct(value: float) -> str:
    return f"{number(round(value * 100, 1))} %"


@rule("IND-07", "warning", "Meta y % de mujeres alcanzados, o la brecha informada",
      f"{MATRIX}: la meta se alcanza o se informa la brecha («75 officials … (40% women)»)",
      SETS)
def targets_or_gap(ctx: Context) -> Iterator[Issue]:
    ended = _ended(ctx)
    progress = _rows_by_code(ctx, "avance")
    for row in ctx.records("indicadores"):
        indicator = _indicator(ctx, row.get("codigo"))
        explained = bool(row.get("brecha"))
        target, achieved = row.get("meta"), row.get("logrado")
        women = row.get("logrado_mujeres")
        share = _share(row.get("meta_mujeres_pct"))
        if share is None and indicator is not None:
            share = indicator.women_share
        source = _source(ctx, indicator)
        if not ended or explained or not isinstance(achieved, float | int):
            pass
        else:
            minimum = indicator is not None and indicator.target_kind == "minimo"
            if isinstance(target, float | int) and achieved < target and not minimum:
                yield Issue(row.sheet, row.cell("logrado"),
                            f"Se logró {number(achieved)} de la meta {number(target)} "
                            f"({_pct(achieved / target if target else 0)}): brecha de "
                            f"{number(target - achieved)} sin informar.",
                            "Explique la brecha en «Brecha / justificación».", _label(row),
                            source)
            if share is not None and isinstance(women, float | int) and achieved > 0 and \
                    women / achieved + TOLERANCE < share:
                yield Issue(row.sheet, row.cell("logrado_mujeres"),
                            f"Las mujeres son el {_pct(women / achieved)} de lo logrado; la "
                            f"meta es {_pct(share)} ({number(round(achieved * share))} de "
                            f"{number(achieved)}): brecha sin informar.",
                            "Explique la brecha en «Brecha / justificación».", _label(row),
                            source)
            if indicator is not None and indicator.territory_targets:
                yield from _territory_gaps(ctx, row, indicator,
                                           progress.get(normalise(row.get("codigo")), []))
        for period in progress.get(normalise(row.get("codigo")), []):
            due, goal, done = period.date("fin_periodo"), period.get("meta_periodo"), \
                period.get("total")
            if due is not None and due < ctx.cutoff and isinstance(goal, float | int) and \
                    isinstance(done, float | int) and done < goal and \
                    not period.get("observaciones"):
                yield Issue(period.sheet, period.cell("total"),
                            f"En {period.get('periodo') or 'el período'} se logró {number(done)} "
                            f"de la meta del período {number(goal)}: brecha de "
                            f"{number(goal - done)} sin informar.",
                            "Explique la brecha en «Observaciones».", _label(period), source)


def _territory_gaps(ctx: Context, row: Record, indicator: Indicator,
                    rows: list[Record]) -> Iterator[Issue]:
    if not rows or indicator.cumulative:
        return
    done: dict[str, float] = {}
    for period in rows:
        value = period.get("total")
        if isinstance(value, float | int):
            key = normalise(period.get("territorio"))
            done[key] = done.get(key, 0.0) + value
    for territory, goal in indicator.territory_targets.items():
        got = done.get(normalise(territory), 0.0)
        if got < goal:
            yield Issue(row.sheet, row.cell("logrado"),
                        f"En {territory} se logró {number(got)} de su meta {number(goal)}: "
                        f"brecha de {number(goal - got)} sin informar.",
                        "Explique la brecha en «Brecha / justificación».", _label(row),
                        _source(ctx, indicator))
