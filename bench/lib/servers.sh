# Private PostgreSQL + PostGIS and Redis for one bench run, sourced by the bench scripts. Like the hub's embedded
# servers they let in only who knows their passwords (random per run): PostgreSQL scram-sha-256 over TCP and its
# socket, Redis requirepass (given on standard input, not on a command line other users can list).
# Needs WORK (a fresh directory). Sets PGBIN, PG_PORT, REDIS_PORT, REDIS_URL; exports PGPASSWORD (read by psql,
# ogr2ogr and node's pg), HUB_DB_PASSWORD (read by the hub) and REDISCLI_AUTH (read by redis-cli).
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
bench_secret() { python3 -c 'import secrets; print(secrets.token_urlsafe(32))'; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

# start_postgres "extra server options": a cluster in $WORK/pg with database hub, superuser hub.
start_postgres() {
  [ "$(id -u)" -eq 0 ] && chown postgres "$WORK"
  PGPASSWORD=$(bench_secret); export PGPASSWORD HUB_DB_PASSWORD=$PGPASSWORD
  local pwfile=$WORK/initdb-password
  (umask 077 && printf '%s\n' "$PGPASSWORD" > "$pwfile")
  [ "$(id -u)" -eq 0 ] && chown postgres "$pwfile"
  as_pg "$PGBIN/initdb" -D "$WORK/pg" -U hub --auth=scram-sha-256 --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --no-sync >/dev/null
  rm -f "$pwfile"
  PG_PORT=$(free_port)
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 $1" -l "$WORK/pg.log" \
    -w start >/dev/null
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U hub -d postgres -c "CREATE DATABASE hub"
}

start_redis() {
  REDISCLI_AUTH=$(bench_secret); export REDISCLI_AUTH
  REDIS_PORT=$(free_port)
  printf 'requirepass %s\n' "$REDISCLI_AUTH" | redis-server - --port "$REDIS_PORT" --bind 127.0.0.1 --save '' \
    --appendonly no --daemonize yes --dir "$WORK" >/dev/null
  REDIS_URL=redis://:$REDISCLI_AUTH@127.0.0.1:$REDIS_PORT
}

stop_servers() {
  [ -f "$WORK/pg/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${REDIS_PORT:-}" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}

# wait_hub PORT LOG [seconds]: until the hub on PORT answers its health check; fails naming its log.
wait_hub() {
  for _ in $(seq 1 "${3:-600}"); do curl -sf "http://127.0.0.1:$1/actuator/health" >/dev/null && return 0; sleep 1; done
  echo "hub on port $1 did not start; see $2" >&2; return 1
}

# hub_token PORT CLIENT: a client-credentials token of one of the demo's clients (secret CLIENT-secret).
hub_token() {
  curl -sf -u "$2:$2-secret" -d grant_type=client_credentials "http://127.0.0.1:$1/oauth2/token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# cpu_ms PID...: CPU time (user + system, ms) used by these processes and by their children that ended.
cpu_ms() {
  python3 - "$@" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK"); total = 0
for pid in sys.argv[1:]:
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += sum(int(x) for x in f[11:15])  # utime stime cutime cstime
    except FileNotFoundError:
        pass
print(total * 1000 // tick)
PY
}

# postgres_cpu_ms: CPU time of this run's PostgreSQL, its postmaster and every backend (live or ended).
postgres_cpu_ms() {
  local pm; pm=$(head -1 "$WORK/pg/postmaster.pid")
  cpu_ms "$pm" $(ps --ppid "$pm" -o pid=)
}

# bench_needs COMMAND PACKAGE: installs the Debian package where the command is missing (as the project's install
# script does for the servers), so that a bench, and bench/smoke.sh in CI, runs on a fresh machine.
bench_needs() {
  command -v "$1" >/dev/null && return 0
  [ -x "/usr/sbin/$1" ] && return 0
  command -v apt-get >/dev/null || { echo "$1 is missing: install the package $2" >&2; return 1; }
  echo "== Installing $2 (Debian package) for $1"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq --no-install-recommends "$2" >/dev/null 2>&1 \
    || { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "$2" >/dev/null; }
}
