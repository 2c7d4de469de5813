#!/bin/sh
# Container entry for the web service: apply pending migrations, then become the Next.js server
# (exec, so it receives the container's stop signal).
set -eu
cd "$(dirname "$0")/.."
node scripts/prisma.mjs migrate deploy
exec node node_modules/next/dist/bin/next start "$@"
