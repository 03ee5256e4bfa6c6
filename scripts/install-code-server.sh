#!/usr/bin/env bash
# Installs code-server (VS Code served to a browser) and Debian's Chromium for the end-to-end
# tests, using only the npm registry and Debian's packages (no other downloads). Safe to run twice.
#
#   usage: scripts/install-code-server.sh [DEST]   (default: .tools/code-server-$VERSION)
#   prints the path of code-server's entry script on its last line.
#
# code-server 4.100.x is VS Code 1.100, the newest line that runs on Node 20.
set -euo pipefail
VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${1:-$ROOT/.tools/code-server-$VERSION}"
ENTRY="$DEST/out/node/entry.js"
if [ -f "$DEST/.installed" ]; then echo "$ENTRY"; exit 0; fi

# Debian packages: ripgrep replaces the binary VS Code would download, Chromium drives the UI,
# and the Kerberos headers let the kerberos module compile.
missing=()
command -v rg >/dev/null || missing+=(ripgrep)
command -v chromium >/dev/null || missing+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v make >/dev/null || missing+=(build-essential)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

nodedir="$(npm config get nodedir 2>/dev/null || true)"
if [ -z "$nodedir" ] || [ "$nodedir" = "undefined" ]; then nodedir=/usr; fi
gyp="$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || gyp=/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "code-server@$VERSION" >/dev/null)
rm -rf "$DEST"; mkdir -p "$DEST"
tar xzf "$work"/code-server-*.tgz -C "$DEST" --strip-components=1

compile() { (cd "$1" && node "$gyp" rebuild --nodedir="$nodedir" >/dev/null 2>&1) || { echo "could not compile the native module in $1" >&2; exit 1; }; }

# code-server's own dependencies; argon2 is the only native one.
(cd "$DEST" && npm install --silent --omit=dev --ignore-scripts >/dev/null)
(cd "$DEST/node_modules/argon2" && node ../@mapbox/node-pre-gyp/bin/node-pre-gyp rebuild --build-from-source --nodedir="$nodedir" >/dev/null 2>&1) \
  || { echo "could not compile argon2" >&2; exit 1; }

# VS Code's server dependencies, installed without their scripts (ripgrep's would download a
# binary), then each native module compiled here and ripgrep taken from Debian.
vs="$DEST/lib/vscode"
(cd "$vs" && npm install --silent --omit=dev --ignore-scripts >/dev/null)
for module in kerberos @vscode/spdlog @vscode/deviceid native-watchdog node-pty; do compile "$vs/node_modules/$module"; done
mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$vs/node_modules.asar"
(cd "$vs/extensions" && npm install --silent --omit=dev --ignore-scripts >/dev/null)

touch "$DEST/.installed"
echo "$ENTRY"
