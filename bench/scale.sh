#!/usr/bin/env bash
# Scale-out, measured: the soak's mixed workload (near 40 %, within 20 %, coverage 20 %, map areas 20 %, a
# partner's publish every 5 s), closed-loop from CLIENTS clients for SECONDS, against one hub and then two hubs
# behind HAProxy (least connections, health-checked on readiness), both on the same PostGIS and Redis. The one-hub
# run goes through the same HAProxy, so both runs pay the same proxy. Figures per run: throughput, p50/p99, and
# CPU per request of PostgreSQL and of the hubs. Equality step: both runs answer every request 200 without
# GraphQL errors, and the two hubs give the same answer to the same questions. Writes
# bench/results/scale-<time>/summary.json.
# usage: bash bench/scale.sh [seconds] [clients] [warm-up seconds]   env: BENCH_BUILD (1)
set -euo pipefail
SECONDS_RUN=${1:-60}; CLIENTS=${2:-16}; WARMUP=${3:-30}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${HUB_DATA_DIR:-$ROOT/../shared/data}
WORK=$(mktemp -d /tmp/hub-bench-scale.XXXXXX)
RESULTS=$ROOT/bench/results/scale-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
PIDS=()
. "$ROOT/bench/lib/servers.sh"
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/haproxy.pid" ] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null || true
  stop_servers
  rm -rf "$WORK"
}
trap cleanup EXIT

bench_needs haproxy haproxy
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)

echo "== PostgreSQL + PostGIS and Redis in $WORK"
start_postgres "-c fsync=off -c shared_buffers=256MB -c max_connections=100"
start_redis

echo "== Building the hub"
[ "${BENCH_BUILD:-1}" = 0 ] || (cd "$ROOT" && mvn -q -B -ntp package -pl hub-server -am -DskipTests -Dhub.skipNativeServices=true)

# start_hub NAME DEMO: one hub on a free port; the first loads the demo and the census, the second only joins.
# Both sign and accept tokens with one key and one issuer (as instances behind a balancer must).
start_hub() {
  local port; port=$(free_port)
  HUB_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/hub HUB_REDIS_URL=$REDIS_URL HUB_PORT=$port HUB_DATA_DIR=$DATA \
    HUB_DEMO=$2 HUB_LOAD_CENSUS=$2 HUB_RATE_LIMIT=false HUB_KEY_FILE="$WORK/issuer-key.jwk" HUB_ISSUER=http://hub.scale.bench \
    java -Xmx1g -XX:+UseParallelGC -jar "$ROOT/hub-server/target/hub-server.jar" --logging.level.root=WARN \
    > "$RESULTS/$1.log" 2>&1 &
  PIDS+=($!)
  eval "${1}_PID=$! ${1}_PORT=$port"
  wait_hub "$port" "$RESULTS/$1.log"
}
echo "== Hub 1 (loads the demo and the census layers)"
start_hub hub1 true
for _ in $(seq 1 60); do hub_token "$hub1_PORT" demo-partner >/dev/null 2>&1 && break; sleep 1; done
echo "== Hub 2 (same database and Redis)"
start_hub hub2 false

LB_PORT=$(free_port)
proxy() { # proxy PORT...: HAProxy in front of these hubs, restarted
  [ -f "$WORK/haproxy.pid" ] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null && sleep 1
  {
    printf 'global\n  maxconn 4096\n  pidfile %s/haproxy.pid\ndefaults\n  mode http\n  timeout connect 5s\n' "$WORK"
    printf '  timeout client 60s\n  timeout server 60s\nfrontend hub\n  bind 127.0.0.1:%s\n  default_backend hubs\n' "$LB_PORT"
    printf 'backend hubs\n  balance leastconn\n  option httpchk GET /actuator/health/readiness\n'
    for p in "$@"; do printf '  server hub%s 127.0.0.1:%s check inter 2s\n' "$p" "$p"; done
  } > "$WORK/haproxy.cfg"
  "$HAPROXY" -f "$WORK/haproxy.cfg" -D
  for _ in $(seq 1 30); do curl -sf "http://127.0.0.1:$LB_PORT/actuator/health" >/dev/null && return 0; sleep 1; done
  echo "HAProxy did not answer on $LB_PORT" >&2; return 1
}

PLANNER=$(hub_token "$hub1_PORT" demo-planner); PARTNER=$(hub_token "$hub1_PORT" demo-partner)
load() { # load LABEL SECONDS: the mixed workload through the proxy, closed-loop
  mkdir -p "$RESULTS/$1"
  PLANNER_TOKEN=$PLANNER PARTNER_TOKEN=$PARTNER python3 "$ROOT/bench/soak/load.py" \
    "http://127.0.0.1:$LB_PORT/graphql" "$2" 0 "$CLIENTS" "$RESULTS/$1" > "$RESULTS/$1/load.out"
}
measure() { # measure LABEL HUB_PIDS...: CPU of PostgreSQL and of the hubs around one timed load
  local label=$1; shift
  local pg0 hub0 pg1 hub1
  pg0=$(postgres_cpu_ms); hub0=$(cpu_ms "$@")
  load "$label" "$SECONDS_RUN"
  pg1=$(postgres_cpu_ms); hub1=$(cpu_ms "$@")
  printf '{"postgres_cpu_ms": %s, "hub_cpu_ms": %s, "hubs": %s}\n' $(( pg1 - pg0 )) $(( hub1 - hub0 )) $# \
    > "$RESULTS/$label/cpu.json"
}

echo "== Equality: the same questions to each hub directly"
python3 - "$hub1_PORT" "$hub2_PORT" "$PLANNER" > "$RESULTS/equality.txt" <<'PY'
import json, sys, urllib.request
a, b, token = sys.argv[1:]
questions = [
    ('{ programs(filter: {near: {latitude: 43.65, longitude: -79.38, radiusKm: 5}}, first: 20) { edges { distanceKm node { id name } } } }', None),
    ('{ coverage(dataset: "toronto-neighbourhoods") { totals { youth covered ratio } } }', token),
    ('{ censusAreas(dataset: "census-divisions", simplifyMeters: 2000) { code youth { total } } }', None),
]
def ask(port, q, t):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", json.dumps({"query": q}).encode(),
                                 {"Content-Type": "application/json", **({"Authorization": "Bearer " + t} if t else {})})
    return json.loads(urllib.request.urlopen(req, timeout=120).read())
same = 0
for q, t in questions:
    x, y = ask(a, q, t), ask(b, q, t)
    if "errors" in x or x != y:
        print("DIFFERENT:", q[:60], json.dumps(x)[:200], json.dumps(y)[:200]); sys.exit(1)
    same += 1
print(f"same answers from both hubs: {same}")
PY
cat "$RESULTS/equality.txt"

echo "== One hub behind HAProxy: warm-up ${WARMUP}s, then ${SECONDS_RUN}s with $CLIENTS clients"
proxy "$hub1_PORT"
load warmup-1 "$WARMUP"
measure one "$hub1_PID"
echo "== Two hubs behind HAProxy: warm-up ${WARMUP}s (hub 2's JIT), then ${SECONDS_RUN}s"
proxy "$hub1_PORT" "$hub2_PORT"
load warmup-2 "$WARMUP"
measure two "$hub1_PID" "$hub2_PID"

python3 - "$RESULTS" "$CLIENTS" <<'PY'
import json, os, sys
d, clients = sys.argv[1], int(sys.argv[2])
runs = {}
for label in ("one", "two"):
    load, cpu = json.load(open(f"{d}/{label}/load.json")), json.load(open(f"{d}/{label}/cpu.json"))
    a, n = load["all"], load["all"]["n"]
    runs[label] = {"hubs": cpu["hubs"], "requests": n, "throughput_rps": load["throughput_rps"],
                   "p50_ms": a["p50_ms"], "p99_ms": a["p99_ms"], "non200": a["non200"],
                   "graphql_errors": a["graphql_errors"],
                   "postgres_cpu_ms_per_request": round(cpu["postgres_cpu_ms"] / max(n, 1), 2),
                   "hub_cpu_ms_per_request": round(cpu["hub_cpu_ms"] / max(n, 1), 2),
                   "by_kind": {k: v for k, v in load.items() if isinstance(v, dict) and k != "all"}}
one, two = runs["one"], runs["two"]
summary = {"clients": clients, "cores": os.cpu_count(), "runs": runs,
           "throughput_two_over_one": round(two["throughput_rps"] / max(one["throughput_rps"], 0.1), 2),
           "equal": all(r["non200"] == 0 and r["graphql_errors"] == 0 for r in runs.values())}
json.dump(summary, open(d + "/summary.json", "w"), indent=1)
for label, r in runs.items():
    print(f"{label} hub(s): {r['throughput_rps']} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
          f"PostgreSQL {r['postgres_cpu_ms_per_request']} ms CPU/request, hubs {r['hub_cpu_ms_per_request']} ms CPU/request")
print(f"two hubs / one hub throughput: {summary['throughput_two_over_one']}x on {os.cpu_count()} cores")
print("equality: every request answered 200 without errors: " + ("EQUAL" if summary["equal"] else "DIFFERENT"))
sys.exit(0 if summary["equal"] else 1)
PY
echo "results: $RESULTS"
