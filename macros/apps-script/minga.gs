// @ts-check
/**
 * minga: el menú «Minga» de una planilla de Google.
 *
 * Minga › Validar · Actualizar seguimiento · Carta Gantt envían los valores de la planilla al
 * servidor de minga (`minga servir`) y aplican lo que devuelve: valores, colores y notas, en
 * bloque (un setValues por tramo de fila, un setBackgrounds y un setNotes por hoja; nunca celda
 * por celda). La dirección del servidor y su clave se guardan en las propiedades del documento
 * con Minga › Configurar…; la clave nunca se muestra.
 */

var MINGA_URL = 'MINGA_URL';
var MINGA_CLAVE = 'MINGA_CLAVE';
var MINGA_TITULO = 'Minga';

/** Agrega el menú al abrir la planilla. */
function onOpen() {
  SpreadsheetApp.getUi()
    .createMenu('Minga')
    .addItem('Validar', 'mingaValidar')
    .addItem('Actualizar seguimiento', 'mingaSeguimiento')
    .addItem('Carta Gantt', 'mingaCartaGantt')
    .addSeparator()
    .addItem('Configurar…', 'mingaConfigurar')
    .addToUi();
}

function mingaValidar() { mingaEjecutar_('validar'); }
function mingaSeguimiento() { mingaEjecutar_('seguimiento'); }
function mingaCartaGantt() { mingaEjecutar_('gantt'); }

/** Pide la dirección y la clave del servidor y las guarda en el documento. */
function mingaConfigurar() {
  var ui = SpreadsheetApp.getUi();
  var direccion = ui.prompt(MINGA_TITULO,
    'Dirección del servidor de minga (empieza con https://):', ui.ButtonSet.OK_CANCEL);
  if (direccion.getSelectedButton() !== ui.Button.OK) return;
  var url = direccion.getResponseText().trim().replace(/\/+$/, '');
  if (!/^https:\/\/[^\s\/]+/.test(url)) {
    ui.alert(MINGA_TITULO, 'La dirección debe empezar con https:// (por ejemplo ' +
      'https://minga.ejemplo.cl). No se guardó nada.', ui.ButtonSet.OK);
    return;
  }
  var clave = ui.prompt(MINGA_TITULO,
    'Clave del servidor (la que le dio quien instaló minga):', ui.ButtonSet.OK_CANCEL);
  if (clave.getSelectedButton() !== ui.Button.OK) return;
  var props = PropertiesService.getDocumentProperties();
  props.setProperty(MINGA_URL, url);
  props.setProperty(MINGA_CLAVE, clave.getResponseText().trim());
  ui.alert(MINGA_TITULO, 'Servidor guardado. Use Minga › Validar.', ui.ButtonSet.OK);
}

/**
 * Lee todas las hojas: valores, notas y colores de fondo, una lectura de cada tipo por hoja.
 * Las fechas viajan como {fecha: 'AAAA-MM-DD'} en la zona horaria de la planilla.
 * @param {GoogleAppsScript.Spreadsheet.Spreadsheet} libro
 * @return {Object<string, {valores: Array<Array<*>>, notas: string[][], fondos: string[][]}>}
 */
function mingaLeer_(libro) {
  var zona = libro.getSpreadsheetTimeZone();
  /** @type {Object<string, {valores: Array<Array<*>>, notas: string[][], fondos: string[][]}>} */
  var hojas = {};
  libro.getSheets().forEach(function (hoja) {
    var rango = hoja.getDataRange();
    var valores = rango.getValues().map(function (fila) {
      return fila.map(function (v) {
        if (v instanceof Date) {
          var hora = Utilities.formatDate(v, zona, 'HH:mm:ss');
          return hora === '00:00:00'
            ? { fecha: Utilities.formatDate(v, zona, 'yyyy-MM-dd') }
            : { fechahora: Utilities.formatDate(v, zona, "yyyy-MM-dd'T'HH:mm:ss") };
        }
        return v;
      });
    });
    hojas[hoja.getName()] = { valores: valores, notas: rango.getNotes(),
      fondos: rango.getBackgrounds() };
  });
  return hojas;
}

/**
 * Un valor como lo escribe minga: fechas como fechas y un texto que empieza con = + - @
 * como texto (con apóstrofo), nunca como fórmula.
 * @param {*} v
 * @return {*}
 */
function mingaValor_(v) {
  if (v && typeof v === 'object') {
    var texto = String(v.fecha || v.fechahora || '');
    var p = texto.split(/[-T:]/).map(Number);
    return new Date(p[0], p[1] - 1, p[2], p[3] || 0, p[4] || 0, p[5] || 0);
  }
  if (typeof v === 'string' && /^[=+\-@]/.test(v)) return "'" + v;
  return v === null ? '' : v;
}

/**
 * Fila y columna (desde 1) de una celda A1.
 * @param {string} a1
 * @return {number[]}
 */
function mingaCelda_(a1) {
  var m = /^([A-Z]+)([0-9]+)$/.exec(a1);
  if (!m) throw new Error('celda inválida: ' + a1);
  var columna = 0;
  for (var i = 0; i < m[1].length; i++) columna = columna * 26 + m[1].charCodeAt(i) - 64;
  return [Number(m[2]), columna];
}

/**
 * Aplica la respuesta del servidor en bloque.
 * @param {GoogleAppsScript.Spreadsheet.Spreadsheet} libro
 * @param {{hojas_nuevas: string[], limpiar: string[], ocultar: string[], activar: ?string,
 *   valores: Array<{hoja: string, celda: string, filas: Array<Array<*>>}>,
 *   marcas: Array<{hoja: string, celda: string, nota: ?string, fondo: ?string}>}} r
 */
function mingaAplicar_(libro, r) {
  r.hojas_nuevas.forEach(function (nombre) {
    if (!libro.getSheetByName(nombre)) libro.insertSheet(nombre);
  });
  r.limpiar.forEach(function (nombre) {
    var hoja = libro.getSheetByName(nombre);
    if (hoja) hoja.clearContents();
  });
  r.valores.forEach(function (w) {
    var hoja = libro.getSheetByName(w.hoja);
    if (!hoja) return;
    var pos = mingaCelda_(w.celda);
    var filas = w.filas.map(function (f) { return f.map(mingaValor_); });
    hoja.getRange(pos[0], pos[1], filas.length, filas[0].length).setValues(filas);
  });
  /** @type {Object<string, Array<{fila: number, columna: number, nota: ?string, fondo: ?string}>>} */
  var porHoja = {};
  r.marcas.forEach(function (m) {
    var pos = mingaCelda_(m.celda);
    (porHoja[m.hoja] = porHoja[m.hoja] || []).push(
      { fila: pos[0], columna: pos[1], nota: m.nota, fondo: m.fondo });
  });
  Object.keys(porHoja).forEach(function (nombre) {
    var hoja = libro.getSheetByName(nombre);
    if (!hoja) return;
    var marcas = porHoja[nombre];
    var f0 = Math.min.apply(null, marcas.map(function (m) { return m.fila; }));
    var f1 = Math.max.apply(null, marcas.map(function (m) { return m.fila; }));
    var c0 = Math.min.apply(null, marcas.map(function (m) { return m.columna; }));
    var c1 = Math.max.apply(null, marcas.map(function (m) { return m.columna; }));
    var rango = hoja.getRange(f0, c0, f1 - f0 + 1, c1 - c0 + 1);
    var notas = rango.getNotes();
    var fondos = rango.getBackgrounds();
    marcas.forEach(function (m) {
      notas[m.fila - f0][m.columna - c0] = m.nota || '';
      fondos[m.fila - f0][m.columna - c0] = m.fondo || '#ffffff';
    });
    rango.setNotes(notas);
    rango.setBackgrounds(fondos);
  });
  r.ocultar.forEach(function (nombre) {
    var hoja = libro.getSheetByName(nombre);
    if (hoja && !hoja.isSheetHidden()) hoja.hideSheet();
  });
  var activa = r.activar ? libro.getSheetByName(r.activar) : null;
  if (activa) libro.setActiveSheet(activa);
}

/**
 * Envía la planilla al servidor y aplica la respuesta; mensajes claros si algo falla.
 * @param {string} accion validar, seguimiento o gantt
 */
function mingaEjecutar_(accion) {
  var ui = SpreadsheetApp.getUi();
  var props = PropertiesService.getDocumentProperties();
  var url = props.getProperty(MINGA_URL);
  var clave = props.getProperty(MINGA_CLAVE);
  if (!url || !clave) {
    ui.alert(MINGA_TITULO, 'Falta configurar el servidor de minga: use Minga › Configurar….',
      ui.ButtonSet.OK);
    return;
  }
  var libro = SpreadsheetApp.getActiveSpreadsheet();
  var cuerpo = JSON.stringify({ hojas: mingaLeer_(libro), fecha_corte: null });
  var respuesta;
  try {
    respuesta = UrlFetchApp.fetch(url + '/acciones/' + accion, {
      method: 'post', contentType: 'application/json', payload: cuerpo,
      headers: { Authorization: 'Bearer ' + clave }, muteHttpExceptions: true });
  } catch (e) {
    ui.alert(MINGA_TITULO, 'No se pudo conectar con el servidor de minga (' + url + '). ' +
      'Revise la dirección en Minga › Configurar… o avise a quien lo administra.',
      ui.ButtonSet.OK);
    return;
  }
  var codigo = respuesta.getResponseCode();
  if (codigo === 401) {
    ui.alert(MINGA_TITULO, 'El servidor de minga rechazó la clave. Escríbala de nuevo en ' +
      'Minga › Configurar….', ui.ButtonSet.OK);
    return;
  }
  if (codigo === 413) {
    ui.alert(MINGA_TITULO, 'La planilla es demasiado grande para el servidor de minga.',
      ui.ButtonSet.OK);
    return;
  }
  var datos;
  try {
    datos = JSON.parse(respuesta.getContentText());
  } catch (e) {
    datos = null;
  }
  if (codigo !== 200 || !datos) {
    var detalle = datos && typeof datos.detail === 'string' ? datos.detail : 'código ' + codigo;
    ui.alert(MINGA_TITULO, 'El servidor de minga no pudo hacerlo: ' + detalle,
      ui.ButtonSet.OK);
    return;
  }
  mingaAplicar_(libro, datos);
  ui.alert(MINGA_TITULO, datos.mensaje, ui.ButtonSet.OK);
}
