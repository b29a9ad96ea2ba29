"""The HTML dashboard: one self-contained page (opened from disk, offline: no server, no
external script, style or font; a Content-Security-Policy forbids any request), with the
programmes' table sortable and filterable, and the charts drawn as inline SVG."""

from __future__ import annotations

from html import escape
from pathlib import Path

from addin.domain.findings import Severity
from addin.domain.wording import plural
from addin.fileio import atomic_write
from addin.supervision.dashboard import Dashboard, ProgrammeRow

ERROR, WARNING, INK, GRID = "#c0392b", "#e0a100", "#333", "#ddd"
#: Nothing leaves the page: no request at all, whatever a workbook's text says.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
REVIEW_CLASS = {"Aprobado": "ok", "Observado": "warn", "Rechazado": "bad", "Pendiente": "wait"}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",Arial,sans-serif;
margin:24px;color:#222;background:#fafafa}
h1{margin:0 0 4px;font-size:26px}h2{font-size:19px;margin:28px 0 8px}
.sub{color:#666;font-size:13px;margin-bottom:18px}
.charts{display:flex;flex-wrap:wrap;gap:20px}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px}
.filters{display:flex;gap:12px;align-items:center;margin:8px 0;flex-wrap:wrap}
.filters input,.filters select{font:inherit;padding:4px 6px}
table{border-collapse:collapse;background:#fff;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#1f4e79;color:#fff;cursor:pointer;user-select:none;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td.n{text-align:right}td.wide{min-width:210px}td.mid{min-width:150px}
.ok{background:#c6efce}.warn{background:#ffeb9c}.bad{background:#ffc7ce}.wait{background:#e7e6e6}
.bar{display:inline-block;height:10px;background:#5b9bd5;margin-right:4px}
details{background:#fff;border:1px solid #ddd;border-radius:6px;margin:6px 0;padding:6px 10px}
summary{cursor:pointer;font-weight:600}
"""

SCRIPT = r"""
(function(){
  const table=document.getElementById('programas');
  const body=table.tBodies[0];
  const rows=Array.from(body.rows);
  const count=document.getElementById('cuenta');
  const text=document.getElementById('filtro');
  const region=document.getElementById('filtro-region');
  const state=document.getElementById('filtro-estado');
  function key(row,i){
    const cell=row.cells[i];
    const v=cell.dataset.v!==undefined?cell.dataset.v:cell.textContent.trim();
    const n=Number(v);
    return v!==''&&!isNaN(n)?n:v.toLocaleLowerCase('es');
  }
  Array.from(table.tHead.rows[0].cells).forEach(function(th,i){
    th.addEventListener('click',function(){
      const asc=th.getAttribute('aria-sort')!=='ascending';
      Array.from(table.tHead.rows[0].cells).forEach(c=>c.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort',asc?'ascending':'descending');
      const sorted=rows.slice().sort(function(a,b){
        const x=key(a,i),y=key(b,i);
        if(typeof x===typeof y){return (x<y?-1:x>y?1:0)*(asc?1:-1);}
        return (typeof x==='number'?-1:1)*(asc?1:-1);
      });
      sorted.forEach(r=>body.appendChild(r));
    });
  });
  function filter(){
    const words=text.value.toLocaleLowerCase('es').split(/\s+/).filter(Boolean);
    let shown=0;
    rows.forEach(function(r){
      const t=r.textContent.toLocaleLowerCase('es');
      const ok=words.every(w=>t.includes(w))&&(!region.value||r.dataset.region===region.value)
        &&(!state.value||r.dataset.estado===state.value);
      r.hidden=!ok; if(ok){shown++;}
    });
    count.textContent=shown+' de '+rows.length+' programas';
  }
  [text,region,state].forEach(e=>e.addEventListener('input',filter));
  filter();
})();
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def bar_chart(totals: list[tuple[str, int, int]], width: int = 560, height: int = 300) -> str:
    """Stacked columns, errors under warnings, one per rule family."""
    left, bottom, top = 44, 40, 34
    plot_h = height - bottom - top
    peak = _nice(max([e + w for _, e, w in totals] + [1]))
    step = (width - left - 10) / max(len(totals), 1)
    parts = [f'<svg id="grafico-familias" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>Hallazgos por familia de reglas</title>'
             f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" '
             f'font-weight="bold" fill="{INK}">Hallazgos por familia de reglas</text>']
    for k in range(5):
        y = top + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
                     f'text-anchor="end" fill="{INK}">{round(peak * k / 4)}</text>')
    for i, (fam, errors, warnings) in enumerate(totals):
        x = left + i * step + step * 0.15
        w = step * 0.7
        h_e, h_w = plot_h * errors / peak, plot_h * warnings / peak
        base = top + plot_h
        parts.append(f'<rect class="barra-error" x="{x:.1f}" y="{base - h_e:.1f}" '
                     f'width="{w:.1f}" height="{h_e:.1f}" fill="{ERROR}"><title>{_e(fam)}: '
                     f'{errors} errores</title></rect>')
        parts.append(f'<rect class="barra-advertencia" x="{x:.1f}" '
                     f'y="{base - h_e - h_w:.1f}" width="{w:.1f}" height="{h_w:.1f}" '
                     f'fill="{WARNING}"><title>{_e(fam)}: {warnings} advertencias</title></rect>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{base + 16}" font-size="11" '
                     f'text-anchor="middle" fill="{INK}">{_e(fam)}</text>')
    parts.append(_legend(left, height - 8))
    parts.append("</svg>")
    return "".join(parts)


def _nice(peak: int) -> int:
    """The axis top: a multiple of 4, so the five gridlines are whole numbers."""
    return max(4, -(-peak // 4) * 4)


def _legend(x: int, y: int) -> str:
    return (f'<rect x="{x}" y="{y - 10}" width="12" height="10" fill="{ERROR}"/>'
            f'<text x="{x + 16}" y="{y}" font-size="12" fill="{INK}">Errores</text>'
            f'<rect x="{x + 80}" y="{y - 10}" width="12" height="10" fill="{WARNING}"/>'
            f'<text x="{x + 96}" y="{y}" font-size="12" fill="{INK}">Advertencias</text>')


def line_chart(trend: list[tuple[str, int, int, int]], width: int = 560,
               height: int = 300) -> str:
    """Errors and warnings by cut-off month."""
    left, bottom, top = 44, 40, 34
    plot_h = height - bottom - top
    peak = _nice(max([max(e, w) for _, _, e, w in trend] + [1]))
    step = (width - left - 70) / max(len(trend) - 1, 1)
    parts = [f'<svg id="grafico-evolucion" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>Evolución por fecha de corte</title>'
             f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" '
             f'font-weight="bold" fill="{INK}">Evolución por fecha de corte</text>']
    for k in range(5):
        y = top + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
                     f'text-anchor="end" fill="{INK}">{round(peak * k / 4)}</text>')

    def point(i: int, v: int) -> tuple[float, float]:
        x = left + 30 + (i * step if len(trend) > 1 else (width - left - 70) / 2)
        return x, top + plot_h - plot_h * v / peak

    for index, colour, label in ((2, ERROR, "errores"), (3, WARNING, "advertencias")):
        points = [point(i, t[index]) for i, t in enumerate(trend)]  # type: ignore[misc]
        if len(points) > 1:
            parts.append(f'<polyline class="linea-{label}" fill="none" stroke="{colour}" '
                         f'stroke-width="3" points="'
                         + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
        for (x, y), t in zip(points, trend, strict=True):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}">'
                         f'<title>{_e(t[0])}: {t[index]} {label}</title></circle>')
    for i, t in enumerate(trend):
        x, _ = point(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="11" '
                     f'text-anchor="middle" fill="{INK}">{_e(month_label(t[0]))}</text>')
    parts.append(_legend(left, height - 8))
    parts.append("</svg>")
    return "".join(parts)


MONTHS_ES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov",
             "dic")


def month_label(month: str) -> str:
    """``2026-05`` → ``may 2026``."""
    try:
        return f"{MONTHS_ES[int(month[5:7]) - 1]} {month[:4]}"
    except (ValueError, IndexError):
        return month


UNNAMED = ("validado, pero su hoja Programa no dice región, comuna, ejecutor o fecha de "
           "inicio: complételos para que cuente como un programa")
HEADERS = ["Programa", "Región", "Comuna", "Ejecutor", "Convenio", "Corte", "Mes de ejecución",
           "Etapa alcanzada", "% plan realizado", "Errores", "Advertencias",
           "Informes atrasados", "Bienes sin traspasar", "Estado de revisión",
           "Cambio desde la entrega anterior", "Archivo"]


def _row(p: ProgrammeRow) -> str:
    pct = "" if p.plan_done_pct is None else f"{p.plan_done_pct:g} %"
    bar = "" if p.plan_done_pct is None else \
        f'<span class="bar" style="width:{max(p.plan_done_pct, 0) * 0.6:.0f}px"></span>'
    light = lambda n: "ok" if n == 0 else ("warn" if n <= 3 else "bad")  # noqa: E731
    file = Path(p.file)
    cells = [
        f'<td><a href="#p-{_e(p.code)}">{_e(p.code)}</a></td>',
        f"<td>{_e(p.region)}</td>", f"<td>{_e(p.comuna)}</td>", f"<td>{_e(p.ejecutor)}</td>",
        f"<td>{_e(p.convenio)}</td>", f"<td>{_e(p.cutoff)}</td>",
        f"<td>{_e(p.execution_month)}</td>", f'<td class="mid">{_e(p.stage)}</td>',
        f'<td class="n" data-v="{"" if p.plan_done_pct is None else p.plan_done_pct}">'
        f"{bar}{pct}</td>",
        f'<td class="n {light(p.errors)}">{p.errors}</td>',
        f'<td class="n{" warn" if p.warnings else ""}">{p.warnings}</td>',
        f'<td class="n {light(p.reports_overdue)}">{p.reports_overdue}</td>',
        f'<td class="n{" warn" if p.assets_not_transferred else ""}">'
        f"{p.assets_not_transferred}</td>",
        f'<td class="{REVIEW_CLASS[p.review]}" title="{_e(p.review_comment)}">'
        f"{_e(p.review)}</td>",
        f'<td class="wide">{_e(p.change)}</td>',
        f'<td><a href="{_e(file.resolve().as_uri())}">{_e(file.name)}</a></td>',
    ]
    return (f'<tr data-region="{_e(p.region)}" data-estado="{_e(p.review)}">'
            + "".join(cells) + "</tr>")


def _details(p: ProgrammeRow) -> str:
    items = "".join(
        f"<tr><td>{_e(f['rule'])}</td><td>{_e(Severity(f['severity']).spanish)}</td>"
        f"<td>{_e(f['sheet'])}</td><td>{_e(f['cell'] or '')}</td>"
        f"<td>{_e(f['row_key'] or '')}</td><td>{_e(f['message'])}</td>"
        f"<td>{_e(f['fix'])}</td></tr>" for f in p.findings)
    history = ", ".join(f"{_e(s['cutoff'])}: {plural(s['errors'], 'error')}"
                        for s in p.history)
    return (f'<details id="p-{_e(p.code)}"><summary>{_e(p.code)} · {_e(p.comuna)} · '
            f"{_e(p.ejecutor)} — {plural(p.errors, 'error')}, "
            f"{plural(p.warnings, 'advertencia')}</summary>"
            f"<p>Entregas: {history}</p>"
            + (f"<table><thead><tr><th>Regla</th><th>Severidad</th><th>Hoja</th><th>Celda</th>"
               f"<th>Clave</th><th>Mensaje</th><th>Cómo corregir</th></tr></thead><tbody>"
               f"{items}</tbody></table>" if items else "<p>Sin hallazgos.</p>")
            + "</details>")


def render(board: Dashboard) -> str:
    regions = sorted({p.region for p in board.programmes})
    options = "".join(f'<option value="{_e(r)}">{_e(r)}</option>' for r in regions)
    states = "".join(f'<option value="{s}">{s}</option>' for s in REVIEW_CLASS)
    unreadable = ""
    if board.unidentified:
        unreadable = ("<h2>Archivos que no se pudieron identificar</h2><ul>" + "".join(
            f"<li>{_e(u['path'])}: {_e(u['message'] if u['status'] == 'ilegible' else UNNAMED)}"
            "</li>"
            for u in board.unidentified) + "</ul>")
    return f"""<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tablero de supervisión — minga</title><style>{CSS}</style></head>
<body><h1>Tablero de supervisión</h1>
<div class="sub">{len(board.programmes)} programas · generado el {_e(board.generated)} ·
base {_e(board.database)}</div>
<div class="charts"><div class="chart">{bar_chart(board.family_totals())}</div>
<div class="chart">{line_chart(board.trend())}</div></div>
<h2>Programas</h2>
<div class="filters"><label>Buscar
<input id="filtro" type="search" placeholder="comuna, ejecutor, etapa…"></label>
<label>Región <select id="filtro-region"><option value="">Todas</option>{options}</select></label>
<label>Estado <select id="filtro-estado"><option value="">Todos</option>{states}</select></label>
<span id="cuenta"></span></div>
<table id="programas"><thead><tr>{"".join(f"<th>{h}</th>" for h in HEADERS)}</tr></thead>
<tbody>{"".join(_row(p) for p in board.programmes)}</tbody></table>
<h2>Hallazgos por programa</h2>{"".join(_details(p) for p in board.programmes)}
{unreadable}
<script>{SCRIPT}</script></body></html>
"""


def write_html(board: Dashboard, path: Path) -> None:
    text = render(board)
    atomic_write(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))
