"""`minga supervisar`: a supervisor validates a folder of submissions at once, into a SQLite
history that survives a killed run and a second run on the same database."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from addin.actions.validate import validate_file
from addin.demo import CUTOFF, build_demo
from addin.supervision import db as dbmodule
from addin.supervision.db import APPLICATION_ID, History
from tests.supervision_fixtures import (
    CUT,
    MINGA,
    ROOT,
    rows,
    run,
    submissions_folder,
    variant,
)


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("entregas") / "mayo"
    folder.mkdir()
    return folder, submissions_folder(folder)


@pytest.fixture(scope="module")
def first_run(month: tuple[Path, dict[str, Path]], tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Path, dict, subprocess.CompletedProcess[str]]:
    folder, _ = month
    db = tmp_path_factory.mktemp("db") / "historial.minga.sqlite"
    result = run("supervisar", str(folder), "--fecha-corte", CUT, "--db", str(db),
                 "--procesos", "2", "--json", cwd=folder.parent)
    return db, json.loads(result.stdout), result


def test_every_workbook_of_the_folder_is_validated_and_recorded(first_run, month) -> None:
    db, report, result = first_run
    _, files = month
    assert result.returncode == 1, result.stderr  # some workbooks have errors
    assert "Traceback" not in result.stderr
    assert report["files"] == 7 and report["validated"] == 7 and report["skipped"] == 0
    seen = {Path(r["path"]).name for r in report["submissions"]}
    assert seen == {p.name for p in files.values()}  # notas.txt is not a workbook
    # the renamed copy has the same bytes: one submission, two receipts
    assert rows(db, "SELECT count(*) FROM submissions")[0][0] == 6
    assert rows(db, "SELECT count(*) FROM receipts")[0][0] == 7


def test_findings_in_the_database_hold_every_field_of_the_json_schema(first_run, month) -> None:
    db, _, _ = first_run
    _, files = month
    result, _ = validate_file(files["coronel"], cutoff=CUTOFF)
    expected = [f.to_json() for f in result.findings]
    stored = rows(db, "SELECT f.rule, f.severity, f.sheet, f.cell, f.row_key, f.message, f.fix, "
                      "f.source FROM findings f JOIN receipts r USING (submission_id) "
                      "WHERE r.path = ? ORDER BY f.position", (str(files["coronel"]),))
    assert [dict(r) for r in stored] == expected
    counts = rows(db, "SELECT s.errors, s.warnings, s.info, s.total, s.cutoff, s.status "
                      "FROM submissions s JOIN receipts r ON r.submission_id = s.id "
                      "WHERE r.path = ?", (str(files["coronel"]),))[0]
    assert dict(counts) == {**{k: result.summary[k] for k in ("errors", "warnings", "info",
                                                                "total")},
                            "cutoff": CUT, "status": "validado"}


def test_programme_is_identified_from_its_programa_sheet_not_its_file_name(first_run,
                                                                           month) -> None:
    db, report, _ = first_run
    _, files = month
    by_name = {Path(r["path"]).name: r["programme"] for r in report["submissions"]}
    assert by_name[files["coronel"].name] == by_name[files["renamed"].name] \
        == by_name[files["duplicate"].name] == "coronel-2025-03"
    assert by_name[files["lota"].name] == "lota-2025-03"
    assert by_name[files["tome"].name] == "tome-2025-03"  # «tome_v2_FINAL.xlsx»
    programmes = rows(db, "SELECT region, comuna, ejecutor, convenio, start_date FROM "
                          "programmes ORDER BY code")
    assert [tuple(p) for p in programmes] == [
        ("Biobío", "Coronel", "Ilustre Municipalidad de Coronel", "15 meses", "2025-03-03"),
        ("Biobío", "Lota", "ONG Lota Solidaria", "15 meses", "2025-03-03"),
        ("Biobío", "Tomé", "Municipalidad de Tomé", "15 meses", "2025-03-03")]


def test_two_files_claiming_one_programme_and_month_are_reported(first_run, month) -> None:
    _, report, _ = first_run
    _, files = month
    assert len(report["duplicates"]) == 1
    dup = report["duplicates"][0]
    assert dup["programme"] == "coronel-2025-03" and dup["period"] == "2026-05"
    assert sorted(Path(p).name for p in dup["paths"]) == sorted(
        files[k].name for k in ("coronel", "renamed", "duplicate"))
    assert dup["same_bytes"] is False


def test_corrupt_file_and_zip_bomb_get_their_own_finding_and_the_rest_is_validated(
        first_run, month) -> None:
    db, _, _ = first_run
    _, files = month
    status = {Path(r["path"]).name: (r["status"], r["rule"], r["message"]) for r in rows(
        db, "SELECT r.path, s.status, f.rule, f.message FROM receipts r JOIN submissions s ON "
            "s.id = r.submission_id LEFT JOIN findings f ON f.submission_id = s.id AND "
            "f.position = 0")}
    assert status[files["bomb"].name][:2] == ("ilegible", "SUP-01")
    assert "bomba zip" in status[files["bomb"].name][2]
    assert status[files["corrupt"].name][:2] == ("ilegible", "SUP-01")
    for key in ("coronel", "lota", "tome", "renamed", "duplicate"):
        assert status[files[key].name][0] == "validado"
    clean = rows(db, "SELECT s.errors FROM submissions s JOIN receipts r ON r.submission_id = "
                     "s.id WHERE r.path = ?", (str(files["lota"]),))[0][0]
    assert clean == 0
    tome = rows(db, "SELECT f.rule, f.cell FROM findings f JOIN receipts r USING "
                    "(submission_id) WHERE r.path = ?", (str(files["tome"]),))
    alone, _ = validate_file(files["tome"], cutoff=CUTOFF)  # coordinadora left blank
    assert [tuple(r) for r in tome] == [(f.rule, f.cell) for f in alone.findings]
    assert [f.sheet for f in alone.findings] == ["Programa"]


def test_rerun_skips_what_was_validated_with_the_same_bytes_and_cutoff(first_run, month,
                                                                       tmp_path) -> None:
    db, _, _ = first_run
    folder, _ = month
    copy = tmp_path / "historial.minga.sqlite"
    shutil.copy(db, copy)
    again = run("supervisar", str(folder), "--fecha-corte", CUT, "--db", str(copy), "--json",
                cwd=tmp_path)
    report = json.loads(again.stdout)
    assert (report["validated"], report["skipped"]) == (0, 7)
    other = run("supervisar", str(folder), "--fecha-corte", "2026-04-30", "--db", str(copy),
                "--json", "--procesos", "2", cwd=tmp_path)
    assert json.loads(other.stdout)["validated"] == 7  # another cut-off is another judgement
    assert rows(copy, "SELECT count(*) FROM submissions")[0][0] == 12


def _spread(tmp_path: Path, count: int) -> Path:
    """``count`` uploads of the demo workbook, each with its own bytes."""
    folder = tmp_path / "entregas"
    folder.mkdir()
    source = tmp_path / "demo.xlsx"
    build_demo(source)
    for n in range(count):
        variant(source, folder / f"entrega-{n:02d}.xlsx", n)
    return folder


def _whole(db: Path) -> None:
    """Every submission has exactly the findings its counts say: none half-written."""
    assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
    partial = rows(db, "SELECT s.id, s.total, count(f.position) AS n FROM submissions s "
                       "LEFT JOIN findings f ON f.submission_id = s.id GROUP BY s.id "
                       "HAVING n != s.total")
    assert not [tuple(r) for r in partial]


def test_a_batch_killed_with_sigkill_leaves_whole_submissions_and_the_next_run_finishes(
        tmp_path: Path) -> None:
    folder = _spread(tmp_path, 12)
    db = tmp_path / "h.minga.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([*MINGA, "supervisar", str(folder), "--fecha-corte", CUT, "--db",
                              str(db), "--procesos", "1"], cwd=tmp_path, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    recorded = 0
    try:
        deadline = time.monotonic() + 300
        while recorded < 3 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
            try:
                recorded = rows(db, "SELECT count(*) FROM submissions")[0][0]
            except sqlite3.Error:
                continue
    finally:
        os.killpg(child.pid, signal.SIGKILL)  # the batch and its workers, mid-run
        child.wait()
    assert child.returncode == -signal.SIGKILL
    _whole(db)
    before = rows(db, "SELECT count(*) FROM submissions")[0][0]
    assert 3 <= before < 12
    result = run("supervisar", str(folder), "--fecha-corte", CUT, "--db", str(db), "--json",
                 cwd=tmp_path)
    report = json.loads(result.stdout)
    assert (report["validated"], report["skipped"]) == (12 - before, before)
    assert rows(db, "SELECT count(*) FROM submissions")[0][0] == 12
    _whole(db)


def test_two_runs_at_once_on_one_database_lose_nothing(tmp_path: Path) -> None:
    folder = _spread(tmp_path, 6)
    db = tmp_path / "h.minga.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    children = [subprocess.Popen([*MINGA, "supervisar", str(folder), "--fecha-corte", CUT,
                                  "--db", str(db), "--procesos", "1", "--json"], cwd=tmp_path,
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for _ in range(2)]
    outputs = [c.communicate(timeout=600) for c in children]
    for child, (stdout, stderr) in zip(children, outputs, strict=True):
        assert child.returncode == 1, stderr  # the demo has errors; no run failed
        assert "Error" not in stderr
        assert json.loads(stdout)["files"] == 6
    assert rows(db, "SELECT count(*) FROM submissions")[0][0] == 6  # none doubled
    assert rows(db, "SELECT count(*) FROM receipts")[0][0] == 12  # none lost
    assert [tuple(r) for r in rows(db, "SELECT count(*), count(finished_at) FROM runs")] == \
        [(2, 2)]
    _whole(db)


def _open_and_write(path: str, start: object, errors: object) -> None:
    """One minga opening a history at the same moment as another (``start`` is a barrier)."""
    start.wait()  # type: ignore[attr-defined]
    try:
        with History.open(Path(path)) as history, history.write() as c:
            c.execute("INSERT INTO runs (folder, started_at, minga_version) VALUES "
                      "('entregas', '2026-11-27', 'prueba')")
    except Exception as exc:  # reported to the parent, which fails the test
        errors.put(f"{type(exc).__name__}: {exc}")  # type: ignore[attr-defined]


def test_four_mingas_creating_one_new_database_at_the_same_moment_all_succeed(
        tmp_path: Path) -> None:
    """SQLite answers «busy» at once, without its timeout, to a switch to WAL while another
    process has the file open; and a file being created shows its tables before its mark
    unless read in one snapshot.  Both once failed ~1 start in 20 («ocupada… más de 60 s»
    after 0.7 s; «tiene tablas que no son de minga»).  Four real processes, started together
    on each of 40 new files (two racing are caught too rarely)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    errors = ctx.Queue()
    for n in range(40):
        path = tmp_path / f"h{n}.minga.sqlite"
        start = ctx.Barrier(4)
        children = [ctx.Process(target=_open_and_write, args=(str(path), start, errors))
                    for _ in range(4)]
        for child in children:
            child.start()
        for child in children:
            child.join(timeout=120)
            assert child.exitcode == 0
        found = []
        while not errors.empty():
            found.append(errors.get())
        assert not found, f"start {n}: {found}"
        assert rows(path, "SELECT count(*) FROM runs")[0][0] == 4


# --- bad input ----------------------------------------------------------------------------

def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_a_folder_without_workbooks_is_refused_and_no_database_is_created(tmp_path) -> None:
    folder = tmp_path / "vacia"
    (folder / "sub").mkdir(parents=True)
    (folder / "leame.txt").write_text("nada")
    result = run("supervisar", str(folder), cwd=tmp_path)
    assert result.returncode == 2
    assert "no tiene libros (.xlsx, .xls u .ods)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vacia"]


def test_a_database_that_is_not_sqlite_is_refused_untouched(tmp_path, month) -> None:
    folder, _ = month
    db = tmp_path / "notas.minga.sqlite"
    db.write_text("Lista de entregas de mayo\n")
    before = _bytes(db)
    result = run("supervisar", str(folder), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 2
    assert "no es una base de supervisión de minga (no es un archivo SQLite)" in result.stderr
    assert _bytes(db) == before and sorted(p.name for p in tmp_path.iterdir()) == [db.name]


def test_a_database_from_a_newer_minga_is_refused_untouched(tmp_path, month) -> None:
    folder, _ = month
    db = tmp_path / "nueva.minga.sqlite"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE futuro (x)")
    conn.execute(f"PRAGMA user_version = {dbmodule.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = _bytes(db)
    result = run("supervisar", str(folder), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 2
    assert "es de una versión más nueva de minga" in result.stderr
    assert "Actualice minga" in result.stderr
    assert _bytes(db) == before and sorted(p.name for p in tmp_path.iterdir()) == [db.name]


def test_a_sqlite_database_of_another_program_is_refused_untouched(tmp_path, month) -> None:
    folder, _ = month
    db = tmp_path / "otra.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE clientes (nombre)")
    conn.commit()
    conn.close()
    before = _bytes(db)
    result = run("supervisar", str(folder), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 2 and "tiene tablas que no son de minga" in result.stderr
    assert _bytes(db) == before


def _as_a_user(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """minga as an ordinary user: as root (CI) permissions do not stop anything, so it runs
    without the capabilities that let root ignore them (setpriv, util-linux)."""
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
              "--inh-caps=-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([*prefix, *MINGA, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_an_unreadable_folder_is_refused_in_spanish(tmp_path: Path) -> None:
    folder = tmp_path / "cerrada"
    folder.mkdir()
    build_demo(folder / "a.xlsx")
    folder.chmod(0)
    try:
        result = _as_a_user("supervisar", str(folder), cwd=tmp_path)
    finally:
        folder.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert f"No hay permiso para leer la carpeta «{folder}»" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cerrada"]  # no database


def test_an_old_database_upgrades_itself_to_the_current_schema(tmp_path, monkeypatch) -> None:
    db = tmp_path / "h.minga.sqlite"
    History.open(db).close()
    assert rows(db, "PRAGMA user_version")[0][0] == dbmodule.SCHEMA_VERSION
    step = "ALTER TABLE submissions ADD COLUMN nota TEXT"
    monkeypatch.setattr(dbmodule, "MIGRATIONS", [*dbmodule.MIGRATIONS, step])
    monkeypatch.setattr(dbmodule, "SCHEMA_VERSION", len(dbmodule.MIGRATIONS))
    History.open(db).close()
    assert rows(db, "PRAGMA user_version")[0][0] == dbmodule.SCHEMA_VERSION
    assert "nota" in [r[1] for r in rows(db, "PRAGMA table_info(submissions)")]
    assert rows(db, "PRAGMA journal_mode")[0][0] == "wal"


def die_on_veneno(path: str, cutoff: object) -> dict:
    """A worker that dies like a process killed by a hostile file (SIGKILL) on «veneno»."""
    if "veneno" in path:
        os.kill(os.getpid(), signal.SIGKILL)
    return {"ok": True, "path": path}


def test_a_file_that_kills_its_worker_gets_its_own_finding_and_the_rest_finish(
        tmp_path: Path) -> None:
    """The pool's crash recovery with real worker processes; the worker function is the test's
    (a file that reliably crashes the validator would be a bug to fix, not a fixture)."""
    from addin.supervision.batch import CRASHED_RULE, Entry, run_pool

    names = ["a.xlsx", "b.xlsx", "veneno.xlsx", "c.xlsx", "d.xlsx"]
    todo = {name: [Entry(tmp_path / name)] for name in names}
    outcomes: dict[str, dict] = {}
    run_pool(todo, None, 2, lambda group, outcome: outcomes.__setitem__(group[0].path.name,
                                                                        outcome),
             worker=die_on_veneno)
    assert sorted(outcomes) == sorted(names)
    assert outcomes["veneno.xlsx"]["ok"] is False
    assert outcomes["veneno.xlsx"]["finding"]["rule"] == CRASHED_RULE
    assert "se detuvo sin terminar" in outcomes["veneno.xlsx"]["finding"]["message"]
    for name in ("a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx"):
        assert outcomes[name] == {"ok": True, "path": str(tmp_path / name)}


def test_a_bad_number_of_processes_is_refused_in_spanish(tmp_path: Path, month) -> None:
    folder, _ = month
    result = run("supervisar", str(folder), "--procesos", "0", "--db",
                 str(tmp_path / "h.minga.sqlite"), cwd=tmp_path)
    assert result.returncode == 2
    assert "--procesos 0 no es válido" in result.stderr and "Input should" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_database_where_nothing_can_be_written_is_refused_in_spanish(tmp_path, month) -> None:
    folder, _ = month
    locked = tmp_path / "solo-lectura"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = _as_a_user("supervisar", str(folder), "--db", str(locked / "h.minga.sqlite"),
                            cwd=tmp_path)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert "No se puede escribir la base" in result.stderr and "Traceback" not in result.stderr
    assert list(locked.iterdir()) == []


def test_workbooks_of_every_builtin_programme_are_validated_not_crashed(tmp_path: Path) -> None:
    """The other programmes' workbooks (assemblies, indicators, roadmaps: other sheets, no
    convenio calendar) are validated like the Ecomercado's, never an internal error."""
    folder = tmp_path / "plantillas"
    shutil.copytree(ROOT / "workbooks", folder, ignore=shutil.ignore_patterns("*.py"))
    assert len(list(folder.glob("*.xlsx"))) >= 4
    db = tmp_path / "h.minga.sqlite"
    result = run("supervisar", str(folder), "--fecha-corte", CUT, "--db", str(db), "--json",
                 cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["unreadable"] == 0
    assert rows(db, "SELECT count(*) FROM findings WHERE rule LIKE 'SUP-%'")[0][0] == 0


# --- a supervisor's folder holding every kind of programme ---------------------------------

@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict, dict]:
    """Two Ecomercados and two months of each other programme (the first with its defect,
    the second corrected and moved on), supervised at each workbook's own cut-off."""
    from addin.demo.submissions import make_mixed

    root = tmp_path_factory.mktemp("mixta")
    made = make_mixed(root / "entregas")
    db = root / "entregas.minga.sqlite"
    result = run("supervisar", str(root / "entregas"), "--json", cwd=root)
    assert result.returncode == 1, result.stderr  # the defective months have errors
    return root, db, made, json.loads(result.stdout)


def test_every_kind_of_programme_in_one_folder_is_identified(mixed) -> None:
    _, db, _, report = mixed
    assert report["files"] == 10 and report["unreadable"] == 0
    assert all(r["programme"] and not r["missing_identity"] for r in report["submissions"])
    programmes = {r["code"]: dict(r) for r in rows(
        db, "SELECT code, kind, region, comuna, ejecutor, convenio, start_date, definition "
            "FROM programmes")}
    assert {p["kind"] for p in programmes.values()} == {"ecomercado", "indicadores",
                                                         "asamblea", "ruta"}
    # each other programme's two months are one programme: identified by its Programa sheet
    assert len(programmes) == 2 + 4
    assert programmes["asamblea-pit-arauca-2023-11"] == {
        "code": "asamblea-pit-arauca-2023-11", "kind": "asamblea", "region": "Arauca",
        "comuna": "Arauca", "ejecutor": "UNAD",
        "convenio": "Convenio interadministrativo N° 02 de 2023", "start_date": "2023-11-18",
        "definition": "asamblea-pit-arauca"}
    assert programmes["conecta-peru-2022-06"]["comuna"] == "San José de Churia y Chalco"
    assert programmes["red-comparte"]["region"] == "América Latina"
    assert programmes["red-comparte"]["start_date"] == ""  # COMPARTE reports with no start
    by_kind = rows(db, "SELECT p.kind, count(*) AS n FROM submissions s JOIN programmes p ON "
                       "p.id = s.programme_id GROUP BY p.kind ORDER BY p.kind")
    assert [tuple(r) for r in by_kind] == [("asamblea", 2), ("ecomercado", 2),
                                           ("indicadores", 4), ("ruta", 2)]


def test_findings_of_each_kind_are_what_minga_validar_says_of_each_file(mixed) -> None:
    root, db, made, _ = mixed
    for paths in made.values():
        for path in paths:
            alone = run("validar", str(path), "--json", cwd=root)
            assert alone.returncode in (0, 1), alone.stderr
            expected = [(f["rule"], f["sheet"], f["cell"], f["message"])
                        for f in json.loads(alone.stdout)["findings"]]
            stored = rows(db, "SELECT f.rule, f.sheet, f.cell, f.message FROM findings f JOIN "
                              "receipts r USING (submission_id) WHERE r.path = ? "
                              "ORDER BY f.position", (str(path),))
            assert [tuple(r) for r in stored] == expected, path
    first = {p: paths[0] for p, paths in made.items() if p != "ecomercado-15m"}
    rules = {p: {r[0] for r in rows(db, "SELECT f.rule FROM findings f JOIN receipts r USING "
                                        "(submission_id) WHERE r.path = ? AND f.severity = "
                                        "'error'", (str(path),))}
             for p, path in first.items()}
    assert rules == {"la-victoria-el-agustino": {"IND-01", "IND-03"},
                     "red-comparte": {"IND-04"}, "asamblea-pit-arauca": {"ASM-01", "ASM-02"},
                     "conecta-peru": {"FON-04", "LECTURA-03"}}


def test_the_next_month_of_another_kind_is_compared_row_by_row(mixed) -> None:
    """Each other programme's second month is compared with its first on the sheets' row
    keys: a figure moved on is a changed row, never a row removed and another added."""
    _, _, _, report = mixed
    changes = {c["programme"]: c["summary"] for c in report["changes"]}
    assert set(changes) == {"la-victoria-el-agustino-2025-01", "red-comparte",
                            "asamblea-pit-arauca-2023-11", "conecta-peru-2022-06"}
    for code, summary in changes.items():
        assert summary["removed"] == 0, code
        assert summary["changed_rows"] > 0 and summary["findings_resolved"] > 0, code
    assert changes["asamblea-pit-arauca-2023-11"]["added"] == 20  # 20 more registrants
    assert all(changes[c]["added"] == 0 for c in changes if "asamblea" not in c)


def test_a_workbook_without_its_identification_says_which_fields_to_fill(tmp_path) -> None:
    from addin.demo.submissions import PIT, build_programme

    folder = tmp_path / "entregas"
    folder.mkdir()
    build_programme(folder / "asamblea.xlsx", PIT, {}, {"fecha": CUTOFF, "lugar": "Tame"})
    result = run("supervisar", str(folder), "--db", str(tmp_path / "h.minga.sqlite"),
                 cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # a past assembly with empty mesas
    assert "Sin identificar:" in result.stdout
    assert "su hoja Programa no dice «Región», «Cooperante (ejecutor)»" in result.stdout
    assert rows(tmp_path / "h.minga.sqlite", "SELECT count(*) FROM programmes")[0][0] == 0


def test_a_history_that_left_other_kinds_unidentified_identifies_them_on_the_next_run(
        tmp_path: Path) -> None:
    """A history written when minga identified only Ecomercados holds the other kinds'
    workbooks as validated but unidentified; the next run validates them again, though
    their bytes did not change, and the same submission gains its programme."""
    from addin.demo.submissions import CONECTA, other_submission

    folder = tmp_path / "entregas"
    path = other_submission(folder / "conecta.xlsx", CONECTA, 1)
    db = tmp_path / "h.minga.sqlite"
    assert run("supervisar", str(folder), "--db", str(db), cwd=tmp_path).returncode == 0
    conn = sqlite3.connect(db)
    with conn:  # as the older minga left it
        conn.execute("UPDATE submissions SET programme_id = NULL")
        conn.execute("DELETE FROM programmes")
    conn.close()
    before = [tuple(r) for r in rows(db, "SELECT id, sha256 FROM submissions")]
    again = run("supervisar", str(folder), "--db", str(db), "--json", cwd=tmp_path)
    report = json.loads(again.stdout)
    assert (report["validated"], report["skipped"]) == (1, 0)
    assert report["submissions"][0]["programme"] == "conecta-peru-2022-06"
    assert [tuple(r) for r in rows(db, "SELECT id, sha256 FROM submissions")] == before
    assert rows(db, "SELECT count(*) FROM findings")[0][0] == 1  # FON-05, once
    third = json.loads(run("supervisar", str(folder), "--db", str(db), "--json",
                           cwd=tmp_path).stdout)
    assert (third["validated"], third["skipped"]) == (0, 1) and path.exists()
