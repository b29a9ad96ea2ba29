"""The supervisor's commands: ``supervisar``, ``revisar``, ``comparar``, ``tablero``.

Registered on minga's CLI by ``addin/cli.py``; thin: parse, call the supervision package,
print in Spanish.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from addin import cli_spanish as typer  # minga's own command layer (Option, Argument, Exit)
from addin.cli import (
    Cutoff,
    Force,
    NoBackup,
    _date,
    _print_saved,
    command,
    err,
    escape,
    handled,
    out,
)
from addin.domain.wording import plural
from addin.errors import MingaError

if TYPE_CHECKING:
    from rich.table import Table

Db = Annotated[Path | None, typer.Option(
    "--db", metavar="RUTA", help="Base de supervisión (SQLite); por defecto, junto a la "
                                 "carpeta: <carpeta>.minga.sqlite.")]


def _table(*headers: str) -> Table:
    """A table for a person; rich is loaded here, never for --help or --json."""
    from rich import box
    from rich.table import Table

    return Table(*headers, box=box.SIMPLE_HEAD if out.is_terminal else None)


@command("supervisar", help="Valida en paralelo todos los libros de una carpeta (y sus "
                            "subcarpetas) y guarda el historial en una base SQLite. Salida: 0 "
                            "sin errores, 1 algún libro con errores, 2 carpeta o base inválida.")
@handled
def supervisar(
    carpeta: Annotated[Path, typer.Argument(
        metavar="CARPETA", readable=False, help="Carpeta con los libros recibidos.")],
    fecha_corte: Cutoff = None,
    db: Db = None,
    procesos: Annotated[int | None, typer.Option(
        "--procesos", metavar="N",
        help="Procesos en paralelo; por defecto, uno por núcleo.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Imprime el resumen en JSON.")]
    = False,
) -> None:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from addin.supervision.batch import discover, supervise
    from addin.supervision.db import History, default_path

    if procesos is not None and not 1 <= procesos <= 256:
        raise MingaError(f"--procesos {procesos} no es válido.",
                         fix="Use un número de procesos entre 1 y 256, o no lo indique.")
    cutoff = _date(fecha_corte, "la fecha de corte")
    paths = discover(carpeta)  # a bad folder is reported before any database is created
    history = History.open(db or default_path(carpeta))
    with history, Progress(TextColumn("Validando"), BarColumn(), MofNCompleteColumn(),
                           TimeElapsedColumn(), console=err, transient=True,
                           disable=not err.is_terminal) as bar:
        task = bar.add_task("libros", total=None)
        report = supervise(carpeta, history, cutoff, procesos,
                           lambda n, total: bar.update(task, completed=n, total=total), paths)
    if json_out:
        sys.stdout.write(json.dumps({
            "run": report.run_id, "database": str(history.path), "files": report.files,
            "validated": report.validated, "skipped": report.skipped,
            "unreadable": report.unreadable, "with_errors": report.errors,
            "submissions": report.rows,
            "duplicates": [d.__dict__ for d in report.duplicates],
            "changes": report.changes}, ensure_ascii=False, indent=2) + "\n")
        raise typer.Exit(1 if report.errors else 0)
    from addin.layouts.sets import identification_for

    table = _table("Archivo", "Tipo", "Programa", "Corte", "Errores", "Advert.", "")
    base = Path(carpeta)
    for row in report.rows:
        try:
            name = str(Path(row["path"]).relative_to(base))
        except ValueError:
            name = row["path"]
        state = "ilegible" if row["status"] == "ilegible" else \
            ("validado" if row["validated"] else "sin cambios")
        kind = identification_for(row["kind"]).kind_es if row["kind"] else "—"
        table.add_row(escape(name), kind, row["programme"] or "—", row["cutoff"] or "—",
                      str(row["errors"]), str(row["warnings"]), state)
    out.print(table)
    out.print(f"{plural(report.files, 'libro')}: {plural(report.validated, 'validado')}, "
              f"{report.skipped} sin cambios desde la validación anterior (mismo contenido y "
              f"corte), {plural(report.unreadable, 'ilegible')}; "
              f"{plural(report.errors, 'libro')} con errores. Base: {escape(str(history.path))}",
              soft_wrap=True)
    if report.changes:
        from addin.supervision.compare import describe

        out.print("Cambios desde la entrega anterior de cada programa:")
        for change in report.changes:
            out.print(f"  {change['programme']}: {escape(change['previous'])} (corte "
                      f"{change['previous_cutoff']}) → {escape(Path(change['path']).name)} "
                      f"(corte {change['cutoff']}): {describe(change['summary'])}",
                      soft_wrap=True)
    for row in report.rows:
        if row["missing_identity"]:
            fields = ", ".join(f"«{m}»" for m in row["missing_identity"])
            out.print(f"[bold yellow]Sin identificar:[/bold yellow] {escape(row['path'])}: su "
                      f"hoja Programa no dice {escape(fields)}; complételos para que cuente "
                      "como un programa.", soft_wrap=True)
    for dup in report.duplicates:
        kind = "copias idénticas" if dup.same_bytes else "con contenido distinto"
        out.print(f"[bold yellow]Duplicado:[/bold yellow] {len(dup.paths)} archivos dicen ser "
                  f"el programa {dup.programme}, período {dup.period or '—'} ({kind}): "
                  + ", ".join(escape(p) for p in dup.paths), soft_wrap=True)
    raise typer.Exit(1 if report.errors else 0)


ExistingDb = Annotated[Path | None, typer.Option(
    "--db", metavar="RUTA", help="Base de supervisión; por defecto, la única *.minga.sqlite "
                                 "de la carpeta actual.")]


def _open_existing(db: Path | None):
    from addin.supervision.db import History, find_default

    return History.open(db or find_default(), create=False)


@command("revisar", help="Registra la decisión del supervisor sobre la última entrega de un "
                         "programa (aprobado, observado o rechazado), o muestra su estado.")
@handled
def revisar(
    programa: Annotated[str, typer.Argument(
        metavar="PROGRAMA", help="Código del programa (ej. coronel-2025-03), su comuna o "
                                 "ejecutor, o uno de sus libros.")],
    estado: Annotated[str | None, typer.Option(
        "--estado", metavar="ESTADO", help="aprobado, observado o rechazado.")] = None,
    comentario: Annotated[str, typer.Option(
        "--comentario", metavar="TEXTO", help="Qué se revisó y qué debe corregirse.")] = "",
    revisor: Annotated[str | None, typer.Option(
        "--revisor", metavar="NOMBRE", help="Quién decide; por defecto, el usuario del "
                                            "sistema.")] = None,
    escribir: Annotated[bool, typer.Option(
        "--escribir", help="Escribe el acta en la hoja «Validación» de la entrega (con "
                           "respaldo).")] = False,
    sin_respaldo: NoBackup = False,
    db: ExistingDb = None,
) -> None:
    from addin.supervision.review import (
        STATE_LABELS,
        find_programme,
        record_review,
        review_state,
        write_acta,
    )

    with _open_existing(db) as history:
        programme = find_programme(history, programa)
        if estado is None:
            if escribir or comentario:
                raise MingaError("Falta --estado.", fix="Use --estado aprobado, observado o "
                                                        "rechazado.")
            current = review_state(history, programme["id"])
            out.print(f"{programme['code']} ({escape(programme['comuna'])}, "
                      f"{escape(programme['ejecutor'])}): "
                      f"[bold]{STATE_LABELS[current.state]}[/bold]", soft_wrap=True)
            table = _table("Fecha", "Estado", "Revisor", "Entrega", "Comentario")
            for r in history.query(
                    "SELECT r.*, s.file_name FROM reviews r JOIN submissions s ON s.id = "
                    "r.submission_id WHERE r.programme_id = ? ORDER BY r.id",
                    (programme["id"],)):
                table.add_row(r["decided_at"][:16].replace("T", " "), STATE_LABELS[r["state"]],
                              escape(r["reviewer"]), escape(r["file_name"]),
                              escape(r["comment"]))
            out.print(table)
            return
        review = record_review(history, programme, estado, comentario, revisor)
        submission = history.query("SELECT file_name FROM submissions WHERE id = ?",
                                   (review["submission_id"],))[0]
        out.print(f"{programme['code']}: [bold]{STATE_LABELS[review['state']]}[/bold] por "
                  f"{escape(review['reviewer'])} ({escape(submission['file_name'])}).",
                  soft_wrap=True)
        if escribir:
            path, saved = write_acta(history, review, keep_backup=not sin_respaldo)
            out.print(f"Acta escrita en la hoja «Validación» de {escape(str(path))}"
                      + (f" (respaldo: {escape(str(saved))})" if saved else "") + ".",
                      soft_wrap=True)


@command("comparar", help="Compara dos versiones de un libro: filas agregadas, eliminadas y "
                          "modificadas por hoja (según su clave: N°, código, RUT, fecha y "
                          "tipo), y hallazgos resueltos, nuevos y abiertos.")
@handled
def comparar(
    anterior: Annotated[Path, typer.Argument(metavar="ANTERIOR", readable=False,
                                             help="Versión anterior (.xlsx, .xls, .ods).")],
    nuevo: Annotated[Path, typer.Argument(metavar="NUEVO", readable=False,
                                          help="Versión nueva.")],
    fecha_corte: Cutoff = None,
    json_out: Annotated[bool, typer.Option("--json", help="Imprime los cambios en JSON.")]
    = False,
    salida: Annotated[Path | None, typer.Option(
        "--salida", "-o", metavar="ARCHIVO", help="Escribe un libro .xlsx con la hoja "
                                                  "«Cambios».")] = None,
    sobrescribir: Annotated[bool, typer.Option(
        "--sobrescribir", help="Reemplaza el archivo de salida si ya existe.")] = False,
    escribir: Annotated[bool, typer.Option(
        "--escribir", help="Escribe la hoja «Cambios» dentro de NUEVO (guarda antes un "
                           "respaldo).")] = False,
    sin_respaldo: NoBackup = False,
    forzar: Force = False,
    db: Annotated[Path | None, typer.Option(
        "--db", metavar="RUTA", help="Con --escribir: la base de supervisión donde NUEVO es "
                                     "una entrega; el libro así escrito sigue contando como "
                                     "la misma entrega.")] = None,
) -> None:
    from addin.actions.validate import validate_file
    from addin.fileio import check_output_name, check_readable, check_writable
    from addin.supervision.compare import (
        change_rows,
        compare,
        snapshot,
        write_changes,
        write_changes_into,
    )

    check_readable(anterior)
    check_readable(nuevo)
    if (sin_respaldo or forzar or db is not None) and not escribir:
        raise MingaError("--sin-respaldo, --forzar y --db solo sirven junto con --escribir.",
                         fix="Agregue --escribir, o quítelas.")
    if salida is not None:
        check_output_name(salida)
        check_writable(salida, overwrite=sobrescribir)
    if escribir:
        check_writable(nuevo, overwrite=True)
    history = _open_existing(db) if db is not None else None
    cutoff = _date(fecha_corte, "la fecha de corte")
    old, _ = validate_file(anterior, None, cutoff)
    new, _ = validate_file(nuevo, None, cutoff)
    comparison = compare(anterior.name, snapshot(old.data), [f.to_json() for f in old.findings],
                         nuevo.name, snapshot(new.data), [f.to_json() for f in new.findings])
    if salida is not None:
        write_changes(salida, comparison)
    saved = None
    if escribir:
        before = _submission_of(history, nuevo) if history is not None else None
        saved = write_changes_into(nuevo, comparison, keep_backup=not sin_respaldo,
                                   force=forzar)
        if history is not None:
            with history:
                if before is not None:
                    from addin.supervision.review import _remember

                    _remember(history, before, nuevo)
    if json_out:
        sys.stdout.write(json.dumps(comparison.to_json(), ensure_ascii=False, indent=2,
                                    default=str) + "\n")
        return
    marks = {"agregada": "+", "eliminada": "−", "modificada": "~"}
    for sheet, kind, key, column, cell, old_value, new_value in change_rows(comparison):
        # One line per change, under its sheet: reads at 80 columns, in a pipe, in a log.
        line = f"{marks[kind]} {sheet} · {key}"
        if kind == "modificada":
            line += f" · {column} ({cell}): «{old_value}» → «{new_value}»"
        else:
            line += f" ({cell}, {kind})"
        out.print(escape(line), soft_wrap=True)
    s = comparison.summary()
    out.print(f"{escape(anterior.name)} → {escape(nuevo.name)}: "
              f"{plural(s['added'], 'fila agregada', 'filas agregadas')}, "
              f"{plural(s['removed'], 'fila eliminada', 'filas eliminadas')}, "
              f"{plural(s['changed_rows'], 'fila modificada', 'filas modificadas')} "
              f"({plural(s['changed_cells'], 'celda')}). Hallazgos: "
              f"{plural(s['findings_resolved'], 'resuelto')}, "
              f"{plural(s['findings_new'], 'nuevo')}, "
              f"{s['findings_open']} siguen abiertos.", soft_wrap=True)
    from addin.domain.findings import Severity

    for state, label in (("new", "Nuevo"), ("resolved", "Resuelto")):
        for f in comparison.findings[state]:
            where = f"{f['sheet']}!{f['cell']}" if f["cell"] else f["sheet"]
            out.print(f"  {label}: {Severity(f['severity']).spanish} · {f['rule']} · "
                      f"{escape(where)} · {escape(f['message'])}", soft_wrap=True)
    if salida is not None:
        out.print(f"Hoja «Cambios» escrita en {escape(str(salida))}.")
    if saved is not None:
        out.print(f"Hoja «Cambios» escrita en {escape(str(nuevo))}"
                  + (f" (respaldo: {escape(str(saved.backup))})" if saved.backup else "")
                  + ".", soft_wrap=True)
        _print_saved(saved, backup_line=False)


def _submission_of(history, path: Path) -> int | None:
    """The supervised submission whose bytes ``path`` holds now (None: not supervised)."""
    from addin.supervision.batch import file_hash

    sha = file_hash(path)
    found = history.query("SELECT id FROM submissions WHERE sha256 = ? UNION ALL SELECT "
                          "submission_id FROM written WHERE sha256 = ?", (sha, sha))
    return int(found[0][0]) if found else None


@command("tablero", help="Crea el tablero de supervisión: un libro Excel (con gráficos) o una "
                         "página HTML autónoma, con una fila por programa.")
@handled
def tablero(
    salida: Annotated[Path, typer.Option(
        "--salida", "-o", metavar="ARCHIVO", help="tablero.xlsx o tablero.html.")],
    db: ExistingDb = None,
    sobrescribir: Annotated[bool, typer.Option(
        "--sobrescribir", help="Reemplaza el archivo de salida si ya existe.")] = False,
) -> None:
    from addin.fileio import check_writable
    from addin.supervision.dashboard import build

    suffix = salida.suffix.lower()
    if suffix not in (".xlsx", ".html", ".htm"):
        raise MingaError(f"«{salida}» debe terminar en .xlsx (Excel) o .html (página web).",
                         fix="Use, por ejemplo, -o tablero.xlsx o -o tablero.html.")
    check_writable(salida, overwrite=sobrescribir)
    with _open_existing(db) as history:
        board = build(history)
    if not board.programmes:
        raise MingaError("La base de supervisión no tiene programas identificados todavía.",
                         fix="Ejecute antes `minga supervisar CARPETA`.")
    if suffix == ".xlsx":
        from addin.supervision.dashboard_xlsx import write_xlsx

        write_xlsx(board, salida)
    else:
        from addin.supervision.dashboard_html import write_html

        write_html(board, salida)
    out.print(f"Tablero escrito: [bold]{escape(str(salida))}[/bold] "
              f"({plural(len(board.programmes), 'programa')}).")
