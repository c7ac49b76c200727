#!/usr/bin/env bash
# Start JupyterLab on the course notebooks. `make lab` runs this, and so does the
# test that checks the server starts; extra arguments go to `jupyter lab`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
args=(--notebook-dir="$root/notebooks")
# JupyterLab refuses to run as root without this flag (containers, CI machines).
if [ "$(id -u)" = "0" ]; then
  args+=(--allow-root)
fi
exec "$root/.venv/bin/jupyter" lab "${args[@]}" "$@"
