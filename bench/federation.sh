#!/usr/bin/env bash
# What an Apollo gateway in front of the hub adds to a request: the same query (20 programs with their
# partnership) sent to the hub directly and through the gateway (hub-server/src/test/federation), alternately,
# one at a time; and a query spanning the hub and the matching-service subgraph (openMentorSlots). p50 and p99.
# usage: bash bench/federation.sh [requests-per-series]   env: WARMUP (requests, 100), BENCH_BUILD (1)
set -euo pipefail
N=${1:-500}; WARMUP=${WARMUP:-100}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/hub-bench-federation.XXXXXX)
RESULTS=$ROOT/bench/results/federation-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
PIDS=()
. "$ROOT/bench/lib/servers.sh"
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  stop_servers
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are missing: apt-get install nodejs npm" >&2; exit 1; }

echo "== PostgreSQL + PostGIS and Redis in $WORK"
start_postgres "-c fsync=off"
start_redis

echo "== Building the hub"
[ "${BENCH_BUILD:-1}" = 0 ] || (cd "$ROOT" && mvn -q -B -ntp package -pl hub-server -am -DskipTests -Dhub.skipNativeServices=true)
HUB_PORT=$(free_port)
HUB_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/hub HUB_REDIS_URL=$REDIS_URL HUB_PORT=$HUB_PORT \
  HUB_DEMO=true HUB_LOAD_CENSUS=false HUB_CACHE=false HUB_RATE_LIMIT=false \
  java -Xmx1g -jar "$ROOT/hub-server/target/hub-server.jar" --logging.level.root=WARN > "$RESULTS/hub.log" 2>&1 &
PIDS+=($!)
wait_hub "$HUB_PORT" "$RESULTS/hub.log" 180
TOKEN=$(hub_token "$HUB_PORT" demo-planner)

echo "== Gateway and matching service"
FED=$ROOT/hub-server/src/test/federation
[ -f "$FED/node_modules/.package-lock.json" ] || (cd "$FED" && npm ci --no-audit --no-fund >/dev/null)
MATCHING_PORT=$(free_port); GATEWAY_PORT=$(free_port)
(cd "$FED" && exec node matching.mjs "$MATCHING_PORT") > "$RESULTS/matching.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do grep -q "ready" "$RESULTS/matching.log" && break; sleep 0.5; done
(cd "$FED" && HUB_TOKEN=$TOKEN exec node gateway.mjs "http://127.0.0.1:$HUB_PORT/graphql" \
  "http://127.0.0.1:$MATCHING_PORT/" "$GATEWAY_PORT") > "$RESULTS/gateway.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do grep -q "ready" "$RESULTS/gateway.log" && break; sleep 0.5; done
grep -q "ready" "$RESULTS/gateway.log" || { echo "gateway did not start; see $RESULTS/gateway.log" >&2; exit 1; }

echo "== Measuring ($N requests per series after $WARMUP warm-up)"
python3 - "$HUB_PORT" "$GATEWAY_PORT" "$N" "$WARMUP" "$RESULTS/summary.json" <<'PY'
import json, sys, time, urllib.request, platform, os
hub, gateway, n, warmup, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
hub_only = '{ programs(first: 20) { edges { node { id name ages { min max } partnership { name } } } } }'
spanning = '{ programs(first: 20) { edges { node { id name openMentorSlots partnership { name } } } } }'
series = {'hub': (f'http://127.0.0.1:{hub}/graphql', hub_only),
          'gateway': (f'http://127.0.0.1:{gateway}/', hub_only),
          'gateway-spanning': (f'http://127.0.0.1:{gateway}/', spanning)}
def ask(url, query):
    body = json.dumps({'query': query}).encode()
    request = urllib.request.Request(url, body, {'content-type': 'application/json'})
    start = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        answer = json.load(response)
    elapsed = (time.perf_counter() - start) * 1000
    if 'errors' in answer or len(answer['data']['programs']['edges']) != 20:
        raise SystemExit(f'{url}: unexpected answer {str(answer)[:300]}')
    return elapsed, answer
def once(url, query):
    return ask(url, query)[0]
# Equality: the gateway passes the hub's answer through unchanged.
direct, through = ask(series['hub'][0], hub_only)[1], ask(series['gateway'][0], hub_only)[1]
print('equality: the hub directly and through the gateway: ' + ('EQUAL' if direct == through else 'DIFFERENT'))
if direct != through:
    raise SystemExit(1)
for name, (url, query) in series.items():
    for _ in range(warmup):
        once(url, query)
times = {name: [] for name in series}
for _ in range(n):  # alternately, so that drift on a shared machine touches every series alike
    for name, (url, query) in series.items():
        times[name].append(once(url, query))
def pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 2)
summary = {'requests_per_series': n, 'warmup': warmup, 'sequential': True, 'machine': f'{os.cpu_count()} cores, {platform.platform()}',
           'query_hub_only': hub_only, 'query_spanning': spanning,
           'ms': {name: {'p50': pct(v, 50), 'p99': pct(v, 99)} for name, v in times.items()}}
summary['gateway_added_ms'] = {p: round(summary['ms']['gateway'][p] - summary['ms']['hub'][p], 2) for p in ('p50', 'p99')}
json.dump(summary, open(out, 'w'), indent=2)
print(json.dumps(summary, indent=2))
PY
echo "== Results in $RESULTS"
