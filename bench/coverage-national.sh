#!/usr/bin/env bash
# National-scale coverage: the hub's analysis (geo/ on JTS, inputs read from PostGIS) against the best plain
# PostGIS SQL on the same database, on a SEEDED SYNTHETIC Canada (~60,000 400 m cells around 27 real cities,
# 5,000 programs with 5-20 km radii) and on the real census divisions; then incremental what-if changes.
# Runs the analysis in a JVM capped at 512 MB of heap, with the collector the README runs the hub with. usage: bash bench/coverage-national.sh
# env (smaller runs, e.g. bench/smoke.sh): COVERAGE_SCALE (city radii, 1), COVERAGE_PROGRAMS (5000), COVERAGE_CENSUS
# (true: also the real census divisions, which the hub loads first), BENCH_BUILD (0: use the jar already built)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/hub-bench-coverage.XXXXXX)
RESULTS=$ROOT/bench/results/coverage-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
. "$ROOT/bench/lib/servers.sh"
HUB_PID=""
cleanup() {
  [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null || true
  stop_servers
  rm -rf "$WORK"
}
trap cleanup EXIT

start_postgres "-c fsync=off -c shared_buffers=512MB -c work_mem=64MB"
start_redis

echo "== Building the hub and its test classes"
# package, not install: nothing is published into ~/.m2. The bench's classpath is the packaged jar's own classes
# and libraries (the modules of this build) and the hub's test classes.
[ "${BENCH_BUILD:-1}" = 0 ] || (cd "$ROOT" && mvn -q -B -ntp package -pl hub-server -am -DskipTests -Dhub.skipNativeServices=true)
mkdir -p "$WORK/app" && (cd "$WORK/app" && jar xf "$ROOT/hub-server/target/hub-server.jar")
CENSUS=${COVERAGE_CENSUS:-true}
DATASETS="synthetic-da"; WANT=0
[ "$CENSUS" = true ] && DATASETS="synthetic-da census-divisions" && WANT=3

echo "== Schema and the real census layers, by the hub itself"
HUB_PORT=$(free_port)
HUB_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/hub HUB_REDIS_URL=$REDIS_URL HUB_PORT=$HUB_PORT \
  HUB_DEMO=false HUB_LOAD_CENSUS=$CENSUS java -jar "$ROOT/hub-server/target/hub-server.jar" > "$RESULTS/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 1 180); do
  n=$(psql -qtA -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -c "SELECT count(*) FROM census_dataset" 2>/dev/null || echo 0)
  [ "$n" = "$WANT" ] && curl -sf "http://127.0.0.1:$HUB_PORT/actuator/health" >/dev/null && break
  sleep 1
done
kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true; HUB_PID=""

echo "== Synthetic Canada (seeded)"
psql -q -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -v scale="${COVERAGE_SCALE:-1}" -v programs="${COVERAGE_PROGRAMS:-5000}" \
  -f "$ROOT/bench/coverage/synthetic-canada.sql"
psql -qtA -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -c "SELECT dataset_id || ': ' || count(*) || ' areas' FROM census_area GROUP BY dataset_id ORDER BY 1"

echo "== Hub vs PostGIS SQL, and what-if (JVM heap capped at 512 MB)"
java -Xmx512m -XX:+UseParallelGC -cp "$ROOT/hub-server/target/test-classes:$WORK/app/BOOT-INF/classes:$WORK/app/BOOT-INF/lib/*" \
  ca.cmp.hub.coverage.internal.NationalCoverageBench "jdbc:postgresql://127.0.0.1:$PG_PORT/hub" $DATASETS \
  | tee "$RESULTS/summary.txt"
