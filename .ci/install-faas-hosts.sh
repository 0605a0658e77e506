#!/usr/bin/env bash
# Installs the FaaS hosts that are not Python packages of this environment:
#  * serverless@3 + serverless-offline@13 from npm into a project-local folder (not the repository),
#  * Knative's func-python in its OWN virtual environment (it needs cloudevents 2.x, functions-framework
#    pins cloudevents <= 1.12), with Accord installed there too so the worker protocol can drive it:
#      accord run --family faas --adapter knative --python "$ACCORD_KNATIVE_VENV/bin/python"
# Idempotent: re-running only checks what is already there.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
sls_home="${ACCORD_SLS_HOME:-$HOME/.cache/accord/faas-hosts/sls}"
knative_venv="${ACCORD_KNATIVE_VENV:-$HOME/.cache/accord/venvs/knative}"
python="${PYTHON:-python3}"

command -v node >/dev/null || { echo "install-faas-hosts: node is not on PATH (needed by serverless-offline)" >&2; exit 1; }
command -v npm >/dev/null || { echo "install-faas-hosts: npm is not on PATH" >&2; exit 1; }

mkdir -p "$sls_home"
if [ ! -f "$sls_home/package.json" ]; then
  printf '{"name": "accord-serverless-offline-host", "private": true}\n' > "$sls_home/package.json"
fi
if [ ! -f "$sls_home/node_modules/serverless-offline/package.json" ] || [ ! -f "$sls_home/node_modules/serverless/package.json" ]; then
  (cd "$sls_home" && npm install --no-audit --no-fund --loglevel=error serverless@3 serverless-offline@13)
fi
echo "serverless $(node -p "require('$sls_home/node_modules/serverless/package.json').version")," \
     "serverless-offline $(node -p "require('$sls_home/node_modules/serverless-offline/package.json').version") in $sls_home"

if [ ! -x "$knative_venv/bin/python" ]; then
  "$python" -m venv "$knative_venv"
fi
"$knative_venv/bin/python" -m pip install -q --disable-pip-version-check func-python
# Accord itself (editable, no dependencies: the worker and the FaaS adapters need only the standard library)
"$knative_venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e "$repo"
"$knative_venv/bin/python" - <<'PY'
import importlib.metadata as m
import accord.adapters.faas.knative_adapter as k
print(f"func-python {m.version('func-python')}, cloudevents {m.version('cloudevents')} in", __import__('sys').prefix)
reason = k.adapter.unusable_reason()
assert reason is None, reason
PY
