#!/usr/bin/env bash
# What `make run` and `make test` need from the operating system, said plainly when it is missing.
# Usage: scripts/check-system.sh run|test
set -u
purpose="${1:-run}"
missing=()
python3.11 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3.11-venv)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
if [ "$purpose" = test ]; then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Petition Desk needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
  echo "(bash .ci/run installs them by itself.)" >&2
  exit 1
fi
