#!/bin/sh
# A tiny web service: /health and /version on 127.0.0.1:$PORT (host network).
# HEALTHY=0 makes /health answer 404, for failing-health scenarios.
mkdir -p /www
echo "$VERSION" > /www/version
if [ "${HEALTHY:-1}" = 1 ]; then echo ok > /www/health; fi
echo "web $VERSION listening on 127.0.0.1:$PORT"
httpd -f -p "127.0.0.1:$PORT" -h /www &
pid=$!
# PID 1 ignores signals it has no handler for: handle TERM so a stop is prompt.
trap 'echo "web stopping"; kill $pid; exit 0' TERM INT
wait $pid
