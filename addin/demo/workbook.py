"""The demo programme: an Ecomercado in Coronel (Biobío) at the close of its 15-month convenio,
filled with realistic records and a handful of deliberate defects for the validator to find.

``PLANTED`` lists the defects; a test checks that the validator finds exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from addin.actions.build import write_workbook
from addin.actions.checklists import procedure_rows, verifier_rows
from addin.actions.populate import populate_gantt, write_column_values, write_form_values
from addin.backends.base import CellValue
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.domain.programme import ProgrammeDefinition, load_programme
from addin.domain.schedule import ConvenioCalendar
from addin.domain.text import column_letter
from addin.domain.values import rut_check_digit
from addin.domain.verifiers import due_date, required_documents
from addin.fileio import check_writable
from addin.layouts.ecomercado import (
    GANTT,
    INFORMES,
    INTEGRANTES,
    INVENTARIO,
    ORGANIZACIONES,
    SEGUIMIENTO_COMUNICACIONES,
    SEGUIMIENTO_TRABAJO,
    SESIONES,
    VERIFICADORES,
)
from addin.layouts.model import SheetLayout, locate_header

PROGRAMME = "ecomercado-15m"
START = date(2025, 3, 3)
CUTOFF = date(2026, 5, 20)  # during the cierre administrativo: everything is due
RECIPIENT = "Junta de Vecinos Villa Esperanza"
TRANSFER_DAY, TRANSFER_ACTA = date(2026, 4, 20), "AT-2026-01"
GM_CONSTITUTED, CL_CONSTITUTED = date(2025, 6, 10), date(2025, 7, 29)


@dataclass(frozen=True)
class Planted:
    """A deliberate defect: the rule that must catch it, where, and what it is."""

    rule: str
    sheet: str
    cell: str
    what: str


def rut(body: int) -> str:
    digits = str(body)
    groups = f"{int(digits):,}".replace(",", ".")
    return f"{groups}-{rut_check_digit(digits)}"


def d(text: str) -> date:
    return date.fromisoformat(text)


ORGANISATIONS = [
    # name, rut body, type, formalised, active, invited, attended, interest, committed, rep
    (RECIPIENT, 65012345, "Junta de vecinos", True, True, True, True, True, True,
     "Marta Riquelme"),
    ("Junta de Vecinos Población Lagunillas", 65023456, "Junta de vecinos", True, True, True,
     True, True, True, "Luis Henríquez"),
    ("Club de Adulto Mayor Renacer", 65034567, "Club de adulto mayor", True, True, True, True,
     True, True, "Rosa Cifuentes"),
    ("Centro de Madres Las Camelias", 65045678, "Centro de madres", True, True, True, True,
     True, True, "Elena Vergara"),
    ("Comité de Allegados Nuevo Amanecer", 65056789, "Comité de allegados", True, True, True,
     True, True, True, "Jorge Salazar"),
    ("Unión Comunal de Juntas de Vecinos de Coronel", 65067890, "Unión comunal", True, True,
     True, True, True, False, "Patricia Ortega"),
    ("Agrupación Cultural Raíces del Carbón", 65078901, "Agrupación cultural", True, True,
     True, True, False, False, "Víctor Lagos"),
    ("Club Deportivo Unión Schwager", 65089012, "Club deportivo", True, True, True, False,
     False, False, "Héctor Pino"),
    ("Sindicato de Feriantes Feria Libre Coronel", 65090123, "Sindicato / feria libre", True,
     True, True, True, True, False, "Ana Navarrete"),
    ("Fundación Manos Solidarias", 65101234, "ONG / fundación", True, True, True, True, False,
     False, "Camila Reyes"),
    ("Colectivo Huerta Comunitaria Lo Rojas", None, "Colectivo o grupo no formal", False, True,
     True, True, True, False, "Ignacio Toro"),
    ("Comité de Vivienda Los Aromos", 65112345, "Comité de vivienda", True, False, False,
     False, False, False, "Sonia Jara"),
]
BAD_RUT_ORG = "Agrupación Cultural Raíces del Carbón"

MEMBERS = [
    # name, body, organisation, represents, role
    ("Marta Riquelme Sanhueza", "Grupo Motor", RECIPIENT, "Comunidad organizada", "Presidenta"),
    ("Luis Henríquez Mora", "Grupo Motor", "Junta de Vecinos Población Lagunillas",
     "Comunidad organizada", "Secretario"),
    ("Rosa Cifuentes Arriagada", "Grupo Motor", "Club de Adulto Mayor Renacer",
     "Comunidad organizada", "Tesorera"),
    ("Elena Vergara Pinto", "Grupo Motor", "Centro de Madres Las Camelias",
     "Comunidad organizada", "Integrante"),
    ("Jorge Salazar Muñoz", "Grupo Motor", "Comité de Allegados Nuevo Amanecer",
     "Comunidad organizada", "Integrante"),
    # A líder natural: in the Grupo Motor without an organisation (allowed; never flagged).
    ("Gloria Carrasco Vidal", "Grupo Motor", None, "Líder/lideresa natural", "Integrante"),
    ("Marta Riquelme Sanhueza", "Consejo Local", RECIPIENT, "Grupo Motor", "Representante GM"),
    ("Luis Henríquez Mora", "Consejo Local", "Junta de Vecinos Población Lagunillas",
     "Grupo Motor", "Representante GM"),
    ("Ana Navarrete Soto", "Consejo Local", "Sindicato de Feriantes Feria Libre Coronel",
     "Economía local", "Dirigenta"),
    ("Rodrigo Sepúlveda Castro", "Consejo Local", "Municipalidad de Coronel — DIDECO",
     "Municipio", "Encargado de organizaciones"),
    ("Camila Reyes Fuentes", "Consejo Local", "Fundación Manos Solidarias",
     "Organismo privado / ONG", "Coordinadora territorial"),
    ("Paula Ibáñez Rojas", "Consejo Local", "FOSIS Biobío", "Otro organismo público",
     "Agente de desarrollo local"),
    ("Felipe Alarcón Neira", "Consejo Local", "Supermercado Coronel Centro",
     "Economía local", "Jefe de local"),
]
UNSIGNED_MEMBER = "Rodrigo Sepúlveda Castro"

ASSETS = [
    # description, category, quantity, unit, unit value
    ("Refrigerador comercial dos puertas 1.000 L", "Refrigeración y frío", 2, "unidad", 1389990),
    ("Congelador horizontal 500 L", "Refrigeración y frío", 2, "unidad", 629990),
    ("Vitrina refrigerada vertical", "Refrigeración y frío", 1, "unidad", 899990),
    ("Termómetro digital para cámara de frío", "Refrigeración y frío", 4, "unidad", 12990),
    ("Estantería metálica 5 niveles", "Equipamiento de bodega", 10, "unidad", 89990),
    ("Pallet plástico 120 × 100", "Equipamiento de bodega", 12, "unidad", 34990),
    ("Carro de carga plataforma 300 kg", "Transporte y carga", 2, "unidad", 119990),
    ("Transpaleta manual 2.500 kg", "Transporte y carga", 1, "unidad", 289990),
    ("Caja plástica apilable 40 L", "Equipamiento de bodega", 60, "unidad", 7990),
    ("Balanza digital de plataforma 300 kg", "Balanzas y medición", 1, "unidad", 249990),
    ("Balanza digital de mesón 30 kg", "Balanzas y medición", 2, "unidad", 59990),
    ("Mesa de trabajo acero inoxidable", "Mobiliario", 3, "unidad", 219990),
    ("Silla apilable", "Mobiliario", 20, "unidad", 14990),
    ("Mesa plegable 180 cm", "Mobiliario", 4, "unidad", 44990),
    ("Escritorio de oficina", "Mobiliario", 1, "unidad", 119990),
    ("Notebook 15\"", "Equipos computacionales", 1, "unidad", 549990),
    ("Impresora multifuncional láser", "Equipos computacionales", 1, "unidad", 189990),
    ("Lector de código de barras", "Equipos computacionales", 2, "unidad", 35990),
    ("Teléfono celular de contacto", "Equipos computacionales", 1, "unidad", 149990),
    ("Basurero con pedal 50 L", "Aseo e higiene", 6, "unidad", 24990),
    ("Contenedor de residuos orgánicos 120 L", "Aseo e higiene", 3, "unidad", 49990),
    ("Hidrolavadora", "Aseo e higiene", 1, "unidad", 159990),
    ("Dispensador de alcohol gel", "Aseo e higiene", 4, "unidad", 9990),
    ("Set de cuchillos y tablas de corte", "Utensilios y menaje", 2, "juego", 39990),
    ("Bandeja plástica de alimentos", "Utensilios y menaje", 30, "unidad", 4990),
    ("Cooler de transporte 50 L", "Refrigeración y frío", 4, "unidad", 45990),
    ("Botiquín de primeros auxilios", "Otro", 2, "unidad", 29990),
    ("Extintor PQS 6 kg", "Otro", 3, "unidad", 32990),
    ("Señalética de seguridad (kit)", "Señalética y difusión", 1, "kit", 59990),
    ("Pendón institucional Ecomercado", "Señalética y difusión", 2, "unidad", 39990),
    ("Pizarra blanca 120 × 90", "Mobiliario", 1, "unidad", 49990),
    ("Locker metálico 6 puertas", "Mobiliario", 1, "unidad", 189990),
    ("Carro supermercado", "Transporte y carga", 6, "unidad", 69990),
    ("Bolsa reutilizable Ecomercado", "Utensilios y menaje", 300, "unidad", 990),
    ("Guantes de nitrilo (caja 100)", "Aseo e higiene", 20, "caja", 6990),
    ("Delantal impermeable", "Aseo e higiene", 10, "unidad", 8990),
    ("Selladora de bolsas", "Utensilios y menaje", 1, "unidad", 79990),
    ("Etiquetadora manual", "Utensilios y menaje", 2, "unidad", 19990),
    ("Microondas 30 L", "Utensilios y menaje", 1, "unidad", 89990),
    ("Hervidor eléctrico", "Utensilios y menaje", 1, "unidad", 19990),
    ("Ventilador industrial", "Otro", 2, "unidad", 69990),
    ("Alargador eléctrico industrial 25 m", "Otro", 2, "unidad", 29990),
]
WRONG_TOTAL_ASSET, DUPLICATE_ASSET = 17, 32  # 1-based positions in ASSETS

WORK_PLAN = [
    # ámbito index, objetivo, acción, resultado, responsables, inicio, días, requerimientos,
    # alianza, con quién
    (0, "Incorporar a vecinas y vecinos a la operación", "Turnos de voluntariado para armado "
     "de canastas", "2 turnos semanales cubiertos", "Grupo Motor", "2025-10-06", 60,
     "Planilla de turnos, delantales", False, None),
    (0, "Incorporar a vecinas y vecinos a la operación", "Capacitación en manipulación de "
     "alimentos", "12 voluntarios certificados", "Gestora comunitaria", "2025-10-20", 45,
     "Relator SEREMI de Salud", True, "SEREMI de Salud Biobío"),
    (1, "Apoyar la administración del Ecomercado", "Inventario mensual de bodega con el "
     "equipo", "Inventario al día cada mes", "Grupo Motor y encargada de recinto",
     "2025-11-03", 150, "Planilla de inventario", False, None),
    (1, "Apoyar la administración del Ecomercado", "Revisión del procedimiento interno",
     "Procedimiento interno modificado", "Grupo Motor", "2026-01-12", 45,
     "Procedimiento vigente", True, "DIDECO, Municipalidad de Coronel"),
    (2, "Vincular con la red local de apoyo", "Catastro de donantes del barrio",
     "20 donantes identificados", "Grupo Motor", "2025-10-13", 60, "Fichas de contacto",
     True, "Sindicato de Feriantes Feria Libre Coronel"),
    (2, "Vincular con la red local de apoyo", "Encuentro con organizaciones vecinas",
     "1 encuentro con 8 organizaciones", "Grupo Motor", "2026-03-02", 45, "Sede, café",
     False, None),
    (3, "Posicionar y validar al Grupo Motor", "Presentación del Grupo Motor en asambleas de "
     "las juntas de vecinos", "5 asambleas informadas", "Grupo Motor", "2025-11-10", 90,
     "Presentación impresa", False, None),
    (3, "Posicionar y validar al Grupo Motor", "Credenciales y diario mural del Grupo Motor",
     "Diario mural actualizado", "Grupo Motor", "2025-12-01", 60, "Materiales de librería",
     False, None),
]
NO_PARTNER_ACTION, LATE_ACTION = 4, 6  # 1-based rows of WORK_PLAN

COMMS_PLAN = [
    (0, "Dar a conocer el Ecomercado en la comuna", "Campaña en radio comunitaria",
     "8 cápsulas radiales", "Consejo Local", "2025-10-06", 60, "Guion, grabación", True,
     "Radio Comunitaria Coronel"),
    (0, "Dar a conocer el Ecomercado en la comuna", "Afiches en ferias y consultorios",
     "200 afiches instalados", "Consejo Local", "2025-10-20", 30, "Impresión de afiches",
     False, None),
    (1, "Sumar aliados públicos y privados", "Reunión con el comercio local",
     "3 convenios de donación", "Consejo Local", "2025-11-10", 90, "Carta de presentación",
     True, "Cámara de Comercio de Coronel"),
    (2, "Fidelizar a colaboradores y donantes", "Reconocimiento anual a donantes",
     "Ceremonia con 15 donantes", "Consejo Local", "2026-01-05", 60, "Diplomas",
     False, None),
    (3, "Posicionar al Consejo Local", "Cuenta pública del Consejo Local",
     "1 cuenta pública", "Consejo Local", "2026-03-02", 40, "Sala municipal", True,
     "Municipalidad de Coronel"),
    (3, "Posicionar al Consejo Local", "Redes sociales del Consejo Local",
     "Publicación semanal", "Consejo Local", "2025-12-01", 120, "Teléfono, plan de "
     "contenidos", False, None),
]
INCOHERENT_ACTION = 2  # 1-based row of COMMS_PLAN: «Completada» at 80%


def _plan_rows(plan: list[tuple], scopes: tuple[str, ...]) -> list[dict[str, CellValue]]:
    rows = []
    for n, (scope, objective, action, result, who, start, days, needs, alliance,
            partner) in enumerate(plan, start=1):
        begin = d(start)
        rows.append({
            "n": n, "ambito": scopes[scope], "objetivo": objective, "accion": action,
            "resultado_esperado": result, "responsables": who, "inicio": begin,
            "plazo_dias": days, "fecha_limite": begin + timedelta(days=days),
            "requerimientos": needs, "alianza": "Sí" if alliance else "No",
            "con_quien": partner, "estado": "Completada", "avance": 1.0,
            "termino_real": begin + timedelta(days=days - 3),
            "verificador": f"Carpeta verificadores/plan/{n:02d}",
        })
    return rows


YES = "Sí"
#: Who else took part, by session type (the «Participa …» columns).
PARTICIPANTS = {
    "validacion_plan_trabajo": ("participa_comunidad", "participa_municipio",
                                "participan_donantes"),
    "validacion_plan_comunicaciones": ("participa_grupo_motor", "participa_municipio",
                                       "participan_donantes"),
    "proyeccion": ("participa_grupo_motor", "participa_consejo_local"),
    "priorizacion": ("participa_grupo_motor",),
}
#: Planted: a plan de comunicaciones session three weeks after its month (SES-07), and the
#: choosing session of the traspaso held after the acta (INV-08).
LATE_COMMS_SESSION, LATE_CHOICE = d("2025-10-20"), d("2026-04-24")
#: Allowed variants that must not be flagged: an audiovisual record instead of the list
#: (socialización), a plan de trabajo session led by the comunidad organizada.
AUDIOVISUAL_ONLY, LED_BY_COMMUNITY = d("2025-04-15"), d("2025-09-23")


def _sessions(definition: ProgrammeDefinition, plant: bool) -> list[dict[str, CellValue]]:
    label = {s.key: s.label for s in definition.session_types}
    plan: list[tuple[date, str, str, str]] = [
        (d("2025-04-08"), "socializacion", "Comunidad organizada", "Presentación del modelo"),
        (AUDIOVISUAL_ONLY, "socializacion", "Comunidad organizada",
         "Presentación en Lo Rojas"),
        (d("2025-04-25"), "diagnostico", "Comunidad organizada", "Fortalezas y debilidades"),
        (GM_CONSTITUTED, "conformacion_grupo_motor", "Grupo Motor", "Acta de constitución"),
        (d("2025-07-08"), "intermedia_consejo_local", "Equipo ejecutor",
         "Rol del Consejo Local y expectativas"),
        (CL_CONSTITUTED, "conformacion_consejo_local", "Consejo Local",
         "Acta de constitución"),
        (d("2025-08-26"), "priorizacion", "Grupo Motor", "Matriz de priorización"),
        (d("2025-09-09"), "plan_trabajo", "Grupo Motor", "Plan de trabajo: objetivos"),
        (LED_BY_COMMUNITY, "plan_trabajo", "Comunidad organizada",
         "Plan de trabajo: acciones"),
        (d("2025-09-30"), "validacion_plan_trabajo", "Grupo Motor",
         "Validación del plan de trabajo con la comunidad, el municipio y los donantes"),
        (d("2025-09-11"), "plan_comunicaciones", "Consejo Local", "Plan de comunicaciones"),
        (LATE_COMMS_SESSION if plant else d("2025-09-25"), "plan_comunicaciones",
         "Consejo Local", "Plan de comunicaciones II"),
        (d("2025-10-01"), "validacion_plan_comunicaciones", "Consejo Local",
         "Validación del plan de comunicaciones"),
        (d("2025-11-06"), "proyeccion", "Municipio", "Estructura municipal"),
        (d("2026-02-12"), "proyeccion", "Municipio", "Funciones y atribuciones"),
        (LATE_CHOICE if plant else d("2026-04-07"), "eleccion_receptora", "Grupo Motor",
         "Elección de la receptora"),
        (d("2026-04-28"), "evaluacion_traspaso", "FOSIS (ADL)", "Evaluación del proceso"),
    ]
    for i, day in enumerate(("2025-08-12", "2025-09-16", "2025-10-21", "2025-11-18",
                             "2026-01-13", "2026-03-17")):
        topics = ("Inocuidad", "Manipulación de alimentos", "Liderazgo", "Trabajo en equipo",
                  "Gestión de bodega", "Redes de apoyo")
        plan.append((d(day), "formacion", "Grupo Motor", f"Formación: {topics[i]}"))
    for k in range(11):  # monthly, from the constitution to the end of execution
        day = GM_CONSTITUTED + relativedelta(months=k, days=14)
        plan.append((day, "reunion_grupo_motor", "Grupo Motor", "Reunión mensual"))
    for k in ((0, 1, 3) if plant else (0, 1, 2, 3)):  # every 2 months; planted: no Dec-2025
        day = CL_CONSTITUTED + relativedelta(months=2 * k, days=20)
        plan.append((day, "reunion_consejo_local", "Consejo Local", "Reunión bimestral"))
    plan.sort()
    rows = []
    for n, (day, kind, body, topic) in enumerate(plan, start=1):
        audiovisual = kind == "socializacion" and day == AUDIOVISUAL_ONLY
        row: dict[str, CellValue] = {
            "n": n, "fecha": day, "tipo": label[kind], "instancia": body, "tema": topic,
            "modalidad": "Presencial", "asistentes": 8 + (n * 7) % 17,
            "lista_asistencia": "No" if (plant and day == d("2025-11-18")) or audiovisual
            else YES,
            "registro_audiovisual": YES if audiovisual else None,
            "acta": YES,
            "verificador": f"Sesiones/{day:%Y-%m-%d}.pdf",
        }
        row.update({column: YES for column in PARTICIPANTS.get(kind, ())})
        rows.append(row)
    return rows


def demo_data(definition: ProgrammeDefinition, plant: bool = True
              ) -> dict[str, list[dict[str, CellValue]]]:
    """The demo's records by sheet; ``plant=False`` gives a workbook without defects."""
    organisations = []
    for n, (name, body, kind, formal, active, invited, attended, interest, committed,
            rep) in enumerate(ORGANISATIONS, start=1):
        value = rut(body) if body else None
        if plant and name == BAD_RUT_ORG and value:
            value = value[:-1] + ("0" if value[-1] != "0" else "1")  # wrong check digit
        yes = {True: "Sí", False: "No"}
        organisations.append({
            "n": n, "nombre": name, "rut": value, "tipo": kind, "formalizada": yes[formal],
            "activa": yes[active], "invitada": yes[invited],
            "asistio_socializacion": yes[attended], "ficha_interes": yes[interest],
            "compromiso": yes[committed], "representante": rep,
            "telefono": f"+56 9 {6100_0000 + n * 1379:08d}"[:16],
        })
    members = []
    for n, (name, body, org, represents, role) in enumerate(MEMBERS, start=1):
        members.append({
            "n": n, "nombre": name, "rut": rut(9_000_000 + n * 731_117), "instancia": body,
            "organizacion": org, "representa": represents, "cargo": role,
            "fecha_incorporacion": GM_CONSTITUTED if body == "Grupo Motor" else CL_CONSTITUTED,
            "compromiso": "No" if plant and name == UNSIGNED_MEMBER else "Sí",
        })
    assets = []
    for n, (description, category, quantity, unit, value) in enumerate(ASSETS, start=1):
        total = quantity * value + (6000 if plant and n == WRONG_TOTAL_ASSET else 0)
        code = f"B-{(n - 1 if plant and n == DUPLICATE_ASSET else n):03d}"
        assets.append({
            "codigo": code, "descripcion": description, "categoria": category,
            "cantidad": quantity, "unidad": unit, "valor_unitario": value,
            "valor_total": total, "fecha_adquisicion": d("2025-05-15") + timedelta(days=n * 3),
            "documento": f"Factura {48100 + n}", "estado": "Nuevo" if n % 3 else "Bueno",
            "ubicacion": "Bodega Ecomercado", "custodio": "Encargada de recinto",
            "receptora": RECIPIENT, "fecha_traspaso": TRANSFER_DAY, "acta": TRANSFER_ACTA,
        })
    scopes = {p.key: p.scopes for p in definition.plans}
    work = _plan_rows(WORK_PLAN, scopes["plan_trabajo"])
    comms = _plan_rows(COMMS_PLAN, scopes["plan_comunicaciones"])
    if plant:
        work[NO_PARTNER_ACTION - 1]["con_quien"] = None  # «Sí» with nobody named
        work[LATE_ACTION - 1].update({
            "inicio": d("2026-03-02"), "plazo_dias": 45, "fecha_limite": d("2026-04-16"),
            "estado": "En curso", "avance": 0.6, "termino_real": None, "verificador": None})
        comms[INCOHERENT_ACTION - 1]["avance"] = 0.8  # «Completada» at 80%
    priorities = [
        {"n": 1, "tipo": "Necesidad / problema", "descripcion": "Pocas personas voluntarias "
         "para el armado de canastas", "magnitud": 5, "gravedad": 4, "capacidad": 4},
        {"n": 2, "tipo": "Necesidad / problema", "descripcion": "Bajo conocimiento del "
         "Ecomercado en los sectores altos", "magnitud": 4, "gravedad": 3, "capacidad": 5},
        {"n": 3, "tipo": "Necesidad / problema", "descripcion": "Pérdida de alimentos por falta "
         "de frío", "magnitud": 4, "gravedad": 5, "capacidad": 3},
        {"n": 4, "tipo": "Recurso / potencialidad", "descripcion": "Feria libre dispuesta a "
         "donar excedentes", "magnitud": 5, "gravedad": 3, "capacidad": 5},
        {"n": 5, "tipo": "Recurso / potencialidad", "descripcion": "Sedes vecinales "
         "disponibles para reuniones", "magnitud": 3, "gravedad": 2, "capacidad": 5},
        {"n": 6, "tipo": "Recurso / potencialidad", "descripcion": "Dirigentas con experiencia "
         "en ollas comunes", "magnitud": 4, "gravedad": 4, "capacidad": 4},
    ]
    for row in priorities:
        row.update({"puntaje": row["magnitud"] + row["gravedad"] + row["capacidad"],
                    "responsable": "Grupo Motor", "fecha_sesion": d("2025-08-26")})
    reports = [
        {"n": 1, "mes": 9, "fecha_comprometida": d("2026-01-02"),
         "fecha_entrega": d("2025-12-30"), "estado": "Aprobado",
         "fecha_aprobacion": d("2026-01-15"), "acta_supervision": "AS-2026-004"},
        {"n": 2, "mes": 11, "fecha_comprometida": d("2026-03-02"),
         "fecha_entrega": d("2026-02-27"), "estado": "Aprobado",
         "fecha_aprobacion": d("2026-03-12"), "acta_supervision": "AS-2026-019"},
        {"n": 3, "mes": 13, "fecha_comprometida": d("2026-05-02"),
         "fecha_entrega": d("2026-04-30"), "estado": "Aprobado",
         "fecha_aprobacion": d("2026-05-08"), "acta_supervision": "AS-2026-031"},
    ]
    if plant:  # delivered, never approved
        reports[2].update({"estado": "Entregado", "fecha_aprobacion": None,
                           "acta_supervision": None})
    return {"organizaciones": organisations, "integrantes": members, "inventario": assets,
            "seguimiento_plan_trabajo": work, "seguimiento_plan_comunicaciones": comms,
            "priorizacion": priorities, "sesiones": _sessions(definition, plant),
            "informes": reports, "verificadores": _verifiers(definition, plant),
            "procedimiento": [dict(row, incluido="Sí", detalle=f"Sección {row['n']}")
                              for row in procedure_rows(definition)]}


#: Planted: a document the guide demands, overdue and still pending (VER-01).
MISSING_VERIFIER = "Reglamento de uso firmado por contrapartes"


def _verifiers(definition: ProgrammeDefinition, plant: bool) -> list[dict[str, CellValue]]:
    """Every required document delivered and approved a few days before it was due."""
    calendar = ConvenioCalendar(definition.calendar, START)
    rows = verifier_rows(definition)
    for row, doc in zip(rows, required_documents(definition), strict=True):
        due = due_date(calendar, doc.ref)
        row.update({"estado": "Aprobado", "fecha": due - timedelta(days=3),
                    "archivo": f"Verificadores/{doc.activity.code}-{row['n']:02d}.pdf"})
        if doc.activity.report == 3 and plant:  # delivered, never approved (INF-02)
            row.update({"estado": "Entregado"})
        if plant and doc.verifier.name == MISSING_VERIFIER:
            row.update({"estado": "Pendiente", "fecha": None, "archivo": None})
    return rows


def _cell(layout: SheetLayout, key: str, index: int) -> str:
    """Cell of column ``key`` in the ``index``-th (1-based) data row of a built sheet."""
    return f"{column_letter(layout.index(key))}{layout.header_row + index}"


def planted(data: dict[str, list[dict[str, CellValue]]], gantt_row: int) -> list[Planted]:
    sessions = data["sesiones"]
    no_list = next(i for i, s in enumerate(sessions, start=1)
                   if s["lista_asistencia"] == "No" and not s["registro_audiovisual"])
    # The Consejo Local misses its Dec-2025 meeting: the finding points at the last session
    # before the gap in which it took part (a proyección session).
    before_gap = next(i for i, s in enumerate(sessions, start=1)
                      if s["tipo"].startswith("Proyección") and s["fecha"] == d("2025-11-06"))
    late_comms = next(i for i, s in enumerate(sessions, start=1)
                      if s["fecha"] == LATE_COMMS_SESSION)
    missing = next(i for i, v in enumerate(data["verificadores"], start=1)
                   if v["verificador"] == MISSING_VERIFIER)
    first_transfer = next(i for i, a in enumerate(data["inventario"], start=1)
                          if a["fecha_traspaso"] == TRANSFER_DAY)
    unsigned = next(i for i, m in enumerate(MEMBERS, start=1) if m[0] == UNSIGNED_MEMBER)
    bad_rut = next(i for i, o in enumerate(ORGANISATIONS, start=1) if o[0] == BAD_RUT_ORG)
    return [
        Planted("GANTT-04", GANTT.es, f"E{gantt_row}", "priorización termina fuera de su "
                                                       "ventana"),
        Planted("SES-02", SESIONES.es, _cell(SESIONES, "fecha", before_gap),
                "falta la reunión del Consejo Local de dic-2025"),
        Planted("SES-03", SESIONES.es, _cell(SESIONES, "lista_asistencia", no_list),
                "sesión de formación sin lista de asistencia"),
        Planted("INT-02", INTEGRANTES.es, _cell(INTEGRANTES, "compromiso", unsigned),
                "integrante del Consejo Local sin compromiso firmado"),
        Planted("PLAN-02", SEGUIMIENTO_TRABAJO.es,
                _cell(SEGUIMIENTO_TRABAJO, "con_quien", NO_PARTNER_ACTION),
                "alianza sin decir con quién"),
        Planted("SEG-03", SEGUIMIENTO_TRABAJO.es,
                _cell(SEGUIMIENTO_TRABAJO, "fecha_limite", LATE_ACTION),
                "acción atrasada a la fecha de corte"),
        Planted("SEG-01", SEGUIMIENTO_COMUNICACIONES.es,
                _cell(SEGUIMIENTO_COMUNICACIONES, "estado", INCOHERENT_ACTION),
                "«Completada» con 80% de avance"),
        Planted("INV-01", INVENTARIO.es, _cell(INVENTARIO, "codigo", DUPLICATE_ASSET),
                "código de bien repetido"),
        Planted("INV-04", INVENTARIO.es, _cell(INVENTARIO, "valor_total", WRONG_TOTAL_ASSET),
                "total distinto de cantidad × valor unitario"),
        Planted("ORG-01", ORGANIZACIONES.es, _cell(ORGANIZACIONES, "rut", bad_rut),
                "RUT con dígito verificador incorrecto"),
        Planted("INF-02", INFORMES.es, _cell(INFORMES, "estado", 3),
                "informe N°3 entregado pero no aprobado"),
        Planted("VER-01", VERIFICADORES.es, _cell(VERIFICADORES, "estado", missing),
                "reglamento de uso vencido y pendiente"),
        Planted("SES-07", SESIONES.es, _cell(SESIONES, "fecha", late_comms),
                "sesión del plan de comunicaciones fuera de su mes"),
        Planted("INV-08", INVENTARIO.es, _cell(INVENTARIO, "fecha_traspaso", first_transfer),
                "acta de traspaso anterior a la sesión que eligió a la receptora"),
    ]


def build_demo(output: Path, overwrite: bool = True, plant: bool = True,
               data: dict[str, list[dict[str, CellValue]]] | None = None,
               form: dict[str, CellValue] | None = None,
               gantt: dict[str, dict[str, CellValue]] | None = None) -> list[Planted]:
    """Write the demo workbook; return its planted defects.

    Tests start from ``plant=False`` and break one thing: ``data`` replaces the records,
    ``form`` overrides Programa fields and ``gantt`` cells by activity code.
    """
    check_writable(output, overwrite=overwrite)
    definition = load_programme(PROGRAMME)
    data = data if data is not None else demo_data(definition, plant)
    backend = OpenpyxlBackend.create(output)
    write_workbook(backend, definition, "es", data)
    populate_gantt(backend, definition, START, CUTOFF)
    write_form_values(backend, {
        "region": "Biobío", "comuna": "Coronel",
        "ejecutor": "Ilustre Municipalidad de Coronel", "rut_ejecutor": rut(69150400),
        "coordinadora": "Carolina Muñoz Soto", "gestora": "Daniela Fuentes Parra",
        "fecha_procedimiento": d("2025-03-28"), "constitucion_gm": GM_CONSTITUTED,
        "constitucion_cl": CL_CONSTITUTED, **(form or {}),
    })
    rows = backend.read_values(GANTT.es)
    match = locate_header(rows, GANTT.columns)
    assert match is not None
    row_of = {str(r[0]): i for i, r in enumerate(rows, start=1) if r and r[0]}
    progress = {i: {"avance": 1.0} for code, i in row_of.items() if "." in code
                and not code.startswith("4.5")}
    write_column_values(backend, GANTT.es, match, progress)
    priorization = definition.activity("priorizacion").code
    changes = dict(gantt or {})
    if plant:  # three weeks past its window
        changes.setdefault(priorization, {})["termino"] = d("2025-09-30")
    if changes:
        write_column_values(backend, GANTT.es, match,
                            {row_of[code]: cells for code, cells in changes.items()})
    backend.save()
    return planted(data, row_of[priorization]) if plant else []
