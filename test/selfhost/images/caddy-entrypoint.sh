#!/bin/sh
# Entry point of the stand-in Caddy image (Debian's caddy 2.6.2). docker-compose.yml relies on the
# official image's Caddy >= 2.7 contract: `CADDY_ADMIN=unix//path/admin.sock|0222` makes the admin API
# listen on that unix socket with that file mode (connect needs write permission, so 0222 lets web and
# worker, uid 10001, use it). Caddy 2.6.2 ignores CADDY_ADMIN and has no `|mode` syntax, so this
# script gives the same result: a first config with `admin.listen` on the socket (`--resume` prefers
# the autosave, which keeps that `admin`; Rise never replaces `admin`), and the mode applied once the
# socket exists. Caddy 2.6.2 keeps the same socket file when it restarts its admin server after each
# config change, so the mode holds until Caddy itself restarts, when this script applies it again.
set -eu

if [ "$#" -ge 2 ] && [ "$1" = caddy ] && [ "$2" = run ] && [ -n "${CADDY_ADMIN:-}" ]; then
  case "$CADDY_ADMIN" in
    unix//*) ;;
    *) echo "caddy-entrypoint: CADDY_ADMIN must be unix//<path>[|<mode>], got: $CADDY_ADMIN" >&2; exit 2 ;;
  esac
  address=${CADDY_ADMIN%%|*}
  mode=
  if [ "$address" != "$CADDY_ADMIN" ]; then mode=${CADDY_ADMIN#*|}; fi
  socket=${address#unix/}
  case "$mode" in
    '' | [0-7][0-7][0-7] | [0-7][0-7][0-7][0-7]) ;;
    *) echo "caddy-entrypoint: bad socket mode in CADDY_ADMIN: $mode" >&2; exit 2 ;;
  esac
  mkdir -p "$(dirname "$socket")"
  # A socket file left by the previous run would make the new listener fail or keep a stale mode.
  rm -f "$socket"
  initial=/tmp/caddy-admin.json
  printf '{"admin":{"listen":"%s"}}\n' "$address" > "$initial"
  # `--config` comes first so an operator's own `--config` later on the command line wins.
  shift 2
  caddy run --config "$initial" "$@" &
  pid=$!
  trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
  if [ -n "$mode" ]; then
    tries=0
    until [ -S "$socket" ]; do
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      tries=$((tries + 1))
      if [ "$tries" -gt 300 ]; then echo "caddy-entrypoint: no admin socket at $socket after 30 s" >&2; break; fi
      sleep 0.1
    done
    if [ -S "$socket" ]; then chmod "$mode" "$socket"; fi
  fi
  # `wait` returns early when a trapped signal arrives; wait again for Caddy's graceful exit code.
  status=0
  wait "$pid" || status=$?
  if kill -0 "$pid" 2>/dev/null; then
    status=0
    wait "$pid" || status=$?
  fi
  exit "$status"
fi

exec "$@"
