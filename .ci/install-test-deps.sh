#!/usr/bin/env bash
# Everything the kit's tests need on a fresh machine: the browser for the matrix-page tests
# (Debian chromium + chromedriver), Accord with every backend and the test tools, and the FaaS
# hosts that are not Python packages (serverless-offline from npm, the Knative venv).
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_PROGRESS_BAR=off

# apt and pip share nothing (the system's /usr, the Python's site-packages), so the browser installs
# while pip does; the FaaS hosts come after pip (their Knative venv installs this checkout too)
apt_pid=
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) &
  apt_pid=$!
fi
pip install -q -e '.[all,test]'
bash .ci/install-faas-hosts.sh
if [ -n "$apt_pid" ]; then
  wait "$apt_pid" || { echo "install-test-deps: apt-get could not install chromium and chromium-driver" >&2; exit 1; }
fi
