"""The sheets of the Ecomercado Solidario workbook (FOSIS guide of the community model)."""

from __future__ import annotations

from addin.layouts.model import Column, SheetLayout
from addin.layouts.model import ColumnType as T

REGIONS = (
    "Arica y Parinacota", "Tarapacá", "Antofagasta", "Atacama", "Coquimbo", "Valparaíso",
    "Metropolitana de Santiago", "Libertador General Bernardo O'Higgins", "Maule", "Ñuble",
    "Biobío", "La Araucanía", "Los Ríos", "Los Lagos",
    "Aysén del General Carlos Ibáñez del Campo", "Magallanes y de la Antártica Chilena",
)
CONVENIO_TYPES = ("10 meses", "15 meses")
BODIES = ("Grupo Motor", "Consejo Local")
#: «Atrasada» is what `minga seguimiento` writes on an open action past its due date at the
#: cut-off (and takes back when it no longer is).
PLAN_STATUS = ("Pendiente", "En curso", "Atrasada", "Completada", "Reprogramada", "Suspendida")
PLAN_LATE = "Atrasada"
#: Statuses of an action that is no longer due (never highlighted as overdue).
PLAN_CLOSED = ("Completada", "Suspendida")
REPORT_STATUS = ("Pendiente", "Entregado", "Observado", "Aprobado")
ORG_TYPES = (
    "Junta de vecinos", "Unión comunal", "Club de adulto mayor", "Centro de madres",
    "Comité de vivienda", "Comité de allegados", "Club deportivo", "Agrupación cultural",
    "Organización indígena", "Sindicato / feria libre", "Iglesia / organización religiosa",
    "ONG / fundación", "Colectivo o grupo no formal", "Otra",
)
REPRESENTS = ("Comunidad organizada", "Grupo Motor", "Economía local", "Municipio",
              "Otro organismo público", "Organismo privado / ONG",
              # People who join the Grupo Motor as themselves, not for an organisation (the
              # guide allows both): rules/members.py INDIVIDUALS.
              "Líder/lideresa natural", "Actor individual del territorio")
SESSION_MODES = ("Presencial", "Virtual", "Mixta")
PRIORITY_KINDS = ("Necesidad / problema", "Recurso / potencialidad")
ASSET_CATEGORIES = (
    "Refrigeración y frío", "Mobiliario", "Equipamiento de bodega", "Equipos computacionales",
    "Balanzas y medición", "Transporte y carga", "Utensilios y menaje", "Aseo e higiene",
    "Señalética y difusión", "Otro",
)
ASSET_UNITS = ("unidad", "juego", "kit", "caja", "paquete", "metro", "par")
ASSET_CONDITION = ("Nuevo", "Bueno", "Regular", "Malo", "De baja")
SEVERITIES = ("error", "advertencia", "info")
#: Bodies that lead a session («Instancia»); the ADL of FOSIS leads the evaluation.
SESSION_BODIES = ("Comunidad organizada", *BODIES, "Municipio", "Equipo ejecutor", "FOSIS (ADL)")
#: States of a verifier (a required document) in the Verificadores sheet.
VERIFIER_STATES = ("Pendiente", "Entregado", "Aprobado", "No aplica")


PROGRAMA = SheetLayout(
    key="programa", es="Programa", en="Programme", kind="form",
    title_es="Datos del programa", title_en="Programme data",
    help_es="Complete los datos del convenio. Las fechas se escriben día-mes-año.",
    tab_color="1F4E79",
    columns=(
        Column("programa", "Programa", "Programme", required=True, width=46,
               help_es="Definición del programa (no la cambie a mano)"),
        Column("tipo_convenio", "Tipo de convenio", "Agreement type", T.CHOICE, required=True,
               choices=CONVENIO_TYPES),
        Column("inicio", "Fecha de inicio del convenio", "Agreement start date", T.DATE,
               required=True, help_es="Primer día del convenio (inicio del proyecto)"),
        Column("fecha_corte", "Fecha de corte", "Cut-off date", T.DATE,
               help_es="Fecha a la que se informa el avance; vacía = hoy"),
        Column("termino", "Fecha de término del convenio", "Agreement end date", T.DATE,
               help_es="Calculada"),
        Column("inicio_ejecucion", "Inicio de la ejecución", "Execution start", T.DATE,
               help_es="Calculada: primer día del mes 1 de ejecución"),
        Column("termino_ejecucion", "Término de la ejecución", "Execution end", T.DATE,
               help_es="Calculada: último día del último mes de ejecución"),
        Column("region", "Región", "Region", T.CHOICE, required=True, choices=REGIONS),
        Column("comuna", "Comuna", "Municipality", required=True),
        Column("ejecutor", "Ejecutor", "Executing organisation", required=True),
        Column("rut_ejecutor", "RUT del ejecutor", "Executing organisation RUT", T.RUT),
        Column("coordinadora", "Coordinadora", "Coordinator", required=True),
        Column("gestora", "Gestora comunitaria", "Community manager", required=True),
        Column("fecha_procedimiento", "Fecha del procedimiento interno",
               "Internal procedure date", T.DATE,
               help_es="Debe ser anterior a la primera sesión de socialización"),
        Column("constitucion_gm", "Fecha de constitución del Grupo Motor",
               "Grupo Motor constitution date", T.DATE),
        Column("constitucion_cl", "Fecha de constitución del Consejo Local",
               "Consejo Local constitution date", T.DATE),
        Column("justificacion_gm", "Justificación Grupo Motor con menos de 5 integrantes",
               "Justification for a Grupo Motor under 5 members",
               help_es="Sólo si el Grupo Motor tiene menos integrantes que el mínimo"),
    ),
)

GANTT = SheetLayout(
    key="carta_gantt", es="Carta Gantt", en="Gantt Chart", kind="gantt",
    title_es="Carta Gantt — Componente 2: Gestión comunitaria",
    title_en="Gantt chart — Component 2: Community management",
    header_row=9, tab_color="2E75B6", row_key=("codigo",),
    columns=(
        Column("codigo", "N°", "No.", required=True, width=5),
        Column("actividad", "Etapa / actividad", "Stage / activity", required=True, width=28),
        Column("responsable", "Responsable", "Responsible", width=14),
        Column("inicio", "Inicio", "Start", T.DATE, required=True, width=9.5),
        Column("termino", "Término", "End", T.DATE, required=True, width=9.5),
        Column("dias", "Días", "Days", T.INTEGER, width=5,
               formula='=IF(OR({inicio}="",{termino}=""),"",{termino}-{inicio}+1)'),
        Column("avance", "% avance", "% done", T.PERCENT, width=7, bounds=(0, 1)),
        Column("ventana", "Ventana del programa", "Programme window", width=13),
    ),
)


def _plan_layout(key: str, es: str, en: str, plan_key: str, title: str, table: str,
                 color: str) -> SheetLayout:
    return SheetLayout(
        key=key, es=es, en=en, kind="table", table_name=table, tab_color=color,
        title_es=title, title_en=en, row_status="estado", row_due="fecha_limite",
        closed_statuses=PLAN_CLOSED, row_key=("n",),
        help_es=("Una fila por acción del plan. «Con quién» es obligatorio si la acción activa "
                 "alianzas. Complete estado, % de avance y verificador en cada seguimiento."),
        columns=(
            Column("n", "N°", "No.", T.INTEGER, width=6),
            Column("ambito", "Ámbito", "Scope", T.CHOICE, required=True,
                   choices_from=f"scopes:{plan_key}", width=30),
            Column("objetivo", "Objetivo", "Objective", required=True, width=30),
            Column("accion", "Acción", "Action", required=True, width=30),
            Column("resultado_esperado", "Resultado esperado", "Expected result",
                   required=True, width=26),
            Column("responsables", "Responsable(s)", "Responsible", required=True, width=20),
            Column("inicio", "Fecha de inicio", "Start date", T.DATE, width=12),
            Column("plazo_dias", "Plazo (días)", "Deadline (days)", T.INTEGER, required=True,
                   width=9),
            Column("fecha_limite", "Fecha límite", "Due date", T.DATE, width=12,
                   formula='=IF(OR({inicio}="",{plazo_dias}=""),"",{inicio}+{plazo_dias})'),
            Column("requerimientos", "Requerimientos", "Requirements", required=True, width=22),
            Column("alianza", "¿Activa alianzas?", "Activates alliances?", T.BOOL,
                   required=True, width=10),
            Column("con_quien", "Con quién", "With whom", width=20),
            Column("estado", "Estado", "Status", T.CHOICE, required=True, choices=PLAN_STATUS,
                   width=13),
            Column("avance", "% avance", "% done", T.PERCENT, width=9, bounds=(0, 1)),
            Column("termino_real", "Fecha real de término", "Actual end date", T.DATE, width=12),
            Column("verificador", "Verificador", "Evidence", width=22),
            Column("observaciones", "Observaciones / nudos críticos",
                   "Notes / critical issues", width=30),
        ),
    )


SEGUIMIENTO_TRABAJO = _plan_layout(
    "seguimiento_plan_trabajo", "Seguimiento Plan de Trabajo", "Work Plan Monitoring",
    "plan_trabajo", "Matriz de seguimiento — Plan de trabajo participativo (Grupo Motor)",
    "SeguimientoPlanTrabajo", "548235")
# Excel limits sheet names to 31 characters: «Seguimiento Plan de Comunicaciones» has 34.
SEGUIMIENTO_COMUNICACIONES = _plan_layout(
    "seguimiento_plan_comunicaciones", "Seguimiento Plan Comunicaciones",
    "Communications Plan Monitoring", "plan_comunicaciones",
    "Matriz de seguimiento — Plan de comunicaciones (Consejo Local)",
    "SeguimientoPlanComunicaciones", "70AD47")

PRIORIZACION = SheetLayout(
    key="priorizacion", es="Priorización", en="Prioritisation", kind="table",
    table_name="Priorizacion", tab_color="BF8F00", row_key=("n",),
    title_es="Matriz de priorización de necesidades, problemas y recursos",
    title_en="Prioritisation matrix",
    help_es="Puntúe cada criterio de 1 (bajo) a 5 (alto). El puntaje y la prioridad se calculan.",
    columns=(
        Column("n", "N°", "No.", T.INTEGER, width=6),
        Column("tipo", "Tipo", "Kind", T.CHOICE, required=True, choices=PRIORITY_KINDS,
               width=22),
        Column("descripcion", "Descripción", "Description", required=True, width=40),
        Column("magnitud", "Magnitud (1-5)", "Magnitude (1-5)", T.INTEGER, required=True,
               bounds=(1, 5), width=10),
        Column("gravedad", "Gravedad (1-5)", "Severity (1-5)", T.INTEGER, required=True,
               bounds=(1, 5), width=10),
        Column("capacidad", "Capacidad de resolución (1-5)", "Capacity to solve (1-5)",
               T.INTEGER, required=True, bounds=(1, 5), width=12),
        Column("puntaje", "Puntaje", "Score", T.INTEGER, width=9,
               formula='=IF(COUNT({magnitud},{gravedad},{capacidad})=0,"",'
                       'SUM({magnitud},{gravedad},{capacidad}))'),
        Column("responsable", "Responsable", "Responsible", width=18),
        Column("fecha_sesion", "Fecha de la sesión", "Session date", T.DATE, width=12),
        Column("observaciones", "Observaciones", "Notes", width=30),
    ),
)

SESIONES = SheetLayout(
    key="sesiones", es="Sesiones", en="Sessions", kind="table", table_name="Sesiones",
    tab_color="7030A0", title_es="Registro de sesiones", title_en="Session log",
    row_key=("fecha", "tipo"),
    help_es="Una fila por sesión realizada. Su verificador es la lista de asistencia y/o el "
            "registro audiovisual (fotos, video), según el tipo de sesión.",
    columns=(
        Column("n", "N°", "No.", T.INTEGER, width=6),
        Column("fecha", "Fecha", "Date", T.DATE, required=True, width=12),
        Column("tipo", "Tipo de sesión", "Session type", T.CHOICE, required=True,
               choices_from="session_types", width=34),
        Column("instancia", "Instancia", "Body", T.CHOICE, choices=SESSION_BODIES, width=18,
               help_es="Quién lidera la sesión"),
        Column("tema", "Tema / objetivo", "Topic / objective", required=True, width=34),
        Column("modalidad", "Modalidad", "Mode", T.CHOICE, choices=SESSION_MODES, width=11),
        Column("asistentes", "N° de asistentes", "Attendees", T.INTEGER, width=10),
        Column("lista_asistencia", "Lista de asistencia", "Attendance list", T.BOOL,
               width=11, help_es="Lista de asistencia firmada"),
        Column("registro_audiovisual", "Registro audiovisual", "Audiovisual record", T.BOOL,
               width=11, help_es="Fotos o video de la sesión: la guía lo acepta en lugar de "
                                 "la lista en socialización y formación"),
        Column("acta", "Acta", "Minutes", T.BOOL, width=8,
               help_es="Acta de la sesión: la exigen las de conformación y de proyección"),
        # Who else took part: the guide asks some sessions for «municipio, Grupo Motor y
        # Consejo Local», and those sessions count for the Grupo Motor's and Consejo Local's
        # meeting cadence (rules/base.py PARTICIPATION).
        Column("participa_grupo_motor", "Participa Grupo Motor", "Grupo Motor took part",
               T.BOOL, width=11),
        Column("participa_consejo_local", "Participa Consejo Local", "Consejo Local took part",
               T.BOOL, width=11),
        Column("participa_municipio", "Participa municipio", "Municipality took part", T.BOOL,
               width=11),
        Column("participa_comunidad", "Participa comunidad organizada",
               "Organised community took part", T.BOOL, width=12),
        Column("participan_donantes", "Participan donantes / colaboradores",
               "Donors took part", T.BOOL, width=12),
        Column("verificador", "Verificador (archivo o enlace)", "Evidence (file or link)",
               width=28),
        Column("observaciones", "Observaciones", "Notes", width=28),
    ),
)

INTEGRANTES = SheetLayout(
    key="integrantes", es="Integrantes", en="Members", kind="table", table_name="Integrantes",
    tab_color="C55A11", title_es="Integrantes del Grupo Motor y del Consejo Local",
    row_key=("rut", "instancia"),  # one person may sit in both bodies
    title_en="Grupo Motor and Consejo Local members",
    help_es="Una fila por persona e instancia. La organización debe estar en la hoja "
            "Organizaciones; un líder natural o actor individual va sin organización, con ese "
            "valor en «Representa a».",
    columns=(
        Column("n", "N°", "No.", T.INTEGER, width=6),
        Column("nombre", "Nombre", "Name", required=True, width=28),
        Column("rut", "RUT", "RUT", T.RUT, width=13),
        Column("instancia", "Instancia", "Body", T.CHOICE, required=True, choices=BODIES,
               width=15),
        Column("organizacion", "Organización", "Organisation", width=28),
        Column("representa", "Representa a", "Represents", T.CHOICE, choices=REPRESENTS,
               width=20),
        Column("cargo", "Cargo / rol", "Role", width=18),
        Column("telefono", "Teléfono", "Phone", width=15),
        Column("correo", "Correo", "E-mail", width=24),
        Column("fecha_incorporacion", "Fecha de incorporación", "Joined on", T.DATE, width=12),
        Column("compromiso", "Declaración de compromiso firmada", "Signed commitment",
               T.BOOL, required=True, width=13),
        Column("fecha_retiro", "Fecha de retiro", "Left on", T.DATE, width=12),
        Column("observaciones", "Observaciones", "Notes", width=26),
    ),
)

ORGANIZACIONES = SheetLayout(
    key="organizaciones", es="Organizaciones", en="Organisations", kind="table",
    table_name="Organizaciones", tab_color="833C0B", row_key=("nombre",),  # many lack a RUT
    title_es="Catastro de organizaciones del territorio", title_en="Organisations census",
    help_es="Todas las organizaciones activas del territorio, invitadas o no. RUT con dígito "
            "verificador (ej. 65.123.456-7).",
    columns=(
        Column("n", "N°", "No.", T.INTEGER, width=6),
        Column("nombre", "Nombre", "Name", required=True, width=32),
        Column("rut", "RUT", "RUT", T.RUT, width=13),
        Column("tipo", "Tipo", "Type", T.CHOICE, choices=ORG_TYPES, width=22),
        Column("formalizada", "Formalizada", "Formalised", T.BOOL, required=True, width=11),
        Column("activa", "Activa", "Active", T.BOOL, required=True, width=9),
        Column("invitada", "Invitada", "Invited", T.BOOL, width=9),
        Column("asistio_socializacion", "Asistió a socialización", "Attended socialisation",
               T.BOOL, width=12),
        Column("ficha_interes", "Ficha de interés firmada", "Signed interest form", T.BOOL,
               width=12),
        Column("compromiso", "Compromiso de participación firmado",
               "Signed participation agreement", T.BOOL, width=14),
        Column("representante", "Representante", "Representative", width=24),
        Column("telefono", "Teléfono", "Phone", width=15),
        Column("correo", "Correo", "E-mail", width=24),
        Column("observaciones", "Observaciones", "Notes", width=26),
    ),
)

INVENTARIO = SheetLayout(
    key="inventario", es="Inventario", en="Inventory", kind="table", table_name="Inventario",
    tab_color="375623", totals=("valor_total",), row_key=("codigo",),
    title_es="Inventario de bienes", title_en="Asset inventory",
    help_es="Todos los bienes comprados con fondos del programa. Ninguno queda en el "
            "ejecutor: se traspasan a una organización comprometida.",
    columns=(
        Column("codigo", "Código", "Code", required=True, width=10),
        Column("descripcion", "Descripción", "Description", required=True, width=34),
        Column("categoria", "Categoría", "Category", T.CHOICE, choices=ASSET_CATEGORIES,
               width=22),
        Column("cantidad", "Cantidad", "Quantity", T.INTEGER, required=True, width=9,
               bounds=(1, 10**9)),
        Column("unidad", "Unidad", "Unit", T.CHOICE, choices=ASSET_UNITS, width=9),
        Column("valor_unitario", "Valor unitario (CLP)", "Unit value (CLP)", T.MONEY,
               required=True, width=14),
        Column("valor_total", "Valor total (CLP)", "Total value (CLP)", T.MONEY, width=14,
               formula='=IF(OR({cantidad}="",{valor_unitario}=""),"",'
                       '{cantidad}*{valor_unitario})'),
        Column("fecha_adquisicion", "Fecha de adquisición", "Acquired on", T.DATE, width=12),
        Column("documento", "Documento de compra", "Purchase document", width=16),
        Column("estado", "Estado", "Condition", T.CHOICE, choices=ASSET_CONDITION, width=10),
        Column("ubicacion", "Ubicación", "Location", width=18),
        Column("custodio", "Custodio", "Custodian", width=18),
        Column("receptora", "Organización receptora", "Recipient organisation", width=28),
        Column("fecha_traspaso", "Fecha de traspaso", "Transfer date", T.DATE, width=12),
        Column("acta", "N° acta de traspaso", "Transfer record no.", width=12),
    ),
)

INFORMES = SheetLayout(
    key="informes", es="Informes", en="Reports", kind="table", table_name="Informes",
    tab_color="C00000", title_es="Informes de avance de la ejecución de planes",
    row_key=("n",),
    title_en="Progress reports",
    help_es="Cada informe se entrega en su mes de ejecución y se aprueba con un acta de "
            "supervisión.",
    columns=(
        Column("n", "N°", "No.", T.INTEGER, required=True, width=6),
        Column("mes", "Mes de ejecución", "Execution month", T.INTEGER, required=True,
               width=11),
        Column("fecha_comprometida", "Fecha comprometida", "Due date", T.DATE, width=13),
        Column("fecha_entrega", "Fecha de entrega", "Submitted on", T.DATE, width=13),
        Column("estado", "Estado", "Status", T.CHOICE, required=True, choices=REPORT_STATUS,
               width=12),
        Column("fecha_aprobacion", "Fecha de aprobación", "Approved on", T.DATE, width=13),
        Column("acta_supervision", "N° acta de supervisión", "Supervision record no.",
               width=14),
        Column("observaciones", "Observaciones", "Notes", width=34),
    ),
)

VERIFICADORES = SheetLayout(
    key="verificadores", es="Verificadores", en="Evidence", kind="table",
    table_name="Verificadores", tab_color="7F6000", row_key=("codigo", "verificador"),
    # A colour per state, and pending documents past their due date highlighted.
    row_status="estado", row_due="vence", closed_statuses=VERIFIER_STATES[1:],
    title_es="Verificadores: los documentos que prueban cada actividad",
    title_en="Evidence documents of each activity",
    help_es="Una fila por documento que la guía exige a cada actividad. «Vence» se calcula "
            "desde la fecha de inicio del convenio. Al entregarlo o ser aprobado, cambie el "
            "estado y escriba la fecha y el archivo (junto al libro) o el enlace.",
    columns=(
        Column("n", "N°", "No.", T.INTEGER, width=6),
        Column("codigo", "N° actividad", "Activity no.", required=True, width=9),
        Column("actividad", "Actividad", "Activity", width=30),
        Column("verificador", "Verificador", "Evidence", required=True, width=44),
        Column("vence", "Vence", "Due", T.DATE, width=12,
               help_es="Calculada desde la fecha de inicio del convenio"),
        Column("estado", "Estado", "Status", T.CHOICE, required=True, choices=VERIFIER_STATES,
               width=12),
        Column("fecha", "Fecha de entrega o aprobación", "Delivered or approved on", T.DATE,
               width=13),
        Column("archivo", "Archivo o enlace", "File or link", width=34,
               help_es="Nombre del archivo (en la carpeta del libro) o enlace"),
        Column("observaciones", "Observaciones", "Notes", width=30),
    ),
)

PROCEDIMIENTO = SheetLayout(
    key="procedimiento", es="Procedimiento interno", en="Internal procedure", kind="table",
    table_name="ProcedimientoInterno", tab_color="806000", row_key=("elemento",),
    title_es="Procedimiento interno del Ecomercado: lista de control",
    title_en="Internal procedure checklist",
    help_es="Lo que el procedimiento interno debe contener, al menos. Marque «Sí» lo que el "
            "documento ya incluye; su fecha va en la hoja Programa y es anterior a la primera "
            "socialización.",
    columns=(
        Column("n", "N°", "No.", T.INTEGER, width=6),
        Column("elemento", "Elemento", "Item", required=True, width=62),
        Column("incluido", "Incluido", "Included", T.BOOL, width=10),
        Column("detalle", "Dónde / detalle", "Where / detail", width=40),
    ),
)

VALIDACION = SheetLayout(
    key="validacion", es="Validación", en="Validation", kind="table", table_name="Validacion",
    tab_color="FF0000", output_only=True,
    title_es="Resultado de la validación", title_en="Validation results",
    help_es="Esta hoja la reescribe minga en cada validación: no escriba en ella.",
    columns=(
        Column("regla", "Regla", "Rule", width=18),
        Column("severidad", "Severidad", "Severity", T.CHOICE, choices=SEVERITIES, width=12),
        Column("hoja", "Hoja", "Sheet", width=22),
        Column("celda", "Celda", "Cell", width=9),
        Column("clave", "Clave de fila", "Row key", width=16),
        Column("mensaje", "Mensaje", "Message", width=60),
        Column("correccion", "Cómo corregir", "How to fix", width=50),
        Column("fuente", "Fuente", "Source", width=30),
    ),
)

#: The workbook's sheets, in tab order.
ECOMERCADO_LAYOUTS: tuple[SheetLayout, ...] = (
    PROGRAMA, GANTT, SEGUIMIENTO_TRABAJO, SEGUIMIENTO_COMUNICACIONES, PRIORIZACION, SESIONES,
    INTEGRANTES, ORGANIZACIONES, INVENTARIO, INFORMES, VERIFICADORES, PROCEDIMIENTO, VALIDACION,
)
LISTS_SHEET = "Listas"
