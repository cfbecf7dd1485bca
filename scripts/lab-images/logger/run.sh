#!/bin/sh
# Writes numbered lines: RATE lines/s (0 = as fast as possible), COUNT lines (0 = forever),
# STREAM stdout|stderr|both, PREFIX text before the number, PAD extra characters per line.
trap 'exit 0' TERM INT
pad=""
if [ "$PAD" -gt 0 ]; then pad=$(head -c "$PAD" /dev/zero | tr '\0' 'x'); fi
delay=0
if [ "$RATE" -gt 0 ]; then delay=$((1000000 / RATE)); fi
i=1
while [ "$COUNT" -eq 0 ] || [ "$i" -le "$COUNT" ]; do
  line="$PREFIX $i $pad"
  case "$STREAM" in
    stderr) echo "$line" >&2 ;;
    both) if [ $((i % 2)) -eq 0 ]; then echo "$line" >&2; else echo "$line"; fi ;;
    *) echo "$line" ;;
  esac
  if [ "$delay" -gt 0 ]; then usleep "$delay"; fi
  i=$((i + 1))
done
# Stay alive so the container's logs can be read while it runs.
while :; do sleep 3600 & wait $!; done
