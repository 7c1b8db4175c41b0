#!/usr/bin/env bash
# Soak: MINUTES of mixed traffic at a fixed RATE (requests/s, open loop) from THREADS clients against one hub on
# its own PostGIS and Redis, with the demo's data and census layers: near, within, coverage, map areas, and a
# partner's publish every 5 s. Checks: no 5xx; heap after a full GC, database connections and threads at the end
# no more than a bound above their values after the first minute, each the least of a few readings a second apart.
# Writes bench/results/soak-<time>/summary.json.
# usage: bash bench/soak.sh [minutes] [rate] [threads]
set -euo pipefail
MINUTES=${1:-10}; RATE=${2:-40}; THREADS=${3:-16}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${HUB_DATA_DIR:-$ROOT/../shared/data}
WORK=$(mktemp -d /tmp/hub-bench-soak.XXXXXX)
RESULTS=$ROOT/bench/results/soak-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
PIDS=()
. "$ROOT/bench/lib/servers.sh"
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  stop_servers
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== PostgreSQL + PostGIS and Redis in $WORK"
start_postgres "-c fsync=off -c shared_buffers=256MB -c max_connections=100"
start_redis

echo "== Building the hub"
[ -n "${SOAK_SKIP_BUILD:-}" ] || [ "${BENCH_BUILD:-1}" = 0 ] || (cd "$ROOT" && mvn -q -B -ntp package -DskipTests -Dhub.skipNativeServices=true)
HUB_PORT=$(free_port)
# Rate limits off: one address sends all of it; the soak measures stability, not the limiter.
HUB_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/hub HUB_REDIS_URL=$REDIS_URL HUB_PORT=$HUB_PORT HUB_DATA_DIR=$DATA \
  HUB_DEMO=true HUB_LOAD_CENSUS=true HUB_RATE_LIMIT=false \
  java -Xmx1g -XX:+UseParallelGC -jar "$ROOT/hub-server/target/hub-server.jar" --logging.level.root=WARN \
  --hub.security.key-file="$WORK/issuer-key.jwk" > "$RESULTS/hub.log" 2>&1 &
HUB_PID=$!
PIDS+=($HUB_PID)
wait_hub "$HUB_PORT" "$RESULTS/hub.log"
for _ in $(seq 1 60); do hub_token "$HUB_PORT" demo-partner >/dev/null 2>&1 && break; sleep 1; done
PLANNER=$(hub_token "$HUB_PORT" demo-planner); PARTNER=$(hub_token "$HUB_PORT" demo-partner)

state() { # label samples: the least heap used after a full GC (KB), hub's database connections and JVM threads
  # over SAMPLES readings a second apart. A request or a re-warm in flight at one reading is gone at the next; a
  # leak stays in every one of them, so the least of them is what the hub holds.
  local heap conns threads best_heap= best_conns= best_threads=
  for i in $(seq 1 "$2"); do
    [ "$i" = 1 ] || sleep 1
    jcmd "$HUB_PID" GC.run >/dev/null
    heap=$(jcmd "$HUB_PID" GC.heap_info | python3 -c 'import re,sys; t=sys.stdin.read(); print(sum(int(m) for m in re.findall(r"used (\d+)K", t.split("Metaspace")[0])))')
    conns=$(psql -tA -h 127.0.0.1 -p "$PG_PORT" -U hub -d hub -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'hub' AND pid <> pg_backend_pid()")
    threads=$(jcmd "$HUB_PID" Thread.print | grep -c '^"')
    [ -n "$best_heap" ] && [ "$best_heap" -le "$heap" ] || best_heap=$heap
    [ -n "$best_conns" ] && [ "$best_conns" -le "$conns" ] || best_conns=$conns
    [ -n "$best_threads" ] && [ "$best_threads" -le "$threads" ] || best_threads=$threads
  done
  printf '{"at": "%s", "samples": %s, "heap_kb": %s, "db_connections": %s, "threads": %s}\n' "$1" "$2" \
    "$best_heap" "$best_conns" "$best_threads"
}

SECONDS_TOTAL=$(python3 -c "print(int(float('$MINUTES') * 60))")
FIRST=$(( SECONDS_TOTAL < 60 ? SECONDS_TOTAL / 3 : 60 ))
echo "== Soak: $MINUTES min at $RATE req/s from $THREADS clients"
PLANNER_TOKEN=$PLANNER PARTNER_TOKEN=$PARTNER python3 "$ROOT/bench/soak/load.py" "http://127.0.0.1:$HUB_PORT/graphql" \
  "$SECONDS_TOTAL" "$RATE" "$THREADS" "$RESULTS" > "$RESULTS/load.out" &
LOAD=$!
sleep "$FIRST"
state after-first-part 3 > "$RESULTS/state-start.json"
wait "$LOAD"
# After the load, the publishes' last re-warm may still run: five readings give it time to end.
state end 5 > "$RESULTS/state-end.json"

python3 - "$RESULTS" <<'PY'
import json, sys
d = sys.argv[1]
load = json.load(open(d + "/load.json"))
start, end = json.load(open(d + "/state-start.json")), json.load(open(d + "/state-end.json"))
checks = {
    "no 5xx": load["all"]["5xx"] == 0,
    "every kind answered 200": all(v["non200"] == 0 for k, v in load.items() if isinstance(v, dict)),
    # A heap that grows with traffic leaks; allow for caches filling in the first minutes.
    "heap after GC at most 1.5x (+64 MB) its value after the first minute": end["heap_kb"] <= 1.5 * start["heap_kb"] + 65536,
    "database connections no more than 2 above": end["db_connections"] <= start["db_connections"] + 2,
    "threads no more than 10 above": end["threads"] <= start["threads"] + 10,
}
summary = {"load": load, "state_start": start, "state_end": end, "checks": checks, "pass": all(checks.values())}
json.dump(summary, open(d + "/summary.json", "w"), indent=1)
a = load["all"]
print(f"requests {a['n']}, 5xx {a['5xx']}, p50 {a['p50_ms']} ms, p99 {a['p99_ms']} ms")
for kind, v in load.items():
    if isinstance(v, dict) and kind != "all":
        print(f"  {kind}: n {v['n']}, 5xx {v['5xx']}, p50 {v['p50_ms']} ms, p99 {v['p99_ms']} ms")
print(f"heap after GC {start['heap_kb'] // 1024} -> {end['heap_kb'] // 1024} MB; db connections {start['db_connections']} -> {end['db_connections']}; threads {start['threads']} -> {end['threads']}")
for name, ok in checks.items():
    print(("PASS " if ok else "FAIL ") + name)
sys.exit(0 if summary["pass"] else 1)
PY
echo "results: $RESULTS"
