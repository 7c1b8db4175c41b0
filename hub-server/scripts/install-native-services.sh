#!/usr/bin/env bash
# Makes sure this machine has what the hub's embedded mode starts: PostgreSQL with PostGIS, and Redis; and, for
# the tests only (not needed to run the hub), Chromium, which the map's browser tests drive, and GDAL's ogr2ogr,
# the independent writer of the shapefiles and GeoPackages the census loader's tests read.
# Called by the Maven build (phase `initialize` of hub-server) and by .ci/run; safe to run by hand.
# `--runtime` (the Dockerfile): only what the hub itself runs, PostgreSQL + PostGIS and Redis, not the tests' tools.
# Fast when everything is present. Installs Debian/Ubuntu packages when it can (root or passwordless sudo);
# otherwise prints exactly what to install and exits 0, so that a hub pointed at external servers
# (HUB_DB_URL / HUB_REDIS_URL) still builds.
set -euo pipefail
runtime_only=false
[ "${1:-}" = "--runtime" ] && runtime_only=true

have_postgis() {
  local bin
  for bin in /usr/lib/postgresql/*/bin; do
    [ -x "$bin/initdb" ] || continue
    local version; version=$(basename "$(dirname "$bin")")
    [ -f "/usr/share/postgresql/$version/extension/postgis.control" ] && return 0
  done
  return 1
}
have_redis() { command -v redis-server >/dev/null 2>&1; }
have_chromium() { $runtime_only || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }
# Node and npm run the federation gateway test (hub-server/src/test/federation).
have_node() { $runtime_only || { command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; }; }
have_ogr2ogr() { $runtime_only || command -v ogr2ogr >/dev/null 2>&1; }

if have_postgis && have_redis && have_chromium && have_ogr2ogr && have_node; then
  exit 0
fi

packages=()
have_postgis || packages+=(postgresql-postgis)
have_redis || packages+=(redis-server)
have_chromium || packages+=(chromium)
have_ogr2ogr || packages+=(gdal-bin)
have_node || packages+=(nodejs npm)

if ! command -v apt-get >/dev/null 2>&1; then
  echo "hub: embedded mode needs PostgreSQL (14+) with PostGIS 3 and Redis (6+); this is not a Debian/Ubuntu machine."
  echo "hub: install them with your package manager, or set HUB_DB_URL and HUB_REDIS_URL to external servers."
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "hub: embedded mode needs these Debian packages: ${packages[*]}"
    echo "hub: run: sudo apt-get update && sudo apt-get install -y ${packages[*]}"
    echo "hub: (or set HUB_DB_URL and HUB_REDIS_URL to use external servers)"
    exit 0
  fi
fi

echo "hub: installing ${packages[*]} (Debian packages; starts no system services)"
export DEBIAN_FRONTEND=noninteractive
# Debian's postgresql packages start a cluster through policy-rc.d-aware scripts; we never use it.
$sudo apt-get update -qq
# `postgresql-postgis` resolves to the PostGIS build for the distribution's default PostgreSQL.
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
have_postgis || { echo "hub: PostGIS still missing after install" >&2; exit 1; }
have_redis || { echo "hub: redis-server still missing after install" >&2; exit 1; }
echo "hub: PostgreSQL + PostGIS and Redis are installed"
