#!/usr/bin/env bash
# The funders' map in headless Chromium on a SEEDED SYNTHETIC Canada (bench/coverage/synthetic-canada.sql: 400 m
# dissemination-area-like cells around 27 real cities, 5,000 programs) plus the real bundled layers: vector tiles
# (national first paint, pan/zoom tile times cold and warm, bytes per view) against today's GeoJSON path in the
# same run. "Cold" is a cold browser and a cold tile cache except what the hub's own warm-up builds (the hub is
# restarted after the SQL load, so it runs), on a hub that has served a map before: an unmeasured browser pass over
# other cities comes first, as any running hub has had traffic. Builds with `package` (never `install`).
# usage: bash bench/map-browser.sh
# env: SYNTHETIC_SCALE (city radii, 1), SYNTHETIC_PROGRAMS (5000), BENCH_BUILD (1; 0 reuses the packaged jar)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/hub-bench-map.XXXXXX)
RESULTS=$ROOT/bench/results/map-browser-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
HUB_PID=""
cleanup() {
  [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null || true
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

echo "== Building the hub and its test classes (package, not install)"
GOAL=package; [ "${BENCH_BUILD:-1}" = 0 ] && GOAL=test-compile
(cd "$ROOT" && mvn -q -B -pl hub-server -am $GOAL -DskipTests -Dhub.skipNativeServices=true \
  dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test)

echo "== Schema and the real census layers, by the hub itself"
HUB_PORT=$(free_port)
HUB_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/hub HUB_REDIS_URL=redis://127.0.0.1:$REDIS_PORT HUB_PORT=$HUB_PORT \
  HUB_DEMO=false HUB_LOAD_CENSUS=true HUB_RATE_LIMIT=false \
  java -Xmx1g -jar "$ROOT/hub-server/target/hub-server.jar" > "$RESULTS/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 1 180); do
  n=$(psql -qtA -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -c "SELECT count(*) FROM census_dataset" 2>/dev/null || echo 0)
  [ "$n" = "3" ] && curl -sf "http://127.0.0.1:$HUB_PORT/actuator/health" >/dev/null && break
  sleep 1
done

echo "== Synthetic Canada (seeded), then a data version bump as every writer does"
psql -q -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -v scale="${SYNTHETIC_SCALE:-1}" \
  -v programs="${SYNTHETIC_PROGRAMS:-5000}" -f "$ROOT/bench/coverage/synthetic-canada.sql"
psql -q -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -c "UPDATE data_version SET version = version + 1, changed_at = now()"
psql -qtA -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -c "SELECT dataset_id || ': ' || count(*) || ' areas' FROM census_area GROUP BY dataset_id ORDER BY 1" | tee "$RESULTS/layers.txt"

# The SQL load bypassed the hub, so it restarts: its warm-up then does what it does after any change made through
# it (the national analyses, the datasets' extents and the national view's public tiles), as a funder finds them.
echo "== Restarting the hub; its warm-up runs"
kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true
BEFORE=$(wc -l < "$RESULTS/hub.log")
HUB_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/hub HUB_REDIS_URL=redis://127.0.0.1:$REDIS_PORT HUB_PORT=$HUB_PORT \
  HUB_DEMO=false HUB_LOAD_CENSUS=true HUB_RATE_LIMIT=false \
  java -Xmx1g -jar "$ROOT/hub-server/target/hub-server.jar" >> "$RESULTS/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 1 300); do
  since=$(tail -n +$((BEFORE + 1)) "$RESULTS/hub.log")
  grep -q 'Warmed the map' <<<"$since" && grep -q 'Warmed the census-divisions' <<<"$since" && break
  sleep 1
done
tail -n +$((BEFORE + 1)) "$RESULTS/hub.log" | grep 'Warmed' | sed 's/.*: Warmed/Warmed/' | tee "$RESULTS/warm-up.txt"

echo "== Browser bench"
java -cp "$ROOT/hub-server/target/test-classes:$ROOT/hub-server/target/classes:$(cat "$WORK/cp.txt")" \
  ca.cmp.hub.map.MapBrowserBench "http://127.0.0.1:$HUB_PORT" "$RESULTS" synthetic-da
echo "Results: $RESULTS/summary.txt"
