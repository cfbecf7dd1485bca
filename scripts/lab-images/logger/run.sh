#!/bin/sh
# Writes numbered lines: RATE lines/s (0 = as fast as possible), COUNT lines (0 = forever),
# STREAM stdout|stderr|both, PREFIX text before the number, PAD extra characters per line.
trap 'exit 0' TERM INT
pad=""
if [ "$PAD" -gt 0 ]; then pad=$(head -c "$PAD" /dev/zero | tr '\0' 'x'); fi
# A shell loop with a sleep per line tops out near 1,600 lines/s; from 1,000 lines/s on, one awk process
# writes the lines in batches every 10 ms, keeping pace with the clock (it catches up after a slow tick).
if [ "$RATE" -ge 1000 ]; then
  awk -v rate="$RATE" -v count="$COUNT" -v p="$PREFIX" -v pad="$pad" -v stream="$STREAM" 'BEGIN {
    srand(); t0 = srand(); per = int(rate / 100); i = 1
    while (count == 0 || i <= count) {
      due = (srand() - t0 + 1) * rate - i + 1
      if (due > 2 * per) due = 2 * per
      for (k = 0; k < due && (count == 0 || i <= count); k++) {
        if (stream == "stderr" || (stream == "both" && i % 2 == 0)) print p, i, pad > "/dev/stderr"
        else print p, i, pad
        i++
      }
      fflush()
      system("usleep 10000")
    }
  }'
  while :; do sleep 3600 & wait $!; done
fi
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
