#!/usr/bin/env bash
# Ingest: the same >= 50,000-record synthetic feed (GeoJSON and CSV) loaded by the hub's connectors (registered
# and run over GraphQL, as a partnership would) and by ogr2ogr, into the same PostGIS, alternately; then a
# re-sync of the unchanged feed.
# usage: bash bench/ingest.sh [records] [rounds]   (env BENCH_BUILD=0: use the jar already built)
set -euo pipefail
RECORDS=${1:-60000}; ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${HUB_DATA_DIR:-$ROOT/../shared/data}
DATA=$(cd "$DATA" && pwd)
WORK=$(mktemp -d /tmp/hub-bench-ingest.XXXXXX)
RESULTS=$ROOT/bench/results/ingest-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
PIDS=()
. "$ROOT/bench/lib/servers.sh"
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  stop_servers
  cp "$WORK/pg.log" "$RESULTS/postgres.log" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
bench_needs ogr2ogr gdal-bin

echo "== PostgreSQL + PostGIS and Redis in $WORK"
start_postgres "-c fsync=off -c shared_buffers=256MB -c log_min_duration_statement=1000 -c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=1000"
psql -q -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -c "CREATE EXTENSION IF NOT EXISTS postgis"
start_redis

echo "== The feed"
mkdir -p "$WORK/feeds" "$WORK/floor" && chmod 755 "$WORK" "$WORK/feeds"
[ "$(id -u)" -eq 0 ] && chown postgres "$WORK/floor"
python3 "$ROOT/bench/ingest/generate_feed.py" "$DATA" "$WORK/feeds" "$RECORDS"
ls -l "$WORK/feeds"

echo "== Building and starting the hub"
# package, not install: the reactor resolves the modules and nothing is published into ~/.m2. BENCH_BUILD=0 runs
# the jar already built (bench/smoke.sh builds once for every bench).
[ "${BENCH_BUILD:-1}" = 0 ] || (cd "$ROOT" && mvn -q -B -ntp package -pl hub-server -am -DskipTests -Dhub.skipNativeServices=true)
HUB_PORT=$(free_port)
HUB_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/hub HUB_REDIS_URL=$REDIS_URL HUB_PORT=$HUB_PORT \
  HUB_DEMO=false HUB_LOAD_CENSUS=false HUB_DATA_DIR=$DATA HUB_IMPORT_DIRS=$WORK/feeds \
  java -Xmx1g -XX:+UseParallelGC -jar "$ROOT/hub-server/target/hub-server.jar" --logging.level.root=WARN \
  --logging.level.ca.cmp.hub.sync=INFO --logging.level.ca.cmp.hub.connector=INFO > "$RESULTS/hub.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$HUB_PORT/actuator/health" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$HUB_PORT/actuator/health" >/dev/null || { echo "hub did not start; see $RESULTS/hub.log" >&2; exit 1; }
TOKEN=$(curl -sf -u demo-admin:demo-admin-secret -d grant_type=client_credentials "http://127.0.0.1:$HUB_PORT/oauth2/token" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

HUB=http://127.0.0.1:$HUB_PORT/graphql PG="PG:host=127.0.0.1 port=$PG_PORT dbname=hub user=hub" \
  TOKEN=$TOKEN PG_PORT=$PG_PORT FEEDS=$WORK/feeds FLOOR_DIR=$WORK/floor ROUNDS=$ROUNDS RECORDS=$RECORDS \
  python3 "$ROOT/bench/ingest/run.py" | tee "$RESULTS/summary.txt"
echo "raw outputs: $RESULTS"
