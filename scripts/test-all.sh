#!/usr/bin/env bash
# The full test command (README: `npm ci && npm run test:all`; .ci/run runs exactly that):
# unit tests, the packaged VSIX, then the end-to-end tests in the real VS Code workbench
# (code-server + Chromium, offline) against that VSIX.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { printf '\n=== %s\n' "$*"; }

if [ ! -d node_modules ]; then step "npm ci"; npm ci; fi
step "build";            npm run build
step "unit tests";       npm test
step "package the VSIX"; npm run package
step "VS Code (test-electron), where it can be downloaded"; npm run test:vscode
step "e2e setup";        bash scripts/e2e-setup.sh
step "e2e: the packaged VSIX in VS Code (code-server + Chromium)"; npm run test:e2e
