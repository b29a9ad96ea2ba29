"""The Minga buttons of a macro-enabled workbook (.xlsm), kept through every save.

The buttons are classic form buttons drawn in VML (``x:ClientData ObjectType="Button"`` with
its ``x:FmlaMacro``), as Excel has always read them and as LibreOffice imports them with their
macro link.  openpyxl keeps such a drawing when it saves with ``keep_vba``, but drops modern
form controls (``<controls>``), so minga never trusts it: after openpyxl writes an .xlsm,
``ensure_buttons`` puts back any button that is missing.  Zip level only: the parts are
copied byte for byte, the buttons' VML added (into the sheet's notes drawing when it has one).
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree
from xml.sax.saxutils import escape

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
#: (caption, macro) of each button, in order, down column E of Programa.
BUTTONS = (
    ("Nuevo", "Minga.Nuevo"),
    ("Carta Gantt", "Minga.CartaGantt"),
    ("Seguimiento", "Minga.Seguimiento"),
    ("Acta de traspaso", "Minga.ActaTraspaso"),
    ("Validar", "Minga.Validar"),
    ("Sincronizar", "Minga.Sincronizar"),
)
SHEET = "Programa"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
VML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
SHAPE_ID_BASE = 3073  # a block of shape ids of its own (comments start at 1025)

_SHAPETYPE = (
    '<v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201" '
    'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    '<v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" o:connecttype="rect"/>'
    '<o:lock v:ext="edit" shapetype="t"/></v:shapetype>')


def _button(index: int, caption: str, macro: str) -> str:
    """One form button, anchored in columns E–G, two rows tall, from row 4 down."""
    top = 3 + 2 * index  # 0-based row
    anchor = f"4, 8, {top}, 3, 6, 40, {top + 1}, 17"
    return (
        f'<v:shape id="_x0000_s{SHAPE_ID_BASE + index}" type="#_x0000_t201" '
        f'style="position:absolute;margin-left:290pt;margin-top:{45 + 30 * index}pt;'
        'width:120pt;height:24pt;z-index:1;mso-wrap-style:tight" o:button="t" '
        'fillcolor="buttonFace [67]" strokecolor="windowText [64]" o:insetmode="auto">'
        '<v:fill color2="buttonFace [67]" o:detectmouseclick="t"/>'
        '<o:lock v:ext="edit" rotation="t"/>'
        '<v:textbox style="mso-direction-alt:auto" o:singleclick="f">'
        '<div style="text-align:center"><font face="Calibri" size="220" color="#000000">'
        f"{escape(caption)}</font></div></v:textbox>"
        f'<x:ClientData ObjectType="Button"><x:Anchor>{anchor}</x:Anchor>'
        "<x:PrintObject>False</x:PrintObject><x:AutoFill>False</x:AutoFill>"
        f"<x:FmlaMacro>[0]!{escape(macro)}</x:FmlaMacro>"
        "<x:TextHAlign>Center</x:TextHAlign><x:TextVAlign>Center</x:TextVAlign>"
        "</x:ClientData></v:shape>")


def _vml(existing: bytes | None) -> bytes:
    """A VML drawing with the buttons: a new one, or ``existing`` (notes) with them added."""
    shapes = "".join(_button(i, caption, macro) for i, (caption, macro) in enumerate(BUTTONS))
    if existing is None:
        return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" '
                'xmlns:o="urn:schemas-microsoft-com:office:office" '
                'xmlns:x="urn:schemas-microsoft-com:office:excel">'
                '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1,3"/></o:shapelayout>'
                f"{_SHAPETYPE}{shapes}</xml>").encode()
    text = existing.decode("utf-8")
    text = re.sub(r'(<o:idmap [^>]*data=")([^"]*)"',  # our ids are in block 3 (3073…)
                  lambda m: m[0] if "3" in m[2].split(",") else f'{m[1]}{m[2]},3"', text)
    if 'id="_x0000_t201"' not in text:
        shapes = _SHAPETYPE + shapes
    return text.replace("</xml>", shapes + "</xml>").encode()


_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _targets(rels: bytes) -> dict[str, str]:
    """Relationship id → target, whatever the attributes' order (trusted parts: minga's)."""
    root = ElementTree.fromstring(rels)
    return {r.get("Id", ""): r.get("Target", "") for r in root.iter(f"{_REL_NS}Relationship")}


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a part name (absolute «/xl/…» or relative to ``folder``)."""
    return target[1:] if target.startswith("/") else _join(folder, target)


def _sheet_part(parts: dict[str, bytes], sheet: str) -> str:
    """The worksheet part of the sheet named ``sheet``."""
    book = ElementTree.fromstring(parts["xl/workbook.xml"])
    for element in book.iter(f"{_MAIN_NS}sheet"):
        if element.get("name") == sheet:
            target = _targets(parts["xl/_rels/workbook.xml.rels"])[element.get(_R_ID, "")]
            return _resolve("xl", target)
    raise ValueError(f"no sheet {sheet!r}")


def has_buttons(package: bytes) -> bool:
    """Whether every button is drawn on the package's Programa sheet, with its macro."""
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        parts = {n: z.read(n) for n in z.namelist()
                 if n.endswith((".xml", ".rels", ".vml"))}
    try:
        sheet = _sheet_part(parts, SHEET)
    except (ValueError, KeyError):
        return False
    folder, file = sheet.rsplit("/", 1)
    legacy = _LEGACY.search(parts[sheet].decode("utf-8"))
    rels = parts.get(f"{folder}/_rels/{file}.rels")
    if legacy is None or rels is None:
        return False
    vml = parts.get(_resolve(folder, _targets(rels).get(legacy[1], "")), b"").decode("utf-8")
    return all(re.search(rf"FmlaMacro>\[0\]!{re.escape(macro)}<", vml) for _, macro in BUTTONS)


_LEGACY = re.compile(r'<legacyDrawing\b[^>]*?\br:id="([^"]+)"[^>]*/>')


def has_minga_module(package: bytes) -> bool:
    """Whether the package's VBA project has minga's module (the buttons' macros)."""
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        if "xl/vbaProject.bin" not in z.namelist():
            return False
        return "Minga".encode("utf-16-le") in z.read("xl/vbaProject.bin")


def ensure_buttons(package: bytes) -> bytes:
    """``package`` (an .xlsm) with the buttons on Programa, added if missing.

    Only a workbook whose VBA has minga's module gets them: a button must never name a macro
    the workbook does not have.
    """
    if has_buttons(package) or not has_minga_module(package):
        return package
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        names = z.namelist()
        parts = {n: z.read(n) for n in names}
    sheet = _sheet_part(parts, SHEET)
    folder, file = sheet.rsplit("/", 1)
    rels_name = f"{folder}/_rels/{file}.rels"
    rels = parts.get(rels_name, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                     b'relationships"></Relationships>').decode()
    xml = parts[sheet].decode()
    legacy = _LEGACY.search(xml)
    if legacy:  # notes already drawn in VML: the buttons join that drawing
        vml_name = _resolve(folder, _targets(rels.encode())[legacy[1]])
        parts[vml_name] = _vml(_without_buttons(parts[vml_name]))
    else:
        n = 1  # a one-digit name: the only ones openpyxl's keep_vba carries over
        while f"xl/drawings/vmlDrawing{n}.vml" in parts:
            n += 1
        vml_name = f"xl/drawings/vmlDrawing{n}.vml"
        parts[vml_name] = _vml(None)
        used = {int(i[3:]) for i in _targets(rels.encode()) if re.fullmatch(r"rId\d+", i)}
        rid = f"rId{max(used, default=0) + 1}"
        rels = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{VML_REL}" '
                            f'Target="../drawings/vmlDrawing{n}.vml"/></Relationships>')
        parts[rels_name] = rels.encode()
        element = f'<legacyDrawing r:id="{rid}"/>'
        for following in ("<legacyDrawingHF", "<picture", "<oleObjects", "<controls",
                          "<webPublishItems", "<tableParts", "<extLst", "</worksheet>"):
            if following in xml:
                xml = xml.replace(following, element + following, 1)
                break
        if 'xmlns:r="' not in xml[:500]:
            xml = xml.replace("<worksheet ", '<worksheet xmlns:r="http://schemas.openxml'
                              'formats.org/officeDocument/2006/relationships" ', 1)
        parts[sheet] = xml.encode()
        types = parts["[Content_Types].xml"].decode()
        if 'Extension="vml"' not in types:
            types = types.replace("<Override ", f'<Default Extension="vml" ContentType='
                                                f'"{VML_TYPE}"/><Override ', 1)
            parts["[Content_Types].xml"] = types.encode()
    return zip_parts(parts, names + [n for n in parts if n not in names])


def _without_buttons(vml: bytes) -> bytes:
    """A VML drawing without minga's buttons (some may have survived a save): drawn anew."""
    text = vml.decode("utf-8")
    ids = "|".join(str(SHAPE_ID_BASE + i) for i in range(len(BUTTONS)))
    text = re.sub(rf'<(\w+:)?shape [^>]*id="_x0000_s(?:{ids})".*?</(\w+:)?shape>', "", text,
                  flags=re.DOTALL)
    return text.encode()


def _join(folder: str, target: str) -> str:
    out = folder.split("/")
    for piece in target.split("/"):
        if piece == "..":
            out.pop()
        elif piece and piece != ".":
            out.append(piece)
    return "/".join(out)


def zip_parts(parts: dict[str, bytes], order: list[str]) -> bytes:
    """The parts zipped deterministically: fixed time, [Content_Types].xml first."""
    buffer = io.BytesIO()
    names = sorted(order, key=lambda n: (n != "[Content_Types].xml", n))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, parts[name], compresslevel=9)
    return buffer.getvalue()
