"""Spanish messages for a user's programme file: where (line, field path) and what is wrong.

pydantic and PyYAML explain errors in English and by position in the parsed data (0-based list
indexes, no line numbers). A coordinator editing ``mi-programa.yaml`` needs the line of the
file and a field path counted from 1, so each error's location is traced back through the YAML
node tree (``yaml.compose``) of the file they wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from addin.domain.wording import number

# --- YAML syntax ----------------------------------------------------------------------------

#: PyYAML's problems (English) → what a user should look for.
_SYNTAX_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("end of stream", "el archivo termina antes de cerrar unas comillas, llaves o corchetes"),
    ("<stream end>", "el archivo termina antes de cerrar unas comillas, llaves o corchetes"),
    ("cannot start any token", "hay un carácter que no puede ir ahí (¿un tabulador? use "
                               "espacios para la sangría)"),
    ("mapping values are not allowed", "hay un «:» donde no corresponde (¿falta sangría, o "
                                       "comillas alrededor de un texto con «:»?)"),
    ("could not find expected ':'", "falta «:» después del nombre de un campo"),
    ("expected <block end>", "la sangría no coincide con la de las líneas anteriores"),
    ("expected ',' or '}'", "falta «,» o «}» en un mapa entre llaves"),
    ("expected ',' or ']'", "falta «,» o «]» en una lista entre corchetes"),
    ("found undefined alias", "usa un alias «*» que no está definido"),
    ("found unhashable key", "el nombre de un campo no puede ser una lista ni un mapa"),
    ("expected a single document", "tiene más de un documento (una línea «---» de más)"),
    ("found character", "hay un carácter no permitido"),
)


def ends_too_soon(exc: yaml.YAMLError) -> bool:
    """The text ends inside quotes or brackets: the place to show is where they opened."""
    problem = str(getattr(exc, "problem", "") or "")
    return "end of stream" in problem or "<stream end>" in problem


def syntax_problem(exc: yaml.YAMLError) -> str:
    """What is wrong with the YAML, in Spanish."""
    said = " ".join(str(getattr(exc, attr, "") or "") for attr in ("problem", "context"))
    for english, spanish in _SYNTAX_PROBLEMS:
        if english in said:
            return spanish
    return "la sintaxis no es válida"


def syntax_message(exc: yaml.YAMLError, text: str) -> str:
    """`` en la línea 3, columna 1: hay un tabulador….\n    3 | ⇥execution_months: 3``."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if ends_too_soon(exc) and getattr(exc, "context_mark", None) is not None:
        mark = exc.context_mark  # type: ignore[attr-defined]  # where the quote opened
    if mark is None:
        return f": {syntax_problem(exc)}."
    line = source_line(text, mark.line + 1)
    shown = f"\n    {mark.line + 1} | {line}" if line else ""
    return (f" en la línea {mark.line + 1}, columna {mark.column + 1}: "
            f"{syntax_problem(exc)}.{shown}")


def source_line(text: str, line: int) -> str:
    """The 1-based ``line`` of ``text``, shortened, to show beside a message."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1].rstrip().replace("\t", "⇥")  # a tab, made visible
    return shown if len(shown) <= 70 else shown[:69] + "…"


def duplicate_keys(node: yaml.Node | None) -> list[tuple[str, int, int]]:
    """Keys written twice in one mapping (PyYAML silently keeps the last): (key, line, line)."""
    found: list[tuple[str, int, int]] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    line = key.start_mark.line + 1
                    if key.value in seen:
                        found.append((key.value, seen[key.value], line))
                    seen.setdefault(key.value, line)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(found, key=lambda f: f[2])


# --- validation errors ----------------------------------------------------------------------

_PATTERNS = {
    r"^[a-z][a-z0-9_]*$": "debe empezar con una letra minúscula y llevar solo minúsculas sin "
                          "tilde, números y «_»",
    r"^\d+(\.\d+)*$": "debe ser un código numérico como «2» o «2.1»",
    r"^\d+$": "debe ser un número como «2»",
    r"^[a-z0-9][a-z0-9_-]*$": "debe llevar solo minúsculas sin tilde, números, «-» y «_»",
}

_KINDS = {
    "missing": "falta este campo, que es obligatorio",
    "extra_forbidden": "campo desconocido (revise cómo se escribe y su sangría)",
    # The definitions are dataclasses: pydantic words an unknown field as an argument.
    "unexpected_keyword_argument": "campo desconocido (revise cómo se escribe y su sangría)",
    "missing_keyword_only_argument": "falta este campo, que es obligatorio",
    "int_parsing": "debe ser un número entero",
    "int_type": "debe ser un número entero",
    "int_from_float": "debe ser un número entero",
    "float_parsing": "debe ser un número",
    "float_type": "debe ser un número",
    "bool_parsing": "debe ser true o false",
    "bool_type": "debe ser true o false",
    "string_type": "debe ser un texto",
    "string_too_short": "no puede estar vacío",
    "model_type": "debe ser un mapa de campos («campo: valor»)",
    "model_attributes_type": "debe ser un mapa de campos («campo: valor»)",
    "dataclass_type": "debe ser un mapa de campos («campo: valor»)",
    "dataclass_exact_type": "debe ser un mapa de campos («campo: valor»)",
    "dict_type": "debe ser un mapa de campos («campo: valor»)",
    "list_type": "debe ser una lista (cada elemento en una línea que empieza con «- »)",
    "tuple_type": "debe ser una lista (cada elemento en una línea que empieza con «- »)",
    "none_required": "debe quedar vacío",
}

_BOUNDS = {
    "greater_than_equal": ("ge", "mayor o igual que"),
    "greater_than": ("gt", "mayor que"),
    "less_than_equal": ("le", "menor o igual que"),
    "less_than": ("lt", "menor que"),
}


def _choices(expected: str) -> str:
    """pydantic's ``'a' or 'b'`` → «a» o «b»."""
    values = re.findall(r"'([^']*)'", expected)
    return " o ".join(f"«{v}»" for v in values) if values else expected


def describe(error: Any) -> str:
    """The Spanish words for one pydantic error (``ValidationError.errors()`` item)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _KINDS:
        return _KINDS[kind]
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        bound = ctx.get(key)
        return f"debe ser {words} {number(bound) if isinstance(bound, int | float) else bound}"
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(ctx.get("pattern", ""), "no tiene el formato esperado")
    if kind in ("literal_error", "enum"):
        return f"debe ser {_choices(str(ctx.get('expected', '')))}"
    if kind in ("value_error", "assertion_error") and ctx.get("error") is not None:
        return str(ctx["error"])
    return f"valor no válido ({kind})"


def _is_union_tag(part: Any) -> bool:
    """pydantic adds the union member tried (``int``, ``literal['last']``) to the location."""
    return isinstance(part, str) and (part in {"int", "str", "float", "bool"} or "[" in part)


def field_path(loc: Iterable[Any]) -> str:
    """``('stages', 2, 'activities', 0, 'kind')`` → ``stages[3].activities[1].kind``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _child(node: yaml.Node, part: Any) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key or item, value) nodes under ``node`` for one location step."""
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
            and 0 <= part < len(node.value):
        return node.value[part], node.value[part]
    return None


def walk(node: yaml.Node | None, loc: Sequence[Any]) -> tuple[int, yaml.Node, yaml.Node] | None:
    """How deep ``loc`` goes into the document, with the (key, value) nodes reached."""
    if node is None:
        return None
    depth, key, value = 0, node, node
    for part in loc:
        step = _child(value, part)
        if step is None:
            break
        key, value = step
        depth += 1
    return depth, key, value


def find_scalar(node: yaml.Node | None, text: str) -> yaml.Node | None:
    """The first scalar written as ``text`` (to place a whole-definition error on a line)."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.ScalarNode) and current.value == text:
            return current
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def _activity_key(base: yaml.Node | None, loc: Sequence[Any]) -> str | None:
    """The ``key`` of the activity at ``stages[i].activities[j]`` of the base programme."""
    reached = walk(base, [*loc[:4], "key"])
    if reached and reached[0] == 5 and isinstance(reached[2], yaml.ScalarNode):
        return str(reached[2].value)
    return None


def locate(loc: Sequence[Any], kind: str, document: yaml.Node | None,
           base: yaml.Node | None) -> tuple[str, int | None]:
    """The field path a user reads (1-based) and the line of their file where to look.

    A file that ``extends:`` a built-in programme overrides activities under
    ``activities: {key: …}``: errors in the merged stages are traced back to that key.
    """
    loc = [part for part in loc if not _is_union_tag(part)]
    path = list(loc)
    reached = walk(document, loc)
    if (len(loc) >= 4 and loc[0] == "stages" and loc[2] == "activities"
            and (reached is None or reached[0] < 2)):
        key = _activity_key(base, loc)
        if key is not None:
            path = ["activities", key, *loc[4:]]
            reached = walk(document, path)
    if reached is None or reached[0] == 0:
        return field_path(path), None
    depth, key_node, value_node = reached
    # The value written, or the field named; for a missing field, the mapping that lacks it.
    node = value_node if depth == len(path) and kind != "extra_forbidden" else key_node
    return field_path(path), node.start_mark.line + 1


def shown_value(value: Any) -> str:
    """`` (dice «9»)`` for a short scalar the user wrote; nothing for maps and lists."""
    if isinstance(value, bool | int | float | str) and len(str(value)) <= 40:
        return f" (dice «{value}»)"
    return ""


def validation_lines(errors: Sequence[Any], document: yaml.Node | None,
                     nodes: Mapping[str, yaml.Node | None]) -> list[str]:
    """One Spanish line per wrong field, in the order of the file: line, path, what, value.

    ``document`` is the user's file; ``nodes`` holds the built-in programmes it may extend.
    """
    extends = walk(document, ["extends"])
    base = None
    if extends and extends[0] == 1 and isinstance(extends[2], yaml.ScalarNode):
        base = nodes.get(str(extends[2].value))
    grouped: dict[tuple[str, int | None], list[Any]] = {}
    for err in errors:
        where = locate(err["loc"], err["type"], document, base)
        if not err["loc"] and err["type"] == "value_error":  # a whole-definition check
            quoted = re.findall(r"«([^»]+)»", describe(err))
            found = next((n for q in quoted if (n := find_scalar(document, q)) is not None), None)
            where = ("", found.start_mark.line + 1 if found is not None else None)
        grouped.setdefault(where, []).append(err)
    lines = []
    for (path, line), said_of in sorted(grouped.items(), key=lambda g: g[0][1] or 1 << 30):
        said = [describe(e) for e in said_of]
        if len(said) > 1 and all(s.startswith("debe ser ") for s in said):  # a union: int | last
            said = ["debe ser " + " o ".join(s.removeprefix("debe ser ") for s in said)]
        value = "" if said_of[0]["type"] in ("missing", "extra_forbidden") else \
            shown_value(said_of[0].get("input"))
        place = ", ".join(p for p in (f"línea {line}" if line else "", path) if p)
        lines.append(f"  - {place + ': ' if place else ''}{'; '.join(said)}{value}.")
    return lines
