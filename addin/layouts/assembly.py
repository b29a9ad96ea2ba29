"""The sheets of a one-day assembly: agenda of momentos, unified registration form (with the
groups minga assigns), and the work plan of each thematic table (mesa).

Seed: Asambleas regionales de economía solidaria, popular y comunitaria — PIT Arauca.
"""

from __future__ import annotations

from addin.layouts import forms
from addin.layouts.ecomercado import VALIDACION
from addin.layouts.model import Column, SheetLayout
from addin.layouts.model import ColumnType as T

#: What a slot of the agenda is: a break («receso», lunch) may leave the plenary; registration
#: may open before the announced start.
SLOT_KINDS = ("Actividad", "Receso", "Registro")
BREAK, REGISTRATION = SLOT_KINDS[1], SLOT_KINDS[2]
SEXES = ("Mujer", "Hombre", "Otro", "Prefiere no decir")
ORGANISATION_KINDS = (
    "Economía popular", "Economía solidaria", "Economía comunitaria",
    "Organización priorizada en el convenio", "Institución pública", "Otra",
)

PROGRAMA_ASAMBLEA = forms.form(
    "Datos de la asamblea", "Assembly data",
    "Complete los datos de la asamblea. La jornada anunciada (hora de inicio y de término) y "
    "el alcance vienen del programa: cámbielos si la convocatoria dice otra cosa.",
    (
        Column("nombre", "Asamblea", "Assembly", width=46),
        Column("convenio", "Convenio", "Agreement"),
        Column("fecha", "Fecha de la asamblea", "Assembly date", T.DATE),
        Column("lugar", "Lugar", "Venue"),
        Column("hora_inicio", "Hora de inicio de la jornada", "Day starts at", T.TIME,
               required=True),
        Column("hora_termino", "Hora de término de la jornada", "Day ends at", T.TIME,
               required=True),
        Column("alcance", "Alcance (personas)", "Reach (people)", T.INTEGER, required=True),
        forms.CUTOFF,
        # Who runs it and where: seed 002's assemblies are regional («PIT ARAUCA») and
        # «Corresponde al cooperante su difusión y la garantía de inscripción».
        Column("region", "Región", "Region"),
        Column("ejecutor", "Cooperante (ejecutor)", "Executing partner", width=30),
    ),
)

AGENDA = SheetLayout(
    key="agenda", es="Agenda", en="Agenda", kind="table", table_name="Agenda",
    tab_color="8E44AD", title_es="Agenda de la asamblea: momentos", title_en="Assembly agenda",
    row_key=("momento",),  # «N°» renumbers when a moment is inserted
    help_es="Un momento por fila, en orden. Las horas caen dentro de la jornada anunciada, sin "
            "superponerse ni dejar huecos (un receso o el almuerzo van en su propia fila, tipo "
            "«Receso»; la inscripción, tipo «Registro», puede empezar antes).",
    columns=(
        Column("n", "N°", "No.", T.INTEGER, width=5),
        Column("momento", "Momento", "Moment", required=True, width=30),
        Column("tipo", "Tipo", "Kind", T.CHOICE, choices=SLOT_KINDS, width=11),
        Column("inicio", "Inicio", "Start", T.TIME, required=True, width=8),
        Column("termino", "Término", "End", T.TIME, required=True, width=8),
        Column("objetivo", "Objetivo", "Objective", width=34),
        Column("metodologia", "Metodología", "Methodology", width=40),
        Column("responsable", "Responsable", "Responsible", width=20),
    ),
)

INSCRIPCION = SheetLayout(
    key="inscripcion", es="Inscripción", en="Registration", kind="table",
    table_name="Inscripcion", tab_color="D35400",
    title_es="Formulario unificado de inscripción", title_en="Unified registration form",
    row_key=("documento",),  # blank: the name (the required column) says who
    help_es="Una fila por persona inscrita. Grupo, mesa, subgrupo y líder los asigna "
            "`minga agrupar` (grupos de 100, subgrupos de 20, un líder por subgrupo).",
    columns=(
        Column("n", "N°", "No.", T.INTEGER, width=6),
        Column("nombre", "Nombre", "Name", required=True, width=28),
        Column("documento", "Documento", "ID document", width=13),
        Column("sexo", "Sexo", "Sex", T.CHOICE, choices=SEXES, width=11),
        Column("edad", "Edad", "Age", T.INTEGER, bounds=(10, 120), width=7),
        Column("organizacion", "Organización o colectivo", "Organisation", width=28),
        Column("tipo_organizacion", "Tipo de organización", "Organisation type", T.CHOICE,
               choices=ORGANISATION_KINDS, width=22),
        Column("territorio", "Municipio / territorio", "Municipality / territory", width=18),
        Column("telefono", "Teléfono", "Phone", width=14),
        Column("correo", "Correo", "E-mail", width=22),
        Column("conoce_pit", "Conoce el PIT / participó antes", "Knows the PIT", T.BOOL,
               width=13, help_es="Se prefiere como líder de subgrupo a quien conoce el PIT"),
        Column("grupo", "Grupo", "Group", T.INTEGER, width=7),
        Column("mesa", "Mesa", "Table", width=10),
        Column("subgrupo", "Subgrupo", "Subgroup", width=9),
        Column("lider", "Líder del subgrupo", "Subgroup leader", T.BOOL, width=10),
    ),
)

PLAN_MESAS = SheetLayout(
    key="plan_mesas", es="Plan de mesas", en="Tables work plan", kind="table",
    table_name="PlanMesas", tab_color="16A085",
    title_es="Plan de trabajo de las mesas: necesidad, solución cooperativa, ¿quién? ¿cómo? "
             "¿cuándo?", title_en="Work plan of the thematic tables",
    row_key=("mesa", "subgrupo"),  # at most two needs a subgroup: paired in order
    help_es="Una fila por necesidad (una o máximo dos por subgrupo), con su solución basada en "
            "la cooperación entre organizaciones y el plan: ¿quién?, ¿cómo?, ¿cuándo?",
    columns=(
        Column("mesa", "Mesa", "Table", T.CHOICE, choices_from="mesas", width=30),
        Column("subgrupo", "Subgrupo", "Subgroup", width=9),
        Column("necesidad", "Necesidad", "Need", width=30),
        Column("solucion", "Solución cooperativa", "Cooperative solution", width=30),
        Column("quien", "¿Quién?", "Who?", width=20),
        Column("como", "¿Cómo?", "How?", width=26),
        Column("cuando", "¿Cuándo?", "When?", width=14),
        Column("vocero", "Vocero/a", "Spokesperson", width=20),
    ),
)

ASSEMBLY_LAYOUTS: tuple[SheetLayout, ...] = (
    PROGRAMA_ASAMBLEA, AGENDA, INSCRIPCION, PLAN_MESAS, VALIDACION,
)
