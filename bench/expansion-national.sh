#!/usr/bin/env bash
# Expansion planning at national scale (issue 7): >= 55,000 synthetic demand areas, 10,000 candidates, 100 new
# sites; the hub's planner vs a plain greedy in the same run. Pure Java (geo module), no database.
# usage: bash bench/expansion-national.sh [candidates] [sites]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RESULTS=$ROOT/bench/results/expansion-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
(cd "$ROOT" && mvn -q -B -ntp -pl geo test-compile dependency:build-classpath -Dmdep.outputFile="$RESULTS/cp.txt")
java -Xmx1g -cp "$ROOT/geo/target/test-classes:$ROOT/geo/target/classes:$(cat "$RESULTS/cp.txt")" \
  ca.cmp.hub.geo.expansion.ExpansionBench "${1:-10000}" "${2:-100}" | tee "$RESULTS/summary.txt"
