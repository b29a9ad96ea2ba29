"""A complete, correct 15-month Ecomercado workbook, written by hand from the guide.

Not from the demo generator: every record below was typed the way a gestora comunitaria fills
the workbook while following the guide (FOSIS, Ecomercados Solidarios: guía del Modelo de
Gestión Comunitaria), for a fictional Ecomercado Solidario de Lota whose convenio starts on
2 June 2025.  The dates were chosen inside each activity's window of the guide:

    EM1  02-07-2025…01-08-2025  socialización (2 weeks), análisis situacional (2 weeks)
    EM2–EM3 (to 16-09)          conformación del Grupo Motor (1,5 months)
    EM3–EM4 (17-09…01-11)       conformación del Consejo Local (1,5 months)
    EM5…EM13                    formación; priorización 17-11…08-12; planes in EM6
    EM7…EM13 (02-01…01-08-2026) implementation, proyección; traspaso in EM13
    informes: EM9 (03-2026), EM11 (05-2026), EM13 (07-2026)

It uses the guide's allowed variants too: a session proven by its audiovisual record, a líder
natural in the Grupo Motor, a plan de trabajo session led by the comunidad organizada, a
Grupo Motor member from an organisation that signed its ficha de interés but not (yet) the
commitment.  Validated at CUTOFF (the cierre administrativo), it must give no finding at all.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from addin.actions.build import write_workbook
from addin.actions.populate import populate_gantt, write_form_values
from addin.backends.base import CellValue
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.domain.programme import load_programme

PROGRAMME = "ecomercado-15m"
START = date(2025, 6, 2)
CUTOFF = date(2026, 8, 20)
D = date
SI, NO = "Sí", "No"

RECEIVER = "Junta de Vecinos Población Fundición"
FORM: dict[str, CellValue] = {
    "region": "Biobío", "comuna": "Lota", "ejecutor": "Ilustre Municipalidad de Lota",
    "rut_ejecutor": "69.160.500-0", "coordinadora": "Valentina Rojas Mella",
    "gestora": "Claudia Sáez Figueroa",
    "fecha_procedimiento": D(2025, 6, 25),  # before the first socialisation (04-07-2025)
    "constitucion_gm": D(2025, 8, 28), "constitucion_cl": D(2025, 10, 16),
}

ORGANISATIONS = [
    # n, name, RUT, type, formalised, active, invited, attended, ficha, commitment, representative
    (1, RECEIVER, "65.111.222-2", "Junta de vecinos", SI, SI, SI, SI, SI, SI, "Irma Parra"),
    (2, "Junta de Vecinos Lota Alto", "65.222.333-8", "Junta de vecinos", SI, SI, SI, SI, SI,
     SI, "Pedro Cáceres"),
    (3, "Club de Adulto Mayor Esperanza Minera", "65.333.444-3", "Club de adulto mayor", SI,
     SI, SI, SI, SI, SI, "Olga Fuentes"),
    (4, "Centro de Madres Santa María", "65.444.555-9", "Centro de madres", SI, SI, SI, SI, SI,
     SI, "Nancy Leiva"),
    (5, "Sindicato de Feriantes de Lota", "65.555.666-4", "Sindicato / feria libre", SI, SI,
     SI, SI, SI, NO, "Raúl Toledo"),
    (6, "Club Deportivo Carlos Cousiño", "65.666.777-K", "Club deportivo", SI, SI, SI, NO, NO,
     NO, "Mario Vega"),
]

MEMBERS = [
    # n, name, RUT, body, organisation, represents, role
    (1, "Irma Parra Soto", "12.345.678-5", "Grupo Motor", RECEIVER, "Comunidad organizada",
     "Presidenta"),
    (2, "Pedro Cáceres Lagos", "13.456.789-9", "Grupo Motor", "Junta de Vecinos Lota Alto",
     "Comunidad organizada", "Secretario"),
    (3, "Olga Fuentes Ríos", "14.567.890-0", "Grupo Motor",
     "Club de Adulto Mayor Esperanza Minera", "Comunidad organizada", "Tesorera"),
    (4, "Nancy Leiva Muñoz", "15.678.901-1", "Grupo Motor", "Centro de Madres Santa María",
     "Comunidad organizada", "Integrante"),
    # Its organisation signed the ficha de interés (not the commitment): allowed.
    (5, "Raúl Toledo Henríquez", "16.789.012-1", "Grupo Motor",
     "Sindicato de Feriantes de Lota", "Comunidad organizada", "Integrante"),
    # «líderes y lideresas naturales reconocidos por la comunidad»: no organisation.
    (6, "Rosa Jara Pino", "17.890.123-0", "Grupo Motor", None, "Líder/lideresa natural",
     "Integrante"),
    (7, "Irma Parra Soto", "12.345.678-5", "Consejo Local", RECEIVER, "Grupo Motor",
     "Representante del Grupo Motor"),
    (8, "Raúl Toledo Henríquez", "16.789.012-1", "Consejo Local",
     "Sindicato de Feriantes de Lota", "Economía local", "Dirigente feria libre"),
    (9, "Jaime Ortiz Bravo", "10.987.654-2", "Consejo Local", "Municipalidad de Lota — DIDECO",
     "Municipio", "Encargado de organizaciones comunitarias"),
    (10, "Francisca Díaz Vera", "11.876.543-5", "Consejo Local", "FOSIS Biobío",
     "Otro organismo público", "Agente de desarrollo local"),
    (11, "Tomás Reyes Arce", "9.876.543-3", "Consejo Local", "Fundación Alimentos Lota",
     "Organismo privado / ONG", "Coordinador"),
]

# Sessions: date, type label, body that leads it, topic, and what the row records.
GM, CL, MUNI, COM, TEAM, ADL = ("Grupo Motor", "Consejo Local", "Municipio",
                                "Comunidad organizada", "Equipo ejecutor", "FOSIS (ADL)")
SESSIONS: list[tuple[date, str, str, str, dict[str, CellValue]]] = [
    (D(2025, 7, 4), "Socialización del programa", COM, "Presentación del Ecomercado",
     {"lista_asistencia": SI}),
    # «lista de asistencia y/o registro audiovisual»: the video alone proves it.
    (D(2025, 7, 11), "Socialización del programa", COM, "Presentación en Lota Alto",
     {"lista_asistencia": NO, "registro_audiovisual": SI}),
    (D(2025, 7, 23), "Sesión diagnóstica", COM, "Fortalezas y debilidades",
     {"lista_asistencia": SI}),
    (D(2025, 8, 28), "Conformación del Grupo Motor", GM, "Constitución y protocolo",
     {"lista_asistencia": SI, "acta": SI}),
    (D(2025, 9, 15), "Reunión del Grupo Motor", GM, "Primera sesión de trabajo", {}),
    (D(2025, 9, 24), "Sesión intermedia del Consejo Local (antes de su conformación)", TEAM,
     "Rol del Consejo Local y expectativas", {"participa_grupo_motor": SI}),
    (D(2025, 10, 15), "Reunión del Grupo Motor", GM, "Turnos de voluntariado", {}),
    (D(2025, 10, 16), "Conformación del Consejo Local", CL, "Constitución y protocolo",
     {"lista_asistencia": SI, "acta": SI}),
    (D(2025, 11, 14), "Reunión del Grupo Motor", GM, "Organización de bodega", {}),
    (D(2025, 11, 20), "Formación / transferencia técnica", GM, "Inocuidad alimentaria",
     {"lista_asistencia": SI, "registro_audiovisual": SI}),
    (D(2025, 11, 25), "Priorización con el Grupo Motor", GM, "Matriz de priorización",
     {"lista_asistencia": SI, "participa_grupo_motor": SI}),
    (D(2025, 12, 4), "Reunión del Consejo Local", CL, "Red de donantes", {}),
    (D(2025, 12, 9), "Elaboración del plan de trabajo", GM, "Objetivos del plan",
     {"lista_asistencia": SI}),
    (D(2025, 12, 10), "Elaboración del plan de comunicaciones", CL, "Objetivos del plan",
     {"lista_asistencia": SI}),
    (D(2025, 12, 15), "Reunión del Grupo Motor", GM, "Seguimiento de turnos", {}),
    # «liderado por Grupo Motor y/o comunidad organizada».
    (D(2025, 12, 16), "Elaboración del plan de trabajo", COM, "Acciones y responsables",
     {"lista_asistencia": SI}),
    (D(2025, 12, 17), "Elaboración del plan de comunicaciones", CL, "Acciones y alianzas",
     {"lista_asistencia": SI}),
    (D(2025, 12, 22), "Socialización y validación del plan de trabajo", GM,
     "Validación con la comunidad, el municipio y los donantes",
     {"lista_asistencia": SI, "participa_comunidad": SI, "participa_municipio": SI,
      "participan_donantes": SI}),
    (D(2025, 12, 23), "Socialización y validación del plan de comunicaciones", CL,
     "Validación con el Grupo Motor, el municipio y los donantes",
     {"lista_asistencia": SI, "participa_grupo_motor": SI, "participa_municipio": SI,
      "participan_donantes": SI}),
    (D(2026, 1, 15), "Reunión del Grupo Motor", GM, "Inicio de la implementación", {}),
    (D(2026, 1, 22), "Formación / transferencia técnica", GM, "Manipulación de alimentos",
     {"lista_asistencia": SI}),
    (D(2026, 2, 5), "Reunión del Consejo Local", CL, "Campaña radial", {}),
    (D(2026, 2, 13), "Reunión del Grupo Motor", GM, "Inventario de bodega", {}),
    (D(2026, 2, 19), "Proyección (municipio, Grupo Motor y Consejo Local)", MUNI,
     "Estructura municipal para el Ecomercado",
     {"lista_asistencia": SI, "acta": SI, "participa_grupo_motor": SI,
      "participa_consejo_local": SI}),
    (D(2026, 3, 16), "Reunión del Grupo Motor", GM, "Primer informe de avance", {}),
    (D(2026, 3, 19), "Formación / transferencia técnica", GM, "Liderazgo y trabajo en equipo",
     {"registro_audiovisual": SI}),
    (D(2026, 4, 9), "Reunión del Consejo Local", CL, "Fidelización de donantes", {}),
    (D(2026, 4, 15), "Reunión del Grupo Motor", GM, "Reprogramación de acciones", {}),
    (D(2026, 5, 14), "Proyección (municipio, Grupo Motor y Consejo Local)", MUNI,
     "Funciones y atribuciones de cada actor",
     {"lista_asistencia": SI, "acta": SI, "participa_grupo_motor": SI,
      "participa_consejo_local": SI}),
    (D(2026, 5, 15), "Reunión del Grupo Motor", GM, "Segundo informe de avance", {}),
    (D(2026, 5, 21), "Formación / transferencia técnica", GM, "Gestión de recursos",
     {"lista_asistencia": SI}),
    (D(2026, 6, 4), "Reunión del Consejo Local", CL, "Cuenta pública", {}),
    (D(2026, 6, 15), "Reunión del Grupo Motor", GM, "Preparación del traspaso", {}),
    (D(2026, 7, 7), "Elección de la organización receptora de bienes", GM,
     "Elección de la organización que recibe los bienes",
     {"lista_asistencia": SI, "acta": SI}),
    (D(2026, 7, 15), "Reunión del Grupo Motor", GM, "Reglamento de uso de los bienes", {}),
    (D(2026, 7, 28), "Evaluación del proceso (liderada por el ADL del FOSIS)", ADL,
     "Evaluación del proceso", {"lista_asistencia": SI, "participa_grupo_motor": SI}),
]

WORK_SCOPES = ("Incorporación a la operación del Ecomercado", "Apoyo al proceso de administración",
               "Vinculación con la red de apoyo local comunitaria",
               "Posicionamiento y validación del Grupo Motor")
COMMS_SCOPES = ("Socialización y sensibilización del Ecomercado",
                "Vinculación con la red de apoyo local (alianzas público-privadas)",
                "Fidelización de colaboradores y donantes",
                "Posicionamiento y validación del Consejo Local")
# n, scope, objective, action, result, responsible, start, days, needs, alliance, with whom
WORK_PLAN = [
    (1, WORK_SCOPES[0], "Sumar vecinos a la operación", "Turnos de armado de canastas",
     "Dos turnos semanales cubiertos", "Grupo Motor", D(2026, 1, 5), 60, "Planilla de turnos",
     NO, None),
    (2, WORK_SCOPES[1], "Apoyar la administración", "Inventario mensual de bodega",
     "Inventario al día", "Grupo Motor y encargada de recinto", D(2026, 1, 12), 120,
     "Planilla de inventario", NO, None),
    (3, WORK_SCOPES[2], "Vincular con la red local", "Catastro de donantes del barrio",
     "15 donantes identificados", "Grupo Motor", D(2026, 2, 2), 60, "Fichas de contacto", SI,
     "Sindicato de Feriantes de Lota"),
    (4, WORK_SCOPES[3], "Posicionar al Grupo Motor", "Presentaciones en asambleas vecinales",
     "4 asambleas informadas", "Grupo Motor", D(2026, 3, 2), 90, "Presentación impresa", NO,
     None),
]
COMMS_PLAN = [
    (1, COMMS_SCOPES[0], "Dar a conocer el Ecomercado", "Cápsulas en radio comunitaria",
     "6 cápsulas emitidas", "Consejo Local", D(2026, 1, 7), 60, "Guion y grabación", SI,
     "Radio Comunitaria de Lota"),
    (2, COMMS_SCOPES[1], "Sumar aliados", "Reunión con el comercio local",
     "2 convenios de donación", "Consejo Local", D(2026, 2, 9), 75, "Carta de presentación", SI,
     "Cámara de Comercio de Lota"),
    (3, COMMS_SCOPES[2], "Fidelizar donantes", "Reconocimiento a donantes",
     "Ceremonia con 10 donantes", "Consejo Local", D(2026, 4, 6), 45, "Diplomas", NO, None),
    (4, COMMS_SCOPES[3], "Posicionar al Consejo Local", "Cuenta pública del Consejo Local",
     "1 cuenta pública", "Consejo Local", D(2026, 5, 11), 40, "Sala municipal", SI,
     "Municipalidad de Lota"),
]

PRIORITIES = [
    (1, "Necesidad / problema", "Falta de voluntarios para el armado", 5, 4, 4),
    (2, "Necesidad / problema", "Pérdida de alimentos por falta de frío", 4, 5, 3),
    (3, "Necesidad / problema", "Poca difusión en los cerros", 4, 3, 5),
    (4, "Recurso / potencialidad", "Feria libre dispuesta a donar", 5, 3, 5),
    (5, "Recurso / potencialidad", "Sedes vecinales disponibles", 3, 2, 5),
    (6, "Recurso / potencialidad", "Dirigentas con experiencia en ollas comunes", 4, 4, 4),
]

TRANSFER, ACTA = D(2026, 7, 21), "AT-2026-07"
ASSETS = [
    # code, description, category, quantity, unit value
    ("B-001", "Refrigerador comercial 2 puertas", "Refrigeración y frío", 1, 1_389_990),
    ("B-002", "Congelador horizontal 500 L", "Refrigeración y frío", 1, 629_990),
    ("B-003", "Estantería metálica 5 niveles", "Equipamiento de bodega", 6, 89_990),
    ("B-004", "Caja plástica apilable 40 L", "Equipamiento de bodega", 40, 7_990),
    ("B-005", "Balanza digital de plataforma", "Balanzas y medición", 1, 249_990),
    ("B-006", "Mesa de trabajo acero inoxidable", "Mobiliario", 2, 219_990),
    ("B-007", "Carro de carga plataforma", "Transporte y carga", 1, 119_990),
    ("B-008", "Notebook", "Equipos computacionales", 1, 549_990),
]

REPORTS = [
    # n, execution month, submitted, approved, acta de supervisión
    (1, 9, D(2026, 3, 27), D(2026, 4, 8), "AS-2026-011"),
    (2, 11, D(2026, 5, 29), D(2026, 6, 10), "AS-2026-024"),
    (3, 13, D(2026, 7, 30), D(2026, 8, 12), "AS-2026-037"),
]

# Every document the guide demands (§4, the «Verificadores» of each activity), delivered and
# approved: activity N°, document, date.
DOCUMENTS = [
    ("1.1", "Procedimiento interno del Ecomercado (antes de la primera socialización)",
     D(2025, 6, 27)),
    ("1.1", "Catastro de organizaciones invitadas", D(2025, 7, 14)),
    ("1.1", "Fichas de interés de participación firmadas", D(2025, 7, 15)),
    ("1.2", "Documento diagnóstico (fortalezas y debilidades)", D(2025, 7, 30)),
    ("1.2", "Documento con acuerdo y compromiso de participación de las organizaciones",
     D(2025, 7, 31)),
    ("2.1", "Acta de conformación del Grupo Motor", D(2025, 8, 29)),
    ("2.1", "Protocolo de funcionamiento interno del Grupo Motor", D(2025, 9, 5)),
    ("2.1", "Declaraciones de compromiso de los integrantes del Grupo Motor", D(2025, 9, 5)),
    ("2.1", "Ingreso de las variables de línea base (LB) al SNU", D(2025, 9, 12)),
    ("2.2", "Acta de conformación del Consejo Local", D(2025, 10, 17)),
    ("2.2", "Protocolo de funcionamiento interno del Consejo Local", D(2025, 10, 24)),
    ("2.2", "Declaraciones de compromiso de los integrantes del Consejo Local",
     D(2025, 10, 24)),
    ("3.1", "Matriz de priorización elaborada", D(2025, 11, 28)),
    ("3.2", "Documento con el plan de trabajo participativo (con cronograma de ejecución)",
     D(2025, 12, 29)),
    ("3.3", "Documento con el plan de comunicaciones del Consejo Local", D(2025, 12, 29)),
    ("4.3", "Actas de acuerdos y compromisos de las sesiones de proyección", D(2026, 5, 20)),
    ("4.3", "Acta que define la estructura municipal (con su cronograma o carta Gantt)",
     D(2026, 6, 30)),
    ("4.3", "Reglamento interno de la orgánica municipal", D(2026, 7, 10)),
    ("4.3", "Documento de funciones y atribuciones de cada actor", D(2026, 6, 5)),
    ("4.3", "Procedimiento interno modificado (o su análisis, si no cambia)", D(2026, 7, 14)),
    ("4.4", "Acta de traspaso del dominio de bienes (visada por fiscalía del FOSIS)",
     D(2026, 7, 21)),
    ("4.4", "Inventario de bienes traspasados", D(2026, 7, 21)),
    ("4.4", "Reglamento de uso firmado por contrapartes", D(2026, 7, 24)),
    ("4.4", "Documento de evaluación del proceso (con la lista de asistencia de la sesión)",
     D(2026, 7, 31)),
    ("4.4", "Ingreso de las variables de línea de salida (LS) al SNU", D(2026, 7, 31)),
    ("4.5.1", "Informe entregado y aprobado por FOSIS (acta de supervisión)", D(2026, 4, 8)),
    ("4.5.2", "Informe entregado y aprobado por FOSIS (acta de supervisión)", D(2026, 6, 10)),
    ("4.5.3", "Informe entregado y aprobado por FOSIS (acta de supervisión)", D(2026, 8, 12)),
]

PROCEDURE = [
    "Descripción del recinto (dirección, teléfono, tipo de resolución)",
    "Programa de funcionamiento (recuperación, donaciones, armado, entrega, festivos)",
    "Personas a cargo, funciones y horarios",
    "Criterios de focalización",
    "N° de familias beneficiarias (retiro y entrega a domicilio)",
    "Forma de contacto con las familias",
    "Gestión de residuos",
    "Primeros donantes",
    "Organizaciones a contactar",
    "Periodicidad de revisión del procedimiento",
]


def _plan(rows: list[tuple]) -> list[dict[str, CellValue]]:
    out = []
    for n, scope, objective, action, result, who, start, days, needs, alliance, partner in rows:
        out.append({
            "n": n, "ambito": scope, "objetivo": objective, "accion": action,
            "resultado_esperado": result, "responsables": who, "inicio": start,
            "plazo_dias": days, "requerimientos": needs, "alianza": alliance,
            "con_quien": partner, "estado": "Completada", "avance": 1.0,
            "termino_real": date.fromordinal(start.toordinal() + days - 2),
            "verificador": f"Seguimiento/accion-{n:02d}.pdf",
        })
    return out


def records() -> dict[str, list[dict[str, CellValue]]]:
    """The workbook's records by sheet (layout key), as typed."""
    return {
        "organizaciones": [
            {"n": n, "nombre": name, "rut": rut, "tipo": kind, "formalizada": formal,
             "activa": active, "invitada": invited, "asistio_socializacion": attended,
             "ficha_interes": interest, "compromiso": committed, "representante": rep}
            for n, name, rut, kind, formal, active, invited, attended, interest, committed, rep
            in ORGANISATIONS],
        "integrantes": [
            {"n": n, "nombre": name, "rut": rut, "instancia": body, "organizacion": org,
             "representa": represents, "cargo": role,
             "fecha_incorporacion": FORM["constitucion_gm"] if body == GM
             else FORM["constitucion_cl"], "compromiso": SI}
            for n, name, rut, body, org, represents, role in MEMBERS],
        "sesiones": [
            {"n": n, "fecha": day, "tipo": kind, "instancia": body, "tema": topic,
             "modalidad": "Presencial", "asistentes": 12, "verificador": None, **extra}
            for n, (day, kind, body, topic, extra) in enumerate(SESSIONS, start=1)],
        "seguimiento_plan_trabajo": _plan(WORK_PLAN),
        "seguimiento_plan_comunicaciones": _plan(COMMS_PLAN),
        "priorizacion": [
            {"n": n, "tipo": kind, "descripcion": text, "magnitud": m, "gravedad": g,
             "capacidad": c, "responsable": "Grupo Motor", "fecha_sesion": D(2025, 11, 25)}
            for n, kind, text, m, g, c in PRIORITIES],
        "inventario": [
            {"codigo": code, "descripcion": text, "categoria": category, "cantidad": qty,
             "unidad": "unidad", "valor_unitario": value, "valor_total": qty * value,
             "fecha_adquisicion": D(2025, 9, 1), "documento": f"Factura {100 + i}",
             "estado": "Nuevo", "ubicacion": "Bodega Ecomercado",
             "custodio": "Encargada de recinto", "receptora": RECEIVER,
             "fecha_traspaso": TRANSFER, "acta": ACTA}
            for i, (code, text, category, qty, value) in enumerate(ASSETS, start=1)],
        "informes": [
            {"n": n, "mes": month, "fecha_entrega": submitted, "estado": "Aprobado",
             "fecha_aprobacion": approved, "acta_supervision": acta}
            for n, month, submitted, approved, acta in REPORTS],
        "verificadores": [
            {"n": n, "codigo": code, "verificador": name, "estado": "Aprobado", "fecha": day,
             "archivo": f"Verificadores/{n:02d}.pdf"}
            for n, (code, name, day) in enumerate(DOCUMENTS, start=1)],
        "procedimiento": [
            {"n": n, "elemento": item, "incluido": SI, "detalle": f"Capítulo {n}"}
            for n, item in enumerate(PROCEDURE, start=1)],
    }


def build_correct_workbook(path: Path) -> Path:
    """Write the workbook: `minga nuevo` with these records, then `minga poblar` from START."""
    definition = load_programme(PROGRAMME)
    backend = OpenpyxlBackend.create(path)
    write_workbook(backend, definition, "es", records())
    populate_gantt(backend, definition, START, CUTOFF)
    write_form_values(backend, FORM)
    backend.save()
    return path
