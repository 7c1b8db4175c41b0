#!/usr/bin/env bash
# Hub to hub: hub A (a provincial hub) holds N synthetic programs at real places; hub B (the national hub) pulls
# them through a GRAPHQL connector over HTTP, authenticated as an API client of A, first in full; then A changes
# 1% of its programs (a tenth of those retired) and B pulls incrementally (changedSince). Records/s for both
# pulls, and B's programs checked equal to A's (count and a checksum over every field and site).
# usage: bash bench/hub-pull.sh [programs]   (env BENCH_BUILD=0: use the jar already built)
set -euo pipefail
PROGRAMS=${1:-60000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${HUB_DATA_DIR:-$ROOT/../shared/data}
DATA=$(cd "$DATA" && pwd)
WORK=$(mktemp -d /tmp/hub-bench-pull.XXXXXX)
RESULTS=$ROOT/bench/results/hub-pull-$(date -u +%Y%m%dT%H%M%SZ)
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

echo "== PostgreSQL + PostGIS and Redis in $WORK (database hub_a for hub A, hub for hub B)"
start_postgres "-c fsync=off -c shared_buffers=256MB -c max_connections=100"
psql -q -h 127.0.0.1 -p "$PG_PORT" -U hub -d postgres -c "CREATE DATABASE hub_a"
start_redis

echo "== Building and starting hubs A and B"
[ "${BENCH_BUILD:-1}" = 0 ] || (cd "$ROOT" && mvn -q -B -ntp package -pl hub-server -am -DskipTests -Dhub.skipNativeServices=true)
CLIENT_SECRET=$(bench_secret)
A_PORT=$(free_port); B_PORT=$(free_port)
# A: its API client for B (a funder: reads everything published). Caches off on both (one Redis, two databases).
HUB_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/hub_a HUB_REDIS_URL=$REDIS_URL HUB_PORT=$A_PORT \
  HUB_DEMO=false HUB_LOAD_CENSUS=false HUB_CACHE=false HUB_RATE_LIMIT=false \
  java -Xmx1g -XX:+UseParallelGC -jar "$ROOT/hub-server/target/hub-server.jar" --logging.level.root=WARN \
  "--hub.security.clients[0].id=national-hub" "--hub.security.clients[0].secret=$CLIENT_SECRET" \
  "--hub.security.clients[0].role=FUNDER" > "$RESULTS/hub-a.log" 2>&1 &
PIDS+=($!); A_PID=$!
HUB_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/hub HUB_REDIS_URL=$REDIS_URL HUB_PORT=$B_PORT \
  HUB_DEMO=false HUB_LOAD_CENSUS=false HUB_CACHE=false HUB_RATE_LIMIT=false \
  HUB_SECRETS_KEY=$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())') \
  HUB_CONNECTOR_ALLOWED_NETWORKS=127.0.0.1/32 \
  java -Xmx1g -XX:+UseParallelGC -jar "$ROOT/hub-server/target/hub-server.jar" --logging.level.root=WARN \
  --logging.level.ca.cmp.hub.connector=INFO > "$RESULTS/hub-b.log" 2>&1 &
PIDS+=($!); B_PID=$!
wait_hub "$A_PORT" "$RESULTS/hub-a.log"
wait_hub "$B_PORT" "$RESULTS/hub-b.log"

echo "== Loading $PROGRAMS synthetic programs at real places (seeded) into hub A"
python3 "$ROOT/bench/generate_programs.py" "$DATA" "$WORK/data" "$PROGRAMS"
# Loaded a day ago, as far as change times go: a provincial hub's data predates the national hub's first pull by
# more than the incremental read's overlap (hub.connectors.changes-overlap, 10 min), so the incremental pull
# reads what changed since, as it would in production.
psql -q -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub_a <<SQL
\copy partnership (id, slug, name) FROM '$WORK/data/partnership.csv' CSV
\copy program (id, partnership_id, name, description, min_age, max_age, model, setting, languages, delivery_mode, service_area_kind, service_radius_km, active_matches, max_matches, waitlist, fee_free, status, source, source_id) FROM '$WORK/data/program.csv' CSV
\copy site (id, program_id, name, location, precision) FROM '$WORK/data/site.csv' CSV
UPDATE program SET first_seen_at = now() - interval '1 day', last_changed_at = now() - interval '1 day';
ANALYZE;
SQL
psql -q -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub \
  -c "INSERT INTO partnership (id, slug, name) VALUES (gen_random_uuid(), 'national-copy', 'National copy of hub A')"
B_TOKEN=$(hub_token "$B_PORT" demo-admin)

HUB_A=http://127.0.0.1:$A_PORT/graphql HUB_B=http://127.0.0.1:$B_PORT/graphql TOKEN=$B_TOKEN \
  CLIENT_SECRET=$CLIENT_SECRET PG_PORT=$PG_PORT PROGRAMS=$PROGRAMS RESULTS=$RESULTS \
  python3 "$ROOT/bench/hub-pull/run.py" | tee "$RESULTS/summary.txt"
echo "CPU ms: hub A $(cpu_ms "$A_PID"), hub B $(cpu_ms "$B_PID"), PostgreSQL $(postgres_cpu_ms)" | tee -a "$RESULTS/summary.txt"
echo "raw outputs: $RESULTS"
