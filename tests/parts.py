"""The corpus of workbook parts that openpyxl 3.1 does not model, made at test time.

Each maker adds one kind of part to a minga workbook by editing its package, with the XML
Excel writes for it (trimmed to what identifies it: the relationship, the content type and
the elements a reader looks for).  ``tests/test_preserve.py`` rewrites each one with minga
and checks what happened to it; the same makers run on any workbook, so the corpus is
reproducible and needs no binary file in the repository.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
REL_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#: The order of a worksheet's children after its cells (ECMA-376 CT_Worksheet).
ORDER = ["sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter",
         "sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr",
         "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions",
         "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
         "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
         "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
         "webPublishItems", "tableParts", "extLst"]

Parts = dict[str, bytes]


def edit(path: Path, change: Callable[[Parts], None], target: Path | None = None) -> Path:
    """Rewrite the package at ``path`` (or into ``target``) after ``change`` edits its parts."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    target = target or path
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def _rels_name(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def add_rel(parts: Parts, source: str, kind: str, target: str, external: bool = False) -> str:
    """Add a relationship from part ``source``; returns its id."""
    name = _rels_name(source)
    xml = parts.get(name, f'<Relationships xmlns="{RELS}"></Relationships>'.encode()).decode()
    ids = {int(n) for n in re.findall(r'Id="rId(\d+)"', xml)}
    rid = f"rId{max(ids, default=0) + 100}"
    kind = kind if kind.startswith("http") else REL_DOC + kind
    mode = ' TargetMode="External"' if external else ""
    xml = xml.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{kind}" '
                                          f'Target="{target}"{mode}/></Relationships>')
    parts[name] = xml.encode()
    return rid


def add_part(parts: Parts, name: str, content_type: str, data: str | bytes) -> None:
    parts[name] = data.encode() if isinstance(data, str) else data
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("</Types>", f'<Override PartName="/{name}" '
                                      f'ContentType="{content_type}"/></Types>')
    parts["[Content_Types].xml"] = types.encode()


def sheet_part(parts: Parts, sheet: str) -> str:
    """The part holding worksheet ``sheet``."""
    book = parts["xl/workbook.xml"].decode()
    match = re.search(rf'<sheet\b[^>]*name="{re.escape(sheet)}"[^>]*>', book)
    assert match, sheet
    rid = re.search(r'r:id="([^"]+)"', match.group(0))
    assert rid
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rel = re.search(rf'<Relationship\b[^>]*Id="{rid.group(1)}"[^>]*>', rels)
    assert rel
    target = re.search(r'Target="([^"]+)"', rel.group(0))
    assert target
    path = target.group(1)
    return path[1:] if path.startswith("/") else posixpath.normpath("xl/" + path)


def add_to_sheet(parts: Parts, part: str, element: str, place: str | None = None) -> None:
    """Put ``element`` among the worksheet's children where the schema wants it (where
    ``place`` goes, for an element wrapped in ``mc:AlternateContent``)."""
    xml = parts[part].decode()
    name = re.match(r"<([\w:]+)", element)
    assert name
    later = ORDER[ORDER.index(place or name.group(1)) + 1:]
    cells_end = xml.find("</sheetData>")
    cells_end = cells_end if cells_end >= 0 else xml.find("<sheetData/>")
    positions = [m.start() for tag in later
                 for m in [re.search(rf"<{tag}[\s/>]", xml[cells_end:])] if m]
    at = cells_end + min(positions) if positions else xml.rindex("</worksheet>")
    parts[part] = (xml[:at] + element + xml[at:]).encode()


def add_cell(parts: Parts, part: str, cell_xml: str, column: str = "Z") -> str:
    """Append a row holding one cell after the sheet's last row; returns the cell's address."""
    xml = parts[part].decode()
    last = max((int(n) for n in re.findall(r'<row\b[^>]*\br="(\d+)"', xml)), default=0)
    ref = f"{column}{last + 1}"
    row = f'<row r="{last + 1}">' + cell_xml.format(ref=ref) + "</row>"
    xml = xml.replace("</sheetData>", row + "</sheetData>", 1)
    parts[part] = xml.encode()
    return ref


# --- the kinds ------------------------------------------------------------------------------

def shapes(sheet: str) -> Callable[[Parts], None]:
    """A text box and an arrow drawn on ``sheet`` (DrawingML ``sp`` and ``cxnSp``)."""
    def change(parts: Parts) -> None:
        part = sheet_part(parts, sheet)
        anchor = ('<xdr:twoCellAnchor><xdr:from><xdr:col>{c}</xdr:col><xdr:colOff>0</xdr:colOff>'
                  '<xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to>'
                  '<xdr:col>{d}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>6</xdr:row>'
                  '<xdr:rowOff>0</xdr:rowOff></xdr:to>{body}<xdr:clientData/>'
                  '</xdr:twoCellAnchor>')
        box = ('<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="Cuadro 1"/>'
               '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:prstGeom prst="rect">'
               '<a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>'
               'Revisar con la coordinadora</a:t></a:r></a:p></xdr:txBody></xdr:sp>')
        arrow = ('<xdr:cxnSp macro=""><xdr:nvCxnSpPr><xdr:cNvPr id="3" name="Flecha 2"/>'
                 '<xdr:cNvCxnSpPr/></xdr:nvCxnSpPr><xdr:spPr><a:prstGeom prst="line">'
                 '<a:avLst/></a:prstGeom></xdr:spPr></xdr:cxnSp>')
        drawing = (f'<xdr:wsDr xmlns:xdr="{XDR}" xmlns:a="{A}">'
                   + anchor.format(c=10, d=13, body=box) + anchor.format(c=14, d=16, body=arrow)
                   + "</xdr:wsDr>")
        add_part(parts, "xl/drawings/user-drawing1.xml",
                 "application/vnd.openxmlformats-officedocument.drawing+xml", drawing)
        rid = add_rel(parts, part, "drawing", "/xl/drawings/user-drawing1.xml")
        add_to_sheet(parts, part, f'<drawing xmlns:r="{R}" r:id="{rid}"/>')
    return change


def form_button(sheet: str) -> Callable[[Parts], None]:
    """A form button (VML shape of ObjectType «Button» with its control properties)."""
    def change(parts: Parts) -> None:
        part = sheet_part(parts, sheet)
        shape = ('<v:shape id="_x0000_s2049" type="#_x0000_t201" style="position:absolute;'
                 'width:80pt;height:20pt"><x:ClientData ObjectType="Button"><x:Anchor>10, 0, 2, 0,'
                 ' 12, 0, 3, 0</x:Anchor><x:FmlaMacro>[0]!Macro1</x:FmlaMacro></x:ClientData>'
                 '</v:shape>')
        rels = parts.get(_rels_name(part), b"").decode()
        vml = re.search(r'Type="[^"]*/vmlDrawing" Target="([^"]+)"', rels)
        if vml:  # the sheet has notes: the button joins their VML drawing
            target = vml.group(1)  # absolute (openpyxl) or relative to the sheet (Excel)
            name = target[1:] if target.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(part), target))
            parts[name] = parts[name].decode().replace("</xml>", shape + "</xml>").encode()
        else:
            add_part(parts, "xl/drawings/vmlDrawing-user.vml",
                     "application/vnd.openxmlformats-officedocument.vmlDrawing",
                     '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-'
                     'microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:'
                     f'excel">{shape}</xml>')
            rid = add_rel(parts, part, "vmlDrawing", "/xl/drawings/vmlDrawing-user.vml")
            add_to_sheet(parts, part, f'<legacyDrawing xmlns:r="{R}" r:id="{rid}"/>')
        add_part(parts, "xl/ctrlProps/ctrlProp1.xml",
                 "application/vnd.ms-excel.controlproperties+xml",
                 '<formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9'
                 '/main" objectType="Button" lockText="1"/>')
        rid = add_rel(parts, part, "ctrlProp", "/xl/ctrlProps/ctrlProp1.xml")
        mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
        add_to_sheet(parts, part, (  # Excel 2010's own record of the control, beside the VML
            f'<mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="x14"><controls>'
            f'<mc:AlternateContent><mc:Choice Requires="x14"><control xmlns:r="{R}" '
            f'shapeId="2049" r:id="{rid}" name="Botón 1"><controlPr defaultSize="0" '
            'print="0" autoFill="0" autoPict="0" macro="[0]!Macro1"/></control></mc:Choice>'
            "</mc:AlternateContent></controls></mc:Choice></mc:AlternateContent>"), "controls")
    return change


def threaded_comment(sheet: str, cell: str = "K3") -> Callable[[Parts], None]:
    """An Excel 365 comment thread (the part openpyxl drops) on ``cell``."""
    def change(parts: Parts) -> None:
        part = sheet_part(parts, sheet)
        tc = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
        add_part(parts, "xl/threadedComments/threadedComment1.xml",
                 "application/vnd.ms-excel.threadedcomments+xml",
                 f'<ThreadedComments xmlns="{tc}"><threadedComment ref="{cell}" '
                 'dT="2026-05-01T10:00:00.00" personId="{8C4B6B52-0000-4000-8000-000000000001}" '
                 'id="{8C4B6B52-0000-4000-8000-0000000000A1}"><text>¿Quién recibe este bien?'
                 '</text></threadedComment><threadedComment ref="' + cell + '" '
                 'dT="2026-05-02T10:00:00.00" personId="{8C4B6B52-0000-4000-8000-000000000001}" '
                 'id="{8C4B6B52-0000-4000-8000-0000000000A2}" '
                 'parentId="{8C4B6B52-0000-4000-8000-0000000000A1}"><text>La junta de vecinos.'
                 '</text></threadedComment></ThreadedComments>')
        add_rel(parts, part, "http://schemas.microsoft.com/office/2017/10/relationships/"
                             "threadedComment", "/xl/threadedComments/threadedComment1.xml")
        add_part(parts, "xl/persons/person.xml", "application/vnd.ms-excel.person+xml",
                 f'<personList xmlns="{tc}"><person displayName="Coordinadora" '
                 'id="{8C4B6B52-0000-4000-8000-000000000001}" userId="coordinadora" '
                 'providerId="None"/></personList>')
        add_rel(parts, "xl/workbook.xml", "http://schemas.microsoft.com/office/2017/10/"
                                          "relationships/person", "/xl/persons/person.xml")
    return change


def slicer(sheet: str) -> Callable[[Parts], None]:
    """A table slicer (the slicer part of the sheet and its cache in the workbook)."""
    def change(parts: Parts) -> None:
        part = sheet_part(parts, sheet)
        add_part(parts, "xl/slicers/slicer1.xml", "application/vnd.ms-excel.slicer+xml",
                 f'<slicers xmlns="{X14}"><slicer name="Estado" cache="Segmentación_Estado" '
                 'caption="Estado" rowHeight="241300"/></slicers>')
        add_rel(parts, part, "http://schemas.microsoft.com/office/2007/relationships/slicer",
                "/xl/slicers/slicer1.xml")
        add_part(parts, "xl/slicerCaches/slicerCache1.xml",
                 "application/vnd.ms-excel.slicerCache+xml",
                 f'<slicerCacheDefinition xmlns="{X14}" name="Segmentación_Estado" '
                 'sourceName="Estado"/>')
        add_rel(parts, "xl/workbook.xml", "http://schemas.microsoft.com/office/2007/"
                                          "relationships/slicerCache",
                "/xl/slicerCaches/slicerCache1.xml")
    return change


def header_image(sheet: str) -> Callable[[Parts], None]:
    """A logo in the printed header (``legacyDrawingHF``)."""
    def change(parts: Parts) -> None:
        part = sheet_part(parts, sheet)
        add_part(parts, "xl/drawings/vmlDrawingHF1.vml",
                 "application/vnd.openxmlformats-officedocument.vmlDrawing",
                 '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-'
                 'com:office:office"><v:shape id="CH" o:spid="_x0000_s1025" type="#_x0000_t75" '
                 'style="position:absolute;width:60pt;height:30pt"><v:imagedata o:title="logo"/>'
                 '</v:shape></xml>')
        rid = add_rel(parts, part, "vmlDrawing", "/xl/drawings/vmlDrawingHF1.vml")
        add_to_sheet(parts, part, f'<legacyDrawingHF xmlns:r="{R}" r:id="{rid}"/>')
    return change


def dynamic_array(sheet: str) -> Callable[[Parts], None]:
    """A dynamic-array formula (Excel 365: the cell's ``cm`` points into metadata.xml)."""
    def change(parts: Parts) -> None:
        part = sheet_part(parts, sheet)
        add_cell(parts, part, '<c r="{ref}" cm="1"><f t="array" ref="{ref}">'
                              '_xlfn.SEQUENCE(1)</f><v>1</v></c>')
        add_part(parts, "xl/metadata.xml", "application/vnd.openxmlformats-officedocument."
                                           "spreadsheetml.sheetMetadata+xml",
                 f'<metadata xmlns="{MAIN}" xmlns:xda="http://schemas.microsoft.com/office/'
                 'spreadsheetml/2017/dynamicarray"><metadataTypes count="1"><metadataType '
                 'name="XLDAPR" minSupportedVersion="120000" copy="1" pasteAll="1" '
                 'pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" '
                 'clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes>'
                 '<futureMetadata name="XLDAPR" count="1"><bk><extLst><ext uri="{bdbb8cdc-fa1e'
                 '-496e-a857-3c3f30c029c3}"><xda:dynamicArrayProperties fDynamic="1" '
                 'fCollapsed="0"/></ext></extLst></bk></futureMetadata><cellMetadata count="1">'
                 '<bk><rc t="1" v="0"/></bk></cellMetadata></metadata>')
        add_rel(parts, "xl/workbook.xml", "sheetMetadata", "/xl/metadata.xml")
    return change


def picture_in_cell(sheet: str) -> Callable[[Parts], None]:
    """A picture placed in a cell (Excel 365): the cell's ``vm`` points into the rich-value
    parts; without them Excel shows #VALUE!."""
    def change(parts: Parts) -> None:
        add_cell(parts, sheet_part(parts, sheet), '<c r="{ref}" t="e" vm="1"><v>#VALUE!</v></c>')
        add_part(parts, "xl/richData/rdrichvalue.xml", "application/vnd.ms-excel.rdrichvalue+xml",
                 '<rvData xmlns="http://schemas.microsoft.com/office/spreadsheetml/2017/'
                 'richdata" count="1"><rv s="0"><v>0</v><v>5</v></rv></rvData>')
        add_rel(parts, "xl/workbook.xml", "http://schemas.microsoft.com/office/2017/06/"
                                          "relationships/rdRichValue",
                "/xl/richData/rdrichvalue.xml")
    return change


def custom_xml(parts: Parts) -> None:
    """A custom XML data part with its properties, as SharePoint and OneDrive keep a file's
    library metadata."""
    add_part(parts, "customXml/item1.xml", "application/xml",
             '<programa xmlns="urn:ejemplo:fosis"><folio>EC-2026-014</folio></programa>')
    add_part(parts, "customXml/itemProps1.xml",
             "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
             '<ds:datastoreItem ds:itemID="{5A1C7E34-9B0D-4E1F-8A2B-3C4D5E6F7A8B}" xmlns:ds='
             '"http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
             '<ds:schemaRef ds:uri="urn:ejemplo:fosis"/></ds:schemaRefs></ds:datastoreItem>')
    add_rel(parts, "customXml/item1.xml", "customXmlProps", "itemProps1.xml")
    add_rel(parts, "xl/workbook.xml", "customXml", "../customXml/item1.xml")


def macro_sheet(parts: Parts) -> None:
    """An Excel 4.0 macro sheet: openpyxl reads it as a worksheet and writes it as one."""
    add_part(parts, "xl/macrosheets/sheet1.xml",
             "application/vnd.ms-excel.macrosheet+xml",
             f'<xm:macrosheet xmlns="{MAIN}" xmlns:xm="{XM}"><sheetData><row r="1"><c r="A1" '
             't="str"><f>RETURN()</f><v></v></c></row></sheetData></xm:macrosheet>')
    rid = add_rel(parts, "xl/workbook.xml", "http://schemas.microsoft.com/office/2006/"
                                            "relationships/xlMacrosheet",
                  "/xl/macrosheets/sheet1.xml")
    book = parts["xl/workbook.xml"].decode()
    book = book.replace("</sheets>", f'<sheet xmlns:r="{R}" name="Macro1" sheetId="99" '
                                     f'state="hidden" r:id="{rid}"/></sheets>')
    parts["xl/workbook.xml"] = book.encode()


def sparklines(sheet: str) -> Callable[[Parts], None]:
    """A sparkline (Excel 2010 worksheet extension) drawn in K4 from C4:E4."""
    def change(parts: Parts) -> None:
        add_to_sheet(parts, sheet_part(parts, sheet), (
            f'<extLst><ext uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}" xmlns:x14="{X14}">'
            f'<x14:sparklineGroups xmlns:xm="{XM}"><x14:sparklineGroup displayEmptyCellsAs='
            '"gap"><x14:colorSeries rgb="FF376092"/><x14:sparklines><x14:sparkline><xm:f>'
            f"'{sheet}'!C4:E4</xm:f><xm:sqref>K4</xm:sqref></x14:sparkline></x14:sparklines>"
            "</x14:sparklineGroup></x14:sparklineGroups></ext></extLst>"))
    return change


def x14_list(sheet: str, source: str) -> Callable[[Parts], None]:
    """A dropdown list on K4:K20 whose items live on another sheet, as Excel 2010 writes it
    (a worksheet extension, not a ``<dataValidation>``)."""
    def change(parts: Parts) -> None:
        add_to_sheet(parts, sheet_part(parts, sheet), (
            f'<extLst><ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14}">'
            '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/'
            'excel/2006/main"><x14:dataValidation type="list" allowBlank="1" '
            f'showErrorMessage="1"><x14:formula1><xm:f>\'{source}\'!$A$2:$A$6</xm:f>'
            "</x14:formula1><xm:sqref>K4:K20</xm:sqref></x14:dataValidation>"
            "</x14:dataValidations></ext></extLst>"))
    return change


def macros(parts: Parts) -> bytes:
    """A VBA project (its bytes are opaque to every tool but Office); returns them."""
    project = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8  # stand-in bytes
    add_part(parts, "xl/vbaProject.bin", "application/vnd.ms-office.vbaProject", project)
    add_rel(parts, "xl/workbook.xml", "http://schemas.microsoft.com/office/2006/relationships/"
                                      "vbaProject", "/xl/vbaProject.bin")
    types = parts["[Content_Types].xml"].decode().replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    parts["[Content_Types].xml"] = types.encode()
    return project


def external_link(parts: Parts) -> None:
    """A link to another workbook (a formula reading it), kept by openpyxl's keep_links."""
    add_part(parts, "xl/externalLinks/externalLink1.xml",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
             f'<externalLink xmlns="{MAIN}" xmlns:r="{R}"><externalBook r:id="rId1">'
             '<sheetNames><sheetName val="Presupuesto"/></sheetNames></externalBook>'
             "</externalLink>")
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{REL_DOC}'
        'externalLinkPath" Target="presupuesto.xlsx" TargetMode="External"/>'
        "</Relationships>").encode()
    rid = add_rel(parts, "xl/workbook.xml", "externalLink", "/xl/externalLinks/externalLink1.xml")
    book = parts["xl/workbook.xml"].decode()
    links = f'<externalReferences><externalReference xmlns:r="{R}" r:id="{rid}"/>' \
            "</externalReferences>"
    at = book.find("<definedNames")
    at = at if at >= 0 else book.find("<calcPr")
    parts["xl/workbook.xml"] = (book[:at] + links + book[at:]).encode()


def printer_settings(sheet: str) -> Callable[[Parts], None]:
    """The printer driver's settings Excel keeps beside a sheet's page setup."""
    def change(parts: Parts) -> None:
        add_part(parts, "xl/printerSettings/printerSettings1.bin",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings",
                 b"\x00" * 220)
        add_rel(parts, sheet_part(parts, sheet), "printerSettings",
                "/xl/printerSettings/printerSettings1.bin")
    return change


def sheet_element(sheet: str, element: str) -> Callable[[Parts], None]:
    """Any child of a worksheet (protected ranges, ignored errors, custom views…)."""
    def change(parts: Parts) -> None:
        add_to_sheet(parts, sheet_part(parts, sheet), element)
    return change


#: Worksheet children openpyxl 3.1 does not write back, as Excel writes them.
ELEMENTS = {
    "protectedRanges": '<protectedRanges><protectedRange sqref="C4:C20" name="Montos" '
                       'algorithmName="SHA-512" hashValue="qN5Oa6n1yw==" saltValue="c2FsdA==" '
                       'spinCount="100000"/></protectedRanges>',
    "sortState": '<sortState ref="A4:H20"><sortCondition descending="1" ref="E4:E20"/>'
                 "</sortState>",
    "dataConsolidate": '<dataConsolidate function="sum" link="1"><dataRefs count="1">'
                       '<dataRef ref="A4:E20" sheet="Inventario"/></dataRefs></dataConsolidate>',
    "customSheetViews": '<customSheetViews><customSheetView guid="{6C3D2A10-0F1E-4B7A-9C55-'
                        '2E8B1D4A7F01}" scale="90" showGridLines="0"><selection pane="topLeft"'
                        ' activeCell="A4" sqref="A4"/></customSheetView></customSheetViews>',
    "cellWatches": '<cellWatches><cellWatch r="E4"/><cellWatch r="F4"/></cellWatches>',
    "ignoredErrors": '<ignoredErrors><ignoredError sqref="A4:A20" numberStoredAsText="1"/>'
                     "</ignoredErrors>",
    "smartTags": '<smartTags><cellSmartTags r="B4"><cellSmartTag type="0"/></cellSmartTags>'
                 "</smartTags>",
    "webPublishItems": '<webPublishItems count="1"><webPublishItem id="4242" divId="inv" '
                       'sourceType="sheet" destinationFile="inventario.htm"/>'
                       "</webPublishItems>",
}


def pivot_table(sheet: str, source: str = "Inventario") -> Callable[[Parts], None]:
    """A pivot table on ``sheet`` over ``source``!A3:C20 (cache definition, its records, the
    workbook's list of caches and the table itself), kept by openpyxl's pivot model."""
    def change(parts: Parts) -> None:
        add_part(parts, "xl/pivotCache/pivotCacheRecords1.xml",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml."
                 "pivotCacheRecords+xml", f'<pivotCacheRecords xmlns="{MAIN}" count="0"/>')
        add_part(parts, "xl/pivotCache/pivotCacheDefinition1.xml",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml."
                 "pivotCacheDefinition+xml",
                 f'<pivotCacheDefinition xmlns="{MAIN}" xmlns:r="{R}" r:id="rId1" '
                 'refreshOnLoad="1" recordCount="0" createdVersion="6" refreshedVersion="6" '
                 'minRefreshableVersion="3"><cacheSource type="worksheet"><worksheetSource '
                 f'ref="A3:C20" sheet="{source}"/></cacheSource><cacheFields count="1">'
                 '<cacheField name="Código" numFmtId="0"><sharedItems/></cacheField>'
                 "</cacheFields></pivotCacheDefinition>")
        parts["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{REL_DOC}'
            'pivotCacheRecords" Target="pivotCacheRecords1.xml"/></Relationships>').encode()
        rid = add_rel(parts, "xl/workbook.xml", "pivotCacheDefinition",
                      "/xl/pivotCache/pivotCacheDefinition1.xml")
        book = parts["xl/workbook.xml"].decode()
        caches = f'<pivotCaches><pivotCache xmlns:r="{R}" cacheId="7" r:id="{rid}"/></pivotCaches>'
        at = book.index("</workbook>")
        for later in ("<smartTagPr", "<smartTagTypes", "<webPublishing", "<fileRecoveryPr",
                      "<webPublishObjects", "<extLst"):
            if later in book:
                at = min(at, book.index(later))
        parts["xl/workbook.xml"] = (book[:at] + caches + book[at:]).encode()
        add_part(parts, "xl/pivotTables/pivotTable1.xml",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml",
                 f'<pivotTableDefinition xmlns="{MAIN}" name="TablaDinámica1" cacheId="7" '
                 'dataCaption="Valores" applyNumberFormats="0" applyBorderFormats="0" '
                 'applyFontFormats="0" applyPatternFormats="0" applyAlignmentFormats="0" '
                 'applyWidthHeightFormats="1" updatedVersion="6" minRefreshableVersion="3" '
                 'createdVersion="6" outline="1" outlineData="1"><location ref="M3:M4" '
                 'firstHeaderRow="1" firstDataRow="1" firstDataCol="0"/><pivotFields count="1">'
                 '<pivotField showAll="0"/></pivotFields></pivotTableDefinition>')
        parts["xl/pivotTables/_rels/pivotTable1.xml.rels"] = (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{REL_DOC}'
            'pivotCacheDefinition" Target="../pivotCache/pivotCacheDefinition1.xml"/>'
            "</Relationships>").encode()
        add_rel(parts, sheet_part(parts, sheet), "pivotTable", "/xl/pivotTables/pivotTable1.xml")
    return change
