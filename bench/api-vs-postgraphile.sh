#!/usr/bin/env bash
# The hub vs PostGraphile 4 on the same PostGIS and the same data: "programs near this point" and "programs inside
# this area", first 20, loaded alternately by wrk at the same concurrency. Result cache and rate limits are off.
# usage: bash bench/api-vs-postgraphile.sh [seconds-per-round] [rounds] [connections]
# env: WARMUP (seconds per server and scenario, 45), PROGRAMS (6000), PG_WORKERS (2), BENCH_BUILD (1),
#      HUB_JAVA_OPTS (extra JVM options for the hub, e.g. a flight recording while profiling)
set -euo pipefail
ROUND=${1:-15}; ROUNDS=${2:-3}; CONNS=${3:-16}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${HUB_DATA_DIR:-$ROOT/../shared/data}
WORK=$(mktemp -d /tmp/hub-bench-api.XXXXXX)
RESULTS=$ROOT/bench/results/api-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
PIDS=()
. "$ROOT/bench/lib/servers.sh"
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  # PostGraphile's cluster workers outlive the subshell started above: stop them by their port.
  [ -n "${PG_GQL_PORT:-}" ] && pkill -f -- "--port $PG_GQL_PORT" 2>/dev/null || true
  stop_servers
  rm -rf "$WORK"
}
trap cleanup EXIT
bench_needs wrk wrk

echo "== PostgreSQL + PostGIS and Redis in $WORK"
start_postgres "-c fsync=off -c shared_buffers=256MB -c max_connections=100"
start_redis

echo "== Building the hub"
# package, not install: the reactor resolves the modules and nothing is published into ~/.m2. BENCH_BUILD=0 runs
# the jar already built (bench/smoke.sh builds once for every bench).
[ "${BENCH_BUILD:-1}" = 0 ] || (cd "$ROOT" && mvn -q -B -ntp package -pl hub-server -am -DskipTests -Dhub.skipNativeServices=true)
HUB_PORT=$(free_port)
HUB_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/hub HUB_REDIS_URL=$REDIS_URL HUB_PORT=$HUB_PORT \
  HUB_DEMO=false HUB_LOAD_CENSUS=false HUB_CACHE=false HUB_RATE_LIMIT=false \
  java -Xmx1g -XX:+UseParallelGC ${HUB_JAVA_OPTS:-} -jar "$ROOT/hub-server/target/hub-server.jar" --logging.level.root=WARN > "$RESULTS/hub.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$HUB_PORT/actuator/health" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$HUB_PORT/actuator/health" >/dev/null || { echo "hub did not start; see $RESULTS/hub.log" >&2; exit 1; }

echo "== Loading the same synthetic programs at real places (seeded)"
python3 "$ROOT/bench/generate_programs.py" "$DATA" "$WORK/data" "${PROGRAMS:-6000}"
psql -q -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub <<SQL
\copy partnership (id, slug, name) FROM '$WORK/data/partnership.csv' CSV
\copy program (id, partnership_id, name, description, min_age, max_age, model, setting, languages, delivery_mode, service_area_kind, service_radius_km, active_matches, max_matches, waitlist, fee_free, status, source, source_id) FROM '$WORK/data/program.csv' CSV
\copy site (id, program_id, name, location, precision) FROM '$WORK/data/site.csv' CSV
\i $ROOT/bench/api/peer-functions.sql
ANALYZE;
SQL
psql -q -t -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -c "SELECT count(*) || ' programs, ' || (SELECT count(*) FROM site) || ' sites' FROM program"

echo "== Starting PostGraphile 4"
(cd "$ROOT/bench/postgraphile" && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent; })
PG_GQL_PORT=$(free_port)
WORKERS=${PG_WORKERS:-2}
(cd "$ROOT/bench/postgraphile" && NODE_ENV=production node_modules/.bin/postgraphile \
  -c "postgres://hub:$PGPASSWORD@127.0.0.1:$PG_PORT/hub" --schema public --host 127.0.0.1 --port "$PG_GQL_PORT" \
  --append-plugins @graphile/postgis,postgraphile-plugin-connection-filter,postgraphile-plugin-connection-filter-postgis \
  --disable-query-log --disable-graphiql --cluster-workers "$WORKERS" --max-pool-size 16 \
  > "$RESULTS/postgraphile.log" 2>&1) &
PIDS+=($!)
for _ in $(seq 1 60); do curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"query":"{__typename}"}' "http://127.0.0.1:$PG_GQL_PORT/graphql" && break; sleep 1; done

python3 "$ROOT/bench/api/make_requests.py" "$WORK"
echo "== Checking both answer every request with the same programs"
python3 "$ROOT/bench/api/compare_results.py" "http://127.0.0.1:$HUB_PORT/graphql" "http://127.0.0.1:$PG_GQL_PORT/graphql" "$WORK" | tee "$RESULTS/equality.txt"

run() { # server scenario label
  local url=$1 bodies=$2 out=$3
  BODIES=$bodies wrk -t2 -c"$CONNS" -d"${ROUND}s" --latency -s "$ROOT/bench/api/rotate.lua" "$url" > "$out"
  if grep -q "Non-2xx" "$out"; then echo "non-2xx answers in $out" >&2; exit 1; fi
}
HUB=http://127.0.0.1:$HUB_PORT/graphql
PGQ=http://127.0.0.1:$PG_GQL_PORT/graphql
for scenario in near within; do
  echo "== $scenario: warm-up"
  BODIES=$WORK/${scenario}_hub.jsonl wrk -t2 -c"$CONNS" -d"${WARMUP:-45}s" -s "$ROOT/bench/api/rotate.lua" "$HUB" >/dev/null
  BODIES=$WORK/${scenario}_pg.jsonl wrk -t2 -c"$CONNS" -d"${WARMUP:-45}s" -s "$ROOT/bench/api/rotate.lua" "$PGQ" >/dev/null
  for r in $(seq 1 "$ROUNDS"); do
    echo "== $scenario: round $r (hub, then PostGraphile)"
    run "$HUB" "$WORK/${scenario}_hub.jsonl" "$RESULTS/${scenario}-hub-$r.txt"
    run "$PGQ" "$WORK/${scenario}_pg.jsonl" "$RESULTS/${scenario}-pg-$r.txt"
  done
done

python3 - "$RESULTS" "$ROUNDS" "$CONNS" "$WORKERS" <<'PY' | tee "$RESULTS/summary.txt"
import re, statistics, sys
results, rounds, conns, workers = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    return rps, p99
print(f"wrk -t2 -c{conns}, {rounds} alternating rounds; PostGraphile --cluster-workers {workers}; hub cache and rate limits off")
print(f"{'scenario':8} {'hub req/s':>10} {'hub p99':>9} {'PG req/s':>10} {'PG p99':>9} {'ratio':>6}  target: >= 1.5x req/s, p99 no worse")
ok = True
for s in ("near", "within"):
    hub = [parse(f"{results}/{s}-hub-{r}.txt") for r in range(1, rounds + 1)]
    pg = [parse(f"{results}/{s}-pg-{r}.txt") for r in range(1, rounds + 1)]
    h_rps, h_p99 = statistics.median(x[0] for x in hub), statistics.median(x[1] for x in hub)
    p_rps, p_p99 = statistics.median(x[0] for x in pg), statistics.median(x[1] for x in pg)
    ratio = h_rps / p_rps
    passed = ratio >= 1.5 and h_p99 <= p_p99
    ok &= passed
    print(f"{s:8} {h_rps:10.0f} {h_p99:7.1f}ms {p_rps:10.0f} {p_p99:7.1f}ms {ratio:5.2f}x  {'PASS' if passed else 'FAIL'}")
print("overall:", "PASS" if ok else "FAIL")
PY
echo "raw outputs: $RESULTS"
