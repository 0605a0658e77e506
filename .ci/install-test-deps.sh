#!/usr/bin/env bash
# Everything the kit's tests need on a fresh machine: the browser for the matrix-page tests
# (Debian chromium + chromedriver), Accord with every backend and the test tools, and the FaaS
# hosts that are not Python packages (serverless-offline from npm, the Knative venv).
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_PROGRESS_BAR=off

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
pip install -q -e '.[all,test]'
bash .ci/install-faas-hosts.sh
