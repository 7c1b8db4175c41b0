#!/usr/bin/env bash
# Incremental scenarios and analyses kept across writes, on the SEEDED SYNTHETIC Canada of
# bench/coverage/synthetic-canada.sql (75,539 400 m cells around 27 real cities, 5,000 programs):
#  1. one-program scenarios (a program moved, or one added) compared with today through the hub's GraphQL
#     endpoint, warm: p50/p90 against the 50 ms target, a sample checked against a full recomputation;
#  2. writes of 1% of the programs, then the national coverage query through GraphQL, against the same query warm
#     and a full computation on in-memory inputs (the former warm analysis), figures checked after every write.
# The hub runs with the collector and heap the README runs it with, its result cache off (like for like).
# The bench authenticates as the configured admin client (demo-admin unless HUB_ADMIN_CLIENT says otherwise).
# usage: bash bench/scenario.sh   env: SYNTHETIC_SCALE (city radii, 1), SYNTHETIC_PROGRAMS (5000), BENCH_BUILD (1;
# 0 reuses the packaged jar, as bench/smoke.sh does), HUB_JAVA_OPTS (added to the hub's JVM options, e.g. a flight
# recording)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/hub-bench-scenario.XXXXXX)
RESULTS=$ROOT/bench/results/scenario-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
HUB_PID=""
stop_hub() { if [ -n "$HUB_PID" ]; then kill "$HUB_PID" 2>/dev/null || true; wait "$HUB_PID" 2>/dev/null || true; HUB_PID=""; fi; }
cleanup() {
  stop_hub
  [ -f "$WORK/pg/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${REDIS_PORT:-}" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] && chown postgres "$WORK"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -U hub -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
PG_PORT=$(free_port)
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=512MB -c work_mem=64MB" -l "$WORK/pg.log" -w start >/dev/null
psql -q -h 127.0.0.1 -p "$PG_PORT" -U hub -d postgres -c "CREATE DATABASE hub"
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir "$WORK" >/dev/null

echo "== Building the hub and its test classes (reactor only; nothing installed)"
# SKIP_PACKAGE=1 reuses hub-server/target/hub-server.jar as built (when only the bench classes changed).
(cd "$ROOT" && { [ "${SKIP_PACKAGE:-0}" = 1 ] || [ "${BENCH_BUILD:-1}" = 0 ] || mvn -q -B -pl hub-server -am package -DskipTests -Dhub.skipNativeServices=true; } \
  && mvn -q -B -pl hub-server -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" \
       -Dmdep.includeScope=test -Dhub.skipNativeServices=true)

# The kept analysis and the scenario comparison log where their time goes at DEBUG (set on the command line: an
# environment variable's logger name would be lower-cased, and these are classes); the access log in the results
# folder has each request's time in the hub (%D, microseconds).
start_hub() {
  HUB_PORT=$(free_port)
  HUB_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/hub HUB_REDIS_URL=redis://127.0.0.1:$REDIS_PORT HUB_PORT=$HUB_PORT \
    HUB_DEMO=false HUB_LOAD_CENSUS=false HUB_CACHE=false HUB_RATE_LIMIT=false \
    java -Xmx1g -XX:+UseParallelGC ${HUB_JAVA_OPTS:-} -jar "$ROOT/hub-server/target/hub-server.jar" \
    --logging.level.ca.cmp.hub.coverage.AnalysisBaseline=DEBUG --logging.level.ca.cmp.hub.coverage.CoverageAnalysis=DEBUG \
    --logging.level.ca.cmp.hub.scenario.ScenarioAnalysis=DEBUG --server.tomcat.accesslog.enabled=true \
    --server.tomcat.accesslog.directory="$RESULTS" --server.tomcat.accesslog.prefix=access \
    --server.tomcat.accesslog.pattern='%t "%r" %s %b %D' >> "$RESULTS/hub.log" 2>&1 &
  HUB_PID=$!
  for _ in $(seq 1 900); do
    curl -sf "http://127.0.0.1:$HUB_PORT/actuator/health" >/dev/null && return 0
    kill -0 "$HUB_PID" 2>/dev/null || { echo "the hub stopped; see $RESULTS/hub.log"; exit 1; }
    sleep 1
  done
  echo "the hub did not start"; exit 1
}

echo "== Schema, by the hub itself"
mkdir -p "$WORK/data"
start_hub
stop_hub

echo "== Synthetic Canada (seeded)"
psql -q -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -v scale="${SYNTHETIC_SCALE:-1}" \
  -v programs="${SYNTHETIC_PROGRAMS:-5000}" -f "$ROOT/bench/coverage/synthetic-canada.sql"
psql -qtA -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -c "SELECT dataset_id || ': ' || count(*) || ' areas' FROM census_area GROUP BY dataset_id ORDER BY 1" | tee "$RESULTS/layers.txt"

echo "== Scenarios and writes through GraphQL"
start_hub
java -Xmx2g -XX:+UseParallelGC -cp "$ROOT/hub-server/target/test-classes:$ROOT/hub-server/target/classes:$(cat "$WORK/cp.txt")" \
  ca.cmp.hub.coverage.internal.ScenarioBench "jdbc:postgresql://127.0.0.1:$PG_PORT/hub" "http://127.0.0.1:$HUB_PORT" \
  synthetic-da "$RESULTS/summary.txt"
stop_hub

echo "== Geometries to JTS: the hand path against PostGIS JDBC (the kept inputs' read of the layer)"
java -Xmx2g -XX:+UseParallelGC -cp "$ROOT/hub-server/target/test-classes:$ROOT/hub-server/target/classes:$(cat "$WORK/cp.txt")" \
  ca.cmp.hub.coverage.internal.GeometryReadBench "jdbc:postgresql://127.0.0.1:$PG_PORT/hub" synthetic-da \
  | tee -a "$RESULTS/summary.txt"
echo "(results in $RESULTS)"
