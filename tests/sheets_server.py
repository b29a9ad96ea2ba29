"""A local stand-in for the Google Sheets API v4 and a sliver of Drive v3, for the tests.

Google's servers cannot be reached from where the tests run, so gspread's real client code
talks HTTP to this server on 127.0.0.1 instead (``sync.http.MingaHTTPClient`` redirects the
base URLs).  State lives in memory.  It behaves as the real API does where gspread's
recordings show it (``tests/test_sheets_server.py`` replays them): trailing empty cells and
rows are dropped from values, an empty range has no ``values`` key, ranges come back expanded
and quoted only when needed, errors carry ``{"error": {code, message, status}}``.  Every
request body is checked against the official discovery document (``sheets.v4.json`` from
google-api-python-client) and refused with 400 like the real API when it does not conform.

What it does not do: evaluate formulas (a formula cell's value reads as empty), sharing,
files other than spreadsheets.  Tests can inject failures (``fail_next``) and concurrent edits
(``edit``) as another person in the Sheet would.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import googleapiclient

Json = dict[str, Any]
DISCOVERY = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / \
    "sheets.v4.json"
EPOCH = date(1899, 12, 30)
#: The account every spreadsheet here belongs to (the caller).
OWNER = "minga-pruebas@minga-local.iam.gserviceaccount.com"


# --- the discovery document: request bodies are checked like the real API does ------------

class Schemas:
    """Validates JSON against the discovery document's schemas (types, names, enums)."""

    def __init__(self, path: Path = DISCOVERY) -> None:
        self.schemas: dict[str, Json] = json.loads(path.read_text("utf-8"))["schemas"]

    def errors(self, value: Any, schema: Json | str, where: str = "") -> list[str]:
        if isinstance(schema, str):
            schema = {"$ref": schema}
        if "$ref" in schema:
            schema = self.schemas[schema["$ref"]]
        kind = schema.get("type")
        if kind == "any" or value is None:
            return []
        if kind == "object":
            if not isinstance(value, dict):
                return [f"{where or 'body'}: se esperaba un objeto"]
            found = []
            props = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            for key, item in value.items():
                if key in props:
                    found += self.errors(item, props[key], f"{where}.{key}".lstrip("."))
                elif extra is not None:
                    found += self.errors(item, extra, f"{where}.{key}".lstrip("."))
                else:
                    found.append(f'Unknown name "{key}" at \'{where or "body"}\'')
            return found
        if kind == "array":
            if not isinstance(value, list):
                return [f"{where}: se esperaba una lista"]
            found = []
            for i, item in enumerate(value):
                found += self.errors(item, schema.get("items", {"type": "any"}), f"{where}[{i}]")
            return found
        if kind == "string":
            if not isinstance(value, str):
                return [f"{where}: se esperaba texto"]
            if "enum" in schema and value not in schema["enum"]:
                return [f"{where}: valor «{value}» no está entre {schema['enum']}"]
            return []
        if kind == "integer":
            ok = (isinstance(value, int) and not isinstance(value, bool)) or (
                isinstance(value, str) and value.lstrip("-").isdigit())
            return [] if ok else [f"{where}: se esperaba un entero"]
        if kind == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            return [] if ok else [f"{where}: se esperaba un número"]
        if kind == "boolean":
            return [] if isinstance(value, bool) else [f"{where}: se esperaba true/false"]
        return []


# --- A1 ranges --------------------------------------------------------------------------

def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def quote_title(title: str) -> str:
    """A sheet title as the API writes it in a range: quoted only when it must be."""
    return title if re.fullmatch(r"[A-Za-z0-9_]+", title) and not re.fullmatch(
        r"[A-Za-z]{1,3}[0-9]+", title) else "'" + title.replace("'", "''") + "'"


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CELL = re.compile(r"^([A-Za-z]*)([0-9]*)$")


class ApiError(Exception):
    def __init__(self, code: int, message: str, status: str,
                 violations: list[Json] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status
        self.violations = violations

    def body(self) -> Json:
        error: Json = {"code": self.code, "message": self.message, "status": self.status}
        if self.violations:
            error["details"] = [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                                 "fieldViolations": self.violations}]
        return {"error": error}


def bad(message: str) -> ApiError:
    return ApiError(400, message, "INVALID_ARGUMENT")


# --- the model ----------------------------------------------------------------------------

@dataclass
class Sheet:
    properties: Json
    cells: dict[tuple[int, int], Json] = field(default_factory=dict)
    merges: list[Json] = field(default_factory=list)
    conditional: list[Json] = field(default_factory=list)
    protected: list[Json] = field(default_factory=list)
    columns: dict[int, Json] = field(default_factory=dict)
    rows: dict[int, Json] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def size(self) -> tuple[int, int]:
        grid = self.properties["gridProperties"]
        return int(grid["rowCount"]), int(grid["columnCount"])


@dataclass
class Spreadsheet:
    id: str
    title: str
    sheets: list[Sheet] = field(default_factory=list)
    named: list[Json] = field(default_factory=list)

    def sheet(self, title: str | None = None, sheet_id: int | None = None) -> Sheet:
        for s in self.sheets:
            if (title is not None and s.title == title) or (sheet_id is not None and
                                                          s.id == sheet_id):
                return s
        if title is not None:
            raise bad(f"Unable to parse range: {title}")
        raise bad(f"No grid with id: {sheet_id}")

    def reindex(self) -> None:
        for i, s in enumerate(self.sheets):
            s.properties["index"] = i


def new_sheet(sheet_id: int, title: str, index: int, rows: int = 1000,
              columns: int = 26) -> Sheet:
    return Sheet({"sheetId": sheet_id, "title": title, "index": index, "sheetType": "GRID",
                  "gridProperties": {"rowCount": rows, "columnCount": columns}})


_MISSING = object()


def _leaves(data: Json, fields: str) -> list[tuple[list[str], Any]]:
    """The (path, value) pairs a field mask sets from ``data`` (value ``_MISSING``: cleared)."""
    out = []
    for path in _split_fields(fields):
        node: Any = data
        for key in path:
            node = node.get(key, _MISSING) if isinstance(node, dict) else _MISSING
        out.append((path, node))
    return out


def _set(target: Json, path: list[str], value: Any) -> None:
    """Set one path.  Leaves are shared between the cells of one request: they are replaced,
    never changed in place (minga never masks a field inside one it set whole)."""
    *head, last = path
    node = target
    trail = []
    for key in head:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        trail.append((node, key))
        node = child
    if value is _MISSING:
        node.pop(last, None)
        for parent, key in reversed(trail):  # drop emptied branches
            if parent[key]:
                break
            del parent[key]
    else:
        node[last] = value


def apply_fields(cell: Json, data: Json, fields: str,
                 leaves: list[tuple[list[str], Any]] | None = None) -> None:
    if fields.strip() == "*":
        cell.clear()
        cell.update(json.loads(json.dumps(data)))
        return
    for path, value in leaves if leaves is not None else _leaves(data, fields):
        # proto3: an empty string is no value (a note set to "" is removed)
        _set(cell, path, _MISSING if value == "" and path[-1] == "note" else value)


@functools.lru_cache(maxsize=512)
def _split_fields_cached(mask: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p) for p in _split_fields_uncached(mask))


def _split_fields(mask: str) -> list[list[str]]:
    return [list(p) for p in _split_fields_cached(mask)]


def _split_fields_uncached(mask: str) -> list[list[str]]:
    """``a.b,c(d,e/f)`` → [[a,b],[c,d],[c,e,f]]: the field-mask syntax of Google APIs."""
    out: list[list[str]] = []

    def parse(text: str, prefix: list[str]) -> None:
        depth, start = 0, 0
        parts = []
        for i, ch in enumerate(text):
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "," and depth == 0:
                parts.append(text[start:i])
                start = i + 1
        parts.append(text[start:])
        for part in (p.strip() for p in parts):
            if not part:
                continue
            if "(" in part:
                head, inner = part.split("(", 1)
                parse(inner[:-1], prefix + re.split(r"[./]", head))
            else:
                out.append(prefix + re.split(r"[./]", part))

    parse(mask, [])
    return out


def mask(value: Any, fields: str | None) -> Any:
    """A response cut down to a ``fields`` mask (lists are masked item by item)."""
    if not fields:
        return value
    tree: Json = {}
    for path in _split_fields(fields):
        node = tree
        for key in path:
            node = node.setdefault(key, {})

    def cut(v: Any, node: Json) -> Any:
        if not node:
            return v
        if isinstance(v, list):
            return [cut(item, node) for item in v]
        if isinstance(v, dict):
            return {k: cut(v[k], node[k]) for k in node if k in v}
        return v

    return cut(value, tree)


class State:
    """Every spreadsheet, plus the test's levers: failures to inject, a request log."""

    def __init__(self) -> None:
        self.books: dict[str, Spreadsheet] = {}
        self.lock = threading.RLock()
        self.log: list[tuple[str, str, Any]] = []
        self.failures: list[tuple[int, float | None]] = []
        self.schemas = Schemas()
        self.violations: list[str] = []
        self.token: str | None = None
        #: Spreadsheets that exist but are not shared with the caller (403).
        self.private: set[str] = set()
        self.grants: list[str] = []
        self._next_id = 1_000

    def sheet_id(self) -> int:
        self._next_id += 7
        return self._next_id

    def create(self, title: str) -> Spreadsheet:
        key = secrets.token_urlsafe(33)[:44].replace("-", "A").replace("_", "B")
        book = Spreadsheet(key, title, [new_sheet(0, "Sheet1", 0)])
        self.books[key] = book
        return book

    def book(self, key: str) -> Spreadsheet:
        if key in self.private:
            raise ApiError(403, "The caller does not have permission", "PERMISSION_DENIED")
        if key not in self.books:
            raise ApiError(404, "Requested entity was not found.", "NOT_FOUND")
        return self.books[key]

    def fail_next(self, status: int, times: int = 1, retry_after: float | None = None) -> None:
        """The next ``times`` requests answer ``status`` (e.g. 429 with ``Retry-After``)."""
        self.failures += [(status, retry_after)] * times

    # --- what a person does in the Sheet meanwhile -------------------------------------

    def edit(self, key: str, title: str, ref: str, value: Any) -> None:
        """A concurrent edit: ``value`` typed into ``title!ref`` by someone else."""
        with self.lock:
            sheet = self.book(key).sheet(title)
            r, c = parse_cell(ref)
            cell = sheet.cells.setdefault((r, c), {})
            if value is None or value == "":
                cell.pop("userEnteredValue", None)
            else:
                cell["userEnteredValue"] = typed(value)

    def cell(self, key: str, title: str, ref: str) -> Json:
        return self.book(key).sheet(title).cells.get(parse_cell(ref), {})


def arithmetic(formula: str) -> float | int | None:
    """The value of a formula made only of numbers and + - * / ( ); None for anything else."""
    import ast
    import operator

    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.USub: operator.neg, ast.UAdd: operator.pos}

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            return ops[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in ops:
            return ops[type(node.op)](ev(node.operand))
        raise ValueError

    try:
        result = ev(ast.parse(formula.removeprefix("="), mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, RecursionError):
        return None
    return int(result) if float(result).is_integer() else result


def parse_cell(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Za-z]+)\$?([0-9]+)", ref)
    if not m:
        raise bad(f"Unable to parse range: {ref}")
    return int(m.group(2)) - 1, col_index(m.group(1))


def typed(value: Any) -> Json:
    """An ``ExtendedValue`` for a Python value, as RAW input stores it."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": value}
    if isinstance(value, datetime):
        return {"numberValue": (value - datetime(1899, 12, 30)).total_seconds() / 86_400}
    if isinstance(value, date):
        return {"numberValue": (value - EPOCH).days}
    return {"stringValue": str(value)}


# --- the API ------------------------------------------------------------------------------

class Api:
    def __init__(self, state: State) -> None:
        self.state = state

    def resolve(self, book: Spreadsheet, a1: str) -> tuple[Sheet, int, int, int, int, bool]:
        """Sheet and 0-based half-open bounds of an A1 range; ``bounded`` when it named cells."""
        text = a1
        if "!" in text:
            title, _, cells = text.rpartition("!")
        elif any(s.title == text.strip("'").replace("''", "'") for s in book.sheets):
            title, cells = text, ""
        else:
            title, cells = book.sheets[0].title, text
        title = title[1:-1].replace("''", "'") if title.startswith("'") else title
        sheet = book.sheet(title)
        rows, cols = sheet.size
        if not cells:
            return sheet, 0, rows, 0, cols, False
        for named in book.named:
            if named["name"] == cells:
                g = named["range"]
                sheet = book.sheet(sheet_id=int(g.get("sheetId", 0)))
                rows, cols = sheet.size
                return (sheet, int(g.get("startRowIndex", 0)), int(g.get("endRowIndex", rows)),
                        int(g.get("startColumnIndex", 0)), int(g.get("endColumnIndex", cols)),
                        True)
        parts = cells.replace("$", "").split(":")
        ends = []
        for part in parts:
            m = _CELL.match(part)
            if not m or not (m.group(1) or m.group(2)):
                raise bad(f"Unable to parse range: {a1}")
            ends.append((int(m.group(2)) - 1 if m.group(2) else None,
                         col_index(m.group(1)) if m.group(1) else None))
        (r0, c0), (r1, c1) = ends[0], ends[-1]
        if r0 is not None and r1 is not None and r0 > r1:
            r0, r1 = r1, r0
        if c0 is not None and c1 is not None and c0 > c1:
            c0, c1 = c1, c0
        top, bottom = (r0 or 0), (r1 + 1 if r1 is not None else rows)
        left, right = (c0 or 0), (c1 + 1 if c1 is not None else cols)
        return sheet, top, bottom, left, right, True

    @staticmethod
    def a1(sheet: Sheet, top: int, bottom: int, left: int, right: int) -> str:
        first = f"{col_letters(left)}{top + 1}"
        last = f"{col_letters(right - 1)}{bottom}"
        return f"{quote_title(sheet.title)}!{first}" + ("" if first == last else f":{last}")

    # values ----------------------------------------------------------------------------

    def read(self, book: Spreadsheet, a1: str, params: dict[str, list[str]]) -> Json:
        sheet, top, bottom, left, right, _ = self.resolve(book, a1)
        render = params.get("valueRenderOption", ["FORMATTED_VALUE"])[0]
        dt = params.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0]
        major = params.get("majorDimension", ["ROWS"])[0]
        rows: list[list[Any]] = []
        for r in range(top, bottom):
            row = [self.render(sheet.cells.get((r, c), {}), render, dt)
                   for c in range(left, right)]
            while row and row[-1] == "":
                row.pop()
            rows.append(row)
        while rows and not rows[-1]:
            rows.pop()
        if major == "COLUMNS":
            width = max((len(r) for r in rows), default=0)
            cols = [[r[c] if c < len(r) else "" for r in rows] for c in range(width)]
            for col in cols:
                while col and col[-1] == "":
                    col.pop()
            rows = cols
        out: Json = {"range": self.a1(sheet, top, bottom, left, right), "majorDimension": major}
        if rows:
            out["values"] = rows
        return out

    @staticmethod
    def render(cell: Json, render: str, dt: str) -> Any:
        value = cell.get("userEnteredValue")
        if not value:
            return ""
        if "formulaValue" in value:
            if render == "FORMULA":
                return value["formulaValue"]
            result = arithmetic(value["formulaValue"])  # only plain arithmetic is evaluated
            if result is None:
                return ""
            return str(result) if render == "FORMATTED_VALUE" else result
        if "stringValue" in value:
            return value["stringValue"]
        if "boolValue" in value:
            return value["boolValue"] if render != "FORMATTED_VALUE" else \
                str(value["boolValue"]).upper()
        number = value.get("numberValue", "")
        number_format = (cell.get("userEnteredFormat") or {}).get("numberFormat") or {}
        if number_format.get("type") in ("DATE", "DATE_TIME") and (
                render == "FORMATTED_VALUE" or dt == "FORMATTED_STRING"):
            day = EPOCH.fromordinal(EPOCH.toordinal() + int(number))
            pattern = number_format.get("pattern") or "m/d/yyyy"
            for token, text in (("yyyy", f"{day.year:04}"), ("dd", f"{day.day:02}"),
                                ("mm", f"{day.month:02}"), ("d", str(day.day)),
                                ("m", str(day.month))):
                pattern = pattern.replace(token, text)
            return pattern
        if render == "FORMATTED_VALUE":
            return str(int(number)) if float(number).is_integer() else str(number)
        return int(number) if isinstance(number, float) and number.is_integer() else number

    def write(self, book: Spreadsheet, a1: str, values: list[list[Any]], option: str,
              major: str = "ROWS") -> Json:
        if option not in ("RAW", "USER_ENTERED"):
            raise bad("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
        sheet, top, _bottom, left, _right, _ = self.resolve(book, a1)
        if major == "COLUMNS":
            width = max((len(v) for v in values), default=0)
            values = [[col[r] if r < len(col) else None for col in values] for r in range(width)]
        rows, cols = sheet.size
        height = len(values)
        width = max((len(v) for v in values), default=0)
        if top + height > rows or left + width > cols:
            grid = sheet.properties["gridProperties"]  # values writes grow the grid
            grid["rowCount"] = max(rows, top + height)
            grid["columnCount"] = max(cols, left + width)
        for r, row in enumerate(values, start=top):
            for c, value in enumerate(row, start=left):
                if value is None:
                    continue
                cell = sheet.cells.setdefault((r, c), {})
                if value == "":
                    cell.pop("userEnteredValue", None)
                elif option == "RAW":
                    cell["userEnteredValue"] = typed(value)
                else:
                    cell["userEnteredValue"] = self.entered(value)
                    if isinstance(value, str) and ISO_DATE.fullmatch(value):  # typed a date
                        cell.setdefault("userEnteredFormat", {})["numberFormat"] = {
                            "type": "DATE", "pattern": "yyyy-mm-dd"}
        return {"spreadsheetId": book.id,
                "updatedRange": self.a1(sheet, top, top + max(height, 1), left,
                                        left + max(width, 1)),
                "updatedRows": height, "updatedColumns": width,
                "updatedCells": sum(len(r) for r in values)}

    @staticmethod
    def entered(value: Any) -> Json:
        """USER_ENTERED: as if typed in the UI (only the cases the tests use)."""
        if not isinstance(value, str):
            return typed(value)
        if value.startswith("'"):
            return {"stringValue": value[1:]}
        if value.startswith("="):
            return {"formulaValue": value}
        if value.upper() in ("TRUE", "FALSE"):
            return {"boolValue": value.upper() == "TRUE"}
        if ISO_DATE.fullmatch(value):
            return {"numberValue": (date.fromisoformat(value) - EPOCH).days}
        if not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", value.strip()):
            return {"stringValue": value}
        number = float(value)
        return {"numberValue": int(number) if number.is_integer() else number}

    # spreadsheets.get --------------------------------------------------------------------

    def resource(self, book: Spreadsheet, grid: bool, ranges: list[str] | None = None,
                 fields: str | None = None) -> Json:
        """The Spreadsheet resource; with ``ranges``, only those sheets and cells."""
        wanted: dict[int, list[tuple[int, int, int, int]]] = {}
        for a1 in ranges or []:
            sheet, top, bottom, left, right, _ = self.resolve(book, a1)
            wanted.setdefault(sheet.id, []).append((top, bottom, left, right))
        sheets = []
        for s in book.sheets:
            if ranges and s.id not in wanted:
                continue
            item: Json = {"properties": json.loads(json.dumps(s.properties))}
            if s.merges:
                item["merges"] = s.merges
            if s.conditional:
                item["conditionalFormats"] = s.conditional
            if s.protected:  # read back, the caller (who owns it here) is listed as editor
                item["protectedRanges"] = [
                    {**pr, "editors": {"users": [OWNER], **pr.get("editors", {})}}
                    for pr in s.protected]
            if grid:
                rows_n, cols_n = s.size
                item["data"] = [self.grid_data(s, box, fields)
                                for box in wanted.get(s.id, [(0, rows_n, 0, cols_n)])]
            sheets.append(item)
        out: Json = {"spreadsheetId": book.id,
                     "properties": {"title": book.title, "locale": "en_US",
                                    "autoRecalc": "ON_CHANGE", "timeZone": "Etc/GMT",
                                    "defaultFormat": {
                                        "backgroundColor": {"red": 1, "green": 1, "blue": 1},
                                        "padding": {"top": 2, "right": 3, "bottom": 2,
                                                    "left": 3},
                                        "verticalAlignment": "BOTTOM",
                                        "wrapStrategy": "OVERFLOW_CELL",
                                        "textFormat": {"foregroundColor": {},
                                                       "fontFamily": "arial,sans,sans-serif",
                                                       "fontSize": 10, "bold": False,
                                                       "italic": False,
                                                       "strikethrough": False,
                                                       "underline": False}}},
                     "sheets": sheets,
                     "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.id}/edit"}
        if book.named:
            out["namedRanges"] = book.named
        return out

    @staticmethod
    def grid_data(s: Sheet, box: tuple[int, int, int, int], fields: str | None) -> Json:
        """One GridData: rows and cells of ``box``, each cut to the field mask; as the API
        does, trailing empty cells and rows are left out, and empty lists altogether."""
        top, bottom, left, right = box
        cell_mask = None
        if fields:
            paths = [p[p.index("values") + 1:] for p in _split_fields(fields)
                     if "rowData" in p and "values" in p]
            cell_mask = ",".join(".".join(p) for p in paths if p) or None
        by_row: dict[int, dict[int, Json]] = {}
        for (r, c), cell in s.cells.items():
            if top <= r < bottom and left <= c < right:
                by_row.setdefault(r, {})[c] = mask(cell, cell_mask) if cell_mask else cell
        rows = []
        for r in range(top, max(by_row, default=top - 1) + 1):
            row = by_row.get(r, {})
            values = [row.get(c, {}) for c in range(left, max(row, default=left - 1) + 1)]
            while values and not values[-1]:
                values.pop()
            rows.append({"values": values} if values else {})
        while rows and not rows[-1]:
            rows.pop()
        block: Json = {}
        if top:
            block["startRow"] = top
        if left:
            block["startColumn"] = left
        if rows:
            block["rowData"] = rows
        return block

    # spreadsheets.batchUpdate -------------------------------------------------------------

    def bounds(self, book: Spreadsheet, grid: Json) -> tuple[Sheet, int, int, int, int]:
        sheet = book.sheet(sheet_id=int(grid.get("sheetId", 0)))
        rows, cols = sheet.size
        r0, r1 = int(grid.get("startRowIndex", 0)), int(grid.get("endRowIndex", rows))
        c0, c1 = int(grid.get("startColumnIndex", 0)), int(grid.get("endColumnIndex", cols))
        if r1 > rows or c1 > cols:
            raise bad(f"Range ('{sheet.title}'!{col_letters(c0)}{r0 + 1}:"
                      f"{col_letters(c1 - 1)}{r1}) exceeds grid limits. Max rows: {rows}, "
                      f"max columns: {cols}")
        return sheet, r0, r1, c0, c1

    def cells_in(self, book: Spreadsheet, grid: Json) -> Iterator[tuple[Sheet, int, int]]:
        sheet, r0, r1, c0, c1 = self.bounds(book, grid)
        for r in range(r0, r1):
            for c in range(c0, c1):
                yield sheet, r, c

    def batch_update(self, book: Spreadsheet, body: Json) -> Json:
        replies = []
        # The real API applies a batch all or nothing; here a refused request leaves the ones
        # before it applied (minga sends none that the server refuses: tests check that).
        draft = book
        for request in body.get("requests", []):
            (kind, args), = request.items()
            handler = getattr(self, "do_" + kind, None)
            if handler is None:
                raise bad(f"minga's local server does not implement {kind}")
            replies.append(handler(draft, args) or {})
        return {"spreadsheetId": book.id, "replies": replies}

    def do_addSheet(self, book: Spreadsheet, args: Json) -> Json:
        props = dict(args.get("properties", {}))
        title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
        if any(s.title == title for s in book.sheets):
            raise bad(f'Invalid requests[0].addSheet: A sheet with the name "{title}" already '
                      "exists. Please enter another name.")
        sheet_id = int(props.get("sheetId", self.state.sheet_id()))
        if any(s.id == sheet_id for s in book.sheets):
            raise bad(f"Invalid requests[0].addSheet: Sheet with id {sheet_id} already exists.")
        grid = props.get("gridProperties", {})
        index = int(props.get("index", len(book.sheets)))
        sheet = new_sheet(sheet_id, title, index, int(grid.get("rowCount", 1000)),
                          int(grid.get("columnCount", 26)))
        for key in ("hidden", "tabColor", "tabColorStyle"):
            if key in props:
                sheet.properties[key] = props[key]
        sheet.properties["gridProperties"].update(
            {k: v for k, v in grid.items() if k not in ("rowCount", "columnCount")})
        book.sheets.insert(index, sheet)
        book.reindex()
        return {"addSheet": {"properties": sheet.properties}}

    def do_deleteSheet(self, book: Spreadsheet, args: Json) -> None:
        sheet = book.sheet(sheet_id=int(args["sheetId"]))
        if len(book.sheets) == 1:
            raise bad("Invalid requests[0].deleteSheet: You can't remove all the sheets in a "
                      "document.")
        book.sheets.remove(sheet)
        book.named = [n for n in book.named if n["range"].get("sheetId", 0) != sheet.id]
        book.reindex()

    def do_updateSheetProperties(self, book: Spreadsheet, args: Json) -> None:
        props = args["properties"]
        sheet = book.sheet(sheet_id=int(props.get("sheetId", 0)))
        for path in _split_fields(args["fields"]):
            if path == ["index"]:
                index = int(props["index"])
                old = book.sheets.index(sheet)
                book.sheets.remove(sheet)
                book.sheets.insert(index - 1 if index > old else index, sheet)
                book.reindex()
                continue
            _set(sheet.properties, path, _leaves(props, ".".join(path))[0][1])

    def do_updateSpreadsheetProperties(self, book: Spreadsheet, args: Json) -> None:
        if "title" in args.get("properties", {}):
            book.title = args["properties"]["title"]

    def do_updateDimensionProperties(self, book: Spreadsheet, args: Json) -> None:
        rng = args["range"]
        sheet = book.sheet(sheet_id=int(rng.get("sheetId", 0)))
        target = sheet.rows if rng["dimension"] == "ROWS" else sheet.columns
        for i in range(int(rng["startIndex"]), int(rng["endIndex"])):
            meta = target.setdefault(i, {})
            apply_fields(meta, args["properties"], args["fields"])

    def do_repeatCell(self, book: Spreadsheet, args: Json) -> None:
        leaves = _leaves(args["cell"], args["fields"])
        for sheet, r, c in self.cells_in(book, args["range"]):
            cell = sheet.cells.setdefault((r, c), {})
            apply_fields(cell, args["cell"], args["fields"], leaves)
            if not cell:
                del sheet.cells[(r, c)]

    def do_updateCells(self, book: Spreadsheet, args: Json) -> None:
        start = args.get("start") or {
            "sheetId": args["range"].get("sheetId", 0),
            "rowIndex": args["range"].get("startRowIndex", 0),
            "columnIndex": args["range"].get("startColumnIndex", 0)}
        sheet = book.sheet(sheet_id=int(start.get("sheetId", 0)))
        rows, cols = sheet.size
        for r, row in enumerate(args.get("rows", []), start=int(start.get("rowIndex", 0))):
            for c, data in enumerate(row.get("values", []),
                                     start=int(start.get("columnIndex", 0))):
                if r >= rows or c >= cols:
                    raise bad("Range exceeds grid limits")
                cell = sheet.cells.setdefault((r, c), {})
                apply_fields(cell, data, args["fields"])

    def do_mergeCells(self, book: Spreadsheet, args: Json) -> None:
        self.bounds(book, args["range"])
        book.sheet(sheet_id=int(args["range"].get("sheetId", 0))).merges.append(
            _without_default_sheet(args["range"]))

    def do_setDataValidation(self, book: Spreadsheet, args: Json) -> None:
        for sheet, r, c in self.cells_in(book, args["range"]):
            cell = sheet.cells.setdefault((r, c), {})
            if args.get("rule"):
                cell["dataValidation"] = args["rule"]
            else:
                cell.pop("dataValidation", None)

    def do_addConditionalFormatRule(self, book: Spreadsheet, args: Json) -> None:
        rule = args["rule"]
        for grid in rule["ranges"]:
            self.bounds(book, grid)
        sheet = book.sheet(sheet_id=int(rule["ranges"][0].get("sheetId", 0)))
        sheet.conditional.insert(int(args.get("index", len(sheet.conditional))), rule)

    def do_addProtectedRange(self, book: Spreadsheet, args: Json) -> Json:
        given = args["protectedRange"]
        pr: Json = {"protectedRangeId": self.state.sheet_id(),
                    "range": _without_default_sheet(given["range"])}
        for key, value in given.items():  # as the API echoes it: defaults left out
            if key not in ("range", "editors", "requestingUserCanEdit") and \
                    value not in (None, False, [], ""):
                pr[key] = value
        pr["requestingUserCanEdit"] = True
        pr["editors"] = {k: v for k, v in (given.get("editors") or {}).items() if v}
        pr["range"]["sheetId"] = given["range"].get("sheetId", 0)
        book.sheet(sheet_id=int(pr["range"].get("sheetId", 0))).protected.append(pr)
        pr["range"] = _without_default_sheet(pr["range"])
        return {"addProtectedRange": {"protectedRange": pr}}

    def do_addNamedRange(self, book: Spreadsheet, args: Json) -> Json:
        named = dict(args["namedRange"])
        if any(n["name"] == named["name"] for n in book.named):
            raise bad(f"Invalid requests[0].addNamedRange: Named range with name "
                      f"\"{named['name']}\" already exists.")
        named["namedRangeId"] = str(self.state.sheet_id())
        named["range"] = _without_default_sheet(named["range"])
        book.named.append(named)
        return {"addNamedRange": {"namedRange": named}}

    def do_deleteNamedRange(self, book: Spreadsheet, args: Json) -> None:
        book.named = [n for n in book.named if n["namedRangeId"] != args["namedRangeId"]]


def _without_default_sheet(grid: Json) -> Json:
    """A GridRange as the API returns it: sheet 0 is the default, left out."""
    return {k: v for k, v in grid.items() if not (k == "sheetId" and v == 0)}


# --- HTTP ---------------------------------------------------------------------------------

_SHEETS = re.compile(r"^/v4/spreadsheets/([^/:]+)(.*)$")
_FILES = re.compile(r"^/drive/v3/files(?:/([^/]+))?$")


class Handler(BaseHTTPRequestHandler):
    server: SheetsServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet: the tests read state.log
        pass

    def do_GET(self) -> None:
        self.handle_any("GET")

    def do_POST(self) -> None:
        self.handle_any("POST")

    def do_PUT(self) -> None:
        self.handle_any("PUT")

    def do_DELETE(self) -> None:
        self.handle_any("DELETE")

    def reply(self, status: int, body: Json | None, headers: dict[str, str] | None = None
              ) -> None:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False, indent=2).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method: str) -> None:
        state = self.server.state
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if url.path == "/token" and method == "POST":  # Google's OAuth token endpoint
            with state.lock:
                self.token_endpoint(raw)
            return
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            self.reply(400, {"error": {"code": 400, "message": "Invalid JSON payload received.",
                                       "status": "INVALID_ARGUMENT"}})
            return
        with state.lock:
            state.log.append((method, unquote(url.path), body))
            if state.failures:
                status, after = state.failures.pop(0)
                headers = {"Retry-After": f"{after:g}"} if after is not None else {}
                self.reply(status, {"error": {"code": status, "message": "Quota exceeded "
                                              "(injected by the test)",
                                              "status": "RESOURCE_EXHAUSTED" if status == 429
                                              else "UNAVAILABLE"}}, headers)
                return
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Bearer ") or (state.token and auth != f"Bearer {state.token}"):
                self.reply(401, {"error": {"code": 401, "message": "Request is missing required "
                                           "authentication credential.",
                                           "status": "UNAUTHENTICATED"}})
                return
            try:
                status, answer = self.route(method, unquote(url.path), params, body)
            except ApiError as exc:
                self.reply(exc.code, exc.body())
                return
            except (KeyError, ValueError, TypeError) as exc:
                self.reply(400, {"error": {"code": 400, "message": f"Invalid request: {exc}",
                                           "status": "INVALID_ARGUMENT"}})
                return
        self.reply(status, answer)

    def token_endpoint(self, raw: bytes) -> None:
        """Grants the server's token to a signed service-account JWT or a refresh token, as
        https://oauth2.googleapis.com/token does (the JWT's signature is not verified here)."""
        form = parse_qs(raw.decode())
        grant = form.get("grant_type", [""])[0]
        ok = (grant == "urn:ietf:params:oauth:grant-type:jwt-bearer" and form.get("assertion")
              ) or (grant == "refresh_token" and form.get("refresh_token"))
        self.server.state.grants.append(grant)
        if not ok:
            self.reply(400, {"error": "invalid_grant", "error_description": "Bad Request"})
            return
        self.reply(200, {"access_token": self.server.state.token or "local",
                         "expires_in": 3599, "token_type": "Bearer"})

    def check(self, body: Any, schema: str, name: str = "") -> None:
        errors = self.server.state.schemas.errors(body, schema, name)
        if errors:
            self.server.state.violations += errors
            raise ApiError(400, "Invalid JSON payload received. " + "; ".join(errors[:5]),
                           "INVALID_ARGUMENT", [{"field": e.split(":")[0], "description": e}
                                                for e in errors[:5]])

    def route(self, method: str, path: str, params: dict[str, list[str]], body: Any
              ) -> tuple[int, Json | None]:
        state, api = self.server.state, self.server.api
        files = _FILES.match(path)
        if files:
            key = files.group(1)
            if key is None and method == "POST":
                book = state.create(str((body or {}).get("name", "Untitled spreadsheet")))
                return 200, {"kind": "drive#file", "id": book.id, "name": book.title,
                             "mimeType": "application/vnd.google-apps.spreadsheet"}
            if key and method == "GET":
                book = state.book(key)
                return 200, {"kind": "drive#file", "id": book.id, "name": book.title,
                             "mimeType": "application/vnd.google-apps.spreadsheet"}
            if key and method == "DELETE":
                state.book(key)
                del state.books[key]
                return 204, None
        m = _SHEETS.match(path)
        if not m:
            raise ApiError(404, "Not found", "NOT_FOUND")
        book = state.book(m.group(1))
        rest = m.group(2)
        if rest == "" and method == "GET":
            fields = params.get("fields", [None])[0]
            # includeGridData "is ignored if a field mask was set": the mask decides.
            grid = ("data" in re.split(r"[.,()/]", fields) if fields else
                    params.get("includeGridData", ["false"])[0].lower() == "true")
            return 200, mask(api.resource(book, grid, params.get("ranges"), fields), fields)
        if rest == ":batchUpdate" and method == "POST":
            self.check(body, "BatchUpdateSpreadsheetRequest")
            return 200, api.batch_update(book, body)
        if rest == "/values:batchGet" and method == "GET":
            ranges = params.get("ranges", [])
            return 200, {"spreadsheetId": book.id,
                         "valueRanges": [api.read(book, r, params) for r in ranges]}
        if rest == "/values:batchUpdate" and method == "POST":
            self.check(body, "BatchUpdateValuesRequest")
            answers = [api.write(book, item["range"], item.get("values", []),
                                 body.get("valueInputOption", ""),
                                 item.get("majorDimension", "ROWS"))
                       for item in body.get("data", [])]
            answer: Json = {"spreadsheetId": book.id}
            if answers:
                answer.update({
                    "totalUpdatedRows": sum(a["updatedRows"] for a in answers),
                    "totalUpdatedColumns": max(a["updatedColumns"] for a in answers),
                    "totalUpdatedCells": sum(a["updatedCells"] for a in answers),
                    "totalUpdatedSheets": len({a["updatedRange"].rpartition("!")[0]
                                               for a in answers}),
                    "responses": answers})
            return 200, answer
        if rest.startswith("/values/"):
            a1 = rest[len("/values/"):]
            if a1.endswith(":clear") and method == "POST":
                sheet, top, bottom, left, right, _ = api.resolve(book, a1[:-6])
                for r in range(top, bottom):
                    for c in range(left, right):
                        sheet.cells.get((r, c), {}).pop("userEnteredValue", None)
                return 200, {"spreadsheetId": book.id,
                             "clearedRange": api.a1(sheet, top, bottom, left, right)}
            if method == "GET":
                return 200, api.read(book, a1, params)
            if method == "PUT":
                self.check(body, "ValueRange", "data")
                option = params.get("valueInputOption", [""])[0]
                return 200, api.write(book, a1, body.get("values", []), option,
                                      body.get("majorDimension", "ROWS"))
        raise ApiError(404, "Not found", "NOT_FOUND")


class SheetsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.state = State()
        self.api = Api(self.state)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def running() -> Iterator[SheetsServer]:
    """A server on a free port of 127.0.0.1, in a thread, for the length of a test."""
    server = SheetsServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
