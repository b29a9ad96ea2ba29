"""Every rule, broken and satisfied, on real .xlsx files written and re-read.

The baseline is the demo workbook without its planted defects (`plant=False`): it satisfies
every rule.  Each case breaks one thing and asserts the rule id, the sheet and the cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from addin.actions.validate import ValidationResult, validate_file
from addin.demo import CUTOFF, build_demo, demo_data
from addin.domain.programme import load_programme
from addin.domain.rules import REGISTRY
from addin.errors import MingaError

Data = dict[str, list[dict[str, Any]]]
FIRST = 4  # first data row of a table sheet built by minga (title, help, header)


def row(index: int) -> int:
    """Sheet row of the index-th (1-based) record of a table sheet."""
    return FIRST + index - 1


def run(tmp_path: Path, edit: Callable[[Data], None] | None = None,
        form: dict[str, Any] | None = None, gantt: dict[str, dict[str, Any]] | None = None,
        cutoff: date = CUTOFF) -> ValidationResult:
    data = demo_data(load_programme("ecomercado-15m"), plant=False)
    if edit:
        edit(data)
    path = tmp_path / "libro.xlsx"
    build_demo(path, plant=False, data=data, form=form, gantt=gantt)
    result, _ = validate_file(path, cutoff=cutoff)
    return result


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> ValidationResult:
    return run(tmp_path_factory.mktemp("clean"))


def test_the_clean_workbook_satisfies_every_rule(clean: ValidationResult) -> None:
    assert clean.findings == []
    assert clean.exit_code == 0


def where(result: ValidationResult, rule: str) -> set[tuple[str, str | None]]:
    return {(f.sheet, f.cell) for f in result.findings if f.rule == rule}


def drop(sheet: str, test: Callable[[dict[str, Any]], bool]) -> Callable[[Data], None]:
    def edit(data: Data) -> None:
        data[sheet][:] = [r for r in data[sheet] if not test(r)]
    return edit


def change(sheet: str, index: int, **values: Any) -> Callable[[Data], None]:
    def edit(data: Data) -> None:
        data[sheet][index - 1].update(values)
    return edit


def session_index(kind_label: str, day: date | None = None) -> Callable[[Data], int]:
    def find(data: Data) -> int:
        return next(i for i, s in enumerate(data["sesiones"], start=1)
                    if s["tipo"] == kind_label and (day is None or s["fecha"] == day))
    return find


def change_session(kind_label: str, day: date | None, **values: Any
                   ) -> Callable[[Data], None]:
    def edit(data: Data) -> None:
        data["sesiones"][session_index(kind_label, day)(data) - 1].update(values)
    return edit


@dataclass
class Case:
    rule: str
    expected: set[tuple[str, str | None]]
    edit: Callable[[Data], None] | None = None
    form: dict[str, Any] = field(default_factory=dict)
    gantt: dict[str, dict[str, Any]] = field(default_factory=dict)
    id: str = ""


G, S, MEM, ORG, V, R = ("Carta Gantt", "Sesiones", "Integrantes", "Organizaciones", "Inventario",
                    "Informes")
PT, PC, P = "Seguimiento Plan de Trabajo", "Seguimiento Plan Comunicaciones", "Programa"
GANTT_ROW = {"2.1": 14, "2.2": 15, "3.1": 18, "4.4": 25}
SESSIONS = demo_data(load_programme("ecomercado-15m"), plant=False)["sesiones"]
PROY = "Proyección (municipio, Grupo Motor y Consejo Local)"
GM_MEETING = "Reunión del Grupo Motor"
SOC = "Socialización del programa"
WORK = "Elaboración del plan de trabajo"
CHOICE = "Elección de la organización receptora de bienes"
EVALUATION = "Evaluación del proceso (liderada por el ADL del FOSIS)"
VAL_WORK = "Socialización y validación del plan de trabajo"
CL_INTERMEDIATE = "Sesión intermedia del Consejo Local (antes de su conformación)"
CL_CONST = "Conformación del Consejo Local"
GM_CONST = "Conformación del Grupo Motor"
CL_MEETING = "Reunión del Consejo Local"
TRAINING = "Formación / transferencia técnica"
DOCS, PROC, PRIO = "Verificadores", "Procedimiento interno", "Priorización"
VERIFIERS = demo_data(load_programme("ecomercado-15m"), plant=False)["verificadores"]


def srow(kind: str, day: date | None = None) -> int:
    return row(next(i for i, s in enumerate(SESSIONS, start=1)
                    if s["tipo"] == kind and (day is None or s["fecha"] == day)))


CASES = [
    # A missing row: the link lands on the row it belongs below (4.3), not on a header.
    Case("GANTT-01", {(G, "A24")}, gantt={"4.4": {"codigo": None}}, id="fila-faltante"),
    Case("GANTT-02", {(G, "D14")}, gantt={"2.1": {"inicio": None}}, id="sin-fecha"),
    Case("GANTT-02", {(G, "E15")}, gantt={"2.2": {"inicio": date(2025, 8, 10)}},
         id="termina-antes-de-empezar"),
    Case("GANTT-03", {(G, "E25")}, gantt={"4.4": {"termino": date(2026, 7, 1)}}),
    Case("GANTT-04", {(G, "E18")}, gantt={"3.1": {"termino": date(2025, 9, 30)}}),
    Case("GANTT-04", {(G, "D14")}, gantt={"2.1": {"inicio": date(2025, 4, 20)}},
         id="empieza-antes"),
    Case("GANTT-05", {(G, "D18")}, gantt={"3.1": {"inicio": date(2025, 5, 1)}}),
    Case("GANTT-06", {(P, "B17")}, form={"fecha_procedimiento": date(2025, 4, 10)},
         id="procedimiento-tardio"),
    Case("GANTT-06", {(P, "B17")}, form={"fecha_procedimiento": None},
         id="sin-procedimiento"),
    # Too few sessions: the link lands on the last session of that type.
    Case("SES-01", {(S, f"C{srow(PROY, date(2025, 11, 6))}")}, edit=drop(
        "sesiones", lambda s: s["tipo"] == PROY and s["fecha"] == date(2026, 2, 12))),
    # A month without meetings: the link lands on the last meeting before the gap.
    Case("SES-02", {(S, f"B{srow(GM_MEETING, date(2025, 11, 24))}")}, edit=drop(
        "sesiones", lambda s: s["tipo"] == GM_MEETING and s["fecha"] == date(2025, 12, 24)),
         id="grupo-motor"),
    Case("SES-02", {(P, "B19")}, form={"constitucion_cl": None}, id="sin-constitucion"),
    Case("SES-03", {(S, f"H{srow('Sesión diagnóstica')}")},
         edit=change_session("Sesión diagnóstica", None, lista_asistencia="No")),
    # Too small: the link lands on the justification the fix may be.
    Case("INT-01", {(P, "B20")}, edit=drop("integrantes", lambda m: m["instancia"] ==
                                        "Grupo Motor" and m["n"] in (5, 6))),
    Case("INT-02", {(MEM, f"K{row(2)}")}, edit=change("integrantes", 2, compromiso="No")),
    Case("INT-03", {(MEM, f"E{row(3)}")}, edit=change("integrantes", 3,
                                                    organizacion="Club Deportivo Unión Schwager"),
         id="organizacion-sin-compromiso"),
    Case("INT-03", {(MEM, f"E{row(4)}")}, edit=change("integrantes", 4,
                                                    organizacion="Agrupación Inexistente"),
         id="fuera-del-catastro"),
    Case("PLAN-01", {(PT, f"C{row(1)}")}, edit=change("seguimiento_plan_trabajo", 1,
                                                      objetivo=None)),
    Case("PLAN-02", {(PC, f"L{row(1)}")}, edit=change("seguimiento_plan_comunicaciones", 1,
                                                      con_quien=None)),
    # A missing ámbito: the link lands on the row where an action is added.
    Case("PLAN-03", {(PT, f"B{row(7)}")}, edit=drop("seguimiento_plan_trabajo",
                                                    lambda r: r["ambito"].startswith("Apoyo"))),
    Case("PLAN-04", {(S, f"D{srow('Elaboración del plan de comunicaciones')}")},
         edit=change_session("Elaboración del plan de comunicaciones", date(2025, 9, 11),
                             instancia="Grupo Motor")),
    Case("SEG-01", {(PT, f"M{row(2)}")}, edit=change("seguimiento_plan_trabajo", 2,
                                                     estado="En curso")),
    Case("SEG-02", {(PT, f"P{row(3)}")}, edit=change("seguimiento_plan_trabajo", 3,
                                                     verificador=None)),
    Case("SEG-03", {(PC, f"I{row(4)}")}, edit=change(
        "seguimiento_plan_comunicaciones", 4, estado="En curso", avance=0.5,
        termino_real=None)),
    Case("INV-01", {(V, f"A{row(10)}")}, edit=change("inventario", 10, codigo="B-009")),
    Case("INV-02", {(V, f"D{row(5)}")}, edit=change("inventario", 5, cantidad=0,
                                                    valor_total=0)),
    Case("INV-03", {(V, f"F{row(6)}")}, edit=change("inventario", 6, valor_unitario=-100,
                                                    valor_total=-1200)),
    Case("INV-04", {(V, f"G{row(7)}")}, edit=change("inventario", 7, valor_total=1)),
    Case("INV-05", {(V, f"M{row(8)}")}, edit=change(
        "inventario", 8, receptora="Junta de Vecinos Población Lagunillas"),
         id="dos-receptoras"),
    Case("INV-05", {(V, f"M{row(1)}")}, edit=lambda data: [
        a.update(receptora="Ilustre Municipalidad de Coronel") for a in data["inventario"]],
         id="el-ejecutor"),
    Case("INV-05", {(V, f"M{row(1)}")}, edit=lambda data: [
        a.update(receptora="Unión Comunal de Juntas de Vecinos de Coronel")
        for a in data["inventario"]], id="sin-compromiso"),
    Case("INV-06", {(V, f"N{row(9)}")}, edit=change("inventario", 9, fecha_traspaso=None,
                                                    receptora=None, acta=None),
         id="no-traspasado"),
    Case("INV-06", {(V, f"N{row(9)}")}, edit=change("inventario", 9,
                                                    fecha_traspaso=date(2026, 5, 10),
                                                    acta="AT-2026-02"), id="tarde"),
    Case("INV-07", {(V, f"O{row(11)}")}, edit=change("inventario", 11, acta=None)),
    Case("INF-01", {(R, f"A{row(3)}")}, edit=drop("informes", lambda r: r["n"] == 2),
         id="falta"),
    Case("INF-01", {(R, f"B{row(2)}")}, edit=change("informes", 2, mes=10), id="otro-mes"),
    Case("INF-02", {(R, f"D{row(1)}")}, edit=change("informes", 1, fecha_entrega=None,
                                                    estado="Pendiente")),
    Case("INF-03", {(R, f"D{row(2)}")}, edit=change("informes", 2,
                                                    fecha_entrega=date(2026, 3, 9))),
    Case("ORG-01", {(ORG, f"C{row(2)}")}, edit=change("organizaciones", 2, rut="65.023.456-0"),
         id="digito"),
    Case("ORG-01", {(ORG, f"C{row(3)}")}, edit=change("organizaciones", 3, rut="12345"),
         id="forma"),
    Case("ORG-01", {(P, "B14")}, form={"rut_ejecutor": "69.150.400-1"}, id="ejecutor"),
    Case("ORG-02", {(ORG, f"C{row(4)}")}, edit=lambda data: data["organizaciones"][3].update(
        rut=data["organizaciones"][2]["rut"])),
    Case("LECTURA-03", {(S, f"B{row(2)}")}, edit=change("sesiones", 2, fecha="mañana")),
    Case("LECTURA-05", {(ORG, f"E{row(2)}")}, edit=change("organizaciones", 2,
                                                        formalizada=None)),
    Case("LECTURA-05", {(P, "B12")}, form={"comuna": None}, id="programa"),
    # Issue 12 §1: what the guide forbids, next to what it allows (ALLOWED below).
    Case("SES-03", {(S, f"H{srow(SOC, date(2025, 4, 8))}")}, edit=change_session(
        SOC, date(2025, 4, 8), lista_asistencia="No", registro_audiovisual="No"),
         id="socializacion-sin-lista-ni-registro"),
    Case("SES-03", {(S, f"H{srow('Sesión diagnóstica')}")}, edit=change_session(
        "Sesión diagnóstica", None, lista_asistencia="No", registro_audiovisual="Sí"),
         id="diagnostico-solo-con-video"),
    Case("SES-04", {(S, f"C{row(len(SESSIONS))}")}, edit=drop(
        "sesiones", lambda s: s["tipo"] == CHOICE)),
    Case("PLAN-04", {(S, f"D{srow(WORK, date(2025, 9, 9))}")}, edit=change_session(
        WORK, date(2025, 9, 9), instancia="Consejo Local"), id="plan-de-trabajo"),
    Case("INT-03", {(MEM, f"E{row(5)}")}, edit=change(
        "integrantes", 5, organizacion="Agrupación Cultural Raíces del Carbón",
        representa="Comunidad organizada"), id="sin-ficha-ni-compromiso"),
    Case("INT-04", {(MEM, f"F{row(6)}")}, edit=change("integrantes", 6, organizacion=None,
                                                    representa="Comunidad organizada")),
    Case("INV-07", {(V, f"O{row(12)}")}, edit=change("inventario", 12, acta=None),
         id="fecha-sin-acta"),
    Case("INV-07", {(V, f"N{row(13)}")}, edit=change("inventario", 13, fecha_traspaso=None),
         id="acta-sin-fecha"),
    Case("INV-08", {(V, f"N{row(1)}")}, edit=change_session(
        CHOICE, None, fecha=date(2026, 4, 22))),
    Case("GANTT-04", {(G, "E26")}, gantt={"4.5.1": {"inicio": date(2026, 1, 3),
                                                    "termino": date(2026, 1, 3)}},
         id="informe-fuera-de-su-mes"),
    # Issue 12 §2: what the guide demands and minga did not check.
    Case("SES-05", {(S, f"D{srow(EVALUATION)}")}, edit=change_session(
        EVALUATION, None, instancia="Grupo Motor"), id="evaluacion-sin-el-adl"),
    Case("SES-06", {(S, f"J{srow(PROY, date(2025, 11, 6))}")}, edit=change_session(
        PROY, date(2025, 11, 6), acta="No"), id="proyeccion-sin-acta"),
    Case("SES-06", {(S, f"J{srow(GM_CONST)}")}, edit=change_session(GM_CONST, None, acta=None),
         id="conformacion-sin-acta"),
    Case("SES-07", {(S, f"B{srow(SOC, date(2025, 4, 15))}")}, edit=change_session(
        SOC, date(2025, 4, 15), fecha=date(2025, 5, 10)), id="socializacion-fuera-de-plazo"),
    Case("SES-08", {(S, f"B{srow('Sesión diagnóstica')}")}, edit=change_session(
        "Sesión diagnóstica", None, fecha=date(2025, 4, 5)), id="diagnostico-antes"),
    Case("SES-08", {(S, f"B{srow(CL_CONST)}")}, edit=change_session(
        CL_INTERMEDIATE, None, fecha=date(2025, 8, 5)), id="consejo-sin-sesion-intermedia"),
    Case("SES-09", {(S, f"L{srow(PROY, date(2025, 11, 6))}")}, edit=change_session(
        PROY, date(2025, 11, 6), participa_consejo_local="No"), id="proyeccion-sin-consejo"),
    Case("SES-09", {(S, f"M{srow(VAL_WORK)}")}, edit=change_session(
        VAL_WORK, None, participa_municipio=None), id="validacion-sin-municipio"),
    Case("PLAN-05", {(S, f"B{srow(VAL_WORK)}")}, edit=change_session(
        VAL_WORK, None, fecha=date(2025, 10, 10))),
    Case("PLAN-06", {(PT, f"G{row(1)}")}, edit=change("seguimiento_plan_trabajo", 1,
                                                      inicio=date(2025, 9, 20))),
    Case("GANTT-07", {(P, "B18")}, form={"constitucion_gm": date(2025, 7, 15)}),
    Case("INT-05", {(MEM, f"F{row(7)}")}, edit=drop(
        "integrantes", lambda m: m["instancia"] == "Consejo Local" and
        m["representa"] == "Grupo Motor")),
    Case("ORG-03", {(ORG, f"G{row(1)}")}, edit=change("organizaciones", 1, invitada="No")),
    Case("ORG-04", {(ORG, f"I{row(2)}")}, edit=change("organizaciones", 2, ficha_interes="No")),
    Case("VER-01", {(DOCS, f"F{row(2)}")}, edit=change("verificadores", 2, estado="Pendiente"),
         id="pendiente"),
    Case("VER-01", {(DOCS, f"D{row(len(VERIFIERS))}")}, edit=drop(
        "verificadores", lambda v: v["verificador"].startswith("Acta de conformación del "
                                                                "Grupo")), id="sin-fila"),
    Case("VER-02", {(DOCS, f"G{row(3)}")}, edit=change("verificadores", 3, fecha=None)),
    Case("PROC-01", {(PROC, f"C{row(3)}")}, edit=change("procedimiento", 3, incluido="No")),
    Case("PRI-01", {(PRIO, f"B{row(4)}")}, edit=drop(
        "priorizacion", lambda r: r["tipo"] == "Recurso / potencialidad")),
]



@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{c.id}" if c.id else c.rule
                                              for c in CASES])
def test_rule_catches_what_breaks_it(case: Case, tmp_path: Path) -> None:
    result = run(tmp_path, case.edit, case.form, case.gantt)
    assert where(result, case.rule) == case.expected, [
        (f.rule, f.sheet, f.cell, f.message) for f in result.findings]
    assert result.exit_code == (1 if REGISTRY.get(case.rule) is None or
                                REGISTRY[case.rule].severity.value == "error" else 0)
    finding = next(f for f in result.findings if f.rule == case.rule)
    assert finding.message and finding.fix and finding.source


@dataclass
class Allowed:
    """Something the guide allows: the workbook stays without findings."""

    what: str
    edit: Callable[[Data], None] | None = None
    gantt: dict[str, dict[str, Any]] = field(default_factory=dict)
    cutoff: date = CUTOFF


ALLOWED = [
    # SES-03: «lista de asistencia y/o registro audiovisual» (socialización, formación).
    Allowed("socializacion-con-registro-audiovisual", change_session(
        SOC, date(2025, 4, 8), lista_asistencia="No", registro_audiovisual="Sí")),
    Allowed("formacion-con-registro-audiovisual", change_session(
        "Formación / transferencia técnica", date(2025, 8, 12), lista_asistencia=None,
        registro_audiovisual="Sí")),
    # SES-03: a session after the cut-off is planned; its evidence cannot exist yet.
    Allowed("sesion-planificada-sin-lista", change_session(
        EVALUATION, None, lista_asistencia="No"), cutoff=date(2026, 4, 25)),
    # PLAN-04: «liderado por Grupo Motor y/o comunidad organizada».
    Allowed("plan-liderado-por-la-comunidad", change_session(
        WORK, date(2025, 9, 9), instancia="Comunidad organizada")),
    # INT-03: «líderes y lideresas naturales reconocidos por la comunidad».
    Allowed("lider-natural-sin-organizacion", change(
        "integrantes", 6, organizacion=None, representa="Líder/lideresa natural")),
    Allowed("actor-individual-con-organizacion-sin-compromiso", change(
        "integrantes", 6, organizacion="Club Deportivo Unión Schwager",
        representa="Actor individual del territorio")),
    # INT-03: an organisation that declared interest (ficha) without the commitment yet.
    Allowed("organizacion-con-ficha-de-interes", change(
        "integrantes", 5, organizacion="Sindicato de Feriantes Feria Libre Coronel")),
    # INV-07: a recipient typed before the transfer is a plan, not a transfer.
    Allowed("receptora-planificada", lambda data: [
        a.update(fecha_traspaso=None, acta=None) for a in data["inventario"]],
            cutoff=date(2026, 4, 1)),
    # GANTT-04: a report may fall anywhere in its month (mes 9: 03-12-2025 to 02-01-2026).
    Allowed("informe-el-primer-dia-de-su-mes", gantt={"4.5.1": {
        "inicio": date(2025, 12, 3), "termino": date(2025, 12, 3)}}),
    # INF-01/02: a report is not due before its month ends (mes 13 ends 02-05-2026).
    Allowed("informe-3-aun-no-vence", drop("informes", lambda r: r["n"] == 3),
            cutoff=date(2026, 5, 2)),
    # INF-03: any date in the report's month is on time.
    Allowed("informe-entregado-el-ultimo-dia-de-su-mes", change(
        "informes", 2, fecha_entrega=date(2026, 3, 2))),
    # SES-07: a session a few days past its window is within the definition's tolerance.
    Allowed("socializacion-dentro-de-la-tolerancia", change_session(
        SOC, date(2025, 4, 15), fecha=date(2025, 4, 22))),
    # SES-02: sessions of other activities in which the Consejo Local took part count.
    Allowed("consejo-local-participa-en-otra-sesion", lambda data: [
        drop("sesiones", lambda s: s["tipo"] == CL_MEETING and s["fecha"].month == 12)(data),
        change_session(TRAINING, date(2026, 1, 13), participa_consejo_local="Sí")(data)]),
    # SES-09: the body that leads a session takes part in it.
    Allowed("el-consejo-local-lidera-la-proyeccion", change_session(
        PROY, date(2025, 11, 6), instancia="Consejo Local", participa_consejo_local=None,
        participa_municipio="Sí")),
    # VER-01/02: «no aplica» and a delivered document awaiting approval are fine.
    Allowed("verificador-no-aplica", change("verificadores", 5, estado="No aplica",
                                            fecha=None)),
    Allowed("verificador-entregado-sin-fecha", change("verificadores", 6, estado="Entregado",
                                                      fecha=None)),
    # VER-01, PROC-01, PRI-01: nothing is demanded before it is due.
    Allowed("procedimiento-incompleto-antes-de-socializar", lambda data: [
        r.update(incluido="No") for r in data["procedimiento"]], cutoff=date(2025, 4, 2)),
    Allowed("matriz-vacia-antes-de-elaborar-el-plan", drop("priorizacion", lambda r: True),
            cutoff=date(2025, 9, 2)),
]


@pytest.mark.parametrize("case", ALLOWED, ids=[a.what for a in ALLOWED])
def test_what_the_guide_allows_is_not_flagged(case: Allowed, tmp_path: Path) -> None:
    result = run(tmp_path, case.edit, gantt=case.gantt, cutoff=case.cutoff)
    assert [(f.rule, f.cell, f.message) for f in result.findings] == []


def test_a_verifier_file_missing_beside_the_workbook_is_a_warning(tmp_path: Path) -> None:
    """VER-03 speaks only when the verifiers travel with the workbook (some are found)."""
    data = demo_data(load_programme("ecomercado-15m"), plant=False)
    data["verificadores"][3]["archivo"] = "https://drive.google.com/file/d/abc"  # a link
    path = tmp_path / "libro.xlsx"
    build_demo(path, plant=False, data=data)
    alone, _ = validate_file(path, cutoff=CUTOFF)
    assert alone.findings == []  # sent alone: nothing to say about its files
    named = [v["archivo"] for v in data["verificadores"]] + [
        s["verificador"] for s in data["sesiones"]]
    missing = data["verificadores"][1]["archivo"]
    for name in named:
        if name != missing and not name.startswith("https://"):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_bytes(b"%PDF-1.4\n")
    beside, _ = validate_file(path, cutoff=CUTOFF)
    assert [(f.rule, f.sheet, f.cell, f.severity.value) for f in beside.findings] == [
        ("VER-03", DOCS, f"H{row(2)}", "warning")]
    assert missing in beside.findings[0].message


#: Rules whose breaking case needs more than one workbook edit (a test of their own above).
OWN_TESTS = {"VER-03"}


def test_every_rule_has_a_breaking_case() -> None:
    ecomercado = {k for k, r in REGISTRY.items() if "ecomercado" in r.sets}  # others: their own
    assert ecomercado <= {c.rule for c in CASES} | OWN_TESTS


def test_grupo_motor_under_five_is_accepted_with_a_justification(tmp_path: Path) -> None:
    result = run(tmp_path, drop("integrantes", lambda m: m["instancia"] == "Grupo Motor"
                                and m["n"] in (5, 6)),
                 form={"justificacion_gm": "Acordado con FOSIS Biobío: sector pequeño"})
    assert "INT-01" not in {f.rule for f in result.findings}


def test_rules_not_yet_due_are_not_applied(tmp_path: Path) -> None:
    """At an early cut-off, later products (plans, reports, traspaso) are not required.

    Issue 6 item 10: reports not yet due are not demanded either, even when their rows are
    gone (minga used to say «Falta el informe N°3» months before it was due).
    """
    data = demo_data(load_programme("ecomercado-15m"), plant=False)
    early = date(2025, 7, 1)
    for key in ("seguimiento_plan_trabajo", "seguimiento_plan_comunicaciones", "informes"):
        data[key].clear()
    for asset in data["inventario"]:
        asset.update(receptora=None, fecha_traspaso=None, acta=None)
    data["sesiones"][:] = [s for s in data["sesiones"] if s["fecha"] <= early]
    path = tmp_path / "temprano.xlsx"
    build_demo(path, plant=False, data=data, form={"constitucion_cl": None})
    result, _ = validate_file(path, cutoff=early)
    assert [(f.rule, f.cell, f.message) for f in result.findings] == []


def test_a_programme_file_can_change_a_rules_severity(tmp_path: Path) -> None:
    """Severities follow the guide's words; a regional agreement may change them."""
    own = tmp_path / "biobio.yaml"
    own.write_text("extends: ecomercado-15m\nid: ecomercado-15m-biobio\n"
                   "severities: {SES-04: 'off', INT-04: error}\n", encoding="utf-8")
    data = demo_data(load_programme("ecomercado-15m"), plant=False)
    data["sesiones"][:] = [s for s in data["sesiones"] if s["tipo"] != CHOICE]
    data["integrantes"][5].update(organizacion=None, representa="Comunidad organizada")
    path = tmp_path / "libro.xlsx"
    build_demo(path, plant=False, data=data)
    result, _ = validate_file(path, definition=load_programme(own), cutoff=CUTOFF)
    assert [(f.rule, f.severity.value) for f in result.findings] == [("INT-04", "error")]
    assert result.exit_code == 1
    default, _ = validate_file(path, cutoff=CUTOFF)
    assert sorted((f.rule, f.severity.value) for f in default.findings) == [
        ("INT-04", "warning"), ("SES-04", "warning")]


def test_a_severity_for_something_that_is_not_a_rule_id_is_refused(tmp_path: Path) -> None:
    own = tmp_path / "mal.yaml"
    own.write_text("extends: ecomercado-15m\nseverities: {sesiones: 'off'}\n", encoding="utf-8")
    with pytest.raises(MingaError, match="SES-07"):
        load_programme(own)
