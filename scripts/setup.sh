#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need on a fresh Debian machine:
# Debian packages (Fashion-MNIST, Chromium, ripgrep and the headers code-server's native modules
# compile against, clang and lld for the training kernels), the npm dependencies, and code-server for the end-to-end tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# clang and lld compile the WebAssembly SIMD training kernels (scripts/build-kernels.mjs).
packages=(dataset-fashion-mnist chromium ripgrep libkrb5-dev build-essential clang lld)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The native TensorFlow packages are optional dependencies: their install step downloads
# libtensorflow, which fails without internet, and npm then simply leaves them out.
npm ci --no-audit --no-fund
bash scripts/install-code-server.sh >/dev/null
echo "Setup done."
