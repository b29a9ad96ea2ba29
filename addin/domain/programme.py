"""Programme definitions: the parameters of a programme's rules, as validated data.

A programme (e.g. Ecomercados Solidarios, convenio de 15 meses) is described by a YAML file:
its calendar, stages and activities with their windows, products and verifiers, minimum
session counts, meeting cadences, plans with their ámbitos, report months.  The built-in
definitions ship in ``addin/programmes``; a user can pass the path of their own file, which may
``extends:`` a built-in one and override only what differs (activities merge by ``key``).

Keys are English (a machine schema); values users see are Spanish.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import sys
from dataclasses import field
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from addin.domain.lean import dataclass
from addin.domain.wording import plural
from addin.errors import MingaError

try:  # CPython's own SHA-256, as ``random`` takes its SHA-512: ``hashlib`` would load OpenSSL
    from _sha2 import sha256  # type: ignore[import-not-found]  # Python ≥ 3.12
except ImportError:  # pragma: no cover - the interpreter decides
    try:
        from _sha256 import sha256  # type: ignore[import-not-found,no-redef]  # Python 3.11
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment]

try:  # the C unpickler alone: loading the ``pickle`` module around it costs a press ~2 ms
    from _pickle import loads as unpickle
except ImportError:  # pragma: no cover - an interpreter without it
    from pickle import loads as unpickle

if TYPE_CHECKING:
    import yaml
    from pydantic import AfterValidator, BeforeValidator, Field, TypeAdapter, ValidationError

# The definitions are frozen dataclasses, validated by pydantic where they enter (a YAML file, a
# workbook's stored text): pydantic reads the constraints from the annotations
# (``Annotated[int, Field(ge=1)]``), which stay text until it builds its validator (``_adapter``),
# so a «Validar» press whose definition is kept validated (``_cached``) never imports pydantic.


def _model(cls: type[Any]) -> Any:
    """A definition class: frozen, fields by name, and (for pydantic) unknown fields refused."""
    cls.__pydantic_config__ = {"extra": "forbid"}  # type: ignore[attr-defined]
    return dataclass(frozen=True, kw_only=True)(cls)


class Phase(StrEnum):
    """The three phases of a convenio, the top header of the source carta Gantt."""

    START = "inicio"
    EXECUTION = "ejecucion"
    CLOSING = "cierre"


PHASE_LABELS: dict[Phase, str] = {
    Phase.START: "Inicio del proyecto",
    Phase.EXECUTION: "Ejecución de la intervención",
    Phase.CLOSING: "Cierre administrativo",
}


@_model
class Calendar:
    """How many months each phase lasts and how many Gantt week columns a month has."""

    start_months: Annotated[int, Field(ge=0, le=12)] = 1
    execution_months: Annotated[int, Field(ge=1, le=60)]
    closing_months: Annotated[int, Field(ge=0, le=12)] = 1
    weeks_per_month: Annotated[int, Field(ge=1, le=5)] = 4

    @property
    def total_months(self) -> int:
        return self.start_months + self.execution_months + self.closing_months

    @property
    def total_weeks(self) -> int:
        return self.total_months * self.weeks_per_month

    def phase_of(self, convenio_month: int) -> Phase:
        """Phase of a 1-based convenio month."""
        if convenio_month <= self.start_months:
            return Phase.START
        if convenio_month <= self.start_months + self.execution_months:
            return Phase.EXECUTION
        return Phase.CLOSING


def _positive_month(value: int | str) -> int | str:
    if isinstance(value, int) and value < 1:
        raise ValueError("el mes debe ser 1 o mayor")
    return value


@_model
class WeekRef:
    """A week column: month ``month`` (of ``phase``; ``"last"`` = its last month), week ``week``."""

    month: Annotated[int | Literal["last"], AfterValidator(_positive_month)]
    week: Annotated[int, Field(ge=1, le=5)] = 1
    phase: Phase = Phase.EXECUTION


@_model
class Window:
    """The span of an activity in the schedule, inclusive at both ends."""

    start: WeekRef
    end: WeekRef
    note: str | None = None


class ActivityKind(StrEnum):
    TASK = "actividad"
    MILESTONE = "hito"


@_model
class Verifier:
    """A document that proves an activity happened: a row of the Verificadores sheet.

    Written in a programme file as a name, or as a mapping when it needs more.
    """

    name: str
    #: When it is due: at the ``start`` or the ``end`` of its activity's window, or a week.
    due: Literal["start", "end"] | WeekRef = "end"
    #: False for evidence recorded elsewhere (a session's attendance list in Sesiones, the
    #: matrices of this workbook): it is listed in the activity's note, not in Verificadores.
    tracked: bool = True
    source: str = ""

    def __str__(self) -> str:
        return self.name


def _verifier_from_name(value: Any) -> Any:
    """A verifier written as its name alone."""
    return {"name": value} if isinstance(value, str) else value


@_model
class Activity:
    """An activity or milestone of the carta Gantt, with the weeks it spans."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    code: Annotated[str, Field(pattern=r"^\d+(\.\d+)*$")]
    name: str
    kind: ActivityKind = ActivityKind.TASK
    window: Window
    responsible: str = ""
    mandatory: bool = True
    #: N° of the progress report (informe de avance) this milestone is; due in its window's
    #: end month.
    report: Annotated[int | None, Field(ge=1)] = None
    products: tuple[str, ...] = ()
    verifiers: tuple[Annotated[Verifier, BeforeValidator(_verifier_from_name)], ...] = ()
    source: str = ""

    @property
    def tracked_verifiers(self) -> list[Verifier]:
        return [v for v in self.verifiers if v.tracked]


@_model
class Stage:
    """A numbered group of activities (an «etapa» of the carta Gantt)."""

    code: Annotated[str, Field(pattern=r"^\d+$")]
    name: str
    activities: tuple[Activity, ...]


#: Evidence a session can have: the Sesiones columns that record it.
Evidence = Literal["lista_asistencia", "registro_audiovisual"]
#: Who can take part in a session besides the body that leads it (a Sesiones column each).
Participant = Literal["Grupo Motor", "Consejo Local", "Municipio", "Comunidad organizada",
                      "Donantes"]


@_model
class SessionType:
    """A kind of session (row of the Sesiones sheet) and what the programme requires of it."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    label: str
    activity: str | None = None
    #: Sessions the guide demands («al menos N sesiones»): fewer is an error.
    minimum: Annotated[int, Field(ge=0)] = 0
    #: Sessions the guide recommends («se recomienda»): fewer is a warning.
    recommended: Annotated[int, Field(ge=0)] = 0
    #: Evidence the guide accepts for each session of this type; any one of them is enough
    #: («lista de asistencia y/o registro audiovisual»).  Empty: the guide asks for none.
    evidence: tuple[Evidence, ...] = ()
    #: The session needs its acta («acta de registro de conformación», «acta de acuerdos»).
    acta: bool = False
    #: The bodies that may lead it (the «Instancia» column), e.g. «FOSIS (ADL)».
    led_by: tuple[str, ...] = ()
    #: Who must take part in each session («donde participe municipio, Grupo Motor y …»).
    participants: tuple[Participant, ...] = ()
    #: Session types whose first session comes before this type's first session.
    after: tuple[str, ...] = ()
    #: An activity that may not start before one session of this type (e.g. validating the
    #: plan before implementing it).
    before_activity: str | None = None
    #: Sessions fall inside their activity's window (give or take the tolerance).
    check_window: bool = True
    tolerance_days: Annotated[int | None, Field(ge=0)] = None
    source: str = ""


@_model
class Cadence:
    """A body that must meet at least once every ``every_months`` from its constitution."""

    body: str
    session_type: str
    every_months: Annotated[int, Field(ge=1)]
    #: The Programa field holding the body's constitution date, where the cadence starts.
    constituted_field: str
    #: The activity that constitutes the body: before it ends, no date is expected.
    constituted_in: str
    #: Sessions of these types also count as meetings (e.g. the constitution session); so
    #: does any session in which the body took part (its «Participa …» column).
    also_counts: tuple[str, ...] = ()
    #: The session type of the body's constitution (its date may also be in Programa).
    constitution_session: str | None = None
    source: str = ""


def _one_or_more(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


@_model
class Plan:
    """A plan the programme asks for (a sheet of its own): who leads it and what it covers."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: str
    #: The bodies that may lead the plan's sessions («Grupo Motor y/o comunidad organizada»):
    #: any one of them is right.  A single name is accepted too.
    led_by: Annotated[tuple[str, ...], BeforeValidator(_one_or_more), Field(min_length=1)]
    sheet: str
    scopes: tuple[str, ...]
    required_fields: tuple[str, ...]
    #: The carta Gantt activity that implements the plan: its % done is the plan's progress
    #: rolled up from the seguimiento matrix (``minga seguimiento``).
    activity: str | None = None
    source: str = ""

    @property
    def leaders(self) -> str:
        """The leading bodies in words: «Grupo Motor o Comunidad organizada»."""
        return " o ".join(self.led_by)


#: The sheets a programme's workbook has (``addin/layouts/sets.py``): the Ecomercado workbook,
#: an indicator matrix, a one-day assembly, or a staged roadmap with a savings fund.
LayoutSet = Literal["ecomercado", "indicadores", "asamblea", "ruta"]
#: Groups of rules (``addin/domain/rules``); a programme runs those its definition names.
RuleSet = Literal["ecomercado", "cronograma", "indicadores", "asamblea", "ruta"]


@_model
class Indicator:
    """A results indicator: a row of the Indicadores sheet, with its targets.

    ``target_kind`` follows the source's words: «al menos» (at least) makes the target a
    floor, an error when missed; a target the project «aims» at is a goal, a warning with its
    gap.  Actuals are per period unless ``cumulative`` (then each period repeats the running
    total, and the latest one is the achievement).
    """

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    code: Annotated[str, Field(min_length=1, max_length=12)]
    name: str
    unit: str = "personas"
    baseline: Annotated[float, Field(ge=0)] = 0
    target: Annotated[float | None, Field(ge=0)] = None
    target_kind: Literal["minimo", "meta"] = "meta"
    women_share: Annotated[float | None, Field(ge=0, le=1)] = None
    cumulative: bool = False
    #: Life-of-project target per district/territory («4 from La Victoria and 4 from El
    #: Agustino»): they add up to ``target``.
    territory_targets: dict[str, float] = field(default_factory=dict)
    #: The parts the stated total breaks into («208 recursos: 72 artículos, 62 acciones…»).
    components: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        """The territories' targets add up to the indicator's."""
        if self.territory_targets and self.target is not None:
            parts = sum(self.territory_targets.values())
            if abs(parts - self.target) > 1e-9:
                raise ValueError(f"las metas por territorio del indicador «{self.key}» suman "
                                 f"{parts:g}, no su meta {self.target:g}")

    @property
    def women_target(self) -> float | None:
        """Women the target implies (75 × 40 % = 30), rounded to whole people."""
        if self.target is None or self.women_share is None:
            return None
        return float(round(self.target * self.women_share))


def _yaml_clock(value: Any) -> Any:
    """YAML reads an unquoted 8:00 as 480 (base 60): that is 8 hours, not 480 seconds."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value < 24 * 60:
            raise ValueError("escriba la hora entre comillas, p. ej. \"08:00\"")
        return time(value // 60, value % 60)
    return value


@_model
class Assembly:
    """A one-day assembly: the announced day, its reach, groups and thematic tables (mesas)."""

    day_start: Annotated[time, BeforeValidator(_yaml_clock)]
    day_end: Annotated[time, BeforeValidator(_yaml_clock)]
    reach: Annotated[int, Field(ge=1)]
    groups: Annotated[int, Field(ge=1)]
    group_size: Annotated[int, Field(ge=1)]
    subgroup_size: Annotated[int, Field(ge=1)]
    mesas: Annotated[tuple[str, ...], Field(min_length=1)]
    #: Registration may open this many minutes before the announced start.
    registration_lead_minutes: Annotated[int, Field(ge=0, le=240)] = 30
    #: A gap between two slots up to this long is not a gap («7:59» then «8:00»).
    gap_tolerance_minutes: Annotated[int, Field(ge=0, le=60)] = 1
    #: Needs each subgroup identifies («una necesidad o máximo 2»).
    max_needs_per_subgroup: Annotated[int, Field(ge=1)] = 2
    source: str = ""

    def __post_init__(self) -> None:
        if self.day_end <= self.day_start:
            raise ValueError("la jornada debe terminar después de empezar")
        if self.groups * self.group_size < self.reach:
            raise ValueError(f"{self.groups} grupos de {self.group_size} no alcanzan para "
                             f"las {self.reach} personas del alcance")
        if self.group_size % self.subgroup_size:
            raise ValueError(f"los grupos de {self.group_size} no se dividen en subgrupos "
                             f"de {self.subgroup_size}")

    @property
    def subgroups_per_group(self) -> int:
        return self.group_size // self.subgroup_size


@_model
class SavingsFund:
    """A community savings fund: its target and what withdrawals may pay for."""

    target: Annotated[float, Field(gt=0)]
    currency: str = "PEN"
    #: The declared purposes a withdrawal may have (water and sanitation improvements).
    purposes: Annotated[tuple[str, ...], Field(min_length=1)]
    associations: tuple[str, ...] = ()
    source: str = ""


#: What a programme file may set a rule's severity to; «off» turns the rule off.
RuleSeverity = Literal["error", "warning", "info", "off"]


def _rule_ids(value: dict[str, str]) -> dict[str, str]:
    bad = [k for k in value if not re.fullmatch(r"[A-Z]+-\d{2}", k)]
    if bad:
        raise ValueError(f"no son identificadores de regla (ej. SES-07): {', '.join(bad)}")
    return value


@_model
class ProgrammeDefinition:
    """A whole programme: its calendar, activities, sessions, plans and rules, as its YAML
    says; the one thing workbooks are built from and judged against."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    name: str
    #: One line in Spanish, for `minga programas`.
    description: str = ""
    #: The sheets of its workbook and the rules that judge it (default: the Ecomercado ones).
    layouts: LayoutSet = "ecomercado"
    rule_sets: tuple[RuleSet, ...] = ()
    convenio_label: str = ""
    source: str
    calendar: Calendar | None = None
    stages: tuple[Stage, ...] = ()
    #: The carta Gantt's title, when it is not the Ecomercado one (a staged roadmap).
    gantt_title: str = ""
    indicators: tuple[Indicator, ...] = ()
    #: Districts or territories actuals are disaggregated by (the Avance dropdown).
    territories: tuple[str, ...] = ()
    #: Reporting periods (the Avance dropdown), e.g. «Semestre 1».
    periods: tuple[str, ...] = ()
    assembly: Assembly | None = None
    savings_fund: SavingsFund | None = None
    session_types: tuple[SessionType, ...] = ()
    cadences: tuple[Cadence, ...] = ()
    plans: tuple[Plan, ...] = ()
    grupo_motor_min_members: Annotated[int, Field(ge=1)] = 5
    #: How many days a session may fall outside its activity's window (SES-07).
    session_tolerance_days: Annotated[int, Field(ge=0)] = 7
    internal_procedure_contents: tuple[str, ...] = ()
    #: Severity overrides by rule id (``SES-07: error``, ``INT-05: off``): the guide's words
    #: set the defaults, a regional agreement may change them.
    severities: Annotated[dict[str, RuleSeverity], AfterValidator(_rule_ids)] = field(
        default_factory=dict)

    def __post_init__(self) -> None:
        self._has_its_parts()
        self._consistent()

    @property
    def active_rule_sets(self) -> tuple[str, ...]:
        """The rule sets that judge this programme: those named, else its layouts' own."""
        return self.rule_sets or (self.layouts,)

    def _has_its_parts(self) -> None:
        """Each kind of workbook needs the part of the definition its sheets are built from."""
        needs = {"ecomercado": ("calendar", self.calendar), "ruta": ("calendar", self.calendar),
                 "indicadores": ("indicators", self.indicators or None),
                 "asamblea": ("assembly", self.assembly)}
        field, value = needs[self.layouts]
        if value is None:
            raise ValueError(f"un programa con «layouts: {self.layouts}» necesita «{field}»")
        if self.activities and self.calendar is None:
            raise ValueError("las etapas y actividades necesitan «calendar»")
        seen: set[str] = set()
        for indicator in self.indicators:
            if indicator.code in seen:
                raise ValueError(f"el código de indicador «{indicator.code}» está repetido")
            seen.add(indicator.code)
            unknown = [t for t in indicator.territory_targets if t not in self.territories]
            if unknown:
                raise ValueError(f"el indicador «{indicator.key}» tiene metas para territorios "
                                 f"que no están en «territories»: {', '.join(unknown)}")

    def _consistent(self) -> None:
        keys: set[str] = set()
        codes: set[str] = set()
        for activity in self.activities:
            if activity.key in keys:
                raise ValueError(f"la actividad «{activity.key}» está repetida")
            if activity.code in codes:
                raise ValueError(f"el código «{activity.code}» está repetido")
            keys.add(activity.key)
            codes.add(activity.code)
            for ref in (activity.window.start, activity.window.end):
                self._check_ref(activity, ref)
        numbers = [a.report for a in self.reports]
        if len(set(numbers)) != len(numbers):
            raise ValueError("hay dos informes de avance con el mismo número")
        session_keys = {s.key for s in self.session_types}
        for kind in self.session_types:
            for activity_key in (kind.activity, kind.before_activity):
                if activity_key is not None and activity_key not in keys:
                    raise ValueError(f"el tipo de sesión «{kind.key}» se refiere a una "
                                     f"actividad desconocida: «{activity_key}»")
            unknown = [k for k in kind.after if k not in session_keys]
            if unknown:
                raise ValueError(f"el tipo de sesión «{kind.key}» va después de tipos "
                                 f"desconocidos: {', '.join(unknown)}")
        for plan in self.plans:
            if plan.activity is not None and plan.activity not in keys:
                raise ValueError(f"el plan «{plan.key}» se refiere a una actividad "
                                 f"desconocida: «{plan.activity}»")
        for cadence in self.cadences:
            if cadence.constituted_in not in keys:
                raise ValueError(f"la cadencia de «{cadence.body}» se refiere a una actividad "
                                 f"desconocida: «{cadence.constituted_in}»")
            for key in (cadence.session_type, *cadence.also_counts,
                        *filter(None, [cadence.constitution_session])):
                if key not in session_keys:
                    raise ValueError(f"la cadencia de «{cadence.body}» usa un tipo de sesión "
                                     f"desconocido: «{key}»")

    def _check_ref(self, activity: Activity, ref: WeekRef) -> None:
        if self.calendar is None:
            return  # said once by _has_its_parts
        months = {
            Phase.START: self.calendar.start_months,
            Phase.EXECUTION: self.calendar.execution_months,
            Phase.CLOSING: self.calendar.closing_months,
        }[ref.phase]
        if ref.month != "last" and ref.month > months:
            raise ValueError(
                f"la actividad «{activity.key}» usa el mes {ref.month} de la fase "
                f"{ref.phase.value}, que tiene {months} meses"
            )
        if ref.week > self.calendar.weeks_per_month:
            raise ValueError(f"la actividad «{activity.key}» usa la semana {ref.week}, pero "
                             f"cada mes tiene {self.calendar.weeks_per_month} semanas")

    @property
    def activities(self) -> list[Activity]:
        return [a for stage in self.stages for a in stage.activities]

    @property
    def reports(self) -> list[Activity]:
        """The progress-report milestones, by number."""
        return sorted((a for a in self.activities if a.report is not None),
                      key=lambda a: a.report or 0)

    def month_number(self, ref: WeekRef) -> int:
        """The month number of a reference within its phase («last» resolved)."""
        if ref.month != "last":
            return ref.month
        cal = self.calendar
        if cal is None:
            raise ValueError(f"el programa «{self.id}» no tiene calendario")
        return {Phase.START: cal.start_months, Phase.EXECUTION: cal.execution_months,
                Phase.CLOSING: cal.closing_months}[ref.phase]

    def session_type(self, key: str) -> SessionType:
        for kind in self.session_types:
            if kind.key == key:
                return kind
        raise KeyError(key)

    def activity(self, key: str) -> Activity:
        for activity in self.activities:
            if activity.key == key:
                return activity
        raise KeyError(key)


# --- loading -----------------------------------------------------------------------------

BUILTIN_PACKAGE = "addin.programmes"


def _builtin_folder() -> Any:
    """The package of built-in definitions: its folder, when minga is installed as files (as
    it always is but inside a zip), found without loading ``importlib.resources`` (a few ms of
    every press); else what ``importlib.resources`` finds."""
    folder = Path(__file__).parent.parent.joinpath(*BUILTIN_PACKAGE.split(".")[1:])
    if (folder / "__init__.py").is_file():
        return folder
    from importlib import resources

    return resources.files(BUILTIN_PACKAGE)


def builtin_ids() -> list[str]:
    """Ids of the definitions shipped inside the package."""
    return sorted(p.name.removesuffix(".yaml") for p in _builtin_folder().iterdir()
                  if p.name.endswith(".yaml") and not p.name.startswith("_"))


def builtin_text(programme_id: str) -> str:
    return _builtin_folder().joinpath(f"{programme_id}.yaml").read_text("utf-8")


def _merge(base: Any, override: Any) -> Any:
    """Deep-merge ``override`` into ``base``; lists of mappings with ``key`` merge by key."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for k, v in override.items():
            merged[k] = _merge(base[k], v) if k in base else copy.deepcopy(v)
        return merged
    if (isinstance(base, list) and isinstance(override, list)
            and all(isinstance(i, dict) and "key" in i for i in base + override)):
        by_key = {i["key"]: i for i in base}
        merged_list = [_merge(i, next((o for o in override if o["key"] == i["key"]), {}))
                       for i in base]
        merged_list += [copy.deepcopy(o) for o in override if o["key"] not in by_key]
        return merged_list
    return copy.deepcopy(override)


def _merge_activities(base: dict[str, Any], overrides: dict[str, Any]) -> None:
    """Apply ``activities: {key: {...}}`` overrides to the stages of ``base`` in place."""
    found: set[str] = set()
    for stage in base.get("stages", []):
        activities = stage.get("activities", []) if isinstance(stage, dict) else []
        for i, activity in enumerate(activities if isinstance(activities, list) else []):
            # Anything malformed is left for pydantic, which names its line in Spanish.
            if isinstance(activity, dict) and activity.get("key") in overrides:
                stage["activities"][i] = _merge(activity, overrides[activity["key"]])
                found.add(activity["key"])
    unknown = sorted(set(overrides) - found)
    if unknown:
        raise MingaError(
            f"La definición modifica actividades que no existen en el programa base: "
            f"{', '.join(unknown)}.",
            fix="Revise las claves bajo «activities» (use `minga programas --exportar ID` "
                "para ver las claves del programa base).",
        )


#: The YAML node tree of each programme file read, by origin (a built-in id or «path»): pydantic
#: reports errors on plain data, and these trace them back to a line of the user's file.
_NODES: dict[str, yaml.Node | None] = {}


def _load(text: str, loader_class: type[Any]) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _read_yaml(text: str, origin: str) -> dict[str, Any]:
    import yaml

    from addin.domain.yaml_errors import duplicate_keys, syntax_message

    # libyaml's loader where PyYAML has it: the same nodes and line marks as the pure-Python
    # one, five times faster.
    fast_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        try:
            node, data = _load(text, fast_loader)
        except yaml.YAMLError:  # worded by the pure-Python parser, as users have always seen
            node, data = _load(text, yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise MingaError(f"El archivo de programa {origin} no es YAML válido"
                         f"{syntax_message(exc, text)}",
                         fix="Corrija esa línea (la sangría va con espacios, no tabuladores; un "
                             "texto con «:» va entre comillas).") from None
    repeated = duplicate_keys(node)
    if repeated:
        key, first, again = repeated[0]
        raise MingaError(f"El archivo de programa {origin} repite el campo «{key}» en la línea "
                         f"{again} (ya estaba en la línea {first}).",
                         fix="Deje uno solo: el segundo reemplazaría al primero sin aviso.")
    _NODES.pop(origin, None)
    _NODES[origin] = node
    while len(_NODES) > 16:
        del _NODES[next(iter(_NODES))]
    if not isinstance(data, dict):
        raise MingaError(f"El archivo de programa {origin} no contiene una definición.",
                         fix="El archivo debe ser un mapa YAML con «id», «calendar», «stages»…")
    return data


def _resolve(data: dict[str, Any], origin: str, depth: int = 0) -> dict[str, Any]:
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if depth > 5:
        raise MingaError(f"La definición {origin} se extiende a sí misma en cadena.")
    if parent not in builtin_ids():
        raise MingaError(f"La definición {origin} extiende un programa desconocido: «{parent}».",
                         fix=f"Use uno de: {', '.join(builtin_ids())}.")
    base = _resolve(_read_yaml(builtin_text(parent), parent), parent, depth + 1)
    activity_overrides = data.pop("activities", {}) or {}
    if not isinstance(activity_overrides, dict) or not all(
            isinstance(v, dict) for v in activity_overrides.values()):
        raise MingaError(f"En {origin}, «activities» debe ser un mapa de clave de actividad a "
                         "sus cambios (p. ej. «priorizacion: {window: …}»).",
                         fix="Use `minga programas --exportar ID` para ver las claves del "
                             "programa base.")
    if not isinstance(data.get("stages", []), list):
        raise MingaError(f"En {origin}, «stages» debe ser una lista de etapas.",
                         fix="Copie la estructura de `minga programas --exportar ID`.")
    merged = _merge(base, data)
    _merge_activities(merged, activity_overrides)
    return merged


def _format_validation_error(exc: ValidationError, origin: str) -> MingaError:
    """pydantic's errors in Spanish, each with its line in the file and its 1-based field path."""
    from addin.domain.yaml_errors import validation_lines

    lines = validation_lines(exc.errors(), _NODES.get(origin), _NODES)
    more = f"\n  … y {plural(len(lines) - 8, 'error más', 'errores más')}" if len(lines) > 8 \
        else ""
    return MingaError(
        f"La definición de programa {origin} no es válida:\n" + "\n".join(lines[:8]) + more,
        fix="Corrija esos campos; `minga programas --exportar ecomercado-15m` muestra un "
            "ejemplo completo.",
    )


_ADAPTER: list[TypeAdapter[ProgrammeDefinition]] = []


def _adapter() -> TypeAdapter[ProgrammeDefinition]:
    """pydantic's validator and serialiser of definitions, built on first use."""
    if not _ADAPTER:
        import pydantic

        # The names the classes' annotations use, for pydantic to resolve them (they are text
        # until now: importing this module imports no pydantic).
        globals().update(AfterValidator=pydantic.AfterValidator, Field=pydantic.Field,
                         BeforeValidator=pydantic.BeforeValidator)
        _ADAPTER.append(pydantic.TypeAdapter(ProgrammeDefinition))
    return _ADAPTER[0]


def validate_definition(data: Any, origin: str) -> ProgrammeDefinition:
    """A definition from plain data (parsed YAML), or a Spanish error naming file and lines."""
    from pydantic import ValidationError

    adapter = _adapter()
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise _format_validation_error(exc, origin) from None


def parse_definition(text: str, origin: str) -> ProgrammeDefinition:
    return validate_definition(_resolve(_read_yaml(text, origin), origin), origin)


# --- the cache of validated definitions ---------------------------------------------------
# Reading and validating a definition (YAML, then pydantic building its validators) costs more
# than judging a small workbook, and a «Validar» press meets the same few definitions every
# time: the built-in ones and those stored in workbooks, each named by the SHA-256 of its text.
# A validated definition is kept, pickled, under that digest and the digest of this module's
# source (the classes it is made of), pydantic's and Python's versions: any change to either
# text or code reads and validates afresh.  Only successes are kept; errors are always worded
# from the YAML.

#: The definitions this process already has, by cache key (a few at most).
_MEMO: dict[str, ProgrammeDefinition] = {}


def cache_folder() -> Path | None:
    """Where validated definitions are kept between runs: ``$MINGA_CACHE`` (empty: nowhere),
    else the user's cache folder (``$XDG_CACHE_HOME``, ``%LOCALAPPDATA%``, ``~/.cache``)."""
    chosen = os.environ.get("MINGA_CACHE")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    if base:
        return Path(base) / "minga"
    try:
        return Path.home() / ".cache" / "minga"
    except RuntimeError:  # no home folder: no cache, as before
        return None


_CODE_KEY: list[str] = []


def _code_key() -> str:
    """What a validated definition depends on besides its text."""
    if not _CODE_KEY:
        from importlib.util import find_spec

        digest = sha256(Path(__file__).read_bytes())
        digest.update(sys.version.encode())
        # pydantic's version, from its file: importing pydantic is what the cache avoids.
        spec = find_spec("pydantic")
        if spec is not None and spec.origin:
            with contextlib.suppress(OSError):
                digest.update(Path(spec.origin).with_name("version.py").read_bytes())
        _CODE_KEY.append(digest.hexdigest()[:20])
    return _CODE_KEY[0]


def _store(path: Path, data: bytes) -> None:
    """Keep a cache file if the folder lets us; a cache that cannot be written is no error."""
    from addin.fileio import atomic_write

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda tmp: tmp.write_bytes(data))
    except (OSError, MingaError):
        pass


def _cached(digest: str, validate: Any) -> ProgrammeDefinition:
    """The definition whose text has SHA-256 ``digest``: kept, or ``validate()`` and keep it."""
    key = f"{digest[:40]}-{_code_key()}"
    found = _MEMO.get(key)
    if found is not None:
        return found
    folder = cache_folder()
    path = folder / f"programa-{key}.pickle" if folder is not None else None
    kept: Any = None
    if path is not None:
        try:
            kept = unpickle(path.read_bytes())
        except Exception:  # absent, unreadable or damaged: validated afresh and rewritten
            kept = None
    if (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == digest
            and isinstance(kept[1], ProgrammeDefinition)):
        found = kept[1]
    else:
        found = validate()
        if path is not None:
            import pickle

            _store(path, pickle.dumps((digest, found), protocol=pickle.HIGHEST_PROTOCOL))
    _MEMO[key] = found
    while len(_MEMO) > 16:
        del _MEMO[next(iter(_MEMO))]
    return found


def builtin_programme(programme_id: str) -> ProgrammeDefinition | None:
    """A built-in definition by its id; None for any other text (never a path)."""
    if programme_id not in builtin_ids():
        return None
    text = builtin_text(programme_id)
    if re.search(r"^extends\s*:", text, re.MULTILINE):  # it depends on another file's text too
        return parse_definition(text, programme_id)
    return _cached(text_digest(text), lambda: parse_definition(text, programme_id))


#: A definition stored in a workbook is at most this long (the built-in ones are ~20 kB).
MAX_EMBEDDED = 256 * 1024


def _no_alias_load(text: str) -> Any:
    """safe_load without anchors and aliases: a stored definition cannot be a «YAML bomb»."""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError("alias no permitido")
            return super().compose_node(parent, index)

    return yaml.load(text, Loader=NoAliasLoader)


def embedded_text(definition: ProgrammeDefinition) -> str:
    """The whole definition as self-contained YAML, to store inside a workbook."""
    import yaml

    return yaml.safe_dump(_adapter().dump_python(definition, mode="json"), allow_unicode=True,
                          sort_keys=False, width=100)


def text_digest(text: str) -> str:
    return sha256(text.encode("utf-8")).hexdigest()


def is_builtin_unchanged(definition: ProgrammeDefinition) -> bool:
    """Whether the definition is a built-in one as shipped (a workbook may name it by id)."""
    builtin = builtin_programme(definition.id)
    return builtin is not None and builtin == definition


def parse_embedded(text: str, digest: str, origin: str) -> ProgrammeDefinition:
    """A definition stored inside a workbook: size-bounded, checked against its SHA-256,
    YAML without aliases, then the same validation as any definition file."""
    fix = ("Vuelva a crear el libro con `minga nuevo --programa ARCHIVO`, o indique el "
           "archivo del programa con --programa ARCHIVO.")
    if len(text) > MAX_EMBEDDED:
        raise MingaError(f"La definición de programa guardada en {origin} es demasiado "
                         "grande.", fix=fix)
    if text_digest(text) != digest:
        raise MingaError(f"La definición de programa guardada en {origin} fue modificada o "
                         "está incompleta (no coincide su huella SHA-256).", fix=fix)
    return _cached(digest, lambda: _validate_embedded(text, origin, fix))


def _validate_embedded(text: str, origin: str, fix: str) -> ProgrammeDefinition:
    import yaml

    try:
        data = _no_alias_load(text)
    except (yaml.YAMLError, RecursionError):
        raise MingaError(f"La definición de programa guardada en {origin} no es YAML "
                         "válido.", fix=fix) from None
    if not isinstance(data, dict) or "extends" in data:
        raise MingaError(f"La definición de programa guardada en {origin} no es válida.",
                         fix=fix)
    try:
        return validate_definition(data, origin)
    except RecursionError:
        raise MingaError(f"La definición de programa guardada en {origin} no es válida.",
                         fix=fix) from None


def load_programme(name_or_path: str | Path) -> ProgrammeDefinition:
    """A built-in definition by id, or the user's own definition file by path.

    Only for what the person running minga names (``--programa``): text read from a workbook
    goes through ``builtin_programme`` and never opens a file.
    """
    name = str(name_or_path)
    builtin = builtin_programme(name)
    if builtin is not None:
        return builtin
    path = Path(name)
    if path.suffix.lower() in {".yaml", ".yml"} or path.exists():
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            raise MingaError(f"No existe el archivo de programa «{path}».",
                             fix="Revise la ruta.") from None
        except UnicodeDecodeError:
            raise MingaError(f"El archivo de programa «{path}» no está guardado como texto "
                             "UTF-8.", fix="Ábralo en un editor de texto y guárdelo con "
                                           "codificación UTF-8.") from None
        except OSError as exc:
            from addin.fileio import describe_os_error

            raise MingaError(f"No se pudo leer el archivo de programa «{path}»: "
                             f"{describe_os_error(exc)}.", fix="Revise la ruta.") from None
        return parse_definition(text, f"«{path}»")
    raise MingaError(
        f"Programa desconocido: «{name}».",
        fix=f"Use uno de los programas incluidos ({', '.join(builtin_ids())}) o la ruta de un "
            "archivo .yaml propio.",
    )
