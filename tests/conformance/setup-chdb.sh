#!/usr/bin/env bash
# Installs the pinned chDB (a current ClickHouse, in-process) into a venv for the conformance check.
# Idempotent: a venv that already has the pinned versions is left alone. Prints the venv's python.
set -euo pipefail

# chdb 4.4.0 is the Python API; chdb-core 26.9.0 carries the engine (ClickHouse 26.9.2.1).
# Change both together, then update docs/clickhouse.md and the docker-compose image tag.
CHDB_VERSION=4.4.0
CHDB_CORE_VERSION=26.9.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${WAYPOINT_CHDB_VENV:-$ROOT/.data/venv-chdb}"
PY="$VENV/bin/python"

installed() {
  [ -x "$PY" ] && "$PY" - "$CHDB_VERSION" "$CHDB_CORE_VERSION" <<'EOF' >/dev/null 2>&1
import sys
from importlib.metadata import version
sys.exit(0 if (version("chdb"), version("chdb-core")) == (sys.argv[1], sys.argv[2]) else 1)
EOF
}

if installed; then
  echo "$PY"
  exit 0
fi

PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup-chdb: $PYTHON not found; install Python 3.9+ (apt-get install -y python3 python3-venv)" >&2
  exit 1
fi

if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup-chdb: python venv support is missing; installing python3-venv with apt-get" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
  else
    echo "setup-chdb: python venv support is missing; run: sudo apt-get install -y python3-venv" >&2
    exit 1
  fi
fi

[ -x "$PY" ] || "$PYTHON" -m venv "$VENV" >&2
"$PY" -m pip install --quiet --disable-pip-version-check \
  "chdb==$CHDB_VERSION" "chdb-core==$CHDB_CORE_VERSION" >&2
installed || { echo "setup-chdb: chdb $CHDB_VERSION did not install into $VENV" >&2; exit 1; }
echo "$PY"
