#!/bin/bash
# Captures analyze (text, --json, --markdown), flame -o, folded, report -o and summary on every
# fixture, with stdout, stderr and exit code of each, into one folder (run from the repo root,
# after npm run build). Compare two captures with scripts/compare-outputs.sh: a refactor must
# leave every file byte for byte the same.
# Usage: capture-outputs.sh /tmp/layout-before
set -u
out=$1
cur=/tmp/layout-cur
rm -rf "$cur"; mkdir -p "$cur"
one() {
  f=$1; n=$(echo "$f" | tr / _)
  run() { tag=$1; shift; node bin/stallscope.js "$@" >"$cur/$n.$tag.out" 2>"$cur/$n.$tag.err"; echo $? >"$cur/$n.$tag.rc"; }
  run text analyze "$f"
  run json analyze --json "$f"
  run md analyze --markdown "$f"
  run flame flame -o "$cur/$n.flame.html" "$f"
  run folded folded "$f"
  run report report -o "$cur/$n.report" "$f"
  run summary summary "$f"
}
export -f one; export cur
ls fixtures/traces/* fixtures/pprof/* fixtures/perf/*.txt | xargs -P 2 -I{} bash -c 'one {}'
rm -rf "$out"; mv "$cur" "$out"
