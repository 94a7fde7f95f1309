#!/usr/bin/env bash
# The pinned official SDKs of requirements.txt in target/sdk-venv (PyPI; created once,
# again when requirements.txt changes). Used by run.sh (sdk-compat) and `make bench`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/target/sdk-venv"
PY="${PYTHON:-python3}"

stamp="$VENV/.requirements.sha256"
want="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  echo "sdk-venv: installing the official SDKs into $VENV" >&2
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$HERE/requirements.txt"
  echo "$want" >"$stamp"
fi
