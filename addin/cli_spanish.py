"""minga's command-line layer: commands declared with type hints, parsed, helped and refused in
Spanish, on the standard library alone.

The commands are declared as typer taught (``Annotated[Path, Option("--salida", "-o")]``), but
minga no longer runs them through typer.  Everything a user sees of a command line — the help
page, the usage line, every usage error — minga already had to write itself, in Spanish, because
typer and the copy of click inside it speak English (partly through ``gettext``, partly in plain
strings).  What typer still did was parse and convert a few strings, paths, integers and flags;
for that, typer 0.29 imports its bundled click and pydantic and builds a pydantic ``TypeAdapter``
per parameter on every run: half of a «Validar» press, spent before reading the workbook
(issue 13).  This module does that job in a few hundred lines minga owns, so the behaviour cannot
change under it with a typer release.

Supported, and all minga uses: options with one or more names (``-o``, ``--salida``), flags
(``bool``), required options (no default), positional arguments, values of type ``str``, ``int``,
``float`` and ``Path`` (optionally ``| None``), hidden commands, groups of commands (``minga
excel …``) and a group callback for the group's own options (``--version``).
"""

from __future__ import annotations

import shutil
import sys
import types
import typing
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def _close_matches(word: str, possibilities: list[str], n: int = 3) -> list[str]:
    """``difflib.get_close_matches``, loaded only when a name was mistyped."""
    import difflib

    return difflib.get_close_matches(word, possibilities, n=n)


HELP_OPTIONS = ["-h", "--help"]
OPTIONS = "[OPCIONES]"
_REQUIRED: Any = object()


# --- what commands raise ------------------------------------------------------------------

class Exit(SystemExit):
    """End the command with this exit code (0 by default), after what it printed.

    A ``SystemExit``: a command that raises it outside ``main`` (a test runner, a caller in
    Python) ends with the same code."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.exit_code = code


class Abort(Exception):
    """The person cancelled (Ctrl+C at a prompt)."""


class UsageError(Exception):
    """A command line minga cannot run: the message is Spanish, ``ctx`` says which command."""

    def __init__(self, message: str, ctx: Context | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.ctx = ctx


# --- declaring parameters -----------------------------------------------------------------

# Plain classes, not dataclasses: `minga --help` then never loads ``dataclasses`` (and, through
# it, ``inspect``, a fifth of its time), and nothing compares or prints these.

class OptionInfo:
    """What ``Option(...)`` declares: the option's names, its placeholder and its help."""

    __slots__ = ("decls", "help", "hidden", "metavar")

    def __init__(self, decls: tuple[str, ...], metavar: str | None = None, help: str = "",
                 hidden: bool = False) -> None:
        self.decls, self.metavar, self.help, self.hidden = decls, metavar, help, hidden


class ArgumentInfo:
    """What ``Argument(...)`` declares: the argument's placeholder and its help."""

    __slots__ = ("help", "metavar")

    def __init__(self, metavar: str | None = None, help: str = "") -> None:
        self.metavar, self.help = metavar, help


def Option(*decls: str, metavar: str | None = None, help: str | None = None,
           hidden: bool = False, **_typer_only: Any) -> Any:
    """An option of a command: ``Annotated[str | None, Option("--inicio", metavar="FECHA")]``."""
    return OptionInfo(decls, metavar, help or "", hidden)


def Argument(metavar: str | None = None, help: str | None = None,
             **_typer_only: Any) -> Any:
    """A positional argument of a command (``readable=`` and the like are typer's: ignored)."""
    return ArgumentInfo(metavar, help or "")


class Param:
    """One parameter as the parser and the help see it."""

    __slots__ = (
        "default",
        "help",
        "hidden",
        "is_flag",
        "kind",
        "metavar",
        "name",
        "opts",
        "param_type_name",
    )

    def __init__(self, name: str, param_type_name: str, opts: tuple[str, ...],
                 metavar: str | None, help: str, default: Any, kind: type,
                 is_flag: bool = False, hidden: bool = False) -> None:
        self.name = name
        self.param_type_name = param_type_name  # "option" or "argument"
        self.opts = opts
        self.metavar = metavar
        self.help = help
        self.default = default
        self.kind = kind
        self.is_flag = is_flag
        self.hidden = hidden

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def convert(self, value: str, ctx: Context) -> Any:
        if self.kind is str:
            return value
        if self.kind is Path:
            return Path(value)
        try:
            return self.kind(value)
        except ValueError:
            what = "un número entero" if self.kind is int else "un número"
            raise UsageError(f"Valor no válido para «{self.label}»: «{value}» no es {what}.",
                             ctx) from None

    @property
    def label(self) -> str:
        if self.param_type_name == "argument":
            return _metavar(self)
        return "/".join(_short_first(self.opts))


def _params_of(callback: Callable[..., Any]) -> list[Param]:
    """The parameters a command function declares, in order, from its annotations."""
    function = callback
    while hasattr(function, "__wrapped__"):
        function = function.__wrapped__
    hints = typing.get_type_hints(function, include_extras=True)
    code = function.__code__
    names = code.co_varnames[:code.co_argcount]
    defaults = function.__defaults__ or ()
    first_default = len(names) - len(defaults)
    params = []
    for i, name in enumerate(names):
        hint = hints.get(name)
        if typing.get_origin(hint) is not typing.Annotated:
            raise TypeError(f"{function.__name__}({name}): declare it with Option or Argument")
        base, *extras = typing.get_args(hint)
        info = next(e for e in extras if isinstance(e, OptionInfo | ArgumentInfo))
        if isinstance(base, types.UnionType) or typing.get_origin(base) is typing.Union:
            base = next(a for a in typing.get_args(base) if a is not type(None))
        default = defaults[i - first_default] if i >= first_default else _REQUIRED
        if isinstance(info, ArgumentInfo):
            params.append(Param(name, "argument", (), info.metavar, info.help, default, base))
        else:
            params.append(Param(name, "option", info.decls, info.metavar, info.help, default,
                                base, is_flag=base is bool, hidden=info.hidden))
    params.append(Param("help", "option", tuple(HELP_OPTIONS), None,
                        "Muestra esta ayuda y termina.", False, bool, is_flag=True))
    return params


# --- commands and groups --------------------------------------------------------------------

class Context:
    """Which command is running, for its help and its usage errors."""

    __slots__ = ("command", "info_name", "parent")

    def __init__(self, command: Command | Group, info_name: str,
                 parent: Context | None = None) -> None:
        self.command, self.info_name, self.parent = command, info_name, parent

    @property
    def command_path(self) -> str:
        return f"{self.parent.command_path} {self.info_name}" if self.parent else self.info_name

    def get_help(self) -> str:
        return self.command.help_page(self)


class Command:
    """A command: a function whose parameters are its options and arguments."""

    def __init__(self, name: str, callback: Callable[..., Any], help: str | None,
                 hidden: bool) -> None:
        self.name, self.callback, self.help, self.hidden = name, callback, help or "", hidden
        self._params: list[Param] | None = None

    def get_params(self, ctx: Context | None = None) -> list[Param]:
        if self._params is None:
            self._params = _params_of(self.callback)
        return self._params

    def usage_pieces(self) -> list[str]:
        return [OPTIONS] + [_metavar(p) for p in self.get_params()
                            if p.param_type_name == "argument"]

    def help_page(self, ctx: Context) -> str:
        return _help_page(ctx, self.usage_pieces(), self.help, self.get_params(), [])

    def short_help(self, limit: int) -> str:
        return _short_help(self.help, limit)

    def run(self, ctx: Context, args: list[str]) -> Any:
        values = _parse(ctx, self.get_params(), args, interspersed=True)[0]
        return self.callback(**values)


class Group:
    """A group of commands (``minga``, ``minga excel``): its options, then a command's name."""

    def __init__(self, help: str | None = None, no_args_is_help: bool = False,
                 **_typer_only: Any) -> None:
        self.help = help or ""
        self.no_args_is_help = no_args_is_help
        self.hidden = False
        self.commands: dict[str, Command] = {}
        self.groups: dict[str, Group] = {}
        self._callback: Callable[..., Any] | None = None
        self._params: list[Param] | None = None
        #: Modules that register more commands here, imported when first needed, by the names
        #: they register (``load_all`` imports every one, in this order, for the help page).
        self.lazy: dict[str, str] = {}

    # declaring
    def command(self, name: str, *, help: str | None = None, hidden: bool = False,
                **_typer_only: Any) -> Callable[[Any], Any]:
        def register(callback: Any) -> Any:
            self.commands[name] = Command(name, callback, help, hidden)
            return callback

        return register

    def add_group(self, group: Group, *, name: str) -> None:
        """Make ``group`` a command of this one (``minga excel …``)."""
        self.groups[name] = group

    add_typer = add_group  # the name declarations written for typer use

    def callback(self, **_typer_only: Any) -> Callable[[Any], Any]:
        def register(callback: Any) -> Any:
            self._callback = callback
            return callback

        return register

    # finding
    def load_all(self) -> None:
        import importlib

        for module in dict.fromkeys(self.lazy.values()):
            importlib.import_module(module)

    def get_command(self, name: str) -> Command | Group | None:
        found = self.commands.get(name) or self.groups.get(name)
        if found is None and name in self.lazy:
            import importlib

            importlib.import_module(self.lazy[name])
            found = self.commands.get(name) or self.groups.get(name)
        return found

    def list_commands(self) -> list[str]:
        """Single commands first, then groups, each in the order they were declared."""
        self.load_all()
        return [*self.commands, *self.groups]

    def get_params(self, ctx: Context | None = None) -> list[Param]:
        if self._params is None:
            self._params = (_params_of(self._callback) if self._callback is not None
                            else _params_of(lambda: None))
        return self._params

    # helping and running
    def usage_pieces(self) -> list[str]:
        return [OPTIONS, "COMANDO", "[ARGUMENTOS]..."]

    def help_page(self, ctx: Context) -> str:
        width = _width()
        rows = []
        for name in self.list_commands():
            command = self.get_command(name)
            if command is not None and not command.hidden:
                rows.append((name, _short_help(command.help, width - 16)))
        return _help_page(ctx, self.usage_pieces(), self.help, self.get_params(),
                          [("Comandos", rows)] if rows else [])

    def run(self, ctx: Context, args: list[str]) -> Any:
        if not args and self.no_args_is_help:
            sys.stdout.write(ctx.get_help())
            raise Exit(0)
        values, rest = _parse(ctx, self.get_params(), args, interspersed=False)
        if self._callback is not None:
            self._callback(**values)
        if not rest:
            return None
        name = rest[0]
        command = self.get_command(name)
        if command is None:
            visible = [n for n in self.list_commands()
                       if not getattr(self.get_command(n), "hidden", False)]
            close = _close_matches(name, visible, n=1)
            hint = f" ¿Quiso decir «{close[0]}»?" if close else ""
            raise UsageError(f"Comando desconocido: «{name}».{hint}", ctx)
        return command.run(Context(command, name, ctx), rest[1:])

    def __call__(self, args: list[str], prog_name: str) -> Any:
        return self.run(Context(self, prog_name), list(args))


#: Kept for the modules that name them in ``cls=`` (the layer has one kind of each).
MingaCommand = Command
MingaGroup = Group
Typer = Group


# --- parsing --------------------------------------------------------------------------------

def _parse(ctx: Context, params: list[Param], args: list[str], *, interspersed: bool
           ) -> tuple[dict[str, Any], list[str]]:
    """Values by parameter name, and (for a group) the words from the command's name on.

    As click parses: options anywhere among a command's arguments, a value in the next word
    or after «=», the last repetition wins, «--» ends the options."""
    by_name = {opt: p for p in params if p.param_type_name == "option" for opt in p.opts}
    given: dict[str, Any] = {}
    positional: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if word == "--":
            positional.extend(args[i:])
            break
        if not word.startswith("-") or word == "-":
            positional.append(word)
            if not interspersed:
                positional.extend(args[i:])
                break
            continue
        name, equals, value = word.partition("=") if word.startswith("--") else (
            word[:2], "", word[2:])
        param = by_name.get(name)
        if param is None:
            close = _close_matches(name, sorted(by_name))
            hint = f" ¿Quiso decir {' o '.join(f'«{c}»' for c in close)}?" if close else ""
            raise UsageError(f"Opción desconocida: «{name}».{hint}", ctx)
        if param.is_flag:
            if equals or value:
                raise UsageError(f"La opción «{name}» no lleva valor.", ctx)
            if param.name == "help":
                sys.stdout.write(ctx.get_help())
                raise Exit(0)
            given[param.name] = True
            continue
        if not equals and not value:
            if i >= len(args):
                raise UsageError(f"Falta el valor de la opción «{name}» (escriba «{name} "
                                 f"{_metavar(param)}»).", ctx)
            value = args[i]
            i += 1
        given[param.name] = param.convert(value, ctx)
    values: dict[str, Any] = {}
    for param in params:
        if param.name == "help":
            continue
        if param.param_type_name == "argument":
            if positional:
                values[param.name] = param.convert(positional.pop(0), ctx)
            elif param.required:
                raise UsageError(f"Falta el argumento {_metavar(param)}.", ctx)
            else:
                values[param.name] = param.default
        elif param.name in given:
            values[param.name] = given[param.name]
        elif param.required:
            raise UsageError(f"Falta la opción «{' / '.join(_short_first(param.opts))}».",
                             ctx)
        else:
            values[param.name] = param.default
    if interspersed and positional:
        extra = " ".join(f"«{a}»" for a in positional)
        what = "Sobra el argumento" if len(positional) == 1 else "Sobran los argumentos"
        raise UsageError(f"{what} {extra}.", ctx)
    return values, positional


# --- help -----------------------------------------------------------------------------------

def _short_first(opts: Iterable[str]) -> list[str]:
    return sorted(opts, key=lambda o: (o.startswith("--"), o))


def _metavar(param: Param) -> str:
    """The placeholder a user reads for a value (``FECHA``, ``ARCHIVO``), never ``<str>``."""
    return param.metavar or (param.name or "valor").upper()


def _width() -> int:
    """The help's width: the terminal's, at most 78 columns, at least 50 (as click)."""
    return max(min(shutil.get_terminal_size().columns, 80) - 2, 50)


def _short_help(text: str, limit: int) -> str:
    """The help's first sentence, or as many words as fit in ``limit`` and «...»."""
    words = text.split()
    total = 0
    for i, word in enumerate(words):
        total += len(word) + (i > 0)
        if total > limit:
            break
        if word.endswith("."):
            return " ".join(words[:i + 1])
    else:
        return " ".join(words)
    total += 3
    while i > 0:
        total -= len(words[i]) + (i > 0)
        if total <= limit:
            break
        i -= 1
    return " ".join(words[:i]) + "..."


def _definition_list(rows: list[tuple[str, str]], width: int) -> list[str]:
    """Two columns, as click draws them: the first at most 30 wide, the text wrapped beside."""
    import textwrap  # only for a help page or a usage error: a command that runs needs none

    first = min(max(len(a) for a, _ in rows), 30) + 2
    text_width = max(width - first - 2, 10)
    lines = []
    for name, text in rows:
        wrapped = textwrap.wrap(text, text_width) if text else []
        if not wrapped:
            lines.append(f"  {name}")
            continue
        if len(name) <= first - 2:
            lines.append(f"  {name}{' ' * (first - len(name))}{wrapped[0]}")
        else:
            lines.append(f"  {name}")
            lines.append(" " * (first + 2) + wrapped[0])
        lines.extend(" " * (first + 2) + line for line in wrapped[1:])
    return lines


def _rows(params: list[Param]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(Argumentos, Opciones) rows: placeholder or option names, and the Spanish help."""
    arguments: list[tuple[str, str]] = []
    options: list[tuple[str, str]] = []
    for param in params:
        if param.hidden:
            continue
        if param.param_type_name == "argument":
            arguments.append((_metavar(param), param.help))
            continue
        names = ", ".join(_short_first(param.opts))
        help_text = param.help
        if not param.is_flag:
            names += f" {_metavar(param)}"
            default = param.default
            if default is not None and default is not _REQUIRED and str(default) != "":
                help_text = f"{help_text}  [por defecto: {default}]".strip()
        options.append((names, help_text))
    return arguments, options


def usage_text(ctx: Context, pieces: list[str], width: int | None = None) -> str:
    import textwrap

    prefix = f"Uso: {ctx.command_path} "
    return textwrap.fill(" ".join(pieces), width or _width(), initial_indent=prefix,
                         subsequent_indent=" " * len(prefix))


def _help_page(ctx: Context, pieces: list[str], text: str, params: list[Param],
               more: list[tuple[str, list[tuple[str, str]]]]) -> str:
    import textwrap

    width = _width()
    lines = [usage_text(ctx, pieces, width)]
    if text:
        lines += ["", *textwrap.wrap(" ".join(text.split()), width, initial_indent="  ",
                                     subsequent_indent="  ")]
    arguments, options = _rows(params)
    for title, rows in (("Argumentos", arguments), ("Opciones", options), *more):
        if rows:
            lines += ["", f"{title}:", *_definition_list(rows, width)]
    return "\n".join(lines) + "\n"


def usage_line(ctx: Context) -> str:
    return usage_text(ctx, ctx.command.usage_pieces())


def usage_error_text(exc: Exception) -> str:
    """The Spanish sentence of a usage error (the parser words each one itself)."""
    message = getattr(exc, "message", str(exc))
    return message if message.endswith((".", "?")) else f"{message}."


__all__ = ["HELP_OPTIONS", "Abort", "Argument", "Command", "Context", "Exit", "Group",
           "MingaCommand", "MingaGroup", "Option", "Typer", "UsageError", "usage_error_text",
           "usage_line"]
