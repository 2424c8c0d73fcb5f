#!/bin/bash
# cmp every file of two captures made by scripts/capture-outputs.sh (both write through the
# same /tmp/layout-cur, so even the paths they print are the same); prints what differs.
a=$1; b=$2; n=0; bad=0
for f in $(cd "$a" && find . -type f | sort); do
  n=$((n+1))
  cmp -s "$a/$f" "$b/$f" || { echo "DIFF $f"; bad=$((bad+1)); }
done
[ "$(cd "$a" && find . -type f | wc -l)" = "$(cd "$b" && find . -type f | wc -l)" ] || { echo "the captures hold different files"; bad=$((bad+1)); }
echo "$n files compared, $bad differ"
[ "$bad" = 0 ]
