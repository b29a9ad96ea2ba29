"""What rewriting a workbook with openpyxl would take from its owner.

openpyxl (3.1) does not edit a package: it reads what it models and writes a new one, so
anything it does not model is silently absent from what it saves — shapes and text boxes,
form and ActiveX controls, threaded comments, slicers, sparklines, the Excel 2010 extensions
of conditional formats and data validations, dynamic-array and rich-value cells, custom XML,
a macro project unless asked to keep it, several worksheet settings (``tests/test_preserve.py``
proves each kind, both ways; ``docs/conservar.md`` lists them).  After every save minga puts
back what it safely can (``addin.backends.restore``), then ``inventory`` counts the original
and the new package sheet by sheet and ``losses`` names whatever of the user's would still be
missing: the caller refuses to replace the file (``refusal``) unless told to (``--forzar``).

minga's own sheets (passed as ``own``) and its own notes (signed «minga») are not counted as
the user's: minga rewrites them on purpose.  Every part is parsed with defusedxml (no DTD, no
entities); a sheet's cells are never parsed, only searched for the attributes that matter.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from addin.backends.base import MARK_AUTHOR
from addin.backends.sheetxml import parse_part, refuse_dtd
from addin.domain.wording import plural
from addin.errors import MingaError

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#: minga's own notes — the template's, its marks, its older marks — are signed «minga»
#: (``MARK_AUTHOR``); a mark's text begins so (``addin.actions.marks``).  They are not the
#: user's: minga adds and takes them away on purpose.
OWN_NOTE = "[minga]"

#: What each kind is called in a message: singular, plural.
KINDS: dict[str, tuple[str, str]] = {
    "sheet": ("hoja de macros o de diálogo", "hojas de macros o de diálogo"),
    "chart": ("gráfico", "gráficos"),
    "chart_drawing": ("dibujo dentro de un gráfico", "dibujos dentro de gráficos"),
    "image": ("imagen", "imágenes"),
    "shape": ("forma o cuadro de texto", "formas o cuadros de texto"),
    "object": ("objeto de dibujo (SmartArt, tinta u otro)",
               "objetos de dibujo (SmartArt, tinta u otros)"),
    "control": ("control de formulario o ActiveX", "controles de formulario o ActiveX"),
    "control_props": ("ficha de propiedades de un control de formulario",
                      "fichas de propiedades de controles de formulario"),
    "ole": ("objeto incrustado", "objetos incrustados"),
    "note": ("nota", "notas"),
    "thread": ("comentario (conversación)", "comentarios (conversaciones)"),
    "validation": ("validación de datos (lista desplegable u otra)",
                   "validaciones de datos (listas desplegables u otras)"),
    "format": ("formato condicional", "formatos condicionales"),
    "format_ext": ("ajuste de Excel 2010 de un formato condicional (barra de datos, íconos)",
                   "ajustes de Excel 2010 de formatos condicionales (barras de datos, íconos)"),
    "sparkline": ("minigráfico", "minigráficos"),
    "slicer": ("segmentación de datos", "segmentaciones de datos"),
    "timeline": ("escala de tiempo", "escalas de tiempo"),
    "pivot": ("tabla dinámica", "tablas dinámicas"),
    "table": ("tabla", "tablas"),
    "link": ("vínculo", "vínculos"),
    "dynamic": ("fórmula de matriz dinámica", "fórmulas de matriz dinámica"),
    "rich": ("celda con imagen o tipo de datos", "celdas con imagen o tipo de datos"),
    "header_image": ("imagen de encabezado o pie de página",
                     "imágenes de encabezado o pie de página"),
    "background": ("imagen de fondo", "imágenes de fondo"),
    "extension": ("extensión de Excel que minga no conoce",
                  "extensiones de Excel que minga no conoce"),
    "part": ("parte del archivo que minga no conoce", "partes del archivo que minga no conoce"),
    "macros": ("proyecto de macros (VBA)", "proyectos de macros (VBA)"),
    "name": ("nombre definido", "nombres definidos"),
    "external": ("vínculo a otro libro", "vínculos a otros libros"),
    "connection": ("conexión de datos", "conexiones de datos"),
    "custom_xml": ("parte de datos XML personalizados", "partes de datos XML personalizados"),
    "ribbon": ("cinta personalizada", "cintas personalizadas"),
    "property": ("propiedad personalizada del documento",
                 "propiedades personalizadas del documento"),
    "signature": ("firma digital", "firmas digitales"),
    "protectedRanges": ("rango con permiso de edición", "rangos con permiso de edición"),
    "customSheetViews": ("vista personalizada", "vistas personalizadas"),
    "cellWatches": ("inspección de celda", "inspecciones de celdas"),
    "ignoredErrors": ("error omitido (triángulo verde oculto)",
                      "errores omitidos (triángulos verdes ocultos)"),
    "smartTags": ("etiqueta inteligente", "etiquetas inteligentes"),
    "webPublishItems": ("elemento publicado en la web", "elementos publicados en la web"),
    "dataConsolidate": ("ajuste de Consolidar", "ajustes de Consolidar"),
    "sortState": ("orden guardado", "órdenes guardados"),
    "setting": ("ajuste de hoja que minga no conoce", "ajustes de hoja que minga no conoce"),
}

# Worksheet extensions (ECMA-376 / [MS-XLSX] 2.2.4) and what they hold.
EXT_CF = "{78C0D931-6437-407d-A8EE-F0AAD7539E65}"
EXT_DV = "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"
EXT_SPARKLINES = "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}"
EXT_CF_RULE_ID = "{B025F937-C7B1-47D3-B67F-A62EFF666E3E}"  # a 2007 rule's link to its x14 rule
#: Extensions openpyxl drops that ``restore`` puts back: they refer only to cells.
RESTORABLE = {EXT_CF, EXT_DV, EXT_SPARKLINES}
#: A worksheet's children after its cells, in the schema's order (ECMA-376 CT_Worksheet).
ORDER = ["sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter",
         "sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr",
         "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions",
         "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
         "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
         "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
         "webPublishItems", "tableParts", "extLst"]
#: Children openpyxl drops that ``restore`` puts back: they refer only to cells.
RESTORABLE_ELEMENTS = {"protectedRanges", "sortState", "dataConsolidate", "cellWatches",
                       "ignoredErrors"}
RESTORE_TRIGGERS = RESTORABLE_ELEMENTS | {"extLst"}
#: Children counted as the user's, with the element each counts (None: the child itself).
SETTINGS: dict[str, str | None] = {
    "protectedRanges": "protectedRange", "customSheetViews": "customSheetView",
    "cellWatches": "cellWatch", "ignoredErrors": "ignoredError", "smartTags": "cellSmartTag",
    "webPublishItems": "webPublishItem", "dataConsolidate": None, "sortState": None}
#: Children openpyxl writes back itself, or that are counted elsewhere, or that are a
#: state rather than content (phonetic settings, a calculation flag minga sets anyway).
_KEPT = {"sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData",
         "sheetProtection", "scenarios", "autoFilter", "mergeCells", "printOptions",
         "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "phoneticPr",
         "sheetCalcPr", "customProperties"}
#: Extensions counted through the parts they point to (slicers, timelines).
_COUNTED_ELSEWHERE = {"{A8765BA9-456A-4dab-B4F3-ACF838C121DE}",
                      "{3A4CF648-6AED-40f4-86FF-DC5316D8AED3}",
                      "{7E03D99C-DC04-49d9-9315-930204A7B6E9}",
                      "{BBE1A952-AA13-448e-AADC-164F8A28A991}",
                      "{46BE6895-7355-4a93-B00E-2C351335B9C9}",
                      "{D0CA8CA8-9F24-4464-BF8E-62219DCF47F9}",
                      "{A2CB5862-8E78-49c6-8D9D-AF26E26ADB89}",
                      "{876F7934-8845-4945-9796-88D515C7AA90}"}
#: Settings Excel 365 and LibreOffice write into every workbook, not content: chart tracking
#: of cell references, calculation features, LibreOffice's reference syntax.  Losing them
#: changes nothing a person sees.
_SETTINGS = {"{140A7094-0E35-4892-8432-C4D2E57EDEB5}", "{B58B0392-4F1F-4190-BB64-5DF3571DCE5F}",
             "{7626C862-2A13-11E5-B345-FEFF819CDC9F}"}

# Relationship types by their last word, and what each counts as (None: not the user's
# content — rebuilt by openpyxl, or settings such as printer drivers and chart colour styles).
_SHEET_RELS: dict[str, str | None] = {
    "comments": None, "vmlDrawing": None, "drawing": None, "table": None, "hyperlink": None,
    "printerSettings": None, "pivotTable": None, "threadedComment": None, "slicer": None,
    "timeline": None, "ctrlProp": None, "control": None, "oleObject": None, "image": None,
    "package": None, "customProperty": None, "queryTable": "part",
}
_WORKBOOK_RELS: dict[str, str | None] = {
    "worksheet": None, "chartsheet": None, "dialogsheet": None, "macrosheet": None,
    "xlMacrosheet": None, "xlIntlMacrosheet": None, "styles": None, "theme": None,
    "sharedStrings": None, "calcChain": None, "pivotCacheDefinition": None,
    "slicerCache": None, "timelineCache": None, "person": None, "sheetMetadata": None,
    "rdRichValue": None, "rdRichValueStructure": None, "rdRichValueTypes": None,
    "richValueRel": None, "rdArray": None, "rdSupportingPropertyBag": None,
    "rdSupportingPropertyBagStructure": None, "RichStylesheet": None,
    "vbaProject": "macros", "externalLink": "external", "connections": "connection",
    "customXml": "custom_xml",
}
_ROOT_RELS: dict[str, str | None] = {
    "officeDocument": None, "core-properties": None, "extended-properties": None,
    "metadata/thumbnail": None, "thumbnail": None, "custom-properties": None,
    "ui/extensibility": "ribbon", "extensibility": "ribbon", "customUI": "ribbon",
    "origin": "signature", "digital-signature/origin": "signature",
}
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData\b")
_SHEET_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def rel_word(kind: str) -> str:
    """A relationship type's last word (``…/relationships/drawing`` → ``drawing``)."""
    for long in ("metadata/thumbnail", "ui/extensibility", "digital-signature/origin"):
        if kind.endswith(long):
            return long
    return kind.rstrip("/").rpartition("/")[2]


def _rid(element: Any) -> str:
    return element.get(f"{{{_REL}}}id") or ""


@dataclass
class _Rel:
    type: str
    target: str  # a zip member name, or the raw target if external
    external: bool


class OpcPackage:
    """A package's zip members and relationships, read only as far as asked."""

    def __init__(self, archive: zipfile.ZipFile, label: Path) -> None:
        self.archive = archive
        self.label = label
        self.names = set(archive.namelist())

    def read(self, name: str) -> bytes | None:
        if name not in self.names:
            return None
        data = self.archive.read(name)
        refuse_dtd(self.label, name, data)
        return data

    def xml(self, name: str) -> Any:
        data = self.read(name)
        return None if data is None else parse_part(self.label, name, data)

    def rels(self, part: str) -> dict[str, _Rel]:
        folder, _, base = part.rpartition("/")
        root = self.xml(f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels")
        found: dict[str, _Rel] = {}
        for rel in [] if root is None else root:
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                target = target[1:] if target.startswith("/") else \
                    posixpath.normpath(posixpath.join(folder, target))
            found[rel.get("Id", "")] = _Rel(rel.get("Type", ""), target, external)
        return found

    def workbook_part(self) -> str:
        for rel in self.rels("").values():
            if rel_word(rel.type) == "officeDocument":
                return rel.target
        return "xl/workbook.xml"

    def sheets(self) -> list[tuple[str, str, str]]:
        """(name, relationship word, part) of each sheet, in tab order."""
        book = self.workbook_part()
        root = self.xml(book)
        rels = self.rels(book)
        found = []
        for element in [] if root is None else root.iter():
            if _local(element.tag) == "sheet":
                rel = rels.get(_rid(element))
                found.append((element.get("name", ""), rel_word(rel.type) if rel else "",
                              rel.target if rel else ""))
        return found


def split_sheet(data: bytes) -> tuple[bytes, bytes, bytes]:
    """A sheet's XML as (before ``<sheetData>``, its cells, after them): what surrounds the
    cells is small and parsed; the cells, possibly a hundred megabytes, are only counted."""
    start = _SHEET_DATA.search(data)
    if start is None:
        return data, b"", b""
    close = data.find(b">", start.end())
    if close > 0 and data[close - 1:close] == b"/":  # <sheetData/>
        return data[:start.start()], b"", data[close + 1:]
    end = _SHEET_DATA_END.search(data, start.end())
    if end is None:
        return data, b"", b""
    return data[:start.start()], data[start.start():end.end()], data[end.end():]


def _count_anchors(pkg: OpcPackage, part: str, found: Counter[tuple[str, str, str]], scope: str,
                   ) -> None:
    root = pkg.xml(part)
    if root is None:
        return
    rels = pkg.rels(part)
    for anchor in root:
        if _local(anchor.tag) not in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor"):
            continue
        content = next((c for c in anchor if _local(c.tag) not in
                        ("from", "to", "pos", "ext", "clientData")), None)
        if content is None:
            continue
        local = _local(content.tag)
        if local in ("sp", "grpSp", "cxnSp"):
            found[scope, "shape", ""] += 1
        elif local == "pic":
            found[scope, "image", ""] += 1
        elif local == "graphicFrame":
            chart = next((e for e in content.iter() if _local(e.tag) == "chart"
                          and _rid(e)), None)
            if chart is None:
                found[scope, "object", ""] += 1
                continue
            found[scope, "chart", ""] += 1
            rel = rels.get(_rid(chart))
            if rel is not None and not rel.external:
                for sub in pkg.rels(rel.target).values():
                    if rel_word(sub.type) == "chartUserShapes":
                        found[scope, "chart_drawing", ""] += 1
        elif local == "AlternateContent":
            words = {_local(e.tag) for e in content.iter()}
            if not words & {"slicer", "timeslicer"}:  # those count through their parts
                found[scope, "object", ""] += 1
        else:
            found[scope, "object", ""] += 1


def _count_children(root: Any, name: str) -> int:
    return sum(1 for e in root.iter() if _local(e.tag) == name)


def _sheet_inventory(pkg: OpcPackage, scope: str, part: str,
                     found: Counter[tuple[str, str, str]]) -> None:
    data = pkg.read(part)
    if data is None:
        return
    head, cells, tail = split_sheet(data)
    for kind, attribute in (("dynamic", b"cm"), ("rich", b"vm")):
        if b" " + attribute + b'="' in cells:  # cheap test first: the regex is precise
            found[scope, kind, ""] += len(re.findall(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\s" +
                                                     attribute + rb'="', cells))
    root = parse_part(pkg.label, part, head + tail)
    rels = pkg.rels(part)
    controls = drawn = 0  # one control is listed in the sheet and drawn in its VML
    for child in root:
        local = _local(child.tag)
        if local == "conditionalFormatting":
            found[scope, "format", ""] += _count_children(child, "cfRule")
        elif local == "dataValidations":
            found[scope, "validation", ""] += _count_children(child, "dataValidation")
        elif local == "hyperlinks":
            found[scope, "link", ""] += _count_children(child, "hyperlink")
        elif local == "tableParts":
            found[scope, "table", ""] += _count_children(child, "tablePart")
        elif local == "oleObjects":
            found[scope, "ole", ""] += _count_children(child, "oleObject")
        elif local == "controls":
            controls += _count_children(child, "control")
        elif local == "legacyDrawingHF":
            found[scope, "header_image", ""] += 1
        elif local == "picture":
            found[scope, "background", ""] += 1
        elif local == "drawing":
            rel = rels.get(_rid(child))
            if rel is not None and not rel.external:
                _count_anchors(pkg, rel.target, found, scope)
        elif local == "legacyDrawing":
            rel = rels.get(_rid(child))
            vml = pkg.read(rel.target) if rel is not None and not rel.external else None
            if vml:  # form controls are VML shapes whose ObjectType is not a note's
                kinds = re.findall(rb'ObjectType\s*=\s*"([^"]*)"', vml)
                drawn += sum(1 for k in kinds if k != b"Note")
        elif local in SETTINGS:
            counted = SETTINGS[local]
            found[scope, local, ""] += 1 if counted is None else _count_children(child, counted)
        elif local == "drawingHF":
            found[scope, "header_image", ""] += 1
        elif local == "AlternateContent":  # Excel 2010 wraps controls and OLE objects so
            choice = next((c for c in child if _local(c.tag) == "Choice"), child)
            inner = {_local(e.tag) for e in choice.iter()}
            if "controls" in inner:
                controls += _count_children(choice, "control")
            elif "oleObjects" in inner:
                found[scope, "ole", ""] += _count_children(choice, "oleObject")
            else:
                found[scope, "setting", local] += 1
        elif local != "extLst" and local not in _KEPT:
            found[scope, "setting", local] += 1
        elif local == "extLst":
            for ext in child:
                uri = ext.get("uri", "")
                if uri == EXT_CF:
                    found[scope, "format_ext", ""] += _count_children(ext, "cfRule")
                elif uri == EXT_DV:
                    found[scope, "validation", ""] += _count_children(ext, "dataValidation")
                elif uri == EXT_SPARKLINES:
                    found[scope, "sparkline", ""] += _count_children(ext, "sparkline")
                elif uri not in _COUNTED_ELSEWHERE:
                    found[scope, "extension", uri] += 1
    ctrl_props = 0
    for rel in rels.values():
        word = rel_word(rel.type)
        if word == "comments" and not rel.external:
            notes = pkg.xml(rel.target)
            authors = [] if notes is None else \
                [a.text or "" for a in notes.iter() if _local(a.tag) == "author"]
            for comment in [] if notes is None else notes.iter():
                if _local(comment.tag) == "comment":
                    text = "".join(t.text or "" for t in comment.iter() if _local(t.tag) == "t")
                    author = comment.get("authorId", "")
                    mine = text.lstrip().startswith(OWN_NOTE) or (
                        author.isdigit() and int(author) < len(authors) and
                        authors[int(author)] == MARK_AUTHOR)
                    found[scope, "own_note" if mine else "note", comment.get("ref", "")] = 1
        elif word == "threadedComment" and not rel.external:
            threads = pkg.xml(rel.target)
            found[scope, "thread", ""] += 0 if threads is None else \
                _count_children(threads, "threadedComment")
        elif word == "pivotTable":
            found[scope, "pivot", ""] += 1
        elif word == "slicer" and not rel.external:
            slicers = pkg.xml(rel.target)
            found[scope, "slicer", ""] += 0 if slicers is None else \
                _count_children(slicers, "slicer")
        elif word == "timeline" and not rel.external:
            timelines = pkg.xml(rel.target)
            found[scope, "timeline", ""] += 0 if timelines is None else \
                _count_children(timelines, "timeline")
        elif word == "ctrlProp":
            found[scope, "control_props", ""] += 1
        elif word == "control":
            ctrl_props += 1
        elif word not in _SHEET_RELS or _SHEET_RELS[word] is not None:
            found[scope, _SHEET_RELS.get(word) or "part", word] += 1
    found[scope, "control", ""] += max(controls, drawn, ctrl_props)


def inventory(archive: zipfile.ZipFile, label: Path, own: Collection[str] = ()
              ) -> Counter[tuple[str, str, str]]:
    """What a package holds, as counts keyed (sheet or "" for the workbook, kind, detail)."""
    pkg = OpcPackage(archive, label)
    found: Counter[tuple[str, str, str]] = Counter()
    sheets = pkg.sheets()
    for name, word, part in sheets:
        if word in ("dialogsheet", "macrosheet", "xlMacrosheet", "xlIntlMacrosheet"):
            found["", "sheet", name] += 1
        if name in own:
            continue
        if word == "worksheet":
            _sheet_inventory(pkg, name, part, found)
        elif word == "chartsheet":
            root = pkg.xml(part)
            rels = pkg.rels(part)
            for child in [] if root is None else root:
                rel = rels.get(_rid(child))
                if _local(child.tag) == "drawing" and rel is not None and not rel.external:
                    _count_anchors(pkg, rel.target, found, name)
    book = pkg.workbook_part()
    root = pkg.xml(book)
    order = [name for name, _, _ in sheets]
    for element in [] if root is None else root:
        local = _local(element.tag)
        if local == "definedNames":
            for defined in element:
                sheet_id = defined.get("localSheetId")
                where = order[int(sheet_id)] if sheet_id and sheet_id.isdigit() and \
                    int(sheet_id) < len(order) else ""
                name = defined.get("name", "")
                # A set (LibreOffice writes some names twice).  _FilterDatabase is derived:
                # Excel makes it again from the sheet's filter, which openpyxl keeps.
                if where not in own and name != "_xlnm._FilterDatabase":
                    found["", "name", f"{where}!{name}".lstrip("!")] = 1
        elif local == "extLst":
            for ext in element:
                uri = ext.get("uri", "")
                if uri not in _COUNTED_ELSEWHERE and uri not in _SETTINGS:
                    found["", "extension", uri] += 1
    for rel in pkg.rels(book).values():
        word = rel_word(rel.type)
        if word not in _WORKBOOK_RELS or _WORKBOOK_RELS[word] is not None:
            found["", _WORKBOOK_RELS.get(word) or "part", word] += 1
    for rel in pkg.rels("").values():
        word = rel_word(rel.type)
        if word == "custom-properties" and not rel.external:
            props = pkg.xml(rel.target)
            for prop in [] if props is None else props:
                found["", "property", prop.get("name", "")] += 1
        elif word not in _ROOT_RELS or _ROOT_RELS[word] is not None:
            found["", _ROOT_RELS.get(word) or "part", word] += 1
    return found


@dataclass(frozen=True)
class Loss:
    """How many things of one kind a sheet (or the workbook, sheet "") would lose."""

    sheet: str
    kind: str
    count: int

    def words(self) -> str:
        one, many = KINDS[self.kind]
        return plural(self.count, one, many)


def losses(before: Counter[tuple[str, str, str]], after: Counter[tuple[str, str, str]]
           ) -> list[Loss]:
    """What ``before`` has that ``after`` lacks, summed by sheet and kind, in the order found.

    Only what decreases counts: minga may add a sheet, a note or a name of its own.  A
    note of minga's own (``own_note``) is not the user's and may go; a user's note that minga
    now shows under its own text is still there.
    """
    summed: dict[tuple[str, str], int] = {}
    for key, count in before.items():
        sheet, kind, detail = key
        if kind == "own_note":
            continue
        kept = after.get(key, 0)
        if kind == "note":
            kept += after.get((sheet, "own_note", detail), 0)
        missing = count - kept
        if missing > 0:
            summed[sheet, kind] = summed.get((sheet, kind), 0) + missing
    return [Loss(sheet, kind, count) for (sheet, kind), count in summed.items()]


def describe(found: Iterable[Loss]) -> list[str]:
    """One line per sheet: «Hoja Inventario: 1 gráfico, 2 formas o cuadros de texto»."""
    by_sheet: dict[str, list[str]] = {}
    for loss in found:
        by_sheet.setdefault(loss.sheet, []).append(loss.words())
    return [(f"Hoja «{sheet}»" if sheet else "El libro") + ": " + ", ".join(words)
            for sheet, words in by_sheet.items()]


def refusal(path: Path, lost: Iterable[Loss], forceable: bool = False) -> MingaError:
    """The message of a write minga refuses: each sheet and what it would lose, and what to
    do instead (``--forzar`` only for the commands that have it in this sense)."""
    fix = ("Use el botón de minga en Excel, que escribe en el libro abierto, o trabaje en una "
           "copia del libro sin eso.")
    if forceable:
        fix += (" Si acepta perderlo, vuelva a ejecutar con --forzar: minga guarda antes un "
                "respaldo con todo.")
    return MingaError(f"No se modificó «{path.name}»: al reescribirlo se perdería lo que minga "
                      "no sabe conservar:\n  " + "\n  ".join(describe(lost)), fix=fix)
