#!/usr/bin/env bash
# Circle bias: how much covered youth (and covered land) a service area's polygon loses against the circle it
# stands for. Real census units (Toronto's 140 neighbourhoods, Canada's 293 census divisions) and real places as
# sites (Toronto schools, every 4th; forward sortation area centroids, every 2nd), radii 1, 5 and 25 km. Each
# circle is drawn as PostGIS draws the hub's service areas (ST_Buffer on geography) with 16 segments a quarter
# (the 64-gon of earlier versions), with the count geo's CircleVertices gives for the area tolerance (the hub's
# hub.coverage.circle-area-tolerance), and with 2,048 (8,192 vertices): the reference. A fourth polygon, 2,048
# ST_Project points on the spheroid, measures the geography buffer's own error (it is drawn in the site's UTM
# zone, whose scale factor is not 1). Areal weighting per circle, areas in EPSG:3347.
# usage: bash bench/circle-bias.sh [area tolerance, default 1e-4]   (env CIRCLE_SAMPLE=N: every Nth of those sites)
set -euo pipefail
TOLERANCE=${1:-1e-4}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${HUB_DATA_DIR:-$ROOT/../shared/data}
DATA=$(cd "$DATA" && pwd)
WORK=$(mktemp -d /tmp/hub-bench-circle.XXXXXX)
RESULTS=$ROOT/bench/results/circle-bias-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
. "$ROOT/bench/lib/servers.sh"
cleanup() {
  [ -f "$WORK/pg/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
bench_needs ogr2ogr gdal-bin

echo "== Vertices for area tolerance $TOLERANCE (geo's CircleVertices)"
(cd "$ROOT" && mvn -q -B -ntp -pl geo compile)
QUAD=$(java -cp "$ROOT/geo/target/classes" "$ROOT/bench/circle/QuadSegs.java" "$TOLERANCE")
echo "quad_segs $QUAD: $((4 * QUAD)) vertices"

echo "== PostgreSQL + PostGIS in $WORK"
[ "$(id -u)" -eq 0 ] && chown postgres "$WORK"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -U hub -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
PG_PORT=$(free_port)
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=256MB -c work_mem=64MB" -l "$WORK/pg.log" -w start >/dev/null
PSQL=(psql -qX -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U hub)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE bias"
"${PSQL[@]}" -d bias -c "CREATE EXTENSION postgis"
PG="PG:host=127.0.0.1 port=$PG_PORT dbname=bias user=hub"

echo "== Real census units and places"
ogr2ogr -f PostgreSQL "$PG" "$DATA/census/toronto_neighbourhoods_youth.geojson" -nln hoods -lco GEOMETRY_NAME=geom -nlt PROMOTE_TO_MULTI -t_srs EPSG:4326
ogr2ogr -f PostgreSQL "$PG" "$DATA/census/canada_census_divisions_youth.geojson" -nln divisions -lco GEOMETRY_NAME=geom -nlt PROMOTE_TO_MULTI -s_srs EPSG:4326 -t_srs EPSG:4326
ogr2ogr -f PostgreSQL "$PG" "$DATA/places/toronto_schools.geojson" -nln schools -lco GEOMETRY_NAME=geom -t_srs EPSG:4326
ogr2ogr -f PostgreSQL "$PG" "$DATA/postal/fsa_centroids.csv" -nln fsa -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -a_srs EPSG:4326 -lco GEOMETRY_NAME=geom

T0=$(date +%s)
"${PSQL[@]}" -d bias -v quad="$QUAD" -v tolerance="$TOLERANCE" -v sample="${CIRCLE_SAMPLE:-1}" -f "$ROOT/bench/circle/bias.sql" | tee "$RESULTS/summary.txt"
echo "(tolerance $TOLERANCE: quad_segs $QUAD; took $(( $(date +%s) - T0 )) s; $(psql -qtAX -h 127.0.0.1 -p "$PG_PORT" -U hub -d bias -c 'SELECT postgis_lib_version()') )" | tee -a "$RESULTS/summary.txt"
echo "results: $RESULTS"
