#!/bin/sh
# The plain script the panel's sampling is measured against: `docker stats --no-stream` on every node (in parallel)
# every 10 s until the deadline (epoch seconds). Its last lines: the rounds it made, then its own /proc stat, whose
# cutime/cstime hold the CPU of every docker CLI it ran and waited for.
deadline=$1
shift
rounds=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  started=$(date +%s)
  for endpoint in "$@"; do
    docker -H "$endpoint" stats --no-stream >/dev/null &
  done
  wait
  rounds=$((rounds + 1))
  left=$((10 - ($(date +%s) - started)))
  if [ "$left" -gt 0 ]; then sleep "$left"; fi
done
echo "$rounds"
cat /proc/$$/stat
