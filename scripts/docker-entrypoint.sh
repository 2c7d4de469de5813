#!/bin/sh
# Entry of Rise's image. The process replaces this shell (exec), so it receives the container's stop
# signal directly.
#   migrate                       apply pending migrations, then exit (docker-compose.yml's `migrate`)
#   web                           the web server
#   worker [--queues a,b] ...     the worker
#   edge                          the apps' public ports in front of Caddy (docker-compose.yml's `edge`)
#   platform-restore <id> --yes   replace Rise's database with a platform backup (web and worker stopped)
#   (nothing)                     migrate, then the web server (a single-container setup)
# Concurrent `migrate` runs are safe: Prisma Migrate holds a PostgreSQL advisory lock while it applies.
set -eu
cd /app
command="${1:-}"
[ "$#" -gt 0 ] && shift
migrate() {
  # prisma.config.ts and the migrations are read relative to /app/migrate.
  (cd /app/migrate && node scripts/prisma.mjs migrate deploy)
}
# As under `npm start` (scripts/start.ts): fewer malloc arenas, a small V8 young generation, and
# WebAssembly (Prisma's query compiler) kept at V8's baseline compiler: tens of MiB less per process.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
lean="--max-semi-space-size=2 --liftoff-only"
case "$command" in
  migrate) migrate ;;
  web) exec node $lean server.js "$@" ;;
  worker) exec node $lean --import /app/scripts/worker-heartbeat.mjs dist/worker.mjs "$@" ;;
  edge) exec node --max-semi-space-size=1 dist/edge.mjs "$@" ;;
  platform-restore) exec node dist/platform-restore.mjs "$@" ;;
  '') migrate && exec node $lean server.js ;;
  *)
    echo "docker-entrypoint.sh: unknown command '$command' (migrate, web, worker, edge, platform-restore)" >&2
    exit 64
    ;;
esac
