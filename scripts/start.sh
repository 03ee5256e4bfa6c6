#!/usr/bin/env bash
# Sets everything up, builds and packages the extension, then opens VS Code with the extension
# installed and a learner's workspace with the lesson open. Without a desktop VS Code on PATH it
# serves code-server on 127.0.0.1 and prints the address to open in a browser.
#
#   scripts/start.sh [WORKSPACE]     (default: ~/dl-lessons-workshop)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
workspace="${1:-$HOME/dl-lessons-workshop}"
port="${PORT:-8080}"
# Every step's own output (npm's warnings, the packager's file list) goes to this log; the screen
# shows one line per step, and the last line is the address to open.
log="${TMPDIR:-/tmp}/dl-lessons-start.log"
: > "$log"

step() {
  local what="$1"
  shift
  printf '%s… ' "$what"
  if "$@" >>"$log" 2>&1; then
    echo "done"
  else
    echo "failed"
    echo "The last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
}

step "Installing what the extension needs" bash scripts/setup.sh
step "Building and packaging the extension" npm run package
vsix="$(ls -t dl-lessons-*.vsix | head -n 1)"

# The workspace asks the extension to open the lesson when the window opens.
mkdir -p "$workspace/.vscode" "$workspace/dl-lessons"
if [ ! -f "$workspace/.vscode/settings.json" ]; then
  cat > "$workspace/.vscode/settings.json" <<'JSON'
{
  "dlLessons.openLessonOnStartup": "intro-image-classification-cnn"
}
JSON
fi

if command -v code >/dev/null 2>&1 && [ -z "${DL_LESSONS_USE_CODE_SERVER:-}" ]; then
  step "Installing the extension into VS Code" code --install-extension "$vsix" --force
  echo "Opening VS Code on $workspace"
  exec code "$workspace" >>"$log" 2>&1
fi

entry="$(bash scripts/install-code-server.sh 2>>"$log" | tail -n 1)"
state="$PWD/.tools/code-server-state"
mkdir -p "$state/user-data/User"
[ -f "$state/user-data/User/settings.json" ] || echo '{ "workbench.startupEditor": "none", "security.workspace.trust.enabled": false }' > "$state/user-data/User/settings.json"
step "Installing the extension into code-server" node "$entry" --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" --install-extension "$vsix" --force

printf 'Starting the editor… '
node "$entry" --auth none --bind-addr "127.0.0.1:$port" --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" \
  --disable-telemetry --disable-update-check "$workspace" >>"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' INT TERM EXIT
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "failed"
    tail -n 20 "$log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "done (Ctrl+C stops it; its log is $log)"
echo "Open http://127.0.0.1:$port/?folder=$workspace"
wait "$server"
