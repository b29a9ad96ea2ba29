"""The printable «Acta de traspaso del dominio de bienes»: one Carta page wide, portrait.

Plain data in, a ``SheetPlan`` out (values from A1 and their formatting), so any backend
writes it in one block and one format call, and the PDF export renders the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from addin.backends.base import PrintSetup, Style, Styled
from addin.sheets.palette import DARK, GRID, HEADER_TEXT, LIGHT
from addin.sheets.plans import SheetPlan, row_points, text_lines

MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre")
#: Pesos as Chile prints them ($1.250.000) whatever the computer's locale: the locale tag
#: [$$-340A] (es-CL) sets symbol and separators in LibreOffice and Excel alike.
MONEY = '[$$-340A]#,##0'
QUANTITY = '[$-340A]#,##0'
#: Columns: N°, código, descripción, cantidad, valor unitario, valor total (character units).
WIDTHS = {"A": 5.0, "B": 10.0, "C": 38.0, "D": 9.0, "E": 14.0, "F": 15.0}
FULL = sum(WIDTHS.values())
TEXT = 10.0


@dataclass(frozen=True)
class Party:
    """Who signs: an organisation, its RUT and the person who signs for it."""

    name: str
    rut: str = ""
    signer: str = ""
    role: str = ""


@dataclass(frozen=True)
class Asset:
    code: str
    description: str
    quantity: int
    unit: str
    unit_value: int

    @property
    def total(self) -> int:
        return self.quantity * self.unit_value


@dataclass(frozen=True)
class ActaData:
    number: str
    day: date
    programme: str
    region: str
    comuna: str
    ejecutor: Party
    receptora: Party
    assets: tuple[Asset, ...]

    @property
    def total(self) -> int:
        return sum(a.total for a in self.assets)


def long_date(day: date) -> str:
    """«2 de marzo de 2026»."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def pesos(amount: int) -> str:
    """«$1.250.000», as the sheet's number format prints it."""
    return "$" + f"{amount:,}".replace(",", ".")


def rut(text: str) -> str:
    """«65012345-K» → «65.012.345-K» (a RUT as it is printed); anything else as it is."""
    body, dash, digit = text.partition("-")
    if not dash or not body.isdigit():
        return text
    return f"{int(body):,}".replace(",", ".") + "-" + digit


def clauses(data: ActaData) -> list[str]:
    """The acta's clauses on the use of the assets (the reglamento de uso they sign)."""
    rec = data.receptora.name
    return [
        f"{rec} recibe en este acto el dominio de los bienes individualizados, adquiridos "
        f"con recursos del programa {data.programme}, y declara recibirlos a su entera "
        "conformidad, en el estado que se indica en el inventario.",
        "Los bienes se destinarán exclusivamente al funcionamiento del Ecomercado Solidario "
        f"de la comuna de {data.comuna} y a los fines comunitarios del programa, conforme al "
        "reglamento de uso firmado por las partes, que forma parte de esta acta.",
        f"{rec} no podrá vender, arrendar, prendar ni ceder los bienes a terceros, ni "
        "destinarlos a fines particulares o lucrativos.",
        f"{rec} se hace responsable de su custodia, mantención y buen uso, y mantendrá el "
        "inventario al día, a disposición del FOSIS y de la comunidad organizada.",
        f"El ejecutor, {data.ejecutor.name}, declara que no conserva ninguno de los bienes "
        "financiados por el programa.",
        "Esta acta se firma en tres ejemplares, uno para cada parte y uno para el FOSIS, y "
        "requiere la visación de la fiscalía del FOSIS.",
    ]


def _merge_text(plan: SheetPlan, row: int, text: str, style: Style, first: str = "A",
                last: str = "F", size: float = TEXT) -> None:
    """A paragraph across ``first``..``last`` on ``row``, as tall as its wrapped text."""
    plan.put(row, ord(first) - 64, text)
    plan.fmt.merges.append(f"{first}{row}:{last}{row}")
    plan.fmt.styles.append(Styled(f"{first}{row}:{last}{row}", style))
    width = sum(WIDTHS[chr(c)] for c in range(ord(first), ord(last) + 1))
    lines = text_lines(text, width, size, bold=style.bold)
    plan.fmt.row_heights[row] = max(row_points(lines, size) + 2,
                                    plan.fmt.row_heights.get(row, 0))


def acta_sheet(name: str, data: ActaData) -> SheetPlan:
    """The acta as a sheet plan: header, one line per asset, total, clauses, signatures."""
    plan = SheetPlan(name)
    fmt = plan.fmt
    fmt.column_widths = dict(WIDTHS)
    fmt.gridlines = False
    body = Style(size=TEXT, v_align="center", wrap=True)
    _merge_text(plan, 1, "ACTA DE TRASPASO DEL DOMINIO DE BIENES",
                Style(size=14, bold=True, h_align="center", v_align="center", font_color=DARK),
                size=14)
    _merge_text(plan, 2, f"{data.programme} · FOSIS · Acta N° {data.number}",
                Style(size=TEXT, h_align="center", v_align="center", italic=True))
    r = 4
    header = [
        ("Programa", data.programme),
        ("Región y comuna", f"{data.region}, {data.comuna}" if data.region else data.comuna),
        ("Ejecutor", f"{data.ejecutor.name}" + (f", RUT {data.ejecutor.rut}"
                                                if data.ejecutor.rut else "")),
        ("Receptora", f"{data.receptora.name}, RUT {data.receptora.rut}"),
        ("Fecha", long_date(data.day)),
    ]
    for label, value in header:
        plan.put(r, 1, label)
        fmt.merges.append(f"A{r}:B{r}")
        fmt.styles.append(Styled(f"A{r}:B{r}", Style(size=TEXT, bold=True, fill=LIGHT,
                                                     border="thin", border_color=GRID,
                                                     v_align="center")))
        _merge_text(plan, r, value, Style(size=TEXT, border="thin", border_color=GRID,
                                          v_align="center", wrap=True), first="C")
        r += 1
    r += 1
    _merge_text(plan, r, (
        f"En {data.comuna}, a {long_date(data.day)}, {data.ejecutor.name}, organismo ejecutor "
        f"del programa, transfiere a {data.receptora.name} (RUT {data.receptora.rut}), "
        "organización activa y formalizada del territorio, el dominio de los bienes que se "
        "detallan a continuación, en las condiciones de las cláusulas de esta acta."), body)
    r += 2
    head = Style(size=TEXT, bold=True, fill=DARK, font_color=HEADER_TEXT, h_align="center",
                 v_align="center", wrap=True, border="thin")
    for c, title in enumerate(("N°", "Código", "Descripción", "Cantidad",
                               "Valor unitario", "Valor total"), start=1):
        plan.put(r, c, title)
    fmt.styles.append(Styled(f"A{r}:F{r}", head))
    fmt.row_heights[r] = row_points(2, TEXT) + 2
    table_head = r
    line = Style(size=TEXT, border="thin", border_color="808080", v_align="center")
    for i, asset in enumerate(data.assets, start=1):
        r += 1
        unit = f" {asset.unit}" if asset.unit and asset.unit != "unidad" else ""
        for c, value in enumerate((i, asset.code, asset.description, asset.quantity,
                                   asset.unit_value, asset.total), start=1):
            plan.put(r, c, value)
        if unit and asset.unit.lower() not in asset.description.lower():
            plan.put(r, 3, f"{asset.description} ({asset.unit})")
        lines = text_lines(plan.rows[r - 1][2], WIDTHS["C"], TEXT)
        fmt.row_heights[r] = row_points(lines, TEXT) + 2
    first, last = table_head + 1, r
    if data.assets:
        fmt.styles += [
            Styled(f"A{first}:F{last}", line),
            Styled(f"A{first}:B{last}", Style(size=TEXT, border="thin", border_color="808080",
                                              v_align="center", h_align="center")),
            Styled(f"C{first}:C{last}", Style(size=TEXT, border="thin", border_color="808080",
                                              v_align="center", wrap=True)),
            Styled(f"D{first}:D{last}", Style(size=TEXT, border="thin", border_color="808080",
                                              v_align="center", h_align="center",
                                              number_format=QUANTITY)),
            Styled(f"E{first}:F{last}", Style(size=TEXT, border="thin", border_color="808080",
                                              v_align="center", number_format=MONEY)),
        ]
    r += 1
    plan.put(r, 1, "Total de los bienes traspasados")
    plan.put(r, 6, data.total)
    fmt.merges.append(f"A{r}:E{r}")
    fmt.styles += [Styled(f"A{r}:E{r}", Style(size=TEXT, bold=True, h_align="right",
                                              v_align="center", fill=LIGHT, border="thin")),
                   Styled(f"F{r}", Style(size=TEXT, bold=True, v_align="center", fill=LIGHT,
                                         border="medium", border_color=DARK,
                                         number_format=MONEY))]
    fmt.row_heights[r] = row_points(1, TEXT) + 4
    r += 2
    _merge_text(plan, r, "Cláusulas", Style(size=11, bold=True, font_color=DARK), size=11)
    for i, clause in enumerate(clauses(data), start=1):
        r += 1
        _merge_text(plan, r, f"{i}. {clause}", Style(size=TEXT, v_align="top", wrap=True))
    r += 3
    _signatures(plan, r, data)
    fmt.print_setup = PrintSetup(landscape=False, fit_width=True, pages_wide=1,
                                 repeat_rows=f"{table_head}:{table_head}",
                                 title=f"Acta de traspaso N° {data.number}")
    return plan


def _signatures(plan: SheetPlan, r: int, data: ActaData) -> None:
    """Three signature blocks: ejecutor and receptora side by side, FOSIS below."""
    blocks = [(("A", "C"), "Por el ejecutor", data.ejecutor),
              (("D", "F"), "Por la organización receptora", data.receptora)]
    fosis = Party("FOSIS", signer="", role="Ministro(a) de fe / supervisor(a) regional")
    sign = Style(size=TEXT, h_align="center", v_align="top", wrap=True)
    line = Style(size=TEXT, h_align="center", v_align="bottom")

    def block(first: str, last: str, top: int, title: str, party: Party) -> None:
        plan.put(top, ord(first) - 64, "_" * 32)
        plan.fmt.merges.append(f"{first}{top}:{last}{top}")
        plan.fmt.styles.append(Styled(f"{first}{top}:{last}{top}", line))
        plan.fmt.row_heights[top] = 34
        lines = [title, party.signer or "Nombre:", party.role or "Cargo:",
                 party.name + (f" · RUT {party.rut}" if party.rut else "")]
        plan.put(top + 1, ord(first) - 64, "\n".join(lines))
        plan.fmt.merges.append(f"{first}{top + 1}:{last}{top + 1}")
        plan.fmt.styles.append(Styled(f"{first}{top + 1}:{last}{top + 1}", sign))
        plan.fmt.row_heights[top + 1] = max(plan.fmt.row_heights.get(top + 1, 0),
                                            row_points(5, TEXT))

    for (first, last), title, party in blocks:
        block(first, last, r, title, party)
    block("B", "E", r + 3, "Por el FOSIS", fosis)
