#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: typecheck, lint, unit tests, build, package and
# the end-to-end tests in real VS Code (code-server + Chromium).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# CI tries the full counts of the fuzz and property tests (a developer's test:unit tries fewer).
export DL_LESSONS_THOROUGH=1
npm test
