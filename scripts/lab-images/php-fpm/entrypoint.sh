#!/bin/sh
# PHP-FPM in the foreground as PID 1, so the container's stop signal (SIGQUIT) reaches the master.
set -eu
case "${PORT:-}" in
  '' | *[!0-9]*) echo "php-fpm: set PORT to the port to listen on (127.0.0.1:PORT); got '${PORT:-}'" >&2; exit 64 ;;
esac
exec php-fpm8.2 --nodaemonize --force-stderr
