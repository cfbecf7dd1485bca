#!/bin/sh
# Behaves like PHP-FPM: SIGTERM is not a graceful stop (here: ignored), SIGQUIT is.
trap 'echo "SIGTERM ignored"' TERM
trap 'echo "SIGQUIT: graceful exit"; exit 0' QUIT
echo "sigquit service started"
while :; do
  sleep 3600 &
  wait $!
done
