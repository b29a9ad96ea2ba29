"""The HTML dashboard: one self-contained page (opened from disk, offline: no server, no
external script, style or font; a Content-Security-Policy forbids any request), with the
programmes' table sortable and filterable, and the charts drawn as inline SVG."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from addin.domain.findings import Severity
from addin.domain.wording import plural
from addin.fileio import atomic_write
from addin.supervision.dashboard import Dashboard, ProgrammeRow, unidentified_reason

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
  const kind=document.getElementById('filtro-tipo');
  const region=document.getElementById('filtro-region');
  const state=document.getElementById('filtro-estado');
  const SVG='http://www.w3.org/2000/svg';
  const MONTHS=['ene','feb','mar','abr','may','jun','jul','ago','sep','oct','nov','dic'];
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
  // The charts are drawn here from the rows shown, so they follow the filters. Text from a
  // workbook only ever goes in through textContent: it is never markup.
  function el(name,attrs,text){
    const e=document.createElementNS(SVG,name);
    Object.keys(attrs).forEach(k=>e.setAttribute(k,attrs[k]));
    if(text!==undefined){e.textContent=text;}
    return e;
  }
  function nice(peak){return Math.max(4,Math.ceil(peak/4)*4);}
  function frame(id,title,peak){
    const svg=el('svg',{id:id,role:'img',width:W,height:H,viewBox:'0 0 '+W+' '+H});
    svg.appendChild(el('title',{},title));
    svg.appendChild(el('text',{x:W/2,y:18,'text-anchor':'middle','font-size':14,
      'font-weight':'bold',fill:INK},title));
    for(let k=0;k<5;k++){
      const y=(TOP+PLOT-PLOT*k/4).toFixed(1);
      svg.appendChild(el('line',{x1:LEFT,x2:W-10,y1:y,y2:y,stroke:GRID}));
      svg.appendChild(el('text',{x:LEFT-6,y:(Number(y)+4).toFixed(1),'font-size':11,
        'text-anchor':'end',fill:INK},String(Math.round(peak*k/4))));
    }
    return svg;
  }
  function legend(svg){
    const y=H-8;
    svg.appendChild(el('rect',{x:LEFT,y:y-10,width:12,height:10,fill:ERROR}));
    svg.appendChild(el('text',{x:LEFT+16,y:y,'font-size':12,fill:INK},'Errores'));
    svg.appendChild(el('rect',{x:LEFT+80,y:y-10,width:12,height:10,fill:WARNING}));
    svg.appendChild(el('text',{x:LEFT+96,y:y,'font-size':12,fill:INK},'Advertencias'));
  }
  function empty(svg){
    svg.appendChild(el('text',{x:W/2,y:TOP+PLOT/2,'text-anchor':'middle','font-size':13,
      fill:INK},'Sin hallazgos en los programas mostrados'));
  }
  function bars(totals){
    const peak=nice(Math.max(1,...totals.map(t=>t[1]+t[2])));
    const step=(W-LEFT-10)/Math.max(totals.length,1);
    const svg=frame('grafico-familias','Hallazgos por familia de reglas',peak);
    const base=TOP+PLOT;
    totals.forEach(function(t,i){
      const x=LEFT+i*step+step*0.15,w=step*0.7;
      const he=PLOT*t[1]/peak,hw=PLOT*t[2]/peak;
      const e=el('rect',{'class':'barra-error',x:x.toFixed(1),y:(base-he).toFixed(1),
        width:w.toFixed(1),height:he.toFixed(1),fill:ERROR});
      e.appendChild(el('title',{},t[0]+': '+t[1]+' errores'));
      const a=el('rect',{'class':'barra-advertencia',x:x.toFixed(1),
        y:(base-he-hw).toFixed(1),width:w.toFixed(1),height:hw.toFixed(1),fill:WARNING});
      a.appendChild(el('title',{},t[0]+': '+t[2]+' advertencias'));
      svg.appendChild(e);svg.appendChild(a);
      svg.appendChild(el('text',{x:(x+w/2).toFixed(1),y:base+16,'font-size':11,
        'text-anchor':'middle',fill:INK},t[0]));
    });
    if(!totals.length){empty(svg);}
    legend(svg);
    return svg;
  }
  function monthLabel(m){
    const n=Number(m.slice(5,7));
    return n>=1&&n<=12?MONTHS[n-1]+' '+m.slice(0,4):m;
  }
  function lines(trend){
    const peak=nice(Math.max(1,...trend.map(t=>Math.max(t[2],t[3]))));
    const step=(W-LEFT-70)/Math.max(trend.length-1,1);
    const svg=frame('grafico-evolucion','Evolución por fecha de corte',peak);
    function point(i,v){
      const x=LEFT+30+(trend.length>1?i*step:(W-LEFT-70)/2);
      return [x,TOP+PLOT-PLOT*v/peak];
    }
    [[2,ERROR,'errores'],[3,WARNING,'advertencias']].forEach(function(s){
      const pts=trend.map((t,i)=>point(i,t[s[0]]));
      if(pts.length>1){
        svg.appendChild(el('polyline',{'class':'linea-'+s[2],fill:'none',stroke:s[1],
          'stroke-width':3,points:pts.map(p=>p[0].toFixed(1)+','+p[1].toFixed(1)).join(' ')}));
      }
      pts.forEach(function(p,i){
        const c=el('circle',{cx:p[0].toFixed(1),cy:p[1].toFixed(1),r:5,fill:s[1]});
        c.appendChild(el('title',{},trend[i][0]+': '+trend[i][s[0]]+' '+s[2]));
        svg.appendChild(c);
      });
    });
    trend.forEach(function(t,i){
      svg.appendChild(el('text',{x:point(i,0)[0].toFixed(1),y:TOP+PLOT+16,'font-size':11,
        'text-anchor':'middle',fill:INK},monthLabel(t[0])));
    });
    if(!trend.length){empty(svg);}
    legend(svg);
    return svg;
  }
  function draw(shown){
    const families={},months={};
    shown.forEach(function(r){
      const f=JSON.parse(r.dataset.familias);
      Object.keys(f).forEach(function(k){
        const t=families[k]||(families[k]=[0,0]);t[0]+=f[k][0];t[1]+=f[k][1];
      });
      const m=JSON.parse(r.dataset.meses);
      Object.keys(m).forEach(function(k){
        const t=months[k]||(months[k]=[0,0,0]);t[0]++;t[1]+=m[k][0];t[2]+=m[k][1];
      });
    });
    const totals=Object.keys(families).sort().filter(k=>families[k][0]+families[k][1]>0)
      .map(k=>[k,families[k][0],families[k][1]]);
    const trend=Object.keys(months).sort().map(k=>[k,...months[k]]);
    document.getElementById('familias').replaceChildren(bars(totals));
    document.getElementById('evolucion').replaceChildren(lines(trend));
  }
  function filter(){
    const words=text.value.toLocaleLowerCase('es').split(/\s+/).filter(Boolean);
    const shown=[];
    rows.forEach(function(r){
      const t=r.textContent.toLocaleLowerCase('es');
      const ok=words.every(w=>t.includes(w))&&(!kind.value||r.dataset.tipo===kind.value)
        &&(!region.value||r.dataset.region===region.value)
        &&(!state.value||r.dataset.estado===state.value);
      r.hidden=!ok; if(ok){shown.push(r);}
    });
    count.textContent=shown.length+' de '+rows.length+' programas';
    draw(shown);
  }
  [text,kind,region,state].forEach(e=>e.addEventListener('input',filter));
  filter();
})();
"""
#: The charts' size and margins, shared with the script that draws them.
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 560, 300, 44, 40, 34


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _constants() -> str:
    """The script's constants, from Python's: one palette and one geometry."""
    plot = HEIGHT - BOTTOM - TOP
    return (f"const ERROR='{ERROR}',WARNING='{WARNING}',INK='{INK}',GRID='{GRID}',"
            f"W={WIDTH},H={HEIGHT},LEFT={LEFT},TOP={TOP},PLOT={plot};")


def _json_attr(value: object) -> str:
    return _e(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _months(p: ProgrammeRow) -> dict[str, list[int]]:
    """Errors and warnings of the programme's latest submission of each cut-off month (what
    the evolution chart adds up over the programmes shown)."""
    months: dict[str, list[int]] = {}
    for s in p.history:  # oldest first: the month's latest wins
        month = (s["cutoff"] or "")[:7]
        if month:
            months[month] = [s["errors"], s["warnings"]]
    return months


HEADERS = ["Programa", "Tipo", "Región", "Comuna / territorio", "Ejecutor",
           "Convenio / proyecto", "Corte", "Mes de ejecución", "Etapa alcanzada", "Avance",
           "Errores", "Advertencias", "Informes atrasados", "Bienes sin traspasar",
           "Estado de revisión", "Cambio desde la entrega anterior", "Archivo"]


def _row(p: ProgrammeRow) -> str:
    pct = "" if p.progress_pct is None else f"{p.progress_pct:g} %"
    bar = "" if p.progress_pct is None else \
        f'<span class="bar" style="width:{min(max(p.progress_pct, 0), 100) * 0.6:.0f}px">' \
        "</span>"
    light = lambda n: "ok" if n == 0 else ("warn" if n <= 3 else "bad")  # noqa: E731
    file = Path(p.file)
    cells = [
        f'<td><a href="#p-{_e(p.code)}">{_e(p.code)}</a></td>', f"<td>{_e(p.kind)}</td>",
        f"<td>{_e(p.region)}</td>", f"<td>{_e(p.comuna)}</td>", f"<td>{_e(p.ejecutor)}</td>",
        f"<td>{_e(p.convenio)}</td>", f"<td>{_e(p.cutoff)}</td>",
        f"<td>{_e(p.execution_month)}</td>", f'<td class="mid">{_e(p.stage)}</td>',
        f'<td class="mid" data-v="{"" if p.progress_pct is None else p.progress_pct}">'
        f"{bar}{pct}<br>{_e(p.progress)}</td>",
        f'<td class="n {light(p.errors)}">{p.errors}</td>',
        f'<td class="n{" warn" if p.warnings else ""}">{p.warnings}</td>',
        '<td class="n"></td>' if p.reports_overdue is None else
        f'<td class="n {light(p.reports_overdue)}">{p.reports_overdue}</td>',
        f'<td class="n{" warn" if p.assets_not_transferred else ""}">'
        f"{'' if p.assets_not_transferred is None else p.assets_not_transferred}</td>",
        f'<td class="{REVIEW_CLASS[p.review]}" title="{_e(p.review_comment)}">'
        f"{_e(p.review)}</td>",
        f'<td class="wide">{_e(p.change)}</td>',
        f'<td><a href="{_e(file.resolve().as_uri())}">{_e(file.name)}</a></td>',
    ]
    families = {k: list(v) for k, v in p.by_family.items()}
    return (f'<tr data-tipo="{_e(p.kind)}" data-region="{_e(p.region)}" '
            f'data-estado="{_e(p.review)}" data-familias="{_json_attr(families)}" '
            f'data-meses="{_json_attr(_months(p))}">' + "".join(cells) + "</tr>")


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
    kinds = "".join(f'<option value="{_e(k)}">{_e(k)}</option>' for k in board.kinds)
    states = "".join(f'<option value="{s}">{s}</option>' for s in REVIEW_CLASS)
    unreadable = ""
    if board.unidentified:
        unreadable = ("<h2>Archivos que no se pudieron identificar</h2><ul>" + "".join(
            f"<li>{_e(u['path'])}: {_e(unidentified_reason(u))}</li>"
            for u in board.unidentified) + "</ul>")
    return f"""<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tablero de supervisión — minga</title><style>{CSS}</style></head>
<body><h1>Tablero de supervisión</h1>
<div class="sub">{len(board.programmes)} programas · generado el {_e(board.generated)} ·
base {_e(board.database)}</div>
<div class="charts"><div class="chart" id="familias"><noscript>Los gráficos necesitan
JavaScript.</noscript></div><div class="chart" id="evolucion"></div></div>
<h2>Programas</h2>
<div class="filters"><label>Buscar
<input id="filtro" type="search" placeholder="comuna, ejecutor, etapa…"></label>
<label>Tipo <select id="filtro-tipo"><option value="">Todos</option>{kinds}</select></label>
<label>Región <select id="filtro-region"><option value="">Todas</option>{options}</select></label>
<label>Estado <select id="filtro-estado"><option value="">Todos</option>{states}</select></label>
<span id="cuenta"></span></div>
<table id="programas"><thead><tr>{"".join(f"<th>{h}</th>" for h in HEADERS)}</tr></thead>
<tbody>{"".join(_row(p) for p in board.programmes)}</tbody></table>
<h2>Hallazgos por programa</h2>{"".join(_details(p) for p in board.programmes)}
{unreadable}
<script>{_constants()}{SCRIPT}</script></body></html>
"""


def write_html(board: Dashboard, path: Path) -> None:
    text = render(board)
    atomic_write(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))
