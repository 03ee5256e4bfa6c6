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

bash scripts/setup.sh
npm run package
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
  code --install-extension "$vsix" --force
  exec code "$workspace"
fi

entry="$(bash scripts/install-code-server.sh | tail -n 1)"
state="$PWD/.tools/code-server-state"
mkdir -p "$state/user-data/User"
[ -f "$state/user-data/User/settings.json" ] || echo '{ "workbench.startupEditor": "none", "security.workspace.trust.enabled": false }' > "$state/user-data/User/settings.json"
node "$entry" --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" --install-extension "$vsix" --force >/dev/null
echo
echo "Deep Learning Lessons is ready: open http://127.0.0.1:$port/?folder=$workspace in your browser."
echo "(Press Ctrl+C to stop the server.)"
exec node "$entry" --auth none --bind-addr "127.0.0.1:$port" --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" \
  --disable-telemetry --disable-update-check "$workspace"
