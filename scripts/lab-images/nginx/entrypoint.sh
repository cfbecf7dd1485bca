#!/bin/sh
# nginx in the foreground as PID 1 (stop signal SIGQUIT reaches the master), listening on 127.0.0.1:PORT.
set -eu
case "${PORT:-}" in
  '' | *[!0-9]*) echo "nginx: set PORT to the port to listen on (127.0.0.1:PORT); got '${PORT:-}'" >&2; exit 64 ;;
esac
printf 'listen 127.0.0.1:%s;\n' "$PORT" >/etc/nginx/listen.conf
exec nginx -g 'daemon off;'
