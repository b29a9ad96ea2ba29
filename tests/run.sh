#!/usr/bin/env bash
# Sets up and runs the whole test suite: a virtual environment with minga and its test
# dependencies, LibreOffice headless and poppler (Debian packages) for the rendering tests,
# Chromium for the HTML dashboard's.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)  # Apps Script type check (tsc)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)  # the HTML dashboard's tests
# UNO for Python (LibreOffice loads the Excel add-in: tests/uno_inspect.py)
[ -f /usr/lib/libreoffice/program/pythonscript.py ] || \
  need_apt+=(libreoffice-script-provider-python)
if [ ${#need_apt[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Faltan ${need_apt[*]} (LibreOffice headless, poppler, Node.js, Chromium): instálelos y vuelva a ejecutar." >&2
    exit 2
  fi
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Instalando ${need_apt[*]} (apt-get)…"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
    "${need_apt[@]}" >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
.venv/bin/ruff check .
# TypeScript and Google's Apps Script types, for tests/test_apps_script.py (npm registry).
if [ ! -x tests/apps_script/node_modules/.bin/tsc ]; then
  (cd tests/apps_script && npm ci --no-audit --no-fund --loglevel=error)
fi
exec .venv/bin/python -m pytest "$@"
