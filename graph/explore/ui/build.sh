#!/bin/sh
# Rebuilds dist/, the explorer page embedded in graphd, from the versions
# pinned in package-lock.json. Needs Node.js and npm; Go builds of graphd
# only need the committed dist/. The same lockfile gives the same bytes.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
node node_modules/esbuild/install.js
node build.mjs
