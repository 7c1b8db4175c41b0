#!/usr/bin/env bash
# Every benchmark under bench/, on tiny sizes, in a couple of minutes: each must run to its end and pass its own
# equality step (the hub's answers equal the baseline's). Timings at these sizes mean nothing and are not judged.
# A benchmark that errors, or whose equality step fails or is missing from its output, fails the smoke; so does a
# benchmark script this file does not know (add it to BENCHES below with tiny arguments and its equality marker).
# usage: bash bench/smoke.sh        env: BENCH_BUILD=0 uses the jars already built (.ci/run, after mvn verify)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/results/smoke-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"

# name | environment and arguments | a line of its output that only its equality step prints when it passes
BENCHES=(
  "api-vs-postgraphile.sh|WARMUP=1 PG_WORKERS=1 bash bench/api-vs-postgraphile.sh 1 1 2|^results identical: [1-9]"
  "coverage-national.sh|COVERAGE_SCALE=0.1 COVERAGE_PROGRAMS=150 COVERAGE_CENSUS=false bash bench/coverage-national.sh|results differ by [0-9.]+%"
  "expansion-national.sh|bash bench/expansion-national.sh 500 10|^equality: .* EQUAL$"
  "ingest.sh|bash bench/ingest.sh 400 1|^CSV .* re-sync unchanged"
  "circle-bias.sh|CIRCLE_SAMPLE=25 bash bench/circle-bias.sh|^equality: .*: EQUAL$"
  "federation.sh|WARMUP=5 bash bench/federation.sh 20|^equality: .*: EQUAL$"
  "scenario.sh|SYNTHETIC_SCALE=0.05 SYNTHETIC_PROGRAMS=100 bash bench/scenario.sh|^equality with a full recomputation .*: EQUAL"
  "map-browser.sh|SYNTHETIC_SCALE=0.05 SYNTHETIC_PROGRAMS=100 bash bench/map-browser.sh|^check: .*: PASS$"
  "soak.sh|bash bench/soak.sh 0.17 8 4|^PASS no 5xx$"
  "scale.sh|bash bench/scale.sh 5 4 2|^equality: .*: EQUAL$"
  "hub-pull.sh|bash bench/hub-pull.sh 300|^equality: .*: EQUAL$"
)

# Benchmarks that have no tiny size yet, each with why: listed loudly on every run, so they cannot rot unseen.
NOT_YET=()

status=0
known=()
for entry in "${BENCHES[@]}"; do known+=("${entry%%|*}"); done
for entry in "${NOT_YET[@]}"; do
  known+=("${entry%%|*}")
  echo "NOT IN SMOKE ${entry%%|*}: ${entry#*|}"
done
for script in "$ROOT"/bench/*.sh; do
  name=$(basename "$script")
  [ "$name" = smoke.sh ] && continue
  if [[ ! " ${known[*]} " == *" $name "* ]]; then
    echo "FAIL $name: not in bench/smoke.sh (give it tiny arguments and its equality marker)"
    status=1
  fi
done

if [ "${BENCH_BUILD:-1}" != 0 ]; then
  echo "== Building once for every benchmark"
  (cd "$ROOT" && mvn -q -B -ntp package -pl hub-server -am -DskipTests -Dhub.skipNativeServices=true) || exit 1
fi

start=$(date +%s)
for entry in "${BENCHES[@]}"; do
  IFS='|' read -r name command marker <<<"$entry"
  t0=$(date +%s)
  (cd "$ROOT" && env BENCH_BUILD=0 bash -c "$command") > "$OUT/$name.log" 2>&1
  rc=$?
  took=$(( $(date +%s) - t0 ))
  if [ "$rc" -ne 0 ]; then
    echo "FAIL $name: exit $rc after ${took}s; last lines of $OUT/$name.log:"; tail -n 8 "$OUT/$name.log" | sed 's/^/    /'
    status=1
  elif ! grep -Eq "$marker" "$OUT/$name.log"; then
    echo "FAIL $name: ran (${took}s) but its equality step did not pass (no line matching /$marker/); see $OUT/$name.log"
    status=1
  else
    echo "ok   $name (${took}s): $(grep -E "$marker" "$OUT/$name.log" | head -1)"
  fi
done
echo "smoke: $( [ $status -eq 0 ] && echo PASS || echo FAIL ) in $(( $(date +%s) - start ))s; logs in $OUT"
exit $status
