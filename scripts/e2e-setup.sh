#!/usr/bin/env bash
# Installs what the offline real-VS-Code e2e tests need (see test/e2e/README.md):
#  - Debian packages: chromium, ripgrep, and the headers code-server's native modules build
#    against (only those missing are installed);
#  - code-server and playwright-core, pinned in test/e2e/package.json(+lock), into the
#    git-ignored test/e2e/.harness/ with install scripts off (they would download), then
#    VS Code's own dependencies and the native modules rebuilt from source against the local
#    Node headers, and Debian's rg in place of @vscode/ripgrep's downloaded binary.
# Idempotent: a stamp keyed on the pinned versions, this script and the Node version skips
# everything already done. CONCLENS_E2E_FORCE=1 redoes it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/test/e2e"
H="$E2E/.harness"
STAMP="$H/.setup-stamp"
say() { echo "[e2e-setup] $*"; }

# ---- Debian packages --------------------------------------------------------------------
missing=()
for pkg in chromium ripgrep libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
for tool in make g++ python3; do
  command -v "$tool" >/dev/null 2>&1 || case "$tool" in
    make) missing+=(make) ;; g++) missing+=(g++) ;; python3) missing+=(python3) ;;
  esac
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
test -x /usr/bin/chromium || { say "no /usr/bin/chromium after install"; exit 1; }
RG="$(command -v rg)" || { say "no rg after install"; exit 1; }

# ---- the harness's npm packages ----------------------------------------------------------
key="$( (cat "$E2E/package.json" "$E2E/package-lock.json" "$0"; node --version) | sha256sum | cut -c1-16)"
if [ -z "${CONCLENS_E2E_FORCE:-}" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$key" ] \
   && [ -f "$H/node_modules/code-server/out/node/entry.js" ]; then
  say "harness up to date ($H)"
  exit 0
fi

# Native modules build against Node's headers; Debian's nodejs ships them under /usr/include/node.
if [ -z "${npm_config_nodedir:-}" ]; then
  nd="$(npm config get nodedir 2>/dev/null || true)"
  if { [ -z "$nd" ] || [ "$nd" = "undefined" ] || [ "$nd" = "null" ]; } && [ -d /usr/include/node ]; then
    export npm_config_nodedir=/usr
  fi
fi
NPM_FLAGS=(--no-audit --no-fund --loglevel=error)
start=$SECONDS

say "installing code-server and playwright-core into $H"
rm -f "$STAMP"
rm -rf "$H/node_modules"
mkdir -p "$H"
cp "$E2E/package.json" "$E2E/package-lock.json" "$H/"
(cd "$H" && npm ci --ignore-scripts "${NPM_FLAGS[@]}")

VS="$H/node_modules/code-server/lib/vscode"
say "installing VS Code's own dependencies"
(cd "$VS" && npm install --omit=dev --ignore-scripts "${NPM_FLAGS[@]}")
(cd "$VS/extensions" && npm install --omit=dev --ignore-scripts "${NPM_FLAGS[@]}")

say "building native modules from source"
(cd "$VS" && npm rebuild @vscode/spdlog kerberos native-watchdog --ignore-scripts=false --build-from-source "${NPM_FLAGS[@]}")
# node-pty's binary builds; its post-install step then fails (it wants to download) — check the binary instead.
(cd "$VS" && npm rebuild node-pty --ignore-scripts=false --build-from-source "${NPM_FLAGS[@]}" >/dev/null 2>&1) || true
test -f "$VS/node_modules/node-pty/build/Release/pty.node" || { say "node-pty did not build"; exit 1; }
# npm hoists argon2 next to code-server, so it is rebuilt from the harness folder.
(cd "$H" && npm rebuild argon2 --ignore-scripts=false --build-from-source "${NPM_FLAGS[@]}")
for f in "$VS/node_modules/@vscode/spdlog/build/Release/spdlog.node" \
         "$VS/node_modules/kerberos/build/Release/kerberos.node" \
         "$VS/node_modules/native-watchdog/build/Release/watchdog.node"; do
  test -f "$f" || { say "missing $f"; exit 1; }
done
find "$H/node_modules/argon2" -name argon2.node | grep -q . || { say "argon2 did not build"; exit 1; }

say "ripgrep from Debian; node_modules.asar link"
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
cp "$RG" "$VS/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$VS/node_modules.asar"

echo "$key" > "$STAMP"
say "done in $((SECONDS - start)) s"
