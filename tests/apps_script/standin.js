// A stand-in for the Apps Script services minga.gs uses, recording every call.
//
// Google's Apps Script runtime cannot run here: this runs minga.gs under node against small
// fakes of SpreadsheetApp, PropertiesService, UrlFetchApp and Utilities that keep a sheet's
// values, notes and backgrounds in memory and log each call, so the tests can check that the
// script reads and writes in bulk and says the right thing when the server refuses.
//
// Usage: node standin.js < scenario.json > result.json
//   scenario: {script, call, sheets: {name: {values, notes?, backgrounds?}}, properties,
//              fetch: {status, body} | {throws: "message"}, timeZone}
'use strict';
const fs = require('fs');
const vm = require('vm');

const scenario = JSON.parse(fs.readFileSync(0, 'utf-8'));
const calls = [];
const alerts = [];
const fetches = [];
const log = (what, detail) => calls.push(detail === undefined ? [what] : [what, detail]);

function grid(rows, cols, fill) {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => fill));
}

function revive(v) {
  if (v && typeof v === 'object' && v.fecha) {
    const [y, m, d] = v.fecha.split('-').map(Number);
    return new Date(y, m - 1, d);
  }
  return v;
}

class Sheet {
  constructor(name, data) {
    this.name = name;
    this.values = (data.values || []).map((r) => r.map(revive));
    this.notes = data.notes || this.values.map((r) => r.map(() => ''));
    this.backgrounds = data.backgrounds || this.values.map((r) => r.map(() => '#ffffff'));
    this.hidden = false;
  }
  ensure(rows, cols) {
    for (const key of ['values', 'notes', 'backgrounds']) {
      const blank = key === 'values' || key === 'notes' ? '' : '#ffffff';
      while (this[key].length < rows) this[key].push([]);
      for (const row of this[key]) while (row.length < cols) row.push(blank);
    }
  }
  getName() { return this.name; }
  getDataRange() {
    log('getDataRange', this.name);
    const rows = this.values.length;
    const cols = Math.max(0, ...this.values.map((r) => r.length));
    return new Range(this, 1, 1, Math.max(rows, 1), Math.max(cols, 1));
  }
  getRange(row, col, rows, cols) {
    if (typeof row !== 'number') throw new Error('A1 getRange not in the stand-in');
    return new Range(this, row, col, rows || 1, cols || 1);
  }
  clearContents() { log('clearContents', this.name); this.values = []; return this; }
  hideSheet() { log('hideSheet', this.name); this.hidden = true; return this; }
  isSheetHidden() { return this.hidden; }
}

class Range {
  constructor(sheet, row, col, rows, cols) {
    Object.assign(this, { sheet, row, col, rows, cols });
  }
  read(key) {
    this.sheet.ensure(this.row + this.rows - 1, this.col + this.cols - 1);
    return this.sheet[key].slice(this.row - 1, this.row - 1 + this.rows)
      .map((r) => r.slice(this.col - 1, this.col - 1 + this.cols));
  }
  write(key, data, what) {
    if (data.length !== this.rows || data.some((r) => r.length !== this.cols)) {
      throw new Error(`${what}: data is ${data.length}x${data[0].length}, range is ` +
        `${this.rows}x${this.cols}`);
    }
    this.sheet.ensure(this.row + this.rows - 1, this.col + this.cols - 1);
    data.forEach((r, i) => r.forEach((v, j) => {
      this.sheet[key][this.row - 1 + i][this.col - 1 + j] = v;
    }));
    log(what, { sheet: this.sheet.name, row: this.row, col: this.col, rows: this.rows,
      cols: this.cols });
    return this;
  }
  getValues() { log('getValues', this.sheet.name); return this.read('values'); }
  getNotes() { log('getNotes', this.sheet.name); return this.read('notes'); }
  getBackgrounds() { log('getBackgrounds', this.sheet.name); return this.read('backgrounds'); }
  setValues(v) { return this.write('values', v, 'setValues'); }
  setNotes(v) { return this.write('notes', v, 'setNotes'); }
  setBackgrounds(v) { return this.write('backgrounds', v, 'setBackgrounds'); }
  // The per-cell calls minga.gs must never make: recorded so a test can fail on them.
  setValue(v) { return this.write('values', [[v]], 'setValue'); }
  setNote(v) { return this.write('notes', [[v]], 'setNote'); }
  setBackground(v) { return this.write('backgrounds', [[v]], 'setBackground'); }
}

const sheets = Object.entries(scenario.sheets || {}).map(([n, d]) => new Sheet(n, d));
let active = sheets[0];
const book = {
  getSheets: () => sheets,
  getSheetByName: (n) => sheets.find((s) => s.name === n) || null,
  insertSheet: (n) => { log('insertSheet', n); const s = new Sheet(n, {}); sheets.push(s); return s; },
  getSpreadsheetTimeZone: () => scenario.timeZone || 'America/Santiago',
  setActiveSheet: (s) => { log('setActiveSheet', s.name); active = s; return s; },
};

const responses = [...(scenario.prompts || [])];
const ui = {
  ButtonSet: { OK: 'OK', OK_CANCEL: 'OK_CANCEL' },
  Button: { OK: 'OK', CANCEL: 'CANCEL' },
  alert: (title, message) => { alerts.push(message); return 'OK'; },
  prompt: (title, message) => {
    const answer = responses.shift();
    return { getSelectedButton: () => (answer === null ? 'CANCEL' : 'OK'),
      getResponseText: () => answer || '' };
  },
  createMenu: (name) => {
    const menu = { name, items: [] };
    const api = {
      addItem: (label, fn) => { menu.items.push([label, fn]); return api; },
      addSeparator: () => { menu.items.push(['-', '']); return api; },
      addToUi: () => { log('menu', menu); },
    };
    return api;
  },
};
const properties = { ...(scenario.properties || {}) };

const context = {
  SpreadsheetApp: { getUi: () => ui, getActiveSpreadsheet: () => book, getActive: () => book },
  PropertiesService: { getDocumentProperties: () => ({
    getProperty: (k) => (k in properties ? properties[k] : null),
    setProperty: (k, v) => { properties[k] = v; },
  }) },
  UrlFetchApp: { fetch: (url, options) => {
    fetches.push({ url, headers: options.headers, payload: JSON.parse(options.payload) });
    if (scenario.fetch.throws) throw new Error(scenario.fetch.throws);
    return { getResponseCode: () => scenario.fetch.status,
      getContentText: () => (typeof scenario.fetch.body === 'string' ? scenario.fetch.body
        : JSON.stringify(scenario.fetch.body)) };
  } },
  Utilities: { formatDate: (d, tz, pattern) => {
    const pad = (n) => String(n).padStart(2, '0');
    return pattern.replace('yyyy', d.getFullYear()).replace('MM', pad(d.getMonth() + 1))
      .replace('dd', pad(d.getDate())).replace('HH', pad(d.getHours()))
      .replace('mm', pad(d.getMinutes())).replace('ss', pad(d.getSeconds()));
  } },
  Date, JSON, Math, Object, Number, String, Error,
};
vm.createContext(context);
vm.runInContext(fs.readFileSync(scenario.script, 'utf-8'), context, { filename: 'minga.gs' });
let error = null;
try {
  context[scenario.call]();
} catch (e) {
  error = String(e && e.stack || e);
}
const dump = (v) => (v instanceof Date ? { fecha: `${v.getFullYear()}-` +
  `${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}` } : v);
process.stdout.write(JSON.stringify({
  calls, alerts, fetches, properties, error, active: active && active.name,
  sheets: Object.fromEntries(sheets.map((s) => [s.name, { values: s.values.map((r) => r.map(dump)),
    notes: s.notes, backgrounds: s.backgrounds, hidden: s.hidden }])),
}));
