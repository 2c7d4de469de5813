#!/bin/sh
# Entry point of the stand-in registry image (Debian's docker-registry, CNCF distribution 2.8.2), with
# the official registry:2 image's contract: a config file argument means `registry serve <file>`, a
# subcommand runs the registry binary with it, anything else runs as given.
set -eu
case "${1:-}" in
  *.yaml | *.yml) set -- docker-registry serve "$@" ;;
  serve | garbage-collect | help | -*) set -- docker-registry "$@" ;;
esac
exec "$@"
