"""Spanish help and usage errors for the `minga` command line.

Typer (and the copy of click inside it) writes its help and usage errors in English, partly
through ``gettext`` and partly in plain strings, so a translation catalogue cannot reach all of
them. minga therefore draws its own help (``MingaCommand``, ``MingaGroup``) from the commands'
declared parameters, and ``usage_error_text`` words each kind of usage error from the exception's
attributes (option name, parameter, suggestions), never from its English message.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

# The click exceptions typer raises: ``click.exceptions`` or typer's own copy of it, whichever
# this typer uses (typer.BadParameter is re-exported from that module in every version).
_errors = importlib.import_module(typer.BadParameter.__module__)
UsageError: type[Exception] = _errors.UsageError

HELP_OPTIONS = ["-h", "--help"]
OPTIONS = "[OPCIONES]"


def _short_first(opts: Iterable[str]) -> list[str]:
    return sorted(opts, key=lambda o: (o.startswith("--"), o))


def _metavar(param: Any) -> str:
    """The placeholder a user reads for a value (``FECHA``, ``ARCHIVO``), never ``<str>``."""
    return param.metavar or (param.name or "valor").upper()


def _is_flag(param: Any) -> bool:
    return bool(getattr(param, "is_flag", False)) or getattr(param, "count", False)


def _help_rows(command: Any, ctx: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(Argumentos, Opciones) rows: placeholder or option names, and the Spanish help."""
    arguments: list[tuple[str, str]] = []
    options: list[tuple[str, str]] = []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        help_text = getattr(param, "help", None) or ""
        if param.param_type_name == "argument":
            arguments.append((_metavar(param), help_text))
            continue
        if param.name == "help":
            help_text = "Muestra esta ayuda y termina."
        names = ", ".join(_short_first(param.opts))
        if not _is_flag(param):
            names += f" {_metavar(param)}"
            default = param.default
            if default is not None and not callable(default) and str(default) != "":
                help_text = f"{help_text}  [por defecto: {default}]".strip()
        options.append((names, help_text))
    return arguments, options


class _SpanishHelp:
    """Usage line and help page in Spanish, for commands and for the group of commands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except UsageError as exc:  # the option parser raises without saying which command
            if getattr(exc, "ctx", None) is None:
                exc.ctx = ctx  # type: ignore[attr-defined]
            raise

    def usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [OPTIONS]
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if param.param_type_name == "argument":
                pieces.append(_metavar(param))
        return pieces

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.usage_pieces(ctx)), prefix="Uso: ")

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.format_usage(ctx, formatter)
        text = getattr(self, "help", None)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)
        arguments, options = _help_rows(self, ctx)
        for title, rows in (("Argumentos", arguments), ("Opciones", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)
        self.format_commands_es(ctx, formatter)

    def format_commands_es(self, ctx: Any, formatter: Any) -> None:
        """Commands have none."""


class MingaCommand(_SpanishHelp, TyperCommand):
    """A command whose help, usage line and argument errors are Spanish."""

    # Extra words are collected and refused in Spanish by parse_args, not by click in English.
    allow_extra_args = True

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)
        if ctx.args and not ctx.resilient_parsing:
            extra = " ".join(f"«{a}»" for a in ctx.args)
            what = "Sobra el argumento" if len(ctx.args) == 1 else "Sobran los argumentos"
            raise UsageError(f"{what} {extra}.", ctx)
        return rest


class MingaGroup(_SpanishHelp, TyperGroup):
    """The `minga` command itself: Spanish help listing the commands, Spanish unknown command."""

    def usage_pieces(self, ctx: Any) -> list[str]:
        return [OPTIONS, "COMANDO", "[ARGUMENTOS]..."]

    def format_commands_es(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, command.get_short_help_str(limit=formatter.width - 16)))
        if rows:
            with formatter.section("Comandos"):
                formatter.write_dl(rows)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            visible = [n for n in self.list_commands(ctx)
                       if not getattr(self.get_command(ctx, n), "hidden", False)]
            close = difflib.get_close_matches(name, visible, n=1)
            hint = f" ¿Quiso decir «{close[0]}»?" if close else ""
            raise UsageError(f"Comando desconocido: «{name}».{hint}", ctx)
        return super().resolve_command(ctx, args)


def usage_line(ctx: Any) -> str:
    formatter = ctx.make_formatter()
    ctx.command.format_usage(ctx, formatter)
    return formatter.getvalue().rstrip("\n")


def _option_of(ctx: Any, name: str) -> Any:
    if ctx is None:
        return None
    return next((p for p in ctx.command.get_params(ctx) if name in getattr(p, "opts", ())), None)


def usage_error_text(exc: Exception) -> str:
    """A Spanish sentence for a click/typer usage error, built from its attributes."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, _errors.NoSuchOption):
        possible = sorted(exc.possibilities or ())
        hint = f" ¿Quiso decir {' o '.join(f'«{p}»' for p in possible)}?" if possible else ""
        return f"Opción desconocida: «{exc.option_name}».{hint}"
    if isinstance(exc, _errors.BadOptionUsage):
        option = _option_of(ctx, exc.option_name)
        if option is not None and _is_flag(option):
            return f"La opción «{exc.option_name}» no lleva valor."
        placeholder = f" {_metavar(option)}" if option is not None else " VALOR"
        return (f"Falta el valor de la opción «{exc.option_name}» "
                f"(escriba «{exc.option_name}{placeholder}»).")
    if isinstance(exc, _errors.MissingParameter):
        param = exc.param
        if param is not None and param.param_type_name == "argument":
            return f"Falta el argumento {_metavar(param)}."
        names = " / ".join(_short_first(getattr(param, "opts", ()))) if param else ""
        return f"Falta la opción «{names}»." if names else "Falta un argumento."
    if isinstance(exc, _errors.BadParameter):
        param = exc.param
        what = (_metavar(param) if param is not None and param.param_type_name == "argument"
                else "/".join(_short_first(getattr(param, "opts", ()))) if param else "")
        return f"Valor no válido para «{what}»: {exc.message}" if what else \
            f"Valor no válido: {exc.message}"
    message = getattr(exc, "message", str(exc))
    return message if message.endswith((".", "?")) else f"{message}."
